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
``CREDITS_AWARD_FROM_CACHE`` decides (None: the Redis and Memcached backends).
docs/decisions/0004-awards-from-a-version-checked-cache.rst says why.
"""
import hashlib
import logging
import secrets
import time
from decimal import Decimal

import attr
from django.conf import settings
from django.core.cache import cache
from django.db import connections, router, transaction

from credits_plugin.models import CourseCredit, CourseCreditSettings
from credits_plugin.services.convert import amount_text
from credits_plugin.settings import credits_setting

logger = logging.getLogger(__name__)
STRUCTURE_VERSION_KEY = "credits_plugin.structure_version.v1"
COURSES_VERSION_KEY = "credits_plugin.courses_version.v1"
AWARDING_KEY = "credits_plugin.awarding.v1.{course_key}"
# Cache backends every process of a site shares, whose incr is atomic: awards may use them.
SHARED_BACKENDS = ("RedisCache", "PyMemcacheCache", "PyLibMCCache", "MemcachedCache")
# Course keys run to 255 characters; Memcached keys stop at 250.
LONGEST_KEY_PART = 150


def course_cache_key(template, course_key):
    """``template`` formatted with the course key, or with its SHA-1 where the key is long."""
    text = str(course_key)
    if len(text) > LONGEST_KEY_PART:
        text = "sha1-" + hashlib.sha1(text.encode("utf-8")).hexdigest()
    return template.format(course_key=text)


def _connection():
    return connections[router.db_for_write(CourseCredit)]


def outside_transactions():
    """Whether the database is in autocommit, outside any transaction (where an award checks foreign keys)."""
    connection = _connection()
    return not connection.in_atomic_block and connection.get_autocommit()


def may_cache():
    """
    Whether what the database shows now may be cached: not inside a transaction that has
    changed what the caches hold (its changes are not committed and may be rolled back, as
    the admin's rehearsal of a change always is), nor in a transaction managed by hand.
    """
    connection = _connection()
    if not connection.in_atomic_block:
        return connection.get_autocommit()
    return getattr(connection, "_credits_changed_in", None) is not connection.atomic_blocks[0]


def _mark_transaction_changed(changed):
    """Note (or, once it commits, forget) that the current transaction changed what the caches hold."""
    connection = _connection()
    if not changed:
        connection._credits_changed_in = None  # pylint: disable=protected-access
    elif connection.in_atomic_block:
        connection._credits_changed_in = connection.atomic_blocks[0]  # pylint: disable=protected-access


def _fresh_version():
    return secrets.randbits(60) + 1


def _version(key):
    version = cache.get(key)
    if version is None:
        cache.add(key, _fresh_version(), None)
        version = cache.get(key)
    return version


# (kind, course key) -> (clock() when fetched, value): see local_copy. A bump clears it and
# changes the generation, so a fetch that was running meanwhile keeps nothing.
_local = {}
_generation = 0
MAX_LOCAL_COPIES = 10000
clock = time.monotonic


def _bump(key):
    """
    Change a version number, now and once the current transaction commits; forget local copies.

    A cache that fails is logged, never raised into the save: the number is then deleted if it
    can be, which invalidates every entry stamped with it.
    """
    def bump():
        global _generation  # pylint: disable=global-statement
        _generation += 1
        _local.clear()
        try:
            try:
                cache.incr(key)
            except ValueError:  # not cached (evicted or never read): a fresh random number will do
                cache.set(key, _fresh_version(), None)
        except Exception:  # pylint: disable=broad-except
            logger.exception("Could not change the cache's version number %s; deleting it", key)
            try:
                cache.delete(key)
            except Exception:  # pylint: disable=broad-except
                logger.exception("Could not delete the cache's version number %s either", key)
    def bump_after_commit():
        _mark_transaction_changed(False)
        bump()
    _mark_transaction_changed(True)
    bump()
    transaction.on_commit(bump_after_commit)


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
    """
    Whether awards may use ``cached_course_awarding``: the cache is one that every process of
    the site shares (Redis, Memcached), or ``CREDITS_AWARD_FROM_CACHE`` says so.
    """
    choice = credits_setting("CREDITS_AWARD_FROM_CACHE")
    if choice is not None:
        return bool(choice)
    backend = settings.CACHES.get("default", {}).get("BACKEND", "django.core.cache.backends.locmem.LocMemCache")
    return backend.rsplit(".", 1)[-1] in SHARED_BACKENDS


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
    in this process forgets every copy at once (and a fetch that was running meanwhile keeps
    nothing); one made in another process reaches this one within those seconds. 0 keeps nothing.
    Nothing read inside a transaction that changed what the caches hold is kept (``may_cache``).
    """
    seconds = credits_setting("CREDITS_LOCAL_CACHE_SECONDS")
    now, generation = clock(), _generation
    kept = _local.get((kind, course_key))
    if kept is not None and now - kept[0] < seconds:
        return kept[1]
    value = fetch(course_key)
    if seconds > 0 and generation == _generation and may_cache():
        if len(_local) >= MAX_LOCAL_COPIES:
            _local.clear()
        _local[(kind, course_key)] = (now, value)
    return value


def forget_local_copy(kind, course_key):
    _local.pop((kind, course_key), None)


def forget_local_copies():
    _local.clear()


def _shared_course_awarding(course_key):
    key = course_cache_key(AWARDING_KEY, course_key)
    found = cache.get_many([key, STRUCTURE_VERSION_KEY, COURSES_VERSION_KEY])
    versions = (found.get(STRUCTURE_VERSION_KEY), found.get(COURSES_VERSION_KEY))
    entry = found.get(key)
    if entry is not None and None not in versions and entry[0] == versions:
        return entry[1]
    # Stamp with the numbers read before reading the database: a change committed meanwhile
    # bumps them, and this entry is never used.
    versions = (versions[0] or structure_version(), versions[1] or courses_version())
    awarding = read_course_awarding(course_key)
    if may_cache():
        cache.set(key, (versions, awarding), credits_setting("CREDITS_COURSE_CACHE_TIMEOUT"))
    return awarding
