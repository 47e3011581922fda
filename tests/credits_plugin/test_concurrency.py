"""Idempotent awarding under real concurrency, on MariaDB (SQLite serialises writers, so it proves nothing)."""
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, transaction
from django.utils import timezone

from credits_plugin import api
from credits_plugin.models import AwardedCredit, CourseCredit, CourseCreditSettings
from tests.factories import COURSE_ID, CourseCreditFactory

pytestmark = [pytest.mark.mysql, pytest.mark.django_db(transaction=True)]
WORKERS = 8


def saved_credit():
    """A credit and its type, saved, that no course awards yet (for first saves of a course)."""
    credit = CourseCreditFactory.build().credit
    credit.credit_type.save()
    credit.save()
    return credit


def run_together(function, count=WORKERS):
    """Run ``function`` in ``count`` threads released at the same moment; each has its own connection."""
    barrier = threading.Barrier(count)

    def worker():
        try:
            barrier.wait(timeout=10)
            return function()
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=count) as pool:
        futures = [pool.submit(worker) for _ in range(count)]
        return [future.result(timeout=60) for future in futures]  # re-raises any worker's error


def test_concurrent_awards_leave_one_award_per_credit(course_key, learner):
    assert connection.vendor == "mysql"
    for _ in range(3):
        CourseCreditFactory()
    for _round in range(5):
        AwardedCredit.objects.all().delete()
        results = run_together(lambda: api.award_course_credits(learner.pk, COURSE_ID))
        assert AwardedCredit.objects.filter(user=learner).count() == 3
        assert sum(len(r.created) for r in results) == 3  # each award reported created exactly once


def test_an_award_picked_as_a_deadlock_victim_goes_in_again(course_key, learner):
    """
    InnoDB's own three-session deadlock, made to happen every time: while one transaction holds an
    uncommitted insert of the award, two awards of it wait for its lock; when it rolls back, both
    take a shared lock on the row and each waits for the other to insert it, so InnoDB kills one.
    The killed statement was its own transaction: the award runs it again, and the learner ends
    with one award, reported created once (CI saw this race lose an award's call on 2026-12-05).
    """
    designation = CourseCreditFactory()
    holding, release = threading.Event(), threading.Event()

    def hold_the_row():
        try:
            with transaction.atomic():
                AwardedCredit.objects.create(
                    user=learner, course_key=designation.course_key, credit=designation.credit, amount=1,
                    credit_name="held", credit_type_name="held", unit="hours", source="passing",
                    status="awarded", awarded_at=timezone.now())
                holding.set()
                release.wait(timeout=30)
                transaction.set_rollback(True)
        finally:
            connection.close()

    def award():
        holding.wait(timeout=10)
        try:
            return api.award_course_credits(learner.pk, COURSE_ID)
        finally:
            connection.close()

    def lock_waits():  # the awards' inserts in the server's process list (here INNODB_TRX listed none)
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE info LIKE %s",
                           ["INSERT IGNORE INTO `credits_plugin_awardedcredit`%"])
            return cursor.fetchone()[0]

    with ThreadPoolExecutor(max_workers=3) as pool:
        holder = pool.submit(hold_the_row)
        awards = [pool.submit(award) for _ in range(2)]
        try:
            deadline = time.monotonic() + 10
            while lock_waits() < 2 and time.monotonic() < deadline:
                time.sleep(0.01)
            assert lock_waits() == 2, "both awards should be waiting for the held row"
        finally:
            release.set()
        holder.result(timeout=30)
        results = [future.result(timeout=30) for future in awards]  # re-raises a worker's deadlock
    assert AwardedCredit.objects.filter(user=learner).count() == 1
    assert sorted(len(r.created) for r in results) == [0, 1]


