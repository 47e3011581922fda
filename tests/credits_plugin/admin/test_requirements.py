"""
The admin of continuing-education requirements: the real admin forms, posted as a signed-in
superuser, refused with the service's rules and messages, and writing nothing when refused.
"""
import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission

from credits_plugin import api
from credits_plugin.models import CreditRequirement, RequirementAssignment
from tests.credits_plugin.admin.helpers import ADMIN, text
from tests.factories import CreditFactory, CreditTypeFactory, UserFactory

pytestmark = pytest.mark.django_db
URL = f"{ADMIN}/creditrequirement"
INLINE = "assignments"


@pytest.fixture
def cpd():
    """A body's type in CPD hours with an ethics credit, and a type in plain hours."""
    cpd_type = CreditTypeFactory(name="CPA Ontario", unit="CPD hours")
    other = CreditTypeFactory(name="Management", unit="hours")
    return {"type": cpd_type, "ethics": CreditFactory(credit_type=cpd_type, name="Ethics"),
            "other": other, "leading": CreditFactory(credit_type=other, name="Leading")}


def requirement_post(*, name="Annual CPD", amount="20", credit_types=(), credits=(), parent=None,
                     period_kind="calendar_year", period_length="", period_unit="years", cycle_start="",
                     carry_over_max="", applies_to_all=True, active=True, description="",
                     existing=(), new=(), inline=True, reminder_days=""):
    """The POST of a requirement's page; ``existing`` and ``new`` are rows of the learners inline."""
    data = {"name": name, "description": description, "amount": amount, "period_kind": period_kind,
            "period_length": period_length, "period_unit": period_unit, "cycle_start": cycle_start,
            "carry_over_max": carry_over_max, "credit_types": [row.pk for row in credit_types],
            "credits": [row.pk for row in credits], "parent": parent.pk if parent else "",
            "reminder_days": reminder_days}
    for field, value in (("applies_to_all", applies_to_all), ("active", active)):
        if value:
            data[field] = "on"
    if inline:
        rows = list(existing) + list(new)
        data.update({f"{INLINE}-TOTAL_FORMS": str(len(rows)), f"{INLINE}-INITIAL_FORMS": str(len(existing)),
                     f"{INLINE}-MIN_NUM_FORMS": "0", f"{INLINE}-MAX_NUM_FORMS": "1000"})
        for index, row in enumerate(rows):
            for key, value in row.items():
                if key == "DELETE":
                    if value:
                        data[f"{INLINE}-{index}-DELETE"] = "on"
                else:
                    data[f"{INLINE}-{index}-{key}"] = "" if value is None else str(value)
    return data


def assignment_row(assignment, **changes):
    row = {"id": assignment.pk, "requirement": assignment.requirement_id, "user": assignment.user_id,
           "cycle_start": assignment.cycle_start.isoformat() if assignment.cycle_start else ""}
    row.update(changes)
    return row


def rows():
    """Every row a save could write: requirements, assignments, and their history."""
    return (CreditRequirement.objects.count(), RequirementAssignment.objects.count(),
            CreditRequirement.history.count(), RequirementAssignment.history.count())


def form_errors(response):
    assert response.status_code == 200, response.status_code
    return response.context["adminform"].form.errors


def inline_errors(response):
    return [form.errors for form in response.context["inline_admin_formsets"][0].formset.forms]


def make(cpd, **fields):
    data = {"name": "Annual CPD", "amount": "20", "credit_types": [cpd["type"].pk]}
    data.update(fields)
    return CreditRequirement.objects.get(pk=api.create_requirement(**data).id)


# --- a valid requirement ------------------------------------------------------------------------

def test_calendar_year_requirement_is_saved_with_what_counts_and_who(admin_client, admin_user, cpd):
    response = admin_client.post(f"{URL}/add/", requirement_post(
        name="  Annual CPD ", amount="20.5", credit_types=[cpd["type"]], carry_over_max="5"))
    assert response.status_code == 302, text(response)
    row = CreditRequirement.objects.get()
    assert (row.name, row.amount, row.period_kind, row.period_length, row.cycle_start, row.carry_over_max,
            row.applies_to_all, row.active, row.parent) == (
        "Annual CPD", Decimal("20.50"), "calendar_year", None, None, Decimal("5.00"), True, True, None)
    assert list(row.credit_types.all()) == [cpd["type"]]
    assert list(row.credits.all()) == []
    assert RequirementAssignment.objects.count() == 0
    latest = row.history.latest()
    assert (latest.history_type, latest.history_user) == ("+", admin_user)
    history = admin_client.get(f"{URL}/{row.pk}/history/")
    assert history.status_code == 200
    assert admin_user.username in text(history)


