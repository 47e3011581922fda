"""
Database models of Course Credits.

Only ``credits_plugin.api`` (and the Django admin) writes these; every other
module goes through the API. The rules (reference numbers, one credit per type,
amounts, archiving) live in ``credits_plugin.validation`` and are enforced by
the API; the database adds the constraints it can hold on its own.
"""
import uuid

import django
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from opaque_keys.edx.django.models import CourseKeyField
from simple_history.models import HistoricalRecords

from credits_plugin.constants import (
    AMOUNT_DECIMAL_PLACES,
    AMOUNT_MAX_DIGITS,
    AWARD_SOURCES,
    AWARD_STATUSES,
    AWARD_TRIGGERS,
    EVIDENCE_EXTENSIONS,
    MAX_ACHIEVEMENT_TYPE_LENGTH,
    MAX_NAME_LENGTH,
    MAX_PROVIDER_LENGTH,
    MAX_REASON_LENGTH,
    MAX_REFERENCE_LENGTH,
    MAX_UNIT_LENGTH,
    ApprovalStatus,
    AwardStatus,
    AwardTrigger,
    ExternalCreditStatus,
    PeriodKind,
    PeriodUnit,
)

CHECK_KWARG = "condition" if django.VERSION >= (5, 1) else "check"  # Django 5.1 renamed check= to condition=


