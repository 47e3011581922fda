"""
Admin of the ledger: awarded credits, read-only; revoking through the API; a learner's summary.

An award is the record of what was earned: operators cannot add, edit or delete
one here. They revoke awards (with a reason) through ``api.revoke_award``, and see
each learner's obtained credits at ``summary/<user_id>/`` under this admin, linked
from every award's learner.
"""
from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from credits_plugin import api
from credits_plugin.admin.common import show_api_error
from credits_plugin.constants import AwardSource, AwardStatus
from credits_plugin.models import AwardedCredit, AwardLogEntry, ReconciliationWatermark

SUMMARY_URL_NAME = "admin:credits_plugin_awardedcredit_summary"
USER_FILTER = "user__id__exact"


def summary_url(user_id):
    """The admin page of a learner's obtained credits."""
    return reverse(SUMMARY_URL_NAME, args=(user_id,))


def _label(choices, value):
    try:
        return choices(value).label
    except ValueError:
        return value


class AwardLogInline(admin.TabularInline):
    """The manual changes of an award, oldest first; read-only."""

    model = AwardLogEntry
    fields = ("action", "at", "acting_user", "reason", "details")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RevokeForm(forms.Form):
    # The API checks the reason (required, length) and gives the message.
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 3, "cols": 60}))


class ReadOnlyAdmin:
    """An admin of records the plugin writes: nobody adds, edits or deletes them here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AwardedCredit)
class AwardedCreditAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    change_list_template = "credits_plugin/admin/awardedcredit_change_list.html"
    list_display = ("credit_with_type", "learner", "course_key", "amount_with_unit", "status", "source", "awarded_on")
    list_filter = (("credit__credit_type", admin.RelatedOnlyFieldListFilter), "source", "status", "awarded_at")
    search_fields = ("user__username", "course_key")
    list_select_related = ("user",)
    fieldsets = (
        (None, {"fields": ("uuid", "user", "learner_summary", "course_key", "credit", "status")}),
        (_("Snapshot taken when it was awarded"), {
            "fields": ("credit_name", "credit_type_name", "amount", "unit", "reference_number"),
        }),
        (_("History"), {"fields": ("source", "awarded_at", "awarded_by", "revoked_at", "revoked_by", "reason")}),
    )
    readonly_fields = ("uuid", "user", "learner_summary", "course_key", "credit", "status", "credit_name",
                       "credit_type_name", "amount", "unit", "reference_number", "source", "awarded_at",
                       "awarded_by", "revoked_at", "revoked_by", "reason")
    inlines = [AwardLogInline]
    actions = ["revoke_awards"]

    # Awards are records: made by the API when learners earn them, never added, edited or deleted here.

    def has_revoke_permission(self, request):
        return request.user.has_perm("credits_plugin.change_awardedcredit")

    @admin.display(description=_("learner"), ordering="user__username")
    def learner(self, obj):
        return format_html('<a href="{}" title="{}">{}</a>', summary_url(obj.user_id),
                           gettext("Obtained credits summary"), obj.user.username)

    @admin.display(description=_("obtained credits"))
    def learner_summary(self, obj):
        return format_html('<a href="{}">{}</a>', summary_url(obj.user_id),
                           gettext("Obtained credits summary of this learner"))

    @admin.display(description=_("credit"), ordering="credit_name")
    def credit_with_type(self, obj):
        """The credit and its type as they were awarded ("Ethics CPD (CPA Ontario)"), as one column."""
        return f"{obj.credit_name} ({obj.credit_type_name})"

    @admin.display(description=_("awarded on"), ordering="awarded_at")
    def awarded_on(self, obj):
        """The day, as every page of the plugin writes dates (the time is on the award's page)."""
        return date_format(timezone.localtime(obj.awarded_at), "DATE_FORMAT") if obj.awarded_at else ""

    @admin.display(description=_("amount"), ordering="amount")
    def amount_with_unit(self, obj):
        return f"{obj.amount} {obj.unit}"

    @admin.action(permissions=["revoke"], description=_("Revoke the selected awards (asks for a reason)"))
    def revoke_awards(self, request, queryset):
        standing = list(queryset.filter(status=AwardStatus.AWARDED).select_related("user"))
        if not standing:
            self.message_user(request, gettext("None of the selected awards stands: nothing to revoke."),
                              messages.WARNING)
            return None
        confirmed = "confirm_revoke" in request.POST
        form = RevokeForm(request.POST if confirmed else None)
        if confirmed and form.is_valid():
            try:
                with transaction.atomic():
                    for award in standing:
                        api.revoke_award(award.uuid, acting_user=request.user, reason=form.cleaned_data["reason"])
            except api.CreditsError as error:
                show_api_error(form, error)
            else:
                self.message_user(request, ngettext(
                    "%(count)d award was revoked.", "%(count)d awards were revoked.", len(standing),
                ) % {"count": len(standing)}, messages.SUCCESS)
                return None
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Revoke awards"),
            "opts": self.model._meta,
            "awards": standing,
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "credits_plugin/admin/revoke_awards.html", context)

    def get_urls(self):
        return [
            path("summary/<int:user_id>/", self.admin_site.admin_view(self.summary_view),
                 name="credits_plugin_awardedcredit_summary"),
            path("summary/", self.admin_site.admin_view(self.summary_lookup_view),
                 name="credits_plugin_awardedcredit_summary_lookup"),
            *super().get_urls(),
        ]

    def summary_lookup_view(self, request):
        """``summary/?username=...``: the summary of any learner, awards or not (the form on the award list)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        username = request.GET.get("username", "").strip()
        try:
            return HttpResponseRedirect(summary_url(api.get_learner_summary(username).user_id))
        except api.CreditsNotFound:
            self.message_user(request, gettext("There is no learner with the username '{username}'.").format(
                username=username), messages.ERROR)
            return HttpResponseRedirect(reverse("admin:credits_plugin_awardedcredit_changelist"))

    def changelist_view(self, request, extra_context=None):
        extra_context = dict(extra_context or {}, summary_lookup_url=reverse(
            "admin:credits_plugin_awardedcredit_summary_lookup"))
        user_id = request.GET.get(USER_FILTER, "")
        if user_id.isdigit():
            extra_context["summary_url"] = summary_url(int(user_id))
        return super().changelist_view(request, extra_context)

    def summary_view(self, request, user_id):
        """A learner's obtained credits: totals per type and per credit, and every award."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            summary = api.get_learner_summary(user_id)
        except api.CreditsNotFound as error:
            raise Http404(error.message) from error
        award_ids = dict(AwardedCredit.objects.filter(user_id=user_id).values_list("uuid", "pk"))
        awards = [{
            "award": award,
            "source": _label(AwardSource, award.source),
            "status": _label(AwardStatus, award.status),
            "url": reverse("admin:credits_plugin_awardedcredit_change", args=(award_ids[award.uuid],))
            if award.uuid in award_ids else "",
        } for award in summary.awards]
        changelist = reverse("admin:credits_plugin_awardedcredit_changelist")
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Obtained credits of %(username)s") % {"username": summary.username},
            "opts": self.model._meta,
            "summary": summary,
            "awards": awards,
            "awards_url": f"{changelist}?{USER_FILTER}={summary.user_id}",
        }
        return TemplateResponse(request, "credits_plugin/admin/learner_summary.html", context)


@admin.register(ReconciliationWatermark)
class ReconciliationWatermarkAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """How far reconciliation has looked, and what its last run awarded (read-only: the runs write it)."""

    list_display = ("trigger", "changed_until", "last_run", "last_awarded")
    readonly_fields = list_display
