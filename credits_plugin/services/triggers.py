"""
Awarding and revoking on Open edX events, behind a cached "does this course award credits?" check.

Most courses award no credits, and ``COURSE_PASSING_STATUS_UPDATED`` fires on every
grade change: the receivers ask ``course_award_flags`` first, which is answered
from the Django cache without a database query once warm. Every change of a course's
settings or designations (API, admin, any door) deletes the cached answer when its
transaction commits (see ``invalidate_course``, connected in ``apps.ready``). The
task that does the work reads the database again, so a stale cached "yes" costs a
task, never a wrong award.
"""
import logging

import attr
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from credits_plugin.constants import AwardSource, AwardStatus, AwardTrigger
from credits_plugin.data import AwardResult
from credits_plugin.exceptions import CreditsNotFound
from credits_plugin.models import AwardedCredit, CourseCredit, CourseCreditSettings
from credits_plugin.services.awards import award_course_credits, revoke_award
from credits_plugin.validation import parse_course_key

logger = logging.getLogger(__name__)

CACHE_KEY = "credits_plugin.course_flags.v1.{course_key}"
DEFAULT_TIMEOUT = 3600


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


def _cache_key(course_key):
    # Memcached keys cannot hold spaces or control characters; course keys never do.
    return CACHE_KEY.format(course_key=course_key)


def _read_flags(course_key):
    row = (CourseCreditSettings.objects.filter(course_key=course_key)
           .annotate(has_credits=Exists(CourseCredit.objects.filter(course_key=OuterRef("course_key"))))
           .values("enabled", "award_trigger", "revoke_on_certificate_revoked", "has_credits").first())
    return CourseAwardFlags(**row) if row else OFF


def course_award_flags(course_key):
    """The course's award flags: from the cache when warm (no query), else one query."""
    key = _cache_key(course_key)
    flags = cache.get(key)
    if flags is None:
        flags = _read_flags(course_key)
        cache.set(key, flags, getattr(settings, "CREDITS_COURSE_CACHE_TIMEOUT", DEFAULT_TIMEOUT))
    return flags


def invalidate_course(course_key):
    """Forget the cached flags of a course once the current transaction commits (and now)."""
    key = _cache_key(course_key)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))
    _bump(COURSES_VERSION_KEY)


STRUCTURE_VERSION_KEY = "credits_plugin.structure_version.v1"
COURSES_VERSION_KEY = "credits_plugin.courses_version.v1"


def _version(key):
    version = cache.get(key)
    if version is None:
        cache.add(key, 1, None)
        version = cache.get(key) or 1
    return version


def _bump(key):
    """Change a version number, now and once the current transaction commits."""
    def bump():
        try:
            cache.incr(key)
        except ValueError:  # not cached (evicted or never read): any new number will do
            cache.set(key, _version(key) + 1, None)
    bump()
    transaction.on_commit(bump)


def structure_version():
    """
    A number that changes whenever a credit type or credit changes (name, unit, reference...).

    Caches of what courses show (the about card) put it in their keys, so an edit of a
    credit shows everywhere at once without knowing every course that carries it.
    """
    return _version(STRUCTURE_VERSION_KEY)


def bump_structure_version():
    _bump(STRUCTURE_VERSION_KEY)


def courses_version():
    """A number that changes whenever any course's settings or designations change."""
    return _version(COURSES_VERSION_KEY)


def award_on_trigger(user_id, course_key, trigger):
    """
    Award the course's credits to a learner if the course awards on ``trigger`` now.

    Reads the course's settings from the database (not the cache): this runs in the task.
    """
    course_key = parse_course_key(course_key)
    flags = _read_flags(course_key)
    if not flags.awards_on(trigger):
        return AwardResult()
    source = AwardSource.CERTIFICATE if trigger == AwardTrigger.CERTIFICATE else AwardSource.PASSING
    try:
        return award_course_credits(int(user_id), course_key, source=source)
    except CreditsNotFound:  # the account was deleted or retired since the event: nothing to award
        logger.info("No award in %s for user %s: there is no such user any more.", course_key, user_id)
        return AwardResult()


def revoke_for_revoked_certificate(user_id, course_key):
    """Revoke a learner's standing awards in a course whose settings say a revoked certificate revokes them."""
    course_key = parse_course_key(course_key)
    if not _read_flags(course_key).revoke_on_certificate_revoked:
        return 0
    uuids = list(AwardedCredit.objects.filter(user_id=int(user_id), course_key=course_key,
                                              status=AwardStatus.AWARDED).values_list("uuid", flat=True))
    for award_uuid in uuids:
        revoke_award(award_uuid, acting_user=None, reason=_("The learner's certificate was revoked."))
    logger.info("Revoked %d credit(s) in %s for user %s after a certificate revocation.", len(uuids), course_key,
                user_id)
    return len(uuids)
