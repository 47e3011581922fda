"""
The public Python API of Course Credits.

Every other module (REST, Studio page, admin actions, XBlock, receivers,
commands) goes through these functions. They take ids, keys (CourseKey or
string) and users, return frozen objects from ``credits_plugin.data`` (never
models or QuerySets), and raise the errors of ``credits_plugin.exceptions``:
``CreditsValidationError`` (nothing was written), ``CreditsNotFound``,
``CreditsInUse``, ``CreditsConflict``.

The rules live behind these functions, written once:

* a credit under a type that requires reference numbers carries one;
* a course carries at most one credit of a type that forbids several;
* amounts are > 0, at most 999.99, with two decimal places;
* archived types and credits cannot be newly designated, but existing
  designations and awards keep working;
* a type or credit that is designated or awarded cannot be deleted;
* an award keeps a snapshot of what was earned; later edits never change it.
"""
from credits_plugin import platform as _platform
from credits_plugin.constants import EVIDENCE_MAX_BYTES, AwardTrigger
from credits_plugin.exceptions import (
    CreditsConflict,
    CreditsError,
    CreditsGone,
    CreditsInUse,
    CreditsNotFound,
    CreditsPermissionDenied,
    CreditsUnavailable,
    CreditsValidationError,
)
from credits_plugin.services import approval as _approval
from credits_plugin.services import backfill as _backfill
from credits_plugin.services.approval import (
    can_approve_designations,
    get_designation,
    list_designations,
    reject_designation,
)
from credits_plugin.services.awards import (
    award_course_credits,
    get_award,
    get_award_log,
    get_certificate_urls,
    get_public_award,
    manual_award,
    revoke_award,
)
from credits_plugin.services.backfill import backfill_course_credits, reapply_course_credits, run_backfill
from credits_plugin.services.convert import AWARD_REPORT_COLUMNS
from credits_plugin.services.course_cache import forget_course as forget_course_flags
from credits_plugin.services.courses import (
    course_card,
    course_cards,
    enabled_course_credits,
    forget_credit_change,
    get_course_settings,
    list_course_credits,
    set_course_enabled,
    set_course_settings,
)
from credits_plugin.services.credentials import activate_key as activate_signing_key
from credits_plugin.services.credentials import (
    credentials_available,
    get_award_credential,
    get_learner_record,
    get_status_list,
    issuer_profile,
    published_jwks,
    site_root,
)
from credits_plugin.services.credentials import generate_key as generate_signing_key
from credits_plugin.services.credentials import list_keys as list_signing_keys
from credits_plugin.services.credentials import revoke_key as revoke_signing_key
from credits_plugin.services.credentials import verify as verify_credential
from credits_plugin.services.db import write_clash_conflict
from credits_plugin.services.external import (
    approve_external_credit,
    get_external_credit,
    is_reviewer,
    list_external_credits,
    list_own_external_credits,
    open_evidence,
    reject_external_credit,
    submit_external_credit,
)
from credits_plugin.services.reconcile import reconcile_course_credits, reconciliation_state
from credits_plugin.services.reminders import reminders_enabled, send_requirement_reminders, set_reminders
from credits_plugin.services.reports import (
    count_course_awards,
    get_learner_course_awards,
    get_learner_summary,
    iter_course_awards,
    iter_course_report_rows,
    list_learner_awards,
    page_course_awards,
)
from credits_plugin.services.requirements import (
    assign_learners,
    compliance_requirement,
    create_requirement,
    delete_requirement,
    get_learner_requirements,
    get_requirement,
    iter_compliance,
    iter_compliance_lines,
    list_assignments,
    list_requirements,
    parse_assignment_csv,
    progress_day,
    update_requirement,
)
from credits_plugin.services.retirement import retire_learner
from credits_plugin.services.structure import (
    archive_credit,
    archive_credit_type,
    create_credit,
    create_credit_type,
    delete_credit,
    delete_credit_type,
    get_credit,
    get_credit_type,
    list_credit_types,
    list_credits,
    update_credit,
)
from credits_plugin.services.structure import update_credit_type as _update_credit_type
from credits_plugin.services.triggers import award_on_trigger, course_award_flags, revoke_for_revoked_certificate
from credits_plugin.settings import credits_setting
from credits_plugin.validation import (
    CREDIT_TRANSLATED,
    TYPE_TRANSLATED,
    amount_from_input,
    format_amount,
    parse_course_key,
    parse_id,
    translation_languages,
)

