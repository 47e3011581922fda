"""
Continuing-education requirements: what operators define, and where each learner stands.

Progress is computed from the learner's standing awards whenever it is read (never stored), so
a revoked award stops counting at once and a changed requirement applies at once. An award
counts in the period holding its award date in the site's time zone, when it is in the
requirement's unit and its credit, or its type, is among what counts. See ADR 0009.
"""
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from credits_plugin.constants import AMOUNT_MAX, MAX_NAME_LENGTH, MAX_PERIOD_MONTHS, AwardStatus, PeriodKind, PeriodUnit
from credits_plugin.data import PeriodProgressData, RequirementData, RequirementProgressData
from credits_plugin.exceptions import CreditsNotFound
from credits_plugin.models import AwardedCredit, Credit, CreditRequirement, CreditType, RequirementAssignment
from credits_plugin.services.approval import award_day, clean_date
from credits_plugin.services.periods import Periods, length_in_months
from credits_plugin.services.structure import set_history_user
from credits_plugin.validation import FieldErrors, clean_bool, clean_text, parse_amount, parse_id

ZERO = Decimal("0.00")
CENTS = Decimal("0.01")
FIELDS = ("name", "description", "amount", "period_kind", "period_length", "period_unit", "cycle_start",
          "credit_types", "credits", "parent", "carry_over_max", "applies_to_all", "active")


# --- definitions --------------------------------------------------------------------------------

def _rows():
    return CreditRequirement.objects.prefetch_related("credit_types", "credits__credit_type", "sub_requirements")


def _find(requirement_id, *, lock=False):
    queryset = CreditRequirement.objects.select_for_update() if lock else CreditRequirement.objects
    try:
        return queryset.get(pk=parse_id(requirement_id) or 0)
    except CreditRequirement.DoesNotExist:
        raise CreditsNotFound(  # pylint: disable=raise-missing-from
            _("There is no requirement with id {id}.").format(id=requirement_id))


def _unit_of(row):
    units = [t.unit for t in row.credit_types.all()] + [c.credit_type.unit for c in row.credits.all()]
    return units[0] if units else ""


def requirement_data(row):
    return RequirementData(
        id=row.pk, name=row.name, description=row.description, amount=row.amount, unit=_unit_of(row),
        period_kind=row.period_kind, period_length=row.period_length, period_unit=row.period_unit,
        cycle_start=row.cycle_start, credit_type_ids=tuple(sorted(t.pk for t in row.credit_types.all())),
        credit_ids=tuple(sorted(c.pk for c in row.credits.all())), parent_id=row.parent_id,
        carry_over_max=row.carry_over_max, applies_to_all=row.applies_to_all, active=row.active,
        sub_requirement_ids=tuple(sorted(sub.pk for sub in row.sub_requirements.all())),
    )


def list_requirements():
    return [requirement_data(row) for row in _rows().order_by("name", "id")]


def get_requirement(requirement_id):
    return requirement_data(_rows().get(pk=_find(requirement_id).pk))


def _state(row):
    """A saved requirement's fields, as ``clean_requirement`` takes them."""
    return {
        "name": row.name, "description": row.description, "amount": row.amount, "period_kind": row.period_kind,
        "period_length": row.period_length, "period_unit": row.period_unit, "cycle_start": row.cycle_start,
        "credit_types": [t.pk for t in row.credit_types.all()], "credits": [c.pk for c in row.credits.all()],
        "parent": row.parent_id, "carry_over_max": row.carry_over_max, "applies_to_all": row.applies_to_all,
        "active": row.active,
    }


def _parse_ids(value, errors, field):
    if value in (None, ""):
        return []
    if not isinstance(value, (list, tuple)):
        errors.add(field, _("Give a list of ids."))
        return []
    ids = []
    for item in value:
        parsed = parse_id(item)
        if parsed is None:
            errors.add(field, _("'{value}' is not an id.").format(value=item))
        else:
            ids.append(parsed)
    return sorted(set(ids))


def _parse_length(value, errors):
    if value in (None, ""):
        return None
    if isinstance(value, bool) or not str(value).strip().isdigit():
        errors.add("period_length", _("Give the period's length as a whole number."))
        return None
    return int(str(value).strip())


