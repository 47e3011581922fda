"""A learner's summary and a course's awards report."""
import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from opaque_keys.edx.keys import CourseKey

from credits_plugin import api
from credits_plugin.exceptions import CreditsNotFound, CreditsValidationError
from credits_plugin.models import AwardedCredit
from tests.factories import (
    COURSE_ID,
    CourseCreditFactory,
    CreditFactory,
    CreditTypeFactory,
    StandaloneCourseFactory,
    UserFactory,
    lapse_change_marks,
)

pytestmark = pytest.mark.django_db
OTHER_COURSE = "course-v1:TestX+Other+2026"


@pytest.fixture
def two_courses(course_key):
    StandaloneCourseFactory(course_key=CourseKey.from_string(OTHER_COURSE), display_name="Other course")
    cpa = CreditTypeFactory(name="CPA", unit="CPD hours")
    management = CreditTypeFactory(name="Management", unit="hours")
    ethics = CreditFactory(credit_type=cpa, name="Ethics")
    leading = CreditFactory(credit_type=management, name="Leading")
    CourseCreditFactory(credit=ethics, amount=Decimal("2.50"))
    CourseCreditFactory(credit=leading, amount=Decimal("1.25"))
    CourseCreditFactory(course_key=CourseKey.from_string(OTHER_COURSE), credit=ethics, amount=Decimal("5.00"))
    return ethics, leading


def test_summary_totals_per_type_and_credit(learner, staff_user, two_courses):
    api.award_course_credits(learner, COURSE_ID)
    other = api.award_course_credits(learner, OTHER_COURSE).created[0]
    summary = api.get_learner_summary(learner)
    assert [(t.credit_type, t.unit, t.amount) for t in summary.totals] == [
        ("CPA", "CPD hours", Decimal("7.50")), ("Management", "hours", Decimal("1.25"))]
    assert [(t.credit_name, t.amount) for t in summary.credit_totals] == [
        ("Ethics", Decimal("7.50")), ("Leading", Decimal("1.25"))]
    assert {a.course_name for a in summary.awards} == {"Credits 101", "Other course"}

    api.revoke_award(other.uuid, acting_user=staff_user, reason="Mistake")
    summary = api.get_learner_summary(learner.username)
    assert summary.totals[0].amount == Decimal("2.50")  # revoked awards do not count...
    assert len(summary.awards) == 3  # ...but stay listed, with their status
    assert {a.status for a in summary.awards} == {"awarded", "revoked"}


def test_summary_keeps_units_apart_when_a_type_changes_unit(learner, two_courses):
    api.award_course_credits(learner, COURSE_ID)
    ethics = two_courses[0]
    api.update_credit_type(ethics.credit_type_id, unit="CEU")
    api.award_course_credits(learner, OTHER_COURSE)
    totals = {(t.credit_type, t.unit): t.amount for t in api.get_learner_summary(learner).totals}
    assert totals[("CPA", "CPD hours")] == Decimal("2.50")
    assert totals[("CPA", "CEU")] == Decimal("5.00")


def test_summary_date_range(learner, two_courses):
    api.award_course_credits(learner, COURSE_ID)
    api.award_course_credits(learner, OTHER_COURSE)
    old = timezone.now() - datetime.timedelta(days=400)
    AwardedCredit.objects.filter(course_key=CourseKey.from_string(OTHER_COURSE)).update(awarded_at=old)
    today = timezone.now().date()
    recent = api.get_learner_summary(learner, start=today - datetime.timedelta(days=30), end=today.isoformat())
    assert {str(a.course_key) for a in recent.awards} == {COURSE_ID}
    assert api.get_learner_summary(learner, end=old.date()).awards[0].course_name == "Other course"
    with pytest.raises(CreditsValidationError):
        api.get_learner_summary(learner, start="2026-13-01")
    with pytest.raises(CreditsValidationError):
        api.get_learner_summary(learner, start="2026-02-01", end="2026-01-01")


def test_summary_of_unknown_learner():
    with pytest.raises(CreditsNotFound):
        api.get_learner_summary("ghost")


def test_summary_costs_two_queries_whatever_the_awards(learner, two_courses, django_assert_num_queries):
    """With awards: their rows and course names (+1 while the credit directory is cold); totals only: one."""
    api.award_course_credits(learner, COURSE_ID)
    lapse_change_marks()
    with django_assert_num_queries(3):
        assert len(api.get_learner_summary(learner).awards) == 2
    with django_assert_num_queries(2):
        assert len(api.get_learner_summary(learner).awards) == 2
    api.award_course_credits(learner, OTHER_COURSE)
    with django_assert_num_queries(2):
        assert len(api.get_learner_summary(learner).awards) == 3
    with django_assert_num_queries(1):
        summary = api.get_learner_summary(learner, with_awards=False)
    assert summary.awards == () and [t.amount for t in summary.totals] == [Decimal("7.50"), Decimal("1.25")]


