"""
The only door to openedx-platform.

Each function here forwards to the backend module named by the setting
``CREDITS_PLATFORM_BACKEND`` (read at call time): ``credits_plugin.platform.openedx``
inside Open edX, ``credits_plugin.platform.standalone`` in tests and the demo.
Every function of one backend has a twin in the other.
"""
import datetime
from importlib import import_module
from typing import Optional

import attr
from django.conf import settings
from django.db.models import Q
from django.utils import translation

from credits_plugin.settings import credits_setting

__all__ = [
    "get_backend",
    "get_certificate_url",
    "get_certificate_urls",
    "get_issuer",
    "get_page_base_template",
    "get_page_links",
    "frame_page",
    "get_course_names",
    "get_learner_language",
    "get_learner_name",
    "get_user_by_username",
    "has_course_staff_access",
    "has_studio_write_access",
    "iter_passing_user_ids",
    "count_passing_users",
    "iter_qualifying_changes",
    "send_learner_email",
]


def user_id_batches(queryset, batch_size, dated_by=None):
    """
    Lists of at most ``batch_size`` user ids from ``queryset`` (rows with a ``user_id``), in
    increasing order, each batch read by keyset (``user_id > last``): bounded memory, and no
    OFFSET that slows down as the course grows. With ``dated_by`` (a field), lists of
    ``(user_id, that field's value)``. Shared by the backends.
    """
    last_id = 0
    while True:
        page = queryset.filter(user_id__gt=last_id).order_by("user_id")
        page = page.values_list("user_id", dated_by) if dated_by else page.values_list("user_id", flat=True)
        batch = list(page[:batch_size])
        if not batch:
            return
        yield batch
        last_id = batch[-1][0] if dated_by else batch[-1]


@attr.s(frozen=True, auto_attribs=True)
class QualifyingChange:
    """A learner record that qualifies for an award now, and when it changed (see ``iter_qualifying_changes``)."""

    changed_at: datetime.datetime
    row_id: int
    user_id: int
    course_key: object  # a CourseKey
    qualified_at: Optional[datetime.datetime]  # when the learner first passed, or was certified


def qualifying_change_batches(queryset, changed, qualified, since, batch_size):
    """
    Lists of at most ``batch_size`` ``QualifyingChange`` of ``queryset`` (rows with ``user_id``,
    ``course_id`` or ``course_key``, and the fields ``changed`` and ``qualified``), changed at or
    after ``since`` (all when None), in (``changed``, id) order, each batch read by keyset: bounded
    memory, no OFFSET, an index on the change time serves it. Shared by the backends.
    """
    course_field = "course_id" if "course_id" in {f.name for f in queryset.model._meta.fields} else "course_key"
    if since is not None:
        queryset = queryset.filter(**{f"{changed}__gte": since})
    columns = (changed, "id", "user_id", course_field, qualified)
    last = None
    while True:
        page = queryset
        if last is not None:
            page = page.filter(Q(**{f"{changed}__gt": last.changed_at}) | Q(**{changed: last.changed_at,
                                                                               "id__gt": last.row_id}))
        batch = [QualifyingChange(*row) for row in page.order_by(changed, "id").values_list(*columns)[:batch_size]]
        if not batch:
            return
        yield batch
        last = batch[-1]


def get_backend():
    """The backend module chosen by ``CREDITS_PLATFORM_BACKEND``."""
    return import_module(credits_setting("CREDITS_PLATFORM_BACKEND"))


def has_studio_write_access(user, course_key):
    """Whether ``user`` may change the course in Studio (global staff, course staff, org roles)."""
    return bool(user and user.is_authenticated and get_backend().has_studio_write_access(user, course_key))


def has_course_staff_access(user, course_key):
    """Whether ``user`` is staff of the course in the LMS (or global staff)."""
    return bool(user and user.is_authenticated and get_backend().has_course_staff_access(user, course_key))


def get_course_names(course_keys):
    """``{str(course_key): display name}`` for many courses in one call; unknown courses are left out."""
    keys = list({str(key): key for key in course_keys}.values())
    if not keys:
        return {}
    return get_backend().get_course_names(keys)


