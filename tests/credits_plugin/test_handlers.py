"""
Earning and revoking from the real openedx-events, sent with send_event to the
receivers the real plugin loader connected (demo.demo_site.apps).
"""
from decimal import Decimal

from django.core.cache import cache
from django.db import connection
from django.test import TestCase
from opaque_keys.edx.keys import CourseKey
from openedx_events.learning.data import (
    CcxCourseData,
    CcxCoursePassingStatusData,
    CertificateData,
    CourseData,
    CoursePassingStatusData,
    UserData,
    UserPersonalData,
)
from openedx_events.learning.signals import (
    CCX_COURSE_PASSING_STATUS_UPDATED,
    CERTIFICATE_CREATED,
    CERTIFICATE_REVOKED,
    COURSE_PASSING_STATUS_UPDATED,
)

from credits_plugin import api
from credits_plugin.models import AwardedCredit
from tests.factories import COURSE_ID, CourseCreditFactory, StandaloneCourseFactory, UserFactory

try:  # openedx-events >= 11.1.1
    from openedx_events.testing import OpenEdxEventsTestMixin
except ImportError:  # openedx-events 10.x
    from openedx_events.tests.utils import OpenEdxEventsTestMixin

COURSE = CourseKey.from_string(COURSE_ID)


def user_data(user):
    return UserData(id=user.pk, is_active=True,
                    pii=UserPersonalData(username=user.username, email=user.email, name=user.get_full_name()))


def passing(user, is_passing=True, course_key=COURSE):
    return {"course_passing_status": CoursePassingStatusData(
        is_passing=is_passing, course=CourseData(course_key=course_key), user=user_data(user))}


def certificate(user, course_key=COURSE, status="downloadable"):
    return {"certificate": CertificateData(
        user=user_data(user), course=CourseData(course_key=course_key), mode="verified", grade="0.9",
        current_status=status, download_url="", name="")}


class EventTestCase(OpenEdxEventsTestMixin, TestCase):
    ENABLED_OPENEDX_EVENTS = [
        "org.openedx.learning.course.passing.status.updated.v1",
        "org.openedx.learning.ccx.course.passing.status.updated.v1",
        "org.openedx.learning.certificate.created.v1",
        "org.openedx.learning.certificate.revoked.v1",
    ]

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.start_events_isolation()

    @classmethod
    def tearDownClass(cls):
        cls.enable_all_events()  # isolation disabled every other event: give them back to later tests
        super().tearDownClass()

    def setUp(self):
        cache.clear()
        with self.captureOnCommitCallbacks(execute=True):  # as committed before any event
            StandaloneCourseFactory()
            self.learner = UserFactory(username="learner")
            self.designations = [CourseCreditFactory(amount=Decimal("1.50")), CourseCreditFactory()]

    def configure(self, **settings):
        values = {"enabled": True, "award_trigger": "passing", "revoke_on_certificate_revoked": False}
        values.update(settings)
        with self.captureOnCommitCallbacks(execute=True):
            api.set_course_settings(COURSE, credits=[{"credit": d.credit_id, "amount": str(d.amount)}
                                                     for d in self.designations], **values)

    def send(self, signal, **data):
        """Send the event as the platform does; errors of receivers would propagate (send_robust off)."""
        with self.captureOnCommitCallbacks(execute=True):
            signal.send_event(send_robust=False, **data)

    def awards(self, **filters):
        return AwardedCredit.objects.filter(user=self.learner, **filters)


