"""
Views of the Open Badges 3.0 credentials (docs/decisions/0010): an award's credential, a learner's
record, the issuer and its keys, the status lists, and a verifier anyone can call.
"""
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import permissions
from rest_framework.parsers import BaseParser, JSONParser
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from credits_plugin import api
from credits_plugin.rest_api.v1 import serializers as s
from credits_plugin.rest_api.v1.views import ERRORS, CreditsAPIView, documented, own_or_staff

JWT_MEDIA_TYPE = "application/vc+jwt"
FORMATS = OpenApiParameter("format", str, enum=["json", "jwt"])


class JWTRenderer(BaseRenderer):
    """A compact JWT, as text (``?format=jwt``)."""

    media_type = JWT_MEDIA_TYPE
    format = "jwt"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data.encode("utf-8") if isinstance(data, str) else data


class JWTParser(BaseParser):
    """A JWT sent as the whole body (``text/plain`` or ``application/vc+jwt``)."""

    media_type = "text/plain"

    def parse(self, stream, media_type=None, parser_context=None):
        return stream.read().decode("utf-8", errors="replace")


class VCJWTParser(JWTParser):
    media_type = JWT_MEDIA_TYPE


def wanted_format(request):
    """
    ``?format=`` as the caller wrote it, else what content negotiation chose: the platform sets
    REST_FRAMEWORK["URL_FORMAT_OVERRIDE"] to None, so DRF itself never reads ``?format=`` there.
    """
    return (request.query_params.get("format") or request.accepted_renderer.format or "").lower()


def jwt_response(token):
    return HttpResponse(token, content_type=f"{JWT_MEDIA_TYPE}; charset=utf-8")


class PublicCredentialView(CreditsAPIView):
    """Anyone may read: no authentication, so no CSRF either."""

    authentication_classes = ()
    permission_classes = (permissions.AllowAny,)
    renderer_classes = (JSONRenderer, JWTRenderer)

    def finalize_response(self, request, response, *args, **kwargs):
        """Errors are JSON, also after ?format=jwt."""
        if isinstance(response, Response) and not isinstance(response.data, str) and isinstance(
                getattr(request, "accepted_renderer", None), JWTRenderer):
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)


class AwardCredentialView(PublicCredentialView):
    """The Open Badges 3.0 credential of one standing award (anyone with its public id)."""

    @documented(parameters=[FORMATS], responses={(200, "application/json"): OpenApiTypes.OBJECT,
                                                 (200, JWT_MEDIA_TYPE): OpenApiTypes.STR,
                                                 410: OpenApiResponse(s.ErrorSerializer),
                                                 503: OpenApiResponse(s.ErrorSerializer), **ERRORS})
    def get(self, request, award_uuid):
        credential, token = api.get_award_credential(award_uuid, api.site_root(request))
        return jwt_response(token) if wanted_format(request) == "jwt" else Response(credential)


class LearnerRecordView(CreditsAPIView):
    """The learner's record: every standing award's credential, in one verifiable presentation."""

    @documented(responses={200: OpenApiTypes.OBJECT, 503: OpenApiResponse(s.ErrorSerializer), **ERRORS})
    def get(self, request, username):
        learner = own_or_staff(request, username, "You can only download your own record.")
        return Response(api.get_learner_record(learner, api.site_root(request)))


class IssuerView(PublicCredentialView):
    """The site as an Open Badges issuer profile, with its public keys."""

    @documented(responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        return Response(api.issuer_profile(api.site_root(request)))


class IssuerKeysView(PublicCredentialView):
    """The public keys (JWKS) that verify what this site signed: new, active and retired ones."""

    @documented(responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        return Response(api.published_jwks(api.site_root(request)))


class StatusListView(PublicCredentialView):
    """A revocation list (W3C Bitstring Status List), signed: a JWT by default, ``?format=json`` unsigned."""

    renderer_classes = (JWTRenderer, JSONRenderer)

    @documented(parameters=[FORMATS], responses={(200, JWT_MEDIA_TYPE): OpenApiTypes.STR,
                                                 (200, "application/json"): OpenApiTypes.OBJECT,
                                                 503: OpenApiResponse(s.ErrorSerializer), **ERRORS})
    def get(self, request, list_id):
        found = api.get_status_list(list_id, api.site_root(request))
        response = Response(found["credential"]) if wanted_format(request) == "json" else jwt_response(found["jwt"])
        response["Cache-Control"] = "public, max-age=300"
        return response


class VerifyCredentialView(PublicCredentialView):
    """
    Check a credential: POST a VC-JWT (as text, or ``{"jwt": ...}``) or an Open Badges credential in
    JSON. The answer's ``status`` is valid, revoked, expired or invalid, with the reason.
    """

    parser_classes = (JSONParser, JWTParser, VCJWTParser)
    renderer_classes = (JSONRenderer,)

    @documented(request=OpenApiTypes.OBJECT, responses={200: s.VerificationSerializer, **ERRORS})
    def post(self, request):
        try:
            request.data  # noqa: B018  parsed here, where a body nested too deep can be answered
        except RecursionError as exc:
            raise api.CreditsValidationError("This JSON is nested too deeply to be a credential.", field_errors={
                "non_field_errors": ["This JSON is nested too deeply to be a credential."]}) from exc
        if not request.data:
            raise api.CreditsValidationError("Send a credential in JSON or a JWT.", field_errors={
                "non_field_errors": ["Send a credential in JSON or a JWT."]})
        return Response(api.verify_credential(request.data, api.site_root(request)))
