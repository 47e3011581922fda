"""Continuing-education requirements: periods, carry-over, parts, who they apply to, and bad definitions."""
import datetime
import itertools
from decimal import Decimal

import attr
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from credits_plugin import api
from credits_plugin.exceptions import CreditsValidationError
from credits_plugin.models import AwardedCredit, CreditRequirement, RequirementAssignment
from credits_plugin.services.periods import Periods, add_months
from tests.factories import CreditFactory, CreditTypeFactory, UserFactory

pytestmark = pytest.mark.django_db
D = datetime.date
COURSES = (f"course-v1:Org+C{n}+Run" for n in itertools.count())


@pytest.fixture
def cpd():
    """A body's type ("CPD hours") with an ethics credit and a general one, and an unrelated type in hours."""
    cpd_type = CreditTypeFactory(name="CPA Ontario", unit="CPD hours")
    return {
        "type": cpd_type,
        "ethics": CreditFactory(credit_type=cpd_type, name="Ethics"),
        "general": CreditFactory(credit_type=cpd_type, name="General"),
        "other": CreditFactory(credit_type=CreditTypeFactory(name="Management", unit="hours"), name="Leadership"),
    }


def award(user, credit, amount, when, *, status="awarded"):
    """An award made at ``when`` (an aware datetime, or a date at noon in the site's time zone)."""
    if not isinstance(when, datetime.datetime):
        when = timezone.make_aware(datetime.datetime.combine(when, datetime.time(12)))
    return AwardedCredit.objects.create(
        user=user, course_key=next(COURSES), credit=credit, amount=Decimal(amount), credit_name=credit.name,
        credit_type_name=credit.credit_type.name, unit=credit.credit_type.unit, source="passing", status=status,
        awarded_at=when)


def requirement(cpd, **fields):
    data = {"name": "Annual CPD", "amount": "20", "credit_types": [cpd["type"].pk]}
    data.update(fields)
    return api.create_requirement(**data)


def progress(user, as_of):
    return {p.name: p for p in api.get_learner_requirements(user, as_of=as_of)}


# --- periods, as pure date arithmetic -------------------------------------------------------------

def test_months_are_added_from_the_day_without_drifting_past_a_february_29():
    assert add_months(D(2024, 2, 29), 12) == D(2025, 2, 28)
    assert add_months(D(2024, 2, 29), 48) == D(2028, 2, 29)  # counted from the anchor: back on the 29th
    assert add_months(D(2026, 1, 31), 1) == D(2026, 2, 28)
    assert add_months(D(2026, 3, 31), -1) == D(2026, 2, 28)
    assert add_months(D(2026, 12, 15), 1) == D(2027, 1, 15)


def test_fixed_cycles_from_a_february_29_licence_date():
    periods = Periods("fixed_cycle", 12, D(2024, 2, 29))
    assert periods.bounds(0) == (D(2024, 2, 29), D(2025, 2, 27))
    assert periods.bounds(1) == (D(2025, 2, 28), D(2026, 2, 27))
    assert periods.bounds(4) == (D(2028, 2, 29), D(2029, 2, 27))
    assert periods.index_of(D(2025, 2, 27)) == 0 and periods.index_of(D(2025, 2, 28)) == 1
    assert periods.index_of(D(2024, 2, 28)) == -1  # before the licence: no cycle
    assert periods.current(D(2020, 1, 1)) == 0  # a cycle not started yet is its first


def test_a_rolling_window_ends_today():
    periods = Periods("rolling", 12)
    assert periods.bounds(0, D(2026, 12, 4)) == (D(2025, 12, 5), D(2026, 12, 4))
    assert periods.bounds(0, D(2024, 2, 29)) == (D(2023, 3, 1), D(2024, 2, 29))


# --- progress ---------------------------------------------------------------------------------------

