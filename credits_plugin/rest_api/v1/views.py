"""
Views of the REST API v1. Each reads the request, asks ``credits_plugin.api``
and shapes the answer; rules and validation live in the API.
"""
import itertools

from django.conf import settings as django_settings
from django.core.exceptions import RequestDataTooBig
from django.db import transaction
from django.http import FileResponse
from django.utils.decorators import method_decorator
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from drf_spectacular.views import SpectacularAPIView
from edx_rest_framework_extensions.auth.jwt.authentication import JwtAuthentication
from edx_rest_framework_extensions.auth.session.authentication import SessionAuthenticationAllowInactiveUser
from edx_rest_framework_extensions.permissions import NotJwtRestrictedApplication
from rest_framework import permissions, status
from rest_framework.exceptions import NotAuthenticated, NotFound, PermissionDenied
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from credits_plugin import api
from credits_plugin.rest_api.v1 import serializers as s
from credits_plugin.rest_api.v1.csv_export import CSVRenderer, csv_lines_response, csv_response, csv_text_response
from credits_plugin.rest_api.v1.errors import exception_handler
from credits_plugin.rest_api.v1.pagination import cursor_params, page_params, page_response, paginate

ERRORS = {code: OpenApiResponse(s.ErrorSerializer) for code in (400, 401, 403, 404, 409)}
COURSE_ID = OpenApiParameter("course_id", str, OpenApiParameter.PATH, description="e.g. course-v1:Org+Course+Run")
PAGES = [OpenApiParameter("page", int, description="1 or more"),
         OpenApiParameter("page_size", int, description="1 to 500; default 50")]
DATE_FILTERS = [OpenApiParameter("from", str, description="YYYY-MM-DD, inclusive"),
                OpenApiParameter("to", str, description="YYYY-MM-DD, inclusive")]


def documented(**kwargs):
    """``extend_schema`` for a view method, based on drf-spectacular's AutoSchema even where the
    platform's REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"] names another one."""
    def decorator(function):
        function.schema = AutoSchema
        return extend_schema(**kwargs)(function)
    return decorator


def _flag(value, field="is_active"):
    """?<field>=true|false|1|0 as a bool; None when absent; a 400 otherwise."""
    if value is None or value == "":
        return None
    if value.lower() in ("true", "1"):
        return True
    if value.lower() in ("false", "0"):
        return False
    raise api.CreditsValidationError(f"'{value}' is not true or false.", field_errors={field: [
        "Use true or false."]})


def _body(request, fields):
    """The JSON object of the request, with only ``fields``: an error for anything else."""
    data = request.data
    if not isinstance(data, dict):
        raise api.CreditsValidationError("Send a JSON object.", field_errors={"non_field_errors": [
            "Send a JSON object."]})
    unknown = sorted(set(data) - set(fields))
    if unknown:
        raise api.CreditsValidationError(f"Unknown field(s): {', '.join(unknown)}.",
                                         field_errors={name: ["Unknown field."] for name in unknown})
    return dict(data)


def _int(value, field):
    number = api.parse_id(value)
    if number is None:
        raise api.CreditsValidationError(f"'{value}' is not an id.", field_errors={field: ["Enter a valid id."]})
    return number


def own_or_staff(request, username, refusal):
    """The learner ``username`` when it is the signed-in user or they are global staff; a 403 or 404 otherwise."""
    if request.user.username != username and not request.user.is_staff:
        raise PermissionDenied(refusal)
    learner = api.get_user_by_username(username)
    if learner is None:
        raise NotFound("There is no such learner.")
    return learner


class NotRestrictedApplication(NotJwtRestrictedApplication):
    """
    Refuses a JWT of a restricted OAuth2 application, as the platform's APIs do: such a token may
    only reach APIs that grant its scopes (edx-drf-extensions' ``JwtHasScope``), and this API
    grants none. A full JWT, a session and an anonymous request pass.
    """

    message = "A restricted application's token cannot use the Course Credits API."


