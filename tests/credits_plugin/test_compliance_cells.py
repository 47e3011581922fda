"""
The compliance report's CSV (``iter_compliance_lines``, a hand-written query, sums in cents and
lines written by hand) writes exactly what the report's own reading (``iter_compliance``) says
through csv.writer, learner by learner, for every kind of requirement: calendar years, shared and
own fixed cycles, rolling windows, carry-over, parts, credits earned elsewhere, revoked awards,
inactive learners, status filters, and usernames a spreadsheet or a CSV reader could misread.
"""
import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from credits_plugin import api
from credits_plugin.csv_text import guarded, writer
from credits_plugin.models import AwardedCredit, ExternalCredit, RequirementAssignment
from credits_plugin.services import requirements
from credits_plugin.services.requirements import _cents_text, compliance_cells
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 6, 15)


def at(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


@pytest.fixture
def world():
    cpd = api.create_credit_type(name="CPD", unit="hours")
    other_unit = api.create_credit_type(name="CEU", unit="CEU")
    general = api.create_credit(credit_type_id=cpd.id, name="General")
    ethics = api.create_credit(credit_type_id=cpd.id, name="Ethics")
    ceu = api.create_credit(credit_type_id=other_unit.id, name="CEU credit")
    learners = [UserFactory(username=f"l{i:02d}") for i in range(14)]
    learners[13].is_active = False
    learners[13].save()

    def award(user, credit, amount, day, status="awarded", course="course-v1:X+Y+1"):
        return AwardedCredit.objects.create(
            user=user, course_key=course, credit_id=credit.id, amount=Decimal(amount), credit_name=credit.name,
            credit_type_name="CPD", unit="CEU" if credit is ceu else "hours", source="passing", status=status,
            awarded_at=at(day))

    for index, user in enumerate(learners):
        course = f"course-v1:X+C{index}+1"
        award(user, general, f"{index * 1.1:.2f}", datetime.date(2026, 3, 1), course=course + "a")
        award(user, ethics, f"{(index % 5) * 0.7:.2f}", datetime.date(2026, 5, 1), course=course + "b")
        award(user, general, f"{15 + index % 9}.33", datetime.date(2025, 7, 1), course=course + "c")  # last year
        award(user, general, "0.10", datetime.date(2024, 7, 1), course=course + "d")  # two years ago
        award(user, ceu, "50", datetime.date(2026, 2, 1), course=course + "e")  # another unit: never counts
        if index % 4 == 0:
            award(user, ethics, "9", datetime.date(2026, 4, 1), status="revoked", course=course + "f")
        if index % 3 == 0:  # earned elsewhere, under the type
            external = AwardedCredit.objects.create(
                user=user, course_key=None, credit=None, amount=Decimal("1.25"), credit_name="Conference",
                credit_type_name="CPD", unit="hours", source="external", awarded_at=at(datetime.date(2026, 1, 20)))
            ExternalCredit.objects.create(user=user, title="Conference", provider="Elsewhere", credit_type_id=cpd.id,
                                          amount=Decimal("1.25"), earned_on=datetime.date(2026, 1, 20),
                                          status="approved", award=external)
        if index == 5:
            award(user, general, "2.00", TODAY + datetime.timedelta(days=3), course=course + "g")  # after as_of
    return {"cpd": cpd, "general": general, "ethics": ethics, "learners": learners}


def both(requirement_id, **kwargs):
    """The report's rows through csv.writer (the username guarded), and the lines the CSV writes."""
    writerow = writer().writerow
    slow = [writerow([guarded(cells[0]), *cells[1:]]) for cells in (
        compliance_cells(row) for row in api.iter_compliance(requirement_id, as_of=TODAY, **kwargs))]
    header, *fast = api.iter_compliance_lines(requirement_id, as_of=TODAY, chunk_size=4, **kwargs)
    assert header.startswith("username,cycle_start,period_start,period_end,required,earned,carried_over,"
                             "remaining,met")
    return slow, fast


def assign(requirement, learners, starts=None):
    starts = starts or {}
    RequirementAssignment.objects.bulk_create([
        RequirementAssignment(requirement_id=requirement.id, user=user, cycle_start=starts.get(user.username))
        for user in learners])


@pytest.mark.parametrize("kind, extra", [
    ("calendar_year", {"carry_over_max": "5"}),
    ("calendar_year", {}),
    ("fixed_cycle", {"period_length": 2, "period_unit": "years", "cycle_start": datetime.date(2025, 3, 1),
                     "carry_over_max": "30"}),
    ("rolling", {"period_length": 9, "period_unit": "months"}),
])
@pytest.mark.parametrize("status", [None, "met", "behind"])
def test_the_csv_rows_are_the_report_s_rows(world, kind, extra, status):
    requirement = api.create_requirement(name="CPD", amount="8.50", credit_types=[world["cpd"].id],
                                         period_kind=kind, applies_to_all=False, **extra)
    api.create_requirement(name="Ethics part", amount="1.40", credits=[world["ethics"].id], parent=requirement.id)
    learners = world["learners"]
    assign(requirement, learners[:12] + [learners[13]], starts={"l03": datetime.date(2024, 9, 1),
                                                                 "l07": datetime.date(2025, 12, 1)})
    slow, fast = both(requirement.id, status=status)
    assert fast == slow
    assert status or len(slow) == 12  # the inactive learner and the one never assigned are left out


def test_a_requirement_for_everyone_and_one_of_credits_without_parts(world):
    everyone = api.create_requirement(name="All", amount="3", credits=[world["general"].id], applies_to_all=True)
    assign(everyone, world["learners"][2:4], starts={"l02": datetime.date(2025, 1, 1)})
    slow, fast = both(everyone.id)
    assert fast == slow and len(slow) >= 13


def test_a_fixed_cycle_counted_from_each_learner_s_own_start(world):
    own = api.create_requirement(name="Own cycle", amount="4", credit_types=[world["cpd"].id],
                                 period_kind="fixed_cycle", period_length=1, period_unit="years", cycle_start=None,
                                 carry_over_max="2", applies_to_all=False)
    learners = world["learners"]
    assign(own, learners[:6], starts={user.username: datetime.date(2025, 1 + i, 10) for i, user in enumerate(
        learners[:5])})  # l05 has no start: nothing to count from, not in the report
    slow, fast = both(own.id)
    assert fast == slow and len(slow) == 5


def test_the_csv_is_made_in_one_query_a_chunk_for_learners_on_shared_periods(world, django_assert_max_num_queries):
    requirement = api.create_requirement(name="CPD", amount="8.50", credit_types=[world["cpd"].id],
                                         applies_to_all=False)
    assign(requirement, world["learners"])
    rows = api.iter_compliance_lines(requirement.id, as_of=TODAY, chunk_size=5)
    with django_assert_max_num_queries(3 + 1):  # 14 learners, 5 a chunk: 3 chunks (+ the last's empty check)
        assert len(list(rows)) == 1 + 13


def test_a_bad_status_is_refused_before_anything_is_read(world):
    requirement = api.create_requirement(name="CPD", amount="1", credit_types=[world["cpd"].id])
    with pytest.raises(api.CreditsValidationError):
        api.iter_compliance_lines(requirement.id, status="late")


ODD_NAMES = {  # username: how the line must start (written out here, not by the module under test)
    "=1+2": "'=1+2,", "-minus": "'-minus,", "@at": "'@at,", "+plus": "'+plus,", 'say "hi"': '"say ""hi""",',
    "a,b": '"a,b",', "tab\tname": "tab\tname,", "line\nbreak": '"line\nbreak",', "\tlead": "'\tlead,",
    "\rcr": '"\'\rcr",', "cr\rin": '"cr\rin",', "plain": "plain,",
}


def test_usernames_are_written_as_csv_writer_writes_them_and_cannot_start_a_formula(world):
    requirement = api.create_requirement(name="CPD", amount="8.50", credit_types=[world["cpd"].id],
                                         applies_to_all=False)
    odd = [UserFactory(username=name) for name in ODD_NAMES]
    own = api.create_requirement(name="Own", amount="1", credit_types=[world["cpd"].id], period_kind="fixed_cycle",
                                 period_length=1, period_unit="years", cycle_start=None, applies_to_all=False)
    assign(requirement, odd)  # the requirement's own periods: the lines written from the sums
    assign(own, odd, starts={user.username: datetime.date(2026, 1, 1) for user in odd})  # each learner's cycle
    for target in (requirement, own):
        slow, fast = both(target.id)
        assert fast == slow and len(fast) == len(odd)
        starts = list(ODD_NAMES.values())
        assert [line[:len(start)] for line, start in zip(fast, starts, strict=True)] == starts


def test_amounts_in_whole_cents_are_written_as_the_report_writes_amounts():
    for cents in (*range(-1050, 1050, 7), 0, -5, -100, 123456789, -123456789):
        assert _cents_text(cents) == f"{Decimal(cents) / 100:.2f}"


def test_the_kept_text_emptied_when_full_changes_no_line(world, monkeypatch):
    monkeypatch.setattr(requirements, "_KEEP", 2)
    requirement = api.create_requirement(name="CPD", amount="8.50", credit_types=[world["cpd"].id],
                                         carry_over_max="5", applies_to_all=False)
    api.create_requirement(name="Ethics part", amount="1.40", credits=[world["ethics"].id], parent=requirement.id)
    assign(requirement, world["learners"])
    slow, fast = both(requirement.id)
    assert fast == slow and len(fast) == 13


@pytest.mark.parametrize("status", [None, "met", "behind"])
def test_learners_who_share_only_some_of_their_sums_get_their_own_line(world, status):
    """A line is kept per (now, carried over, parts): equal totals with another split or carry differ."""
    requirement = api.create_requirement(name="CPD", amount="8.50", credit_types=[world["cpd"].id],
                                         carry_over_max="5", applies_to_all=False)
    api.create_requirement(name="Ethics part", amount="1.40", credits=[world["ethics"].id], parent=requirement.id)
    sums = {"a": ("5", "2", "10"), "b": ("6", "1", "10"), "c": ("5", "2", "20"), "d": ("5", "2", "10")}
    learners = []
    for name, (general, ethics, last_year) in sums.items():
        user = UserFactory(username=f"share_{name}")
        learners.append(user)
        for index, (credit, amount, day) in enumerate(((world["general"], general, datetime.date(2026, 3, 1)),
                                                       (world["ethics"], ethics, datetime.date(2026, 3, 2)),
                                                       (world["general"], last_year, datetime.date(2025, 3, 1)))):
            AwardedCredit.objects.create(
                user=user, course_key=f"course-v1:S+{name}{index}+1", credit_id=credit.id, amount=Decimal(amount),
                credit_name=credit.name, credit_type_name="CPD", unit="hours", source="passing", awarded_at=at(day))
    assign(requirement, learners)
    slow, fast = both(requirement.id, status=status)
    assert fast == slow
    lines = {"a": ["1.50", "0.00", "true"], "b": ["1.50", "0.00", "false"], "c": ["5.00", "0.00", "true"],
             "d": ["1.50", "0.00", "true"]}  # d shares all of a's sums: a's kept line (or a's "" when left out)
    assert [line.split(",")[6:9] for line in fast] == [
        cells for cells in lines.values() if status is None or (cells[2] == "true") == (status == "met")]


def test_learners_on_their_own_cycle_cost_one_more_query_a_chunk(world, django_assert_num_queries):
    own = api.create_requirement(name="Own cycle", amount="4", credit_types=[world["cpd"].id],
                                 period_kind="fixed_cycle", period_length=1, period_unit="years", cycle_start=None,
                                 applies_to_all=False)
    learners = world["learners"][:8]
    assign(own, learners, starts={user.username: datetime.date(2025, 6, 1) for user in learners})
    lines = api.iter_compliance_lines(own.id, as_of=TODAY, chunk_size=5)
    with django_assert_num_queries(2 * 2):  # 8 learners, 5 a chunk: 2 chunks, each read, then its learners' awards
        assert len(list(lines)) == 1 + 8


def test_the_header_names_each_part_and_a_part_s_name_cannot_start_a_formula(world):
    requirement = api.create_requirement(name="CPD", amount="8.50", credit_types=[world["cpd"].id],
                                         applies_to_all=False)
    api.create_requirement(name="Ethics, 2026", amount="1", credits=[world["ethics"].id], parent=requirement.id)
    api.create_requirement(name="=HYPERLINK(1)", amount="1", credits=[world["general"].id], parent=requirement.id)
    header, *lines = api.iter_compliance_lines(requirement.id, as_of=TODAY)
    assert lines == []
    assert header == ("username,cycle_start,period_start,period_end,required,earned,carried_over,remaining,met,"
                      '"Ethics, 2026: earned",\'=HYPERLINK(1): earned\r\n')