class PassingTests(EventTestCase):
    def test_passing_awards_the_course_credits(self):
        self.configure()
        self.send(COURSE_PASSING_STATUS_UPDATED, **passing(self.learner))
        self.assertEqual(self.awards(source="passing", status="awarded").count(), 2)

    def test_the_task_is_given_the_learner_the_course_and_the_trigger(self):
        from credits_plugin import tasks  # pylint: disable=import-outside-toplevel

        self.configure()
        queued = []
        real_delay = tasks.award_credits_task.delay
        tasks.award_credits_task.delay = lambda *args: queued.append(args) or real_delay(*args)
        try:
            self.send(COURSE_PASSING_STATUS_UPDATED, **passing(self.learner))
            self.send(CERTIFICATE_CREATED, **certificate(self.learner))  # the course awards on passing: no task
        finally:
            del tasks.award_credits_task.delay
        self.assertEqual(queued, [(self.learner.pk, COURSE_ID, "passing")])
        self.assertEqual(self.awards(status="awarded").count(), 2)

    def test_a_task_queued_by_an_earlier_release_with_a_username_still_runs(self):
        from credits_plugin import tasks  # pylint: disable=import-outside-toplevel

        self.configure()
        result = tasks.award_credits_task.apply(args=(self.learner.pk, COURSE_ID, "passing", "old-name")).get()
        self.assertEqual(result, {"created": 2, "already_awarded": 0})
        self.assertEqual(set(self.awards(status="awarded").values_list("user__username", flat=True)), {"learner"})

    def test_the_same_event_ten_times_gives_one_award_per_credit(self):
        self.configure()
        for _ in range(10):
            self.send(COURSE_PASSING_STATUS_UPDATED, **passing(self.learner))
        self.assertEqual(self.awards().count(), 2)

    def test_failing_awards_nothing_and_a_regrade_to_failing_keeps_awards(self):
        self.configure()
        self.send(COURSE_PASSING_STATUS_UPDATED, **passing(self.learner, is_passing=False))
        self.assertEqual(self.awards().count(), 0)
        self.send(COURSE_PASSING_STATUS_UPDATED, **passing(self.learner))
        self.send(COURSE_PASSING_STATUS_UPDATED, **passing(self.learner, is_passing=False))
        self.assertEqual(self.awards(status="awarded").count(), 2)

    def test_course_with_credits_off_or_without_designations_awards_nothing(self):
        self.configure(enabled=False)
        self.send(COURSE_PASSING_STATUS_UPDATED, **passing(self.learner))
        api.set_course_settings(COURSE, enabled=True, credits=[])
        self.send(COURSE_PASSING_STATUS_UPDATED, **passing(self.learner))
        self.assertEqual(self.awards().count(), 0)

    def test_enabling_later_is_seen_at_once(self):
        self.configure(enabled=False)
        self.send(COURSE_PASSING_STATUS_UPDATED, **passing(self.learner))  # caches "off"
        api.set_course_enabled(COURSE, True)
        self.send(COURSE_PASSING_STATUS_UPDATED, **passing(self.learner))
        self.assertEqual(self.awards().count(), 2)

    def test_passing_does_not_award_when_the_course_awards_on_certificate(self):
        self.configure(award_trigger="certificate")
        self.send(COURSE_PASSING_STATUS_UPDATED, **passing(self.learner))
        self.assertEqual(self.awards().count(), 0)

    def test_ccx_pass_counts_for_the_master_course(self):
        self.configure()
        ccx_key = CourseKey.from_string("ccx-v1:TestX+Credits+2026+ccx@3")
        self.send(CCX_COURSE_PASSING_STATUS_UPDATED, course_passing_status=CcxCoursePassingStatusData(
            is_passing=True, user=user_data(self.learner),
            course=CcxCourseData(ccx_course_key=ccx_key, master_course_key=COURSE)))
        self.assertEqual(self.awards(course_key=COURSE).count(), 2)


class QueryCostTests(EventTestCase):
    def test_course_not_enabled_costs_one_query_cold_and_none_warm(self):
        other = CourseKey.from_string("course-v1:TestX+NoCredits+2026")
        with self.assertNumQueries(1):
            self.send(COURSE_PASSING_STATUS_UPDATED, **passing(self.learner, course_key=other))
        with self.assertNumQueries(0):
            for _ in range(5):
                self.send(COURSE_PASSING_STATUS_UPDATED, **passing(self.learner, course_key=other))

    def test_failing_status_costs_no_query(self):
        self.configure()
        with self.assertNumQueries(0):
            self.send(COURSE_PASSING_STATUS_UPDATED, **passing(self.learner, is_passing=False))


