"""Choices and limits shared by the models, the API and the validators."""
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

MAX_NAME_LENGTH = 255
MAX_UNIT_LENGTH = 50
MAX_REFERENCE_LENGTH = 100
MAX_REASON_LENGTH = 2000

AMOUNT_MAX_DIGITS = 5
AMOUNT_DECIMAL_PLACES = 2
AMOUNT_MAX = Decimal("999.99")


class AwardTrigger(models.TextChoices):
    """When a course awards its credits."""

    PASSING = "passing", _("When the learner passes the course")
    CERTIFICATE = "certificate", _("When the learner's certificate is issued")
    MANUAL = "manual", _("Only when staff award them by hand")


class AwardSource(models.TextChoices):
    """What caused an award."""

    PASSING = "passing", _("Passed the course")
    CERTIFICATE = "certificate", _("Certificate issued")
    MANUAL = "manual", _("Awarded by staff")
    BACKFILL = "backfill", _("Awarded retroactively")
    EXTERNAL = "external", _("Earned elsewhere")


class AwardStatus(models.TextChoices):
    """Whether an award stands."""

    AWARDED = "awarded", _("Awarded")
    REVOKED = "revoked", _("Revoked")


class ApprovalStatus(models.TextChoices):
    """Whether a course's designation of a credit may award (types that require approval)."""

    APPROVED = "approved", _("Approved")
    PENDING = "pending", _("Waiting for approval")
    REJECTED = "rejected", _("Rejected")


class ExternalCreditStatus(models.TextChoices):
    """Where a learner's report of a credit earned elsewhere stands."""

    PENDING = "pending", _("Waiting for review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


# What a learner may send as evidence of a credit earned elsewhere.
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
# The media types taken (read from a file's first bytes) and the extension each is stored and sent with.
EVIDENCE_EXTENSIONS = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg"}
MAX_PROVIDER_LENGTH = 255

class PeriodKind(models.TextChoices):
    """How a continuing-education requirement's periods run."""

    CALENDAR_YEAR = "calendar_year", _("Each calendar year")
    FIXED_CYCLE = "fixed_cycle", _("Cycles of a fixed length from a start date")
    ROLLING = "rolling", _("The months up to today")


class PeriodUnit(models.TextChoices):
    """The unit of a cycle's or a rolling window's length."""

    YEARS = "years", _("years")
    MONTHS = "months", _("months")


# The longest cycle or rolling window, in months (ten years).
MAX_PERIOD_MONTHS = 120

AWARD_TRIGGERS = AwardTrigger.choices
AWARD_SOURCES = AwardSource.choices
AWARD_STATUSES = AwardStatus.choices


# Open Badges 3.0's AchievementType vocabulary: what a credit type's credentials call the credit.
# Empty: chosen for each award ("Course" for a course's credit, ext:ContinuingEducationCredit for
# one earned elsewhere). An operator may also give an extension term, "ext:" then letters, digits, . - _.
ACHIEVEMENT_TYPES = (
    "Achievement", "ApprenticeshipCertificate", "Assessment", "Assignment", "AssociateDegree", "Award", "Badge",
    "BachelorDegree", "Certificate", "CertificateOfCompletion", "Certification", "CommunityService", "Competency",
    "Course", "CoCurricular", "Degree", "Diploma", "DoctoralDegree", "Fieldwork", "GeneralEducationDevelopment",
    "JourneymanCertificate", "LearningProgram", "License", "Membership", "ProfessionalDoctorate",
    "QualityAssuranceCredential", "MasterCertificate", "MasterDegree", "MicroCredential", "ResearchDoctorate",
    "SecondarySchoolDiploma",
)
MAX_ACHIEVEMENT_TYPE_LENGTH = 64
