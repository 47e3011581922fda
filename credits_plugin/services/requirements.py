"""
Continuing-education requirements: what operators define, and where each learner stands.

Progress is computed from the learner's standing awards whenever it is read (never stored), so
a revoked award stops counting at once and a changed requirement applies at once. An award
counts in the period holding its award date in the site's time zone, when it is in the
requirement's unit and its credit, or its type, is among what counts. See ADR 0009.
"""
import datetime
from collections import defaultdict
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import DateField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from credits_plugin.constants import AMOUNT_MAX, MAX_NAME_LENGTH, MAX_PERIOD_MONTHS, AwardStatus, PeriodKind, PeriodUnit
from credits_plugin.csv_text import FORMULA_STARTS, free_text_cell, guarded, needs_quotes, writer
from credits_plugin.data import ComplianceRowData, PeriodProgressData, RequirementData, RequirementProgressData
from credits_plugin.exceptions import CreditsNotFound, CreditsValidationError
from credits_plugin.models import (
    AwardedCredit,
    Credit,
    CreditRequirement,
    CreditType,
    ExternalCredit,
    RequirementAssignment,
)
from credits_plugin.services.approval import clean_date, day_start
from credits_plugin.services.periods import ONE_DAY, Periods, length_in_months
from credits_plugin.services.structure import set_history_user
from credits_plugin.validation import FieldErrors, clean_bool, clean_text, parse_amount, parse_id

ZERO = Decimal("0.00")
CENTS = Decimal("0.01")
FIELDS = ("name", "description", "amount", "period_kind", "period_length", "period_unit", "cycle_start",
          "credit_types", "credits", "parent", "carry_over_max", "applies_to_all", "active", "reminder_days")
MAX_REMINDER_DAYS = 3660


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
        reminder_days=reminder_days(row.reminder_days),
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
        "active": row.active, "reminder_days": row.reminder_days,
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


def reminder_days(text):
    """The stored reminder thresholds ("60, 14") as days, largest first."""
    return tuple(int(part) for part in str(text or "").split(",") if part.strip())


def _parse_reminders(value, errors):
    """Reminder thresholds from "60, 14" or [60, 14]: whole days from 1 to 3660, stored as "60, 14"."""
    if value in (None, ""):
        return ""
    parts = value if isinstance(value, (list, tuple)) else str(value).split(",")
    days = set()
    for part in parts:
        text = str(part).strip()
        if isinstance(part, bool) or not text.isdigit() or not 1 <= int(text) <= MAX_REMINDER_DAYS:
            errors.add("reminder_days", _("Give whole numbers of days from 1 to {maximum}, separated by commas, "
                                          "as in 60, 14.").format(maximum=MAX_REMINDER_DAYS))
            return ""
        days.add(int(text))
    return ", ".join(str(day) for day in sorted(days, reverse=True))


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


