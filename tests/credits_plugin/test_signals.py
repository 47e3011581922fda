"""What the plugin tells others: Django signals, openedx-events public signals, tracking logs, retirement."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings
from eventtracking import tracker
from eventtracking.django.django_tracker import override_default_tracker

from credits_plugin import api, signals
from credits_plugin.models import AwardedCredit, AwardLogEntry, CourseCredit, CreditType
from credits_plugin.platform.signals import FROM_PLATFORM, USER_RETIRE_LMS_MISC
from tests.factories import COURSE_ID, CourseCreditFactory, UserFactory

pytestmark = pytest.mark.django_db
REPO = Path(__file__).resolve().parents[2]


class Recorder:
    """A receiver that keeps what it was sent."""

    def __init__(self):
        self.calls = []

    def __call__(self, sender, **kwargs):
        self.calls.append(kwargs)


@pytest.fixture
def recorded():
    signals.COURSE_CREDIT_AWARDED.enable()
    signals.COURSE_CREDIT_REVOKED.enable()
    receivers = {name: Recorder() for name in ("awarded", "revoked", "bus_awarded", "bus_revoked")}
    signals.credit_awarded.connect(receivers["awarded"])
    signals.credit_revoked.connect(receivers["revoked"])
    signals.COURSE_CREDIT_AWARDED.connect(receivers["bus_awarded"])
    signals.COURSE_CREDIT_REVOKED.connect(receivers["bus_revoked"])
    yield receivers
    signals.credit_awarded.disconnect(receivers["awarded"])
    signals.credit_revoked.disconnect(receivers["revoked"])
    signals.COURSE_CREDIT_AWARDED.disconnect(receivers["bus_awarded"])
    signals.COURSE_CREDIT_REVOKED.disconnect(receivers["bus_revoked"])


def test_an_openedx_event_nobody_listens_to_is_not_built(course_key, learner, monkeypatch,
                                                         django_capture_on_commit_callbacks):
    """openedx-events builds metadata and logs for every send: an award skips it while nothing listens."""
    CourseCreditFactory()
    signals.COURSE_CREDIT_AWARDED.enable()
    sent = []
    real_send_event = signals.COURSE_CREDIT_AWARDED.send_event
    monkeypatch.setattr(signals.COURSE_CREDIT_AWARDED, "send_event",
                        lambda **kw: sent.append(kw) or real_send_event(**kw))
    with django_capture_on_commit_callbacks(execute=True):
        api.award_course_credits(learner, COURSE_ID)
    assert sent == []
    listener = Recorder()
    signals.COURSE_CREDIT_AWARDED.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            api.award_course_credits(UserFactory(), COURSE_ID)
    finally:
        signals.COURSE_CREDIT_AWARDED.disconnect(listener)
    assert len(sent) == 1 and len(listener.calls) == 1


class MemoryBackend:
    """An event-tracking backend that keeps events in memory."""

    events = []

    def __init__(self, **kwargs):
        pass

    def send(self, event):
        MemoryBackend.events.append(event)


def test_awards_and_revocations_are_announced_after_commit(course_key, learner, staff_user, recorded,
                                                           django_capture_on_commit_callbacks):
    CourseCreditFactory(credit__reference_number="CPA-1")
    with django_capture_on_commit_callbacks() as callbacks:
        award = api.award_course_credits(learner, COURSE_ID).created[0]
    assert recorded["awarded"].calls == []  # nothing before the transaction commits
    for callback in callbacks:
        callback()
    assert recorded["awarded"].calls[0]["award"] == award
    bus = recorded["bus_awarded"].calls[0]["course_credit"]
    assert (bus.uuid, bus.user_id, str(bus.course_key), bus.amount, bus.reference_number) == (
        str(award.uuid), learner.pk, COURSE_ID, "2.50", "CPA-1")
    assert recorded["bus_awarded"].calls[0]["metadata"].event_type == "org.openedx.learning.course_credit.awarded.v1"

    with django_capture_on_commit_callbacks(execute=True):
        api.revoke_award(award.uuid, acting_user=staff_user, reason="Misconduct")
    assert recorded["revoked"].calls[0]["award"].status == "revoked"
    revocation = recorded["bus_revoked"].calls[0]["course_credit_revocation"]
    assert (revocation.award.status, revocation.reason) == ("revoked", "Misconduct")


def test_a_failing_receiver_of_our_signals_never_breaks_an_award(course_key, learner,
                                                                 django_capture_on_commit_callbacks):
    CourseCreditFactory()

    def broken(sender, **kwargs):
        raise RuntimeError("a downstream plugin failed")

    signals.COURSE_CREDIT_AWARDED.connect(broken)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            result = api.award_course_credits(learner, COURSE_ID)
    finally:
        signals.COURSE_CREDIT_AWARDED.disconnect(broken)
    assert len(result.created) == 1 and AwardedCredit.objects.count() == 1


@override_settings(EVENT_TRACKING_ENABLED=True, EVENT_TRACKING_BACKENDS={
    "memory": {"ENGINE": "tests.credits_plugin.test_signals.MemoryBackend"}})
def test_tracking_log_event_per_award_and_revoke(course_key, learner, staff_user,
                                                 django_capture_on_commit_callbacks):
    CourseCreditFactory()
    MemoryBackend.events.clear()
    previous = tracker.TRACKERS.get(tracker.DEFAULT_TRACKER_NAME)
    override_default_tracker()  # what the LMS does at start-up: a DjangoTracker with the configured backends
    try:
        with django_capture_on_commit_callbacks(execute=True):
            award = api.award_course_credits(learner, COURSE_ID).created[0]
        with django_capture_on_commit_callbacks(execute=True):
            api.revoke_award(award.uuid, acting_user=staff_user, reason="r")
    finally:
        if previous is None:
            tracker.TRACKERS.pop(tracker.DEFAULT_TRACKER_NAME, None)
        else:
            tracker.register_tracker(previous)
    names = [event["name"] for event in MemoryBackend.events]
    assert names == ["edx.course_credits.awarded", "edx.course_credits.revoked"]
    assert MemoryBackend.events[0]["data"]["course_id"] == COURSE_ID
    assert "username" not in json.dumps(MemoryBackend.events[0]["data"])


def test_event_bus_config_naming_our_events_does_not_break_start_up(tmp_path):
    """openedx-events validates EVENT_BUS_PRODUCER_CONFIG in its ready(): our signals must exist by then."""
    (tmp_path / "bus_settings.py").write_text(
        "from tests.settings import *\n"
        "INSTALLED_APPS = ['openedx_events'] + [a for a in INSTALLED_APPS if a != 'openedx_events']\n"
        "EVENT_BUS_PRODUCER_CONFIG = {\n"
        "    'org.openedx.learning.course_credit.awarded.v1': {\n"
        "        'learning-course-credits': {'event_key_field': 'course_credit.course_key', 'enabled': False}},\n"
        "    'org.openedx.learning.course_credit.revoked.v1': {\n"
        "        'learning-course-credits': {'event_key_field': 'course_credit_revocation.award.course_key',\n"
        "                                    'enabled': False}},\n"
        "    'org.openedx.learning.course_credit.requirement.met.v1': {\n"
        "        'learning-course-credits': {'event_key_field': 'requirement_met.user_id', 'enabled': False}},\n"
        "}\n"
    )
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="bus_settings",
               PYTHONPATH=os.pathsep.join([str(tmp_path), str(REPO)]))
    done = subprocess.run([sys.executable, "-c", "import django; django.setup(); print('started')"],
                          env=env, cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "started" in done.stdout


def test_retirement_removes_awards_and_scrubs_the_history(course_key, staff_user):
    learner = UserFactory(username="leaving")
    CourseCreditFactory()
    award = api.award_course_credits(learner, COURSE_ID).created[0]
    api.revoke_award(award.uuid, acting_user=staff_user, reason="r")
    api.manual_award(COURSE_ID, learner, acting_user=staff_user, reason="Appeal")
    # The retiring user also acted as staff: on a type, a course and another learner's award.
    other = UserFactory()
    other_award = api.manual_award(COURSE_ID, other, acting_user=learner, reason="Attended").created[0]
    credit_type = api.create_credit_type(name="Retiring edits", user=learner)
    api.set_course_enabled(COURSE_ID, True, user=learner)

    assert not FROM_PLATFORM  # the stand-in signal: the platform is absent here
    USER_RETIRE_LMS_MISC.send(sender=None, user=learner, retired_username="retired_user_1",
                              retired_email="retired@retired.invalid")

    assert not AwardedCredit.objects.filter(user=learner).exists()
    assert not AwardLogEntry.objects.filter(award__uuid=award.uuid).exists()
    assert AwardedCredit.objects.get(uuid=other_award.uuid).awarded_by is None
    assert not CreditType.history.filter(id=credit_type.id, history_user=learner).exists()
    assert CreditType.history.filter(id=credit_type.id).exists()  # the change is kept, unnamed
    assert not CourseCredit.history.filter(history_user=learner).exists()
    assert AwardedCredit.objects.filter(user=other).exists()


def test_a_failed_retirement_reaches_the_platform_s_retirement_step(course_key, monkeypatch):
    """The platform's step must see the failure (and retry), not mark the learner retired."""
    learner = UserFactory(username="leaving")
    CourseCreditFactory()
    api.award_course_credits(learner, COURSE_ID)

    def broken(user_id):
        raise RuntimeError("database gone")

    monkeypatch.setattr(api, "retire_learner", broken)
    with pytest.raises(RuntimeError, match="database gone"):
        USER_RETIRE_LMS_MISC.send(sender=None, user=learner, retired_username="retired_user_1",
                                  retired_email="retired@retired.invalid")
    assert AwardedCredit.objects.filter(user=learner).exists()


def test_the_requirement_met_event_goes_through_the_event_bus_serializer():
    """The event bus writes events as Avro: every field of ours must be a type it can write and read back."""
    import datetime  # pylint: disable=import-outside-toplevel

    from openedx_events.event_bus.avro.deserializer import deserialize_bytes_to_event_data  # pylint: disable=C0415
    from openedx_events.event_bus.avro.serializer import serialize_event_data_to_bytes  # pylint: disable=C0415

    data = {"requirement_met": signals.CreditRequirementMetData(
        user_id=7, requirement_id=3, requirement_name="Annual CPD", unit="CPD hours", required="20.00",
        counted="21.50", period_start="2026-01-01", period_end="2026-12-31",
        met_at=datetime.datetime(2026, 12, 4, 12, tzinfo=datetime.UTC))}
    signal = signals.COURSE_CREDIT_REQUIREMENT_MET
    back = deserialize_bytes_to_event_data(serialize_event_data_to_bytes(data, signal), signal)
    assert back == data
