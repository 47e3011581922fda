"""
Shapes of the API's bodies. Output serializers read the frozen objects of
``credits_plugin.data``; input serializers document the request bodies for the
OpenAPI schema. The rules themselves are checked once, in ``credits_plugin.api``.
"""
from django.urls import reverse
from rest_framework import serializers

AMOUNT = {"max_digits": 5, "decimal_places": 2, "coerce_to_string": True}
# A total adds up many amounts of at most 999.99: room for a lifetime of credits.
TOTAL = {"max_digits": 12, "decimal_places": 2, "coerce_to_string": True}


def translations_field(texts):
    """The ``translations`` of a credit type or credit: its ``texts`` in the site's other languages (ADR 0011)."""
    return serializers.DictField(
        child=serializers.DictField(child=serializers.CharField(allow_blank=True)), required=False,
        help_text=f'the {texts} in other languages of the site, e.g. {{"fr": {{"name": ...}}}}; the fields '
                  "themselves are in the site's default language")


class CreditTypeSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(max_length=255)
    description = serializers.CharField(required=False, allow_blank=True)
    unit = serializers.CharField(max_length=50, required=False)
    requires_reference_number = serializers.BooleanField(required=False)
    allow_multiple_per_course = serializers.BooleanField(required=False)
    is_active = serializers.BooleanField(required=False)
    requires_approval = serializers.BooleanField(required=False, help_text=(
        "courses' credits of this type award only once approved; when creating a type without it, "
        "it follows requires_reference_number"))
    achievement_type = serializers.CharField(required=False, allow_blank=True, max_length=64, help_text=(
        "what its credits are called in Open Badges credentials: a term of the AchievementType vocabulary "
        "(\"License\", \"Certification\"...) or \"ext:Name\"; empty: chosen per award"))
    translations = translations_field("name, description and unit")
    display_name = serializers.CharField(read_only=True, help_text="the name in the request's language "
                                                                   "(Accept-Language), else the default")
    display_unit = serializers.CharField(read_only=True, help_text="the unit in the request's language")


class CreditTypeBriefSerializer(serializers.Serializer):
    """A credit's type where it is shown: its name and unit in the request's language."""

    id = serializers.IntegerField()
    name = serializers.CharField(source="display_name")
    unit = serializers.CharField(source="display_unit")
    requires_reference_number = serializers.BooleanField()
    requires_approval = serializers.BooleanField()


class CreditSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    credit_type = CreditTypeBriefSerializer(read_only=True)
    name = serializers.CharField()
    description = serializers.CharField()
    reference_number = serializers.CharField()
    is_active = serializers.BooleanField()
    translations = translations_field("name and description")
    display_name = serializers.CharField(read_only=True, help_text="the name in the request's language "
                                                                   "(Accept-Language), else the default")


class CreditWriteSerializer(serializers.Serializer):
    credit_type = serializers.IntegerField(help_text="id of the credit type")
    name = serializers.CharField(max_length=255)
    description = serializers.CharField(required=False, allow_blank=True)
    reference_number = serializers.CharField(required=False, allow_blank=True, max_length=100)
    is_active = serializers.BooleanField(required=False)
    translations = translations_field("name and description")


class DesignationSerializer(serializers.Serializer):
    credit = serializers.IntegerField(source="credit.id")
    name = serializers.CharField(source="credit.display_name")
    credit_type = CreditTypeBriefSerializer(source="credit.credit_type")
    amount = serializers.DecimalField(**AMOUNT)
    reference_number = serializers.CharField()
    effective_reference_number = serializers.CharField()
    is_active = serializers.BooleanField(source="credit.is_active")
    approval_status = serializers.ChoiceField(choices=["approved", "pending", "rejected"], help_text=(
        "only approved credits are awarded"))
    valid_from = serializers.DateField(allow_null=True)
    valid_until = serializers.DateField(allow_null=True)
    rejection_reason = serializers.CharField()


class ApprovalSerializer(serializers.Serializer):
    """A course's credit as the approvals queue shows it."""

    id = serializers.IntegerField()
    course_id = serializers.CharField(source="course_key")
    course_name = serializers.CharField()
    credit = serializers.IntegerField(source="credit.id")
    name = serializers.CharField(source="credit.display_name")
    credit_type = CreditTypeBriefSerializer(source="credit.credit_type")
    amount = serializers.DecimalField(**AMOUNT)
    reference_number = serializers.CharField()
    approval_status = serializers.ChoiceField(choices=["approved", "pending", "rejected"])
    valid_from = serializers.DateField(allow_null=True)
    valid_until = serializers.DateField(allow_null=True)
    requested_by = serializers.CharField(help_text="username of who asked for it; blank when unknown")
    approved_by = serializers.CharField(help_text="username of who decided it")
    approved_at = serializers.DateTimeField(allow_null=True)
    rejection_reason = serializers.CharField()
    modified = serializers.DateTimeField()


