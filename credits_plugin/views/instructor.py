"""
The instructor's credits panel, for course staff (LMS).

``render_panel(request, course_key)`` returns the panel's HTML (no <html> or
<head>): the course's credits, its awards report (paginated, searchable by
username, CSV download through the REST API), a manual award form, a revoke
form per standing award, and a backfill button with its progress. It fills the
"Credits" section of the legacy instructor dashboard
(``credits_plugin.filters.instructor``) and the page /credits/instructor/<course_id>/.

The forms post to the views below, which call ``credits_plugin.api`` as the
signed-in user, then go back to the page they came from (a safe ``next`` URL on
this host, else the panel page) with a message. An error changes nothing and is
shown as a message. The panel costs a constant number of queries whatever the
number of awards.
"""
import logging
import math

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, JsonResponse, QueryDict
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from credits_plugin import api
from credits_plugin.views.frame import clashes_as_conflicts, render_page

logger = logging.getLogger(__name__)

PANEL_TEMPLATE = "credits_plugin/instructor/panel.html"
PAGE_TEMPLATE = "credits_plugin/instructor/page.html"
PAGE_SIZE = 25
# Query parameters of the panel, prefixed: the panel lives inside other pages.
SEARCH_PARAM = "credits_search"
PAGE_PARAM = "credits_page"
MAX_SEARCH_LENGTH = 150
MAX_PAGE = 10 ** 6
ACTIVE_BACKFILL_STATES = ("queued", "running")


def _course_or_404(course_id):
    try:
        return api.parse_course_key(course_id)
    except api.CreditsValidationError as exc:
        raise Http404(exc.message) from exc


def _staff_course(request, course_id):
    """The course key, once the signed-in user is known to be its staff (404 for a bad id, else 403)."""
    course_key = _course_or_404(course_id)
    if not api.is_course_staff(request.user, course_key):
        raise PermissionDenied(_("Only the course's staff can manage its credits."))
    return course_key


def _url(name, course_key):
    return reverse(f"credits_plugin:{name}", kwargs={"course_id": str(course_key)})


def backfill_message(status):
    """One sentence on a backfill's state and progress (shown in the panel and sent by the status view)."""
    if not status:
        return ""
    counts = {"learners": status.get("learners") or 0, "expected": status.get("expected_learners") or 0,
              "awarded": status.get("awarded") or 0, "already": status.get("already_awarded") or 0}
    state = status.get("state")
    if state == "queued":
        return _("A backfill is queued: it starts in a moment.")
    if state == "running":
        return _("Backfill running: {learners} of {expected} learners read, {awarded} credits awarded so far."
                 ).format(**counts)
    if state == "done":
        return _("Last backfill done: {learners} learners read, {awarded} credits awarded, "
                 "{already} already held.").format(**counts)
    if state == "failed":
        return _("The last backfill failed. Try again, or ask an operator to look at the logs.")
    return ""


def _page_number(value):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), MAX_PAGE)


def _query(params, **changes):
    """``?...`` of the current query string with some panel parameters changed (None removes one)."""
    query = params.copy()
    for key, value in changes.items():
        query.pop(key, None)
        if value not in (None, ""):
            query[key] = str(value)
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


def _page_links(params, page, pages):
    """The pagination: first, last and two pages either side of the current one; None marks a gap."""
    shown = sorted({1, pages, *range(max(1, page - 2), min(pages, page + 2) + 1)})
    links, previous = [], 0
    for number in shown:
        if number > previous + 1:
            links.append(None)
        links.append({"number": number, "current": number == page,
                      "href": _query(params, **{PAGE_PARAM: number if number > 1 else None})})
        previous = number
    return links


def render_panel(request, course_key, *, include_style=True):
    """
    The panel's HTML for a course whose staff the request's user is (the caller checks that).

    ``include_style`` adds the panel's scoped CSS; a page that already has it passes False.
    """
    course_key = api.parse_course_key(course_key)
    params = request.GET if request is not None else QueryDict()
    search = params.get(SEARCH_PARAM, "").strip()[:MAX_SEARCH_LENGTH]
    page = _page_number(params.get(PAGE_PARAM))
    settings = api.get_course_settings(course_key)
    total, awards = api.page_course_awards(course_key, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE,
                                           search=search or None, course_names=False)
    pages = max(1, math.ceil(total / PAGE_SIZE))
    if page > pages:  # a page past the end (the report shrank, or a hand-made link): show the last one
        page = pages
        total, awards = api.page_course_awards(course_key, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE,
                                               search=search or None, course_names=False)
    backfill = api.get_backfill_status(course_key)
    csv_query = QueryDict(mutable=True)
    csv_query["format"] = "csv"
    if search:
        csv_query["search"] = search
    context = {
        "course_id": str(course_key),
        "settings": settings,
        "trigger_label": dict(api.AWARD_TRIGGER_CHOICES).get(settings.award_trigger, settings.award_trigger),
        "total": total,
        "awards": awards,
        "search": search,
        "search_param": SEARCH_PARAM,
        "page": page,
        "pages": pages,
        "page_links": _page_links(params, page, pages) if pages > 1 else [],
        "previous_href": _query(params, **{PAGE_PARAM: page - 1 if page > 2 else None}) if page > 1 else "",
        "next_href": _query(params, **{PAGE_PARAM: page + 1}) if page < pages else "",
        "clear_search_href": _query(params, **{SEARCH_PARAM: None, PAGE_PARAM: None}),
        "csv_url": reverse("credits_plugin:api_v1:course-awards", kwargs={"course_id": str(course_key)})
        + "?" + csv_query.urlencode(),
        "award_url": _url("instructor-award", course_key),
        "revoke_url": _url("instructor-revoke", course_key),
        "backfill_url": _url("instructor-backfill", course_key),
        "status_url": _url("instructor-backfill-status", course_key),
        "next_url": request.get_full_path() if request is not None else _url("instructor-panel", course_key),
        "backfill_message": backfill_message(backfill),
        "backfill_active": bool(backfill and backfill.get("state") in ACTIVE_BACKFILL_STATES),
        "panel_messages": list(get_messages(request)) if request is not None else [],
        "include_style": include_style,
    }
    return render_to_string(PANEL_TEMPLATE, context, request=request)


