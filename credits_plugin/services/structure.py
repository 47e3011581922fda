"""The credit structure: credit types and the credits under them."""
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from credits_plugin.constants import ApprovalStatus
from credits_plugin.exceptions import CreditsInUse, CreditsNotFound, CreditsValidationError
from credits_plugin.models import AwardedCredit, CourseCredit, Credit, CreditType
from credits_plugin.services.convert import credit_data, type_data
from credits_plugin.validation import (
    FieldErrors,
    check_reference_number,
    clean_credit_fields,
    clean_type_fields,
    parse_id,
)


def set_history_user(instance, user):
    """Record ``user`` as the author of the next history entry of ``instance``."""
    if user is not None and getattr(user, "pk", None):
        instance._history_user = user  # pylint: disable=protected-access


def _get_type(type_id, *, lock=False):
    queryset = CreditType.objects.select_for_update() if lock else CreditType.objects
    try:
        return queryset.get(pk=parse_id(type_id))
    except CreditType.DoesNotExist:
        raise CreditsNotFound(  # pylint: disable=raise-missing-from
            _("There is no credit type with id {id}.").format(id=type_id),
            field_errors={"credit_type": [_("Unknown credit type.")]},
        )


def _get_credit(credit_id, *, lock=False):
    queryset = Credit.objects.select_related("credit_type")
    if lock:
        queryset = queryset.select_for_update()
    try:
        return queryset.get(pk=parse_id(credit_id))
    except Credit.DoesNotExist:
        raise CreditsNotFound(  # pylint: disable=raise-missing-from
            _("There is no credit with id {id}.").format(id=credit_id),
            field_errors={"credit": [_("Unknown credit.")]},
        )


def _save_unique(instance, field_errors):
    """Save; a uniqueness clash (even a concurrent one) becomes a validation error."""
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError:
        raise CreditsValidationError(  # pylint: disable=raise-missing-from
            next(iter(field_errors.values()))[0], field_errors=field_errors,
        )


# --- credit types -------------------------------------------------------------------------------

def list_credit_types(is_active=None):
    queryset = CreditType.objects.all()
    if is_active is not None:
        queryset = queryset.filter(is_active=is_active)
    return [type_data(row) for row in queryset]


def get_credit_type(type_id):
    return type_data(_get_type(type_id))


def create_credit_type(*, name, unit="hours", description="", requires_reference_number=False,
                       allow_multiple_per_course=True, is_active=True, requires_approval=None, approvers=None,
                       achievement_type="", translations=None, user=None):
    """
    A new credit type. ``requires_approval`` not given: a type that requires reference numbers (an
    accrediting body's) requires approval of the courses that carry its credits, others do not.
    """
    errors = FieldErrors()
    fields = clean_type_fields({
        "name": name, "unit": unit, "description": description,
        "requires_reference_number": requires_reference_number,
        "allow_multiple_per_course": allow_multiple_per_course, "is_active": is_active,
        "requires_approval": requires_reference_number if requires_approval is None else requires_approval,
        "approvers": approvers, "achievement_type": achievement_type, "translations": translations,
    }, errors)
    if not errors and CreditType.objects.filter(name__iexact=fields["name"]).exists():
        errors.add("name", _("A credit type named '{name}' already exists.").format(name=fields["name"]))
    errors.raise_if_any()
    row = CreditType(**fields)
    set_history_user(row, user)
    _save_unique(row, {"name": [_("A credit type with this name already exists.")]})
    return type_data(row)


@transaction.atomic
def update_credit_type(type_id, *, user=None, **changes):
    """Change some fields of a type. Turning a rule on checks the credits and courses it already has."""
    row = _get_type(type_id, lock=True)
    errors = FieldErrors()
    unknown = set(changes) - {"name", "description", "unit", "requires_reference_number",
                              "allow_multiple_per_course", "is_active", "requires_approval", "approvers",
                              "achievement_type", "translations"}
    for field in sorted(unknown):
        errors.add(field, _("This field cannot be changed."))
    fields = clean_type_fields(changes, errors)
    if "name" in fields and not errors and CreditType.objects.filter(
            name__iexact=fields["name"]).exclude(pk=row.pk).exists():
        errors.add("name", _("A credit type named '{name}' already exists.").format(name=fields["name"]))
    for key, value in fields.items():
        setattr(row, key, value)
    if fields.get("requires_reference_number") and not errors:
        missing = list(row.credits.filter(reference_number="").values_list("name", flat=True)[:5])
        if missing:
            errors.add("requires_reference_number", _(
                "Give these credits a reference number first: {names}."
            ).format(names=", ".join(missing)))
    if fields.get("allow_multiple_per_course") is False and not errors:
        _check_no_course_has_several(row, errors)
    errors.raise_if_any()
    set_history_user(row, user)
    _save_unique(row, {"name": [_("A credit type with this name already exists.")]})
    if fields.get("requires_approval") is False:  # nothing left to wait for: what waited, or was rejected, awards
        for designation in CourseCredit.objects.filter(credit__credit_type=row).exclude(
                approval_status=ApprovalStatus.APPROVED):
            designation.approval_status = ApprovalStatus.APPROVED
            set_history_user(designation, user)
            designation.save()
    return type_data(row)