def clean_requirement(data, errors, *, instance=None, check_assignments=True):
    """
    Check a requirement's fields, all of them (a change is checked as the whole it makes), and
    (unless the caller checks the learners it saves with it, as the admin's page does) that a
    change leaves its assigned learners what their progress needs. Returns ``(fields,
    credit_types, credits, parent)`` with rows for the relations.
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
    reminders = _parse_reminders(data.get("reminder_days"), errors)
    parent = _clean_parent(data.get("parent"), errors, instance, cleaned["amount"])
    if parent is None:
        _check_period(kind, length, unit, start, cap, applies_to_all, errors)
    else:
        if cap:
            errors.add("carry_over_max", _("A part of a requirement has no carry-over of its own."))
        if reminders:
            errors.add("reminder_days", _("A part is reminded with its requirement: set reminders there."))
    if instance is not None and check_assignments:
        _check_assignments(instance, kind, start, parent, errors)
    if instance is not None and cleaned["amount"] is not None:
        larger = [sub.name for sub in instance.sub_requirements.all() if sub.amount > cleaned["amount"]]
        if larger:
            errors.add("amount", _("It must be at least the amount of each of its parts: {names}.").format(
                names=", ".join(larger)))
    credit_types, credits = _clean_what_counts(data, errors, parent)
    fields = {**cleaned, "period_kind": kind, "period_unit": unit, "cap": cap,
              "period_length": length if kind != PeriodKind.CALENDAR_YEAR else None,
              "cycle_start": start if kind == PeriodKind.FIXED_CYCLE else None,
              "applies_to_all": applies_to_all, "active": active, "reminder_days": reminders}
    fields["carry_over_max"] = fields.pop("cap")
    return fields, credit_types, credits, parent


def _check_assignments(instance, kind, start, parent, errors):
    """A change must not leave assigned learners without what their progress needs."""
    assigned = instance.assignments.all()
    if parent is not None and assigned.exists():
        errors.add("parent", _("This requirement has assigned learners: a part takes its learners from its "
                               "requirement. Remove them first."))
    elif kind == PeriodKind.FIXED_CYCLE and not start:
        missing = assigned.filter(cycle_start__isnull=True).count()
        if missing:
            errors.add("cycle_start", _("{count} assigned learner(s) have no cycle start of their own: give a start "
                                        "date for everyone, or give them theirs first.").format(count=missing))


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
def update_requirement(requirement_id, *, user=None, check_assignments=True, **changes):
    """Change some fields of a requirement; see ``clean_requirement`` for ``check_assignments``."""
    row = _find(requirement_id, lock=True)
    errors = FieldErrors()
    for field in sorted(set(changes) - set(FIELDS)):
        errors.add(field, _("This field cannot be changed."))
    fields, credit_types, credits, parent = clean_requirement({**_state(row), **changes}, errors, instance=row,
                                                              check_assignments=check_assignments)
    errors.raise_if_any()
    _save(row, fields, credit_types, credits, parent, user)
    return get_requirement(row.pk)


@transaction.atomic
def delete_requirement(requirement_id, *, user=None):
    """Delete a requirement, its parts and assignments (progress is computed, so no award changes)."""
    row = _find(requirement_id, lock=True)
    for related in [*row.sub_requirements.all(), *row.assignments.all()]:
        set_history_user(related, user)
        related.delete()
    set_history_user(row, user)
    row.delete()


# --- who a requirement applies to -----------------------------------------------------------------

MAX_ASSIGNMENT_ROWS = 10000


def list_assignments(requirement_id):
    """The learners assigned to a requirement: ``[{"username", "cycle_start"}]`` by username."""
    requirement = _find(requirement_id)
    return [{"username": username, "cycle_start": start} for username, start in
            RequirementAssignment.objects.filter(requirement=requirement).order_by("user__username")
            .values_list("user__username", "cycle_start")]


def assign_learners(requirement_id, entries, *, user=None):
    """
    Assign learners to a requirement, each entry ``{"learner": username or email, "cycle_start":
    YYYY-MM-DD or empty, "line": its line in an upload (optional)}``; a learner already assigned
    gets the new start. Every bad entry is reported with its line (or position) and, when any is
    bad, nothing is written. Returns ``(created, updated)``.
    """
    from django.contrib.auth import get_user_model  # pylint: disable=import-outside-toplevel

    requirement = _find(requirement_id)
    errors = FieldErrors()
    if requirement.parent_id:
        errors.add("requirement", _("A part takes its learners from its requirement: assign them there."))
    if not isinstance(entries, (list, tuple)) or not entries:
        errors.add("learners", _("Give at least one learner."))
        errors.raise_if_any()
    if len(entries) > MAX_ASSIGNMENT_ROWS:
        errors.add("learners", _("Send at most {count} learners at a time.").format(count=MAX_ASSIGNMENT_ROWS))
        errors.raise_if_any()
    needs_start = requirement.period_kind == PeriodKind.FIXED_CYCLE and requirement.cycle_start is None
    wanted = {}
    for position, entry in enumerate(entries, start=1):
        line = entry.get("line", position) if isinstance(entry, dict) else position
        where = _("Line {line}").format(line=line)
        if not isinstance(entry, dict):
            errors.add(f"line {line}", _("{where}: give a learner and a cycle start.").format(where=where))
            continue
        name = str(entry.get("learner") or entry.get("username") or entry.get("email") or "").strip()
        row_errors = FieldErrors()
        start = clean_date(entry.get("cycle_start"), row_errors, "cycle_start")
        if not name:
            errors.add(f"line {line}", _("{where}: give a username or an email address.").format(where=where))
        elif name.lower() in wanted:
            errors.add(f"line {line}", _("{where}: {learner} is listed twice.").format(where=where, learner=name))
        if row_errors:
            errors.add(f"line {line}", _("{where}: the cycle start must be a date as YYYY-MM-DD.").format(
                where=where))
        elif needs_start and start is None:
            errors.add(f"line {line}", _("{where}: this requirement counts each learner's cycle from their own "
                                         "start: give it.").format(where=where))
        if name:
            wanted[name.lower()] = (line, name, start)
    given = [name for _line, name, _start in wanted.values()]
    found = {}
    for row in get_user_model().objects.filter(Q(username__in=given) | Q(email__in=[n for n in given if "@" in n])):
        for key in {row.username.lower(), row.email.lower()}:
            if key in wanted:
                found.setdefault(key, []).append(row)
    users = {}
    for key, (line, name, start) in wanted.items():
        matches = {row.pk: row for row in found.get(key, [])}
        if len(matches) != 1:
            errors.add(f"line {line}", (_("Line {line}: there is no learner {learner}.") if not matches else
                                        _("Line {line}: {learner} names more than one learner.")).format(
                line=line, learner=name))
        else:
            users[key] = (next(iter(matches.values())), start)
    errors.raise_if_any(_("Nothing was assigned: correct the lines below and send them all again."))
    return _write_assignments(requirement, users.values(), user)


@transaction.atomic
def _write_assignments(requirement, learners, user):
    existing = {row.user_id: row for row in RequirementAssignment.objects.select_for_update().filter(
        requirement=requirement, user_id__in=[learner.pk for learner, _start in learners])}
    created = updated = 0
    for learner, start in learners:
        row = existing.get(learner.pk)
        if row is None:
            row = RequirementAssignment(requirement=requirement, user=learner, cycle_start=start)
            created += 1
        elif row.cycle_start != start:
            row.cycle_start = start
            updated += 1
        else:
            continue
        set_history_user(row, user)
        row.save()
    return created, updated


def parse_assignment_csv(text):
    """
    The entries of an uploaded CSV: a header naming ``learner`` (or ``username`` / ``email``) and
    ``cycle_start``, then one learner a line. Lines are numbered as in the file (the header is 1).
    """
    import csv  # pylint: disable=import-outside-toplevel
    import io  # pylint: disable=import-outside-toplevel

    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [name.strip().lower() for name in reader.fieldnames or []]
    column = next((name for name in ("learner", "username", "email") if name in header), None)
    if column is None:
        raise CreditsValidationError(_("The file's first line must name the columns: learner and cycle_start."),
                                     field_errors={"file": [_("Add a header line: learner,cycle_start")]})
    entries = []
    for row in reader:
        row = {str(key or "").strip().lower(): (value or "").strip() for key, value in row.items()
               if not isinstance(value, list)}
        if not any(row.values()):
            continue
        entries.append({"learner": row.get(column, ""), "cycle_start": row.get("cycle_start", ""),
                        "line": reader.line_num})
    return entries


# --- progress -----------------------------------------------------------------------------------

class _Spec:
    """One requirement as progress needs it, gathered from the rows of one query."""

    def __init__(self, row):
        self.id, self.parent_id, self.name = row["pk"], row["parent_id"], row["name"]
        self.amount, self.carry_over_max = row["amount"], row["carry_over_max"]
        self.kind, self.length, self.length_unit = row["period_kind"], row["period_length"], row["period_unit"]
        self.anchor = row["learner_cycle_start"] or row["cycle_start"]
        self.applies_to_all_flag = row["applies_to_all"]
        self.type_ids, self.credit_ids, self.unit = set(), set(), ""
        self.unit_translations = {}  # {language: {"unit": ...}} of the type whose unit it is (ADR 0011)
        self.parts = []

    def add(self, row):
        if row["credit_types__id"]:
            self.type_ids.add(row["credit_types__id"])
            self._take_unit(row["credit_types__unit"], row["credit_types__translations"])
        if row["credits__id"]:
            self.credit_ids.add(row["credits__id"])
            self._take_unit(row["credits__credit_type__unit"], row["credits__credit_type__translations"])

    def _take_unit(self, unit, translations):
        if not self.unit:
            self.unit = unit
            self.unit_translations = {language: {"unit": texts["unit"]}
                                      for language, texts in (translations or {}).items() if texts.get("unit")}

    def counts(self, award):
        credit_id, type_id, unit = award[0], award[1], award[2]
        return unit == self.unit and (credit_id in self.credit_ids or type_id in self.type_ids)


SPEC_FIELDS = ("pk", "parent_id", "name", "amount", "carry_over_max", "period_kind", "period_length", "period_unit",
               "cycle_start", "applies_to_all", "learner_cycle_start", "credit_types__id", "credit_types__unit",
               "credit_types__translations", "credits__id", "credits__credit_type__unit",
               "credits__credit_type__translations")


def _specs(rows):
    """The root requirements (parts attached) of rows read with ``SPEC_FIELDS``."""
    specs = {}
    for row in rows:
        specs.setdefault(row["pk"], _Spec(row)).add(row)
    roots = [spec for spec in specs.values() if spec.parent_id is None]
    for spec in specs.values():
        if spec.parent_id in specs:
            specs[spec.parent_id].parts.append(spec)
    return roots


def _applying_specs(user_id):
    """Query 1: every active requirement that applies to the learner, with its parts and what counts."""
    applies = CreditRequirement.objects.filter(active=True, parent__isnull=True).filter(
        Q(applies_to_all=True) | Q(assignments__user_id=user_id)).values("pk")
    own_start = RequirementAssignment.objects.filter(
        requirement_id=Coalesce(OuterRef("parent_id"), OuterRef("pk")), user_id=user_id).values("cycle_start")[:1]
    return _specs(CreditRequirement.objects.filter(Q(pk__in=applies) | Q(parent_id__in=applies))
                  .annotate(learner_cycle_start=Subquery(own_start)).values(*SPEC_FIELDS).order_by("name", "pk"))


def _standing_awards(user_id, until):
    """Query 2: the learner's standing awards as (credit id, type id, unit, amount, local day, uuid)."""
    rows = AwardedCredit.objects.filter(user_id=user_id, status=AwardStatus.AWARDED).values_list(
        "credit_id", "credit__credit_type_id", "external_credit__credit_type_id", "unit", "amount", "awarded_at",
        "uuid")
    awards, local_day = [], _local_day(timezone.get_current_timezone())
    for credit_id, type_id, external_type_id, unit, amount, awarded_at, uuid in rows:
        day = local_day(awarded_at)
        if day <= until:
            awards.append((credit_id, type_id or external_type_id, unit, amount, day, uuid))
    return awards


