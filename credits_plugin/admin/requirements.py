"""
Admin of continuing-education requirements ("20 CPD hours each calendar year") and the learners
assigned to them.

The form checks a requirement with the service's own ``clean_requirement`` (the same rules and
messages as the REST API) and saves it through ``api.create_requirement`` /
``api.update_requirement``, which record who saved it. A part ("4 of the 20 in ethics") is edited
as a requirement of its own, with its ``parent``: the service checks a part against its saved
requirement, so a page that changed both at once could not be checked as the API checks it. The
requirement's page lists its parts with links, and its learners inline (a part has none of its own),
and links to its compliance report (who is behind, who met it), with the whole as CSV.
"""
import itertools
from urllib.parse import urlencode

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from credits_plugin import api
from credits_plugin.admin.common import ApiCheckedForm, ApiSavedAdminMixin, DeleteThroughApiMixin, HistoryAdmin
from credits_plugin.constants import PeriodKind, PeriodUnit
from credits_plugin.models import Credit, CreditRequirement, RequirementAssignment
from credits_plugin.services.requirements import clean_requirement
from credits_plugin.services.structure import set_history_user
from credits_plugin.validation import FieldErrors

COMPLIANCE_PAGE = 100  # learners a page of the admin's compliance report

REQUIREMENT_FIELDS = ("name", "description", "amount", "credit_types", "credits", "parent", "period_kind",
                      "period_length", "period_unit", "cycle_start", "carry_over_max", "applies_to_all", "active",
                      "reminder_days")


def _unit_of(row):
    """The unit of what counts (one unit: the service refuses a mix); "" when nothing counts yet."""
    units = [t.unit for t in row.credit_types.all()] + [c.credit_type.unit for c in row.credits.all()]
    return units[0] if units else ""


def _length(length, unit):
    if unit == PeriodUnit.MONTHS:
        return ngettext("%(count)d month", "%(count)d months", length) % {"count": length}
    return ngettext("%(count)d year", "%(count)d years", length) % {"count": length}


def describe_period(row):
    """The period as an operator reads it: "Each calendar year", "Rolling: 12 months"..."""
    if row.parent_id:
        return gettext("As its requirement")
    if row.period_kind == PeriodKind.CALENDAR_YEAR:
        return gettext("Each calendar year")
    length = _length(row.period_length or 0, row.period_unit)
    if row.period_kind == PeriodKind.ROLLING:
        return gettext("Rolling: {length}").format(length=length)
    if row.cycle_start:
        return gettext("Fixed cycle: {length} from {start}").format(length=length, start=row.cycle_start.isoformat())
    return gettext("Fixed cycle: {length} from each learner's start").format(length=length)


def _saved_as_part(obj):
    """
    Whether ``obj`` is saved as a part. Read from the database: on a POST the page's form has
    already put the typed parent on ``obj``, and the page keeps the shape it was opened with.
    """
    return bool(obj.pk) and CreditRequirement.objects.filter(pk=obj.pk, parent__isnull=False).exists()