def test_a_change_is_checked_whole_and_records_who(admin_client, admin_user, cpd):
    row = make(cpd)
    response = admin_client.post(f"{URL}/{row.pk}/change/", requirement_post(
        name="Annual CPD", amount="25", credits=[cpd["ethics"]], period_kind="rolling", period_length="12",
        period_unit="months", cycle_start="2026-01-01"))
    assert "Only a fixed cycle has a start date." in form_errors(response)["cycle_start"]
    row.refresh_from_db()
    assert (row.amount, row.period_kind) == (Decimal("20.00"), "calendar_year")
    response = admin_client.post(f"{URL}/{row.pk}/change/", requirement_post(
        name="Annual CPD", amount="25", credits=[cpd["ethics"]], period_kind="rolling", period_length="12",
        period_unit="months"))
    assert response.status_code == 302, text(response)
    row.refresh_from_db()
    assert (row.amount, row.period_kind, row.period_length, row.period_unit) == (
        Decimal("25.00"), "rolling", 12, "months")
    assert list(row.credit_types.all()) == [] and list(row.credits.all()) == [cpd["ethics"]]
    assert row.history.latest().history_user == admin_user
    assert row.history.count() == 2


# --- refused: the service's rules and messages, nothing written ---------------------------------------

@pytest.mark.parametrize("fields, field, message", [
    ({"amount": "0"}, "amount", "The amount must be greater than zero."),
    ({"amount": "-5"}, "amount", "The amount must be greater than zero."),
    ({"amount": "2.505"}, "amount", "Use at most two decimal places."),
    ({"amount": "twenty"}, "amount", "'twenty' is not a number."),
    ({"amount": "1000"}, "amount", "The amount can be at most 999.99."),
    ({"name": "   "}, "name", "A name is required."),
    ({"period_kind": "rolling", "period_length": "0", "period_unit": "months"}, "period_length",
     "Give the length of the period (at least 1)."),
    ({"period_kind": "rolling", "period_length": "11"}, "period_length",
     "A period can be at most 120 months long."),
    ({"period_kind": "rolling", "period_length": "twelve"}, "period_length",
     "Give the period's length as a whole number."),
    ({"period_length": "3"}, "period_length", "A calendar year has no length to set."),
    ({"period_kind": "rolling", "period_length": "12", "period_unit": "months", "carry_over_max": "5"},
     "carry_over_max", "A rolling window has no next period to carry over into."),
    ({"carry_over_max": "-1"}, "carry_over_max",
     "Give a carry-over cap from 0 to 999.99, with at most two decimal places."),
    ({"credit_types": "@type @other"}, "credit_types",
     "What counts must share one unit; these have CPD hours, hours."),
    ({"credit_types": "@type", "credits": "@leading"}, "credit_types",
     "What counts must share one unit; these have CPD hours, hours."),
    ({"credit_types": ""}, "credit_types", "Choose the credit types or the credits that count."),
    ({"period_kind": "fixed_cycle", "period_length": "3"}, "cycle_start",
     "A cycle counted from each learner's own start date applies to assigned learners only: give a start date "
     "for everyone, or apply it to assigned learners."),
    ({"cycle_start": "2026-01-01"}, "cycle_start", "Only a fixed cycle has a start date."),
])
def test_bad_requirements_are_refused_on_their_field(admin_client, cpd, fields, field, message):
    fields = {"credit_types": "@type", **fields}
    for key in ("credit_types", "credits"):
        if key in fields:
            fields[key] = [cpd[name[1:]] for name in fields[key].split()]
    before = rows()
    response = admin_client.post(f"{URL}/add/", requirement_post(**fields))
    errors = form_errors(response)
    assert message in errors.get(field, []), errors
    assert message in text(response)
    assert rows() == before


def test_a_date_django_cannot_read_gets_one_message(admin_client, cpd):
    before = rows()
    response = admin_client.post(f"{URL}/add/", requirement_post(
        credit_types=[cpd["type"]], period_kind="fixed_cycle", period_length="3", cycle_start="someday"))
    assert form_errors(response)["cycle_start"] == ["Enter a valid date."]
    assert rows() == before


