"""
Version numbers that keep the plugin's caches honest, and the cached picture of what a course awards.

Two numbers live in the Django cache: the *structure version* (any credit type or credit
changed) and the *courses version* (any course's settings or designations changed). Every
change bumps its number when it is saved and again when its transaction commits (see
``apps.ready``), so a cache entry stamped with the numbers read *before* it was built is
used only while nothing it depends on has changed since. A number starts at a random value:
a number evicted from the cache and created again never repeats an old one, so an old entry
can never look current.

``CourseAwarding`` is what the award task needs of a course (is it on, when does it award,
which credits with which amounts, names and reference numbers); ``cached_course_awarding``
reads it from the cache, checked against both numbers in the same round trip. Awards use it
only where the cache is shared by every process (Redis, Memcached...): with a per-process
cache a change made in Studio would not reach the LMS workers' copies.
``CREDITS_AWARD_FROM_CACHE`` decides (None: any backend but the local-memory and dummy ones).
docs/decisions/0004-awards-from-a-version-checked-cache.rst says why.
"""
import secrets
import time
from decimal import Decimal

import attr
from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from credits_plugin.models import CourseCredit, CourseCreditSettings
from credits_plugin.services.convert import amount_text

STRUCTURE_VERSION_KEY = "credits_plugin.structure_version.v1"
COURSES_VERSION_KEY = "credits_plugin.courses_version.v1"
AWARDING_KEY = "credits_plugin.awarding.v1.{course_key}"
DEFAULT_TIMEOUT = 3600
DEFAULT_LOCAL_SECONDS = 2
PER_PROCESS_BACKENDS = ("LocMemCache", "DummyCache")


def _fresh_version():
    return secrets.randbits(60) + 1


def _version(key):
    version = cache.get(key)
    if version is None:
        cache.add(key, _fresh_version(), None)
        version = cache.get(key)
    return version


# (kind, course key) -> (time.monotonic() when fetched, value): see local_copy.
_local = {}
MAX_LOCAL_COPIES = 10000


def _bump(key):
    """Change a version number, now and once the current transaction commits; forget local copies."""
    def bump():
        _local.clear()
        try:
            cache.incr(key)
        except ValueError:  # not cached (evicted or never read): a fresh random number will do
            cache.set(key, _fresh_version(), None)
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


def bump_courses_version():
    _bump(COURSES_VERSION_KEY)


@attr.s(frozen=True, auto_attribs=True)
class CourseAwarding:
    """
    What an automatic award of a course writes: its switch, its trigger and, per credit it
    awards, ``(credit id, amount, credit name, type name, unit, reference number)``.
    """

    enabled: bool = False
    award_trigger: str = ""
    designations: tuple = ()

    def awards_on(self, trigger):
        return self.enabled and bool(self.designations) and self.award_trigger == trigger


def award_from_cache():
    """Whether awards may use ``cached_course_awarding`` (the cache is shared by every process)."""
    choice = getattr(settings, "CREDITS_AWARD_FROM_CACHE", None)
    if choice is not None:
        return bool(choice)
    backend = settings.CACHES.get("default", {}).get("BACKEND", "django.core.cache.backends.locmem.LocMemCache")
    return backend.rsplit(".", 1)[-1] not in PER_PROCESS_BACKENDS


def read_course_awarding(course_key):
    """The course's ``CourseAwarding`` from the database (two queries)."""
    row = CourseCreditSettings.objects.filter(course_key=course_key).values("enabled", "award_trigger").first()
    row = row or {"enabled": False, "award_trigger": ""}
    rows = CourseCredit.objects.filter(course_key=course_key).select_related("credit__credit_type")
    designations = tuple(
        (d.credit_id, Decimal(amount_text(d.amount)), d.credit.name, d.credit.credit_type.name,
         d.credit.credit_type.unit, d.reference_number or d.credit.reference_number)
        for d in rows.order_by("credit_id"))
    return CourseAwarding(enabled=row["enabled"], award_trigger=row["award_trigger"], designations=designations)


def cached_course_awarding(course_key):
    """
    The course's ``CourseAwarding`` from the cache when its entry was built at the current version
    numbers (one cache round trip, no query), else from the database, then cached; kept in
    this process for ``CREDITS_LOCAL_CACHE_SECONDS`` (see ``local_copy``).

    Raises what the cache raises: callers fall back to the database.
    """
    return local_copy("awarding", course_key, _shared_course_awarding)


def local_copy(kind, course_key, fetch):
    """
    ``fetch(course_key)``, kept in this process ``CREDITS_LOCAL_CACHE_SECONDS`` (default 2) and
    returned without asking the shared cache again meanwhile: a burst of events in a course (a
    grade change passing many learners at once) pays the cache's round trip once. A change made
    in this process forgets every copy at once; one made in another process reaches this one
    within those seconds, less than an award task's own wait in its queue. 0 keeps nothing.
    """
    seconds = getattr(settings, "CREDITS_LOCAL_CACHE_SECONDS", DEFAULT_LOCAL_SECONDS)
    now = time.monotonic()
    kept = _local.get((kind, course_key))
    if kept is not None and now - kept[0] < seconds:
        return kept[1]
    value = fetch(course_key)
    if seconds > 0:
        if len(_local) >= MAX_LOCAL_COPIES:
            _local.clear()
        _local[(kind, course_key)] = (now, value)
    return value


def forget_local_copies():
    _local.clear()


def _shared_course_awarding(course_key):
    key = AWARDING_KEY.format(course_key=course_key)
    found = cache.get_many([key, STRUCTURE_VERSION_KEY, COURSES_VERSION_KEY])
    versions = (found.get(STRUCTURE_VERSION_KEY), found.get(COURSES_VERSION_KEY))
    entry = found.get(key)
    if entry is not None and None not in versions and entry[0] == versions:
        return entry[1]
    # Stamp with the numbers read before reading the database: a change committed meanwhile
    # bumps them, and this entry is never used.
    versions = (versions[0] or structure_version(), versions[1] or courses_version())
    awarding = read_course_awarding(course_key)
    cache.set(key, (versions, awarding), getattr(settings, "CREDITS_COURSE_CACHE_TIMEOUT", DEFAULT_TIMEOUT))
    return awarding
