"""The admin's awards and each learner's obtained credits summary."""

import pytest
from opaque_keys.edx.keys import CourseKey

from credits_plugin import api
from credits_plugin.models import AwardedCredit, AwardLogEntry
from tests.credits_plugin.admin.helpers import (
    ADMIN,
    OTHER_COURSE,
    text,
)
from tests.factories import COURSE_ID, StandaloneCourseFactory, UserFactory

pytestmark = pytest.mark.django_db


# --- awards and the learner's summary ---------------------------------------------------------

def test_awards_cannot_be_added_edited_or_deleted(admin_client, awarded):
    award = AwardedCredit.objects.get(credit_name="Ethics")
    snapshot = AwardedCredit.objects.filter(pk=award.pk).values().get()
    url = f"{ADMIN}/awardedcredit/{award.pk}/change/"
    page = admin_client.get(url)
    assert page.status_code == 200
    assert 'name="amount"' not in page.content.decode() and "2.50" in text(page)  # shown, not editable
    response = admin_client.post(url, {"amount": "900", "credit_name": "Forged", "unit": "years",
                                       "reference_number": "X", "status": "revoked", "source": "manual",
                                       "course_key": OTHER_COURSE, "user": "1"})
    assert response.status_code == 403
    assert admin_client.get(f"{ADMIN}/awardedcredit/add/").status_code == 403
    assert admin_client.post(f"{ADMIN}/awardedcredit/{award.pk}/delete/", {"post": "yes"}).status_code == 403
    response = admin_client.post(f"{ADMIN}/awardedcredit/", {
        "action": "delete_selected", "_selected_action": [award.pk], "index": "0", "post": "yes"})
    assert AwardedCredit.objects.filter(pk=award.pk).values().get() == snapshot


def test_revoke_action_asks_for_a_reason(admin_client, awarded, admin_user):
    award = AwardedCredit.objects.get(credit_name="Ethics")
    data = {"action": "revoke_awards", "_selected_action": [award.pk]}
    page = admin_client.post(f"{ADMIN}/awardedcredit/", {**data, "index": "0"})
    assert page.status_code == 200 and "Ethics" in text(page) and 'name="reason"' in page.content.decode()
    page = admin_client.post(f"{ADMIN}/awardedcredit/", {**data, "confirm_revoke": "yes", "reason": "  "})
    assert "A reason is required." in text(page)
    award.refresh_from_db()
    assert award.status == "awarded"
    response = admin_client.post(f"{ADMIN}/awardedcredit/", {**data, "confirm_revoke": "yes",
                                                              "reason": "Granted by mistake"}, follow=True)
    assert "1 award was revoked." in text(response)
    award.refresh_from_db()
    assert (award.status, award.reason, award.revoked_by) == ("revoked", "Granted by mistake", admin_user)
    assert AwardLogEntry.objects.filter(award=award, action="revoked").exists()


def test_award_rows_link_to_the_learner_summary(admin_client, awarded):
    summary = f"/admin/credits_plugin/awardedcredit/summary/{awarded.pk}/"
    page = admin_client.get(f"{ADMIN}/awardedcredit/").content.decode()
    assert f'href="{summary}"' in page
    assert f'action="{ADMIN}/awardedcredit/summary/"' in page  # look a learner up by username
    page = admin_client.get(f"{ADMIN}/awardedcredit/", {"user__id__exact": awarded.pk}).content.decode()
    assert f'<a href="{summary}">' in page  # the object tools of the filtered list
    award = AwardedCredit.objects.first()
    assert f'href="{summary}"' in admin_client.get(f"{ADMIN}/awardedcredit/{award.pk}/change/").content.decode()


def test_summary_shows_totals_and_awards(admin_client, awarded, structure, admin_user):
    StandaloneCourseFactory(course_key=CourseKey.from_string(OTHER_COURSE), display_name="Leadership II")
    api.set_course_settings(OTHER_COURSE, enabled=True, credits=[
        {"credit": structure["leading"].pk, "amount": "3.00"}, {"credit": structure["tax"].pk, "amount": "1"}])
    api.award_course_credits(awarded, OTHER_COURSE)
    tax_award = AwardedCredit.objects.get(credit_name="Tax")
    api.revoke_award(tax_award.uuid, acting_user=admin_user, reason="Wrong course")

    response = admin_client.get(f"{ADMIN}/awardedcredit/summary/{awarded.pk}/")
    assert response.status_code == 200
    assert "admin/base_site.html" in [t.name for t in response.templates]
    page = text(response)
    assert "Obtained credits of ada" in page
    type_totals = page.split('id="credits-type-totals"')[1].split("</table>")[0]
    assert "<td>CPA Ontario</td><td>2.50</td><td>CPD hours</td>" in type_totals  # the revoked Tax is not counted
    assert "<td>Management</td><td>4.25</td><td>hours</td>" in type_totals
    credit_totals = page.split('id="credits-credit-totals"')[1].split("</table>")[0]
    assert "<td>Leading</td><td>Management</td><td>4.25</td><td>hours</td>" in credit_totals
    awards = page.split('id="credits-awards"')[1].split("</table>")[0]
    assert awards.count("<tr>") == 5  # header and four awards, the revoked one included
    assert "Leadership II" in awards and "Credits 101" in awards and "Revoked" in awards and "CPAO-1" in awards


def test_summary_of_a_learner_without_awards_and_of_nobody(admin_client, db):
    nobody_yet = UserFactory(username="newcomer")
    response = admin_client.get(f"{ADMIN}/awardedcredit/summary/", {"username": "newcomer"}, follow=True)
    assert response.redirect_chain[-1][0] == f"{ADMIN}/awardedcredit/summary/{nobody_yet.pk}/"
    page = text(response)
    assert "No credits obtained yet." in page and "This learner has no awards." in page
    assert admin_client.get(f"{ADMIN}/awardedcredit/summary/999999/").status_code == 404
    response = admin_client.get(f"{ADMIN}/awardedcredit/summary/", {"username": "ghost"}, follow=True)
    assert "There is no learner with the username 'ghost'." in text(response)


def test_summary_escapes_author_text(admin_client, structure):
    evil = "<script>alert('x')</script>"
    bad_type = api.create_credit_type(name=f"Type {evil}", unit=f"u{evil}")
    credit = api.create_credit(credit_type_id=bad_type.id, name=f"Credit {evil}", reference_number=evil)
    StandaloneCourseFactory(course_key=CourseKey.from_string(COURSE_ID), display_name=f"Course {evil}")
    api.set_course_settings(COURSE_ID, enabled=True, credits=[{"credit": credit.id, "amount": "1"}])
    learner = UserFactory(username="mallory")
    api.award_course_credits(learner, COURSE_ID)
    for url in (f"{ADMIN}/awardedcredit/summary/{learner.pk}/", f"{ADMIN}/awardedcredit/"):
        page = admin_client.get(url).content.decode()
        assert "<script>alert" not in page
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page


def test_pages_need_the_admin_permissions(client, awarded):
    staff = UserFactory(username="clerk", is_staff=True)
    client.force_login(staff)
    assert client.get(f"{ADMIN}/awardedcredit/summary/{awarded.pk}/").status_code == 403
    client.force_login(UserFactory(username="nosy"))  # not staff: the admin sends them to sign in
    assert client.get(f"{ADMIN}/awardedcredit/summary/{awarded.pk}/").status_code == 302
