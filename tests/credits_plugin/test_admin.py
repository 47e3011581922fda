"""
The operators' Django admin, through the real admin URLs with a signed-in superuser.

Every rule the API enforces is enforced on the admin's doors too, with the API's
message, and a refused save writes nothing.
"""
import html
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from opaque_keys.edx.keys import CourseKey

from credits_plugin import api
from credits_plugin.models import AwardedCredit, AwardLogEntry, CourseCredit, CourseCreditSettings, Credit, CreditType
from tests.factories import COURSE_ID, StandaloneCourseFactory, UserFactory

pytestmark = pytest.mark.django_db

ADMIN = "/admin/credits_plugin"
OTHER_COURSE = "course-v1:TestX+Other+2026"


def text(response):
    """The page as a reader sees it (entities decoded)."""
    return html.unescape(response.content.decode())


def counts():
    return (CreditType.objects.count(), Credit.objects.count(), CourseCredit.objects.count(),
            CourseCreditSettings.objects.count(), AwardedCredit.objects.count())


def type_post(*, name, unit="hours", description="", requires=False, multiple=True, active=True,
              existing=(), new=()):
    """The POST of a credit type page: its fields and the credits inline (existing rows, then new ones)."""
    data = {"name": name, "unit": unit, "description": description}
    for field, value in (("requires_reference_number", requires), ("allow_multiple_per_course", multiple),
                         ("is_active", active)):
        if value:
            data[field] = "on"
    rows = list(existing) + list(new)
    data.update({"credits-TOTAL_FORMS": str(len(rows)), "credits-INITIAL_FORMS": str(len(existing)),
                 "credits-MIN_NUM_FORMS": "0", "credits-MAX_NUM_FORMS": "1000"})
    for index, row in enumerate(rows):
        prefix = f"credits-{index}-"
        row = {"is_active": True, "description": "", "reference_number": "", **row}
        for key, value in row.items():
            if key in ("is_active", "DELETE"):
                if value:
                    data[prefix + key] = "on"
            elif value is not None:
                data[prefix + key] = value
    return data


def existing_row(credit, **changes):
    row = {"id": str(credit.pk), "credit_type": str(credit.credit_type_id), "name": credit.name,
           "description": credit.description, "reference_number": credit.reference_number,
           "is_active": credit.is_active}
    row.update(changes)
    return row


@pytest.fixture
def structure(db):
    """CPA (requires reference numbers, one credit per course) and Management, with credits."""
    StandaloneCourseFactory(course_key=CourseKey.from_string(COURSE_ID), display_name="Credits 101")
    cpa = api.create_credit_type(name="CPA Ontario", unit="CPD hours", requires_reference_number=True,
                                 allow_multiple_per_course=False)
    management = api.create_credit_type(name="Management", unit="hours")
    ethics = api.create_credit(credit_type_id=cpa.id, name="Ethics", reference_number="CPAO-1")
    tax = api.create_credit(credit_type_id=cpa.id, name="Tax", reference_number="CPAO-2")
    leading = api.create_credit(credit_type_id=management.id, name="Leading")
    return {"cpa": CreditType.objects.get(pk=cpa.id), "management": CreditType.objects.get(pk=management.id),
            "ethics": Credit.objects.get(pk=ethics.id), "tax": Credit.objects.get(pk=tax.id),
            "leading": Credit.objects.get(pk=leading.id)}


@pytest.fixture
def awarded(structure, admin_user):
    """The course awards Ethics (2.50) and Leading (1.25); a learner has earned both."""
    api.set_course_settings(COURSE_ID, enabled=True, credits=[
        {"credit": structure["ethics"].pk, "amount": "2.50"},
        {"credit": structure["leading"].pk, "amount": "1.25"},
    ])
    learner = UserFactory(username="ada")
    api.award_course_credits(learner, COURSE_ID)
    return learner


# --- changelists, search, filters -----------------------------------------------------------

@pytest.mark.parametrize("model, expected", [
    ("credittype", "CPA Ontario"), ("credit", "CPAO-2"), ("coursecreditsettings", COURSE_ID),
    ("coursecredit", "1.25"), ("awardedcredit", "ada"),
])
def test_changelists_render(admin_client, awarded, model, expected):
    response = admin_client.get(f"{ADMIN}/{model}/")
    assert response.status_code == 200
    assert expected in text(response)