def test_concurrent_first_saves_of_a_course_through_the_api_never_get_a_500(course_key, staff_user):
    """
    Through the REST API, each request in its own transaction as the platform runs it
    (``ATOMIC_REQUESTS``). First saves of a course's settings at once lock the same gap and can
    deadlock; inside the request's transaction the service cannot run its part again, so the
    request rolled back gets a 409 saying nothing was saved and to try again. Never a 500, and the
    course ends with its one credit.
    """
    from rest_framework.test import APIClient  # pylint: disable=import-outside-toplevel

    assert connection.settings_dict["ATOMIC_REQUESTS"]
    credit = saved_credit()
    for _round in range(5):
        CourseCredit.objects.all().delete()
        CourseCreditSettings.objects.all().delete()

        def save():
            client = APIClient()
            client.force_authenticate(user=staff_user)
            response = client.put(f"/api/credits/v1/courses/{COURSE_ID}/",
                                  {"enabled": True, "credits": [{"credit": credit.pk, "amount": "1"}]}, format="json")
            return response.status_code, response.json()

        results = run_together(save)
        assert all(status in (200, 409) for status, _body in results), results
        assert any(status == 200 for status, _body in results)
        assert all(body["error_code"] == "conflict" for status, body in results if status == 409)
        assert len(api.get_course_settings(COURSE_ID).credits) == 1


def test_concurrent_first_saves_of_a_course_on_the_studio_page_all_go_through(course_key):
    """
    The Studio page leaves the transaction to the service (``non_atomic_requests``), whose retries
    get a deadlocked first save through: authors saving a new course's credits at the same instant
    are never shown a 500, and the course ends with its one credit.
    """
    from django.test import Client  # pylint: disable=import-outside-toplevel

    from tests.factories import CourseAccessFactory, UserFactory  # pylint: disable=import-outside-toplevel

    credit = saved_credit()
    authors = [UserFactory(username=f"author{i}") for i in range(WORKERS)]
    for author in authors:
        CourseAccessFactory(user=author)
    form = {"action": "save", "enabled": "on", "award_trigger": "passing", "credit": [str(credit.pk)],
            f"amount_{credit.pk}": "1", f"reference_{credit.pk}": ""}
    for _round in range(3):
        CourseCredit.objects.all().delete()
        CourseCreditSettings.objects.all().delete()
        turn, lock = iter(range(WORKERS)), threading.Lock()

        def save(turn=turn, lock=lock):
            with lock:
                author = authors[next(turn)]
            client = Client()
            client.force_login(author)
            response = client.post(f"/credits/studio/{COURSE_ID}/", form)
            return response.status_code, response.content.decode() if response.status_code != 302 else ""

        results = run_together(save)
        assert all(status in (302, 400) for status, _html in results), results
        assert all("try again" in html.lower() for status, html in results if status == 400)
        assert len(api.get_course_settings(COURSE_ID).credits) == 1


def test_concurrent_award_tasks_leave_one_award_per_credit(course_key, learner):
    """The award task's insert skips what another worker won; row counts and one read tell each what it won."""
    credits = [CourseCreditFactory() for _ in range(3)]
    api.set_course_settings(COURSE_ID, enabled=True, credits=[{"credit": d.credit_id, "amount": "1"} for d in credits])
    for _round in range(5):
        AwardedCredit.objects.all().delete()
        results = run_together(lambda: api.award_on_trigger(learner.pk, COURSE_ID, "passing"))
        assert AwardedCredit.objects.filter(user=learner).count() == 3
        assert sum(len(r.created) for r in results) == 3
        assert all(len(r.created) + r.already_awarded == 3 for r in results)


def test_concurrent_manual_awards_do_not_duplicate(course_key, learner, staff_user):
    CourseCreditFactory()

    def award():
        try:
            return api.manual_award(COURSE_ID, learner.pk, acting_user=staff_user, reason="Attended")
        except api.CreditsConflict:  # lost the race: the learner already holds it
            return None

    results = run_together(award)
    assert AwardedCredit.objects.filter(user=learner).count() == 1
    assert sum(1 for r in results if r is not None) == 1


def test_concurrent_first_settings_of_a_course_never_error_out(course_key):
    credit = saved_credit()

    def save():
        try:
            return api.set_course_settings(COURSE_ID, enabled=True, credits=[{"credit": credit.pk, "amount": "1"}])
        except api.CreditsConflict:
            return None

    results = run_together(save)
    assert any(r is not None for r in results)
    assert len(api.get_course_settings(COURSE_ID).credits) == 1