class ApproveSerializer(serializers.Serializer):
    valid_from = serializers.DateField(required=False, allow_null=True, help_text="YYYY-MM-DD; optional")
    valid_until = serializers.DateField(required=False, allow_null=True, help_text="YYYY-MM-DD; optional")
    amount = serializers.DecimalField(**AMOUNT, required=False, help_text=(
        "optional: the amount you reviewed; if the course changed it since, nothing is approved (409)"))
    reference_number = serializers.CharField(required=False, allow_blank=True, help_text=(
        "optional: the course reference number you reviewed; the same check"))


class CourseSettingsSerializer(serializers.Serializer):
    course_id = serializers.CharField(source="course_key")
    enabled = serializers.BooleanField()
    award_trigger = serializers.ChoiceField(choices=["passing", "certificate", "manual"])
    revoke_on_certificate_revoked = serializers.BooleanField()
    credits = DesignationSerializer(many=True)


class DesignationWriteSerializer(serializers.Serializer):
    credit = serializers.IntegerField()
    amount = serializers.DecimalField(**AMOUNT)
    reference_number = serializers.CharField(required=False, allow_blank=True, max_length=100)


class CourseSettingsWriteSerializer(serializers.Serializer):
    enabled = serializers.BooleanField()
    award_trigger = serializers.ChoiceField(choices=["passing", "certificate", "manual"], required=False)
    revoke_on_certificate_revoked = serializers.BooleanField(required=False)
    credits = DesignationWriteSerializer(many=True, required=False)


class AwardSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    username = serializers.CharField()
    course_id = serializers.CharField(source="course_key")
    course_name = serializers.CharField()
    credit_id = serializers.IntegerField()
    credit_name = serializers.CharField(source="display_credit_name")
    credit_type_name = serializers.CharField(source="display_credit_type_name")
    amount = serializers.DecimalField(**AMOUNT)
    unit = serializers.CharField(source="display_unit")
    reference_number = serializers.CharField()
    source = serializers.CharField()
    status = serializers.CharField()
    awarded_at = serializers.DateTimeField()
    revoked_at = serializers.DateTimeField(allow_null=True)
    reason = serializers.CharField()
    awarded_by = serializers.CharField()
    revoked_by = serializers.CharField()


class ManualAwardSerializer(serializers.Serializer):
    username = serializers.CharField()
    reason = serializers.CharField()
    credits = serializers.ListField(child=serializers.IntegerField(), required=False,
                                    help_text="limit to these credit ids (default: all the course awards)")


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField()


class TypeTotalSerializer(serializers.Serializer):
    credit_type = serializers.CharField(source="display_credit_type")
    unit = serializers.CharField(source="display_unit")
    amount = serializers.DecimalField(**TOTAL)


class CreditTotalSerializer(serializers.Serializer):
    credit_name = serializers.CharField(source="display_credit_name")
    credit_type = serializers.CharField(source="display_credit_type")
    unit = serializers.CharField(source="display_unit")
    amount = serializers.DecimalField(**TOTAL)


class SummaryAwardSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    course_id = serializers.CharField(source="course_key")
    course_name = serializers.CharField()
    credit_name = serializers.CharField(source="display_credit_name")
    credit_type_name = serializers.CharField(source="display_credit_type_name")
    amount = serializers.DecimalField(**AMOUNT)
    unit = serializers.CharField(source="display_unit")
    reference_number = serializers.CharField()
    source = serializers.CharField()
    status = serializers.CharField()
    awarded_at = serializers.DateTimeField()


class LearnerSummarySerializer(serializers.Serializer):
    username = serializers.CharField()
    totals = TypeTotalSerializer(many=True)
    credit_totals = CreditTotalSerializer(many=True)
    awards = SummaryAwardSerializer(many=True)


class IssuerSerializer(serializers.Serializer):
    name = serializers.CharField()
    url = serializers.CharField()
    organization = serializers.CharField()