def test_who_saved_is_recorded_without_the_history_middleware(client, admin_user, cpd, settings):
    """Open edX may not run simple_history's middleware: the admin names the author itself."""
    settings.MIDDLEWARE = [name for name in settings.MIDDLEWARE if "HistoryRequestMiddleware" not in name]
    client.force_login(admin_user)
    ada = UserFactory(username="ada")
    response = client.post(f"{URL}/add/", requirement_post(
        credit_types=[cpd["type"]], applies_to_all=False, new=[{"user": ada.pk}]))
    assert response.status_code == 302, text(response)
    row = CreditRequirement.objects.get()
    assert row.history.get().history_user == admin_user
    assert row.assignments.get().history.get().history_user == admin_user


def test_a_bad_change_writes_nothing(admin_client, cpd):
    row = make(cpd, period_kind="fixed_cycle", period_length=3, cycle_start="2026-01-01", carry_over_max="5")
    before = rows()
    response = admin_client.post(f"{URL}/{row.pk}/change/", requirement_post(
        amount="20", credit_types=[cpd["type"]], period_kind="rolling", period_length="12", period_unit="months",
        carry_over_max="5"))
    assert form_errors(response)["carry_over_max"] == ["A rolling window has no next period to carry over into."]
    row.refresh_from_db()
    assert (row.period_kind, row.cycle_start) == ("fixed_cycle", datetime.date(2026, 1, 1))
    assert rows() == before


# --- parts -------------------------------------------------------------------------------------

def test_a_part_larger_than_its_requirement_is_refused(admin_client, cpd):
    parent = make(cpd)
    before = rows()
    response = admin_client.post(f"{URL}/add/", requirement_post(
        name="Ethics", amount="25", credits=[cpd["ethics"]], parent=parent))
    assert form_errors(response)["amount"] == ["A part cannot require more than its requirement (20.00)."]
    assert rows() == before


@pytest.mark.parametrize("credits, message", [
    ("leading", "What counts must share one unit; these have CPD hours, hours."),
])
def test_a_part_counts_in_its_requirements_unit(admin_client, cpd, credits, message):
    parent = make(cpd)
    before = rows()
    response = admin_client.post(f"{URL}/add/", requirement_post(
        name="Leading", amount="4", credits=[cpd[credits]], parent=parent))
    assert form_errors(response)["credit_types"] == [message]
    assert rows() == before


def test_a_part_is_saved_and_listed_on_its_requirements_page(admin_client, admin_user, cpd):
    parent = make(cpd)
    add_page = admin_client.get(f"{URL}/add/", {"parent": parent.pk})
    assert add_page.context["adminform"].form.initial["parent"] == str(parent.pk)
    response = admin_client.post(f"{URL}/add/", requirement_post(
        name="Ethics", amount="4", credits=[cpd["ethics"]], parent=parent))
    assert response.status_code == 302, text(response)
    part = CreditRequirement.objects.get(name="Ethics")
    assert (part.parent, part.amount, list(part.credits.all())) == (parent, Decimal("4.00"), [cpd["ethics"]])
    assert part.history.latest().history_user == admin_user
    page = text(admin_client.get(f"{URL}/{parent.pk}/change/"))
    assert f'<a href="{URL}/{part.pk}/change/">Ethics</a>' in page
    assert "Ethics (CPA Ontario)" in page  # what the part counts
    # The part's own page has no learners: it takes its requirement's.
    part_page = admin_client.get(f"{URL}/{part.pk}/change/")
    assert part_page.status_code == 200
    assert f"{INLINE}-TOTAL_FORMS" not in text(part_page)
    assert part_page.context["inline_admin_formsets"] == []
    response = admin_client.post(f"{URL}/{part.pk}/change/", requirement_post(
        name="Ethics", amount="5", credits=[cpd["ethics"]], parent=parent, inline=False))
    assert response.status_code == 302, text(response)
    part.refresh_from_db()
    assert part.amount == Decimal("5.00")
    # The requirement cannot shrink below its part.
    before = rows()
    response = admin_client.post(f"{URL}/{parent.pk}/change/", requirement_post(
        amount="3", credit_types=[cpd["type"]]))
    assert form_errors(response)["amount"] == ["It must be at least the amount of each of its parts: Ethics."]
    assert rows() == before


