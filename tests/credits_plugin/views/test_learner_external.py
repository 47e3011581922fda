"""The learner's page reports credits earned elsewhere, lists them with their review, and counts approved ones."""
import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from credits_plugin import api
from credits_plugin.models import ExternalCredit
from tests.factories import CreditTypeFactory, UserFactory

pytestmark = pytest.mark.django_db
URL = "/credits/me/"
SUBMIT = "/credits/me/external/"
PDF = b"%PDF-1.5\n%%EOF\n"


@pytest.fixture(autouse=True)
def own_storage(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture
def cpa(db):
    return CreditTypeFactory(name="CPA", unit="CPE hours")


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def fields(cpa, **changes):
    return {"title": "Audit forum", "provider": "Audit Institute", "credit_type": str(cpa.pk), "amount": "2,5",
            "earned_on": "2026-04-01", "evidence": SimpleUploadedFile("forum.pdf", PDF), **changes}


def test_a_report_is_sent_from_the_page_and_listed_as_waiting(learner, cpa, settings):
    settings.LANGUAGE_CODE = "fr"  # "2,5" typed where the decimal separator is a comma
    client = signed_in(learner)
    page = client.get(URL).content.decode()
    assert 'enctype="multipart/form-data"' in page and 'name="evidence"' in page
    response = client.post(SUBMIT, fields(cpa))
    assert response.status_code == 302 and response["Location"].endswith("?reported=1#external-credits")
    (row,) = ExternalCredit.objects.all()
    assert (row.title, str(row.amount), row.status) == ("Audit forum", "2.50", "pending")


def test_errors_are_shown_next_to_their_fields_and_nothing_is_stored(learner, cpa):
    client = signed_in(learner)
    response = client.post(SUBMIT, fields(cpa, amount="", evidence=SimpleUploadedFile("x.pdf", b"MZ\x90\x00")))
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="external-amount-error"' in page and 'id="external-evidence-error"' in page
    assert "not a PDF, PNG or JPEG" in page
    assert 'value="Audit forum"' in page  # what they typed is kept
    # The rest of the page still leads where it did: its links and its date form go to /credits/me/.
    assert 'action="/credits/me/"' in page
    assert not ExternalCredit.objects.exists()


def test_a_report_that_met_another_write_at_the_same_moment_says_nothing_was_saved(learner, cpa, monkeypatch):
    """MySQL gave up the write (deadlock, lock wait timeout): the form again with a message, not a 500."""
    from django.db import OperationalError  # pylint: disable=import-outside-toplevel

    def clashes(*args, **kwargs):
        raise OperationalError(1213, "Deadlock found when trying to get lock; try restarting transaction")

    monkeypatch.setattr(api, "submit_external_credit", clashes)
    response = signed_in(learner).post(SUBMIT, fields(cpa))
    assert response.status_code == 400
    page = response.content.decode()
    assert "nothing was saved. Try again." in page and 'value="Audit forum"' in page
    assert not ExternalCredit.objects.exists()


def test_the_page_needs_a_signed_in_learner_and_a_post(cpa):
    assert Client().post(SUBMIT, {}).status_code == 302  # to sign in
    assert not ExternalCredit.objects.exists()
    assert signed_in(UserFactory()).get(SUBMIT).status_code == 405


def test_approved_and_rejected_reports_are_shown_and_only_approved_ones_count(learner, cpa):
    reviewer = UserFactory(username="reviewer", is_staff=True)
    first = api.submit_external_credit(learner, title="Audit forum", provider="Audit Institute",
                                       credit_type_id=cpa.pk, amount="2", earned_on="2026-04-01",
                                       evidence=SimpleUploadedFile("a.pdf", PDF))
    second = api.submit_external_credit(learner, title="Webinar", provider="Nobody", credit_type_id=cpa.pk,
                                        amount="1", earned_on="2026-04-02", evidence=SimpleUploadedFile("b.pdf", PDF))
    api.approve_external_credit(first.id, acting_user=reviewer)
    api.reject_external_credit(second.id, acting_user=reviewer, reason="The provider is not accredited.")
    client = signed_in(learner)
    page = client.get(URL).content.decode()
    assert "The provider is not accredited." in page and "Not approved" in page
    assert "credits-external-tag" in page and "Audit Institute" in page
    assert "2.00 CPE hours" in page  # the total counts the approved one only
    assert 'href="/credits/me/?format=csv"' in page
    rows = list(csv.reader(io.StringIO(b"".join(client.get(URL + "?format=csv").streaming_content).decode())))
    assert rows[1][:3] == ["Audit Institute", "", "Audit forum"]
    assert rows[1][7] == "Earned elsewhere"


def test_the_verification_page_of_an_external_credit_names_where_it_was_earned(learner, cpa):
    reviewer = UserFactory(username="reviewer", is_staff=True)
    sent = api.submit_external_credit(learner, title="Audit forum", provider="Audit Institute", credit_type_id=cpa.pk,
                                      amount="2", earned_on="2026-04-01", evidence=SimpleUploadedFile("a.pdf", PDF))
    award_uuid = api.approve_external_credit(sent.id, acting_user=reviewer).award_uuid
    page = Client().get(f"/credits/awards/{award_uuid}/").content.decode()  # anyone with the address
    assert "Earned at" in page and "Audit Institute" in page and "Audit forum" in page
    assert "the learner&#x27;s evidence was reviewed and approved" in page
    assert "This credit is valid." in page


def test_only_global_staff_revoke_an_external_credit_and_it_stops_counting(learner, cpa):
    from rest_framework.test import APIClient  # pylint: disable=import-outside-toplevel

    from tests.factories import CourseAccessFactory  # pylint: disable=import-outside-toplevel

    reviewer = UserFactory(username="reviewer", is_staff=True)
    sent = api.submit_external_credit(learner, title="Audit forum", provider="Audit Institute", credit_type_id=cpa.pk,
                                      amount="2", earned_on="2026-04-01", evidence=SimpleUploadedFile("a.pdf", PDF))
    award_uuid = api.approve_external_credit(sent.id, acting_user=reviewer).award_uuid
    course_staff = UserFactory(username="teacher")
    CourseAccessFactory(user=course_staff)
    client = APIClient()
    url = f"/api/credits/v1/awards/{award_uuid}/revoke/"
    for user, expected in ((learner, 403), (course_staff, 403), (reviewer, 200)):
        client.force_authenticate(user=user)
        assert client.post(url, {"reason": "Duplicate claim."}, format="json").status_code == expected
    summary = api.get_learner_summary(learner)
    assert summary.totals == () and summary.awards[0].status == "revoked"
    page = signed_in(learner).get(URL).content.decode()
    row = page[page.index('class="credits-external '):]
    row = row[:row.index("</tr>")]
    assert "Approved, then revoked" in row and "Verification page" in row
    assert ">Approved<" not in row  # it no longer says approved as if it counted
    client.force_authenticate(user=learner)
    listed = client.get(f"/api/credits/v1/external-credits/{sent.id}/").json()
    assert (listed["status"], listed["award_status"]) == ("approved", "revoked") and listed["award_revoked_at"]