@pytest.mark.parametrize("model, params, expected", [
    ("credittype", {"q": "cpa"}, {"CPA Ontario"}),
    ("credittype", {"is_active__exact": "0"}, {"Management"}),
    ("credit", {"credit_type__id__exact": "@cpa"}, {"Ethics", "Tax"}),
    ("credit", {"is_active__exact": "0"}, {"Tax", "Leading"}),
    ("credit", {"q": "cpao-2"}, {"Tax"}),
])
def test_structure_search_and_filters(admin_client, structure, model, params, expected):
    api.archive_credit_type(structure["management"].pk)
    api.archive_credit(structure["tax"].pk)
    api.archive_credit(structure["leading"].pk)
    params = {key: structure[value[1:]].pk if value.startswith("@") else value for key, value in params.items()}
    response = admin_client.get(f"{ADMIN}/{model}/", params)
    assert {row.name for row in response.context["cl"].result_list} == expected


def test_award_search_and_filters(admin_client, awarded, admin_user):
    StandaloneCourseFactory(course_key=CourseKey.from_string(OTHER_COURSE), display_name="Other")
    leading = Credit.objects.get(name="Leading")
    api.set_course_settings(OTHER_COURSE, enabled=True, credits=[{"credit": leading.pk, "amount": "4.00"}])
    grace = UserFactory(username="grace")
    api.award_course_credits(grace, OTHER_COURSE)
    url = f"{ADMIN}/awardedcredit/"

    def shown(**params):
        response = admin_client.get(url, params)
        assert response.status_code == 200
        return {(award.user.username, str(award.course_key), award.credit_name)
                for award in response.context["cl"].result_list}

    assert shown(q="grace") == {("grace", OTHER_COURSE, "Leading")}
    assert shown(q="TestX+Other") == {("grace", OTHER_COURSE, "Leading")}
    cpa = CreditType.objects.get(name="CPA Ontario")
    assert shown(credit__credit_type__id__exact=cpa.pk) == {("ada", COURSE_ID, "Ethics")}
    ethics_award = AwardedCredit.objects.get(credit_name="Ethics")
    api.revoke_award(ethics_award.uuid, acting_user=admin_user, reason="Granted by mistake")
    assert shown(status="revoked") == {("ada", COURSE_ID, "Ethics")}
    assert shown(source="passing") == shown() and len(shown()) == 3
    assert shown(source="manual") == set()


def test_designation_list_filters_by_course(admin_client, awarded):
    page = text(admin_client.get(f"{ADMIN}/coursecredit/", {"course_id": COURSE_ID}))
    assert "Ethics" in page and "Leading" in page
    response = admin_client.get(f"{ADMIN}/coursecredit/", {"course_id": "not a course"})
    assert response.status_code == 200 and list(response.context["cl"].result_list) == []


# --- credit types and credits ---------------------------------------------------------------

def test_type_with_an_inline_credit_saves_and_records_who(admin_client, admin_user):
    response = admin_client.post(f"{ADMIN}/credittype/add/", type_post(
        name="  CPA Quebec ", unit="CPD hours", requires=True,
        new=[{"name": "Ethics", "reference_number": "Q-1", "description": "Ethics for CPAs"}]))
    assert response.status_code == 302, text(response)
    credit_type = CreditType.objects.get(name="CPA Quebec")  # cleaned by the API
    assert credit_type.requires_reference_number
    credit = credit_type.credits.get()
    assert (credit.name, credit.reference_number, credit.description) == ("Ethics", "Q-1", "Ethics for CPAs")
    assert credit_type.history.latest().history_user == admin_user
    assert credit.history.latest().history_user == admin_user
    history = admin_client.get(f"{ADMIN}/credittype/{credit_type.pk}/history/")
    assert history.status_code == 200 and admin_user.username in text(history)


def test_inline_credit_without_reference_number_is_refused(admin_client):
    before = counts()
    response = admin_client.post(f"{ADMIN}/credittype/add/", type_post(
        name="CPA Quebec", requires=True, new=[{"name": "Ethics", "reference_number": "  "}]))
    assert response.status_code == 200
    assert "Credits of type 'CPA Quebec' need a reference number." in text(response)
    assert counts() == before