class CreditsAPIView(APIView):
    """Base: Open edX authentication, the API's error shape, JSON (and CSV where a view offers it)."""

    authentication_classes = (JwtAuthentication, SessionAuthenticationAllowInactiveUser)
    permission_classes = (NotRestrictedApplication, permissions.IsAuthenticated)
    schema = AutoSchema()  # whatever the platform's REST_FRAMEWORK settings say

    def get_exception_handler(self):
        return exception_handler

    def initial(self, request, *args, **kwargs):
        """
        Refuse a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` before anything reads it. Django checks it
        only where ``request.body`` is read, which older DRF releases bypass for JSON; multipart
        bodies are left to Django, which counts their fields and not their files.
        """
        limit = django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        content_type = request.META.get("CONTENT_TYPE", "")
        if limit is not None and not content_type.startswith("multipart/"):
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > limit:
                raise RequestDataTooBig("The request body is larger than DATA_UPLOAD_MAX_MEMORY_SIZE.")
        super().initial(request, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        """Only the streamed CSV is CSV: errors and any other answer are JSON, also after ?format=csv."""
        if isinstance(response, Response) and isinstance(getattr(request, "accepted_renderer", None), CSVRenderer):
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)

    def require_global_staff(self, request, message="Only global staff can change the credit structure."):
        if not request.user.is_authenticated:
            raise NotAuthenticated()
        if not request.user.is_staff:
            raise PermissionDenied(message)


class CreditTypeListView(CreditsAPIView):
    @documented(responses={200: s.PaginatedCreditTypes, **ERRORS},
                   parameters=[OpenApiParameter("is_active", bool), *PAGES])
    def get(self, request):
        types = api.list_credit_types(is_active=_flag(request.query_params.get("is_active")))
        return paginate(request, types, s.CreditTypeSerializer)

    @documented(request=s.CreditTypeSerializer, responses={201: s.CreditTypeSerializer, **ERRORS})
    def post(self, request):
        self.require_global_staff(request)
        data = _body(request, ("name", "description", "unit", "requires_reference_number",
                               "allow_multiple_per_course", "is_active", "requires_approval", "achievement_type",
                               "translations"))
        created = api.create_credit_type(user=request.user, name=data.pop("name", ""), **data)
        return Response(s.CreditTypeSerializer(created).data, status=status.HTTP_201_CREATED)


