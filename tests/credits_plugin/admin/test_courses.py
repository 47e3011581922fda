"""The admin's course settings and designations."""
from decimal import Decimal

import pytest

from credits_plugin import api
from credits_plugin.models import AwardedCredit, CourseCredit, CourseCreditSettings, Credit
from tests.credits_plugin.admin.helpers import (
    ADMIN,
    OTHER_COURSE,
    counts,
    designation_post,
    text,
)
from tests.factories import COURSE_ID

pytestmark = pytest.mark.django_db



@pytest.mark.parametrize("credit, amount, course_key, message", [
    ("leading", "0", COURSE_ID, "The amount must be greater than zero."),
    ("leading", "-1", COURSE_ID, "The amount must be greater than zero."),
    ("leading", "1000", COURSE_ID, "The amount can be at most 999.99."),
    ("leading", "1" * 29 + ".125", COURSE_ID, "The amount can be at most 999.99."),
    ("leading", "1.234", COURSE_ID, "Use at most two decimal places."),
    ("leading", "abc", COURSE_ID, "'abc' is not a number."),
    ("leading", "", COURSE_ID, "Enter an amount."),
    ("leading", "1", "not-a-course", "'not-a-course' is not a valid course id."),
    ("tax", "1", COURSE_ID,
     "A course can carry only one credit of type 'CPA Ontario': choose either 'Ethics' or 'Tax'."),
    ("ethics", "1", COURSE_ID, "This course already awards 'Ethics': change that designation instead."),
])
def test_designation_rules(admin_client, structure, credit, amount, course_key, message):
    api.set_course_settings(COURSE_ID, enabled=True, credits=[{"credit": structure["ethics"].pk, "amount": "1"}])
    before = counts()
    response = admin_client.post(f"{ADMIN}/coursecredit/add/",
                                 designation_post(structure[credit], amount, course_key=course_key))
    assert response.status_code == 200
    assert message in text(response)
    assert counts() == before


def test_designation_is_added_and_edited_through_the_api(admin_client, structure, admin_user):
    response = admin_client.post(f"{ADMIN}/coursecredit/add/", designation_post(structure["leading"], "1.5"))
    assert response.status_code == 302, text(response)
    designation = CourseCredit.objects.get()
    assert (designation.credit, designation.amount) == (structure["leading"], Decimal("1.50"))
    assert designation.history.latest().history_user == admin_user
    url = f"{ADMIN}/coursecredit/{designation.pk}/change/"
    assert admin_client.post(url, designation_post(amount="1000")).status_code == 200
    designation.refresh_from_db()
    assert designation.amount == Decimal("1.50")
    assert admin_client.post(url, designation_post(amount="3.25", reference_number="C-7")).status_code == 302
    designation.refresh_from_db()
    assert (designation.amount, designation.reference_number) == (Decimal("3.25"), "C-7")


def test_archived_credits_cannot_be_newly_designated_but_keep_working(admin_client, awarded, structure):
    coaching = api.create_credit(credit_type_id=structure["management"].pk, name="Coaching")
    api.archive_credit(structure["leading"].pk)  # a credit archived by itself
    api.archive_credit_type(structure["management"].pk)  # Coaching is archived with its type
    before = counts()
    for credit in (structure["leading"], Credit.objects.get(pk=coaching.id)):
        response = admin_client.post(f"{ADMIN}/coursecredit/add/", designation_post(credit, course_key=OTHER_COURSE))
        assert f"'{credit.name}' is archived and cannot be added to a course." in text(response)
    assert counts() == before
    designation = CourseCredit.objects.get(credit=structure["leading"])
    response = admin_client.post(f"{ADMIN}/coursecredit/{designation.pk}/change/", designation_post(amount="2"))
    assert response.status_code == 302
    designation.refresh_from_db()
    assert designation.amount == Decimal("2.00")


def test_removing_a_designation_keeps_past_awards(admin_client, awarded, structure):
    designation = CourseCredit.objects.get(credit=structure["leading"])
    response = admin_client.post(f"{ADMIN}/coursecredit/{designation.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert list(CourseCredit.objects.values_list("credit__name", flat=True)) == ["Ethics"]
    assert AwardedCredit.objects.filter(credit_name="Leading").exists()


def test_settings_page_shows_the_course_designations(admin_client, awarded, structure):
    settings = CourseCreditSettings.objects.get()
    api.update_credit(structure["leading"].pk, name="<script>alert('lead')</script>")
    response = admin_client.get(f"{ADMIN}/coursecreditsettings/{settings.pk}/change/")
    page = response.content.decode()
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page
    assert "CPAO-1" in page and "2.50 CPD hours" in page
    assert f"/admin/credits_plugin/coursecredit/?course_id={COURSE_ID.replace(':', '%3A').replace('+', '%2B')}" \
        in page
    response = admin_client.post(f"{ADMIN}/coursecreditsettings/{settings.pk}/change/",
                                 {"award_trigger": "certificate", "revoke_on_certificate_revoked": "on"})
    assert response.status_code == 302, text(response)
    settings.refresh_from_db()
    assert (settings.enabled, settings.award_trigger, settings.revoke_on_certificate_revoked) == (
        False, "certificate", True)
    assert CourseCredit.objects.count() == 2  # the designations are kept


def test_settings_are_added_once_per_course(admin_client, awarded):
    before = counts()
    response = admin_client.post(f"{ADMIN}/coursecreditsettings/add/", {
        "course_key": COURSE_ID, "enabled": "on", "award_trigger": "passing"})
    assert "This course already has credit settings: change them instead." in text(response)
    response = admin_client.post(f"{ADMIN}/coursecreditsettings/add/", {
        "course_key": "nonsense", "award_trigger": "passing"})
    assert "'nonsense' is not a valid course id." in text(response)
    assert counts() == before
    response = admin_client.post(f"{ADMIN}/coursecreditsettings/add/", {
        "course_key": OTHER_COURSE, "enabled": "on", "award_trigger": "manual"})
    assert response.status_code == 302
    assert api.get_course_settings(OTHER_COURSE).award_trigger == "manual"


def test_a_french_operator_types_an_amount_with_a_comma(admin_client, structure):
    from django.utils import translation  # pylint: disable=import-outside-toplevel

    with translation.override("en"):  # the middleware leaves the request's language active afterwards
        response = admin_client.post(f"{ADMIN}/coursecredit/add/", designation_post(structure["leading"], "0,30"),
                                     HTTP_ACCEPT_LANGUAGE="fr")
        assert response.status_code == 302, text(response)
        assert CourseCredit.objects.get().amount == Decimal("0.30")
        response = admin_client.post(f"{ADMIN}/coursecredit/add/", designation_post(structure["tax"], "2,5"),
                                     HTTP_ACCEPT_LANGUAGE="en")
    assert "Use a point as the decimal separator, as in 2.50." in text(response)
    assert CourseCredit.objects.count() == 1


def test_the_reconciliation_watermarks_are_shown_and_never_edited(admin_client):
    api.reconcile_course_credits()
    listing = admin_client.get(f"{ADMIN}/reconciliationwatermark/")
    assert listing.status_code == 200
    assert "When the learner passes the course" in text(listing)
    assert "certificate is issued" in text(listing)
    assert admin_client.get(f"{ADMIN}/reconciliationwatermark/add/").status_code == 403
