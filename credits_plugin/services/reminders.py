"""
Reminders to learners who are behind on a requirement, a chosen number of days before their
period ends: at most one per learner, requirement, period and threshold, whatever the number
of runs (a ``RequirementReminder`` row claims each before it is sent, and is let go when the
email could not be delivered, for the next run), never to a learner who switched them off.
"""
import logging

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from credits_plugin import platform
from credits_plugin.models import CreditRequirement, ReminderOptOut, RequirementReminder
from credits_plugin.services.requirements import iter_compliance, reminder_days
from credits_plugin.validation import format_amount

logger = logging.getLogger(__name__)


def reminders_enabled(user):
    return not ReminderOptOut.objects.filter(user_id=user.pk).exists()


def set_reminders(user, enabled):
    """Switch the learner's requirement reminders on or off."""
    if enabled:
        ReminderOptOut.objects.filter(user_id=user.pk).delete()
    else:
        ReminderOptOut.objects.get_or_create(user_id=user.pk)


def due_threshold(thresholds, days_left):
    """The smallest threshold the period's end is within (``days_left`` days, today included), or None."""
    due = [days for days in thresholds if days_left <= days]
    return min(due) if due and days_left >= 0 else None


def send_requirement_reminders(today=None, batch_size=1000):
    """
    Remind every learner who is behind on an active requirement with reminders, when their
    period ends within one of its thresholds. Returns how many reminders were sent.
    """
    today = today or timezone.localdate()
    sent = 0
    for requirement in CreditRequirement.objects.filter(active=True, parent__isnull=True).exclude(reminder_days=""):
        thresholds = reminder_days(requirement.reminder_days)
        batch = []
        for row in iter_compliance(requirement.pk, as_of=today, status="behind", batch_size=batch_size):
            days = due_threshold(thresholds, (row.progress.period_end - today).days)
            if days is not None:
                batch.append((row, days))
            if len(batch) >= batch_size:
                sent += _remind(requirement, batch)
                batch = []
        if batch:
            sent += _remind(requirement, batch)
    return sent


def _remind(requirement, due):
    """Claim and send the reminders of one batch of learners (the opted out skipped)."""
    opted_out = set(ReminderOptOut.objects.filter(user_id__in=[row.user_id for row, _days in due])
                    .values_list("user_id", flat=True))
    users = get_user_model().objects.in_bulk([row.user_id for row, _days in due if row.user_id not in opted_out])
    sent = 0
    for row, days in due:
        user = users.get(row.user_id)
        if user is None:
            continue
        claim = _claim(requirement, user, row.progress.period_end, days)
        if claim is None:
            continue  # reminded already (by this run's predecessors, or by one running now)
        if _send(requirement, user, row.progress):
            sent += 1
        else:
            claim.delete()  # not delivered: the next run tries again
    return sent


def _send(requirement, user, progress):
    """Email one reminder in the learner's language; whether it was delivered."""
    try:
        language = platform.get_learner_language(user)
        with translation.override(language):
            subject, body = _message(requirement, progress)
            return platform.send_learner_email(user, subject, body, language)
    except Exception:  # pylint: disable=broad-except
        logger.exception("Could not remind user %s of requirement %s", user.pk, requirement.pk)
        return False


def _claim(requirement, user, period_end, days):
    """
    Record the reminder before sending it, so that a second run (or a concurrent one) finds it and
    skips: the row, or None when it exists already.
    """
    try:
        with transaction.atomic():
            return RequirementReminder.objects.create(requirement=requirement, user=user, period_end=period_end,
                                                      days_before=days)
    except IntegrityError:
        return None


def _message(requirement, progress):
    from django.utils.formats import date_format  # pylint: disable=import-outside-toplevel

    subject = _("{requirement}: {remaining} {unit} to go").format(
        requirement=requirement.name, remaining=format_amount(progress.remaining), unit=progress.display_unit)
    body = _("You have {counted} of the {required} {unit} that {requirement} requires for the period that ends "
             "on {end}: {remaining} {unit} to go. Your credits page shows where you stand. You can switch these "
             "reminders off there.").format(
        counted=format_amount(progress.counted), required=format_amount(progress.required), unit=progress.display_unit,
        requirement=requirement.name, end=date_format(progress.period_end, "DATE_FORMAT"),
        remaining=format_amount(progress.remaining))
    return subject, body


__all__ = ["reminders_enabled", "send_requirement_reminders", "set_reminders"]
