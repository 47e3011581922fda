"""
Receivers of the platform's events. Thin: check the payload and the cached course
flags, then queue a task when the transaction commits. They never raise into the
platform's grade and certificate events: any error is logged with the course and user
id. Retirement is the exception: its failure must reach the platform's retirement step.
"""
import functools
import logging

from django.db import transaction

from credits_plugin import api
from credits_plugin.constants import AwardTrigger

logger = logging.getLogger(__name__)


def never_raise(receiver):
    """Log any error of a receiver with the event's course and user id instead of raising it."""
    @functools.wraps(receiver)
    def wrapper(*args, **kwargs):
        try:
            return receiver(*args, **kwargs)
        except Exception:  # pylint: disable=broad-except
            logger.exception("Course Credits: %s failed (%s)", receiver.__name__, _describe(kwargs))
            return None
    return wrapper


def _describe(kwargs):
    for name in ("course_passing_status", "certificate"):
        data = kwargs.get(name)
        if data is not None:
            course = getattr(data, "course", None)
            course_key = getattr(course, "course_key", None) or getattr(course, "ccx_course_key", None)
            user = getattr(data, "user", None)
            return f"course {course_key}, user {getattr(user, 'id', None)}"
    user = kwargs.get("user")
    return f"user {getattr(user, 'id', None)}"


def _queue(task, *args):
    """Queue ``task`` after commit; a broker failure is logged, never raised into the platform."""
    def send():
        try:
            task.delay(*args)
        except Exception:  # pylint: disable=broad-except
            logger.exception("Course Credits: could not queue %s%r", task.name, args)
    transaction.on_commit(send)


@never_raise
def award_on_passing(sender, signal, course_passing_status=None, **kwargs):  # pylint: disable=unused-argument
    """COURSE_PASSING_STATUS_UPDATED: award when the learner passes and the course awards on passing."""
    if course_passing_status is None or not course_passing_status.is_passing:
        return  # failing later never takes back what was earned
    _award_if_enabled(course_passing_status.user, course_passing_status.course.course_key, AwardTrigger.PASSING)


@never_raise
def award_on_ccx_passing(sender, signal, course_passing_status=None, **kwargs):  # pylint: disable=unused-argument
    """CCX_COURSE_PASSING_STATUS_UPDATED: a CCX learner's pass counts for the master course."""
    if course_passing_status is None or not course_passing_status.is_passing:
        return
    master = course_passing_status.course.master_course_key
    _award_if_enabled(course_passing_status.user, master, AwardTrigger.PASSING)


@never_raise
def award_on_certificate(sender, signal, certificate=None, **kwargs):  # pylint: disable=unused-argument
    """CERTIFICATE_CREATED (every save of a passing certificate): award when the course awards on certificate."""
    if certificate is None:
        return
    _award_if_enabled(certificate.user, certificate.course.course_key, AwardTrigger.CERTIFICATE)


@never_raise
def revoke_on_certificate_revoked(sender, signal, certificate=None, **kwargs):  # pylint: disable=unused-argument
    """CERTIFICATE_REVOKED: revoke when the course says a revoked certificate revokes its credits."""
    if certificate is None:
        return
    course_key = certificate.course.course_key
    if api.course_award_flags(course_key).revoke_on_certificate_revoked:
        from credits_plugin.tasks import revoke_credits_task  # pylint: disable=import-outside-toplevel

        _queue(revoke_credits_task, certificate.user.id, str(course_key))


def retire_learner(sender, user=None, **kwargs):  # pylint: disable=unused-argument
    """
    USER_RETIRE_LMS_MISC: remove the learner's awards and their name from the audit history.

    The one receiver that raises: the platform's retirement step sends this plain Django signal
    and must see a failure, so that the retirement is reported as failed and tried again rather
    than marked done with the learner's data still here.
    """
    if user is not None:
        api.retire_learner(user.pk)


def _award_if_enabled(user, course_key, trigger):
    """``user`` is the event's UserData: the task needs only its id."""
    if not api.course_award_flags(course_key).awards_on(trigger):
        return  # the common case: no query when the cache is warm, nothing queued
    from credits_plugin.tasks import award_credits_task  # pylint: disable=import-outside-toplevel

    _queue(award_credits_task, user.id, str(course_key), trigger)