# (value, label) of the award triggers, for forms.
AWARD_TRIGGER_CHOICES = AwardTrigger.choices

__all__ = [
    "AWARD_TRIGGER_CHOICES",
    "AWARD_REPORT_COLUMNS",
    # amounts as people read and type them
    "format_amount",
    "CREDIT_TRANSLATED",
    "TYPE_TRANSLATED",
    "amount_from_input",
    # errors
    "CreditsError",
    "CreditsValidationError",
    "CreditsNotFound",
    "CreditsInUse",
    "CreditsConflict",
    "CreditsPermissionDenied",
    "CreditsGone",
    "CreditsUnavailable",
    "write_clash_conflict",  # MySQL gave up a write that met another: the CreditsConflict people see
    # credit structure
    "list_credit_types",
    "get_credit_type",
    "create_credit_type",
    "update_credit_type",
    "archive_credit_type",
    "delete_credit_type",
    "list_credits",
    "get_credit",
    "create_credit",
    "update_credit",
    "archive_credit",
    "delete_credit",
    # courses
    "get_course_settings",
    "set_course_settings",
    "set_course_enabled",
    "list_course_credits",
    "enabled_course_credits",
    "course_cards",
    "course_card",
    # approval of courses' credits (types that require it)
    "list_designations",
    "get_designation",
    "approve_designation",
    "reject_designation",
    "can_approve_designations",
    # credits earned elsewhere
    "submit_external_credit",
    "list_external_credits",
    "list_own_external_credits",
    "get_external_credit",
    "open_evidence",
    "approve_external_credit",
    "reject_external_credit",
    "list_requirements",
    "get_requirement",
    "create_requirement",
    "update_requirement",
    "delete_requirement",
    "get_learner_requirements",
    "list_assignments",
    "assign_learners",
    "parse_assignment_csv",
    "compliance_requirement",
    "iter_compliance",
    "iter_compliance_lines",
    "progress_day",
    "reminders_enabled",
    "set_reminders",
    "send_requirement_reminders",
    "is_reviewer",
    "EVIDENCE_MAX_BYTES",
    # awards
    "award_course_credits",
    "manual_award",
    "revoke_award",
    "get_award",
    "get_award_log",
    "get_public_award",
    "get_certificate_urls",
    # portable credentials (Open Badges 3.0)
    "credentials_available",
    "get_award_credential",
    "get_learner_record",
    "issuer_profile",
    "published_jwks",
    "get_status_list",
    "verify_credential",
    "site_root",
    "generate_signing_key",
    "activate_signing_key",
    "revoke_signing_key",
    "list_signing_keys",
    # events and after-the-fact awarding
    "course_award_flags",
    "forget_course_flags",
    "forget_credit_change",
    "award_on_trigger",
    "revoke_for_revoked_certificate",
    "backfill_course_credits",
    "start_backfill",
    "run_backfill",
    "get_backfill_status",
    "reapply_course_credits",
    "reconcile_course_credits",
    "reconciliation_state",
    "retire_learner",
    # reports
    "get_learner_summary",
    "get_learner_course_awards",
    "list_learner_awards",
    "iter_course_awards",
    "iter_course_report_rows",
    "page_course_awards",
    # helpers
    "parse_course_key",
    "parse_id",
    "count_course_awards",
    # access and the platform's answers
    "can_change_course",
    "is_course_staff",
    "get_course_name",
    "get_user_by_username",
    "course_app_base",
    "credits_setting",
    # pages
    "get_page_base_template",
    "frame_page",
    "get_page_links",
    "translation_languages",
]