def progress_day(as_of=None):
    """The day progress is computed for: ``as_of`` (a date or YYYY-MM-DD), else today in the site's time zone."""
    errors = FieldErrors()
    day = clean_date(as_of, errors, "as_of")
    errors.raise_if_any()
    return day or timezone.localdate()


def get_learner_requirements(user, as_of=None):
    """
    Where the learner stands on every active requirement that applies to them, on ``as_of`` (a
    date or YYYY-MM-DD; today in the site's time zone by default): two queries, whatever the
    number of requirements and awards. Awards made after ``as_of`` do not count.
    """
    today = progress_day(as_of)
    roots = _applying_specs(user.pk)
    if not roots:
        return []
    awards = _standing_awards(user.pk, today)
    return [progress for progress in (_progress(spec, awards, today) for spec in roots) if progress]


def _periods(spec, anchor):
    months = length_in_months(spec.length, spec.length_unit) if spec.length else None
    return Periods(spec.kind, months, anchor)


def _local_day(tz):
    """The calendar day of an award's datetime in the site's time zone ``tz`` (read once per call site)."""
    return lambda when: when.astimezone(tz).date() if timezone.is_aware(when) else when.date()


def _progress(spec, awards, today, anchor=None, with_past=True):
    """A learner's progress on ``spec`` from their awards; ``anchor``: their cycle start (default: the spec's)."""
    anchor = anchor or spec.anchor
    if spec.kind == PeriodKind.FIXED_CYCLE and anchor is None:
        return None  # an assigned learner without a cycle start: nothing to count from
    periods = _periods(spec, anchor)
    rolling_start = periods.bounds(0, today)[0] if spec.kind == PeriodKind.ROLLING else None
    # One pass: what counts toward the requirement (and each part) in each period, by period index.
    totals, part_totals = defaultdict(lambda: ZERO), [defaultdict(lambda: ZERO) for _part in spec.parts]
    for award in awards:
        if not spec.counts(award):
            continue
        day = award[4]
        if rolling_start is not None:
            if not rolling_start <= day <= today:
                continue
            index = 0
        else:
            index = periods.index_of(day)
            if spec.kind == PeriodKind.FIXED_CYCLE and index < 0:
                continue  # before the learner's first cycle
        totals[index] += award[3]
        for part, part_total in zip(spec.parts, part_totals, strict=True):
            if part.counts(award):
                part_total[index] += award[3]
    return _progress_from(spec, periods, today, totals, part_totals, with_past)


