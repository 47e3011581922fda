"""
The Studio (CMS) course settings page: /credits/studio/<course_id>/.

Authors switch credits on, pick credits and amounts, choose the trigger, and
start a backfill. Every rule is checked by ``credits_plugin.api``; its field
errors are shown next to the field that caused them, and nothing is saved.
"""
import logging
from collections import OrderedDict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from credits_plugin import api
from credits_plugin.views.frame import clashes_as_conflicts, render_page

logger = logging.getLogger(__name__)

TEMPLATE = "credits_plugin/studio/course_settings.html"
NO_ACCESS_TEMPLATE = "credits_plugin/studio/no_access.html"


def _course_or_404(course_id):
    try:
        return api.parse_course_key(course_id)
    except api.CreditsValidationError as exc:
        raise Http404(exc.message) from exc


def _rows(settings, submitted=None, errors=None):
    """
    One row per credit the author may pick, grouped by type: every active credit, and
    archived ones only while the course already carries them.
    """
    designated = {d.credit.id: d for d in settings.credits}
    errors = errors or {}
    groups = OrderedDict()
    credits = {c.id: c for c in api.list_credits(is_active=True) if c.credit_type.is_active}
    for designation in settings.credits:
        credits.setdefault(designation.credit.id, designation.credit)
    for credit in sorted(credits.values(), key=lambda c: (c.credit_type.display_name.lower(), c.display_name.lower())):
        current = designated.get(credit.id)
        if submitted is not None:
            picked, amount, reference = submitted.get(credit.id, (False, "", ""))
        else:
            picked = current is not None
            amount = api.format_amount(current.amount) if current else ""
            reference = current.reference_number if current else ""
        group = groups.setdefault(credit.credit_type.id, {"type": credit.credit_type, "rows": []})
        group["rows"].append({
            "credit": credit, "picked": picked, "amount": amount, "reference": reference,
            "archived": not (credit.is_active and credit.credit_type.is_active),
            "designation": current,  # its approval state, for types that require approval
            "errors": errors.get(credit.id, {}),
        })
    for group in groups.values():
        group["picked"] = any(row["picked"] for row in group["rows"])
    return list(groups.values())


def _read_form(post):
    """
    The submitted designations: {credit_id: (picked, amount, reference)} and the API's list.
    A credit is picked by its checkbox (``credit``), or by its type's radio button
    (``credit_of_type_<type id>``) where the type allows one credit per course.
    """
    submitted, entries = {}, []
    picked_ids = set(post.getlist("credit"))
    picked_ids.update(value for key in post if key.startswith("credit_of_type_") for value in post.getlist(key))
    for key in post:
        if not key.startswith("amount_"):
            continue
        try:
            credit_id = int(key[len("amount_"):])
        except ValueError:
            continue
        picked = str(credit_id) in picked_ids
        amount = api.amount_from_input(post.get(key, ""))
        reference = post.get(f"reference_{credit_id}", "").strip()
        submitted[credit_id] = (picked, amount, reference)
        if picked:
            entries.append({"credit": credit_id, "amount": amount, "reference_number": reference})
    return submitted, entries


def _errors_by_credit(field_errors, entries):
    """Map the API's "credits.N.amount" errors to the row of credit N; the rest stay page-level."""
    by_credit, general = {}, {}
    for field, messages_ in field_errors.items():
        parts = field.split(".")
        if parts[0] == "credits" and len(parts) >= 2 and parts[1].isdigit() and int(parts[1]) < len(entries):
            credit_id = entries[int(parts[1])]["credit"]
            by_credit.setdefault(credit_id, {}).setdefault(parts[2] if len(parts) > 2 else "credit", []).extend(
                messages_)
        else:
            general.setdefault(parts[0], []).extend(messages_)
    return by_credit, general


def _error_list(exc, groups, general):
    """Every error of a refused save, each with the field it is about, for the summary at the top."""
    labels = {"enabled": _("Credits for this course"), "award_trigger": _("Learners earn them"),
              "revoke_on_certificate_revoked": _("Revoke on certificate revocation"),
              "credits": _("Choose credits and amounts")}
    anchors = {"enabled": "#enabled", "award_trigger": "#award-trigger", "credits": "#credits",
               "revoke_on_certificate_revoked": "#revoke"}
    items = [(anchors.get(field, "#credits"), labels.get(field, field), message)
             for field, messages_ in general.items() for message in messages_]
    for group in groups:
        for row in group["rows"]:
            for field, messages_ in row["errors"].items():
                anchor = {"amount": "amount", "reference_number": "reference"}.get(field, "credit")
                items.extend((f"#{anchor}-{row['credit'].id}", row["credit"].display_name, message)
                             for message in messages_)
    return items or [("#credits", _("Choose credits and amounts"), exc.message)]


@transaction.non_atomic_requests
@login_required
@require_http_methods(["GET", "POST"])
def course_settings(request, course_id):
    course_key = _course_or_404(course_id)
    if not api.can_change_course(request.user, course_key):
        return _no_access(request, course_key)
    settings = api.get_course_settings(course_key)
    context = {"course_key": course_key, "course_name": api.get_course_name(course_key), "settings": settings,
               "triggers": api.AWARD_TRIGGER_CHOICES, "backfill": api.get_backfill_status(course_key),
               "general_errors": {}}

    if request.method == "POST" and request.POST.get("action") == "backfill":
        try:
            with clashes_as_conflicts():
                api.start_backfill(course_key)
            messages.success(request, _("The backfill has started: learners who already passed will get their "
                                        "credits."))
        except api.CreditsError as exc:
            messages.error(request, exc.message)
        return redirect(request.path)

    if request.method == "POST":
        submitted, entries = _read_form(request.POST)
        values = {"enabled": request.POST.get("enabled") == "on",
                  "award_trigger": request.POST.get("award_trigger", ""),
                  "revoke_on_certificate_revoked": request.POST.get("revoke_on_certificate_revoked") == "on"}
        try:
            with clashes_as_conflicts():
                api.set_course_settings(course_key, credits=entries, user=request.user, **values)
        except api.CreditsError as exc:
            by_credit, general = _errors_by_credit(exc.field_errors, entries)
            groups = _rows(settings, submitted, by_credit)
            context.update(form=values, groups=groups, general_errors=general, error_summary=exc.message,
                           error_list=_error_list(exc, groups, general))
            return _render(request, context, status=400)
        messages.success(request, _("Credit settings saved."))
        return redirect(request.path)

    context.update(form={"enabled": settings.enabled, "award_trigger": settings.award_trigger,
                         "revoke_on_certificate_revoked": settings.revoke_on_certificate_revoked},
                   groups=_rows(settings))
    return _render(request, context)


def _no_access(request, course_key):
    """A page that says why, with a way back, for someone without Studio write access (a learner, say)."""
    context = {"course_key": course_key, "course_name": api.get_course_name(course_key)}
    return render_page(request, NO_ACCESS_TEMPLATE, context, surface="studio", status=403, course_key=course_key,
                       back_links=[(_("Dashboard"), api.get_page_links()["dashboard"])])


def _render(request, context, status=200):
    """The page in Studio's frame, with a link back to the course in Studio."""
    back = _("Back to {course} in Studio").format(course=context["course_name"])
    return render_page(request, TEMPLATE, context, surface="studio", status=status, course_key=context["course_key"],
                       back_links=[(back, api.get_page_links(context["course_key"])["studio_course"])])