def test_a_calendar_year_ends_at_midnight_in_the_sites_time_zone(settings, cpd):
    settings.TIME_ZONE = "America/Toronto"
    learner = UserFactory()
    requirement(cpd)
    utc = datetime.UTC
    # 2026-01-01 03:30 UTC is still December 31 in Toronto: it counts in 2025.
    award(learner, cpd["ethics"], "5", datetime.datetime(2026, 1, 1, 3, 30, tzinfo=utc))
    award(learner, cpd["general"], "7", datetime.datetime(2026, 1, 1, 5, 30, tzinfo=utc))  # 00:30 January 1
    annual = progress(learner, D(2026, 6, 1))["Annual CPD"]
    assert (annual.period_start, annual.period_end, annual.earned) == (D(2026, 1, 1), D(2026, 12, 31), Decimal("7"))
    (last_year,) = annual.past_periods
    assert (last_year.period_start, last_year.earned, last_year.met) == (D(2025, 1, 1), Decimal("5"), False)


def test_cycle_boundaries_across_a_daylight_saving_change(settings, cpd):
    """Cycles start on March 8 in Toronto; clocks go forward at 02:00 on March 8, 2026."""
    settings.TIME_ZONE = "America/Toronto"
    learner = UserFactory()
    requirement(cpd, name="Cycle", period_kind="fixed_cycle", period_length=12, period_unit="months",
                cycle_start="2025-03-08")
    utc = datetime.UTC
    award(learner, cpd["ethics"], "3", datetime.datetime(2026, 3, 8, 4, 59, tzinfo=utc))  # 23:59 March 7 (EST)
    award(learner, cpd["general"], "4", datetime.datetime(2026, 3, 8, 5, 0, tzinfo=utc))  # 00:00 March 8 (EST)
    award(learner, cpd["general"], "1", datetime.datetime(2026, 11, 1, 5, 30, tzinfo=utc))  # 01:30 EDT, Nov 1
    cycle = progress(learner, D(2026, 11, 1))["Cycle"]
    assert (cycle.period_start, cycle.period_end) == (D(2026, 3, 8), D(2027, 3, 7))
    assert cycle.earned == Decimal("5")
    assert [(p.period_start, p.period_end, p.earned) for p in cycle.past_periods] == [
        (D(2025, 3, 8), D(2026, 3, 7), Decimal("3"))]


def test_carry_over_across_three_periods_is_capped_and_does_not_compound(cpd):
    learner = UserFactory()
    requirement(cpd, carry_over_max="5")
    award(learner, cpd["general"], "30", D(2024, 5, 1))  # 10 above: 5 carried into 2025
    award(learner, cpd["general"], "16", D(2025, 5, 1))  # 16 + 5 = 21: met, but 2025's own 16 carries nothing
    award(learner, cpd["general"], "12", D(2026, 5, 1))
    annual = progress(learner, D(2026, 12, 31))["Annual CPD"]
    assert (annual.earned, annual.carried_over, annual.remaining, annual.met) == (
        Decimal("12"), Decimal("0"), Decimal("8"), False)
    assert [(p.period_start.year, p.earned, p.carried_over, p.met) for p in annual.past_periods] == [
        (2025, Decimal("16"), Decimal("5"), True), (2024, Decimal("30"), Decimal("0"), True)]
    in_2025 = progress(learner, D(2025, 12, 31))["Annual CPD"]
    assert (in_2025.carried_over, in_2025.remaining, in_2025.met) == (Decimal("5"), Decimal("0"), True)


def test_a_part_must_be_met_too_and_counts_toward_the_whole(cpd):
    learner = UserFactory()
    whole = requirement(cpd)
    api.create_requirement(name="Ethics", amount="4", credits=[cpd["ethics"].pk], parent=whole.id)
    award(learner, cpd["general"], "18", D(2026, 2, 1))
    award(learner, cpd["ethics"], "3", D(2026, 3, 1))
    award(learner, cpd["other"], "40", D(2026, 3, 1))  # another type, another unit: never counts
    annual = progress(learner, D(2026, 6, 1))["Annual CPD"]
    (ethics,) = annual.sub_requirements
    assert (annual.earned, annual.remaining) == (Decimal("21"), Decimal("0"))
    assert (ethics.earned, ethics.remaining, ethics.met) == (Decimal("3"), Decimal("1"), False)
    assert annual.met is False  # 21 of 20, but only 3 of the 4 in ethics
    award(learner, cpd["ethics"], "1", D(2026, 4, 1))
    assert progress(learner, D(2026, 6, 1))["Annual CPD"].met is True


