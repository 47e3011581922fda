"""
Credits earned elsewhere: a learner reports one, with evidence; a reviewer approves or rejects it.

A learner sends a title, a provider, a credit type, an amount, the day they earned it and an
evidence file (a PDF, PNG or JPEG of at most 10 MB, its type read from its first bytes, never
from its name). Reviewers are global staff and the members of the type's approvers group, as
for course credits that need approval (``services.approval.can_approve``); nobody reviews what
they sent. Approving one (optionally at a corrected amount) records an award with source
"external" and no course (ADR 0008), which then counts in the learner's totals; a rejected one
never counts. The learner is told either way: an email through the platform, and the
submission's status and reason on their credits page.

The evidence is kept in Django's default storage under a random name and read back only through
``open_evidence`` (the learner and reviewers): its storage URL is never given out.
"""
import logging

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from credits_plugin import platform
from credits_plugin.constants import (
    EVIDENCE_EXTENSIONS,
    EVIDENCE_MAX_BYTES,
    MAX_NAME_LENGTH,
    MAX_PROVIDER_LENGTH,
    AwardSource,
    ExternalCreditStatus,
)
from credits_plugin.data import ExternalCreditData, snapshot_translations
from credits_plugin.exceptions import CreditsConflict, CreditsNotFound, CreditsPermissionDenied, CreditsValidationError
from credits_plugin.models import AwardedCredit, CreditType, ExternalCredit
from credits_plugin.services.approval import can_approve, can_approve_designations, clean_date, day_start
from credits_plugin.services.notify import announce_external_award
from credits_plugin.services.structure import set_history_user
from credits_plugin.validation import FieldErrors, clean_reason, clean_text, format_amount, parse_amount, parse_id

logger = logging.getLogger(__name__)

# The first bytes of each kind of evidence taken.
EVIDENCE_SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)