class PublicAwardSerializer(serializers.Serializer):
    """What anyone may see of one award: no username, no email."""

    uuid = serializers.UUIDField()
    learner_name = serializers.CharField()
    course_id = serializers.CharField(source="course_key")
    course_name = serializers.CharField()
    credit_name = serializers.CharField(source="display_credit_name")
    credit_type_name = serializers.CharField(source="display_credit_type_name")
    amount = serializers.DecimalField(**AMOUNT)
    unit = serializers.CharField(source="display_unit")
    reference_number = serializers.CharField()
    status = serializers.CharField()
    awarded_at = serializers.DateTimeField()
    revoked_at = serializers.DateTimeField(allow_null=True)
    source = serializers.ChoiceField(choices=["passing", "certificate", "manual", "backfill"],
                                     help_text="how it was awarded")
    issuer = IssuerSerializer(allow_null=True)
    valid_from = serializers.DateField(source="approved_from", allow_null=True, help_text=(
        "for an accredited credit: the start of the course's approval"))
    valid_until = serializers.DateField(source="approved_until", allow_null=True, help_text=(
        "for an accredited credit: the end of the course's approval"))


class ErrorSerializer(serializers.Serializer):
    error_code = serializers.CharField()
    developer_message = serializers.CharField()
    field_errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


def paginated(serializer_class):
    """The page shape of a list of ``serializer_class`` (what pagination.page_response returns)."""
    return type(f"Paginated{serializer_class.__name__.replace('Serializer', '')}List", (serializers.Serializer,), {
        "count": serializers.IntegerField(),
        "num_pages": serializers.IntegerField(),
        "current_page": serializers.IntegerField(),
        "next": serializers.URLField(allow_null=True),
        "previous": serializers.URLField(allow_null=True),
        "results": serializer_class(many=True),
    })


PaginatedCreditTypes = paginated(CreditTypeSerializer)
PaginatedCredits = paginated(CreditSerializer)
PaginatedAwards = paginated(AwardSerializer)
PaginatedApprovals = paginated(ApprovalSerializer)


class ExternalCreditSerializer(serializers.Serializer):
    """A learner's report of a credit earned elsewhere, and its review."""

    id = serializers.IntegerField()
    username = serializers.CharField()
    title = serializers.CharField()
    provider = serializers.CharField()
    credit_type = serializers.IntegerField(source="credit_type_id")
    credit_type_name = serializers.CharField(source="display_credit_type_name")
    unit = serializers.CharField(source="display_unit")
    amount = serializers.DecimalField(**AMOUNT)
    earned_on = serializers.DateField()
    evidence_type = serializers.CharField(help_text="read from the file's content: application/pdf, image/png "
                                                    "or image/jpeg")
    evidence_name = serializers.CharField(help_text="the file's name as sent (display only)")
    evidence_url = serializers.SerializerMethodField(help_text="the plugin's view of the file (the learner and "
                                                               "reviewers only)")
    status = serializers.ChoiceField(choices=["pending", "approved", "rejected"])
    reviewed_by = serializers.CharField()
    reviewed_at = serializers.DateTimeField(allow_null=True)
    reason = serializers.CharField(help_text="why it was rejected")
    award_uuid = serializers.UUIDField(allow_null=True, help_text="the award its approval recorded")
    award_status = serializers.ChoiceField(choices=["", "awarded", "revoked"], help_text="that award's status now: "
                                           "an approved credit whose award was revoked no longer counts")
    award_revoked_at = serializers.DateTimeField(allow_null=True)
    created = serializers.DateTimeField()

    def get_evidence_url(self, obj) -> str:
        return reverse("credits_plugin:api_v1:external-credit-evidence", kwargs={"external_id": obj.id})


class ExternalCreditUploadSerializer(serializers.Serializer):
    """The multipart form a learner sends."""

    title = serializers.CharField(max_length=255)
    provider = serializers.CharField(max_length=255)
    credit_type = serializers.IntegerField(help_text="a credit type's id")
    amount = serializers.DecimalField(**AMOUNT)
    earned_on = serializers.DateField(help_text="YYYY-MM-DD; not in the future")
    evidence = serializers.FileField(help_text="a PDF, PNG or JPEG of at most 10 MB (checked from its content)")


class ExternalApproveSerializer(serializers.Serializer):
    amount = serializers.DecimalField(**AMOUNT, required=False, help_text="optional: a corrected amount")


PaginatedExternalCredits = paginated(ExternalCreditSerializer)


