"""
The admin's queue of credits earned elsewhere: filter it by status or type, open each learner's
evidence, approve the selected ones (each at the amount shown, which the reviewer may correct) or
reject them with a reason. Each decision goes through ``api.approve_external_credit`` /
``api.reject_external_credit``: the same rules as the REST API (reviewers of the type only,
never their own, one decision each). Submissions come from learners, never from here.
"""
from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db import transaction
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from credits_plugin import api
from credits_plugin.admin.common import HistoryAdmin, show_api_error
from credits_plugin.models import ExternalCredit


class ExternalRejectForm(forms.Form):
    # The API checks the reason (required, length) and gives the message.
    reason = forms.CharField(label=_("Reason, for the learner"), required=False,
                             widget=forms.Textarea(attrs={"rows": 3, "cols": 60}))


@admin.register(ExternalCredit)
class ExternalCreditAdmin(HistoryAdmin):
    list_display = ("title", "user", "provider", "credit_type", "amount", "earned_on", "status", "evidence_link",
                    "created")
    list_filter = ("status", "credit_type")
    search_fields = ("user__username", "title", "provider")
    list_select_related = ("user", "credit_type")
    readonly_fields = ("user", "title", "provider", "credit_type", "amount", "earned_on", "evidence_link",
                       "evidence_type", "status", "reviewed_by", "reviewed_at", "reason", "award", "created")
    fields = readonly_fields
    actions = ["approve_external_credits", "reject_external_credits"]

    def has_add_permission(self, request):
        return False  # learners report their credits on their page, or through the API

    def has_delete_permission(self, request, obj=None):
        return False  # a decision stays on record; retirement removes a learner's submissions

    def has_decide_permission(self, request):
        return api.is_reviewer(request.user) and request.user.has_perm("credits_plugin.change_externalcredit")

    @admin.display(description=_("evidence"))
    def evidence_link(self, obj):
        url = reverse("credits_plugin:api_v1:external-credit-evidence", kwargs={"external_id": obj.pk})
        return format_html('<a href="{}">{}</a>', url, obj.evidence_name or gettext("Download"))

    @admin.action(permissions=["decide"], description=_("Approve the selected credits (amounts can be corrected)"))
    def approve_external_credits(self, request, queryset):
        def approve(row, data):  # pylint: disable=unused-argument
            return api.approve_external_credit(row.pk, acting_user=request.user,
                                               amount=request.POST.get(f"amount_{row.pk}"))
        return self._decide(request, queryset, "approve_external_credits", None,
                            gettext("Approve credits earned elsewhere"), approve)

    @admin.action(permissions=["decide"], description=_("Reject the selected credits (asks for a reason)"))
    def reject_external_credits(self, request, queryset):
        return self._decide(request, queryset, "reject_external_credits", ExternalRejectForm,
                            gettext("Reject credits earned elsewhere"),
                            lambda row, data: api.reject_external_credit(row.pk, acting_user=request.user, **data))

    def _decide(self, request, queryset, action, form_class, title, decide):
        waiting = list(queryset.filter(status="pending").select_related("user", "credit_type"))
        if not waiting:
            self.message_user(request, gettext("None of the selected credits waits for review."), messages.WARNING)
            return None
        confirmed = "confirm_decision" in request.POST
        form = (form_class or forms.Form)(request.POST if confirmed else None)
        if confirmed and form.is_valid():
            try:
                with transaction.atomic():  # all of them or none
                    for row in waiting:
                        decide(row, form.cleaned_data)
            except api.CreditsError as error:
                show_api_error(form, error)
            else:
                self.message_user(request, ngettext(
                    "%(count)d credit was decided.", "%(count)d credits were decided.", len(waiting),
                ) % {"count": len(waiting)}, messages.SUCCESS)
                return None
        context = {
            **self.admin_site.each_context(request), "title": title, "opts": self.model._meta,
            "rows": [(row, request.POST.get(f"amount_{row.pk}", row.amount)) for row in waiting],
            "form": form, "action": action, "approving": form_class is None,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "credits_plugin/admin/decide_external_credits.html", context)