@login_required
@require_GET
def panel_page(request, course_id):
    """The panel on a page of its own: /credits/instructor/<course_id>/."""
    course_key = _staff_course(request, course_id)
    course_name = api.get_course_name(course_key)
    links = api.get_page_links(course_key)
    return render_page(request, PAGE_TEMPLATE, {
        "course_id": str(course_key), "course_name": course_name,
        "panel": render_panel(request, course_key, include_style=False),
    }, course_key=course_key,
        back_links=[(_("Instructor dashboard of {course}").format(course=course_name), links["instructor_dashboard"])])


def _back(request, course_key):
    """Back to the page the form was on when it is on this host, else to the panel page."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return redirect(target)
    return redirect(_url("instructor-panel", course_key))


def _error(request, exc):
    """The API's message, then, for a form's errors, any field message that says more."""
    messages.error(request, exc.message)
    if not isinstance(exc, api.CreditsValidationError):
        return  # "There is no such learner." needs no "Unknown user." after it
    for field_messages in exc.field_errors.values():
        for message in field_messages:
            if message != exc.message:
                messages.error(request, message)


@transaction.non_atomic_requests
@login_required
@require_POST
def award(request, course_id):
    """Award the course's credits (or one of them) to a learner by hand, with a reason."""
    course_key = _staff_course(request, course_id)
    credit = request.POST.get("credit", "").strip()
    try:
        with clashes_as_conflicts():
            result = api.manual_award(course_key, request.POST.get("username", "").strip(),
                                      acting_user=request.user, reason=request.POST.get("reason", ""),
                                      credit_ids=[credit] if credit else None)
    except api.CreditsError as exc:
        _error(request, exc)
    else:
        names = ", ".join(a.display_credit_name for a in result.created)
        messages.success(request, ngettext(
            "Awarded {count} credit to {username}: {names}.",
            "Awarded {count} credits to {username}: {names}.", len(result.created),
        ).format(count=len(result.created), username=result.created[0].username, names=names))
    return _back(request, course_key)


@transaction.non_atomic_requests
@login_required
@require_POST
def revoke(request, course_id):
    """Revoke one award of this course, with a reason."""
    course_key = _staff_course(request, course_id)
    try:
        found = api.get_award(request.POST.get("award", ""))
        if found.course_key != course_key:  # staff of one course cannot revoke another course's awards
            raise api.CreditsNotFound(_("There is no such award."))
        with clashes_as_conflicts():
            revoked = api.revoke_award(found.uuid, acting_user=request.user, reason=request.POST.get("reason", ""))
    except api.CreditsError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("Revoked {credit} of {username}.").format(
            credit=revoked.display_credit_name, username=revoked.username))
    return _back(request, course_key)


@transaction.non_atomic_requests
@login_required
@require_POST
def start_backfill(request, course_id):
    """Queue a backfill: learners who already pass get the course's credits."""
    course_key = _staff_course(request, course_id)
    try:
        with clashes_as_conflicts():
            api.start_backfill(course_key)
    except api.CreditsError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("The backfill has started: learners who already passed will get their "
                                    "credits."))
    return _back(request, course_key)


@never_cache
@require_GET
def backfill_status(request, course_id):
    """The course's backfill state as JSON, for the panel's status line (course staff only)."""
    try:
        course_key = api.parse_course_key(course_id)
    except api.CreditsValidationError as exc:
        return JsonResponse(exc.as_dict(), status=404)
    if not request.user.is_authenticated:
        return JsonResponse({"error_code": "not_authenticated", "developer_message": _("Sign in first."),
                             "field_errors": {}}, status=401)
    if not api.is_course_staff(request.user, course_key):
        return JsonResponse({"error_code": "permission_denied",
                             "developer_message": _("Only the course's staff can see its backfill."),
                             "field_errors": {}}, status=403)
    status = api.get_backfill_status(course_key) or {}
    keys = ("expected_learners", "learners", "awarded", "already_awarded", "skipped_revoked")
    return JsonResponse({
        "state": status.get("state"),
        "active": status.get("state") in ACTIVE_BACKFILL_STATES,
        "updated": status.get("updated"),
        **{key: status.get(key, 0) for key in keys},
        "message": backfill_message(status),
    })