def test_a_revoked_award_stops_counting_and_later_awards_do_not_count_as_of_a_day(cpd):
    learner = UserFactory()
    requirement(cpd, name="Rolling", period_kind="rolling", period_length=12, period_unit="months")
    award(learner, cpd["general"], "6", D(2025, 12, 4))  # the day before the window
    award(learner, cpd["general"], "5", D(2025, 12, 5))
    award(learner, cpd["general"], "9", D(2026, 6, 1), status="revoked")
    award(learner, cpd["general"], "2", D(2026, 12, 5))  # after the day asked about
    rolling = progress(learner, D(2026, 12, 4))["Rolling"]
    assert (rolling.period_start, rolling.earned, rolling.past_periods) == (D(2025, 12, 5), Decimal("5"), ())


def test_an_assigned_requirement_applies_to_its_learners_from_their_own_cycle_start(cpd):
    licensed, other = UserFactory(), UserFactory()
    cycle = requirement(cpd, name="Licence cycle", period_kind="fixed_cycle", period_length=3, period_unit="years",
                        applies_to_all=False, amount="120")
    RequirementAssignment.objects.create(requirement_id=cycle.id, user=licensed, cycle_start=D(2025, 9, 15))
    award(licensed, cpd["general"], "40", D(2026, 1, 10))
    mine = progress(licensed, D(2026, 12, 4))["Licence cycle"]
    assert (mine.period_start, mine.period_end, mine.earned, mine.remaining) == (
        D(2025, 9, 15), D(2028, 9, 14), Decimal("40"), Decimal("80"))
    assert progress(other, D(2026, 12, 4)) == {}


def test_an_inactive_requirement_is_not_shown_and_a_changed_one_applies_at_once(cpd):
    learner = UserFactory()
    annual = requirement(cpd)
    award(learner, cpd["general"], "15", D(2026, 2, 1))
    assert progress(learner, D(2026, 6, 1))["Annual CPD"].met is False
    api.update_requirement(annual.id, amount="15")
    assert progress(learner, D(2026, 6, 1))["Annual CPD"].met is True
    api.update_requirement(annual.id, active=False)
    assert progress(learner, D(2026, 6, 1)) == {}


def test_progress_on_every_requirement_takes_two_queries(cpd):
    learner = UserFactory()
    whole = requirement(cpd, carry_over_max="5")
    api.create_requirement(name="Ethics", amount="4", credits=[cpd["ethics"].pk], parent=whole.id)
    for n in range(6):
        requirement(cpd, name=f"Cycle {n}", period_kind="fixed_cycle", period_length=n + 1, period_unit="years",
                    cycle_start="2020-01-01", credits=[cpd["ethics"].pk, cpd["general"].pk])
    for year in range(2018, 2027):
        award(learner, cpd["general"], "8", D(year, 3, 1))
        award(learner, cpd["ethics"], "2", D(year, 4, 1))
    with CaptureQueriesContext(connection) as queries:
        found = api.get_learner_requirements(learner, as_of=D(2026, 12, 4))
    assert len(queries) == 2
    assert len(found) == 7 and len(found[0].past_periods) == 8  # 2018 to 2025


# --- bad definitions ------------------------------------------------------------------------------

