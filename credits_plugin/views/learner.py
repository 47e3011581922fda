"""
The learner's own credits page: /credits/me/ (LMS).

Totals per credit type (in each type's unit), every award with its course,
date, amount, reference number, status and public verification link, a date
range filter and a CSV download (``?format=csv``: readable, translated headers, how
each credit was earned, the reason of a revoked one and its verification URL; the
REST summary's CSV keeps the JSON's field names for programs). Dates are checked by ``credits_plugin.api``; a bad one is
shown next to its field. Below, the learner's reports of credits earned elsewhere and the
form to send one (``credits/me/external/``, which comes back here).

Five queries whatever the number of awards: the summary (two), the learner's certificates,
linked beside each course (one in the demo; in Open edX the platform's certificate
serialization also reads each certificate's course overview), their reports, and the credit
types they can report under.
"""
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from credits_plugin import api
from credits_plugin.constants import AwardSource, AwardStatus
from credits_plugin.rest_api.v1.csv_export import csv_text_response
from credits_plugin.views.frame import clashes_as_conflicts, render_page

TEMPLATE = "credits_plugin/learner/summary.html"


def _csv_filename(username, start, end):
    """credits-<username>[-<from>][-<to>].csv; the dates were validated, and only safe characters are kept."""
    parts = [username] + [part for part in (start, end) if part]
    safe = ("".join(c for c in part if (c.isascii() and c.isalnum()) or c in "-_.@") for part in parts)
    return "credits-" + "-".join(safe) + ".csv"


@login_required
@require_GET
def my_credits(request):
    """The signed-in learner's credits, as a page or (``?format=csv``) a streamed CSV."""
    start, end = request.GET.get("from", "").strip(), request.GET.get("to", "").strip()
    context = {"start": start, "end": end, "field_errors": {}, "summary": None}
    try:
        summary = api.get_learner_summary(request.user, start or None, end or None)
    except api.CreditsValidationError as exc:
        context.update(error_summary=exc.message, field_errors=exc.field_errors)
        return _render(request, context, status=400)
    if request.GET.get("format") == "csv":
        return csv_text_response(_csv_header(), (_csv_row(request, award) for award in summary.awards),
                                 _csv_filename(request.user.username, start, end))
    return _render(request, _page_context(request, context, summary))


def _page_context(request, context, summary, form=None):
    """
    The page's context around a summary: each award with its certificate link, the CSV link,
    and the learner's reports of credits earned elsewhere with the form to send one.
    """
    query = request.GET.copy()
    query["format"] = "csv"
    certificates = api.get_certificate_urls(request.user, {award.course_key for award in summary.awards
                                                           if award.course_key is not None})
    context.update(
        summary=summary, csv_query=query.urlencode(), filtered=bool(context["start"] or context["end"]),
        award_rows=[(award, certificates.get(str(award.course_key))) for award in summary.awards],
        external_credits=api.list_own_external_credits(request.user),
        credit_types=api.list_credit_types(is_active=True),
        external_form=form or {}, reported=request.GET.get("reported") == "1",
        requirements=api.get_learner_requirements(request.user),
        credentials_available=bool(summary.awards) and api.credentials_available(),
        record_username=request.user.username,
    )
    if context["requirements"]:
        context["reminders_enabled"] = api.reminders_enabled(request.user)
    return context


@transaction.non_atomic_requests
@login_required
@require_POST
def report_external_credit(request):
    """A learner reports a credit earned elsewhere (a multipart form); errors are shown next to their fields."""
    data = request.POST
    try:
        with clashes_as_conflicts():
            api.submit_external_credit(
                request.user, title=data.get("title"), provider=data.get("provider"),
                credit_type_id=data.get("credit_type"), amount=api.amount_from_input(data.get("amount")),
                earned_on=data.get("earned_on"), evidence=request.FILES.get("evidence"))
    except api.CreditsError as exc:
        context = {"start": "", "end": "", "field_errors": {}, "external_errors": exc.field_errors,
                   "external_error_summary": exc.message}
        return _render(request, _page_context(request, context, api.get_learner_summary(request.user), form=data),
                       status=400)
    return HttpResponseRedirect(reverse("credits_plugin:learner-credits") + "?reported=1#external-credits")


@login_required
@require_POST
def switch_reminders(request):
    """The learner switches their requirement reminders on or off (``enabled``: "on" or "off")."""
    api.set_reminders(request.user, request.POST.get("enabled") == "on")
    return HttpResponseRedirect(reverse("credits_plugin:learner-credits") + "#credits-requirements-title")


def _csv_header():
    return [_("Course"), _("Course ID"), _("Credit"), _("Credit type"), _("Amount"), _("Unit"),
            _("Reference number"), _("How it was earned"), _("Status"), _("Awarded on"), _("Revoked on"),
            _("Reason"), _("Verification URL")]


def _csv_row(request, award):
    """One award as a person reads it: labels, not codes; dates in the site's time zone."""
    revoked = award.status == AwardStatus.REVOKED
    return [award.provider if award.is_external else award.course_name,
            "" if award.course_key is None else str(award.course_key), award.display_credit_name,
            award.display_credit_type_name,
            f"{award.amount:.2f}", award.display_unit, award.reference_number, str(AwardSource(award.source).label),
            str(AwardStatus(award.status).label), _day(award.awarded_at), _day(award.revoked_at),
            award.reason if revoked else "",
            request.build_absolute_uri(reverse("credits_plugin:award-page", kwargs={"award_uuid": award.uuid}))]


def _day(moment):
    return timezone.localtime(moment).date().isoformat() if moment else ""


def _render(request, context, status=200):
    return render_page(request, TEMPLATE, context, status=status,
                       back_links=[(_("Dashboard"), api.get_page_links()["dashboard"])])