def approve_designation(designation_id, **kwargs):
    """
    Approve a course's credit waiting for approval (``services.approval.approve_designation``),
    then award it to the learners who passed while it waited: a backfill of the course is queued
    when the transaction commits, if the course awards on passing or on the certificate.
    """
    decided = _approval.approve_designation(designation_id, **kwargs)
    _award_who_passed_while_waiting([decided.course_key])
    return decided


def update_credit_type(type_id, *, user=None, **changes):
    """
    Change some fields of a credit type (``services.structure.update_credit_type``). Switching
    ``requires_approval`` off approves its courses' credits that waited or were rejected, and
    queues a backfill of each of those courses, as an approval does.
    """
    waiting = _approval.courses_waiting_on_type(type_id) if changes.get("requires_approval") is False else []
    updated = _update_credit_type(type_id, user=user, **changes)
    _award_who_passed_while_waiting(waiting)
    return updated


def _award_who_passed_while_waiting(course_keys):
    for course_key in course_keys:
        flags = course_award_flags(course_key)
        if flags.enabled and flags.award_trigger in (AwardTrigger.PASSING, AwardTrigger.CERTIFICATE):
            start_backfill(course_key)


def start_backfill(course_key, batch_size=None):
    """
    Queue a backfill of the course as a Celery task once the current transaction commits.

    Checks at once that a backfill can run (credits on, credits designated); its progress
    is then readable with ``get_backfill_status``.
    """
    from django.db import transaction  # pylint: disable=import-outside-toplevel

    from credits_plugin.tasks import backfill_course_credits_task  # pylint: disable=import-outside-toplevel

    _backfill.check_backfill(course_key)
    course_id = str(_backfill.parse_course_key(course_key))
    _backfill.record_backfill_status(course_id, "queued")
    transaction.on_commit(lambda: backfill_course_credits_task.delay(course_id, batch_size))


def get_backfill_status(course_key):
    """``{"state": "queued"|"running"|"done"|"failed", "learners", "awarded", ...}`` or None."""
    return _backfill.backfill_status(course_key)


def get_page_base_template(surface):
    """The platform's page that the plugin's pages extend ("lms" or "studio" audience)."""
    return _platform.get_page_base_template(surface)


def frame_page(request, parts, course_key=None):
    """A page of the plugin put together from its parts (title, bodyclass, head, body) in the platform's own page."""
    return _platform.frame_page(request, parts, course_key=course_key)


def get_page_links(course_key=None):
    """Where the plugin's pages lead back to: the dashboard, the course's instructor dashboard and Studio page."""
    return _platform.get_page_links(course_key)


def can_change_course(user, course_key):
    """
    Whether ``user`` (a user or a user id) may change the course's content and credits: Studio
    write access (global staff, the course's staff and instructors, org roles).
    """
    from django.contrib.auth import get_user_model  # pylint: disable=import-outside-toplevel

    if user is None or isinstance(user, bool):
        return False
    if isinstance(user, int):
        user = get_user_model().objects.filter(pk=user, is_active=True).first()
    return _platform.has_studio_write_access(user, parse_course_key(course_key))


def is_course_staff(user, course_key):
    """Whether ``user`` is staff of the course in the LMS (or global staff): its reports and manual awards."""
    return _platform.has_course_staff_access(user, parse_course_key(course_key))


def get_course_name(course_key):
    """The course's display name, or its id when the platform does not know it."""
    course_key = parse_course_key(course_key)
    return _platform.get_course_names([course_key]).get(str(course_key), str(course_key))


def get_user_by_username(username):
    """The user with this username, or None."""
    return _platform.get_user_by_username(username)


def course_app_base():
    """The base class of Studio course apps: the platform's ``CourseApp`` inside Open edX, else ``object``."""
    from credits_plugin.platform.course_apps import course_app_base as base  # pylint: disable=import-outside-toplevel

    return base()
