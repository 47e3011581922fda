"""Admin of the credit structure: credit types, with their credits inline, and credits."""
from django import forms
from django.contrib import admin
from django.db.models import Count
from django.forms.formsets import DELETION_FIELD_NAME
from django.forms.models import BaseInlineFormSet
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from credits_plugin import api
from credits_plugin.admin.common import (
    ApiCheckedForm,
    ApiSavedAdminMixin,
    DeleteThroughApiMixin,
    HistoryAdmin,
    rehearse,
    show_api_error,
)
from credits_plugin.models import Credit, CreditType

TYPE_FIELDS = ("name", "unit", "description", "requires_reference_number", "allow_multiple_per_course",
               "requires_approval", "approvers", "achievement_type", "is_active")
CREDIT_FIELDS = ("name", "description", "reference_number", "is_active")


TRANSLATION_PREFIX = "tr_"


class TranslationFields:
    """
    A form's fields for the translations of a type's or a credit's texts, one per language and
    text ("Name (French)"), packed into ``cleaned_data["translations"]`` for the API, which checks
    them (ADR 0011). Languages not shown (``CREDITS_TRANSLATION_LANGUAGES``) keep what they hold.
    """

    translated = ()  # of the model's field names

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        saved = self.instance.translations or {}
        for name in self.fields:
            if name.startswith(TRANSLATION_PREFIX):
                code, field = name[len(TRANSLATION_PREFIX):].rsplit("_", 1)
                self.initial.setdefault(name, (saved.get(code) or {}).get(field, ""))

    def clean(self):
        cleaned = super().clean()
        translations = {code: dict(texts) for code, texts in (self.instance.translations or {}).items()}
        for name in self.fields:
            if name.startswith(TRANSLATION_PREFIX):
                code, field = name[len(TRANSLATION_PREFIX):].rsplit("_", 1)
                translations.setdefault(code, {})[field] = cleaned.get(name) or ""
        cleaned["translations"] = translations
        return cleaned

    def translations_changed(self):
        return any(name.startswith(TRANSLATION_PREFIX) for name in self.changed_data)


def with_translation_fields(form_class):
    """``form_class`` with a field per language of ``api.translation_languages()`` and translated text."""
    labels = {"name": _("Name"), "description": _("Description"), "unit": _("Unit")}
    fields = {}
    for code, language in api.translation_languages():
        for field in form_class.translated:
            widget = (forms.Textarea(attrs={"rows": 2, "class": "vLargeTextField"}) if field == "description"
                      else forms.TextInput(attrs={"class": "vTextField"}))
            fields[f"{TRANSLATION_PREFIX}{code}_{field}"] = forms.CharField(
                label=format_lazy("{field} ({language})", field=labels[field], language=language), required=False,
                strip=False, widget=widget)
    return type(form_class.__name__, (form_class,), fields)


class TranslatedAdminMixin:
    """The admin of a model with translations: its form gets the fields, shown in a fieldset of their own."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = with_translation_fields(self.form)
        return super().get_form(request, obj, change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if self.fieldsets:
            return fieldsets
        fields = list(fieldsets[0][1]["fields"])
        translated = [name for name in fields if name.startswith(TRANSLATION_PREFIX)]
        if not translated:
            others = api.translation_languages(every=True)
            if not others:  # a site in one language
                return fieldsets
            return [*fieldsets, (_("In other languages"), {"fields": [], "description": format_lazy(_(
                "This site lists {count} other languages. Name those you translate names into in the setting "
                "CREDITS_TRANSLATION_LANGUAGES (with Tutor: COURSE_CREDITS_TRANSLATION_LANGUAGES), e.g. "
                "[\"fr\"], and their fields show here."), count=len(others))})]
        return [(None, {"fields": [name for name in fields if name not in translated]}),
                (_("In other languages"), {
                    "fields": translated,
                    "description": _("Shown to learners whose language this is; left empty, the text above "
                                     "shows. Awards keep the names they were earned under, in every language."),
                })]


def no_changes_message():
    return gettext("Nothing was saved: correct the errors above.")


def _changes(form, names):
    """The fields of ``names`` the operator changed (all of them for a new row)."""
    changed = names if form.instance.pk is None else [name for name in form.changed_data if name in names]
    if "translations" in names and form.instance.pk is not None and getattr(form, "translations_changed", bool)():
        changed = [*changed, "translations"]
    return {name: form.cleaned_data[name] for name in changed if name in form.cleaned_data}


class CreditTypeForm(TranslationFields, ApiCheckedForm):
    """The type's own fields; the credits inline validates the whole page with it."""

    translated = tuple(api.TYPE_TRANSLATED)
    api_fields = ("name", "unit", "description")

    class Meta:
        model = CreditType
        fields = TYPE_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The credits formset is built on this same instance; this lets it find the type's form.
        self.instance._credits_admin_form = self  # pylint: disable=protected-access


