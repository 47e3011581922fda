"""User retirement: remove a learner's awards and their name from every record the plugin keeps."""
import logging

from django.db import transaction
from django.db.models import Q

from credits_plugin.models import (
    AwardedCredit,
    AwardLogEntry,
    CourseCredit,
    CourseCreditReapplication,
    CourseCreditSettings,
    Credit,
    CreditRequirement,
    CreditType,
    ExternalCredit,
    IssuedCredential,
    ReminderOptOut,
    RequirementAssignment,
    RequirementReminder,
)
from credits_plugin.services.credentials import forget_award_status
from credits_plugin.services.external import delete_evidence_files

logger = logging.getLogger(__name__)

AUDITED_MODELS = (CreditType, Credit, CourseCreditSettings, CourseCredit, CreditRequirement, RequirementAssignment)


@transaction.atomic
def retire_learner(user_id):
    """
    Delete the user's awards (and their log), their reports of credits earned elsewhere (with
    their history and evidence files), their requirement assignments (and their history), and
    unlink the user from what they did to others.

    The user row is kept by the platform, so nothing cascades on its own: the audit history
    of types, credits and courses, and the awards or revocations they made as staff, keep
    their content but no longer name them. Returns how many awards were removed.
    """
    user_id = int(user_id)
    # Credits earned elsewhere first (they hold their awards), with their history; files once committed.
    files = [name for name in ExternalCredit.objects.filter(user_id=user_id).values_list("evidence", flat=True)
             if name]
    ExternalCredit.objects.filter(user_id=user_id).delete()
    ExternalCredit.history.filter(user_id=user_id).delete()
    ExternalCredit.objects.filter(reviewed_by_id=user_id).update(reviewed_by=None)
    ExternalCredit.history.filter(reviewed_by_id=user_id).update(reviewed_by=None)
    ExternalCredit.history.filter(history_user_id=user_id).update(history_user=None)
    if files:
        transaction.on_commit(lambda: delete_evidence_files(files))
    RequirementAssignment.objects.filter(user_id=user_id).delete()  # the learner's cycle start dates
    RequirementAssignment.history.filter(user_id=user_id).delete()
    RequirementReminder.objects.filter(user_id=user_id).delete()
    ReminderOptOut.objects.filter(user_id=user_id).delete()
    AwardLogEntry.objects.filter(award__user_id=user_id).delete()
    # Issued credentials stay (their status-list slots must read revoked once the awards are gone),
    # emptied of the salted hash of the learner's email.
    award_ids = list(AwardedCredit.objects.filter(user_id=user_id).values_list("id", flat=True))
    IssuedCredential.objects.filter(Q(award_id__in=award_ids) | Q(user_id=user_id)).update(
        credential="", award=None, user=None)
    forget_award_status(award_ids)
    removed, _details = AwardedCredit.objects.filter(user_id=user_id).delete()
    AwardedCredit.objects.filter(awarded_by_id=user_id).update(awarded_by=None)
    AwardedCredit.objects.filter(revoked_by_id=user_id).update(revoked_by=None)
    AwardLogEntry.objects.filter(acting_user_id=user_id).update(acting_user=None)
    CourseCreditReapplication.objects.filter(acting_user_id=user_id).update(acting_user=None)
    for model in AUDITED_MODELS:
        model.history.filter(history_user_id=user_id).update(history_user=None)
    for field in ("requested_by", "approved_by"):  # who asked for a course's credit, and who decided it
        CourseCredit.objects.filter(**{f"{field}_id": user_id}).update(**{field: None})
        CourseCredit.history.filter(**{f"{field}_id": user_id}).update(**{field: None})
    logger.info("Retired user %s: removed %d award row(s).", user_id, removed)
    return removed