class CreditRequirementForm(ApiCheckedForm):
    """
    A requirement's fields, checked by the service's ``clean_requirement``.

    Numbers are taken as typed ("0,30" in French reads as 0.30) so the service gives its own
    message for a zero, a negative or a malformed amount; a date comes from the admin's date
    field (typed in the admin's language), the many-to-many fields and the parent as ids.
    """

    api_fields = ("name", "description", "amount", "period_kind", "period_length", "period_unit", "cycle_start",
                  "credit_types", "credits", "parent", "carry_over_max")
    amount = forms.CharField(label=_("amount required"), required=False,
                             widget=forms.TextInput(attrs={"size": 8}),
                             help_text=_("Greater than 0, at most 999.99, two decimal places."))
    period_length = forms.CharField(label=_("period length"), required=False,
                                    widget=forms.TextInput(attrs={"size": 4}),
                                    help_text=_("For a fixed cycle or a rolling window: how many years or months."))
    carry_over_max = forms.CharField(
        label=_("carry-over cap"), required=False, widget=forms.TextInput(attrs={"size": 8}),
        help_text=_("Up to this much earned above the requirement in a period counts toward the next one "
                    "(0 for none)."))

    class Meta:
        model = CreditRequirement
        fields = REQUIREMENT_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.requirement_data = None

    def service_data(self):
        """The form's values as ``clean_requirement`` and the API take them."""
        cleaned = self.cleaned_data
        parent = cleaned.get("parent")
        return {
            "name": cleaned.get("name", ""),
            "description": cleaned.get("description", ""),
            "amount": api.amount_from_input(cleaned.get("amount")),
            "period_kind": cleaned.get("period_kind") or "",
            "period_length": cleaned.get("period_length") or None,
            "period_unit": cleaned.get("period_unit") or "",
            "cycle_start": cleaned.get("cycle_start"),
            "credit_types": [row.pk for row in cleaned.get("credit_types") or ()],
            "credits": [row.pk for row in cleaned.get("credits") or ()],
            "parent": parent.pk if parent is not None else None,
            "carry_over_max": api.amount_from_input(cleaned.get("carry_over_max")) or None,
            "applies_to_all": bool(cleaned.get("applies_to_all")),
            "active": bool(cleaned.get("active")),
            "reminder_days": cleaned.get("reminder_days", ""),
        }

    def clean(self):
        cleaned = super().clean()
        data = self.service_data()
        errors = FieldErrors()
        # The learners saved with the page are checked by the inline (the service would judge the saved ones).
        fields, credit_types, credits, parent = clean_requirement(
            data, errors, instance=self.instance if self.instance.pk else None, check_assignments=False)
        for field, field_messages in errors.errors.items():
            if field in self.fields and field in self.errors:
                continue  # Django already refused what was typed there (a date it cannot read...)
            for message in field_messages:
                self.add_error(field if field in self.fields else None, message)
        if not self.errors:
            # The model gets the service's values (a calendar year has no length, only a fixed cycle a start).
            cleaned.update(fields, credit_types=credit_types, credits=credits, parent=parent)
            self.requirement_data = data
        return cleaned

    def save_through_api(self, user):
        if self.instance.pk is None:
            return api.create_requirement(user=user, **self.requirement_data).id
        return api.update_requirement(self.instance.pk, user=user, check_assignments=False,
                                      **self.requirement_data).id


class AssignmentInlineFormSet(BaseInlineFormSet):
    """
    The learners of a requirement: each at most once, each with a cycle start where the
    requirement's fixed cycle has no shared start, and none on a part (it takes its
    requirement's learners). The page lists every learner of the requirement, so a learner
    twice on the page is a learner twice in the database (and one assigned since the page was
    opened is refused too): a form error, never the database's.
    """

    def clean(self):
        super().clean()
        requirement = self.instance  # holds the values of the requirement's form on this page
        learner_start = (requirement.period_kind == PeriodKind.FIXED_CYCLE and not requirement.cycle_start
                         and not requirement.parent_id)
        rows = [form for form in self.forms
                if form.has_changed() or form.instance.pk]
        on_page = {form.instance.pk for form in rows if form.instance.pk}
        seen = set()
        if requirement.pk:  # learners assigned elsewhere since the page was opened
            seen.update(RequirementAssignment.objects.filter(requirement=requirement).exclude(pk__in=on_page)
                        .values_list("user_id", flat=True))
        for form in rows:
            if self._should_delete_form(form):
                continue
            user = form.cleaned_data.get("user")
            if user is None:
                continue
            if requirement.parent_id:
                form.add_error("user", gettext("A part of a requirement has no learners of its own: it applies to "
                                               "the learners of its requirement."))
            elif user.pk in seen:
                form.add_error("user", gettext("This learner is already assigned to this requirement."))
            elif learner_start and not form.cleaned_data.get("cycle_start"):
                form.add_error("cycle_start", gettext("This requirement's cycles start at each learner's own date: "
                                                      "give this learner's cycle start."))
            seen.add(user.pk)


class AssignmentInlineForm(forms.ModelForm):
    class Meta:
        model = RequirementAssignment
        fields = ("user", "cycle_start")

    def _get_validation_exclusions(self):
        """A learner twice is refused by the formset, on the learner's field, with a message of ours."""
        exclude = super()._get_validation_exclusions()
        exclude.add("user")
        return exclude