def test_concurrent_decisions_on_one_course_credit_leave_one(course_key):
    """Approvers deciding the same course credit at once: one decision stands, the others are told (409)."""
    from tests.factories import CreditFactory, UserFactory  # pylint: disable=import-outside-toplevel

    approvers = [UserFactory(username=f"approver{i}", is_staff=True) for i in range(WORKERS)]
    for _round in range(3):
        designation = CourseCreditFactory(credit=CreditFactory(credit_type__requires_approval=True),
                                          approval_status="pending")
        turn, lock = iter(range(WORKERS)), threading.Lock()

        def decide(designation=designation, turn=turn, lock=lock):
            with lock:
                index = next(turn)
            try:
                if index % 2:
                    return api.reject_designation(designation.pk, acting_user=approvers[index], reason="No")
                return api.approve_designation(designation.pk, acting_user=approvers[index])
            except api.CreditsConflict:
                return None

        results = [r for r in run_together(decide) if r is not None]
        assert len(results) == 1
        row = CourseCredit.objects.get(pk=designation.pk)
        assert (row.approval_status, row.approved_by.username) == (results[0].approval_status, results[0].approved_by)
        assert CourseCredit.history.filter(id=designation.pk, approval_status__in=["approved", "rejected"]).count() == 1


def test_concurrent_reviews_of_one_credit_earned_elsewhere_leave_one(settings, tmp_path):
    """Reviewers deciding the same credit earned elsewhere at once: one decision, at most one award."""
    from django.core.files.uploadedfile import SimpleUploadedFile  # pylint: disable=import-outside-toplevel

    from credits_plugin.models import ExternalCredit  # pylint: disable=import-outside-toplevel
    from tests.factories import CreditTypeFactory, UserFactory  # pylint: disable=import-outside-toplevel

    settings.MEDIA_ROOT = str(tmp_path)
    reviewers = [UserFactory(username=f"reviewer{i}", is_staff=True) for i in range(WORKERS)]
    learner = UserFactory(username="reporter")
    credit_type = CreditTypeFactory(name="CPA")
    for _round in range(3):
        sent = api.submit_external_credit(learner, title="Seminar", provider="Society", credit_type_id=credit_type.pk,
                                          amount="1.00", earned_on="2026-01-05",
                                          evidence=SimpleUploadedFile("p.pdf", b"%PDF-1.4\n%%EOF"))
        turn, lock = iter(range(WORKERS)), threading.Lock()

        def decide(sent=sent, turn=turn, lock=lock):
            with lock:
                index = next(turn)
            try:
                if index % 2:
                    return api.reject_external_credit(sent.id, acting_user=reviewers[index], reason="No")
                return api.approve_external_credit(sent.id, acting_user=reviewers[index])
            except api.CreditsConflict:
                return None

        results = [r for r in run_together(decide) if r is not None]
        assert len(results) == 1
        row = ExternalCredit.objects.get(pk=sent.id)
        assert (row.status, row.reviewed_by.username) == (results[0].status, results[0].reviewed_by)
        assert AwardedCredit.objects.filter(external_credit=row).count() == (1 if row.status == "approved" else 0)
    assert AwardedCredit.objects.filter(user=learner).count() == ExternalCredit.objects.filter(
        user=learner, status="approved").count()


def test_concurrent_reminder_runs_send_each_reminder_once():
    """Runs of the reminder task that overlap (two beat schedulers, a cron and a task): one email each."""
    import datetime  # pylint: disable=import-outside-toplevel

    from django.core import mail  # pylint: disable=import-outside-toplevel

    from credits_plugin.models import RequirementReminder  # pylint: disable=import-outside-toplevel
    from tests.factories import CreditTypeFactory, UserFactory  # pylint: disable=import-outside-toplevel

    credit_type = CreditTypeFactory(name="CPD", unit="CPD hours")
    requirement = api.create_requirement(name="Annual", amount="20", credit_types=[credit_type.pk],
                                         applies_to_all=False, reminder_days="30")
    learners = [UserFactory(username=f"behind{i}") for i in range(5)]
    api.assign_learners(requirement.id, [{"learner": learner.username} for learner in learners])
    sent = run_together(lambda: api.send_requirement_reminders(today=datetime.date(2026, 12, 20)))
    assert sum(sent) == 5 and len(mail.outbox) == 5
    assert sorted(message.to[0] for message in mail.outbox) == sorted(learner.email for learner in learners)
    assert RequirementReminder.objects.count() == 5
