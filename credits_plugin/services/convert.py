"""Turn rows into the frozen data objects of ``credits_plugin.data``."""
import datetime
from decimal import Decimal
from uuid import UUID

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import CharField
from django.db.models.functions import Cast
from django.utils import timezone
from opaque_keys.edx.keys import CourseKey

from credits_plugin.constants import AMOUNT_DECIMAL_PLACES
from credits_plugin.data import AwardData, CourseCreditData, CreditData, CreditTypeData, json_object, localized

# The columns an award report reads, so that reports can stream values() rows
# without building model instances. The course id is read as text (see award_values).
AWARD_VALUE_FIELDS = (
    "uuid", "user_id", "user__username", "credit_id", "credit_name", "credit_type_name", "unit",
    "amount", "reference_number", "source", "status", "awarded_at", "revoked_at", "reason",
    "awarded_by__username", "revoked_by__username", "translations",
)


def award_values(queryset, *extra):
    """
    ``queryset.values()`` of the award columns, the course id as plain text.

    Parsing a course key costs more than reading the rest of a row; reports meet the same
    few courses again and again, so ``award_data_from_values`` parses each one once.
    """
    return queryset.values(*AWARD_VALUE_FIELDS, *extra, course_id=Cast("course_key", output_field=CharField()))


class CourseKeys(dict):
    """Course keys parsed once per distinct id."""

    def __missing__(self, course_id):
        key = self[course_id] = CourseKey.from_string(course_id)
        return key


def type_data(row):
    return CreditTypeData(
        id=row.pk, name=row.name, description=row.description, unit=row.unit,
        requires_reference_number=row.requires_reference_number,
        allow_multiple_per_course=row.allow_multiple_per_course, is_active=row.is_active,
        requires_approval=row.requires_approval, achievement_type=row.achievement_type,
        translations=row.translations or {},
    )


def credit_data(row):
    return CreditData(
        id=row.pk, credit_type=type_data(row.credit_type), name=row.name, description=row.description,
        reference_number=row.reference_number, is_active=row.is_active, translations=row.translations or {},
    )


def designation_data(row):
    return CourseCreditData(credit=credit_data(row.credit), amount=row.amount, reference_number=row.reference_number,
                            approval_status=row.approval_status, valid_from=row.valid_from,
                            valid_until=row.valid_until, rejection_reason=row.rejection_reason)


# What learner-wide reads add to ``award_values`` for credits earned elsewhere (a join on their
# submission); a course's reads never meet one, and skip it.
EXTERNAL_VALUE_FIELDS = ("external_credit__provider", "external_credit__credit_type_id")


def award_data_from_values(values, course_names, course_keys):
    """An AwardData from an ``award_values()`` row; ``course_keys`` is a CourseKeys cache."""
    course_id = values["course_id"] or None  # "" for a credit earned elsewhere
    return AwardData(
        uuid=values["uuid"], user_id=values["user_id"], username=values["user__username"] or "",
        course_key=course_keys[course_id] if course_id is not None else None,
        course_name=(course_names.get(course_id) or course_id) if course_id is not None else "",
        provider=values.get("external_credit__provider") or "",
        credit_id=values["credit_id"], credit_name=values["credit_name"],
        credit_type_name=values["credit_type_name"], unit=values["unit"], amount=values["amount"],
        reference_number=values["reference_number"], source=values["source"], status=values["status"],
        awarded_at=values["awarded_at"], revoked_at=values["revoked_at"], reason=values["reason"],
        awarded_by=values["awarded_by__username"] or "", revoked_by=values["revoked_by__username"] or "",
        translations=values["translations"] or {},
    )


def award_data(row, course_names=None, username=None):
    """An AwardData from a model row (``user``, ``awarded_by``, ``revoked_by`` loaded or given)."""
    course_names = course_names or {}
    return AwardData(
        uuid=row.uuid, user_id=row.user_id, username=username if username is not None else row.user.username,
        course_key=row.course_key,
        course_name=(course_names.get(str(row.course_key)) or str(row.course_key)) if row.course_key else "",
        provider=_provider(row),
        credit_id=row.credit_id, credit_name=row.credit_name, credit_type_name=row.credit_type_name,
        unit=row.unit, amount=row.amount, reference_number=row.reference_number, source=row.source,
        status=row.status, awarded_at=row.awarded_at, revoked_at=row.revoked_at, reason=row.reason,
        awarded_by=row.awarded_by.username if row.awarded_by_id else "",
        revoked_by=row.revoked_by.username if row.revoked_by_id else "",
        translations=row.translations or {},
    )


