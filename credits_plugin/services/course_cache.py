"""
The plugin's one cache: entries in the site's shared Django cache, read through and forgotten on commit.

Four kinds of entry live there: each course's award flags (does it award credits, on what?),
each course's card (pages about one course), every course's cards together (pages of many
courses: the learner home) and the credit directory. Each is read through: from the cache
when there, else from the database and then stored.

A change forgets what it affects by writing a short-lived *changed* mark in place of the
entry, at once and again when its transaction commits (``forget``). While a mark stands,
readers read the database and store nothing, and storing uses ``cache.add``, which never
replaces a mark. So:

- a reader that read the database before a change committed cannot store what it read after
  the commit: its ``add`` finds the commit's mark;
- a transaction that changes a course and reads it again stores nothing of its uncommitted
  state (its own mark is there), and if it rolls back nothing it read stays behind.

The window left is a reader stalled between its read and its store for longer than the mark
lives (``CHANGE_MARK_SECONDS``, five minutes), and a transaction kept open that long after its
change. docs/decisions/0006-awards-read-the-database.rst says why this replaced version numbers.

A cache that fails is logged and the database answers: the cache never breaks an award or a page.
"""
import hashlib
import logging

from django.core.cache import cache
from django.db import transaction

from credits_plugin.settings import credits_setting

logger = logging.getLogger(__name__)

# The entries (course keys in the flags' keys are hashed where long: ``course_cache_key``).
FLAGS_KEY = "credits_plugin.course_flags.v2.{course_key}"
# v3: cards and the directory carry their names' translations (ADR 0011).
CARDS_KEY = "credits_plugin.course_cards.v3"  # every course's card, for pages of many courses
CARD_KEY = "credits_plugin.course_card.v3.{course_key}"  # one course's card, for pages of one course
DIRECTORY_KEY = "credits_plugin.credit_directory.v3"

CHANGED = "credits_plugin.changed"
CHANGE_MARK_SECONDS = 300
# Course keys run to 255 characters; Memcached keys stop at 250.
LONGEST_KEY_PART = 150


def course_cache_key(template, course_key):
    """``template`` formatted with the course key, or with its SHA-1 where the key is long."""
    text = str(course_key)
    if len(text) > LONGEST_KEY_PART:
        text = "sha1-" + hashlib.sha1(text.encode("utf-8")).hexdigest()
    return template.format(course_key=text)


def read_through(key, read, timeout=None):
    """
    The entry ``key`` from the cache, else ``read()`` (which must not return None), stored
    for ``timeout`` seconds (``CREDITS_COURSE_CACHE_TIMEOUT``) unless a change's mark stands there.
    """
    try:
        found = cache.get(key)
    except Exception:  # pylint: disable=broad-except
        logger.warning("The cache failed; reading %s from the database.", key, exc_info=True)
        return read()
    if found is not None and not _is_mark(found):
        return found
    value = read()
    if found is None:
        if timeout is None:
            timeout = credits_setting("CREDITS_COURSE_CACHE_TIMEOUT")
        _quietly(lambda: cache.add(key, value, timeout))
    return value


def _is_mark(value):
    return isinstance(value, str) and value == CHANGED


def forget(*keys):
    """Forget these entries now and again when the current transaction commits (see the module's docstring)."""
    marks = dict.fromkeys(keys, CHANGED)

    def mark():
        _quietly(lambda: cache.set_many(marks, CHANGE_MARK_SECONDS))
    mark()
    transaction.on_commit(mark)


def forget_course(course_key):
    """A course's settings or designations changed: forget its flags and its card."""
    forget(course_cache_key(FLAGS_KEY, course_key), course_cache_key(CARD_KEY, course_key), CARDS_KEY)


def forget_structure(course_keys=()):
    """
    A credit type or credit changed (a name, a unit, a reference number): forget what shows it,
    the cards of ``course_keys`` (the courses that carry it) among them.
    """
    forget(CARDS_KEY, DIRECTORY_KEY, *(course_cache_key(CARD_KEY, key) for key in course_keys))


def _quietly(function):
    try:
        function()
    except Exception:  # pylint: disable=broad-except
        logger.warning("The cache failed.", exc_info=True)
