"""Reconciliation (API, command, task): awards that events should have made and did not."""
import datetime
from decimal import Decimal
from io import StringIO

import attr
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from opaque_keys.edx.keys import CourseKey

from credits_plugin import api, signals
from credits_plugin.models import AwardedCredit, CourseCreditSettings, ReconciliationWatermark
from credits_plugin.platform.standalone.models import StandaloneCourseGrade
from tests.factories import (
    COURSE_ID,
    CourseCreditFactory,
    CourseCreditSettingsFactory,
    CourseGradeFactory,
)

pytestmark = pytest.mark.django_db
OTHER_COURSE = "course-v1:TestX+Other+2026"


@pytest.fixture
def course(course_key):
    """A course awarding two credits on passing."""
    CourseCreditSettingsFactory(enabled=True)
    CourseCreditFactory(amount=Decimal("1.00"))
    CourseCreditFactory(amount=Decimal("2.50"), reference_number="COURSE-9")
    return course_key


def grades_changed_ago(minutes):
    """Date every grade's change ``minutes`` ago, as if written then."""
    StandaloneCourseGrade.objects.update(modified=timezone.now() - datetime.timedelta(minutes=minutes))


def test_it_awards_learners_who_pass_and_hold_nothing_as_the_event_would_have(course):
    lost = CourseGradeFactory().user  # their event never reached a worker
    CourseGradeFactory(passed=False)  # failing: nothing
    counts = api.reconcile_course_credits()
    assert (counts.courses, counts.examined, counts.awarded) == (1, 1, 2)
    awards = AwardedCredit.objects.filter(user=lost).order_by("amount")
    assert [(a.amount, a.source, a.status) for a in awards] == [
        (Decimal("1.00"), "passing", "awarded"), (Decimal("2.50"), "passing", "awarded")]
    assert awards[1].reference_number == "COURSE-9"
    assert AwardedCredit.objects.count() == 2


def test_the_award_is_dated_when_the_learner_passed(course):
    learner = CourseGradeFactory().user
    passed = timezone.now() - datetime.timedelta(days=2)
    StandaloneCourseGrade.objects.update(modified=passed)
    api.reconcile_course_credits(full=True)
    assert {a.awarded_at for a in AwardedCredit.objects.filter(user=learner)} == {passed}


def test_held_and_revoked_awards_stay_as_they_are(course, staff_user):
    holder, revoked, partial = CourseGradeFactory().user, CourseGradeFactory().user, CourseGradeFactory().user
    api.award_course_credits(holder, COURSE_ID)
    for award in api.award_course_credits(revoked, COURSE_ID).created:
        api.revoke_award(award.uuid, acting_user=staff_user, reason="Misconduct")
    first = api.award_course_credits(partial, COURSE_ID).created[0]
    AwardedCredit.objects.exclude(uuid=first.uuid).filter(user=partial).delete()
    before = {a.uuid: (a.status, a.awarded_at) for a in AwardedCredit.objects.all()}
    counts = api.reconcile_course_credits()
    assert counts.awarded == 1  # the one credit the third learner lacks
    after = {a.uuid: (a.status, a.awarded_at) for a in AwardedCredit.objects.all()}
    assert {k: v for k, v in after.items() if k in before} == before
    assert AwardedCredit.objects.filter(user=partial).count() == 2
    assert AwardedCredit.objects.filter(user=revoked, status="revoked").count() == 2


def test_only_courses_that_award_on_the_trigger_now(course):
    CourseGradeFactory()
    CourseGradeFactory(course_key=CourseKey.from_string(OTHER_COURSE))  # no credits there
    course_settings = CourseCreditSettings.objects.filter(course_key=COURSE_ID)
    course_settings.update(enabled=False)
    assert api.reconcile_course_credits().awarded == 0
    course_settings.update(enabled=True, award_trigger="manual")
    assert api.reconcile_course_credits(full=True).awarded == 0
    course_settings.update(award_trigger="certificate")
    counts = api.reconcile_course_credits(full=True)  # the demo's certificate comes with the pass
    assert counts.awarded == 2 and set(AwardedCredit.objects.values_list("source", flat=True)) == {"certificate"}
    assert not AwardedCredit.objects.filter(course_key=OTHER_COURSE).exists()


def test_it_looks_only_at_records_changed_since_its_last_run(course):
    CourseGradeFactory.create_batch(5)
    grades_changed_ago(60)  # older than the watermark less its overlap (15 minutes)
    ReconciliationWatermark.objects.create(trigger="passing", changed_until=timezone.now() - datetime.timedelta(
        minutes=30))
    counts = api.reconcile_course_credits()
    assert (counts.examined, counts.awarded) == (0, 0)
    fresh = CourseGradeFactory().user  # changed now
    assert api.reconcile_course_credits().awarded == 2
    assert set(AwardedCredit.objects.values_list("user_id", flat=True)) == {fresh.pk}
    assert api.reconcile_course_credits(full=True).awarded == 10  # --full reads every record


