"""Awarding after the fact: backfill for learners who passed before, and re-applying a changed course."""
import datetime
import logging
import uuid as uuid_module

import attr
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from credits_plugin import platform
from credits_plugin.constants import ApprovalStatus, AwardSource, AwardStatus
from credits_plugin.data import AwardSnapshot
from credits_plugin.exceptions import CreditsValidationError
from credits_plugin.models import (
    AwardedCredit,
    AwardLogEntry,
    CourseCredit,
    CourseCreditReapplication,
    CourseCreditSettings,
)
from credits_plugin.services.approval import day_start, in_window
from credits_plugin.services.awards import AWARD_COLUMNS, award_state, snapshot
from credits_plugin.services.credentials import supersede_credentials
from credits_plugin.services.db import InsertIgnoring, retry_on_deadlock
from credits_plugin.services.notify import announce_backfilled
from credits_plugin.settings import credits_setting
from credits_plugin.validation import FieldErrors, clean_reason, parse_course_key

logger = logging.getLogger(__name__)

STATUS_KEY = "credits_plugin.backfill.v1.{course_key}"
STATUS_TIMEOUT = 7 * 24 * 3600


@attr.s(auto_attribs=True)
class BackfillCounts:
    """Progress of a backfill run."""

    expected_learners: int = 0  # passing when the run started (learners may pass meanwhile)
    learners: int = 0
    awarded: int = 0
    already_awarded: int = 0
    skipped_revoked: int = 0
    batches: int = 0

    def as_dict(self):
        return attr.asdict(self)


def _designations(course_key, *, require_enabled=False):
    """The course's approved designations (only those award: ``services.approval``)."""
    if require_enabled and not CourseCreditSettings.objects.filter(course_key=course_key, enabled=True).exists():
        raise CreditsValidationError(_("Credits are off for this course: switch them on before a backfill."),
                                     field_errors={"enabled": [_("Switch credits on first.")]})
    designations = list(CourseCredit.objects.filter(course_key=course_key).select_related("credit__credit_type"))
    if not designations:
        raise CreditsValidationError(_("This course awards no credits yet: choose its credits first."),
                                     field_errors={"course_id": [_("The course has no credits to award.")]})
    approved = [d for d in designations if d.approval_status == ApprovalStatus.APPROVED]
    if not approved:
        raise CreditsValidationError(_("None of this course's credits is approved yet: nothing can be awarded."),
                                     field_errors={"course_id": [_("The course's credits wait for approval.")]})
    return approved


def backfill_course_credits(course_key, *, batch_size=None, dry_run=False, progress=None):
    """
    Award the course's credits to every learner passing it now who does not hold them yet.

    Streams learners from the platform in batches of ``batch_size``: per batch, one query
    for the awards they hold and one bulk insert, so memory stays bounded whatever the
    course size. Safe to interrupt and run again: learners who hold an award are skipped,
    and revoked awards are never brought back. ``progress(counts)`` is called after each
    batch. Returns the counts (with ``dry_run``, what it would do).
    """
    course_key = parse_course_key(course_key)
    if batch_size is None:
        batch_size = credits_setting("CREDITS_BACKFILL_BATCH_SIZE")
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise CreditsValidationError(_("The batch size must be at least 1."),
                                     field_errors={"batch_size": [_("Use a whole number of 1 or more.")]})
    designations = _designations(course_key, require_enabled=True)
    counts = BackfillCounts(expected_learners=platform.count_passing_users(course_key))
    insert, templates = _award_inserter(designations, course_key)
    windows = {d.credit_id: (d.valid_from, d.valid_until) for d in designations
               if d.valid_from is not None or d.valid_until is not None}
    new_uuid = uuid_module.uuid4 if insert.connection.features.has_native_uuid_field else (
        lambda: uuid_module.uuid4().hex)
    # A course where nobody holds an award yet (credits just switched on: the usual backfill) needs no
    # look-up of held awards: the insert skips any award made meanwhile, and its row count says so.
    fresh = not AwardedCredit.objects.filter(course_key=course_key).exists()
    # An approval's window is judged by the day each learner passed, not the day the backfill runs.
    for batch in platform.iter_passing_user_ids(course_key, batch_size, with_pass_dates=bool(windows)):
        passed = dict(batch) if windows else dict.fromkeys(batch)
        user_ids = list(passed)
        held = {} if fresh else dict(
            ((user_id, credit_id), status) for user_id, credit_id, status in AwardedCredit.objects.filter(
                course_key=course_key, user_id__in=user_ids).values_list("user_id", "credit_id", "status"))
        rows = [(user_id, new_uuid(), *template) for user_id in user_ids
                for credit_id, template in templates if (user_id, credit_id) not in held
                and (credit_id not in windows or in_window(*windows[credit_id], passed[user_id]))]
        inserted = len(rows)
        if not dry_run:
            inserted = retry_on_deadlock(lambda rows=rows: _insert_batch(insert, rows), using=insert.using)
        counts.already_awarded += len(rows) - inserted  # awarded by a live event a moment before
        counts.learners += len(user_ids)
        counts.batches += 1
        counts.awarded += inserted
        counts.skipped_revoked += sum(1 for status in held.values() if status == AwardStatus.REVOKED)
        counts.already_awarded += sum(1 for status in held.values() if status == AwardStatus.AWARDED)
        if progress is not None:
            progress(counts)
    if not dry_run:
        announce_backfilled(course_key, counts.awarded, counts.already_awarded)
    logger.info("Backfill of %s%s: %s", course_key, " (dry run)" if dry_run else "", counts.as_dict())
    return counts