def _progress_from(spec, periods, today, totals, part_totals, with_past):
    """The progress data from what counted in each period (``{period index: amount}``, and one per part)."""
    current = periods.current(today)

    def carried(index):
        if not periods.has_past_periods or not spec.carry_over_max:
            return ZERO
        return min(spec.carry_over_max, max(ZERO, totals.get(index - 1, ZERO) - spec.amount))

    def parts_met(index):
        return all(part_total.get(index, ZERO) >= part.amount for part, part_total in zip(spec.parts, part_totals,
                                                                                           strict=True))

    start, end = periods.bounds(current, today)
    own, carry = totals.get(current, ZERO), carried(current)
    past = []
    if periods.has_past_periods and with_past:
        for index in range(current - 1, min(totals, default=current) - 1, -1):
            past_start, past_end = periods.bounds(index)
            past_own, past_carry = totals.get(index, ZERO), carried(index)
            past.append(PeriodProgressData(
                period_start=past_start, period_end=past_end, required=spec.amount, earned=past_own,
                carried_over=past_carry, met=past_own + past_carry >= spec.amount and parts_met(index)))
    parts = []
    for part, part_total in zip(spec.parts, part_totals, strict=True):
        earned = part_total.get(current, ZERO)
        parts.append(RequirementProgressData(
            id=part.id, name=part.name, unit=spec.unit, translations=spec.unit_translations, period_start=start,
            period_end=end, required=part.amount,
            earned=earned, carried_over=ZERO, remaining=max(ZERO, part.amount - earned), met=earned >= part.amount))
    return RequirementProgressData(
        id=spec.id, name=spec.name, unit=spec.unit, translations=spec.unit_translations, period_start=start,
        period_end=end, required=spec.amount,
        earned=own, carried_over=carry, remaining=max(ZERO, spec.amount - own - carry),
        met=own + carry >= spec.amount and all(part.met for part in parts), sub_requirements=tuple(parts),
        past_periods=tuple(past))


