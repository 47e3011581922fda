"""
Admin of the courses' side: credit settings and designations (which credits a course awards).

Designations are keyed by course id, not tied to the settings row, so the settings
page shows the course's designations read-only with links to edit them in the
designation admin. Both save through ``api.set_course_settings``, which checks the
whole course at once (amounts, one credit per type, archived credits).
"""
from urllib.parse import urlencode

from django import forms
from django.contrib import admin
from django.db.models import Count, OuterRef, Subquery
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from credits_plugin import api
from credits_plugin.admin.approvals import ApprovalActionsMixin
from credits_plugin.admin.common import (
    ApiCheckedForm,
    ApiSavedAdminMixin,
    CourseFilter,
    HistoryAdmin,
    clean_course_key_field,
    rehearse,
    show_api_error,
)
from credits_plugin.models import CourseCredit, CourseCreditSettings, Credit

COURSE_ID_HELP = _("The course run id, such as course-v1:Org+Course+Run.")


def _entries(settings_data, leave_out=None):
    """The course's current designations in the shape ``set_course_settings`` takes."""
    return [
        {"credit": d.credit.id, "amount": d.amount, "reference_number": d.reference_number}
        for d in settings_data.credits if d.credit.id != leave_out
    ]


def _save_course(course_key, user, *, credits, **changes):
    """Save a course through the API, keeping the settings the page does not change."""
    current = api.get_course_settings(course_key)
    values = {
        "enabled": current.enabled, "award_trigger": current.award_trigger,
        "revoke_on_certificate_revoked": current.revoke_on_certificate_revoked,
    }
    values.update(changes)
    return api.set_course_settings(course_key, credits=credits, user=user, **values)


class CourseCreditSettingsForm(ApiCheckedForm):
    course_key = forms.CharField(label=_("course id"), max_length=255, help_text=COURSE_ID_HELP)

    class Meta:
        model = CourseCreditSettings
        fields = ("course_key", "enabled", "award_trigger", "revoke_on_certificate_revoked")

    def clean_course_key(self):
        course_key = clean_course_key_field(self.cleaned_data.get("course_key"))
        if CourseCreditSettings.objects.filter(course_key=course_key).exists():
            raise forms.ValidationError(gettext("This course already has credit settings: change them instead."))
        return course_key

    def _course_key(self):
        return self.instance.course_key if self.instance.pk else self.cleaned_data["course_key"]

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            error = rehearse(lambda: self.save_through_api(None))
            if error:
                show_api_error(self, error, {"course_id": "course_key"})
        return cleaned

    def save_through_api(self, user):
        course_key = self._course_key()
        changes = {name: self.cleaned_data[name] for name in
                   ("enabled", "award_trigger", "revoke_on_certificate_revoked") if name in self.cleaned_data}
        _save_course(course_key, user, credits=_entries(api.get_course_settings(course_key)), **changes)
        return CourseCreditSettings.objects.get(course_key=course_key).pk


def _designations_url(course_key):
    return reverse("admin:credits_plugin_coursecredit_changelist") + "?" + urlencode({"course_id": str(course_key)})


@admin.register(CourseCreditSettings)
class CourseCreditSettingsAdmin(ApiSavedAdminMixin, HistoryAdmin):
    form = CourseCreditSettingsForm
    list_display = ("course_key", "enabled", "award_trigger", "revoke_on_certificate_revoked", "credit_count")
    list_filter = ("enabled", "award_trigger", "revoke_on_certificate_revoked")
    search_fields = ("course_key",)

    def get_readonly_fields(self, request, obj=None):
        return ("course_key", "designations") if obj else ()

    def has_delete_permission(self, request, obj=None):
        # No API door deletes a course's settings: switch credits off instead (the history keeps why).
        return False

    def get_queryset(self, request):
        count = (CourseCredit.objects.filter(course_key=OuterRef("course_key")).order_by()
                 .values("course_key").annotate(n=Count("id")).values("n"))
        return super().get_queryset(request).annotate(credit_count=Subquery(count))

    @admin.display(description=_("credits designated"), ordering="credit_count")
    def credit_count(self, obj):
        return obj.credit_count or 0

    @admin.display(description=_("credits this course awards"))
    def designations(self, obj):
        rows = api.list_course_credits(obj.course_key)
        edit = format_html(
            '<a href="{}">{}</a> &middot; <a href="{}">{}</a>',
            _designations_url(obj.course_key), gettext("Edit these credits"),
            reverse("admin:credits_plugin_coursecredit_add") + "?" + urlencode({"course_key": str(obj.course_key)}),
            gettext("Add a credit to this course"),
        )
        if not rows:
            return format_html("<p>{}</p><p>{}</p>", gettext("This course designates no credits."), edit)
        body = format_html_join("", "<tr><td>{}</td><td>{}</td><td>{} {}</td><td>{}</td></tr>", (
            (d.credit.name, d.credit.credit_type.name, d.amount, d.credit.credit_type.unit,
             d.effective_reference_number) for d in rows))
        return format_html(
            '<table class="credits-designations"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>'
            "</thead><tbody>{}</tbody></table><p>{}</p>",
            gettext("Credit"), gettext("Credit type"), gettext("Amount"), gettext("Reference number"), body, edit,
        )


