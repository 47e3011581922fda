"""Errors raised by ``credits_plugin.api``.

Every door (REST, Studio page, admin, commands) turns them into the user's
kind of error: a 4xx with ``error_code`` and ``field_errors``, a form error, a
command's exit code and sentence.
"""


class CreditsError(Exception):
    """Base class of every error the API raises on purpose."""

    error_code = "credits_error"
    http_status = 400

    def __init__(self, message, field_errors=None):
        super().__init__(message)
        self.message = str(message)
        self.field_errors = {key: [str(m) for m in msgs] for key, msgs in (field_errors or {}).items()}

    def as_dict(self):
        """The JSON error shape of the REST API."""
        return {"error_code": self.error_code, "developer_message": self.message, "field_errors": self.field_errors}


class CreditsValidationError(CreditsError):
    """Bad input: nothing was written."""

    error_code = "validation_error"
    http_status = 400


class CreditsNotFound(CreditsError):
    """The type, credit, course or award asked for does not exist."""

    error_code = "not_found"
    http_status = 404


class CreditsInUse(CreditsError):
    """A type or credit that has designations or awards cannot be deleted."""

    error_code = "in_use"
    http_status = 409


class CreditsConflict(CreditsError):
    """The request contradicts the current state (e.g. revoking a revoked award)."""

    error_code = "conflict"
    http_status = 409


class CreditsPermissionDenied(CreditsError):
    """The user may not do this (e.g. decide a course credit they asked for themselves)."""

    error_code = "permission_denied"
    http_status = 403


class CreditsGone(CreditsError):
    """What was asked for existed and no longer stands (e.g. the credential of a revoked award)."""

    error_code = "gone"
    http_status = 410


class CreditsUnavailable(CreditsError):
    """The site is not set up for this yet (e.g. no key signs credentials): an operator can fix it."""

    error_code = "unavailable"
    http_status = 503