def test_a_part_of_a_part_is_refused(admin_client, cpd):
    parent = make(cpd)
    part = make(cpd, name="Ethics", amount="4", parent=parent.pk)
    before = rows()
    response = admin_client.post(f"{URL}/add/", requirement_post(
        name="Ethics in tax", amount="1", credit_types=[cpd["type"]], parent=part))
    assert form_errors(response)["parent"] == [
        "A part cannot have parts of its own: choose a requirement that is not a part."]
    assert rows() == before


def test_a_part_gets_no_learners(admin_client, cpd):
    parent = make(cpd, applies_to_all=False)
    before = rows()
    response = admin_client.post(f"{URL}/add/", requirement_post(
        name="Ethics", amount="4", credits=[cpd["ethics"]], parent=parent,
        new=[{"user": UserFactory(username="ada").pk, "cycle_start": ""}]))
    assert inline_errors(response)[0]["user"] == [
        "A part of a requirement has no learners of its own: it applies to the learners of its requirement."]
    assert rows()[:2] == before[:2]


# --- assigned learners ---------------------------------------------------------------------------

def fixed_cycle_of_learners(**fields):
    return {"period_kind": "fixed_cycle", "period_length": "3", "applies_to_all": False, **fields}


def test_each_learner_needs_a_cycle_start_when_the_cycle_has_no_shared_start(admin_client, admin_user, cpd):
    ada, grace = UserFactory(username="ada"), UserFactory(username="grace")
    before = rows()
    response = admin_client.post(f"{URL}/add/", requirement_post(
        credit_types=[cpd["type"]], **fixed_cycle_of_learners(),
        new=[{"user": ada.pk, "cycle_start": "2025-03-01"}, {"user": grace.pk, "cycle_start": ""}]))
    assert response.status_code == 200
    errors = inline_errors(response)
    assert errors[0] == {}
    assert errors[1]["cycle_start"] == [
        "This requirement's cycles start at each learner's own date: give this learner's cycle start."]
    assert rows() == before
    response = admin_client.post(f"{URL}/add/", requirement_post(
        credit_types=[cpd["type"]], **fixed_cycle_of_learners(),
        new=[{"user": ada.pk, "cycle_start": "2025-03-01"}, {"user": grace.pk, "cycle_start": "2024-02-29"}]))
    assert response.status_code == 302, text(response)
    row = CreditRequirement.objects.get()
    assert (row.period_kind, row.period_length, row.cycle_start, row.applies_to_all) == ("fixed_cycle", 3, None, False)
    starts = {a.user.username: a.cycle_start for a in row.assignments.all()}
    assert starts == {"ada": datetime.date(2025, 3, 1), "grace": datetime.date(2024, 2, 29)}
    assert {a.history_user for a in RequirementAssignment.history.all()} == {admin_user}
    changelist = text(admin_client.get(f"{URL}/"))
    assert "Fixed cycle: 3 years from each learner's start" in changelist
    assert "2 assigned learners" in changelist


def test_clearing_the_shared_start_needs_the_learners_starts(admin_client, cpd):
    row = make(cpd, **{**fixed_cycle_of_learners(), "cycle_start": "2026-01-01", "period_length": 3})
    assignment = RequirementAssignment.objects.create(requirement=row, user=UserFactory(username="ada"))
    before = rows()
    response = admin_client.post(f"{URL}/{row.pk}/change/", requirement_post(
        credit_types=[cpd["type"]], **fixed_cycle_of_learners(), existing=[assignment_row(assignment)]))
    assert "give this learner's cycle start." in inline_errors(response)[0]["cycle_start"][0]
    row.refresh_from_db()
    assert row.cycle_start == datetime.date(2026, 1, 1)
    assert rows() == before


@pytest.mark.parametrize("on_change_page", [False, True])
def test_the_same_learner_twice_is_a_form_error(admin_client, cpd, on_change_page):
    ada = UserFactory(username="ada")
    fields = {"credit_types": [cpd["type"]], "applies_to_all": False}
    if on_change_page:
        row = make(cpd, applies_to_all=False)
        existing = [assignment_row(RequirementAssignment.objects.create(requirement=row, user=ada))]
        url, new = f"{URL}/{row.pk}/change/", [{"user": ada.pk, "requirement": row.pk}]
    else:
        existing, url, new = [], f"{URL}/add/", [{"user": ada.pk}, {"user": ada.pk}]
    before = rows()
    response = admin_client.post(url, requirement_post(**fields, existing=existing, new=new))
    assert response.status_code == 200
    assert inline_errors(response)[1]["user"] == ["This learner is already assigned to this requirement."]
    assert rows() == before