def _provider(row):
    """Where a credit earned elsewhere was earned (its submission's provider); "" for a course's award."""
    if row.course_key is not None:
        return ""
    try:
        return row.external_credit.provider
    except ObjectDoesNotExist:  # an external award whose submission is gone (retirement deletes both)
        return ""


# The columns of a course's awards report, named as the API's JSON names them.
AWARD_REPORT_COLUMNS = (
    "uuid", "username", "course_id", "course_name", "credit_id", "credit_name", "credit_type_name", "amount",
    "unit", "reference_number", "source", "status", "awarded_at", "revoked_at", "reason", "awarded_by",
    "revoked_by",
)
_AMOUNT_QUANTUM = Decimal(1).scaleb(-AMOUNT_DECIMAL_PLACES)


class ReportCells:
    """
    Raw database values of an award, written as text the way the API's JSON writes them.

    The values come straight from a database cursor, so each backend's own types arrive:
    SQLite gives a UUID as 32 hex digits, an amount as a float and a datetime as text;
    MySQL gives 32 hex digits or (MariaDB's uuid type) the dashed form, a Decimal and a
    naive datetime. All datetimes are UTC, as Django stores them; they are shown in the
    current time zone, ``Z`` for UTC, as Django REST framework shows them.
    """

    FIELDS = (
        "id", "uuid", "user__username", "credit_id", "credit_name", "credit_type_name", "amount", "unit",
        "reference_number", "source", "status", "awarded_at", "revoked_at", "reason",
        "awarded_by__username", "revoked_by__username", "translations",
    )

    def __init__(self, course_id, course_name):
        self.course_id, self.course_name = course_id, course_name
        self.use_tz = settings.USE_TZ
        zone = timezone.get_current_timezone() if self.use_tz else None
        self.zone = None if zone is None or _is_utc(zone) else zone

    def row(self, raw):
        (_id, uuid, username, credit_id, credit_name, type_name, amount, unit, reference_number, source, status,
         awarded_at, revoked_at, reason, awarded_by, revoked_by, translations) = raw
        if translations and translations != "{}":  # names in the reader's language (ADR 0011)
            translations = json_object(translations)
            credit_name = localized(translations, "credit_name", credit_name)
            type_name = localized(translations, "credit_type_name", type_name)
            unit = localized(translations, "unit", unit)
        return (
            uuid_text(uuid), username or "", self.course_id, self.course_name, str(credit_id), credit_name,
            type_name, amount_text(amount), unit, reference_number, source, status, self.when(awarded_at),
            self.when(revoked_at), reason, awarded_by or "", revoked_by or "",
        )

    def when(self, value):
        if value is None:
            return ""
        if isinstance(value, str):
            value = datetime.datetime.fromisoformat(value)
        if not self.use_tz:
            return value.isoformat()
        if value.tzinfo is not None:
            value = value.astimezone(datetime.UTC).replace(tzinfo=None)
        if self.zone is None:
            return value.isoformat() + "Z"
        text = value.replace(tzinfo=datetime.UTC).astimezone(self.zone).isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text


UTC_ZONE_NAMES = frozenset(("UTC", "Etc/UTC", "Etc/UCT", "UCT", "Universal", "Etc/Universal", "Zulu", "Etc/Zulu"))


def _is_utc(zone):
    """Only zones that are UTC by definition: a zone that was at +00:00 once may not be now (Casablanca)."""
    return zone is datetime.UTC or getattr(zone, "key", getattr(zone, "zone", None)) in UTC_ZONE_NAMES


def uuid_text(value):
    """A UUID in its dashed lower-case form, from what a database driver returns."""
    if isinstance(value, str):
        if len(value) == 32:
            return f"{value[:8]}-{value[8:12]}-{value[12:16]}-{value[16:20]}-{value[20:]}".lower()
        if len(value) == 36 and value[8] == value[13] == value[18] == value[23] == "-":
            return value.lower()  # MariaDB's uuid type: the dashed form already
        return str(UUID(value))
    if isinstance(value, bytes):
        return str(UUID(bytes=value)) if len(value) == 16 else str(UUID(value.decode()))
    return str(value)


def amount_text(value):
    """An amount with its two decimal places, as the API shows it (a string, never a float's digits)."""
    if isinstance(value, float):
        # A SQLite REAL: an amount of at most 5 digits is exact to far more than 2 places.
        return f"{value:.{AMOUNT_DECIMAL_PLACES}f}"
    if not isinstance(value, Decimal):
        value = Decimal(str(value))
    return format(value.quantize(_AMOUNT_QUANTUM), "f")
