"""
Frozen data objects returned by ``credits_plugin.api``.

Callers never see models or QuerySets: these are plain, immutable values that
are safe to cache, to pass to templates and to serialise.
"""
import json
from datetime import date, datetime
from decimal import Decimal
from typing import Optional
from uuid import UUID

import attr
from django.utils.translation import get_language
from opaque_keys.edx.keys import CourseKey

CENTS = Decimal("0.01")  # amounts have two places (AwardedCredit.amount, CourseCredit.amount)

__all__ = [
    "AwardData",
    "AwardResult",
    "AwardSnapshot",
    "ComplianceRowData",
    "CourseCreditData",
    "CourseCreditSettingsData",
    "CreditData",
    "CreditTotalData",
    "CreditTypeData",
    "DesignationData",
    "LearnerSummaryData",
    "PeriodProgressData",
    "PublicAwardData",
    "RequirementData",
    "RequirementProgressData",
    "IssuerData",
    "SigningKeyData",
    "TypeTotalData",
]


def localized(translations, field, default):
    """
    ``field`` of ``translations`` ({language: {field: text}}) in the active language, else in its
    generic language ("fr" for "fr-ca"), else ``default`` (the site's default language, held in
    the model's own columns): the one lookup of every name shown to a person (ADR 0011).
    """
    if not translations:
        return default
    language = (get_language() or "").lower()
    if not language:
        return default
    for code in (language, language.split("-")[0]):
        value = (translations.get(code) or {}).get(field)
        if value:
            return value
    return default


def _translations():
    """A data object's translations: excluded from its hash (a dict has none), compared in equality."""
    return attr.ib(factory=dict, hash=False)


def snapshot_translations(credit_translations, type_translations):
    """
    What an award keeps of its credit's and type's translations: per language, its
    ``credit_name``, ``credit_type_name`` and ``unit`` (only those given), languages in order so
    that equal snapshots are equal text in the database (re-application compares them there).
    """
    credit_translations, type_translations = credit_translations or {}, type_translations or {}
    snapshot = {}
    for language in sorted(set(credit_translations) | set(type_translations)):
        credit, credit_type = credit_translations.get(language) or {}, type_translations.get(language) or {}
        entry = {key: value for key, value in (("credit_name", credit.get("name")),
                                               ("credit_type_name", credit_type.get("name")),
                                               ("unit", credit_type.get("unit"))) if value}
        if entry:
            snapshot[language] = entry
    return snapshot


@attr.s(frozen=True, auto_attribs=True)
class CreditTypeData:
    """A credit type (a theme or an accrediting body)."""

    id: int
    name: str
    description: str
    unit: str
    requires_reference_number: bool
    allow_multiple_per_course: bool
    is_active: bool
    requires_approval: bool = False
    achievement_type: str = ""
    translations: dict = _translations()  # {language: {"name", "description", "unit"}}

    @property
    def display_name(self):
        """The name in the active language (``name`` is the site's default language)."""
        return localized(self.translations, "name", self.name)

    @property
    def display_description(self):
        return localized(self.translations, "description", self.description)

    @property
    def display_unit(self):
        return localized(self.translations, "unit", self.unit)


@attr.s(frozen=True, auto_attribs=True)
class CreditData:
    """A credit under a type."""

    id: int
    credit_type: CreditTypeData
    name: str
    description: str
    reference_number: str
    is_active: bool
    translations: dict = _translations()  # {language: {"name", "description"}}

    @property
    def display_name(self):
        """The name in the active language (``name`` is the site's default language)."""
        return localized(self.translations, "name", self.name)

    @property
    def display_description(self):
        return localized(self.translations, "description", self.description)