class CertificateTests(EventTestCase):
    def test_certificate_created_awards_when_trigger_is_certificate(self):
        self.configure(award_trigger="certificate")
        for _ in range(3):  # fires on every save of a passing certificate
            self.send(CERTIFICATE_CREATED, **certificate(self.learner))
        self.assertEqual(self.awards(source="certificate").count(), 2)

    def test_certificate_created_does_nothing_when_trigger_is_passing(self):
        self.configure(award_trigger="passing")
        self.send(CERTIFICATE_CREATED, **certificate(self.learner))
        self.assertEqual(self.awards().count(), 0)

    def test_revoked_certificate_revokes_when_the_course_says_so(self):
        self.configure(revoke_on_certificate_revoked=True)
        self.send(COURSE_PASSING_STATUS_UPDATED, **passing(self.learner))
        self.send(CERTIFICATE_REVOKED, **certificate(self.learner, status="notpassing"))
        self.assertEqual(self.awards(status="revoked").count(), 2)
        self.assertIn("certificate was revoked", self.awards().first().reason)

    def test_revocation_goes_on_past_an_award_revoked_meanwhile(self):
        """An award listed as standing but revoked by staff before its turn must not stop the others."""
        from unittest import mock  # pylint: disable=import-outside-toplevel

        from credits_plugin.services import triggers  # pylint: disable=import-outside-toplevel

        self.configure(revoke_on_certificate_revoked=True)
        self.send(COURSE_PASSING_STATUS_UPDATED, **passing(self.learner))
        listed = triggers.standing_award_uuids(self.learner.pk, CourseKey.from_string(COURSE_ID))
        staff = UserFactory(is_staff=True)
        api.revoke_award(listed[0], acting_user=staff, reason="Revoked by staff first")
        with mock.patch.object(triggers, "standing_award_uuids", return_value=listed):
            self.send(CERTIFICATE_REVOKED, **certificate(self.learner, status="notpassing"))
        self.assertEqual(self.awards(status="revoked").count(), 2)
        self.assertEqual(self.awards().get(uuid=listed[0]).reason, "Revoked by staff first")

    def test_revoked_certificate_keeps_credits_by_default(self):
        self.configure()
        self.send(COURSE_PASSING_STATUS_UPDATED, **passing(self.learner))
        self.send(CERTIFICATE_REVOKED, **certificate(self.learner, status="notpassing"))
        self.assertEqual(self.awards(status="awarded").count(), 2)


class FailureTests(EventTestCase):
    def test_a_database_failure_is_logged_and_never_reaches_the_platform(self):
        if connection.vendor != "sqlite":
            self.skipTest("drops a table inside the test transaction, which only SQLite rolls back")
        self.configure()
        cache.clear()
        with connection.cursor() as cursor:  # rolled back with the test's transaction
            cursor.execute("DROP TABLE credits_plugin_coursecreditsettings")
        with self.assertLogs("credits_plugin.handlers", level="ERROR") as logs:
            self.send(COURSE_PASSING_STATUS_UPDATED, **passing(self.learner))
        self.assertIn(f"course {COURSE_ID}, user {self.learner.pk}", logs.output[0])

    def test_a_corrupt_cache_entry_is_logged_and_never_reaches_the_platform(self):
        self.configure()
        cache.set(f"credits_plugin.course_flags.v2.{COURSE_ID}", "garbage")
        with self.assertLogs("credits_plugin.handlers", level="ERROR") as logs:
            self.send(COURSE_PASSING_STATUS_UPDATED, **passing(self.learner))
        self.assertIn("award_on_passing failed", logs.output[0])
