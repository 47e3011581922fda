"""The public verification page of an award."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from credits_plugin import api
from tests.factories import COURSE_ID, CourseCreditFactory, CourseGradeFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def award(course_key, staff_user):
    CourseCreditFactory(credit__name="Ethics", credit__reference_number="CPA-7")
    learner = UserFactory(username="lee", email="lee@example.com", first_name="Lee", last_name="Morgan")
    return api.award_course_credits(learner, COURSE_ID).created[0]


def test_valid_award_page(award):
    response = Client().get(f"/credits/awards/{award.uuid}/")
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("This credit is valid", "Lee Morgan", "Credits 101", "Ethics", "2.50 hours", "CPA-7"):
        assert text in html
    assert "lee@example.com" not in html and ">lee<" not in html
    assert response["X-Robots-Tag"] == "noindex"


def test_revoked_award_page_says_so_with_the_date(award, staff_user):
    api.revoke_award(award.uuid, acting_user=staff_user, reason="Misconduct")
    html = Client().get(f"/credits/awards/{award.uuid}/").content.decode()
    assert "was revoked on" in html and "no longer valid" in html
    assert "Misconduct" not in html  # the reason is for staff, not the public


@pytest.mark.parametrize("bad", ["00000000-0000-0000-0000-000000000000", "not-a-uuid"])
def test_other_ids_are_404(award, bad):
    assert Client().get(f"/credits/awards/{bad}/").status_code == 404


def test_the_page_names_the_issuer_and_links_the_certificate(award, settings):
    settings.PLATFORM_NAME, settings.LMS_ROOT_URL = "Acme Learning", "https://learn.acme.test"
    html = Client().get(f"/credits/awards/{award.uuid}/").content.decode()
    assert '<a href="https://learn.acme.test">Acme Learning</a>' in html
    assert '<th scope="row">Organization</th><td>TestX</td>' in html
    assert "/certificates/" not in html, "no certificate before the learner passes"
    CourseGradeFactory(user_id=award.user_id, passed=True)
    html = Client().get(f"/credits/awards/{award.uuid}/").content.decode()
    assert f'href="/certificates/user/{award.user_id}/course/{COURSE_ID}"' in html


def test_a_failing_certificate_look_up_leaves_the_page_without_the_link(award, monkeypatch):
    from credits_plugin import platform  # pylint: disable=import-outside-toplevel

    def broken(user, course_keys):
        raise RuntimeError("certificates unavailable")

    monkeypatch.setattr(platform, "get_certificate_urls", broken)
    response = Client().get(f"/credits/awards/{award.uuid}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "This credit is valid" in html and "/certificates/" not in html


def test_the_record_says_how_it_was_awarded_and_the_courses_approval(course_key, staff_user):
    import datetime  # pylint: disable=import-outside-toplevel

    from credits_plugin.models import CourseCredit  # pylint: disable=import-outside-toplevel
    designation = CourseCreditFactory(credit__name="Ethics", credit__credit_type__requires_approval=True,
                                      valid_from=datetime.date(2026, 1, 1), valid_until=datetime.date(2030, 12, 31))
    learner = UserFactory(username="lee")
    automatic = api.award_course_credits(learner, COURSE_ID).created[0]
    html = Client().get(f"/credits/awards/{automatic.uuid}/").content.decode()
    assert "Automatically, when the learner passed the course" in html
    assert "Course approved" in html and "2030" in html
    record = Client().get(f"/api/credits/v1/awards/{automatic.uuid}/").json()
    assert (record["source"], record["valid_from"], record["valid_until"]) == ("passing", "2026-01-01", "2030-12-31")
    assert record["issuer"]["organization"] == "TestX"
    other = UserFactory(username="ben")
    manual = api.manual_award(COURSE_ID, other, acting_user=staff_user, reason="Attended in person").created[0]
    html = Client().get(f"/credits/awards/{manual.uuid}/").content.decode()
    assert "By hand, by a member of the course staff" in html
    CourseCredit.objects.filter(pk=designation.pk).update(approval_status="pending")  # changed since: no window
    record = Client().get(f"/api/credits/v1/awards/{manual.uuid}/").json()
    assert (record["source"], record["valid_until"]) == ("manual", None)
    assert "Course approved" not in Client().get(f"/credits/awards/{manual.uuid}/").content.decode()


@pytest.fixture
def signing_key(make_signing_key):
    return make_signing_key("page-key")


def test_the_page_offers_the_credential_only_when_a_key_signs(award, make_signing_key):
    html = Client().get(f"/credits/awards/{award.uuid}/").content.decode()
    assert "Portable credential" not in html and "Check a credential" in html
    make_signing_key("page-key")
    html = Client().get(f"/credits/awards/{award.uuid}/").content.decode()
    assert f'/api/credits/v1/awards/{award.uuid}/credential/?format=jwt" download="credit-{award.uuid}.jwt"' in html


@pytest.mark.parametrize("form", ["paste", "upload"])
def test_a_pasted_or_uploaded_credential_is_checked(award, signing_key, staff_user, form):
    client = Client()
    token = client.get(f"/api/credits/v1/awards/{award.uuid}/credential/?format=jwt").content.decode()

    def check(text):
        if form == "paste":
            return client.post(f"/credits/awards/{award.uuid}/", {"credential": text})
        return client.post(f"/credits/awards/{award.uuid}/",
                           {"credential_file": SimpleUploadedFile("credit.jwt", text.encode())})

    html = check(token).content.decode()
    assert "Valid." in html and "the award stands" in html
    header, payload, signature = token.split(".")
    html = check(".".join([header, payload[:-4] + "AAAA", signature])).content.decode()
    assert "Not valid." in html
    api.revoke_award(award.uuid, acting_user=staff_user, reason="Mistake")
    html = check(token).content.decode()
    assert "Revoked." in html and "The award was revoked on" in html


def test_an_empty_or_oversized_check_is_refused_with_a_sentence(award):
    response = Client().post(f"/credits/awards/{award.uuid}/", {"credential": "  "})
    assert response.status_code == 400 and "Paste a credential, or choose its file." in response.content.decode()
    big = SimpleUploadedFile("big.json", b"{" + b" " * (300 * 1024) + b"}")
    response = Client().post(f"/credits/awards/{award.uuid}/", {"credential_file": big})
    assert response.status_code == 400 and "larger than a credential can be" in response.content.decode()


def test_a_credential_of_another_award_is_told_apart(award, signing_key, course_key):
    other_learner = UserFactory(username="ola", email="ola@example.com")
    other = api.award_course_credits(other_learner, COURSE_ID).created[0]
    client = Client()
    token = client.get(f"/api/credits/v1/awards/{other.uuid}/credential/?format=jwt").content.decode()
    html = client.post(f"/credits/awards/{award.uuid}/", {"credential": token}).content.decode()
    assert "Valid." in html and "it is of another award" in html and f"/credits/awards/{other.uuid}/" in html
    own = client.get(f"/api/credits/v1/awards/{award.uuid}/credential/?format=jwt").content.decode()
    assert "another award" not in client.post(f"/credits/awards/{award.uuid}/", {"credential": own}).content.decode()