def get_certificate_urls(user, course_keys):
    """``{str(course_key): url}`` of the learner's certificates that can be viewed; courses without one are left out."""
    keys = list({str(key): key for key in course_keys}.values())
    if user is None or not keys:
        return {}
    return get_backend().get_certificate_urls(user, keys)


def get_certificate_url(user, course_key):
    """The learner's certificate web page for the course, or None."""
    return get_certificate_urls(user, [course_key]).get(str(course_key))


def get_issuer(course_key):
    """
    ``{"name", "url", "organization"}``: the site that issues the course's credits and the course's
    organization; for ``course_key`` None (a credit earned elsewhere, approved here) the site alone.
    """
    issuer = get_backend().get_issuer(course_key)
    # Text whatever the backend gives (a lazy translation cannot go into a credential's JSON).
    return {key: str(value) if value is not None else "" for key, value in issuer.items()}


def iter_passing_user_ids(course_key, batch_size=1000, with_pass_dates=False):
    """
    Lists of at most ``batch_size`` ids of learners passing the course now, in increasing id order;
    ``with_pass_dates``: lists of ``(user_id, when they passed)`` (an aware datetime).
    """
    backend = get_backend()
    if with_pass_dates:  # asked only where an approval has dates: a backend of earlier releases serves the rest
        return backend.iter_passing_user_ids(course_key, batch_size, True)
    return backend.iter_passing_user_ids(course_key, batch_size)


def iter_qualifying_changes(trigger, course_keys, since, batch_size=1000):
    """
    Lists of at most ``batch_size`` ``QualifyingChange``: learners who qualify now for an award on
    ``trigger`` in one of ``course_keys`` (a passing grade; a certificate that can be viewed),
    whose record changed at or after ``since`` (all when None), in the order they changed.
    """
    return get_backend().iter_qualifying_changes(trigger, course_keys, since, batch_size)


def count_passing_users(course_key):
    """How many learners pass the course now (for a backfill's progress bar)."""
    return get_backend().count_passing_users(course_key)


def get_user_by_username(username):
    """The user with this username, or None."""
    return get_backend().get_user_by_username(username)


def get_learner_name(user):
    """The learner's display name (their profile's full name), or "" when they gave none."""
    return get_backend().get_learner_name(user) or ""


def get_learner_language(user):
    """
    The language to write to the learner in: their language preference (the account setting the
    platform's own emails use) when the site offers it, else the site's default language.
    """
    preferred = get_backend().get_learner_language(user)
    if preferred:
        try:
            return translation.get_supported_language_variant(preferred)
        except LookupError:
            pass
    return settings.LANGUAGE_CODE


def get_page_base_template(surface):
    """
    The platform's page the plugin's pages extend (a Django template with the blocks title,
    headextra, bodyclass and body). ``surface`` is "lms" or "studio": the page's audience,
    for backends that serve both from one process (the demo); the Open edX backend answers
    for the service it runs in.
    """
    return get_backend().get_page_base_template(surface)


def get_page_links(course_key=None):
    """
    Where the plugin's pages lead back to: ``{"dashboard": ...}`` and, for a course,
    ``"instructor_dashboard"`` (LMS) and ``"studio_course"`` (the course in Studio).
    """
    return get_backend().get_page_links(course_key)


def frame_page(request, parts, course_key=None):
    """
    The whole page from the parts of a page rendered with ``credits_plugin/frames/parts.html``
    (``{"title", "bodyclass", "head", "body"}``, escaped HTML), for a frame that is not a Django
    template (Studio's); ``course_key`` gives Studio's header its course menu.
    """
    return get_backend().frame_page(request, parts, course_key)


def send_learner_email(user, subject, body, language):
    """
    Email a learner a short plain-text message through the platform's messaging (edx-ace in Open
    edX), already written in ``language`` (see ``get_learner_language``), which the platform's
    layout around it follows. Returns whether it was delivered; a learner without an email
    address gets nothing. A delivery that fails may raise, or return False.
    """
    if not getattr(user, "email", ""):
        return False
    return bool(get_backend().send_learner_email(user, str(subject), str(body), language))