def test_summary_totals_name_credits_as_they_are_now(learner, two_courses):
    """Totals read names from a cached directory: an edit of a type or credit shows at once."""
    ethics, _leading = two_courses
    api.award_course_credits(learner, COURSE_ID)
    assert api.get_learner_summary(learner).credit_totals[0].credit_name == "Ethics"
    api.update_credit(ethics.pk, name="Ethics and law")
    api.update_credit_type(ethics.credit_type_id, name="CPA Ontario")
    summary = api.get_learner_summary(learner, with_awards=False)
    assert [(t.credit_type, t.credit_name) for t in summary.credit_totals][0] == ("CPA Ontario", "Ethics and law")
    assert summary.totals[0].credit_type == "CPA Ontario"


def test_summary_totals_add_up_the_awards(learner, two_courses):
    """The database's sums equal the awards that stand, added one by one (amounts with cents, many courses)."""
    ethics = two_courses[0]
    for index in range(12):
        key = CourseKey.from_string(f"course-v1:TestX+Sum{index}+2026")
        StandaloneCourseFactory(course_key=key, display_name=f"Sum {index}")
        CourseCreditFactory(course_key=key, credit=ethics, amount=Decimal("0.10") + index)
        api.award_course_credits(learner, key)
    api.award_course_credits(learner, COURSE_ID)
    summary = api.get_learner_summary(learner)
    by_type = {}
    for award in summary.awards:
        by_type[award.credit_type_name] = by_type.get(award.credit_type_name, Decimal("0")) + award.amount
    assert {t.credit_type: t.amount for t in summary.totals} == by_type == {
        "CPA": Decimal("2.50") + sum(Decimal("0.10") + i for i in range(12)), "Management": Decimal("1.25")}
    assert sum(t.amount for t in summary.credit_totals) == sum(by_type.values())
    # Without the awards the database adds up: the same totals.
    assert api.get_learner_summary(learner, with_awards=False).totals == summary.totals
    assert api.get_learner_summary(learner, with_awards=False).credit_totals == summary.credit_totals
    # A date range takes the ORM's query; with a range that holds everything, the totals are the same.
    assert api.get_learner_summary(learner, start="2000-01-01", with_awards=False).totals == summary.totals
    assert api.get_learner_summary(learner, end="2000-01-01", with_awards=False).totals == ()


def test_course_report_streams_filters_and_searches(two_courses, staff_user):
    learners = [UserFactory(username=f"amy{i}") for i in range(3)] + [UserFactory(username="bob")]
    for user in learners:
        api.award_course_credits(user, COURSE_ID)
    report = api.iter_course_awards(COURSE_ID)
    assert not isinstance(report, (list, tuple))
    rows = list(report)
    assert len(rows) == 8 and rows[0].course_name == "Credits 101"
    assert {r.username for r in api.iter_course_awards(COURSE_ID, search="AMY")} == {"amy0", "amy1", "amy2"}
    api.revoke_award(rows[0].uuid, acting_user=staff_user, reason="r")
    assert len(list(api.iter_course_awards(COURSE_ID, status="revoked"))) == 1
    assert api.count_course_awards(COURSE_ID) == 7
    with pytest.raises(CreditsValidationError):
        api.iter_course_awards(COURSE_ID, status="lost")
    with pytest.raises(CreditsValidationError):
        api.iter_course_awards("garbage")


def test_course_report_reads_in_chunks(two_courses, django_assert_max_num_queries):
    for _ in range(5):
        api.award_course_credits(UserFactory(), COURSE_ID)
    with django_assert_max_num_queries(3):  # course names + the streamed select
        assert len(list(api.iter_course_awards(COURSE_ID, chunk_size=2))) == 10


def test_learner_course_awards_one_query(learner, two_courses, django_assert_num_queries, staff_user):
    api.award_course_credits(learner, COURSE_ID)
    first = api.award_course_credits(learner, OTHER_COURSE).created[0]
    api.revoke_award(first.uuid, acting_user=staff_user, reason="r")
    with django_assert_num_queries(1):
        awards = api.get_learner_course_awards(learner.pk, OTHER_COURSE)
    assert [(a.credit_name, a.status) for a in awards] == [("Ethics", "revoked")]
    assert len(api.get_learner_course_awards(learner.username, COURSE_ID)) == 2
    with pytest.raises(CreditsNotFound):
        api.get_learner_course_awards("ghost", COURSE_ID)
    with pytest.raises(CreditsValidationError):
        api.get_learner_course_awards(learner, "nope")