def requirements_met_by(user_id, award_uuids):
    """
    The requirements (``RequirementProgressData``) the learner meets today for their current
    period and would not meet without the awards ``award_uuids``: what those awards made them
    meet. Two queries (one when no requirement applies to the learner).
    """
    roots = _applying_specs(user_id)
    if not roots:
        return []
    today = timezone.localdate()
    awards = _standing_awards(user_id, today)
    new = {str(uuid) for uuid in award_uuids}
    before = [award for award in awards if str(award[5]) not in new]
    if len(before) == len(awards):
        return []  # none of them stands any more (revoked since), or none is dated yet
    met = []
    for spec in roots:
        now = _progress(spec, awards, today, with_past=False)
        if now is not None and now.met and not _progress(spec, before, today, with_past=False).met:
            met.append(now)
    return met


def announce_requirements_met(user_id, award_uuids):
    """Send ``requirement_met`` (and its openedx-events twin) for what these awards made the learner meet."""
    from credits_plugin import signals  # pylint: disable=import-outside-toplevel

    for progress in requirements_met_by(user_id, award_uuids):
        signals.requirement_met.send_robust(sender=None, user_id=user_id, requirement=progress)
        signals.COURSE_CREDIT_REQUIREMENT_MET.send_event(requirement_met=signals.CreditRequirementMetData(
            user_id=user_id, requirement_id=progress.id, requirement_name=progress.name, unit=progress.unit,
            required=f"{progress.required:.2f}", counted=f"{progress.counted:.2f}",
            period_start=progress.period_start.isoformat(), period_end=progress.period_end.isoformat(),
            met_at=timezone.now()))


# --- compliance -----------------------------------------------------------------------------------

def _report_root(requirement_id):
    """The requirement row a compliance report is about; a part has no report of its own."""
    requirement = _find(requirement_id)
    if requirement.parent_id:
        raise CreditsValidationError(_("A part has no report of its own: see its requirement's."),
                                     field_errors={"requirement": [_("Choose a requirement that is not a part.")]})
    return requirement


def compliance_requirement(requirement_id):
    """The requirement a compliance report is about (a part has none of its own)."""
    return requirement_data(_rows().get(pk=_report_root(requirement_id).pk))


def _left_out(status):
    """The value of ``met`` a report's status filter leaves out: "met" leaves out False, "behind" True."""
    return {"met": False, "behind": True}.get(status)


def _report_spec(requirement_id, status):
    """A compliance report's requirement (not a part) and its ``_Spec`` with its parts; a bad status refused."""
    if status not in (None, "", "behind", "met"):
        raise CreditsValidationError(_("Choose behind or met."), field_errors={"status": [_("Choose behind or met.")]})
    root = _report_root(requirement_id)
    (spec,) = _specs(CreditRequirement.objects.filter(Q(pk=root.pk) | Q(parent_id=root.pk))
                     .annotate(learner_cycle_start=Value(None, output_field=DateField()))
                     .values(*SPEC_FIELDS).order_by("pk"))
    return root, spec


def iter_compliance(requirement_id, *, as_of=None, status=None, after=None, batch_size=1000):
    """
    Each learner the requirement applies to, in user id order after the user id ``after``, with
    where they stand on ``as_of`` (today by default): ``ComplianceRowData``. ``status`` "behind"
    or "met" keeps those only. Reads in batches of learners, two queries a batch (the learners,
    then what counts in the current and previous period: added up by the database for learners
    who share the requirement's periods, read row by row for those counted from their own
    cycle start; three when a batch has both), so memory stays flat.
    """
    from django.contrib.auth import get_user_model  # pylint: disable=import-outside-toplevel

    today = progress_day(as_of)
    root, spec = _report_spec(requirement_id, status)
    if spec.applies_to_all_flag:
        own_start = RequirementAssignment.objects.filter(requirement_id=root.pk, user_id=OuterRef("pk")).values(
            "cycle_start")[:1]
        learners = get_user_model().objects.filter(is_active=True).annotate(own_start=Subquery(own_start)).values_list(
            "pk", "username", "own_start")
        key = "pk"
    else:
        learners = RequirementAssignment.objects.filter(requirement_id=root.pk, user__is_active=True).values_list(
            "user_id", "user__username", "cycle_start")
        key = "user_id"
    last = parse_id(after) or 0 if after not in (None, "") else 0
    while True:
        batch = list(learners.filter(**{f"{key}__gt": last}).order_by(key)[:batch_size])
        if not batch:
            return
        last = batch[-1][0]
        yield from _compliance_rows(spec, batch, today, status)


def _compliance_rows(spec, batch, today, status):
    """
    Learners who share the requirement's own periods are added up by the database (one GROUP BY
    for the batch); learners counted from their own cycle start, from their awards (one query).
    """
    shared = spec.anchor if spec.kind == PeriodKind.FIXED_CYCLE else None
    own = {user_id: start for user_id, _name, start in batch if start and start != shared}
    computed = _progress_by_learner(spec, own, today)
    common = [user_id for user_id, _name, _start in batch if user_id not in own]
    if common and (spec.kind != PeriodKind.FIXED_CYCLE or shared):
        computed.update(_summed_progress(spec, common, today))
    left_out = _left_out(status)
    for user_id, username, _start in batch:
        progress = computed.get(user_id)
        if progress is None or progress.met is left_out:
            continue  # no progress: a learner of a cycle counted from their own start, who has none
        yield ComplianceRowData(user_id=user_id, username=username, cycle_start=own.get(user_id, shared),
                                progress=progress)


