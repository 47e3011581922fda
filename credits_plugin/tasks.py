"""
Celery tasks: the work the receivers queue. Idempotent, primitive arguments, bounded retries.
"""
import logging

from celery import shared_task
from django.db import DatabaseError

from credits_plugin import api

logger = logging.getLogger(__name__)

RETRY = {"autoretry_for": (DatabaseError,), "retry_backoff": 5, "retry_jitter": True, "max_retries": 3}


@shared_task(bind=True, **RETRY)
def award_credits_task(self, user_id, course_id, trigger, username=None):  # pylint: disable=unused-argument
    """
    Award a course's credits to a learner if the course awards on ``trigger``.

    ``username`` is what earlier receivers passed: tasks they queued still run; the database says it now.
    """
    result = api.award_on_trigger(user_id, course_id, trigger)
    return {"created": len(result.created), "already_awarded": result.already_awarded}


@shared_task(bind=True, **RETRY)
def revoke_credits_task(self, user_id, course_id):  # pylint: disable=unused-argument
    """Revoke a learner's credits in a course after their certificate was revoked, if the course says so."""
    return api.revoke_for_revoked_certificate(user_id, course_id)


@shared_task(bind=True, **RETRY)
def reconcile_course_credits_task(self):  # pylint: disable=unused-argument
    """
    Award what events missed, looking at records changed since the last run: schedule it
    periodically (Celery beat, or cron with the command; docs/operator-guide.md).
    """
    return api.reconcile_course_credits().as_dict()


@shared_task(bind=True, **RETRY)
def backfill_course_credits_task(self, course_id, batch_size=None):  # pylint: disable=unused-argument
    """Award a course's credits to every learner passing it now (resumable: skips existing awards)."""
    return api.run_backfill(course_id, batch_size=batch_size).as_dict()


@shared_task(bind=True, **RETRY)
def send_requirement_reminders_task(self):  # pylint: disable=unused-argument
    """
    Remind learners who are behind on a requirement as its period's end nears: schedule it once a
    day (Celery beat, or cron with the command ``send_requirement_reminders``). At most one
    reminder per learner, requirement, period and threshold, whatever the number of runs.
    """
    return api.send_requirement_reminders()
