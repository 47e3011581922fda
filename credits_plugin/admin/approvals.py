"""
The admin's approvals queue: approve (for dates) or reject (with a reason) courses' credits of
types that require approval, from the course credits list (filter it by approval). Each
decision goes through ``api.approve_designation`` / ``api.reject_designation``: the same rules
as the REST API (approvers only, never whoever asked, one decision each).
"""
from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db import transaction
from django.template.response import TemplateResponse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from credits_plugin import api
from credits_plugin.admin.common import show_api_error


class ApproveForm(forms.Form):
    valid_from = forms.DateField(label=_("Approved for learners who pass from (optional)"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}))
    valid_until = forms.DateField(label=_("until (optional)"), required=False,
                                  widget=forms.DateInput(attrs={"type": "date"}))


class RejectForm(forms.Form):
    # The API checks the reason (required, length) and gives the message.
    reason = forms.CharField(label=_("Reason, for the course team"), required=False,
                             widget=forms.Textarea(attrs={"rows": 3, "cols": 60}))


class ApprovalActionsMixin:
    """Admin actions of ``CourseCreditAdmin`` that decide the selected course credits waiting for approval."""

    actions = ["approve_designations", "reject_designations"]

    def has_decide_permission(self, request):
        """An approver (or global staff) who may also change course credits in the admin."""
        user = request.user
        return api.can_approve_designations(user) and user.has_perm("credits_plugin.change_coursecredit")

    @admin.action(permissions=["decide"], description=_("Approve the selected course credits (asks for dates)"))
    def approve_designations(self, request, queryset):
        def approve(pk, data):  # what the page showed the approver: a credit changed since is not approved
            return api.approve_designation(pk, acting_user=request.user, **data,
                                           amount=request.POST.get(f"reviewed_amount_{pk}"),
                                           reference_number=request.POST.get(f"reviewed_reference_{pk}"))
        return self._decide(request, queryset, "approve_designations", ApproveForm, gettext("Approve course credits"),
                            approve)

    @admin.action(permissions=["decide"], description=_("Reject the selected course credits (asks for a reason)"))
    def reject_designations(self, request, queryset):
        return self._decide(request, queryset, "reject_designations", RejectForm, gettext("Reject course credits"),
                            lambda pk, data: api.reject_designation(pk, acting_user=request.user, **data))

    def _decide(self, request, queryset, action, form_class, title, decide):
        waiting = list(queryset.filter(approval_status="pending").select_related("credit__credit_type"))
        if not waiting:
            self.message_user(request, gettext("None of the selected course credits waits for approval."),
                              messages.WARNING)
            return None
        confirmed = "confirm_decision" in request.POST
        form = form_class(request.POST if confirmed else None)
        if confirmed and form.is_valid():
            try:
                with transaction.atomic():  # all of them or none
                    for designation in waiting:
                        decide(designation.pk, form.cleaned_data)
            except api.CreditsError as error:
                show_api_error(form, error)
            else:
                self.message_user(request, ngettext(
                    "%(count)d course credit was decided.", "%(count)d course credits were decided.", len(waiting),
                ) % {"count": len(waiting)}, messages.SUCCESS)
                return None
        context = {
            **self.admin_site.each_context(request), "title": title, "opts": self.model._meta,
            "designations": waiting, "form": form, "action": action,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "credits_plugin/admin/decide_designations.html", context)
