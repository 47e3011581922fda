"""Backfill (API, command, task) and re-applying a changed course to past awards."""
import math
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from credits_plugin import api
from credits_plugin.models import AwardedCredit, AwardLogEntry, CourseCredit, CourseCreditReapplication
from credits_plugin.platform.standalone.models import StandaloneCourseGrade
from tests.factories import COURSE_ID, CourseCreditFactory, CourseCreditSettingsFactory, CourseGradeFactory

pytestmark = pytest.mark.django_db
LEARNERS = 3000


def passing_learners(count, course_key, passed=True, prefix="bulk"):
    User = get_user_model()
    User.objects.bulk_create([User(username=f"{prefix}{i}", email=f"{prefix}{i}@example.com") for i in range(count)])
    users = User.objects.filter(username__startswith=prefix)
    StandaloneCourseGrade.objects.bulk_create([
        StandaloneCourseGrade(user=u, course_key=course_key, passed=passed, percent=0.8) for u in users])
    return users


@pytest.fixture
def enabled_course(course_key):
    CourseCreditSettingsFactory(enabled=True)
    CourseCreditFactory(amount=Decimal("1.00"))
    CourseCreditFactory(amount=Decimal("2.00"))
    return course_key


def test_backfill_of_a_few_thousand_learners_interrupted_and_resumed(enabled_course):
    passing_learners(LEARNERS, enabled_course)
    passing_learners(50, enabled_course, passed=False, prefix="failing")

    class Interrupted(Exception):
        pass

    def interrupt_after_two_batches(counts):
        if counts.batches == 2:
            raise Interrupted

    with pytest.raises(Interrupted):
        api.backfill_course_credits(COURSE_ID, batch_size=500, progress=interrupt_after_two_batches)
    assert AwardedCredit.objects.count() == 2 * 1000

    batches = LEARNERS // 500
    with CaptureQueriesContext(connection) as queries:
        counts = api.backfill_course_credits(COURSE_ID, batch_size=500)
    selects = [q for q in queries.captured_queries if q["sql"].startswith("SELECT")]
    inserts = [q for q in queries.captured_queries if q["sql"].startswith("INSERT")]
    # settings, designations, whether anyone holds an award yet; per batch: learners, held awards
    assert len(selects) <= 3 + 2 * (batches + 1)
    rows_per_insert = connection.ops.bulk_batch_size([f for f in AwardedCredit._meta.concrete_fields
                                                      if not f.primary_key], [None] * 500)
    assert len(inserts) <= batches * math.ceil(2 * 500 / min(rows_per_insert, 1000))  # only what the DB limits
    assert (counts.learners, counts.awarded, counts.already_awarded, counts.batches) == (
        LEARNERS, 2 * (LEARNERS - 1000), 2 * 1000, batches)
    assert AwardedCredit.objects.count() == 2 * LEARNERS
    assert not AwardedCredit.objects.filter(user__username__startswith="failing").exists()
    assert set(AwardedCredit.objects.values_list("source", flat=True)) == {"backfill"}
    again = api.backfill_course_credits(COURSE_ID, batch_size=700)
    assert (again.awarded, again.already_awarded) == (0, 2 * LEARNERS)


def test_backfill_skips_revoked_awards_and_dry_run_writes_nothing(enabled_course, learner, staff_user):
    CourseGradeFactory(user=learner)
    award = api.award_course_credits(learner, COURSE_ID).created[0]
    api.revoke_award(award.uuid, acting_user=staff_user, reason="Misconduct")
    AwardedCredit.objects.exclude(uuid=award.uuid).delete()
    dry = api.backfill_course_credits(COURSE_ID, dry_run=True)
    assert (dry.awarded, dry.skipped_revoked) == (1, 1)
    assert AwardedCredit.objects.count() == 1
    real = api.backfill_course_credits(COURSE_ID)
    assert (real.awarded, real.skipped_revoked) == (1, 1)
    assert AwardedCredit.objects.get(uuid=award.uuid).status == "revoked"