def _parse_cap(value, errors):
    if value in (None, ""):
        return ZERO
    try:
        cap = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        errors.add("carry_over_max", _("'{value}' is not a number.").format(value=value))
        return ZERO
    if not cap.is_finite() or cap < 0 or cap > AMOUNT_MAX or cap != cap.quantize(CENTS):
        errors.add("carry_over_max", _("Give a carry-over cap from 0 to {maximum}, with at most two decimal "
                                       "places.").format(maximum=AMOUNT_MAX))
        return ZERO
    return cap.quantize(CENTS)


def clean_requirement(data, errors, *, instance=None):
    """
    Check a requirement's fields, all of them (a change is checked as the whole it makes).
    Returns ``(fields, credit_types, credits, parent)`` with rows for the relations.
    """
    cleaned = {
        "name": clean_text(data.get("name"), errors, "name", max_length=MAX_NAME_LENGTH, required=True,
                           label=_("A name")),
        "description": clean_text(data.get("description") or "", errors, "description", max_length=10000,
                                  multiline=True),
        "amount": parse_amount(data.get("amount"), errors),
    }
    kind = data.get("period_kind") or PeriodKind.CALENDAR_YEAR
    if kind not in PeriodKind.values:
        errors.add("period_kind", _("Choose the period: {choices}.").format(choices=", ".join(PeriodKind.values)))
    unit = data.get("period_unit") or PeriodUnit.YEARS
    if unit not in PeriodUnit.values:
        errors.add("period_unit", _("Choose years or months."))
    length = _parse_length(data.get("period_length"), errors)
    start = clean_date(data.get("cycle_start"), errors, "cycle_start")
    cap = _parse_cap(data.get("carry_over_max"), errors)
    applies_to_all = clean_bool(data.get("applies_to_all", True), errors, "applies_to_all")
    active = clean_bool(data.get("active", True), errors, "active")
    parent = _clean_parent(data.get("parent"), errors, instance, cleaned["amount"])
    if parent is None:
        _check_period(kind, length, unit, start, cap, applies_to_all, errors)
    elif cap:
        errors.add("carry_over_max", _("A part of a requirement has no carry-over of its own."))
    if instance is not None and cleaned["amount"] is not None:
        larger = [sub.name for sub in instance.sub_requirements.all() if sub.amount > cleaned["amount"]]
        if larger:
            errors.add("amount", _("It must be at least the amount of each of its parts: {names}.").format(
                names=", ".join(larger)))
    credit_types, credits = _clean_what_counts(data, errors, parent)
    fields = {**cleaned, "period_kind": kind, "period_unit": unit, "cap": cap,
              "period_length": length if kind != PeriodKind.CALENDAR_YEAR else None,
              "cycle_start": start if kind == PeriodKind.FIXED_CYCLE else None,
              "applies_to_all": applies_to_all, "active": active}
    fields["carry_over_max"] = fields.pop("cap")
    return fields, credit_types, credits, parent


def _check_period(kind, length, unit, start, cap, applies_to_all, errors):
    if kind == PeriodKind.CALENDAR_YEAR:
        if length:
            errors.add("period_length", _("A calendar year has no length to set."))
    elif not length:
        errors.add("period_length", _("Give the length of the period (at least 1)."))
    elif length * (12 if unit == PeriodUnit.YEARS else 1) > MAX_PERIOD_MONTHS:
        errors.add("period_length", _("A period can be at most {months} months long.").format(
            months=MAX_PERIOD_MONTHS))
    if start and kind != PeriodKind.FIXED_CYCLE:
        errors.add("cycle_start", _("Only a fixed cycle has a start date."))
    if kind == PeriodKind.FIXED_CYCLE and not start and applies_to_all:
        errors.add("cycle_start", _("A cycle counted from each learner's own start date applies to assigned "
                                    "learners only: give a start date for everyone, or apply it to assigned "
                                    "learners."))
    if kind == PeriodKind.ROLLING and cap:
        errors.add("carry_over_max", _("A rolling window has no next period to carry over into."))


def _clean_parent(value, errors, instance, amount):
    if value in (None, ""):
        return None
    parent = CreditRequirement.objects.filter(pk=parse_id(value)).first() if parse_id(value) else None
    if parent is None:
        errors.add("parent", _("Unknown requirement."))
        return None
    if parent.parent_id:
        errors.add("parent", _("A part cannot have parts of its own: choose a requirement that is not a part."))
    elif instance is not None and (parent.pk == instance.pk or instance.sub_requirements.exists()):
        errors.add("parent", _("A requirement with parts cannot become a part."))
    elif amount is not None and amount > parent.amount:
        errors.add("amount", _("A part cannot require more than its requirement ({amount}).").format(
            amount=parent.amount))
    return parent