def _insert_batch(insert, rows):
    """A batch's awards in one transaction: one commit per batch, not one per row."""
    with transaction.atomic(using=insert.using):
        return insert.run(rows)


def _award_inserter(designations, course_key):
    """The prepared insert of backfilled awards, and per designation the prepared snapshot values."""
    insert = InsertIgnoring(AwardedCredit, AWARD_COLUMNS)
    now = timezone.now()
    templates = []
    for designation in designations:
        award = snapshot(designation, 0, course_key, source=AwardSource.BACKFILL, now=now)
        templates.append((designation.credit_id, tuple(
            insert.prep(name, getattr(award, "credit_id" if name == "credit" else name))
            for name in AWARD_COLUMNS[2:])))
    return insert, templates


def backfill_status(course_key):
    """The last known state of a course's queued or running backfill, or None."""
    return cache.get(STATUS_KEY.format(course_key=parse_course_key(course_key)))


def check_backfill(course_key):
    """Raise the error a backfill of this course would raise now (credits off, no credits)."""
    _designations(parse_course_key(course_key), require_enabled=True)


def record_backfill_status(course_key, state, counts=None):
    cache.set(STATUS_KEY.format(course_key=course_key),
              {"state": state, "updated": timezone.now().isoformat(), **(counts.as_dict() if counts else {})},
              STATUS_TIMEOUT)


def run_backfill(course_key, batch_size=None):
    """A backfill that records its state and progress for ``backfill_status`` (what the task runs)."""
    course_id = str(parse_course_key(course_key))
    record_backfill_status(course_id, "running")
    try:
        counts = backfill_course_credits(course_id, batch_size=batch_size,
                                         progress=lambda c: record_backfill_status(course_id, "running", c))
    except Exception:
        record_backfill_status(course_id, "failed")
        logger.exception("Backfill of course %s failed", course_id)
        raise
    record_backfill_status(course_id, "done", counts)
    return counts


def reapply_course_credits(course_key, *, acting_user, reason):
    """
    Bring the course's standing awards up to date with its designations, recorded with who and why.

    Updates amount and snapshot (credit and type names, unit, reference number) of every
    standing award whose values differ from the course's current designation, logs the
    previous values on each award, and records the re-application. Returns how many changed.
    """
    course_key = parse_course_key(course_key)
    errors = FieldErrors()
    reason = clean_reason(reason, errors)
    errors.raise_if_any()
    designations = _designations(course_key)
    actor = acting_user if getattr(acting_user, "pk", None) else None
    now, changed = timezone.now(), 0
    with transaction.atomic():
        for designation in designations:
            target = AwardSnapshot.of(designation).as_fields()
            credit_id = target.pop("credit_id")
            stale = AwardedCredit.objects.filter(course_key=course_key, credit_id=credit_id,
                                                 status=AwardStatus.AWARDED).exclude(**target)
            # An approval for other dates does not reach back to awards made outside them.
            if designation.valid_from is not None:
                stale = stale.filter(awarded_at__gte=day_start(designation.valid_from))
            if designation.valid_until is not None:
                stale = stale.filter(awarded_at__lt=day_start(designation.valid_until + datetime.timedelta(days=1)))
            changed_ids = []
            for award in stale.select_for_update().iterator(chunk_size=2000):
                AwardLogEntry.objects.create(award=award, action=AwardLogEntry.REAPPLIED, at=now, reason=reason,
                                             acting_user=actor, details=award_state(award) | {
                                                 "credit_name": award.credit_name, "unit": award.unit,
                                                 "translations": award.translations})
                changed_ids.append(award.pk)
                changed += 1
            stale.update(**target)
            supersede_credentials(changed_ids)  # what they certified is not what the awards say now
        CourseCreditReapplication.objects.create(course_key=course_key, acting_user=actor, reason=reason,
                                                 changed=changed)
    logger.info("Re-applied %s to %d past award(s).", course_key, changed)
    return changed