@pytest.mark.parametrize("setup, message", [
    ("off", "switch them on"),
    ("no_credits", "choose its credits first"),
])
def test_backfill_refuses_a_course_that_cannot_award(course_key, setup, message):
    if setup == "off":
        CourseCreditSettingsFactory(enabled=False)
        CourseCreditFactory()
    else:
        CourseCreditSettingsFactory(enabled=True)
    with pytest.raises(api.CreditsValidationError) as error:
        api.backfill_course_credits(COURSE_ID)
    assert message in error.value.message


def test_command_prints_counts_and_fails_clearly(enabled_course):
    passing_learners(30, enabled_course)
    out, err = StringIO(), StringIO()
    call_command("backfill_course_credits", COURSE_ID, "--batch-size", "10", stdout=out, stderr=err)
    assert "30 passing learner(s) read in 3 batch(es); awarded 60 credit(s); 0 already held" in out.getvalue()
    assert "[##############################] 100% 30/30 learners" not in err.getvalue()  # every 10th batch only
    err = StringIO()
    call_command("backfill_course_credits", COURSE_ID, "--batch-size", "1", "--dry-run", stdout=StringIO(),
                 stderr=err)
    assert "[##########....................]  33% 10/30 learners" in err.getvalue()
    out = StringIO()
    call_command("backfill_course_credits", COURSE_ID, "--dry-run", stdout=out, stderr=StringIO())
    assert "would award 0 credit(s); 60 already held" in out.getvalue()
    with pytest.raises(CommandError, match="not a valid course id"):
        call_command("backfill_course_credits", "garbage", stdout=StringIO(), stderr=StringIO())
    with pytest.raises(CommandError, match="at least 1"):
        call_command("backfill_course_credits", COURSE_ID, "--batch-size", "0", stdout=StringIO(),
                     stderr=StringIO())
    assert AwardedCredit.objects.count() == 60


def test_start_backfill_runs_the_task_and_records_progress(enabled_course, django_capture_on_commit_callbacks):
    passing_learners(25, enabled_course)
    with django_capture_on_commit_callbacks(execute=True):
        api.start_backfill(COURSE_ID, batch_size=10)
    status = api.get_backfill_status(COURSE_ID)
    assert (status["state"], status["learners"], status["awarded"], status["batches"]) == ("done", 25, 50, 3)
    with pytest.raises(api.CreditsValidationError):
        api.start_backfill("course-v1:TestX+Nothing+1")


def test_reapply_updates_past_awards_and_records_who_and_why(enabled_course, learner, staff_user):
    api.award_course_credits(learner, COURSE_ID)
    designation = api.list_course_credits(COURSE_ID)[0]
    api.update_credit(designation.credit.id, name="Renamed")
    api.set_course_settings(COURSE_ID, enabled=True, credits=[
        {"credit": d.credit.id, "amount": "5" if d.credit.id == designation.credit.id else str(d.amount)}
        for d in api.list_course_credits(COURSE_ID)])
    unchanged = AwardedCredit.objects.get(credit_id=designation.credit.id)
    assert (unchanged.amount, unchanged.credit_name) == (designation.amount, designation.credit.name)

    with pytest.raises(api.CreditsValidationError):
        api.reapply_course_credits(COURSE_ID, acting_user=staff_user, reason="")
    changed = api.reapply_course_credits(COURSE_ID, acting_user=staff_user, reason="Accreditor raised the hours")
    assert changed == 1
    award = AwardedCredit.objects.get(credit_id=designation.credit.id)
    assert (award.amount, award.credit_name) == (Decimal("5.00"), "Renamed")
    entry = AwardLogEntry.objects.get(award=award)
    assert (entry.action, entry.acting_user, entry.details["amount"]) == (
        "reapplied", staff_user, f"{designation.amount:.2f}")
    record = CourseCreditReapplication.objects.get()
    assert (record.changed, record.acting_user, record.reason) == (1, staff_user, "Accreditor raised the hours")
    assert api.reapply_course_credits(COURSE_ID, acting_user=staff_user, reason="again") == 0


def test_reapply_leaves_revoked_awards_alone(enabled_course, learner, staff_user):
    award = api.award_course_credits(learner, COURSE_ID).created[0]
    api.revoke_award(award.uuid, acting_user=staff_user, reason="r")
    api.set_course_settings(COURSE_ID, enabled=True, credits=[
        {"credit": d.credit.id, "amount": "9"} for d in api.list_course_credits(COURSE_ID)])
    assert api.reapply_course_credits(COURSE_ID, acting_user=staff_user, reason="new amounts") == 1
    assert AwardedCredit.objects.get(uuid=award.uuid).amount != Decimal("9.00")