@attr.s(frozen=True, auto_attribs=True)
class CourseCreditData:
    """A designation: a course awards ``amount`` of ``credit``."""

    credit: CreditData
    amount: Decimal
    reference_number: str  # the course-specific number, may be blank
    approval_status: str = "approved"  # ApprovalStatus: only approved designations award
    valid_from: Optional[date] = None  # the approval's window: learners who pass inside it are awarded
    valid_until: Optional[date] = None
    rejection_reason: str = ""

    @property
    def effective_reference_number(self):
        """The number an award carries: the course's own, else the credit's (``AwardSnapshot.of``)."""
        return AwardSnapshot.of(self).reference_number

    @property
    def is_approved(self):
        return self.approval_status == "approved"

    def awards_on(self, day):
        """Whether it awards a learner who passes on ``day`` (a date): approved, and ``day`` inside its dates."""
        return self.is_approved and within(self.valid_from, self.valid_until, day)


def json_object(value):
    """A JSON column's value as a dict, whether the driver gave text (SQLite, MySQL) or a dict already."""
    if not value:
        return {}
    return json.loads(value) if isinstance(value, (str, bytes)) else value


def within(valid_from, valid_until, day):
    """
    Whether ``day`` falls inside an approval's dates (either end may be None: open): the one
    statement of the rule in Python (``services.approval`` applies it to pass dates, the cached
    cards to today; the award task's hand-written read and ``approval.awardable_q`` state it in SQL).
    """
    return (valid_from is None or valid_from <= day) and (valid_until is None or day <= valid_until)


@attr.s(frozen=True, auto_attribs=True)
class DesignationData:
    """A course's designation of a credit as the approvals queue sees it: who asked, who decided."""

    id: int
    course_key: CourseKey
    course_name: str
    credit: CreditData
    amount: Decimal
    reference_number: str
    approval_status: str
    valid_from: Optional[date] = None
    valid_until: Optional[date] = None
    requested_by: str = ""  # usernames; blank when unknown or retired
    approved_by: str = ""
    approved_at: Optional[datetime] = None
    rejection_reason: str = ""
    modified: Optional[datetime] = None


@attr.s(frozen=True, auto_attribs=True)
class ExternalCreditData:
    """A learner's report of a credit earned elsewhere, and where its review stands."""

    id: int
    user_id: int
    username: str
    title: str
    provider: str
    credit_type_id: int
    credit_type_name: str
    unit: str
    amount: Decimal
    earned_on: date
    evidence_type: str  # the media type read from the file's content
    evidence_name: str  # the file's name as the learner sent it (display only)
    status: str  # ExternalCreditStatus
    reviewed_by: str = ""  # username; blank while waiting, or once retired
    reviewed_at: Optional[datetime] = None
    reason: str = ""  # why it was rejected
    award_uuid: Optional[UUID] = None  # the award an approval recorded
    award_status: str = ""  # that award's AwardStatus now: "revoked" once staff revoked it
    award_revoked_at: Optional[datetime] = None
    created: Optional[datetime] = None
    translations: dict = _translations()  # the credit type's: {language: {"name", "description", "unit"}}

    @property
    def display_credit_type_name(self):
        """The credit type's name in the active language (``credit_type_name``: the default language)."""
        return localized(self.translations, "name", self.credit_type_name)

    @property
    def display_unit(self):
        return localized(self.translations, "unit", self.unit)


@attr.s(frozen=True, auto_attribs=True)
class AwardSnapshot:
    """
    What an award of a designation records of it when it is made: the credit, the course's
    amount, the credit's and type's names, the unit and the reference number.
    """

    credit_id: int
    amount: Decimal
    credit_name: str
    credit_type_name: str
    unit: str
    reference_number: str
    translations: dict = _translations()  # snapshot_translations of the credit's and the type's

    @classmethod
    def of(cls, designation):
        """
        The snapshot of a designation (a ``CourseCredit`` with its credit and type, or a
        ``CourseCreditData``): the one place that says an award carries the course's own
        reference number, else the credit's.
        """
        credit = designation.credit
        return cls.from_values(credit.id, designation.amount, credit.name, credit.credit_type.name,
                               credit.credit_type.unit, designation.reference_number, credit.reference_number,
                               credit.translations, credit.credit_type.translations)

    @classmethod
    def from_values(cls, credit_id, amount, credit_name, credit_type_name, unit, course_reference,
                    credit_reference, credit_translations=None, type_translations=None):
        """
        The snapshot of a designation read as plain values (the award task's one read, whose
        translations may arrive as the database's JSON text).
        """
        return cls(credit_id=credit_id, amount=Decimal(str(amount)).quantize(CENTS), credit_name=credit_name,
                   credit_type_name=credit_type_name, unit=unit, reference_number=course_reference or credit_reference,
                   translations=snapshot_translations(json_object(credit_translations),
                                                      json_object(type_translations)))

    def as_fields(self):
        """The snapshot as ``AwardedCredit`` field values (``credit_id``, ``amount``, names...)."""
        return attr.asdict(self)


