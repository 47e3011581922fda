"""
Approval of courses' credits (accredited designations).

A credit type can require approval (``CreditType.requires_approval``): an accrediting body
approves a course for an amount of its credit, for a period. A course's designation of a credit
of such a type is ``pending`` when it is made, and again whenever its amount or reference number
changes; an approver (global staff, or a member of the type's approvers group) approves it, with
an optional window (``valid_from``, ``valid_until``), or rejects it with a reason. Whoever asked
for a designation cannot decide it. Only approved designations award, on every path (events,
backfill, reconciliation, manual awards), and only to learners whose pass date falls inside the
window: ``awardable_q`` (in queries) and ``in_window`` (``data.within``, in Python) state the
rule they all apply.
"""
import datetime
import re

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from credits_plugin import platform
from credits_plugin.constants import ApprovalStatus
from credits_plugin.data import DesignationData, within
from credits_plugin.exceptions import CreditsConflict, CreditsNotFound, CreditsPermissionDenied, CreditsValidationError
from credits_plugin.models import CourseCredit, CreditType
from credits_plugin.services.convert import credit_data
from credits_plugin.services.structure import set_history_user
from credits_plugin.validation import FieldErrors, clean_reason, parse_amount, parse_id


def awardable_q(day, prefix=""):
    """The designations that award a learner who passed on ``day``: approved, and the day inside their window."""
    return (Q(**{f"{prefix}approval_status": ApprovalStatus.APPROVED})
            & (Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": day}))
            & (Q(**{f"{prefix}valid_until__isnull": True}) | Q(**{f"{prefix}valid_until__gte": day})))


def in_window(valid_from, valid_until, when):
    """Whether a learner who passed at ``when`` (a date or datetime) is inside an approval's window."""
    return within(valid_from, valid_until, award_day(when))


def award_day(when):
    """The calendar day (in the site's time zone) of a date or datetime; today for None."""
    if when is None:
        return timezone.localdate()
    if isinstance(when, datetime.datetime):
        return timezone.localdate(when) if timezone.is_aware(when) else when.date()
    return when


def day_start(day):
    """The first moment of a calendar day in the site's time zone (the other end of ``award_day``)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def status_for_change(designation, credit_type, user):
    """
    Set a designation's approval state for a new designation or a change of its amount or
    reference number: approved for types without approval (one rejected before the type's
    approval was switched off included), else pending (asked for by ``user``).
    """
    if not credit_type.requires_approval:
        designation.approval_status = ApprovalStatus.APPROVED
        return
    designation.approval_status = ApprovalStatus.PENDING
    designation.requested_by = user if getattr(user, "pk", None) else None
    designation.approved_by, designation.approved_at, designation.rejection_reason = None, None, ""


def courses_waiting_on_type(type_id):
    """The courses carrying a credit of this type that is not approved (waiting, or rejected)."""
    type_id = parse_id(type_id)
    if type_id is None:  # not an id: the update that follows says so
        return []
    return list(CourseCredit.objects.filter(credit__credit_type_id=type_id).exclude(
        approval_status=ApprovalStatus.APPROVED).order_by().values_list("course_key", flat=True).distinct())


def can_approve(user, credit_type):
    """Global staff, and members of the type's approvers group, may decide its designations."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_staff or user.is_superuser:
        return True
    return credit_type.approvers_id is not None and user.groups.filter(pk=credit_type.approvers_id).exists()


def can_approve_designations(user):
    """Whether ``user`` may decide the designations of at least one type."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.is_staff or user.is_superuser or user.groups.filter(
        pk__in=_approver_groups()).exists()


def _approver_groups():
    return CreditType.objects.filter(approvers__isnull=False).values("approvers")


def _visible_to(user):
    queryset = CourseCredit.objects.select_related("credit__credit_type", "requested_by", "approved_by")
    if user.is_staff or user.is_superuser:
        return queryset
    return queryset.filter(credit__credit_type__approvers__in=user.groups.all())


def list_designations(user, approval_status=None):
    """The designations of types that require approval which ``user`` may decide, oldest change first."""
    if not can_approve_designations(user):
        raise CreditsPermissionDenied(_("Only approvers of a credit type and global staff see the approvals."))
    if approval_status not in (None, "") and approval_status not in ApprovalStatus.values:
        raise CreditsValidationError(
            _("Filter by one of: {choices}.").format(choices=", ".join(ApprovalStatus.values)),
            field_errors={"approval_status": [_("Unknown approval status.")]})
    queryset = _visible_to(user).filter(credit__credit_type__requires_approval=True).order_by("modified", "pk")
    if approval_status:
        queryset = queryset.filter(approval_status=approval_status)
    rows = list(queryset)
    names = platform.get_course_names({row.course_key for row in rows}) if rows else {}
    return [_designation(row, names) for row in rows]


def get_designation(user, designation_id):
    row = _find(user, designation_id)
    return _designation(row, platform.get_course_names([row.course_key]))


def approve_designation(designation_id, *, acting_user, valid_from=None, valid_until=None, amount=None,
                        reference_number=None):
    """
    Approve a pending designation, for the window given (both ends optional). ``amount`` and
    ``reference_number``, when given, are what the approver reviewed: if the course changed them
    since, nothing is approved (CreditsConflict), so nobody approves an amount they never saw.
    """
    errors = FieldErrors()
    valid_from = clean_date(valid_from, errors, "valid_from")
    valid_until = clean_date(valid_until, errors, "valid_until")
    if valid_from and valid_until and valid_until < valid_from:
        errors.add("valid_until", _("The end of the approval cannot come before its start."))
    reviewed = {}
    if amount is not None:
        reviewed["amount"] = parse_amount(amount, errors)
    if reference_number is not None:
        reviewed["reference_number"] = str(reference_number).strip()
    errors.raise_if_any()
    return _decide(designation_id, acting_user, ApprovalStatus.APPROVED,
                   {"valid_from": valid_from, "valid_until": valid_until, "rejection_reason": ""}, reviewed)


def reject_designation(designation_id, *, acting_user, reason):
    """Reject a pending designation, with a reason the course's authors will read."""
    errors = FieldErrors()
    reason = clean_reason(reason, errors)
    errors.raise_if_any()
    return _decide(designation_id, acting_user, ApprovalStatus.REJECTED,
                   {"rejection_reason": reason, "valid_from": None, "valid_until": None})


def _decide(designation_id, acting_user, status, fields, reviewed=None):
    with transaction.atomic():
        row = _find(acting_user, designation_id, lock=True)
        if row.approval_status != ApprovalStatus.PENDING:
            raise CreditsConflict(_("This course credit was already decided ({status}).").format(
                status=ApprovalStatus(row.approval_status).label))
        if any(getattr(row, name) != value for name, value in (reviewed or {}).items()):
            raise CreditsConflict(_("The course changed this credit since you reviewed it: review it again."))
        if row.requested_by_id is not None and row.requested_by_id == acting_user.pk:
            raise CreditsPermissionDenied(_("You asked for this course credit: another approver must decide it."))
        row.approval_status = status
        row.approved_by, row.approved_at = acting_user, timezone.now()
        for name, value in fields.items():
            setattr(row, name, value)
        set_history_user(row, acting_user)
        row.save()  # forgets the course's cached answers on commit (apps.ready)
    return _designation(row, platform.get_course_names([row.course_key]))


def _find(user, designation_id, *, lock=False):
    """A designation of a type requiring approval that ``user`` may decide; the same error for any other id."""
    if not can_approve_designations(user):
        raise CreditsPermissionDenied(_("Only approvers of a credit type and global staff decide its course credits."))
    # Locking locks the designation's row only (MariaDB has no FOR UPDATE OF): its relations load after.
    queryset = CourseCredit.objects.select_for_update() if lock else CourseCredit.objects.select_related(
        "credit__credit_type", "requested_by", "approved_by")
    row = queryset.filter(pk=parse_id(designation_id), credit__credit_type__requires_approval=True).first()
    if row is None or not can_approve(user, row.credit.credit_type):
        raise CreditsNotFound(_("There is no such course credit for you to decide."))
    return row


def clean_date(value, errors, field):
    """A date given as exactly YYYY-MM-DD (or a date); None, with an error, for anything else."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value
    text = str(value).strip()
    try:  # exactly YYYY-MM-DD: Python 3.11's fromisoformat also takes "20260101" and week dates
        if not ISO_DAY.fullmatch(text):
            raise ValueError(text)
        return datetime.date.fromisoformat(text)
    except ValueError:
        errors.add(field, _("Give a date as YYYY-MM-DD."))
        return None


ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _designation(row, names):
    return DesignationData(
        id=row.pk, course_key=row.course_key, course_name=names.get(str(row.course_key), str(row.course_key)),
        credit=credit_data(row.credit), amount=row.amount, reference_number=row.reference_number,
        approval_status=row.approval_status, valid_from=row.valid_from, valid_until=row.valid_until,
        requested_by=row.requested_by.username if row.requested_by else "",
        approved_by=row.approved_by.username if row.approved_by else "",
        approved_at=row.approved_at, rejection_reason=row.rejection_reason, modified=row.modified,
    )