def test_award_log_shows_award_revoke_and_reaward(enabled_course, learner, staff_user):
    award = api.award_course_credits(learner, COURSE_ID).created[0]
    api.revoke_award(award.uuid, acting_user=staff_user, reason="Mistake")
    api.manual_award(COURSE_ID, learner, acting_user=staff_user, reason="Appeal", credit_ids=[award.credit_id])
    log = api.get_award_log(award.uuid)
    assert [(e["action"], e["by"], e["reason"]) for e in log] == [
        ("revoked", staff_user.username, "Mistake"), ("reawarded", staff_user.username, "Appeal")]
    assert log[0]["before"]["source"] == "passing"  # the original award, as it was
    assert log[1]["before"]["status"] == "revoked"


def test_first_backfill_skips_the_held_look_up_and_counts_awards_made_meanwhile(enabled_course, monkeypatch):
    """Nobody holds an award: no per-batch look-up; a live award during the run is counted, not duplicated."""
    from credits_plugin import platform  # pylint: disable=import-outside-toplevel

    learners = list(passing_learners(30, enabled_course).order_by("id"))
    real = platform.iter_passing_user_ids

    def batches_with_a_live_award(course_key, batch_size, with_pass_dates=False):
        for index, batch in enumerate(real(course_key, batch_size, with_pass_dates)):
            if index == 1:  # a learner of this batch passes again now: the live receiver awards them
                api.award_course_credits(batch[0], course_key)
            yield batch

    monkeypatch.setattr(platform, "iter_passing_user_ids", batches_with_a_live_award)
    with CaptureQueriesContext(connection) as queries:
        counts = api.backfill_course_credits(COURSE_ID, batch_size=10)
    held_look_ups = [q for q in queries.captured_queries
                     if q["sql"].startswith("SELECT") and "credits_plugin_awardedcredit" in q["sql"]
                     and '"user_id" IN (' in q["sql"]]
    assert held_look_ups == []
    assert (counts.learners, counts.awarded, counts.already_awarded) == (30, 58, 2)
    assert AwardedCredit.objects.count() == 60
    assert AwardedCredit.objects.filter(user=learners[10]).count() == 2  # once each, not twice


def test_a_platform_backend_of_earlier_releases_still_serves_a_backfill(enabled_course, monkeypatch):
    """A backend whose ``iter_passing_user_ids`` takes no pass dates (as earlier releases wrote it) still works."""
    from credits_plugin.platform import standalone  # pylint: disable=import-outside-toplevel

    passing_learners(3, enabled_course)
    real = standalone.iter_passing_user_ids
    monkeypatch.setattr(standalone, "iter_passing_user_ids",
                        lambda course_key, batch_size: real(course_key, batch_size))
    assert api.backfill_course_credits(COURSE_ID).awarded == 3 * CourseCredit.objects.filter(
        course_key=enabled_course).count()


@pytest.mark.django_db(transaction=True)
def test_a_batch_picked_as_a_deadlock_victim_is_written_again(enabled_course, monkeypatch):
    """MySQL rolled back a batch's transaction (a live award met it on a row): the batch runs again, counted once."""
    from django.db import OperationalError  # pylint: disable=import-outside-toplevel

    from credits_plugin.services.db import InsertIgnoring  # pylint: disable=import-outside-toplevel

    passing_learners(30, enabled_course)
    real, calls = InsertIgnoring.run, []

    def deadlocked_once(self, rows):
        calls.append(len(rows))
        inserted = real(self, rows)
        if len(calls) == 2:  # the second batch went in, then InnoDB picked its transaction as the victim
            raise OperationalError(1213, "Deadlock found when trying to get lock; try restarting transaction")
        return inserted

    monkeypatch.setattr(InsertIgnoring, "run", deadlocked_once)
    counts = api.backfill_course_credits(COURSE_ID, batch_size=10)
    assert calls == [20, 20, 20, 20]
    assert (counts.learners, counts.awarded, counts.already_awarded, counts.batches) == (30, 60, 0, 3)
    assert AwardedCredit.objects.count() == 60