class CreditTypeDetailView(CreditsAPIView):
    @documented(responses={200: s.CreditTypeSerializer, **ERRORS})
    def get(self, request, type_id):
        return Response(s.CreditTypeSerializer(api.get_credit_type(type_id)).data)

    @documented(request=s.CreditTypeSerializer(partial=True), responses={200: s.CreditTypeSerializer, **ERRORS})
    def patch(self, request, type_id):
        self.require_global_staff(request)
        data = _body(request, ("name", "description", "unit", "requires_reference_number",
                               "allow_multiple_per_course", "is_active", "requires_approval", "achievement_type",
                               "translations"))
        return Response(s.CreditTypeSerializer(api.update_credit_type(type_id, user=request.user, **data)).data)

    @documented(responses={204: None, **ERRORS})
    def delete(self, request, type_id):
        self.require_global_staff(request)
        api.delete_credit_type(type_id, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class CreditListView(CreditsAPIView):
    @documented(responses={200: s.PaginatedCredits, **ERRORS},
                   parameters=[OpenApiParameter("credit_type", int), OpenApiParameter("is_active", bool), *PAGES])
    def get(self, request):
        type_id = request.query_params.get("credit_type")
        credits = api.list_credits(credit_type_id=_int(type_id, "credit_type") if type_id else None,
                                   is_active=_flag(request.query_params.get("is_active")))
        return paginate(request, credits, s.CreditSerializer)

    @documented(request=s.CreditWriteSerializer, responses={201: s.CreditSerializer, **ERRORS})
    def post(self, request):
        self.require_global_staff(request)
        data = _body(request, ("credit_type", "name", "description", "reference_number", "is_active",
                               "translations"))
        created = api.create_credit(credit_type_id=data.pop("credit_type", None), name=data.pop("name", ""),
                                    user=request.user, **data)
        return Response(s.CreditSerializer(created).data, status=status.HTTP_201_CREATED)


class CreditDetailView(CreditsAPIView):
    @documented(responses={200: s.CreditSerializer, **ERRORS})
    def get(self, request, credit_id):
        return Response(s.CreditSerializer(api.get_credit(credit_id)).data)

    @documented(request=s.CreditWriteSerializer(partial=True), responses={200: s.CreditSerializer, **ERRORS})
    def patch(self, request, credit_id):
        self.require_global_staff(request)
        data = _body(request, ("credit_type", "name", "description", "reference_number", "is_active",
                               "translations"))
        if "credit_type" in data:
            data["credit_type_id"] = _int(data.pop("credit_type"), "credit_type")
        return Response(s.CreditSerializer(api.update_credit(credit_id, user=request.user, **data)).data)

    @documented(responses={204: None, **ERRORS})
    def delete(self, request, credit_id):
        self.require_global_staff(request)
        api.delete_credit(credit_id, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class CourseCreditsView(CreditsAPIView):
    """A course's credit settings: anyone reads an enabled course; Studio authors read and change any."""

    permission_classes = (permissions.AllowAny, NotRestrictedApplication)  # anyone, but no restricted token

    @documented(parameters=[COURSE_ID], responses={200: s.CourseSettingsSerializer, **ERRORS})
    def get(self, request, course_id):
        course_key = api.parse_course_key(course_id)
        author = api.can_change_course(request.user, course_key)
        # Learners and the public see the credits the course awards today; its authors see all.
        settings = api.get_course_settings(course_key, awarding_today=not author)
        if not settings.enabled and not author:
            raise NotFound("This course does not award credits.")
        return Response(s.CourseSettingsSerializer(settings).data)

    @documented(parameters=[COURSE_ID], request=s.CourseSettingsWriteSerializer,
                   responses={200: s.CourseSettingsSerializer, **ERRORS})
    def put(self, request, course_id):
        course_key = api.parse_course_key(course_id)
        if not request.user.is_authenticated:
            raise NotAuthenticated()
        if not api.can_change_course(request.user, course_key):
            raise PermissionDenied("You need Studio write access to this course.")
        data = _body(request, ("enabled", "award_trigger", "revoke_on_certificate_revoked", "credits"))
        if "enabled" not in data:
            raise api.CreditsValidationError("enabled is required.", field_errors={"enabled": ["Required."]})
        settings = api.set_course_settings(course_key, user=request.user, **data)
        return Response(s.CourseSettingsSerializer(settings).data)


class CourseAwardsView(CreditsAPIView):
    """A course's awards report (JSON or streamed CSV) and manual awards: course staff only."""

    renderer_classes = APIView.renderer_classes + [CSVRenderer]

    def check_course_staff(self, request, course_key):
        if not api.is_course_staff(request.user, course_key):
            raise PermissionDenied("Only the course's staff can see or change its awards.")

    @documented(parameters=[COURSE_ID, OpenApiParameter("search", str, description="start of a username"),
                               OpenApiParameter("status", str, enum=["awarded", "revoked"]),
                               OpenApiParameter("format", str, enum=["json", "csv"]), *DATE_FILTERS, *PAGES],
                   responses={(200, "application/json"): s.PaginatedAwards,
                              (200, "text/csv"): OpenApiTypes.STR, **ERRORS})
    def get(self, request, course_id):
        course_key = api.parse_course_key(course_id)
        self.check_course_staff(request, course_key)
        params = request.query_params
        filters = {"status": params.get("status") or None, "search": params.get("search") or None,
                   "start": params.get("from"), "end": params.get("to")}
        if params.get("format") == "csv":
            rows = api.iter_course_report_rows(course_key, **filters)
            return csv_text_response(api.AWARD_REPORT_COLUMNS, rows,
                                     f"credits-{course_key.course}-{course_key.run}.csv")
        page, page_size = page_params(request)
        total, awards = api.page_course_awards(course_key, offset=(page - 1) * page_size, limit=page_size,
                                               **filters)
        return page_response(request, total, awards, s.AwardSerializer, page, page_size)

    @documented(parameters=[COURSE_ID], request=s.ManualAwardSerializer,
                   responses={201: s.AwardSerializer(many=True), **ERRORS})
    def post(self, request, course_id):
        course_key = api.parse_course_key(course_id)
        self.check_course_staff(request, course_key)
        data = _body(request, ("username", "reason", "credits"))
        credit_ids = data.get("credits")
        if credit_ids is not None:
            if not isinstance(credit_ids, list):
                raise api.CreditsValidationError("credits must be a list of ids.",
                                                 field_errors={"credits": ["Send a list of credit ids."]})
            credit_ids = [_int(i, "credits") for i in credit_ids]
        username = data.get("username")
        if not isinstance(username, str) or not username.strip():
            raise api.CreditsValidationError("username is required.", field_errors={"username": ["Required."]})
        result = api.manual_award(course_key, username, acting_user=request.user, reason=data.get("reason"),
                                  credit_ids=credit_ids)
        return Response(s.AwardSerializer(result.created, many=True).data, status=status.HTTP_201_CREATED)


class DesignationListView(CreditsAPIView):
    """The approvals queue: courses' credits of types that require approval, for their approvers."""

    @documented(parameters=[OpenApiParameter("approval_status", str, enum=["pending", "approved", "rejected"]),
                            *PAGES],
                responses={200: s.PaginatedApprovals, **ERRORS})
    def get(self, request):
        designations = api.list_designations(request.user, request.query_params.get("approval_status"))
        return paginate(request, designations, s.ApprovalSerializer)


class DesignationDecisionView(CreditsAPIView):
    """Approve (with the approval's dates) or reject (with a reason) a course's credit waiting for approval."""

    decision = None  # "approve" or "reject"

    @documented(request=s.ApproveSerializer, responses={200: s.ApprovalSerializer, **ERRORS})
    def post(self, request, designation_id):
        if self.decision == "approve":
            data = _body(request, ("valid_from", "valid_until", "amount", "reference_number"))
            decided = api.approve_designation(designation_id, acting_user=request.user, **data)
        else:
            data = _body(request, ("reason",))
            decided = api.reject_designation(designation_id, acting_user=request.user, reason=data.get("reason"))
        return Response(s.ApprovalSerializer(decided).data)


class RejectDesignationView(DesignationDecisionView):
    decision = "reject"

    @documented(request=s.ReasonSerializer, responses={200: s.ApprovalSerializer, **ERRORS})
    def post(self, request, designation_id):
        return super().post(request, designation_id)


class ExternalCreditListView(CreditsAPIView):
    """Credits earned elsewhere: a learner's own (and, for reviewers, those they review); a learner sends one."""

    parser_classes = (MultiPartParser,)

    @documented(parameters=[OpenApiParameter("status", str, enum=["pending", "approved", "rejected"]), *PAGES],
                responses={200: s.PaginatedExternalCredits, **ERRORS})
    def get(self, request):
        return paginate(request, api.list_external_credits(request.user, request.query_params.get("status")),
                        s.ExternalCreditSerializer)

    @documented(request={"multipart/form-data": s.ExternalCreditUploadSerializer},
                responses={201: s.ExternalCreditSerializer, **ERRORS})
    def post(self, request):
        try:  # a body far over the evidence's limit is refused before it is read
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > api.EVIDENCE_MAX_BYTES + 1024 * 1024:
            raise api.CreditsValidationError(
                f"The upload is {length / (1024 * 1024):.1f} MB; the evidence can be at most 10 MB.",
                field_errors={"evidence": ["The file is larger than 10 MB."]})
        _body(request, ("title", "provider", "credit_type", "amount", "earned_on", "evidence"))  # no other field
        data = request.data
        created = api.submit_external_credit(
            request.user, title=data.get("title"), provider=data.get("provider"),
            credit_type_id=data.get("credit_type"), amount=data.get("amount"), earned_on=data.get("earned_on"),
            evidence=request.FILES.get("evidence"))
        return Response(s.ExternalCreditSerializer(created).data, status=status.HTTP_201_CREATED)


class ExternalCreditDetailView(CreditsAPIView):
    @documented(responses={200: s.ExternalCreditSerializer, **ERRORS})
    def get(self, request, external_id):
        return Response(s.ExternalCreditSerializer(api.get_external_credit(request.user, external_id)).data)


class ExternalCreditEvidenceView(CreditsAPIView):
    """The evidence file, for its learner and reviewers only: sent as an attachment, never shown inline."""

    @documented(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY, **ERRORS})
    def get(self, request, external_id):
        handle, media_type, name = api.open_evidence(request.user, external_id)
        response = FileResponse(handle, content_type=media_type, as_attachment=True, filename=name)
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response


class ExternalCreditDecisionView(CreditsAPIView):
    """A reviewer approves (optionally at a corrected amount) or rejects (with a reason) a credit earned elsewhere."""

    decision = None  # "approve" or "reject"

    @documented(request=s.ExternalApproveSerializer, responses={200: s.ExternalCreditSerializer, **ERRORS})
    def post(self, request, external_id):
        if self.decision == "approve":
            data = _body(request, ("amount",))
            decided = api.approve_external_credit(external_id, acting_user=request.user, amount=data.get("amount"))
        else:
            data = _body(request, ("reason",))
            decided = api.reject_external_credit(external_id, acting_user=request.user, reason=data.get("reason"))
        return Response(s.ExternalCreditSerializer(decided).data)


class RejectExternalCreditView(ExternalCreditDecisionView):
    decision = "reject"

    @documented(request=s.ReasonSerializer, responses={200: s.ExternalCreditSerializer, **ERRORS})
    def post(self, request, external_id):
        return super().post(request, external_id)


class RevokeAwardView(CreditsAPIView):
    @documented(request=s.ReasonSerializer, responses={200: s.AwardSerializer, **ERRORS})
    def post(self, request, award_uuid):
        award = api.get_award(award_uuid)
        if award.course_key is None:  # earned elsewhere: only global staff may take it back
            if not request.user.is_staff:
                raise PermissionDenied("Only global staff can revoke a credit earned elsewhere.")
        elif not api.is_course_staff(request.user, award.course_key):
            raise PermissionDenied("Only the course's staff can revoke its awards.")
        data = _body(request, ("reason",))
        return Response(s.AwardSerializer(
            api.revoke_award(award.uuid, acting_user=request.user, reason=data.get("reason"))).data)


class LearnerSummaryView(CreditsAPIView):
    renderer_classes = APIView.renderer_classes + [CSVRenderer]

    @documented(parameters=[OpenApiParameter("format", str, enum=["json", "csv"]), *DATE_FILTERS,
                            OpenApiParameter("awards", bool, description=(
                                "false: the totals only, with an empty award list (what a dashboard needs); "
                                "the CSV always lists the awards"))],
                   responses={(200, "application/json"): s.LearnerSummarySerializer,
                              (200, "text/csv"): OpenApiTypes.STR, **ERRORS})
    def get(self, request, username):
        learner = own_or_staff(request, username, "You can only see your own credits.")
        csv = request.query_params.get("format") == "csv"
        with_awards = csv or _flag(request.query_params.get("awards"), "awards") is not False
        summary = api.get_learner_summary(learner, start=request.query_params.get("from"),
                                          end=request.query_params.get("to"), with_awards=with_awards)
        if csv:
            return csv_response(summary.awards, s.SummaryAwardSerializer, f"credits-{learner.username}.csv")
        return Response(s.LearnerSummarySerializer(summary).data)


class RequirementsAPIView(CreditsAPIView):
    """Requirements, who they apply to and who is behind: global staff only."""

    def check_permissions(self, request):
        super().check_permissions(request)
        self.require_global_staff(request, "Only global staff can see or change requirements.")


REQUIREMENT_FIELDS = ("name", "description", "amount", "period_kind", "period_length", "period_unit", "cycle_start",
                      "credit_types", "credits", "parent", "carry_over_max", "applies_to_all", "active",
                      "reminder_days")


class RequirementListView(RequirementsAPIView):
    """Continuing-education requirements: global staff define them."""

    @documented(responses={200: s.PaginatedRequirements, **ERRORS}, parameters=PAGES)
    def get(self, request):
        return paginate(request, api.list_requirements(), s.RequirementSerializer)

    @documented(request=s.RequirementSerializer, responses={201: s.RequirementSerializer, **ERRORS})
    def post(self, request):
        created = api.create_requirement(user=request.user, **_body(request, REQUIREMENT_FIELDS))
        return Response(s.RequirementSerializer(created).data, status=status.HTTP_201_CREATED)


class RequirementDetailView(RequirementsAPIView):
    @documented(responses={200: s.RequirementSerializer, **ERRORS})
    def get(self, request, requirement_id):
        return Response(s.RequirementSerializer(api.get_requirement(requirement_id)).data)

    @documented(request=s.RequirementSerializer(partial=True), responses={200: s.RequirementSerializer, **ERRORS})
    def patch(self, request, requirement_id):
        changed = api.update_requirement(requirement_id, user=request.user, **_body(request, REQUIREMENT_FIELDS))
        return Response(s.RequirementSerializer(changed).data)

    @documented(responses={204: None, **ERRORS})
    def delete(self, request, requirement_id):
        api.delete_requirement(requirement_id, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class RequirementAssignmentsView(RequirementsAPIView):
    """
    The learners a requirement applies to: a JSON list of ``{"learner", "cycle_start"}``, or a CSV
    file (multipart field ``file``, header ``learner,cycle_start``). All or nothing.
    """

    parser_classes = (JSONParser, MultiPartParser)

    @documented(responses={200: s.AssignmentSerializer(many=True), **ERRORS})
    def get(self, request, requirement_id):
        return Response(s.AssignmentSerializer(api.list_assignments(requirement_id), many=True).data)

    @documented(request=s.AssignmentWriteSerializer(many=True), responses={200: s.AssignmentResultSerializer,
                                                                           **ERRORS})
    def post(self, request, requirement_id):
        if request.content_type.startswith("multipart/"):
            upload = request.FILES.get("file")
            if upload is None:
                raise api.CreditsValidationError("Send the CSV file in the field 'file'.",
                                                 field_errors={"file": ["Choose a CSV file."]})
            try:
                text = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                raise api.CreditsValidationError(  # pylint: disable=raise-missing-from
                    "The file is not UTF-8 text.", field_errors={"file": ["Save the file as CSV (UTF-8)."]})
            entries = api.parse_assignment_csv(text)
        elif isinstance(request.data, list):
            entries = list(request.data)
        else:
            raise api.CreditsValidationError("Send a JSON list of learners, or a CSV file.", field_errors={
                "non_field_errors": ["Send a JSON list of {\"learner\", \"cycle_start\"}."]})
        created, updated = api.assign_learners(requirement_id, entries, user=request.user)
        return Response({"created": created, "updated": updated})


def _compliance_row(row):
    """A compliance report's row as the JSON writes it: the learner and their current period."""
    progress = row.progress
    return {"user_id": row.user_id, "username": row.username, "cycle_start": row.cycle_start,
            "period_start": progress.period_start, "period_end": progress.period_end, "required": progress.required,
            "earned": progress.earned, "carried_over": progress.carried_over, "remaining": progress.remaining,
            "met": progress.met, "sub_requirements": progress.sub_requirements}


class RequirementComplianceView(RequirementsAPIView):
    """
    Who a requirement applies to and where each stands: global staff. JSON a page at a time in user
    id order (``next`` carries ``?after=``), or the whole report streamed as CSV.
    """

    renderer_classes = APIView.renderer_classes + [CSVRenderer]

    @documented(parameters=[OpenApiParameter("as_of", str, description="YYYY-MM-DD; default today"),
                            OpenApiParameter("status", str, enum=["behind", "met"]),
                            OpenApiParameter("format", str, enum=["json", "csv"]),
                            OpenApiParameter("after", int, description="the user_id of the last row seen"),
                            OpenApiParameter("page_size", int, description="1 to 500; default 50")],
                responses={(200, "application/json"): s.ComplianceSerializer, (200, "text/csv"): OpenApiTypes.STR,
                           **ERRORS})
    def get(self, request, requirement_id):
        params = request.query_params
        requirement = api.compliance_requirement(requirement_id)
        as_of = api.progress_day(params.get("as_of"))
        if params.get("format") == "csv":
            return csv_lines_response(
                api.iter_compliance_lines(requirement.id, as_of=as_of, status=params.get("status") or None),
                f"requirement-{requirement.id}-{as_of.isoformat()}.csv")
        rows = api.iter_compliance(requirement.id, as_of=as_of, status=params.get("status") or None,
                                   after=cursor_params(request)[0])
        _after, page_size = cursor_params(request)
        page = list(itertools.islice(rows, page_size + 1))
        following = None
        if len(page) > page_size:
            page = page[:page_size]
            query = params.copy()
            query["after"] = str(page[-1].user_id)
            following = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
        return Response(s.ComplianceSerializer({
            "requirement": requirement, "as_of": as_of, "results": [_compliance_row(row) for row in page],
            "next": following}).data)



class LearnerRequirementsView(CreditsAPIView):
    """Where a learner stands on each requirement that applies to them: the learner and global staff."""

    @documented(parameters=[OpenApiParameter("as_of", str, description="YYYY-MM-DD; default today")],
                responses={200: s.LearnerRequirementsSerializer, **ERRORS})
    def get(self, request, username):
        learner = own_or_staff(request, username, "You can only see your own requirements.")
        as_of = api.progress_day(request.query_params.get("as_of"))
        progress = api.get_learner_requirements(learner, as_of=as_of)
        return Response(s.LearnerRequirementsSerializer(
            {"username": learner.username, "as_of": as_of, "requirements": progress}).data)


class PublicAwardView(CreditsAPIView):
    """The public verification record of one award (what an accrediting body checks)."""

    authentication_classes = ()
    permission_classes = (permissions.AllowAny,)

    @documented(responses={200: s.PublicAwardSerializer, 404: OpenApiResponse(s.ErrorSerializer)})
    def get(self, request, award_uuid):
        return Response(s.PublicAwardSerializer(api.get_public_award(award_uuid)).data)


@extend_schema(exclude=True)
class UnknownPathView(CreditsAPIView):
    """Any other path under /api/credits/v1/: a 404 in the API's error shape."""

    authentication_classes = ()
    permission_classes = (permissions.AllowAny,)

    def dispatch(self, request, *args, **kwargs):
        self.args, self.kwargs, self.request = args, kwargs, self.initialize_request(request, *args, **kwargs)
        self.headers = self.default_response_headers
        response = self.handle_exception(NotFound("There is no such API endpoint."))
        return self.finalize_response(self.request, response, *args, **kwargs)


@method_decorator(transaction.non_atomic_requests, name="dispatch")
class SchemaView(SpectacularAPIView):
    """
    The OpenAPI 3 schema of this API, whatever the platform's REST_FRAMEWORK settings say.
    It reads no table, so it opens no transaction (the platform's ``ATOMIC_REQUESTS`` would).
    """

    schema = AutoSchema()
    urlconf = "credits_plugin.rest_api.v1.schema_urls"

    @documented(exclude=True)
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