class TimeStampedModel(models.Model):
    """Creation and modification times."""

    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class CreditType(TimeStampedModel):
    """
    A theme ("Management") or an accrediting body ("CPA Ontario") that credits belong to.

    .. no_pii:
    """

    name = models.CharField(_("name"), max_length=MAX_NAME_LENGTH, unique=True)
    description = models.TextField(_("description"), blank=True, default="")
    unit = models.CharField(
        _("unit"), max_length=MAX_UNIT_LENGTH, default="hours",
        help_text=_('What an amount counts, e.g. "hours", "CEU", "points".'),
    )
    requires_reference_number = models.BooleanField(
        _("requires a reference number"), default=False,
        help_text=_("Credits of this type must carry the accrediting body's reference number."),
    )
    allow_multiple_per_course = models.BooleanField(
        _("allow several per course"), default=True,
        help_text=_("Whether one course may award more than one credit of this type."),
    )
    requires_approval = models.BooleanField(
        _("requires approval"), default=False,
        help_text=_("A course's credits of this type award only once an approver has approved them "
                    "(an accrediting body's approval of the course, for a period)."),
    )
    achievement_type = models.CharField(
        _("Open Badges achievement type"), max_length=MAX_ACHIEVEMENT_TYPE_LENGTH, blank=True, default="",
        help_text=_('What its credits are called in Open Badges credentials ("License", "Certification", ...). '
                    'Empty: "Course" for a course\'s credit, "ext:ContinuingEducationCredit" for one earned '
                    'elsewhere.'),
    )
    approvers = models.ForeignKey(
        "auth.Group", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("approvers"),
        help_text=_("Members of this group may approve courses' credits of this type; global staff always may."),
    )
    translations = models.JSONField(
        _("translations"), default=dict, blank=True,
        help_text=_('The name, description and unit in other languages: {"fr": {"name": ..., "description": ..., '
                    '"unit": ...}}. The fields above hold the site\'s default language.'),
    )
    is_active = models.BooleanField(
        _("active"), default=True,
        help_text=_("Archived types cannot be newly designated; existing designations and awards keep working."),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("credit type")
        verbose_name_plural = _("credit types")

    def __str__(self):
        return self.name


class Credit(TimeStampedModel):
    """
    One credit a course can award, under a credit type ("Ethics CPE" under "CPA Ontario").

    .. no_pii:
    """

    credit_type = models.ForeignKey(
        CreditType, on_delete=models.PROTECT, related_name="credits", verbose_name=_("credit type"),
    )
    name = models.CharField(_("name"), max_length=MAX_NAME_LENGTH)
    description = models.TextField(_("description"), blank=True, default="")
    reference_number = models.CharField(
        _("reference number"), max_length=MAX_REFERENCE_LENGTH, blank=True, default="",
        help_text=_("The accrediting body's number for this credit; required when the type requires one."),
    )
    translations = models.JSONField(
        _("translations"), default=dict, blank=True,
        help_text=_('The name and description in other languages: {"fr": {"name": ..., "description": ...}}. '
                    'The fields above hold the site\'s default language.'),
    )
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["credit_type__name", "name"]
        verbose_name = _("credit")
        verbose_name_plural = _("credits")
        constraints = [
            models.UniqueConstraint(fields=["credit_type", "name"], name="credits_credit_unique_type_name"),
        ]

    def __str__(self):
        return f"{self.name} ({self.credit_type.name})" if self.credit_type_id else self.name


class CourseCreditSettings(TimeStampedModel):
    """
    Whether a course awards credits, and when. A course without a row has credits off.

    .. no_pii:
    """

    course_key = CourseKeyField(_("course"), max_length=255, unique=True)
    enabled = models.BooleanField(_("credits enabled"), default=False)
    award_trigger = models.CharField(
        _("award when"), max_length=20, choices=AWARD_TRIGGERS, default=AwardTrigger.PASSING,
    )
    revoke_on_certificate_revoked = models.BooleanField(
        _("revoke credits when the certificate is revoked"), default=False,
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("course credit settings")
        verbose_name_plural = _("course credit settings")

    def __str__(self):
        return str(self.course_key)


class CourseCredit(TimeStampedModel):
    """
    A designation: a course awards this amount of this credit.

    .. no_pii:
    """

    course_key = CourseKeyField(_("course"), max_length=255, db_index=True)
    credit = models.ForeignKey(
        Credit, on_delete=models.PROTECT, related_name="designations", verbose_name=_("credit"),
    )
    amount = models.DecimalField(_("amount"), max_digits=AMOUNT_MAX_DIGITS, decimal_places=AMOUNT_DECIMAL_PLACES)
    reference_number = models.CharField(
        _("course reference number"), max_length=MAX_REFERENCE_LENGTH, blank=True, default="",
        help_text=_("Optional; replaces the credit's reference number for this course."),
    )
    approval_status = models.CharField(
        _("approval"), max_length=20, choices=ApprovalStatus.choices, default=ApprovalStatus.APPROVED,
        db_index=True,
    )
    valid_from = models.DateField(_("approved from"), null=True, blank=True,
                                  help_text=_("Learners who pass before this day are not awarded it."))
    valid_until = models.DateField(_("approved until"), null=True, blank=True,
                                   help_text=_("Learners who pass after this day are not awarded it."))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("asked for by"),
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("decided by"),
    )
    approved_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    rejection_reason = models.TextField(_("reason for rejecting"), blank=True, default="",
                                        max_length=MAX_REASON_LENGTH)
    history = HistoricalRecords()

    class Meta:
        ordering = ["course_key", "credit__credit_type__name", "credit__name"]
        verbose_name = _("course credit")
        verbose_name_plural = _("course credits")
        constraints = [
            models.UniqueConstraint(fields=["course_key", "credit"], name="credits_coursecredit_unique_course_credit"),
            models.CheckConstraint(
                **{CHECK_KWARG: Q(amount__gt=0)},
                name="credits_coursecredit_amount_positive",
            ),
        ]

    def __str__(self):
        return f"{self.course_key}: {self.amount} {self.credit}"


class AwardedCredit(models.Model):
    """
    The ledger: a credit a learner earned in a course, with a snapshot of what it was then.

    .. pii: The learner (user foreign key), who awarded or revoked it, and the free-text reason.
    .. pii_types: id, other
    .. pii_retirement: local_api
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="awarded_credits")
    # Both empty only for a credit earned elsewhere (source "external"; its ExternalCredit links here).
    # A course key field stores "no course" as "" (opaque-keys' convention), and reads it as None.
    course_key = CourseKeyField(_("course"), max_length=255, blank=True)
    credit = models.ForeignKey(Credit, on_delete=models.PROTECT, related_name="awards", verbose_name=_("credit"),
                               null=True, blank=True)
    uuid = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    amount = models.DecimalField(_("amount"), max_digits=AMOUNT_MAX_DIGITS, decimal_places=AMOUNT_DECIMAL_PLACES)
    # Snapshot taken at award time: later edits of the credit never change it.
    credit_name = models.CharField(_("credit name"), max_length=MAX_NAME_LENGTH)
    credit_type_name = models.CharField(_("credit type name"), max_length=MAX_NAME_LENGTH)
    unit = models.CharField(_("unit"), max_length=MAX_UNIT_LENGTH)
    reference_number = models.CharField(_("reference number"), max_length=MAX_REFERENCE_LENGTH, blank=True, default="")
    # The snapshot's names in other languages: {"fr": {"credit_name": ..., "credit_type_name": ..., "unit": ...}}.
    translations = models.JSONField(_("translations"), default=dict, blank=True)
    source = models.CharField(_("source"), max_length=20, choices=AWARD_SOURCES)
    status = models.CharField(_("status"), max_length=20, choices=AWARD_STATUSES, default=AwardStatus.AWARDED)
    awarded_at = models.DateTimeField(_("awarded at"), db_index=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True, default="")
    awarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("awarded by"),
    )
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("revoked by"),
    )

    class Meta:
        ordering = ["-awarded_at", "id"]
        verbose_name = _("awarded credit")
        verbose_name_plural = _("awarded credits")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course_key", "credit"], name="credits_awardedcredit_unique_user_course_credit",
            ),
            models.CheckConstraint(  # a course's award has its credit; one earned elsewhere has none (nor a course)
                **{CHECK_KWARG: (Q(source="external", credit__isnull=True)
                                 | (~Q(source="external") & Q(credit__isnull=False)))},
                name="credits_award_credit_unless_external",
            ),
        ]
        indexes = [
            models.Index(fields=["course_key", "status"], name="credits_award_course_status"),
            # The course report reads a course's awards in id order, a chunk at a time.
            models.Index(fields=["course_key", "id"], name="credits_award_course_id"),
        ]

    def __str__(self):
        return f"{self.credit_name} ({self.amount} {self.unit}) in {self.course_key}"


def evidence_path(instance, filename):  # pylint: disable=unused-argument
    """Where a piece of evidence is stored: never the learner's file name, which could say anything."""
    return f"credits_plugin/evidence/{uuid.uuid4().hex}{EVIDENCE_EXTENSIONS.get(instance.evidence_type, '')}"


class ExternalCredit(TimeStampedModel):
    """
    A credit a learner earned elsewhere and reported, with evidence, for a reviewer to decide.

    Approving it records an award (``AwardedCredit`` with source "external", linked by ``award``).
    The evidence file is stored in Django's default storage and read only through the plugin's
    view (the learner and reviewers), never by a storage URL.

    .. pii: The learner (user foreign key), what they wrote (title, provider), their evidence
       file and the reviewer's reason.
    .. pii_types: id, other
    .. pii_retirement: local_api
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="external_credits")
    title = models.CharField(_("title"), max_length=MAX_NAME_LENGTH)
    provider = models.CharField(_("provider"), max_length=MAX_PROVIDER_LENGTH)
    credit_type = models.ForeignKey(CreditType, on_delete=models.PROTECT, related_name="external_credits",
                                    verbose_name=_("credit type"))
    amount = models.DecimalField(_("amount"), max_digits=AMOUNT_MAX_DIGITS, decimal_places=AMOUNT_DECIMAL_PLACES)
    earned_on = models.DateField(_("earned on"))
    evidence = models.FileField(_("evidence"), upload_to=evidence_path, max_length=255)
    evidence_type = models.CharField(_("evidence type"), max_length=40)  # read from the file's content
    evidence_name = models.CharField(_("evidence file name"), max_length=MAX_NAME_LENGTH, blank=True, default="")
    status = models.CharField(_("status"), max_length=20, choices=ExternalCreditStatus.choices,
                              default=ExternalCreditStatus.PENDING, db_index=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True, default="", max_length=MAX_REASON_LENGTH)
    award = models.OneToOneField(
        "AwardedCredit", on_delete=models.PROTECT, null=True, blank=True, related_name="external_credit",
        verbose_name=_("award"),
    )
    history = HistoricalRecords(excluded_fields=["evidence"])

    class Meta:
        ordering = ["-created", "id"]
        verbose_name = _("credit earned elsewhere")
        verbose_name_plural = _("credits earned elsewhere")
        constraints = [
            models.CheckConstraint(**{CHECK_KWARG: Q(amount__gt=0)}, name="credits_external_amount_positive"),
        ]

    def __str__(self):
        return f"{self.title} ({self.provider})"


class CreditRequirement(TimeStampedModel):
    """
    What a body requires of its professionals: an amount of some credits in each period
    ("20 CPD hours each calendar year"), with optional sub-requirements ("4 of them in
    ethics", ``parent``) and carry-over of hours above it into the next period. Progress is
    computed from the awards when read, never stored.

    .. no_pii:
    """

    name = models.CharField(_("name"), max_length=MAX_NAME_LENGTH)
    description = models.TextField(_("description"), blank=True, default="")
    amount = models.DecimalField(_("amount required"), max_digits=AMOUNT_MAX_DIGITS,
                                 decimal_places=AMOUNT_DECIMAL_PLACES)
    period_kind = models.CharField(_("period"), max_length=20, choices=PeriodKind.choices,
                                   default=PeriodKind.CALENDAR_YEAR)
    period_length = models.PositiveSmallIntegerField(
        _("period length"), null=True, blank=True,
        help_text=_("For a fixed cycle or a rolling window: how many years or months."),
    )
    period_unit = models.CharField(_("period unit"), max_length=10, choices=PeriodUnit.choices,
                                   default=PeriodUnit.YEARS)
    cycle_start = models.DateField(
        _("cycle start"), null=True, blank=True,
        help_text=_("For a fixed cycle shared by everyone: the day its first cycle starts. Leave empty to "
                    "count each assigned learner's cycle from their own start date (a licence date)."),
    )
    credit_types = models.ManyToManyField(CreditType, blank=True, related_name="+",
                                          verbose_name=_("credit types that count"))
    credits = models.ManyToManyField(Credit, blank=True, related_name="+", verbose_name=_("credits that count"))
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="sub_requirements",
        verbose_name=_("part of"),
        help_text=_("A sub-requirement (\"4 of the 20 in ethics\") takes its period and learners from this one."),
    )
    carry_over_max = models.DecimalField(
        _("carry-over cap"), max_digits=AMOUNT_MAX_DIGITS, decimal_places=AMOUNT_DECIMAL_PLACES, default=0,
        help_text=_("Up to this much earned above the requirement in a period counts toward the next one."),
    )
    applies_to_all = models.BooleanField(
        _("applies to every learner"), default=True,
        help_text=_("Otherwise it applies to the learners assigned to it."),
    )
    active = models.BooleanField(_("active"), default=True)
    reminder_days = models.CharField(
        _("reminders (days before the end)"), max_length=100, blank=True, default="",
        help_text=_('Remind learners who are behind this many days before their period ends, e.g. "60, 14". '
                    "Empty: no reminders."),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("credit requirement")
        verbose_name_plural = _("credit requirements")
        constraints = [
            models.CheckConstraint(**{CHECK_KWARG: Q(amount__gt=0)}, name="credits_requirement_amount_positive"),
            models.CheckConstraint(**{CHECK_KWARG: Q(carry_over_max__gte=0)},
                                   name="credits_requirement_carry_over_not_negative"),
        ]

    def __str__(self):
        return self.name


class RequirementAssignment(TimeStampedModel):
    """
    A learner a requirement applies to, with the day their own cycle starts (a licence date).

    .. pii: The learner (user foreign key) and their cycle start date (which may be a licence date).
    .. pii_types: id, other
    .. pii_retirement: local_api
    """

    requirement = models.ForeignKey(CreditRequirement, on_delete=models.CASCADE, related_name="assignments",
                                    verbose_name=_("requirement"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("learner"))
    cycle_start = models.DateField(_("cycle start"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["requirement", "user"]
        verbose_name = _("requirement assignment")
        verbose_name_plural = _("requirement assignments")
        constraints = [
            models.UniqueConstraint(fields=["requirement", "user"], name="credits_assignment_unique"),
        ]

    def __str__(self):
        return f"{self.requirement_id}: {self.user_id}"


class RequirementReminder(models.Model):
    """
    A reminder sent to a learner behind on a requirement: at most one per requirement, learner,
    period and threshold, whatever the number of runs (the unique constraint claims it first).

    .. pii: The learner (user foreign key) and when they were reminded.
    .. pii_types: id
    .. pii_retirement: local_api
    """

    requirement = models.ForeignKey(CreditRequirement, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    period_end = models.DateField()
    days_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["requirement", "user", "period_end", "days_before"],
                                    name="credits_reminder_once"),
        ]

    def __str__(self):
        return f"{self.requirement_id}: {self.user_id} ({self.days_before} days before {self.period_end})"


class ReminderOptOut(models.Model):
    """
    A learner who switched requirement reminders off.

    .. pii: The learner (user foreign key).
    .. pii_types: id
    .. pii_retirement: local_api
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return str(self.user_id)


class AwardLogEntry(models.Model):
    """
    A manual change of an award: given by hand, revoked, re-awarded, re-applied.

    Automatic awards are recorded by the award row itself; these entries keep what a
    later change would otherwise overwrite (``details`` holds the values before it).

    .. pii: Who acted, and the free-text reason.
    .. pii_types: id, other
    .. pii_retirement: local_api
    """

    AWARDED = "awarded"
    REVOKED = "revoked"
    REAWARDED = "reawarded"
    REAPPLIED = "reapplied"
    ACTIONS = [(AWARDED, _("Awarded by hand")), (REVOKED, _("Revoked")), (REAWARDED, _("Re-awarded")),
               (REAPPLIED, _("Re-applied after the course changed"))]

    award = models.ForeignKey(AwardedCredit, on_delete=models.CASCADE, related_name="log")
    action = models.CharField(_("action"), max_length=20, choices=ACTIONS)
    at = models.DateTimeField(_("at"))
    acting_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("by"))
    reason = models.TextField(_("reason"), blank=True, default="")
    details = models.JSONField(_("values before the change"), default=dict, blank=True)

    class Meta:
        ordering = ["award_id", "at", "id"]
        verbose_name = _("award log entry")
        verbose_name_plural = _("award log entries")

    def __str__(self):
        return f"{self.action} {self.award_id} at {self.at:%Y-%m-%d}"


class CourseCreditReapplication(models.Model):
    """
    A recorded "re-apply to past awards": who brought a course's past awards up to date, and why.

    .. pii: Who acted, and the free-text reason.
    .. pii_types: id, other
    .. pii_retirement: local_api
    """

    course_key = CourseKeyField(_("course"), max_length=255, db_index=True)
    acting_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("by"))
    reason = models.TextField(_("reason"))
    changed = models.PositiveIntegerField(_("awards changed"), default=0)
    created = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("re-application to past awards")
        verbose_name_plural = _("re-applications to past awards")

    def __str__(self):
        return f"{self.course_key}: {self.changed} award(s) re-applied"