def _clean_what_counts(data, errors, parent):
    type_ids = _parse_ids(data.get("credit_types"), errors, "credit_types")
    credit_ids = _parse_ids(data.get("credits"), errors, "credits")
    types = list(CreditType.objects.filter(pk__in=type_ids))
    credits = list(Credit.objects.select_related("credit_type").filter(pk__in=credit_ids))
    unknown = sorted(set(type_ids) - {t.pk for t in types})
    if unknown:
        errors.add("credit_types", _("Unknown credit type: {ids}.").format(ids=", ".join(map(str, unknown))))
    unknown = sorted(set(credit_ids) - {c.pk for c in credits})
    if unknown:
        errors.add("credits", _("Unknown credit: {ids}.").format(ids=", ".join(map(str, unknown))))
    if not type_ids and not credit_ids:
        errors.add("credit_types", _("Choose the credit types or the credits that count."))
    units = {t.unit for t in types} | {c.credit_type.unit for c in credits}
    if parent is not None and units:
        units |= {_unit_of(parent)} - {""}
    if len(units) > 1:
        errors.add("credit_types", _("What counts must share one unit; these have {units}.").format(
            units=", ".join(sorted(units))))
    return types, credits


def _save(row, fields, credit_types, credits, parent, user):
    for key, value in fields.items():
        setattr(row, key, value)
    row.parent = parent
    set_history_user(row, user)
    row.save()
    row.credit_types.set(credit_types)
    row.credits.set(credits)


@transaction.atomic
def create_requirement(*, user=None, **data):
    errors = FieldErrors()
    for field in sorted(set(data) - set(FIELDS)):
        errors.add(field, _("Unknown field."))
    fields, credit_types, credits, parent = clean_requirement(data, errors)
    errors.raise_if_any()
    row = CreditRequirement()
    _save(row, fields, credit_types, credits, parent, user)
    return get_requirement(row.pk)


@transaction.atomic
def update_requirement(requirement_id, *, user=None, **changes):
    row = _find(requirement_id, lock=True)
    errors = FieldErrors()
    for field in sorted(set(changes) - set(FIELDS)):
        errors.add(field, _("This field cannot be changed."))
    fields, credit_types, credits, parent = clean_requirement({**_state(row), **changes}, errors, instance=row)
    errors.raise_if_any()
    _save(row, fields, credit_types, credits, parent, user)
    return get_requirement(row.pk)


@transaction.atomic
def delete_requirement(requirement_id):
    """Delete a requirement, its parts and assignments (progress is computed, so no award changes)."""
    _find(requirement_id, lock=True).delete()


# --- progress -----------------------------------------------------------------------------------

class _Spec:
    """One requirement as progress needs it, gathered from the rows of one query."""

    def __init__(self, row):
        self.id, self.parent_id, self.name = row["pk"], row["parent_id"], row["name"]
        self.amount, self.carry_over_max = row["amount"], row["carry_over_max"]
        self.kind, self.length, self.length_unit = row["period_kind"], row["period_length"], row["period_unit"]
        self.anchor = row["learner_cycle_start"] or row["cycle_start"]
        self.type_ids, self.credit_ids, self.unit = set(), set(), ""
        self.parts = []

    def add(self, row):
        if row["credit_types__id"]:
            self.type_ids.add(row["credit_types__id"])
            self.unit = self.unit or row["credit_types__unit"]
        if row["credits__id"]:
            self.credit_ids.add(row["credits__id"])
            self.unit = self.unit or row["credits__credit_type__unit"]

    def counts(self, award):
        credit_id, type_id, unit = award[0], award[1], award[2]
        return unit == self.unit and (credit_id in self.credit_ids or type_id in self.type_ids)