def test_a_learner_assigned_since_the_page_opened_is_a_form_error(admin_client, cpd):
    row = make(cpd, applies_to_all=False)
    ada = UserFactory(username="ada")
    RequirementAssignment.objects.create(requirement=row, user=ada)  # not on the page that was opened
    before = rows()
    response = admin_client.post(f"{URL}/{row.pk}/change/", requirement_post(
        credit_types=[cpd["type"]], applies_to_all=False, new=[{"user": ada.pk, "requirement": row.pk}]))
    assert inline_errors(response)[0]["user"] == ["This learner is already assigned to this requirement."]
    assert rows() == before


def test_a_learner_is_removed_and_another_assigned_in_one_save(admin_client, admin_user, cpd):
    row = make(cpd, applies_to_all=False)
    ada, grace = UserFactory(username="ada"), UserFactory(username="grace")
    assignment = RequirementAssignment.objects.create(requirement=row, user=ada)
    response = admin_client.post(f"{URL}/{row.pk}/change/", requirement_post(
        credit_types=[cpd["type"]], applies_to_all=False, existing=[assignment_row(assignment, DELETE=True)],
        new=[{"user": grace.pk, "requirement": row.pk}]))
    assert response.status_code == 302, text(response)
    assert [a.user for a in row.assignments.all()] == [grace]
    removed = RequirementAssignment.history.filter(history_type="-").get()
    assert (removed.user_id, removed.history_user) == (ada.pk, admin_user)


# --- pages and who may open them ----------------------------------------------------------------------

def test_the_list_shows_requirements_and_their_parts_on_demand(admin_client, cpd):
    parent = make(cpd, carry_over_max="5")
    make(cpd, name="Ethics", amount="4", parent=parent.pk)
    make(cpd, name="Recent CPD", period_kind="rolling", period_length=12, period_unit="months")
    make(cpd, name="Licence cycle", period_kind="fixed_cycle", period_length=3, cycle_start="2026-01-01")
    response = admin_client.get(f"{URL}/")
    assert response.status_code == 200
    shown = {row.name: row for row in response.context["cl"].result_list}
    assert set(shown) == {"Annual CPD", "Recent CPD", "Licence cycle"}
    assert shown["Annual CPD"].part_count == 1
    page = text(response)
    for expected in ("Each calendar year", "Rolling: 12 months", "Fixed cycle: 3 years from 2026-01-01",
                     "Everyone", "CPD hours"):
        assert expected in page
    with_parts = admin_client.get(f"{URL}/", {"parts": "all"})
    assert {row.name for row in with_parts.context["cl"].result_list} == {
        "Annual CPD", "Ethics", "Recent CPD", "Licence cycle"}
    assert "Ethics (part of Annual CPD)" in text(with_parts)
    only = admin_client.get(f"{URL}/", {"parts": "only"})
    assert [row.name for row in only.context["cl"].result_list] == ["Ethics"]
    searched = admin_client.get(f"{URL}/", {"q": "recent"})
    assert [row.name for row in searched.context["cl"].result_list] == ["Recent CPD"]
    rolling = admin_client.get(f"{URL}/", {"period_kind__exact": "rolling"})
    assert [row.name for row in rolling.context["cl"].result_list] == ["Recent CPD"]


def test_the_pages_answer(admin_client, cpd):
    row = make(cpd)
    for url in (f"{URL}/", f"{URL}/add/", f"{URL}/{row.pk}/change/", f"{URL}/{row.pk}/history/",
                f"{URL}/{row.pk}/delete/"):
        assert admin_client.get(url).status_code == 200, url
    change = admin_client.get(f"{URL}/{row.pk}/change/")
    assert "This requirement has no parts." in text(change)
    assert {"credit_types", "credits"} <= set(change.context["adminform"].model_admin.filter_horizontal)