COMPLIANCE_COLUMNS = ("username", "cycle_start", "period_start", "period_end", "required", "earned", "carried_over",
                      "remaining", "met")


def compliance_cells(row):
    """
    A compliance report's row as the CSV writes it (``COMPLIANCE_COLUMNS``, then each part's
    earned amount, in the parts' id order).
    """
    progress = row.progress
    return [row.username, row.cycle_start.isoformat() if row.cycle_start else "",
            progress.period_start.isoformat(), progress.period_end.isoformat(), f"{progress.required:.2f}",
            f"{progress.earned:.2f}", f"{progress.carried_over:.2f}", f"{progress.remaining:.2f}",
            "true" if progress.met else "false", *(f"{part.earned:.2f}" for part in progress.sub_requirements)]


def iter_compliance_lines(requirement_id, *, as_of=None, status=None, chunk_size=5000):
    """
    A whole report's CSV, a line at a time: the header (``COMPLIANCE_COLUMNS``, then "<part's
    name>: earned" for each part, guarded), then the rows of ``iter_compliance`` as lines of CSV
    text (``compliance_cells``, the username guarded and quoted as ``credits_plugin.csv_text`` does).

    The same learners in the same order with the same values, made for the hundred thousand
    learners of a licensing body: a chunk of learners at a time comes from one hand-written
    query (built once per report: the learners LEFT JOINed to what counts, added up by the
    database, as a raw GROUP BY would), and the line of a learner on the requirement's own
    periods is written from the sums in whole cents, without model values or data objects; the
    part of the line after the username is kept per (what counts now, what carries over, each
    part's sum), which many learners share.
    Learners counted from their own cycle start go through ``iter_compliance``'s reading of their
    awards. ``tests/credits_plugin/test_compliance_cells.py`` holds the two paths to the same text.
    """
    from django.contrib.auth import get_user_model  # pylint: disable=import-outside-toplevel
    from django.db import connections, router  # pylint: disable=import-outside-toplevel

    today = progress_day(as_of)
    root, spec = _report_spec(requirement_id, status)
    shared = spec.anchor if spec.kind == PeriodKind.FIXED_CYCLE else None
    summed = spec.kind != PeriodKind.FIXED_CYCLE or shared is not None  # learners on the requirement's periods
    connection = connections[router.db_for_read(AwardedCredit)]
    sql, params = _compliance_sql(connection, get_user_model(), spec, root.pk, today, chunk_size)
    tail_of = _shared_tails(spec, today, shared, status) if summed else None
    header = writer().writerow([*COMPLIANCE_COLUMNS, *(guarded(f"{part.name}: earned") for part in spec.parts)])
    # Checked and built above, at the call: a streamed CSV must fail before its first line.
    return _compliance_chunks(connection, sql, params, spec, today, shared, header, status, tail_of, chunk_size)


def _compliance_chunks(connection, sql, params, spec, today, shared, header, status, tail_of, chunk_size):
    """The lines of ``iter_compliance_lines``: the header, then a chunk of learners per query."""
    left_out, last = _left_out(status), 0
    yield header
    while True:
        params[-2] = last
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        own = {}
        for row in rows:
            start = row[2]
            if start is not None:
                start = datetime.date.fromisoformat(start) if isinstance(start, str) else start
                if start != shared:
                    own[row[0]] = start
        computed = _progress_by_learner(spec, own, today)
        for row in rows:
            if own and row[0] in own:
                progress = computed.get(row[0])
                if progress is not None and progress.met is not left_out:
                    cells = compliance_cells(ComplianceRowData(user_id=row[0], username=row[1],
                                                               cycle_start=own[row[0]], progress=progress))
                    yield free_text_cell(cells[0]) + "," + ",".join(cells[1:]) + "\r\n"
            elif tail_of is not None:  # the lean path, per learner: a kept tail, the name checked inline
                tail = tail_of(row[3:])
                if tail:
                    name = row[1]
                    yield (free_text_cell(name) if name[:1] in FORMULA_STARTS or needs_quotes(name) else name) + tail
        if len(rows) < chunk_size:
            return
        last = rows[-1][0]


_KEEP = 4096  # the most lines' tails a compliance CSV keeps (emptied when full)