@pytest.mark.parametrize("credit_type, name, reference_number, message", [
    ("cpa", "Audit", " ", "Credits of type 'CPA Ontario' need a reference number."),
    ("cpa", "ETHICS", "X", "'CPA Ontario' already has a credit named 'ETHICS'."),
    ("management", "Coaching", "", "The credit type 'Management' is archived."),
    ("management", "", "", "Name is required."),
])
def test_credit_rules(admin_client, structure, credit_type, name, reference_number, message):
    api.archive_credit_type(structure["management"].pk)
    before = counts()
    response = admin_client.post(f"{ADMIN}/credit/add/", {
        "credit_type": structure[credit_type].pk, "name": name, "reference_number": reference_number,
        "is_active": "on"})
    assert response.status_code == 200
    assert message in text(response)
    assert counts() == before


@pytest.mark.parametrize("url, data, message", [
    ("credittype/add/", type_post(name="management"), "A credit type named 'management' already exists."),
    ("credittype/add/", type_post(name="Management"), "A credit type named 'Management' already exists."),
    ("credittype/add/", type_post(name="   "), "Name is required."),
    ("credittype/add/", type_post(name="n" * 256), "Use at most 255 characters (this has 256)."),
    ("credittype/add/", type_post(name="Ok", unit=""), "Unit is required."),
])
def test_type_names_are_unique_and_required(admin_client, structure, url, data, message):
    before = counts()
    response = admin_client.post(f"{ADMIN}/{url}", data)
    assert response.status_code == 200
    assert message in text(response)
    assert counts() == before


def test_inline_credit_names_are_unique_within_a_type(admin_client, structure):
    before = counts()
    response = admin_client.post(f"{ADMIN}/credittype/{structure['management'].pk}/change/", type_post(
        name="Management", existing=[existing_row(structure["leading"])], new=[{"name": "leading"}]))
    assert "'Management' already has a credit named 'leading'." in text(response)
    assert counts() == before


def test_type_requiring_numbers_is_refused_while_a_credit_has_none(admin_client, structure):
    management, leading = structure["management"], structure["leading"]
    url = f"{ADMIN}/credittype/{management.pk}/change/"
    response = admin_client.post(url, type_post(name="Management", requires=True,
                                                existing=[existing_row(leading)]))
    assert "Give these credits a reference number first: Leading." in text(response)
    management.refresh_from_db()
    assert not management.requires_reference_number
    # Giving the credit its number on the same page lets the type require numbers.
    response = admin_client.post(url, type_post(name="Management", requires=True,
                                                existing=[existing_row(leading, reference_number="M-1")]))
    assert response.status_code == 302, text(response)
    management.refresh_from_db()
    leading.refresh_from_db()
    assert management.requires_reference_number and leading.reference_number == "M-1"


def test_one_per_course_cannot_be_switched_on_over_courses_with_several(admin_client, structure):
    management = structure["management"]
    coaching = api.create_credit(credit_type_id=management.pk, name="Coaching")
    api.set_course_settings(COURSE_ID, enabled=True, credits=[
        {"credit": structure["leading"].pk, "amount": "1"}, {"credit": coaching.id, "amount": "1"}])
    response = admin_client.post(f"{ADMIN}/credittype/{management.pk}/change/", type_post(
        name="Management", multiple=False,
        existing=[existing_row(Credit.objects.get(pk=coaching.id)), existing_row(structure["leading"])]))
    assert f"These courses already carry several credits of this type: {COURSE_ID}." in text(response)
    management.refresh_from_db()
    assert management.allow_multiple_per_course


def test_credit_edit_goes_through_the_api(admin_client, structure, admin_user):
    ethics = structure["ethics"]
    url = f"{ADMIN}/credit/{ethics.pk}/change/"
    data = {"credit_type": ethics.credit_type_id, "name": "Ethics", "reference_number": "", "is_active": "on"}
    response = admin_client.post(url, data)
    assert "Credits of type 'CPA Ontario' need a reference number." in text(response)
    ethics.refresh_from_db()
    assert ethics.reference_number == "CPAO-1"
    response = admin_client.post(url, {**data, "name": "Professional ethics", "reference_number": "CPAO-9"})
    assert response.status_code == 302
    ethics.refresh_from_db()
    assert (ethics.name, ethics.reference_number) == ("Professional ethics", "CPAO-9")
    assert ethics.history.latest().history_user == admin_user