@pytest.mark.parametrize("changes, field", [
    ({"amount": "0"}, "amount"),
    ({"amount": "-5"}, "amount"),
    ({"period_kind": "fixed_cycle", "period_length": 0, "period_unit": "months", "cycle_start": "2026-01-01"},
     "period_length"),
    ({"period_kind": "rolling"}, "period_length"),
    ({"period_kind": "rolling", "period_length": 11, "period_unit": "years"}, "period_length"),
    ({"period_kind": "weekly"}, "period_kind"),
    ({"period_kind": "fixed_cycle", "period_length": 3}, "cycle_start"),  # everyone, but from whose date?
    ({"period_kind": "rolling", "period_length": 12, "period_unit": "months", "carry_over_max": "5"},
     "carry_over_max"),
    ({"carry_over_max": "-1"}, "carry_over_max"),
    ({"credit_types": [999999]}, "credit_types"),
    ({"credit_types": [], "credits": [999999]}, "credits"),
    ({"credit_types": []}, "credit_types"),
    ({"name": ""}, "name"),
    ({"cycle_start": "2026-13-01"}, "cycle_start"),
    ({"colour": "blue"}, "colour"),
])
def test_a_bad_definition_is_refused_with_its_field_and_writes_nothing(cpd, changes, field):
    with pytest.raises(CreditsValidationError) as raised:
        requirement(cpd, **changes)
    assert field in raised.value.field_errors
    assert not CreditRequirement.objects.exists()


def test_what_counts_shares_one_unit(cpd):
    with pytest.raises(CreditsValidationError) as raised:
        requirement(cpd, credits=[cpd["other"].pk])
    assert "CPD hours, hours" in raised.value.field_errors["credit_types"][0]


def test_a_part_cannot_be_larger_than_its_requirement_nor_have_parts(cpd):
    whole = requirement(cpd)
    with pytest.raises(CreditsValidationError) as raised:
        api.create_requirement(name="Ethics", amount="25", credits=[cpd["ethics"].pk], parent=whole.id)
    assert "amount" in raised.value.field_errors
    part = api.create_requirement(name="Ethics", amount="4", credits=[cpd["ethics"].pk], parent=whole.id)
    with pytest.raises(CreditsValidationError) as raised:
        api.create_requirement(name="Deeper", amount="1", credits=[cpd["ethics"].pk], parent=part.id)
    assert "parent" in raised.value.field_errors
    with pytest.raises(CreditsValidationError) as raised:  # the whole cannot shrink below a part
        api.update_requirement(whole.id, amount="3")
    assert "amount" in raised.value.field_errors
    assert CreditRequirement.objects.get(pk=whole.id).amount == Decimal("20.00")
    assert CreditRequirement.objects.count() == 2


def test_a_change_cannot_leave_assigned_learners_without_a_cycle_start_or_make_them_a_parts(cpd):
    learner = UserFactory()
    cycle = requirement(cpd, name="Cycle", period_kind="fixed_cycle", period_length=3, cycle_start="2025-01-01",
                        applies_to_all=False)
    api.assign_learners(cycle.id, [{"learner": learner.username}])
    with pytest.raises(CreditsValidationError) as raised:
        api.update_requirement(cycle.id, cycle_start=None)
    assert "1 assigned learner(s)" in raised.value.field_errors["cycle_start"][0]
    whole = requirement(cpd)
    with pytest.raises(CreditsValidationError) as raised:
        api.update_requirement(cycle.id, parent=whole.id, period_kind="calendar_year", period_length=None,
                               cycle_start=None, amount="5")
    assert "parent" in raised.value.field_errors
    assert api.get_requirement(cycle.id).cycle_start == D(2025, 1, 1)


def test_deleting_a_requirement_deletes_its_parts_and_assignments_and_says_who(cpd):
    staff, learner = UserFactory(is_staff=True), UserFactory()
    whole = requirement(cpd, applies_to_all=False)
    api.create_requirement(name="Ethics", amount="4", credits=[cpd["ethics"].pk], parent=whole.id)
    api.assign_learners(whole.id, [{"learner": learner.username}])
    api.delete_requirement(whole.id, user=staff)
    assert not CreditRequirement.objects.exists() and not RequirementAssignment.objects.exists()
    deleted = CreditRequirement.history.filter(history_type="-")
    assert deleted.count() == 2 and {entry.history_user for entry in deleted} == {staff}
    assert RequirementAssignment.history.get(history_type="-").history_user == staff