def _shared_tails(spec, today, shared, status):
    """
    ``tail(sums)``: the line of a learner on the requirement's own periods after their username
    (``compliance_cells`` from their sums, as ``_progress_from`` counts), for the sums of a row of
    ``_compliance_sql`` (whole cents: now, the period before, each part's); "" when the status
    filter leaves the learner out. What follows the name depends only on what counts now, what
    carries over and each part's sum, which many learners share: the text is kept per such set,
    at most ``_KEEP`` of them (emptied when full, so that memory stays bounded whatever the
    number of learners). Lean: it runs once per learner.
    """
    periods = _periods(spec, spec.anchor)
    start, end = periods.bounds(periods.current(today), today)
    head = "," + ",".join(("" if shared is None else shared.isoformat(), start.isoformat(), end.isoformat(),
                           f"{spec.amount:.2f}"))
    amount = int(spec.amount * 100)
    cap = int(spec.carry_over_max * 100) if periods.has_past_periods and spec.carry_over_max else 0
    required = tuple(int(part.amount * 100) for part in spec.parts)
    left_out = _left_out(status)
    kept = {}
    text = _cents_text  # a local name: the lines below run once per learner with a line of its own

    def tail(sums):
        now, before, parts = sums[0], sums[1], sums[2:]
        carry = before - amount if before > amount else 0
        if carry > cap:
            carry = cap
        key = (now, carry, parts)
        found = kept.get(key)
        if found is None:
            if len(kept) >= _KEEP:
                kept.clear()
            met = now + carry >= amount and all(map(int.__ge__, parts, required))
            if met is left_out:
                found = kept[key] = ""
            else:
                remaining = amount - now - carry if amount > now + carry else 0
                found = kept[key] = (f"{head},{text(now)},{text(carry)},{text(remaining)},"
                                     f"{'true' if met else 'false'}{''.join([',' + text(part) for part in parts])}\r\n")
        return found

    return tail


def _cents_text(cents):
    """
    An amount in whole cents as ``f"{amount:.2f}"`` writes it ("12.50", "-1.50"): exact while the
    float ``cents / 100`` is within half a cent of the amount, that is below 4.5e13 cents.
    """
    return f"{cents / 100:.2f}"


def _compliance_sql(connection, user_model, spec, requirement_id, today, chunk_size):
    """
    The query of ``iter_compliance_lines`` and its parameters, the last two the user id to read
    after and the chunk's size: each learner (user id order) with their cycle start, what counts in
    the current period, what counted in the one before (carry-over), and what counts in the
    current period toward each part. What counts is ``_counts_q``'s: the unit, and the credit or
    its type (a type's credits are listed once per report), or for a credit earned elsewhere the
    type of its submission.
    """
    quote, ops = connection.ops.quote_name, connection.ops

    def table(model):
        return quote(model._meta.db_table)  # pylint: disable=protected-access

    def counts(part):
        """``_counts_q(part)`` on the award ``a``; a credit earned elsewhere counts by its submission's type."""
        credit_ids = sorted(set(part.credit_ids) | set(Credit.objects.filter(credit_type_id__in=part.type_ids)
                                                       .values_list("id", flat=True)))
        found, values = [], []
        if credit_ids:
            found.append(f"a.{quote('credit_id')} IN ({', '.join(['%s'] * len(credit_ids))})")
            values.extend(credit_ids)
        if part.type_ids:
            found.append(f"(a.{quote('credit_id')} IS NULL AND a.{quote('id')} IN (SELECT e.{quote('award_id')} "
                         f"FROM {table(ExternalCredit)} e WHERE e.{quote('award_id')} IS NOT NULL "
                         f"AND e.{quote('credit_type_id')} IN ({', '.join(['%s'] * len(part.type_ids))})))")
            values.extend(sorted(part.type_ids))
        return f"a.{quote('unit')} = %s AND ({' OR '.join(found) or '1 = 0'})", [part.unit, *values]

    if spec.kind == PeriodKind.FIXED_CYCLE and spec.anchor is None:  # every learner on their own cycle:
        start = since = ops.adapt_datetimefield_value(day_start(today))  # the sums are not read
    else:
        periods = _periods(spec, spec.anchor)
        start = ops.adapt_datetimefield_value(day_start(periods.bounds(periods.current(today), today)[0]))
        since = ops.adapt_datetimefield_value(day_start(_counting_since(spec, spec.anchor, today)))
    until = ops.adapt_datetimefield_value(day_start(today + ONE_DAY))
    amount, when = f"a.{quote('amount')}", f"a.{quote('awarded_at')}"
    integer = "SIGNED" if connection.vendor == "mysql" else "INTEGER"

    def cents(condition):
        """A sum in whole cents, an integer, 0 for none (amounts have two decimals: exact on MySQL, near on SQLite)."""
        return f"CAST(ROUND(COALESCE(SUM(CASE WHEN {condition} THEN {amount} END), 0) * 100) AS {integer})"

    sums = [cents(f"{when} >= %s"), cents(f"{when} < %s")]
    params = [start, start]
    for part in spec.parts:  # what counts toward a part also counts toward the requirement (the join's condition)
        condition, values = counts(part)
        sums.append(cents(f"{condition} AND {when} >= %s"))
        params.extend([*values, start])
    user_pk = quote(user_model._meta.pk.column)  # pylint: disable=protected-access
    username = quote(user_model._meta.get_field(user_model.USERNAME_FIELD).column)  # pylint: disable=protected-access
    if spec.applies_to_all_flag:  # every active learner, with their own cycle start where they were given one
        learner = f"u.{user_pk}"
        learners = (f"{table(user_model)} u LEFT JOIN {table(RequirementAssignment)} r "
                    f"ON r.{quote('user_id')} = {learner} AND r.{quote('requirement_id')} = %s")
        params.append(requirement_id)
        where, where_params = "", []
    else:
        learner = f"r.{quote('user_id')}"
        learners = f"{table(RequirementAssignment)} r JOIN {table(user_model)} u ON u.{user_pk} = {learner}"
        where, where_params = f"r.{quote('requirement_id')} = %s AND ", [requirement_id]
    counting, counting_params = counts(spec)
    # Grouped by the learner alone (their name and cycle start are one per learner), so that the
    # database reads the learners in id order and stops at the chunk's end.
    sql = (f"SELECT {learner}, MAX(u.{username}), MAX(r.{quote('cycle_start')}), {', '.join(sums)} FROM {learners} "
           f"LEFT JOIN {table(AwardedCredit)} a ON a.{quote('user_id')} = {learner} AND a.{quote('status')} = %s "
           f"AND {when} >= %s AND {when} < %s AND {counting} "
           f"WHERE {where}u.{quote('is_active')} = %s AND {learner} > %s "
           f"GROUP BY {learner} ORDER BY {learner} LIMIT %s")
    params.extend([AwardStatus.AWARDED.value, since, until, *counting_params, *where_params, True, 0, chunk_size])
    return sql, params