def evidence_type(upload, errors, field="evidence"):
    """
    The media type of an uploaded file, read from its content; None (with an error) for a file
    that is missing, empty, larger than 10 MB or not a PDF, PNG or JPEG whatever its name says.
    """
    if upload is None or isinstance(upload, str) or not hasattr(upload, "read"):
        errors.add(field, _("Attach the evidence: a PDF, PNG or JPEG file."))
        return None
    size = getattr(upload, "size", None)
    if not size:
        errors.add(field, _("The file is empty."))
        return None
    if size > EVIDENCE_MAX_BYTES:
        errors.add(field, _("The file is {size} MB; the largest allowed is {maximum} MB.").format(
            size=f"{size / (1024 * 1024):.1f}", maximum=EVIDENCE_MAX_BYTES // (1024 * 1024)))
        return None
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for signature, media_type in EVIDENCE_SIGNATURES:
        if head.startswith(signature):
            return media_type
    errors.add(field, _("This file is not a PDF, PNG or JPEG (its content was checked, not its name)."))
    return None


# Who reviews credits earned elsewhere: whoever approves courses' credits of some type.
is_reviewer = can_approve_designations


def _rows():
    return ExternalCredit.objects.select_related("user", "credit_type", "reviewed_by", "award")


def _visible_to(user):
    """The submissions ``user`` may see: their own, and those of the types they review."""
    queryset = _rows()
    if user.is_staff or user.is_superuser:
        return queryset
    return queryset.filter(Q(user=user) | Q(credit_type__approvers__in=user.groups.all())).distinct()


def submit_external_credit(user, *, title, provider, credit_type_id, amount, earned_on, evidence):
    """
    Record a learner's report of a credit earned elsewhere, waiting for review. Every field is
    checked before anything is stored; on any error nothing is (neither the row nor the file).
    """
    if not getattr(user, "is_authenticated", False):
        raise CreditsPermissionDenied(_("Sign in to report a credit earned elsewhere."))
    errors = FieldErrors()
    title = clean_text(title, errors, "title", max_length=MAX_NAME_LENGTH, required=True, label=_("Title"))
    provider = clean_text(provider, errors, "provider", max_length=MAX_PROVIDER_LENGTH, required=True,
                          label=_("Provider"))
    credit_type = _active_type(credit_type_id, errors)
    amount = parse_amount(amount, errors)
    if earned_on in (None, ""):
        errors.add("earned_on", _("Give the day you earned it, as YYYY-MM-DD."))
    earned_on = clean_date(earned_on, errors, "earned_on")
    if earned_on and earned_on > timezone.localdate():
        errors.add("earned_on", _("The day you earned it cannot be in the future."))
    media_type = evidence_type(evidence, errors)
    errors.raise_if_any()
    row = ExternalCredit(user=user, title=title, provider=provider, credit_type=credit_type, amount=amount,
                         earned_on=earned_on, evidence_type=media_type,
                         evidence_name=_safe_name(getattr(evidence, "name", "")))
    set_history_user(row, user)
    row.evidence.save("evidence", evidence, save=False)  # under a random name: models.evidence_path
    stored = row.evidence.name
    try:
        with transaction.atomic():
            row.save()
    except Exception:
        default_storage.delete(stored)  # the row did not go in: neither does its file
        raise
    return _data(row)


def _active_type(credit_type_id, errors):
    type_id = parse_id(credit_type_id)
    row = CreditType.objects.filter(pk=type_id, is_active=True).first() if type_id else None
    if row is None:
        errors.add("credit_type", _("Choose one of the site's credit types."))
    return row


def _safe_name(name):
    """The file's name as the learner gave it, for display only: its last part, printable, short."""
    name = str(name or "").replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(char for char in name if char.isprintable())[:MAX_NAME_LENGTH]


def list_external_credits(user, status=None):
    """A learner's own submissions and, for a reviewer, those of the types they review; newest first."""
    if not getattr(user, "is_authenticated", False):
        raise CreditsPermissionDenied(_("Sign in to see credits earned elsewhere."))
    if status not in (None, "") and status not in ExternalCreditStatus.values:
        raise CreditsValidationError(
            _("Filter by one of: {choices}.").format(choices=", ".join(ExternalCreditStatus.values)),
            field_errors={"status": [_("Unknown status.")]})
    queryset = _visible_to(user)
    if status:
        queryset = queryset.filter(status=status)
    return [_data(row) for row in queryset.order_by("-created", "-id")]


def list_own_external_credits(user):
    """The learner's own submissions, newest first (their credits page)."""
    return [_data(row) for row in _rows().filter(user_id=user.pk).order_by("-created", "-id")]


def get_external_credit(user, external_id):
    return _data(_find(user, external_id))


def open_evidence(user, external_id):
    """``(open file, media type, download name)`` of a submission's evidence, for its learner and reviewers."""
    row = _find(user, external_id)
    name = f"evidence-{row.pk}{EVIDENCE_EXTENSIONS.get(row.evidence_type, '')}"
    return row.evidence.open("rb"), row.evidence_type, name


def approve_external_credit(external_id, *, acting_user, amount=None):
    """Approve a pending submission (at ``amount`` when the reviewer corrects it): it is awarded."""
    errors = FieldErrors()
    corrected = parse_amount(amount, errors) if amount not in (None, "") else None
    errors.raise_if_any()
    return _decide(external_id, acting_user, ExternalCreditStatus.APPROVED, corrected=corrected)


def reject_external_credit(external_id, *, acting_user, reason):
    """Reject a pending submission, with a reason the learner reads."""
    errors = FieldErrors()
    reason = clean_reason(reason, errors)
    errors.raise_if_any()
    return _decide(external_id, acting_user, ExternalCreditStatus.REJECTED, reason=reason)


def _decide(external_id, acting_user, status, *, corrected=None, reason=""):
    with transaction.atomic():
        row = _find(acting_user, external_id, lock=True, reviewing=True)
        if row.status != ExternalCreditStatus.PENDING:
            raise CreditsConflict(_("This credit was already reviewed ({status}).").format(
                status=ExternalCreditStatus(row.status).label))
        if row.user_id == acting_user.pk:
            raise CreditsPermissionDenied(_("You sent this credit: another reviewer must decide it."))
        now = timezone.now()
        row.status, row.reviewed_by, row.reviewed_at, row.reason = status, acting_user, now, reason
        if status == ExternalCreditStatus.APPROVED:
            if corrected is not None:
                row.amount = corrected
            row.award = AwardedCredit.objects.create(
                user_id=row.user_id, course_key=None, credit=None, amount=row.amount, credit_name=row.title,
                credit_type_name=row.credit_type.name, unit=row.credit_type.unit, source=AwardSource.EXTERNAL,
                translations=snapshot_translations({}, row.credit_type.translations),
                # It counts from the day it was earned (totals by date, requirement periods).
                awarded_at=day_start(row.earned_on), awarded_by=acting_user, reason=row.provider,
            )
            announce_external_award(row.award)
        set_history_user(row, acting_user)
        row.save()
        data = _data(row)
        transaction.on_commit(lambda: tell_learner(data, row.user))
    return data


def _find(user, external_id, *, lock=False, reviewing=False):
    """A submission ``user`` may see (to decide: review); the same error for any other id."""
    if not getattr(user, "is_authenticated", False):
        raise CreditsPermissionDenied(_("Sign in to see credits earned elsewhere."))
    if reviewing and not is_reviewer(user):
        raise CreditsPermissionDenied(_("Only reviewers of a credit type and global staff decide credits "
                                        "earned elsewhere."))
    row = _visible_to(user).filter(pk=parse_id(external_id)).first()
    if row is None or (reviewing and not can_approve(user, row.credit_type)):
        raise CreditsNotFound(_("There is no such credit earned elsewhere."))
    if lock:  # the row only (MariaDB has no FOR UPDATE OF): its relations load after
        row = ExternalCredit.objects.select_for_update().get(pk=row.pk)
    return row


def tell_learner(data, user):
    """
    Email the learner the decision on their submission, in their language (not the reviewer's);
    a failure is logged and never undoes the decision.
    """
    try:
        language = platform.get_learner_language(user)
        with translation.override(language):
            subject, body = _decision_message(data)
            if not platform.send_learner_email(user, subject, body, language):
                logger.warning("The email about credit earned elsewhere %s was not delivered to user %s "
                               "(their page shows the decision).", data.id, user.pk)
    except Exception:  # pylint: disable=broad-except
        logger.exception("Could not email user %s about their credit earned elsewhere %s", user.pk, data.id)


def _decision_message(data):
    """The subject and text of the decision email, in the active language."""
    if data.status == ExternalCreditStatus.APPROVED:
        return _("Your credit earned elsewhere was approved"), _(
            "{title} ({provider}): {amount} {unit} of {credit_type} now count in your credits.").format(
            title=data.title, provider=data.provider, amount=format_amount(data.amount), unit=data.display_unit,
            credit_type=data.display_credit_type_name)
    return _("Your credit earned elsewhere was not approved"), _(
        "{title} ({provider}) was not approved. The reviewer wrote: {reason}").format(
        title=data.title, provider=data.provider, reason=data.reason)


def delete_evidence_files(names):
    """Remove stored evidence files (after a retirement commits); a file already gone is not an error."""
    for name in names:
        try:
            default_storage.delete(name)
        except Exception:  # pylint: disable=broad-except
            logger.exception("Could not delete the evidence file %s", name)


def _data(row):
    return ExternalCreditData(
        id=row.pk, user_id=row.user_id, username=row.user.username, title=row.title, provider=row.provider,
        credit_type_id=row.credit_type_id, credit_type_name=row.credit_type.name, unit=row.credit_type.unit,
        amount=row.amount, earned_on=row.earned_on, evidence_type=row.evidence_type,
        evidence_name=row.evidence_name, status=row.status,
        reviewed_by=row.reviewed_by.username if row.reviewed_by_id else "", reviewed_at=row.reviewed_at,
        reason=row.reason, award_uuid=row.award.uuid if row.award_id else None,
        award_status=row.award.status if row.award_id else "",
        award_revoked_at=row.award.revoked_at if row.award_id else None, created=row.created,
        translations=row.credit_type.translations or {},
    )


__all__ = [
    "approve_external_credit", "get_external_credit", "is_reviewer", "list_external_credits",
    "list_own_external_credits", "open_evidence", "reject_external_credit", "submit_external_credit",
]