@attr.s(frozen=True, auto_attribs=True)
class CourseCreditSettingsData:
    """A course's credit settings and its designations."""

    course_key: CourseKey
    enabled: bool
    award_trigger: str
    revoke_on_certificate_revoked: bool
    credits: tuple = ()  # of CourseCreditData

    @property
    def awards_credits(self):
        """True when the course is on and designates at least one credit."""
        return self.enabled and bool(self.credits)


class AwardNames:
    """
    An award's names in the active language: ``credit_name``, ``credit_type_name`` and ``unit``
    hold the default language, ``translations`` the others (``snapshot_translations``).
    """

    @property
    def display_credit_name(self):
        """The credit's name as awarded, in the active language (``credit_name``: the default language)."""
        return localized(self.translations, "credit_name", self.credit_name)

    @property
    def display_credit_type_name(self):
        return localized(self.translations, "credit_type_name", self.credit_type_name)

    @property
    def display_unit(self):
        return localized(self.translations, "unit", self.unit)


@attr.s(frozen=True, auto_attribs=True)
class AwardData(AwardNames):
    """One awarded credit, as recorded when it was earned."""

    uuid: UUID
    user_id: int
    username: str
    course_key: CourseKey
    course_name: str
    credit_id: int
    credit_name: str
    credit_type_name: str
    unit: str
    amount: Decimal
    reference_number: str
    source: str
    status: str
    awarded_at: datetime
    revoked_at: Optional[datetime] = None
    reason: str = ""
    awarded_by: str = ""  # username of the staff member, blank for automatic awards
    revoked_by: str = ""
    # A credit earned elsewhere (source "external") has no course: course_key and credit_id are
    # None, course_name is "" and provider names where it was earned (read where learners' awards are).
    provider: str = ""
    # The snapshot's names in other languages (snapshot_translations): the display_ names read them.
    translations: dict = _translations()

    @property
    def is_external(self):
        return self.source == "external"


@attr.s(frozen=True, auto_attribs=True)
class AwardResult:
    """What an award call did: the awards it created and how many already stood."""

    created: tuple = ()  # of AwardData
    already_awarded: int = 0
    skipped_revoked: int = 0


@attr.s(frozen=True, auto_attribs=True)
class TypeTotalData:
    """A learner's total of one credit type in one unit."""

    credit_type_id: int
    credit_type: str
    unit: str
    amount: Decimal
    translations: dict = _translations()  # {language: {"credit_type", "unit"}}

    @property
    def display_credit_type(self):
        """The type's name in the active language (``credit_type``: the default language)."""
        return localized(self.translations, "credit_type", self.credit_type)

    @property
    def display_unit(self):
        return localized(self.translations, "unit", self.unit)


@attr.s(frozen=True, auto_attribs=True)
class CreditTotalData:
    """A learner's total of one credit (or, with no credit id, of a type's credits earned elsewhere)."""

    credit_id: Optional[int]
    credit_name: str
    credit_type: str
    unit: str
    amount: Decimal
    translations: dict = _translations()  # {language: {"credit_name", "credit_type", "unit"}}

    @property
    def display_credit_name(self):
        """The credit's name in the active language (``credit_name``: the default language)."""
        return localized(self.translations, "credit_name", self.credit_name)

    @property
    def display_credit_type(self):
        return localized(self.translations, "credit_type", self.credit_type)

    @property
    def display_unit(self):
        return localized(self.translations, "unit", self.unit)