class ReconciliationWatermark(models.Model):
    """
    How far reconciliation has looked, per award trigger: every learner record (grade or
    certificate) changed before ``changed_until`` has been checked for a missing award.

    .. no_pii:
    """

    trigger = models.CharField(_("trigger"), max_length=32, choices=AwardTrigger.choices, unique=True)
    changed_until = models.DateTimeField(_("records changed until"), null=True, blank=True)
    last_run = models.DateTimeField(_("last run"), null=True, blank=True)
    last_awarded = models.PositiveIntegerField(_("awarded by the last run"), default=0)

    class Meta:
        verbose_name = _("reconciliation watermark")
        verbose_name_plural = _("reconciliation watermarks")

    def __str__(self):
        return f"{self.trigger}: {self.changed_until:%Y-%m-%d %H:%M}" if self.changed_until else self.trigger


class CredentialSigningKey(models.Model):
    """
    The public half of a key that signs Open Badges credentials, published for verifiers.

    The private half lives in the ``CREDITS_CREDENTIAL_SIGNING_KEYS`` setting, never here. A key is
    ``new`` (published, not signing yet), ``active`` (signs; at most one), ``retired`` (signs no
    more; still published, so what it signed keeps verifying) or ``revoked`` (after a compromise:
    no longer published; what it signed no longer verifies).

    .. no_pii:
    """

    NEW, ACTIVE, RETIRED, REVOKED = "new", "active", "retired", "revoked"
    STATUSES = [(NEW, _("New")), (ACTIVE, _("Active")), (RETIRED, _("Retired")), (REVOKED, _("Revoked"))]
    ALGORITHMS = [("EdDSA", "EdDSA (Ed25519)"), ("RS256", "RS256 (RSA)")]

    key_id = models.SlugField(_("key id"), max_length=64, unique=True)
    algorithm = models.CharField(_("algorithm"), max_length=10, choices=ALGORITHMS)
    public_jwk = models.JSONField(_("public key (JWK)"))
    status = models.CharField(_("status"), max_length=10, choices=STATUSES, default=NEW)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    activated_at = models.DateTimeField(_("activated at"), null=True, blank=True)
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)

    class Meta:
        ordering = ["created", "id"]
        verbose_name = _("credential signing key")
        verbose_name_plural = _("credential signing keys")

    def __str__(self):
        return f"{self.key_id} ({self.algorithm}, {self.status})"


