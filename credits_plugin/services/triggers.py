"""
Awarding and revoking on Open edX events, behind a cached "does this course award credits?" check.

Most courses award no credits, and ``COURSE_PASSING_STATUS_UPDATED`` fires on every
grade change: the receivers ask ``course_award_flags`` first, which is answered
from the shared Django cache without a database query once warm. Every change of a
course's settings or designations (API, admin, any door) forgets the cached answer at once
and again when its transaction commits (``course_cache.forget_course``, connected in
``apps.ready``), so a stale "yes" costs a task, never a wrong award. The task reads
the course's settings and credits from the database and inserts: at most three queries.
"""
import logging

import attr
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from credits_plugin.constants import AwardSource, AwardStatus, AwardTrigger
from credits_plugin.data import AwardResult
from credits_plugin.exceptions import CreditsConflict, CreditsNotFound
from credits_plugin.models import AwardedCredit, CourseCredit, CourseCreditSettings
from credits_plugin.services.awards import award_course_credits, revoke_award
from credits_plugin.services.course_cache import FLAGS_KEY, course_cache_key, read_through
from credits_plugin.validation import parse_course_key

logger = logging.getLogger(__name__)



@attr.s(frozen=True, auto_attribs=True)
class CourseAwardFlags:
    """What the event receivers need to know about a course, small enough to cache."""

    enabled: bool = False
    award_trigger: str = AwardTrigger.PASSING
    revoke_on_certificate_revoked: bool = False
    has_credits: bool = False

    def awards_on(self, trigger):
        return self.enabled and self.has_credits and self.award_trigger == trigger


OFF = CourseAwardFlags()


def _read_flags(course_key):
    row = (CourseCreditSettings.objects.filter(course_key=course_key)
           .annotate(has_credits=Exists(CourseCredit.objects.filter(course_key=OuterRef("course_key"))))
           .values("enabled", "award_trigger", "revoke_on_certificate_revoked", "has_credits").first())
    return CourseAwardFlags(**row) if row else OFF


def course_award_flags(course_key):
    """The course's award flags: from the shared cache when warm (no query), else one query."""
    return read_through(course_cache_key(FLAGS_KEY, course_key), lambda: _read_flags(course_key))


def award_on_trigger(user_id, course_key, trigger, username=None):  # pylint: disable=unused-argument
    """
    Award the course's credits to a learner if the course awards on ``trigger`` now (the task's work).

    Reads the course's settings, credits and the learner's awards of them from the database in
    one query and inserts what is missing: at most three queries (``award_course_credits``).
    ``username`` is what tasks queued by earlier releases passed; the database says it now.
    """
    course_key = parse_course_key(course_key)
    source = AwardSource.CERTIFICATE if trigger == AwardTrigger.CERTIFICATE else AwardSource.PASSING
    try:
        return award_course_credits(int(user_id), course_key, source=source, trigger=trigger)
    except CreditsNotFound:  # the account was deleted or retired since the event: nothing to award
        logger.info("No award in %s for user %s: there is no such user any more.", course_key, user_id)
        return AwardResult()


def revoke_for_revoked_certificate(user_id, course_key):
    """Revoke a learner's standing awards in a course whose settings say a revoked certificate revokes them."""
    course_key = parse_course_key(course_key)
    if not _read_flags(course_key).revoke_on_certificate_revoked:
        return 0
    revoked = 0
    for award_uuid in standing_award_uuids(int(user_id), course_key):
        try:
            revoke_award(award_uuid, acting_user=None, reason=_("The learner's certificate was revoked."))
        except CreditsConflict:
            continue  # revoked by someone else since it was listed: each award stands or falls on its own
        revoked += 1
    logger.info("Revoked %d credit(s) in %s for user %s after a certificate revocation.", revoked, course_key,
                user_id)
    return revoked


def standing_award_uuids(user_id, course_key):
    """The uuids of the learner's awards in the course that are not revoked."""
    return list(AwardedCredit.objects.filter(user_id=user_id, course_key=course_key,
                                             status=AwardStatus.AWARDED).values_list("uuid", flat=True))
