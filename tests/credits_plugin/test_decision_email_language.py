"""The decision on a credit earned elsewhere reaches the learner in their language, not the reviewer's."""
import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from credits_plugin import api, platform
from credits_plugin.platform.standalone.models import StandaloneLanguagePreference
from tests.factories import CreditTypeFactory, UserFactory

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.5\n%%EOF\n"


@pytest.fixture(autouse=True)
def own_storage(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture
def sent(learner):
    cpa = CreditTypeFactory(name="CPA", unit="CPE hours")
    return api.submit_external_credit(learner, title="Audit forum", provider="Audit Institute", credit_type_id=cpa.pk,
                                      amount="2.5", earned_on="2026-04-01",
                                      evidence=SimpleUploadedFile("forum.pdf", PDF))


@pytest.mark.parametrize("preference, expected", [
    (None, "en"), ("fr", "fr"), ("fr-ca", "fr"), ("xx", "en"), ("", "en"),
])
def test_the_learners_language_is_their_preference_when_the_site_offers_it(learner, settings, preference,
                                                                           expected):
    settings.LANGUAGE_CODE = "en"
    settings.LANGUAGES = [("en", "English"), ("fr", "French")]
    if preference is not None:
        StandaloneLanguagePreference.objects.create(user=learner, language=preference)
    assert platform.get_learner_language(learner) == expected


@pytest.mark.parametrize("decide, subject, phrase", [
    ("approve", "Votre crédit obtenu ailleurs a été approuvé", "2,50"),
    ("reject", "Votre crédit obtenu ailleurs n'a pas été approuvé", "Le certificat ne vous nomme pas."),
])
def test_a_french_learner_is_told_in_french_by_an_english_reviewer(
        learner, sent, settings, django_capture_on_commit_callbacks, decide, subject, phrase):
    settings.LANGUAGES = [("en", "English"), ("fr", "French")]
    StandaloneLanguagePreference.objects.create(user=learner, language="fr")
    reviewer = UserFactory(username="reviewer", is_staff=True)
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        if decide == "approve":
            api.approve_external_credit(sent.id, acting_user=reviewer)
        else:
            api.reject_external_credit(sent.id, acting_user=reviewer, reason="Le certificat ne vous nomme pas.")
        assert translation.get_language() == "en"  # the reviewer's page goes on in English
    (message,) = mail.outbox
    assert message.subject == subject
    assert phrase in message.body


def test_an_english_learner_is_told_in_english_by_a_french_reviewer(learner, sent, django_capture_on_commit_callbacks):
    reviewer = UserFactory(username="reviewer", is_staff=True)
    with translation.override("fr"), django_capture_on_commit_callbacks(execute=True):
        api.approve_external_credit(sent.id, acting_user=reviewer)
    (message,) = mail.outbox
    assert message.subject == "Your credit earned elsewhere was approved"
    assert "2.50 CPE hours" in message.body