class IssuedCredential(models.Model):
    """
    The Open Badges credential of one award, as first issued, and its place in a status list.

    Made the first time the award's credential is asked for; a re-award (a new ``awarded_at``)
    gets a new one, and so does an award whose values a re-application changed (the old row is
    then detached from it, ``superseded_at`` set). The row outlives its award (retirement deletes
    awards): an entry whose award is gone, revoked, re-awarded or superseded reads as revoked in
    the published list.

    .. pii: The issued credential holds a salted hash of the learner's email, and the learner (user
       foreign key); retirement empties both, replaced credentials included.
    .. pii_types: email_address, id
    .. pii_retirement: local_api
    """

    uuid = models.UUIDField(_("credential id"), default=uuid.uuid4, unique=True, editable=False)
    award = models.ForeignKey(AwardedCredit, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="credentials")
    # Whose it is, also once it is detached from its award (replaced): retirement empties them all.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+")
    awarded_at = models.DateTimeField(_("awarded at"))
    status_list = models.PositiveIntegerField(_("status list"))
    status_index = models.PositiveIntegerField(_("index in the status list"))
    credential = models.TextField(_("credential (JSON)"), blank=True, default="")
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    superseded_at = models.DateTimeField(_("replaced at"), null=True, blank=True)

    class Meta:
        verbose_name = _("issued credential")
        verbose_name_plural = _("issued credentials")
        constraints = [
            models.UniqueConstraint(fields=["status_list", "status_index"], name="credits_credential_status_slot"),
            models.UniqueConstraint(fields=["award", "awarded_at"], name="credits_credential_per_award"),
        ]

    def __str__(self):
        return f"{self.uuid} (list {self.status_list}, index {self.status_index})"
