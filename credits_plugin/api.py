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
from credits_plugin.exceptions import (
    CreditsConflict,
    CreditsError,
    CreditsInUse,
    CreditsNotFound,
    CreditsValidationError,
)
from credits_plugin.services.awards import award_course_credits, get_award, manual_award, revoke_award
from credits_plugin.services.courses import (
    get_course_settings,
    list_course_credits,
    set_course_enabled,
    set_course_settings,
)
from credits_plugin.services.reports import count_course_awards, get_learner_summary, iter_course_awards
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
    update_credit_type,
)

__all__ = [
    # errors
    "CreditsError",
    "CreditsValidationError",
    "CreditsNotFound",
    "CreditsInUse",
    "CreditsConflict",
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
    # awards
    "award_course_credits",
    "manual_award",
    "revoke_award",
    "get_award",
    # reports
    "get_learner_summary",
    "iter_course_awards",
    "count_course_awards",
]
