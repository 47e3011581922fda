"""Reminders to learners behind on a requirement: when, to whom, once, in their language, and switched off."""
import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from credits_plugin import api
from credits_plugin.exceptions import CreditsValidationError
from credits_plugin.models import AwardedCredit, ReminderOptOut, RequirementReminder
from credits_plugin.platform.standalone.models import StandaloneLanguagePreference
from credits_plugin.services.reminders import due_threshold
from tests.factories import CreditFactory, CreditTypeFactory, UserFactory

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def annual():
    cpd = CreditTypeFactory(name="CPA Ontario", unit="CPD hours")
    credit = CreditFactory(credit_type=cpd, name="General")
    requirement = api.create_requirement(name="Annual CPD", amount="20", credit_types=[cpd.pk], applies_to_all=False,
                                         reminder_days="60, 14")
    return requirement, credit


def learner_with(requirement, credit, amount, username):
    learner = UserFactory(username=username)
    api.assign_learners(requirement.id, [{"learner": username}])
    if amount:
        AwardedCredit.objects.create(
            user=learner, course_key="course-v1:Org+C+Run", credit=credit, amount=Decimal(amount),
            credit_name=credit.name, credit_type_name=credit.credit_type.name, unit=credit.credit_type.unit,
            source="passing", awarded_at=timezone.make_aware(datetime.datetime(2026, 3, 1, 12)))
    return learner


def test_thresholds():
    assert due_threshold((60, 14), 61) is None
    assert due_threshold((60, 14), 60) == 60
    assert due_threshold((60, 14), 20) == 60
    assert due_threshold((60, 14), 14) == 14
    assert due_threshold((60, 14), 0) == 14  # the last day of the period
    assert due_threshold((60, 14), -1) is None  # the period is over


def test_behind_learners_are_reminded_once_per_threshold(annual):
    requirement, credit = annual
    behind = learner_with(requirement, credit, "12", "behind")
    learner_with(requirement, credit, "25", "met")  # met: never reminded
    opted_out = learner_with(requirement, credit, "", "quiet")
    ReminderOptOut.objects.create(user=opted_out)
    assert api.send_requirement_reminders(today=D(2026, 10, 31)) == 0  # 61 days before December 31
    assert api.send_requirement_reminders(today=D(2026, 11, 1)) == 1  # within 60 days
    (message,) = mail.outbox
    assert message.to == [behind.email] and message.subject == "Annual CPD: 8.00 CPD hours to go"
    assert "You have 12.00 of the 20.00 CPD hours" in message.body and "Dec. 31, 2026" in message.body
    assert api.send_requirement_reminders(today=D(2026, 11, 2)) == 0  # that threshold is done
    assert api.send_requirement_reminders(today=D(2026, 12, 20)) == 1  # the 14-day one
    assert api.send_requirement_reminders(today=D(2026, 12, 30)) == 0
    assert len(mail.outbox) == 2
    assert sorted(RequirementReminder.objects.values_list("days_before", flat=True)) == [14, 60]


def test_the_command_reminds_in_the_learners_language(annual, settings):
    settings.LANGUAGES = [("en", "English"), ("fr", "French")]
    requirement, credit = annual
    learner = learner_with(requirement, credit, "12.5", "amelie")
    StandaloneLanguagePreference.objects.create(user=learner, language="fr")
    out = StringIO()
    call_command("send_requirement_reminders", "--date", "2026-12-20", stdout=out)
    assert "Sent 1 requirement reminder(s)." in out.getvalue()
    (message,) = mail.outbox
    assert message.subject == "Annual CPD : encore 7,50 CPD hours"
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_requirement_reminders", "--date", "20/12/2026")


def test_the_learner_switches_reminders_off_and_on(annual):
    requirement, credit = annual
    learner = learner_with(requirement, credit, "1", "lee")
    client = Client()
    client.force_login(learner)
    assert "Switch reminders off" in client.get("/credits/me/").content.decode()
    assert client.post("/credits/me/reminders/", {"enabled": "off"}).status_code == 302
    assert ReminderOptOut.objects.filter(user=learner).exists()
    assert "Reminders by email are off." in client.get("/credits/me/").content.decode()
    assert api.send_requirement_reminders(today=D(2026, 12, 20)) == 0
    client.post("/credits/me/reminders/", {"enabled": "on"})
    assert not ReminderOptOut.objects.exists()
    assert api.send_requirement_reminders(today=D(2026, 12, 20)) == 1
    assert Client().post("/credits/me/reminders/", {"enabled": "off"}).status_code == 302  # to sign in
    assert client.get("/credits/me/reminders/").status_code == 405


@pytest.mark.parametrize("value", ["abc", "0", "-3", "60, x", "4000", [True]])
def test_bad_reminder_days_are_refused(annual, value):
    requirement, _credit = annual
    with pytest.raises(CreditsValidationError) as raised:
        api.update_requirement(requirement.id, reminder_days=value)
    assert "reminder_days" in raised.value.field_errors
    assert api.get_requirement(requirement.id).reminder_days == (60, 14)


def test_reminder_days_are_kept_in_order_and_a_part_has_none(annual):
    requirement, credit = annual
    assert api.update_requirement(requirement.id, reminder_days=[7, 30, 7]).reminder_days == (30, 7)
    with pytest.raises(CreditsValidationError) as raised:
        api.create_requirement(name="Part", amount="2", credits=[credit.pk], parent=requirement.id,
                               reminder_days="7")
    assert "reminder_days" in raised.value.field_errors


def test_retirement_forgets_reminders_and_the_choice(annual):
    requirement, credit = annual
    learner = learner_with(requirement, credit, "1", "gone")
    api.send_requirement_reminders(today=D(2026, 12, 20))
    ReminderOptOut.objects.create(user=learner)
    api.retire_learner(learner.pk)
    assert not RequirementReminder.objects.exists() and not ReminderOptOut.objects.exists()


def test_a_reminder_that_could_not_be_delivered_is_sent_by_the_next_run(annual, monkeypatch):
    from credits_plugin import platform  # pylint: disable=import-outside-toplevel

    requirement, credit = annual
    learner = learner_with(requirement, credit, "1", "unlucky")
    outcomes = iter([False, RuntimeError("SMTP down")])

    def failing(*args):
        outcome = next(outcomes)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    monkeypatch.setattr(platform, "send_learner_email", failing)
    assert api.send_requirement_reminders(today=D(2026, 12, 20)) == 0  # a channel said it was not delivered
    assert api.send_requirement_reminders(today=D(2026, 12, 20)) == 0  # the backend raised
    assert not RequirementReminder.objects.exists()
    monkeypatch.undo()
    assert api.send_requirement_reminders(today=D(2026, 12, 20)) == 1
    assert mail.outbox[0].to == [learner.email]


def test_the_periodic_task_judges_as_on_today(annual, monkeypatch):
    from credits_plugin.tasks import send_requirement_reminders_task  # pylint: disable=import-outside-toplevel

    requirement, credit = annual
    learner = learner_with(requirement, credit, "1", "tasked")
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: D(2026, 12, 20))  # the site's today
    assert send_requirement_reminders_task.apply().get() == 1
    assert mail.outbox[0].to == [learner.email]
    assert send_requirement_reminders_task.apply().get() == 0  # a second run sends nothing new