def test_deleting_a_requirement_takes_its_parts_and_learners(admin_client, cpd):
    parent = make(cpd, applies_to_all=False)
    make(cpd, name="Ethics", amount="4", parent=parent.pk)
    RequirementAssignment.objects.create(requirement=parent, user=UserFactory(username="ada"))
    response = admin_client.post(f"{URL}/{parent.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert rows()[:2] == (0, 0)


def test_only_staff_with_the_permissions_get_in(client, cpd):
    row = make(cpd)
    client.force_login(UserFactory(username="nosy"))  # not staff: sent to sign in
    for url in (f"{URL}/", f"{URL}/{row.pk}/change/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith("/admin/login/")
    before = rows()
    response = client.post(f"{URL}/add/", requirement_post(credit_types=[cpd["type"]]))
    assert response.status_code == 302 and response.url.startswith("/admin/login/")
    assert rows() == before
    clerk = UserFactory(username="clerk", is_staff=True)  # staff without the model's permissions
    client.force_login(clerk)
    assert client.get(f"{URL}/").status_code == 403
    assert client.get(f"{URL}/{row.pk}/change/").status_code == 403
    clerk.user_permissions.add(Permission.objects.get(codename="view_creditrequirement"))
    clerk = type(clerk).objects.get(pk=clerk.pk)  # forget the cached permissions
    client.force_login(clerk)
    assert client.get(f"{URL}/{row.pk}/change/").status_code == 200
    response = client.post(f"{URL}/{row.pk}/change/", requirement_post(amount="30", credit_types=[cpd["type"]]))
    assert response.status_code == 403
    row.refresh_from_db()
    assert row.amount == Decimal("20.00")


def test_the_compliance_report_in_the_admin_pages_filters_and_links_the_csv(admin_client, cpd):
    from credits_plugin.admin import requirements as requirements_admin  # pylint: disable=import-outside-toplevel
    from credits_plugin.models import AwardedCredit  # pylint: disable=import-outside-toplevel

    whole = make(cpd, applies_to_all=False)
    credit = cpd["type"].credits.create(name="General")
    learners = [UserFactory(username=f"cl{n:03d}") for n in range(3)]
    for learner in learners:
        RequirementAssignment.objects.create(requirement=whole, user=learner)
    AwardedCredit.objects.create(
        user=learners[1], course_key="course-v1:O+C+R", credit=credit, amount="25.00", credit_name="General",
        credit_type_name=cpd["type"].name, unit=cpd["type"].unit, source="passing",
        awarded_at=datetime.datetime(2026, 2, 1, 12, tzinfo=datetime.UTC))
    change = admin_client.get(f"{URL}/{whole.pk}/change/").content.decode()
    url = f"{URL}/{whole.pk}/compliance/"
    assert url in change
    page = admin_client.get(url, {"as_of": "2026-06-30"})
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count("credits-compliance-behind") == 2 and html.count("credits-compliance-met") == 1
    assert "format=csv" in html and "as_of=2026-06-30" in html
    behind = admin_client.get(url, {"as_of": "2026-06-30", "status": "behind"}).content.decode()
    assert "cl001" not in behind and "cl000" in behind and "cl002" in behind
    original = requirements_admin.COMPLIANCE_PAGE
    requirements_admin.COMPLIANCE_PAGE = 2
    try:
        first = admin_client.get(url, {"as_of": "2026-06-30"}).content.decode()
        assert "cl002" not in first and f"after={learners[1].pk}" in first
        second = admin_client.get(url, {"as_of": "2026-06-30", "after": learners[1].pk}).content.decode()
        assert "cl002" in second and "cl000" not in second
    finally:
        requirements_admin.COMPLIANCE_PAGE = original
    bad = admin_client.get(url, {"as_of": "June"})
    assert bad.status_code == 302
    assert admin_client.get(f"{URL}/999999/compliance/").status_code == 404


def test_reminder_days_are_set_in_the_admin_and_checked_by_the_service(admin_client, cpd):
    response = admin_client.post(f"{URL}/add/", requirement_post(credit_types=[cpd["type"]], reminder_days="14,60"))
    assert response.status_code == 302, text(response)
    assert CreditRequirement.objects.get().reminder_days == "60, 14"
    before = rows()
    response = admin_client.post(f"{URL}/add/", requirement_post(credit_types=[cpd["type"]], reminder_days="soon"))
    assert "Give whole numbers of days" in form_errors(response)["reminder_days"][0]
    assert rows() == before