def test_the_compliance_report_reads_two_queries_a_batch_of_learners(cpd):
    whole = requirement(cpd, carry_over_max="5")
    api.create_requirement(name="Ethics", amount="4", credits=[cpd["ethics"].pk], parent=whole.id)
    learners = [UserFactory() for _ in range(7)]
    for number, learner in enumerate(learners):
        award(learner, cpd["general"], str(18 + number), D(2025, 6, 1))
        award(learner, cpd["ethics"], "2", D(2026, 6, 1))

    def read(batch_size):
        with CaptureQueriesContext(connection) as queries:
            rows = list(api.iter_compliance(whole.id, as_of=D(2026, 12, 4), batch_size=batch_size))
        return rows, len(queries)

    rows, one_batch = read(1000)
    assert [row.progress.carried_over for row in rows] == [Decimal(n) for n in (0, 0, 0, 1, 2, 3, 4)]
    rows, three_batches = read(3)
    assert len(rows) == 7 and three_batches == one_batch + 2 * 2  # two more batches, two queries each
    assert all(row.progress.past_periods == () for row in rows)  # the current period only


@pytest.mark.parametrize("kind", ["calendar_year", "shared_cycle", "own_cycle", "rolling"])
def test_the_compliance_report_agrees_with_each_learners_own_progress(settings, cpd, kind):
    """The report adds up in the database (or per learner); the learner's page in Python: the same answers."""
    import random  # pylint: disable=import-outside-toplevel

    settings.TIME_ZONE = "America/Toronto"
    fields = {
        "calendar_year": {"carry_over_max": "5"},
        "shared_cycle": {"period_kind": "fixed_cycle", "period_length": 18, "period_unit": "months",
                         "cycle_start": "2024-02-29", "carry_over_max": "3"},
        "own_cycle": {"period_kind": "fixed_cycle", "period_length": 2, "period_unit": "years",
                      "applies_to_all": False, "carry_over_max": "4"},
        "rolling": {"period_kind": "rolling", "period_length": 9, "period_unit": "months"},
    }[kind]
    whole = requirement(cpd, amount="12", applies_to_all=fields.pop("applies_to_all", True), **fields)
    api.create_requirement(name="Ethics", amount="2", credits=[cpd["ethics"].pk], parent=whole.id)
    chance = random.Random(kind)
    learners = [UserFactory() for _ in range(12)]
    credits = [cpd["ethics"], cpd["general"], cpd["other"]]
    for learner in learners:
        if kind == "own_cycle":
            start = D(2023, 1, 1) + datetime.timedelta(days=chance.randrange(900))
            RequirementAssignment.objects.create(requirement_id=whole.id, user=learner, cycle_start=start)
        for _ in range(chance.randrange(14)):
            when = timezone.make_aware(datetime.datetime(2024, 1, 1) + datetime.timedelta(
                hours=chance.randrange(3 * 365 * 24)))
            award(learner, chance.choice(credits), str(chance.randrange(1, 15)), when,
                  status=chance.choice(["awarded", "awarded", "awarded", "revoked"]))
    as_of = D(2026, 3, 8)
    for learner in learners:  # on both sides of the current period's first midnight (local time)
        (own,) = api.get_learner_requirements(learner, as_of=as_of) or [None]
        if own is not None:
            first = datetime.datetime.combine(own.period_start, datetime.time(0, 30))
            award(learner, cpd["ethics"], "2", timezone.make_aware(first))
            award(learner, cpd["general"], "3", timezone.make_aware(first - datetime.timedelta(hours=1)))
    report = {row.user_id: row.progress for row in api.iter_compliance(whole.id, as_of=as_of, batch_size=5)}
    assert set(report) >= {learner.pk for learner in learners}
    for learner in learners:
        (own,) = [p for p in api.get_learner_requirements(learner, as_of=as_of) if p.id == whole.id]
        assert report[learner.pk] == attr.evolve(own, past_periods=()), learner.pk
    mine = [report[learner.pk] for learner in learners]
    assert {p.met for p in mine} == {True, False}  # the data has learners on both sides
    assert any(p.carried_over for p in mine) == (kind != "rolling")
