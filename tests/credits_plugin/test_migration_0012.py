"""Migration 0012 gives the credentials issued before it their learner, from their award."""
import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("credits_plugin", "0011_issued_credential_superseded")
AFTER = ("credits_plugin", "0012_issued_credential_user")


@pytest.fixture
def back_to_the_latest():
    """Whatever happens in the test, the database ends at the latest migrations for the tests after it."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_credentials_issued_before_0012_learn_their_learner(back_to_the_latest):
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    old = executor.loader.project_state([BEFORE]).apps
    user = old.get_model("auth", "User").objects.create(username="before0012", email="b@example.com")
    award = old.get_model("credits_plugin", "AwardedCredit").objects.create(
        user=user, course_key="", amount="2.50", credit_name="External", credit_type_name="CPA", unit="hours",
        source="external", awarded_at=timezone.now())
    issued = old.get_model("credits_plugin", "IssuedCredential")
    at = timezone.now() - datetime.timedelta(days=1)
    kept = issued.objects.create(award=award, awarded_at=award.awarded_at, status_list=1, status_index=7,
                                 credential="{}")
    detached = issued.objects.create(award=None, awarded_at=at, status_list=1, status_index=8, credential="{}")
    executor = MigrationExecutor(connection)
    executor.migrate([AFTER])
    new = MigrationExecutor(connection).loader.project_state([AFTER]).apps.get_model("credits_plugin",
                                                                                      "IssuedCredential")
    assert new.objects.get(pk=kept.pk).user_id == user.pk
    assert new.objects.get(pk=detached.pk).user_id is None  # nothing left to learn it from