def _counts_q(spec):
    """``_Spec.counts`` as a database filter on awards."""
    return Q(unit=spec.unit) & (Q(credit_id__in=spec.credit_ids) | Q(credit__credit_type_id__in=spec.type_ids)
                                | Q(external_credit__credit_type_id__in=spec.type_ids))


def _summed_progress(spec, user_ids, today):
    """Progress of learners who share the requirement's periods: the database adds up each one's awards."""
    periods = _periods(spec, spec.anchor)
    current = periods.current(today)
    start = periods.bounds(current, today)[0]
    since = _counting_since(spec, spec.anchor, today)
    now = Q(awarded_at__gte=day_start(start))
    sums = {"now": Sum("amount", filter=now), "before": Sum("amount", filter=~now)}
    sums.update({f"part{index}": Sum("amount", filter=now & _counts_q(part))
                 for index, part in enumerate(spec.parts)})
    rows = (AwardedCredit.objects.filter(_counts_q(spec), user_id__in=user_ids, status=AwardStatus.AWARDED,
                                         awarded_at__gte=day_start(since), awarded_at__lt=day_start(today + ONE_DAY))
            .values("user_id").annotate(**sums).order_by())
    found = {row["user_id"]: row for row in rows}
    progress = {}
    for user_id in user_ids:
        row = found.get(user_id, {})
        totals = {current: row.get("now") or ZERO, current - 1: row.get("before") or ZERO}
        parts = [{current: row.get(f"part{index}") or ZERO} for index in range(len(spec.parts))]
        progress[user_id] = _progress_from(spec, periods, today, totals, parts, with_past=False)
    return progress


def _progress_by_learner(spec, anchors, today):
    """Progress of learners counted from their own cycle start: from their awards, read in one query."""
    if not anchors:
        return {}
    since = min(_counting_since(spec, anchor, today) for anchor in anchors.values())
    rows = AwardedCredit.objects.filter(
        _counts_q(spec), user_id__in=list(anchors), status=AwardStatus.AWARDED,
        awarded_at__gte=day_start(since), awarded_at__lt=day_start(today + ONE_DAY),
    ).values_list("user_id", "credit_id", "credit__credit_type_id", "external_credit__credit_type_id", "unit",
                  "amount", "awarded_at")
    awards, local_day = defaultdict(list), _local_day(timezone.get_current_timezone())
    for user_id, credit_id, type_id, external_type_id, unit, amount, awarded_at in rows:
        awards[user_id].append((credit_id, type_id or external_type_id, unit, amount, local_day(awarded_at)))
    return {user_id: _progress(spec, awards.get(user_id, ()), today, anchor=anchor, with_past=False)
            for user_id, anchor in anchors.items()}


def _counting_since(spec, anchor, today):
    """The first day whose awards can matter on ``today``: the current period's, or the one before (carry-over)."""
    periods = _periods(spec, anchor)
    current = periods.current(today)
    index = current - 1 if periods.has_past_periods and spec.carry_over_max else current
    if spec.kind == PeriodKind.FIXED_CYCLE:
        index = max(index, 0)  # nothing before the first cycle counts, nor carries over
    return periods.bounds(index, today)[0]


__all__ = [
    "announce_requirements_met", "requirements_met_by",
    "compliance_requirement", "iter_compliance", "iter_compliance_lines",
    "assign_learners", "list_assignments", "parse_assignment_csv",
    "clean_requirement", "create_requirement", "delete_requirement", "get_learner_requirements",
    "get_requirement", "list_requirements", "progress_day", "update_requirement",
]
