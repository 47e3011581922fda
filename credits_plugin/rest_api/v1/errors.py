"""The one error shape of the API: {"error_code", "developer_message", "field_errors"}."""
import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import set_rollback

from credits_plugin import api

logger = logging.getLogger(__name__)

DRF_CODES = {
    exceptions.NotAuthenticated: "not_authenticated",
    exceptions.AuthenticationFailed: "authentication_failed",
    exceptions.PermissionDenied: "permission_denied",
    exceptions.NotFound: "not_found",
    exceptions.MethodNotAllowed: "method_not_allowed",
    exceptions.NotAcceptable: "not_acceptable",
    exceptions.UnsupportedMediaType: "unsupported_media_type",
    exceptions.ParseError: "parse_error",
    exceptions.Throttled: "throttled",
    exceptions.ValidationError: "validation_error",
}


def error_body(error_code, message, field_errors=None):
    return {"error_code": error_code, "developer_message": str(message), "field_errors": field_errors or {}}


def _flatten(detail, prefix=""):
    """DRF's nested error details as {"field.sub": [messages]}."""
    if isinstance(detail, dict):
        flat = {}
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            flat.update(_flatten(value, name))
        return flat
    if isinstance(detail, list) and detail and isinstance(detail[0], (dict, list)):
        flat = {}
        for index, value in enumerate(detail):
            flat.update(_flatten(value, f"{prefix}.{index}" if prefix else str(index)))
        return flat
    messages = detail if isinstance(detail, list) else [detail]
    return {prefix or "non_field_errors": [str(m) for m in messages]}


def exception_handler(exc, context):
    """
    Turn every error into the API's shape; never a 500 for bad input.

    As DRF's own handler does, a refused request's transaction is rolled back: the platform runs
    each request in one (``ATOMIC_REQUESTS``), and nothing of a refused request may be committed.
    """
    response = _error_response(exc, context)
    if response is not None:
        set_rollback()
    return response


def _error_response(exc, context):
    """The API's answer to ``exc``, or None for a real bug (Django logs it as a 500)."""
    conflict = api.write_clash_conflict(exc)
    if conflict is not None:
        # Another request wrote the same rows at the same moment and MySQL rolled this one back.
        logger.warning("%s %s met a concurrent write (%s); answered 409.", context["request"].method,
                       context["request"].path, exc)
        exc = conflict
    if isinstance(exc, api.CreditsError):
        return Response(exc.as_dict(), status=exc.http_status)
    if isinstance(exc, (RequestDataTooBig, TooManyFieldsSent)):
        # Django refuses a body over DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB by default) while DRF parses it.
        return Response(error_body("request_too_large", _("The request body is too large.")), status=400)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if isinstance(exc, exceptions.APIException):
        code = next((c for cls, c in DRF_CODES.items() if isinstance(exc, cls)), "error")
        field_errors = {}
        if isinstance(exc, exceptions.ValidationError):
            field_errors = _flatten(exc.detail)
            message = next(iter(field_errors.values()))[0] if field_errors else "Invalid input."
        else:
            message = exc.detail if not isinstance(exc.detail, (dict, list)) else str(exc.detail)
        response = Response(error_body(code, message, field_errors), status=exc.status_code)
        if getattr(exc, "auth_header", None):
            response["WWW-Authenticate"] = exc.auth_header
        if getattr(exc, "wait", None):
            response["Retry-After"] = str(int(exc.wait))
        return response
    return None  # a real bug: let Django log it as a 500

