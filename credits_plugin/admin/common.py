"""
Pieces shared by the Course Credits admin pages.

The admin keeps no rule of its own. A form is validated by *rehearsing* its save
through ``credits_plugin.api`` in a savepoint that is always rolled back: what
the API refuses becomes form errors, with the API's own messages. The real save
then makes the same API calls. So a rule and its message have one home, and
the admin is one more door through it.
"""
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from credits_plugin.api import CreditsError, CreditsValidationError
from credits_plugin.validation import parse_course_key


class _Rollback(Exception):
    """Undoes a rehearsal."""


def rehearse(action):
    """
    Run ``action`` (API calls) in a savepoint that is always rolled back.

    Returns the CreditsError it raised, or None when the API accepted everything.
    """
    try:
        with transaction.atomic():
            action()
            raise _Rollback
    except _Rollback:
        return None
    except CreditsError as error:
        return error


def show_api_error(form, error, field_map=None):
    """Put a CreditsError on ``form``: each field error on its field (renamed by ``field_map``), the rest on top."""
    field_map = field_map or {}
    if not error.field_errors:
        form.add_error(None, error.message)
        return
    for key, field_messages in error.field_errors.items():
        field = field_map.get(key, key)
        if field.startswith("translations."):  # "translations.fr.name": the field "tr_fr_name" of TranslationFields
            field = "tr_" + field[len("translations."):].replace(".", "_")
        target = field if field in form.fields else None
        for message in field_messages:
            form.add_error(target, message)


def clean_course_key_field(value):
    """A CourseKey from a form's text, with the API's message for anything else."""
    try:
        return parse_course_key(value)
    except CreditsValidationError as error:
        raise forms.ValidationError(error.message) from error


class ApiCheckedForm(forms.ModelForm):
    """
    A model form whose checks are the API's.

    The fields listed in ``api_fields`` get no check of their own from Django (not
    required, no length, model or uniqueness validation), so the API's message is the
    one shown (names, for one, are unique ignoring case).
    """

    api_fields = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.api_fields:
            field = self.fields.get(name)
            if field is not None:
                field.required = False
                field.validators = []

    def _get_validation_exclusions(self):
        exclude = super()._get_validation_exclusions()
        exclude.update(self.api_fields)
        return exclude


class HistoryAdmin(SimpleHistoryAdmin):
    """
    Operators see who changed what, and when.

    Reverting to an old version is off: it would save the old row directly, without
    the API's checks (an old version may break a rule that holds now).
    """

    def revert_disabled(self, request, obj=None):
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class ApiSavedAdminMixin:
    """Saves through the form's ``save_through_api(user)``, which returns the saved row's id."""

    def save_model(self, request, obj, form, change):
        saved_id = form.save_through_api(request.user)
        if obj.pk is None:
            obj.pk = saved_id
        obj.refresh_from_db()


@admin.action(permissions=["delete"], description=gettext_lazy("Delete selected %(verbose_name_plural)s"))
def delete_unless_in_use(modeladmin, request, queryset):
    """Django's bulk delete, refused with the API's message when any selected row is in use."""
    refusals = [message for message in (modeladmin.deletion_refusal(request, obj) for obj in queryset) if message]
    if refusals:
        for message in refusals:
            modeladmin.message_user(request, message, messages.ERROR)
        return None
    return delete_selected(modeladmin, request, queryset)


class DeleteThroughApiMixin:
    """
    Deletes rows only through the API, which refuses a row in use with its own message.

    Subclasses implement ``api_delete(pk, user)``. The single delete page and the bulk
    action both ask the API first (a rehearsal): when it refuses, the operator gets its
    message as an error and nothing is deleted.
    """

    def api_delete(self, pk, user):
        raise NotImplementedError

    def deletion_refusal(self, request, obj):
        """The API's reason not to delete ``obj``, or None."""
        error = rehearse(lambda: self.api_delete(obj.pk, request.user))
        return error.message if error else None

    def delete_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is not None and self.has_delete_permission(request, obj):
            refusal = self.deletion_refusal(request, obj)
            if refusal:
                self.message_user(request, refusal, messages.ERROR)
                opts = self.model._meta
                return HttpResponseRedirect(
                    reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=(obj.pk,),
                            current_app=self.admin_site.name))
        return super().delete_view(request, object_id, extra_context)

    def delete_model(self, request, obj):
        self.api_delete(obj.pk, request.user)

    def delete_queryset(self, request, queryset):
        for pk in list(queryset.values_list("pk", flat=True)):
            self.api_delete(pk, request.user)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if "delete_selected" in actions:
            actions["delete_selected"] = (delete_unless_in_use, "delete_selected",
                                          delete_unless_in_use.short_description)
        return actions


class CourseFilter(admin.SimpleListFilter):
    """Filter by course id (``?course_id=course-v1:...``); a malformed id matches nothing."""

    title = gettext_lazy("course")
    parameter_name = "course_id"

    def lookups(self, request, model_admin):
        keys = model_admin.model.objects.order_by("course_key").values_list("course_key", flat=True).distinct()
        return [(str(key), str(key)) for key in keys]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        try:
            return queryset.filter(course_key=parse_course_key(self.value()))
        except CreditsValidationError:
            return queryset.none()