def _check_no_course_has_several(credit_type, errors):
    designations = CourseCredit.objects.filter(credit__credit_type=credit_type).select_related("credit__credit_type")
    by_course = {}
    for designation in designations:
        by_course.setdefault(str(designation.course_key), []).append(designation.credit)
    crowded = sorted(course for course, credits in by_course.items() if len(credits) > 1)
    if crowded:
        errors.add("allow_multiple_per_course", _(
            "These courses already carry several credits of this type: {courses}."
        ).format(courses=", ".join(crowded[:5])))


def archive_credit_type(type_id, user=None):
    """Archive: no new designations; existing designations and awards keep working."""
    return update_credit_type(type_id, is_active=False, user=user)


@transaction.atomic
def delete_credit_type(type_id, user=None):
    """Delete a type and its credits, refused while any of them is designated or awarded."""
    row = _get_type(type_id, lock=True)
    in_use = CourseCredit.objects.filter(credit__credit_type=row).exists() or \
        AwardedCredit.objects.filter(credit__credit_type=row).exists()
    if in_use:
        raise CreditsInUse(_(
            "The credit type '{name}' has credits that courses award or learners have earned, so it cannot be "
            "deleted. Archive it instead: it will no longer be offered to courses."
        ).format(name=row.name))
    for credit in row.credits.all():
        set_history_user(credit, user)
        credit.delete()
    set_history_user(row, user)
    row.delete()


# --- credits ------------------------------------------------------------------------------------

def list_credits(credit_type_id=None, is_active=None):
    queryset = Credit.objects.select_related("credit_type")
    if credit_type_id is not None:
        queryset = queryset.filter(credit_type_id=credit_type_id)
    if is_active is not None:
        queryset = queryset.filter(is_active=is_active)
    return [credit_data(row) for row in queryset]


def get_credit(credit_id):
    return credit_data(_get_credit(credit_id))


def create_credit(*, credit_type_id, name, description="", reference_number="", is_active=True, translations=None,
                  user=None):
    errors = FieldErrors()
    fields = clean_credit_fields({"name": name, "description": description, "reference_number": reference_number,
                                  "is_active": is_active, "translations": translations}, errors)
    try:
        credit_type = _get_type(credit_type_id)
    except CreditsNotFound as exc:
        raise CreditsValidationError(exc.message, field_errors={"credit_type": [exc.message]}) from exc
    if not credit_type.is_active:
        errors.add("credit_type", _("The credit type '{name}' is archived.").format(name=credit_type.name))
    check_reference_number(credit_type, fields.get("reference_number"), errors)
    if not errors and credit_type.credits.filter(name__iexact=fields["name"]).exists():
        errors.add("name", _("'{type}' already has a credit named '{name}'.").format(
            type=credit_type.name, name=fields["name"]))
    errors.raise_if_any()
    row = Credit(credit_type=credit_type, **fields)
    set_history_user(row, user)
    _save_unique(row, {"name": [_("This type already has a credit with this name.")]})
    return credit_data(row)


@transaction.atomic
def update_credit(credit_id, *, user=None, **changes):
    """Change a credit. Past awards keep their snapshot; a type change re-checks the type's rules."""
    row = _get_credit(credit_id, lock=True)
    errors = FieldErrors()
    unknown = set(changes) - {"name", "description", "reference_number", "is_active", "credit_type_id",
                              "translations"}
    for field in sorted(unknown):
        errors.add(field, _("This field cannot be changed."))
    fields = clean_credit_fields(changes, errors)
    if "credit_type_id" in changes and changes["credit_type_id"] != row.credit_type_id:
        new_type = _get_type(changes["credit_type_id"])
        if row.designations.exists() or row.awards.exists():
            errors.add("credit_type", _("A credit that courses award or learners have earned cannot move to "
                                        "another type."))
        row.credit_type = new_type
    for key, value in fields.items():
        setattr(row, key, value)
    check_reference_number(row.credit_type, row.reference_number, errors)
    if not errors and "name" in fields and Credit.objects.filter(
            credit_type=row.credit_type, name__iexact=row.name).exclude(pk=row.pk).exists():
        errors.add("name", _("'{type}' already has a credit named '{name}'.").format(
            type=row.credit_type.name, name=row.name))
    errors.raise_if_any()
    set_history_user(row, user)
    _save_unique(row, {"name": [_("This type already has a credit with this name.")]})
    return credit_data(row)


def archive_credit(credit_id, user=None):
    return update_credit(credit_id, is_active=False, user=user)


@transaction.atomic
def delete_credit(credit_id, user=None):
    row = _get_credit(credit_id, lock=True)
    if row.designations.exists() or row.awards.exists():
        raise CreditsInUse(_(
            "The credit '{name}' is awarded by courses or has been earned by learners, so it cannot be deleted. "
            "Archive it instead: it will no longer be offered to courses."
        ).format(name=row.name))
    set_history_user(row, user)
    row.delete()