def _applying_specs(user_id):
    """Query 1: every active requirement that applies to the learner, with its parts and what counts."""
    applies = CreditRequirement.objects.filter(active=True, parent__isnull=True).filter(
        Q(applies_to_all=True) | Q(assignments__user_id=user_id)).values("pk")
    own_start = RequirementAssignment.objects.filter(
        requirement_id=Coalesce(OuterRef("parent_id"), OuterRef("pk")), user_id=user_id).values("cycle_start")[:1]
    rows = (CreditRequirement.objects.filter(Q(pk__in=applies) | Q(parent_id__in=applies))
            .annotate(learner_cycle_start=Subquery(own_start))
            .values("pk", "parent_id", "name", "amount", "carry_over_max", "period_kind", "period_length",
                    "period_unit", "cycle_start", "learner_cycle_start", "credit_types__id", "credit_types__unit",
                    "credits__id", "credits__credit_type__unit")
            .order_by("name", "pk"))
    specs = {}
    for row in rows:
        specs.setdefault(row["pk"], _Spec(row)).add(row)
    roots = [spec for spec in specs.values() if spec.parent_id is None]
    for spec in specs.values():
        if spec.parent_id in specs:
            specs[spec.parent_id].parts.append(spec)
    return roots


def _standing_awards(user_id, until):
    """Query 2: the learner's standing awards as (credit id, type id, unit, amount, local day)."""
    rows = AwardedCredit.objects.filter(user_id=user_id, status=AwardStatus.AWARDED).values_list(
        "credit_id", "credit__credit_type_id", "external_credit__credit_type_id", "unit", "amount", "awarded_at")
    awards = []
    for credit_id, type_id, external_type_id, unit, amount, awarded_at in rows:
        day = award_day(awarded_at)
        if day <= until:
            awards.append((credit_id, type_id or external_type_id, unit, amount, day))
    return awards


def get_learner_requirements(user, as_of=None):
    """
    Where the learner stands on every active requirement that applies to them, on ``as_of`` (a
    date; today in the site's time zone by default): two queries, whatever the number of
    requirements and awards. Awards made after ``as_of`` do not count.
    """
    today = as_of or timezone.localdate()
    roots = _applying_specs(user.pk)
    if not roots:
        return []
    awards = _standing_awards(user.pk, today)
    return [progress for progress in (_progress(spec, awards, today) for spec in roots) if progress]


def _progress(spec, awards, today):
    if spec.kind == PeriodKind.FIXED_CYCLE and spec.anchor is None:
        return None  # an assigned learner without a cycle start: nothing to count from
    months = length_in_months(spec.length, spec.length_unit) if spec.length else None
    periods = Periods(spec.kind, months, spec.anchor)
    current = periods.current(today)
    counted = [award for award in awards if spec.counts(award)]

    def earned(part, index):
        """What counts toward ``part`` (the requirement or one of its parts) in period ``index``."""
        return sum((award[3] for award in counted
                    if (part is spec or part.counts(award)) and periods.counts_in(award[4], index, today)), ZERO)

    def carried(index):
        if not periods.has_past_periods or not spec.carry_over_max:
            return ZERO
        return min(spec.carry_over_max, max(ZERO, earned(spec, index - 1) - spec.amount))

    def parts_met(index):
        return all(earned(part, index) >= part.amount for part in spec.parts)

    start, end = periods.bounds(current, today)
    own, carry = earned(spec, current), carried(current)
    past = []
    if periods.has_past_periods:
        first = min((periods.index_of(award[4]) for award in counted), default=current)
        if spec.kind == PeriodKind.FIXED_CYCLE:
            first = max(first, 0)
        for index in range(current - 1, first - 1, -1):
            past_start, past_end = periods.bounds(index)
            past_own, past_carry = earned(spec, index), carried(index)
            past.append(PeriodProgressData(
                period_start=past_start, period_end=past_end, required=spec.amount, earned=past_own,
                carried_over=past_carry, met=past_own + past_carry >= spec.amount and parts_met(index)))
    parts = tuple(
        RequirementProgressData(
            id=part.id, name=part.name, unit=spec.unit, period_start=start, period_end=end, required=part.amount,
            earned=earned(part, current), carried_over=ZERO,
            remaining=max(ZERO, part.amount - earned(part, current)), met=earned(part, current) >= part.amount)
        for part in spec.parts)
    return RequirementProgressData(
        id=spec.id, name=spec.name, unit=spec.unit, period_start=start, period_end=end, required=spec.amount,
        earned=own, carried_over=carry, remaining=max(ZERO, spec.amount - own - carry),
        met=own + carry >= spec.amount and all(part.met for part in parts), sub_requirements=parts,
        past_periods=tuple(past))


__all__ = [
    "clean_requirement", "create_requirement", "delete_requirement", "get_learner_requirements",
    "get_requirement", "list_requirements", "update_requirement",
]