class CourseCreditForm(ApiCheckedForm):
    """One designation, saved as a change of the course's whole list so the API checks the course."""

    api_fields = ("amount", "reference_number")
    entry_index = None  # where this designation sits in the list sent to the API
    course_key = forms.CharField(label=_("course id"), max_length=255, help_text=COURSE_ID_HELP)
    amount = forms.CharField(label=_("amount"), help_text=_("Greater than 0, at most 999.99, two decimal places."))

    class Meta:
        model = CourseCredit
        fields = ("course_key", "credit", "amount", "reference_number")

    def clean_course_key(self):
        return clean_course_key_field(self.cleaned_data.get("course_key"))

    def clean_amount(self):
        """As typed in the admin's language ("0,30" in French); the API checks it."""
        return api.amount_from_input(self.cleaned_data.get("amount"))

    def _course_key(self):
        return self.instance.course_key if self.instance.pk else self.cleaned_data["course_key"]

    def _credit(self):
        return self.instance.credit if self.instance.pk else self.cleaned_data["credit"]

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        course_key, credit = self._course_key(), self._credit()
        if self.instance.pk is None and CourseCredit.objects.filter(course_key=course_key, credit=credit).exists():
            self.add_error("credit", gettext("This course already awards '{name}': change that designation instead.")
                           .format(name=credit.name))
            return cleaned
        error = rehearse(lambda: self.save_through_api(None))
        if error:
            index = self.entry_index
            show_api_error(self, error, {
                f"credits.{index}.amount": "amount", f"credits.{index}.credit": "credit",
                f"credits.{index}.reference_number": "reference_number", "credits": "credit",
                "course_id": "course_key",
            })
        return cleaned

    def save_through_api(self, user):
        course_key, credit = self._course_key(), self._credit()
        entries = _entries(api.get_course_settings(course_key), leave_out=credit.pk)
        entries.append({"credit": credit.pk, "amount": self.cleaned_data.get("amount"),
                        "reference_number": self.cleaned_data.get("reference_number", "")})
        self.entry_index = len(entries) - 1
        _save_course(course_key, user, credits=entries)
        return CourseCredit.objects.get(course_key=course_key, credit=credit).pk


@admin.register(CourseCredit)
class CourseCreditAdmin(ApprovalActionsMixin, ApiSavedAdminMixin, HistoryAdmin):
    form = CourseCreditForm
    list_display = ("course_key", "credit", "amount", "reference_number", "approval_status")  # credit: "name (type)"
    list_filter = (CourseFilter, "credit__credit_type", "approval_status")
    list_select_related = ("credit__credit_type",)
    search_fields = ("course_key", "credit__name", "credit__credit_type__name")

    def get_readonly_fields(self, request, obj=None):
        return ("course_key", "credit") if obj else ()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "credit":  # every credit, archived ones too: the API says why those are refused
            kwargs["queryset"] = Credit.objects.select_related("credit_type")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def delete_model(self, request, obj):
        self._remove(request, obj.course_key, {obj.credit_id})

    def delete_queryset(self, request, queryset):
        by_course = {}
        for course_key, credit_id in queryset.values_list("course_key", "credit_id"):
            by_course.setdefault(str(course_key), set()).add(credit_id)
        for course_key, credit_ids in by_course.items():
            self._remove(request, course_key, credit_ids)

    @staticmethod
    def _remove(request, course_key, credit_ids):
        """Take credits off a course through the API (past awards keep their snapshot)."""
        current = api.get_course_settings(course_key)
        _save_course(current.course_key, request.user,
                     credits=[e for e in _entries(current) if e["credit"] not in credit_ids])