def test_records_changed_in_the_overlap_are_read_again(course):
    """A grade written by a process whose clock lags, or committed a moment late, is not skipped."""
    api.reconcile_course_credits()
    watermark = ReconciliationWatermark.objects.get(trigger="passing").changed_until
    late = CourseGradeFactory().user
    StandaloneCourseGrade.objects.update(modified=watermark - datetime.timedelta(minutes=5))
    assert api.reconcile_course_credits().awarded == 2
    assert AwardedCredit.objects.filter(user=late).count() == 2


@pytest.mark.parametrize("learners, batches", [(30, 3), (60, 6)])
def test_nothing_missing_costs_four_queries_per_batch(course, learners, batches):
    api.reconcile_course_credits()  # the watermarks exist
    for learner in [CourseGradeFactory().user for _ in range(learners)]:
        api.award_course_credits(learner, COURSE_ID)
    with CaptureQueriesContext(connection) as queries:
        counts = api.reconcile_course_credits(batch_size=10)
    assert (counts.examined, counts.awarded, counts.batches) == (learners, 0, batches)
    # Per trigger: its watermark, the courses awarding on it, and two updates of the watermark at the end;
    # per batch of 10: the records, which learners exist, their awards, the watermark; and the empty last page.
    assert len(queries.captured_queries) == 2 * 4 + 4 * batches + 1


def test_a_run_killed_after_some_batches_is_finished_by_the_next(course, monkeypatch):
    learners = [CourseGradeFactory().user for _ in range(25)]
    from credits_plugin.services import reconcile  # pylint: disable=import-outside-toplevel

    real, calls = reconcile._award_missing, []  # pylint: disable=protected-access

    def dies_on_the_third_batch(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise SystemExit("the worker was killed")
        return real(*args, **kwargs)
    monkeypatch.setattr(reconcile, "_award_missing", dies_on_the_third_batch)
    with pytest.raises(SystemExit):
        api.reconcile_course_credits(batch_size=10)
    assert AwardedCredit.objects.count() == 2 * 20
    monkeypatch.undo()
    assert api.reconcile_course_credits(batch_size=10).awarded == 2 * 5
    assert all(AwardedCredit.objects.filter(user=u).count() == 2 for u in learners)


def test_awards_are_announced_once_each(course, django_capture_on_commit_callbacks):
    seen = []

    def receiver(sender, award, **kwargs):  # pylint: disable=unused-argument
        seen.append(award)
    signals.credit_awarded.connect(receiver, dispatch_uid="test_reconcile_announce")
    try:
        learner = CourseGradeFactory().user
        with django_capture_on_commit_callbacks(execute=True):
            api.reconcile_course_credits()
            api.reconcile_course_credits(full=True)
    finally:
        signals.credit_awarded.disconnect(dispatch_uid="test_reconcile_announce")
    assert len(seen) == 2 and {a.username for a in seen} == {learner.username}


def test_a_dry_run_writes_nothing_and_leaves_the_watermark(course):
    CourseGradeFactory()
    counts = api.reconcile_course_credits(dry_run=True)
    assert counts.awarded == 2 and not AwardedCredit.objects.exists()
    assert not ReconciliationWatermark.objects.filter(changed_until__isnull=False).exists()


def test_a_grade_whose_learner_was_deleted_is_skipped(course, monkeypatch):
    """PersistentCourseGrade keeps a plain user id: its learner may be gone."""
    from credits_plugin import platform  # pylint: disable=import-outside-toplevel

    kept = CourseGradeFactory()
    real = platform.iter_qualifying_changes

    def with_a_ghost(*args, **kwargs):
        for batch in real(*args, **kwargs):
            yield [*batch, attr.evolve(batch[0], row_id=10 ** 9, user_id=10 ** 9)]
    monkeypatch.setattr(platform, "iter_qualifying_changes", with_a_ghost)
    counts = api.reconcile_course_credits()
    assert (counts.examined, counts.awarded) == (2, 2)
    assert set(AwardedCredit.objects.values_list("user_id", flat=True)) == {kept.user_id}


def test_the_command_says_what_it_did_and_refuses_a_bad_batch_size(course):
    CourseGradeFactory()
    out = StringIO()
    call_command("reconcile_course_credits", stdout=out)
    assert ("Reconciled 1 course(s) awarding credits: 1 qualifying learner record(s) read (records changed "
            "since the last run) in 1 batch(es); awarded 2 missing credit(s).") in out.getvalue()
    out = StringIO()
    call_command("reconcile_course_credits", "--full", "--dry-run", stdout=out)
    assert "(every qualifying record)" in out.getvalue() and "would award 0 missing" in out.getvalue()
    with pytest.raises(CommandError, match="The batch size must be at least 1"):
        call_command("reconcile_course_credits", "--batch-size", "0")


def test_the_periodic_task_runs_it(course):
    from credits_plugin.tasks import reconcile_course_credits_task  # pylint: disable=import-outside-toplevel

    CourseGradeFactory()
    result = reconcile_course_credits_task.apply().get()
    assert result["awarded"] == 2 and result["courses"] == 1
    state = api.reconciliation_state()
    assert state["passing"][2] == 2 and state["certificate"][2] == 0