def test_reverting_history_is_refused(admin_client, structure):
    management = structure["management"]
    api.update_credit_type(management.pk, unit="CEU")
    version = management.history.earliest()
    url = f"{ADMIN}/credittype/{management.pk}/history/{version.history_id}/"
    assert admin_client.get(url).status_code == 200
    assert admin_client.post(url, {"name": "Management", "unit": "hours"}).status_code == 403
    management.refresh_from_db()
    assert management.unit == "CEU"


# --- deleting ------------------------------------------------------------------------------

def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.mark.parametrize("model, key, message", [
    ("credittype", "cpa", "The credit type 'CPA Ontario' has credits that courses award or learners have earned, "
                          "so it cannot be deleted. Archive it instead"),
    ("credit", "ethics", "The credit 'Ethics' is awarded by courses or has been earned by learners, so it cannot "
                         "be deleted. Archive it instead"),
])
def test_deleting_what_is_in_use_is_refused(admin_client, awarded, structure, model, key, message):
    obj = structure[key]
    before = counts()
    url = f"{ADMIN}/{model}/{obj.pk}/delete/"
    for response in (admin_client.get(url, follow=True), admin_client.post(url, {"post": "yes"}, follow=True)):
        assert response.redirect_chain[-1][0] == f"{ADMIN}/{model}/{obj.pk}/change/"
        assert any(m.startswith(message) for m in messages_of(response)), messages_of(response)
        assert message in text(response)
    # the bulk action, both its first step and its confirmation
    for extra in ({}, {"post": "yes"}):
        response = admin_client.post(f"{ADMIN}/{model}/", {
            "action": "delete_selected", "_selected_action": [obj.pk], "index": "0", **extra}, follow=True)
        assert message in text(response)
    assert counts() == before


def test_deleting_an_inline_credit_in_use_is_refused(admin_client, awarded, structure):
    cpa, ethics, tax = structure["cpa"], structure["ethics"], structure["tax"]
    before = counts()
    response = admin_client.post(f"{ADMIN}/credittype/{cpa.pk}/change/", type_post(
        name="CPA Ontario", requires=True, multiple=False,
        existing=[existing_row(ethics, DELETE=True), existing_row(tax)]))
    assert response.status_code == 200
    assert "The credit 'Ethics' is awarded by courses or has been earned by learners" in text(response)
    assert counts() == before


def test_unused_type_is_deleted_with_its_credits(admin_client, structure):
    management = structure["management"]
    page = text(admin_client.get(f"{ADMIN}/credittype/{management.pk}/delete/"))
    assert "Leading" in page  # the confirmation lists the credits that go with it
    response = admin_client.post(f"{ADMIN}/credittype/{management.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not CreditType.objects.filter(pk=management.pk).exists()
    assert not Credit.objects.filter(name="Leading").exists()


def test_unused_credit_is_deleted_by_the_bulk_action(admin_client, structure):
    tax = structure["tax"]
    response = admin_client.post(f"{ADMIN}/credit/", {
        "action": "delete_selected", "_selected_action": [tax.pk], "index": "0", "post": "yes"})
    assert response.status_code == 302
    assert not Credit.objects.filter(pk=tax.pk).exists()


# --- course settings and designations --------------------------------------------------------

def designation_post(credit=None, amount="2.50", reference_number="", course_key=COURSE_ID):
    data = {"amount": amount, "reference_number": reference_number}
    if credit is not None:
        data.update({"course_key": course_key, "credit": credit.pk})
    return data


@pytest.mark.parametrize("credit, amount, course_key, message", [
    ("leading", "0", COURSE_ID, "The amount must be greater than zero."),
    ("leading", "-1", COURSE_ID, "The amount must be greater than zero."),
    ("leading", "1000", COURSE_ID, "The amount can be at most 999.99."),
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