@attr.s(frozen=True, auto_attribs=True)
class LearnerSummaryData:
    """What a learner has earned: totals per type and per credit, and every award."""

    user_id: int
    username: str
    totals: tuple = ()  # of TypeTotalData
    credit_totals: tuple = ()  # of CreditTotalData
    awards: tuple = ()  # of AwardData


@attr.s(frozen=True, auto_attribs=True)
class IssuerData:
    """Who issues a course's credits: the site (its name and address) and the course's organization."""

    name: str
    url: str
    organization: str


@attr.s(frozen=True, auto_attribs=True)
class PublicAwardData(AwardNames):
    """The public verification record of one award: no username, no email."""

    uuid: UUID
    learner_name: str
    course_key: CourseKey
    course_name: str
    credit_name: str
    credit_type_name: str
    unit: str
    amount: Decimal
    reference_number: str
    status: str
    awarded_at: datetime
    revoked_at: Optional[datetime] = None
    issuer: Optional[IssuerData] = None
    certificate_url: str = ""  # the learner's certificate for the course, where one can be viewed
    source: str = ""  # how it was awarded: AwardSource (passing, certificate, manual, backfill)
    source_label: str = ""  # the same, in words
    approved_from: Optional[date] = None  # the course's approval by the accrediting body, for accredited credits
    approved_until: Optional[date] = None
    translations: dict = _translations()  # the award's (snapshot_translations)


@attr.s(frozen=True, auto_attribs=True)
class RequirementData:
    """A continuing-education requirement as defined (sub-requirements take their parent's period)."""

    id: int
    name: str
    description: str
    amount: Decimal
    unit: str  # the unit of what counts ("" when nothing counts yet)
    period_kind: str  # PeriodKind
    period_length: Optional[int]
    period_unit: str  # PeriodUnit
    cycle_start: Optional[date]
    credit_type_ids: tuple
    credit_ids: tuple
    parent_id: Optional[int]
    carry_over_max: Decimal
    applies_to_all: bool
    active: bool
    reminder_days: tuple = ()  # remind learners who are behind this many days before their period ends
    sub_requirement_ids: tuple = ()


@attr.s(frozen=True, auto_attribs=True)
class PeriodProgressData:
    """What a learner earned toward a requirement in one of its past periods."""

    period_start: date
    period_end: date
    required: Decimal
    earned: Decimal  # earned in the period itself
    carried_over: Decimal  # counted from the period before
    met: bool


@attr.s(frozen=True, auto_attribs=True)
class RequirementProgressData:
    """Where a learner stands on a requirement in its current period (computed when read)."""

    id: int
    name: str
    unit: str
    period_start: date
    period_end: date  # included
    required: Decimal
    earned: Decimal  # earned in the period
    carried_over: Decimal  # counted from the period before (the carry-over cap applied)
    remaining: Decimal
    met: bool  # earned with carry-over reaches the amount, and every sub-requirement is met
    sub_requirements: tuple = ()  # RequirementProgressData of each part, in the same period
    past_periods: tuple = ()  # PeriodProgressData, newest first
    translations: dict = _translations()  # {language: {"unit"}}: the unit's other names

    @property
    def display_unit(self):
        """The unit in the active language (``unit``: the default language)."""
        return localized(self.translations, "unit", self.unit)

    @property
    def counted(self):
        """What counts toward it in this period: earned plus carried over."""
        return self.earned + self.carried_over


@attr.s(frozen=True, auto_attribs=True)
class ComplianceRowData:
    """One learner in a requirement's compliance report."""

    user_id: int
    username: str
    cycle_start: Optional[date]  # their own, or the requirement's shared one
    progress: RequirementProgressData  # the current period only (no past periods)


@attr.s(frozen=True, auto_attribs=True)
class SigningKeyData:
    """The public side of a key that signs credentials (its private half is in the settings only)."""

    key_id: str
    algorithm: str
    status: str
    created: datetime
    activated_at: Optional[datetime]
    retired_at: Optional[datetime]
    revoked_at: Optional[datetime]
    expires_at: Optional[datetime]
    private_key_configured: bool