class CreditInlineForm(ApiCheckedForm):
    api_fields = ("name", "description", "reference_number")

    class Meta:
        model = Credit
        fields = CREDIT_FIELDS
        # Narrow enough that every column, and the errors above them, fit a 1280 px window.
        widgets = {"name": forms.TextInput(attrs={"size": 28}),
                   "description": forms.Textarea(attrs={"rows": 2, "cols": 32}),
                   "reference_number": forms.TextInput(attrs={"size": 16})}


class TypePageSave:
    """
    One save of a credit type's page (the type and its inline credits) as API calls.

    Order: deletions, then changed credits, then the type, then new credits, so an
    operator can give credits their reference numbers and make the type require them in
    one save (the type goes first when it does not require them). Every refusal is kept
    with the form it belongs to (None for the type itself).
    """

    def __init__(self, type_form, formset):
        self.type_form = type_form
        self.formset = formset
        self.type_id = type_form.instance.pk
        self.failures = []
        self.created_ids, self.changed, self.deleted = [], [], []

    def _call(self, form, function, *args, **kwargs):
        try:
            return function(*args, **kwargs)
        except api.CreditsError as error:
            self.failures.append((form, error))
            return None

    def _save_type(self, user):
        changes = _changes(self.type_form, TYPE_FIELDS + ("translations",))
        if self.type_id is None:
            saved = self._call(None, api.create_credit_type, user=user, **changes)
            self.type_id = saved.id if saved else None
        elif changes:
            self._call(None, api.update_credit_type, self.type_id, user=user, **changes)

    def apply(self, user=None):
        forms_to_delete = [f for f in self.formset.initial_forms if f.cleaned_data.get(DELETION_FIELD_NAME)]
        changed = [f for f in self.formset.initial_forms if f not in forms_to_delete and f.has_changed()]
        new = [f for f in self.formset.extra_forms if f.has_changed() and not f.cleaned_data.get(DELETION_FIELD_NAME)]
        type_first = self.type_id is None or self.type_form.cleaned_data.get("requires_reference_number") is False
        for form in forms_to_delete:
            self._call(form, api.delete_credit, form.instance.pk, user=user)
            if not self._failed(form):
                self.deleted.append(form.instance)
        if type_first:
            self._save_type(user)
        for form in changed:
            changes = _changes(form, CREDIT_FIELDS)
            if changes and self._call(form, api.update_credit, form.instance.pk, user=user, **changes):
                self.changed.append((form.instance, list(changes)))
        if not type_first:
            self._save_type(user)
        if self.type_id is not None:
            for form in new:
                saved = self._call(form, api.create_credit, credit_type_id=self.type_id, user=user,
                                   **{name: form.cleaned_data.get(name) for name in CREDIT_FIELDS})
                if saved:
                    self.created_ids.append(saved.id)
        return self

    def _failed(self, form):
        return any(failed is form for failed, _error in self.failures)

    def show_errors(self):
        """Put the refusals on their forms; returns the messages for the top of the inline."""
        on_top = []
        for form, error in self.failures:
            if form is None:
                show_api_error(self.type_form, error)
                on_top.append(no_changes_message())
            elif form.cleaned_data.get(DELETION_FIELD_NAME):
                on_top.append(error.message)
            else:
                show_api_error(form, error)
        return list(dict.fromkeys(on_top))


