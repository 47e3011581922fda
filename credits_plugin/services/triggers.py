"""
Awarding and revoking on Open edX events, behind a cached "does this course award credits?" check.

Most courses award no credits, and ``COURSE_PASSING_STATUS_UPDATED`` fires on every
grade change: the receivers ask ``course_award_flags`` first, which is answered
from the Django cache without a database query once warm. Every change of a course's
settings or designations (API, admin, any door) deletes the cached answer when its
transaction commits (see ``invalidate_course``, connected in ``apps.ready``), so a
stale cached "yes" costs a task, never a wrong award. The task that does the work reads
the database again, or, where the cache is shared, an entry checked against the version
numbers every change bumps (``course_cache``).
"""
import logging

import attr
from django.core.cache import cache
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from credits_plugin.constants import AwardSource, AwardStatus, AwardTrigger
from credits_plugin.data import AwardResult
from credits_plugin.exceptions import CreditsConflict, CreditsNotFound
from credits_plugin.models import AwardedCredit, CourseCredit, CourseCreditSettings
from credits_plugin.services.awards import (
    award_course_credits,
    award_from_snapshot,
    cached_awarding_or_none,
    revoke_award,
)
from credits_plugin.services.course_cache import (
    bump_courses_version,
    course_cache_key,
    forget_local_copy,
    local_copy,
    may_cache,
)
from credits_plugin.settings import credits_setting
from credits_plugin.validation import parse_course_key

logger = logging.getLogger(__name__)

CACHE_KEY = "credits_plugin.course_flags.v1.{course_key}"


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
    # Memcached keys cannot hold spaces or control characters (course keys never do) nor pass 250 characters.
    return course_cache_key(CACHE_KEY, course_key)


def _read_flags(course_key):
    row = (CourseCreditSettings.objects.filter(course_key=course_key)
           .annotate(has_credits=Exists(CourseCredit.objects.filter(course_key=OuterRef("course_key"))))
           .values("enabled", "award_trigger", "revoke_on_certificate_revoked", "has_credits").first())
    return CourseAwardFlags(**row) if row else OFF


def course_award_flags(course_key):
    """
    The course's award flags: from this process's copy of the last few seconds or the cache
    when warm (no query), else one query (see ``course_cache.local_copy``).
    """
    return local_copy("flags", course_key, _shared_flags)


def _shared_flags(course_key):
    """The flags from the shared cache, else the database; a cache that fails means the database."""
    key = _cache_key(course_key)
    try:
        flags = cache.get(key)
    except Exception:  # pylint: disable=broad-except
        logger.warning("The cache failed; reading the award flags of %s from the database.", course_key,
                       exc_info=True)
        return _read_flags(course_key)
    if flags is None:
        flags = _read_flags(course_key)
        if may_cache():  # never what a transaction sees of its own uncommitted changes
            _quietly(lambda: cache.set(key, flags, credits_setting("CREDITS_COURSE_CACHE_TIMEOUT")))
    return flags


def _quietly(function):
    try:
        function()
    except Exception:  # pylint: disable=broad-except
        logger.warning("The cache failed.", exc_info=True)


def invalidate_course(course_key):
    """Forget the cached flags of a course once the current transaction commits (and now)."""
    key = _cache_key(course_key)
    _quietly(lambda: cache.delete(key))
    transaction.on_commit(lambda: _quietly(lambda: cache.delete(key)))
    bump_courses_version()


def award_on_trigger(user_id, course_key, trigger, username=None):
    """
    Award the course's credits to a learner if the course awards on ``trigger`` now.

    This runs in the task. Where the cache is shared by every process and the event gave the
    learner's ``username``, the course's settings and credits come from the cache at the
    current version numbers (``course_cache``) and a learner's first award is one query;
    otherwise they are read from the database.
    """
    course_key = parse_course_key(course_key)
    source = AwardSource.CERTIFICATE if trigger == AwardTrigger.CERTIFICATE else AwardSource.PASSING
    try:
        awarding = cached_awarding_or_none(course_key) if username else None
        if awarding is not None and not awarding.awards_on(trigger):
            # This process's copy may predate credits being switched on: ask the shared cache.
            forget_local_copy("awarding", course_key)
            awarding = cached_awarding_or_none(course_key)
        if awarding is not None:
            if not awarding.awards_on(trigger):
                return AwardResult()
            return award_from_snapshot(int(user_id), username, course_key, awarding.designations, source)
        if not _read_flags(course_key).awards_on(trigger):
            return AwardResult()
        return award_course_credits(int(user_id), course_key, source=source)
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