class RequirementSerializer(serializers.Serializer):
    """A continuing-education requirement (a part has a parent and takes its period and learners)."""

    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(max_length=255)
    description = serializers.CharField(required=False, allow_blank=True)
    amount = serializers.DecimalField(**AMOUNT, help_text="required in each period")
    unit = serializers.CharField(read_only=True, help_text="the unit of what counts")
    period_kind = serializers.ChoiceField(choices=["calendar_year", "fixed_cycle", "rolling"], required=False)
    period_length = serializers.IntegerField(required=False, allow_null=True, help_text=(
        "for fixed_cycle and rolling: how many period_unit"))
    period_unit = serializers.ChoiceField(choices=["years", "months"], required=False)
    cycle_start = serializers.DateField(required=False, allow_null=True, help_text=(
        "fixed_cycle: the day everyone's first cycle starts; null: each assigned learner's own start"))
    credit_types = serializers.ListField(child=serializers.IntegerField(), source="credit_type_ids",
                                         required=False, help_text="ids of the credit types that count")
    credits = serializers.ListField(child=serializers.IntegerField(), source="credit_ids", required=False,
                                    help_text="ids of the credits that count")
    parent = serializers.IntegerField(source="parent_id", required=False, allow_null=True,
                                      help_text="the requirement this is a part of")
    carry_over_max = serializers.DecimalField(**AMOUNT, required=False)
    applies_to_all = serializers.BooleanField(required=False)
    active = serializers.BooleanField(required=False)
    reminder_days = serializers.ListField(child=serializers.IntegerField(), required=False, help_text=(
        "remind learners who are behind this many days before their period ends (also \"60, 14\")"))
    sub_requirements = serializers.ListField(child=serializers.IntegerField(), source="sub_requirement_ids",
                                             read_only=True)


class PeriodProgressSerializer(serializers.Serializer):
    period_start = serializers.DateField()
    period_end = serializers.DateField(help_text="included")
    required = serializers.DecimalField(**AMOUNT)
    earned = serializers.DecimalField(**AMOUNT)
    carried_over = serializers.DecimalField(**AMOUNT)
    met = serializers.BooleanField()


class PartProgressSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    unit = serializers.CharField(source="display_unit", help_text="in the request's language")
    period_start = serializers.DateField()
    period_end = serializers.DateField(help_text="included")
    required = serializers.DecimalField(**AMOUNT)
    earned = serializers.DecimalField(**AMOUNT)
    carried_over = serializers.DecimalField(**AMOUNT)
    remaining = serializers.DecimalField(**AMOUNT)
    met = serializers.BooleanField()


class RequirementProgressSerializer(PartProgressSerializer):
    sub_requirements = PartProgressSerializer(many=True)
    past_periods = PeriodProgressSerializer(many=True, help_text="newest first")


class LearnerRequirementsSerializer(serializers.Serializer):
    username = serializers.CharField()
    as_of = serializers.DateField()
    requirements = RequirementProgressSerializer(many=True)


PaginatedRequirements = paginated(RequirementSerializer)


class AssignmentSerializer(serializers.Serializer):
    username = serializers.CharField()
    cycle_start = serializers.DateField(allow_null=True, help_text="the learner's own cycle start (a licence date)")


class AssignmentWriteSerializer(serializers.Serializer):
    learner = serializers.CharField(help_text="a username or an email address")
    cycle_start = serializers.DateField(required=False, allow_null=True, help_text="YYYY-MM-DD")


class AssignmentResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()


class ComplianceRowSerializer(PartProgressSerializer):
    """A learner in a requirement's compliance report, where they stand in their current period."""

    id = None
    name = None
    unit = None
    user_id = serializers.IntegerField(help_text="give it as ?after= to read the next page")
    username = serializers.CharField()
    cycle_start = serializers.DateField(allow_null=True)
    sub_requirements = PartProgressSerializer(many=True)


class RequirementBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    unit = serializers.CharField()


class ComplianceSerializer(serializers.Serializer):
    requirement = RequirementBriefSerializer()
    as_of = serializers.DateField()
    results = ComplianceRowSerializer(many=True)
    next = serializers.URLField(allow_null=True, help_text="the next page, or null after the last learner")


class VerificationSerializer(serializers.Serializer):
    """What a verifier answers of a submitted credential."""

    # Text, not a choice field: a second "status" enum would rename the schema's StatusEnum.
    status = serializers.CharField(help_text="valid, revoked, expired or invalid")
    reason = serializers.CharField()
    award = serializers.UUIDField(required=False, help_text="The award's public id, when this site issued it.")