class CreditInlineFormSet(BaseInlineFormSet):
    """Validates the whole page (type and credits) by rehearsing its save through the API."""

    def clean(self):
        type_form = getattr(self.instance, "_credits_admin_form", None)
        if type_form is None or type_form.errors or any(form.errors for form in self.forms):
            return  # the forms show their own errors first
        page = TypePageSave(type_form, self)
        rehearse(page.apply)
        if page.failures:
            on_top = page.show_errors()
            raise forms.ValidationError(on_top or no_changes_message())


class CreditInline(admin.TabularInline):
    model = Credit
    form = CreditInlineForm
    formset = CreditInlineFormSet
    fields = CREDIT_FIELDS
    extra = 1
    show_change_link = True


@admin.register(CreditType)
class CreditTypeAdmin(TranslatedAdminMixin, DeleteThroughApiMixin, HistoryAdmin):
    form = CreditTypeForm
    inlines = [CreditInline]
    list_display = ("name", "unit", "requires_reference_number", "allow_multiple_per_course", "requires_approval",
                    "is_active", "credit_count")
    list_filter = ("is_active", "requires_reference_number", "allow_multiple_per_course", "requires_approval", "unit")
    search_fields = ("name",)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(credit_count=Count("credits"))

    @admin.display(description=_("credits"), ordering="credit_count")
    def credit_count(self, obj):
        return obj.credit_count

    def api_delete(self, pk, user):
        api.delete_credit_type(pk, user=user)

    def get_deleted_objects(self, objs, request):
        """The API deletes a type together with its credits (none of them in use, or it refuses)."""
        deleted, credit_count = [], 0
        for credit_type in objs:
            credits = [str(credit) for credit in credit_type.credits.all()]
            credit_count += len(credits)
            deleted.append(str(credit_type))
            if credits:
                deleted.append(credits)
        counts = {CreditType._meta.verbose_name_plural: len(objs)}
        if credit_count:
            counts[Credit._meta.verbose_name_plural] = credit_count
        perms_needed = set()
        if credit_count and not request.user.has_perm("credits_plugin.delete_credit"):
            perms_needed.add(Credit._meta.verbose_name)
        return deleted, counts, perms_needed, []

    def save_model(self, request, obj, form, change):
        """Nothing yet: the type and its credits are saved together, in save_related."""

    def save_related(self, request, form, formsets, change):
        formset = next(f for f in formsets if isinstance(f, CreditInlineFormSet))
        page = TypePageSave(form, formset).apply(user=request.user)
        if page.failures:  # the rehearsal passed a moment ago in this transaction: should not happen
            raise page.failures[0][1]
        obj = form.instance
        obj.pk = page.type_id
        obj.refresh_from_db()
        formset.new_objects = list(Credit.objects.filter(pk__in=page.created_ids))
        formset.changed_objects = page.changed
        formset.deleted_objects = page.deleted


class CreditForm(TranslationFields, ApiCheckedForm):
    api_fields = ("name", "description", "reference_number")
    translated = tuple(api.CREDIT_TRANSLATED)

    class Meta:
        model = Credit
        fields = ("credit_type",) + CREDIT_FIELDS

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            error = rehearse(lambda: self.save_through_api(None))
            if error:
                show_api_error(self, error)
        return cleaned

    def save_through_api(self, user):
        if self.instance.pk is None:
            fields = {name: self.cleaned_data.get(name) for name in CREDIT_FIELDS + ("translations",)}
            return api.create_credit(credit_type_id=self.cleaned_data["credit_type"].pk, user=user, **fields).id
        changes = _changes(self, ("credit_type",) + CREDIT_FIELDS + ("translations",))
        if "credit_type" in changes:
            changes["credit_type_id"] = changes.pop("credit_type").pk
        if changes:
            api.update_credit(self.instance.pk, user=user, **changes)
        return self.instance.pk


@admin.register(Credit)
class CreditAdmin(TranslatedAdminMixin, DeleteThroughApiMixin, ApiSavedAdminMixin, HistoryAdmin):
    form = CreditForm
    list_display = ("name", "credit_type", "reference_number", "is_active")
    list_filter = ("credit_type", "is_active")
    list_select_related = ("credit_type",)
    search_fields = ("name", "reference_number", "credit_type__name")

    def api_delete(self, pk, user):
        api.delete_credit(pk, user=user)