class AssignmentInline(admin.TabularInline):
    model = RequirementAssignment
    form = AssignmentInlineForm
    formset = AssignmentInlineFormSet
    fields = ("user", "cycle_start")
    raw_id_fields = ("user",)
    extra = 1
    verbose_name = _("assigned learner")
    verbose_name_plural = _("assigned learners (when it does not apply to every learner)")


class PartsFilter(admin.SimpleListFilter):
    """Requirements only by default; their parts on demand."""

    title = _("parts")
    parameter_name = "parts"

    def lookups(self, request, model_admin):
        return [("all", _("Requirements and their parts")), ("only", _("Parts only"))]

    def choices(self, changelist):
        yield {"selected": self.value() is None, "query_string": changelist.get_query_string(
            remove=[self.parameter_name]), "display": gettext("Requirements only")}
        for lookup, title in self.lookup_choices:
            yield {"selected": self.value() == lookup, "display": title,
                   "query_string": changelist.get_query_string({self.parameter_name: lookup})}

    def queryset(self, request, queryset):
        if self.value() == "all":
            return queryset
        if self.value() == "only":
            return queryset.filter(parent__isnull=False)
        return queryset.filter(parent__isnull=True)


@admin.register(CreditRequirement)
class CreditRequirementAdmin(DeleteThroughApiMixin, ApiSavedAdminMixin, HistoryAdmin):
    form = CreditRequirementForm
    inlines = [AssignmentInline]
    list_display = ("requirement_name", "amount", "unit", "period", "applies_to", "part_count", "active")
    list_filter = (PartsFilter, "period_kind", "active", "applies_to_all")
    search_fields = ("name",)
    filter_horizontal = ("credit_types", "credits")

    def get_queryset(self, request):
        return (super().get_queryset(request).select_related("parent")
                .prefetch_related("credit_types", "credits__credit_type")
                .annotate(part_count=Count("sub_requirements", distinct=True),
                          learner_count=Count("assignments", distinct=True)))

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (None, {"fields": ("name", "description", "active")}),
            (_("What counts"), {"fields": ("amount", "credit_types", "credits", "parent"),
                                "description": _("Credit types or single credits, all in one unit. A part "
                                                 "(\"4 of the 20 in ethics\") names its requirement.")}),
            (_("Period"), {"fields": ("period_kind", "period_length", "period_unit", "cycle_start",
                                      "carry_over_max"),
                           "description": _("A part takes its period from its requirement.")}),
            (_("Learners"), {"fields": ("applies_to_all", "reminder_days")}),
        ]
        if obj is not None and not _saved_as_part(obj):
            fieldsets.append((_("Parts"), {"fields": ("parts",)}))
            fieldsets.insert(1, (_("Compliance"), {"fields": ("compliance_link",)}))
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        return ("parts", "compliance_link") if obj is not None and not _saved_as_part(obj) else ()

    def get_inline_instances(self, request, obj=None):
        if obj is not None and _saved_as_part(obj):
            return []  # a part applies to its requirement's learners
        return super().get_inline_instances(request, obj)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "credits":
            kwargs["queryset"] = Credit.objects.select_related("credit_type")
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent":  # every requirement: the service says why a part cannot have parts
            kwargs["queryset"] = CreditRequirement.objects.order_by("name", "id")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_urls(self):
        return [
            path("<int:requirement_id>/compliance/", self.admin_site.admin_view(self.compliance_view),
                 name="credits_plugin_creditrequirement_compliance"),
            *super().get_urls(),
        ]

    @admin.display(description=_("compliance"))
    def compliance_link(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("admin:credits_plugin_creditrequirement_compliance",
                                                          args=(obj.pk,)),
                           gettext("Who is behind, who met it: the compliance report"))

    def compliance_view(self, request, requirement_id):
        """Who the requirement applies to and where each stands, a page at a time; the whole as CSV."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        params = request.GET
        try:
            requirement = api.compliance_requirement(requirement_id)
            as_of = api.progress_day(params.get("as_of") or None)
            status = params.get("status") or None
            after = params.get("after") or None
            rows = list(itertools.islice(api.iter_compliance(requirement.id, as_of=as_of, status=status,
                                                             after=after), COMPLIANCE_PAGE + 1))
        except api.CreditsNotFound as error:
            raise Http404(error.message) from error
        except api.CreditsValidationError as error:
            self.message_user(request, error.message, messages.ERROR)
            return HttpResponseRedirect(request.path)
        query = {"as_of": as_of.isoformat(), **({"status": status} if status else {})}
        following = None
        if len(rows) > COMPLIANCE_PAGE:
            rows = rows[:COMPLIANCE_PAGE]
            following = f"?{urlencode({**query, 'after': rows[-1].user_id})}"
        csv_url = reverse("credits_plugin:api_v1:requirement-compliance", kwargs={"requirement_id": requirement.id})
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Compliance: %(name)s") % {"name": requirement.name},
            "opts": self.model._meta,
            "requirement": requirement, "rows": rows, "as_of": as_of, "status": status or "",
            "next_url": following, "first_url": f"?{urlencode(query)}" if after else None,
            "csv_url": f"{csv_url}?{urlencode({**query, 'format': 'csv'})}",
            "change_url": reverse("admin:credits_plugin_creditrequirement_change", args=(requirement.id,)),
            "filters": [("", gettext("Everyone")), ("behind", gettext("Behind")), ("met", gettext("Met"))],
        }
        return TemplateResponse(request, "credits_plugin/admin/requirement_compliance.html", context)

    @admin.display(description=_("name"), ordering="name")
    def requirement_name(self, obj):
        if obj.parent_id:
            return gettext("{name} (part of {requirement})").format(name=obj.name, requirement=obj.parent.name)
        return obj.name

    @admin.display(description=_("unit"))
    def unit(self, obj):
        return _unit_of(obj)

    @admin.display(description=_("period"), ordering="period_kind")
    def period(self, obj):
        return describe_period(obj)

    @admin.display(description=_("applies to"), ordering="applies_to_all")
    def applies_to(self, obj):
        if obj.parent_id:
            return gettext("As its requirement")
        if obj.applies_to_all:
            return gettext("Everyone")
        count = getattr(obj, "learner_count", None)
        if count is None:
            count = obj.assignments.count()
        return ngettext("%(count)d assigned learner", "%(count)d assigned learners", count) % {"count": count}

    @admin.display(description=_("parts"), ordering="part_count")
    def part_count(self, obj):
        return obj.part_count

    @admin.display(description=_("parts"))
    def parts(self, obj):
        add = format_html('<a href="{}?parent={}">{}</a>', reverse("admin:credits_plugin_creditrequirement_add"),
                          obj.pk, gettext("Add a part"))
        rows = list(obj.sub_requirements.prefetch_related("credit_types", "credits__credit_type").order_by("name"))
        if not rows:
            return format_html("<p>{}</p><p>{}</p>", gettext("This requirement has no parts."), add)
        body = format_html_join("", '<tr><td><a href="{}">{}</a></td><td>{} {}</td><td>{}</td></tr>', (
            (reverse("admin:credits_plugin_creditrequirement_change", args=(part.pk,)), part.name, part.amount,
             _unit_of(part), ", ".join([str(t) for t in part.credit_types.all()]
                                       + [str(c) for c in part.credits.all()]))
            for part in rows))
        return format_html(
            '<table class="credits-requirement-parts"><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead>'
            "<tbody>{}</tbody></table><p>{}</p>",
            gettext("Part"), gettext("Amount required"), gettext("What counts"), body, add)

    def api_delete(self, pk, user):
        api.delete_requirement(pk, user=user)

    def save_related(self, request, form, formsets, change):
        """The API saved what counts with the requirement: only the learners are left to save."""
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change):
        rows = formset.save(commit=False)
        for row in formset.deleted_objects:
            set_history_user(row, request.user)
            row.delete()
        for row in rows:
            set_history_user(row, request.user)
            row.save()
        formset.save_m2m()
