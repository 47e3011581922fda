"""Turn rows into the frozen data objects of ``credits_plugin.data``."""
from django.db.models import CharField
from django.db.models.functions import Cast
from opaque_keys.edx.keys import CourseKey

from credits_plugin.data import AwardData, CourseCreditData, CreditData, CreditTypeData

# The columns an award report reads, so that reports can stream values() rows
# without building model instances. The course id is read as text (see award_values).
AWARD_VALUE_FIELDS = (
    "uuid", "user_id", "user__username", "credit_id", "credit_name", "credit_type_name", "unit",
    "amount", "reference_number", "source", "status", "awarded_at", "revoked_at", "reason",
    "awarded_by__username", "revoked_by__username",
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
    )


def credit_data(row):
    return CreditData(
        id=row.pk, credit_type=type_data(row.credit_type), name=row.name, description=row.description,
        reference_number=row.reference_number, is_active=row.is_active,
    )


def designation_data(row):
    return CourseCreditData(credit=credit_data(row.credit), amount=row.amount, reference_number=row.reference_number)


def award_data_from_values(values, course_names, course_keys):
    """An AwardData from an ``award_values()`` row; ``course_keys`` is a CourseKeys cache."""
    course_id = values["course_id"]
    return AwardData(
        uuid=values["uuid"], user_id=values["user_id"], username=values["user__username"] or "",
        course_key=course_keys[course_id], course_name=course_names.get(course_id) or course_id,
        credit_id=values["credit_id"], credit_name=values["credit_name"],
        credit_type_name=values["credit_type_name"], unit=values["unit"], amount=values["amount"],
        reference_number=values["reference_number"], source=values["source"], status=values["status"],
        awarded_at=values["awarded_at"], revoked_at=values["revoked_at"], reason=values["reason"],
        awarded_by=values["awarded_by__username"] or "", revoked_by=values["revoked_by__username"] or "",
    )


def award_data(row, course_names=None, username=None):
    """An AwardData from a model row (``user``, ``awarded_by``, ``revoked_by`` loaded or given)."""
    course_names = course_names or {}
    return AwardData(
        uuid=row.uuid, user_id=row.user_id, username=username if username is not None else row.user.username,
        course_key=row.course_key, course_name=course_names.get(str(row.course_key)) or str(row.course_key),
        credit_id=row.credit_id, credit_name=row.credit_name, credit_type_name=row.credit_type_name,
        unit=row.unit, amount=row.amount, reference_number=row.reference_number, source=row.source,
        status=row.status, awarded_at=row.awarded_at, revoked_at=row.revoked_at, reason=row.reason,
        awarded_by=row.awarded_by.username if row.awarded_by_id else "",
        revoked_by=row.revoked_by.username if row.revoked_by_id else "",
    )
