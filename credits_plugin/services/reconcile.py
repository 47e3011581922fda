"""
Reconciliation: award what an event should have awarded and did not.

A receiver that cannot queue its task (the broker is down), a worker killed in the middle of
one, a database that went away: each can leave a learner who passes without the credits the
course awards. ``reconcile_course_credits`` finds them. For each automatic trigger it reads the
learner records that changed since its last run (passing grades; certificates for courses that
award on the certificate), in the courses that award on that trigger now, in bounded batches,
and inserts the awards missing, as the event would have made them (same source; dated when the
learner passed or was certified). Held and revoked awards are left as they are. It is safe to
run at any time, twice at once, or after being killed: the insert skips what exists, and the
watermark only moves past records whose batch committed.

What it costs when nothing is missing: per batch of changed records, three reads (the records,
which learners exist, which awards they hold) and the watermark's update.
"""
import datetime
import logging
import uuid as uuid_module

import attr
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from credits_plugin import platform
from credits_plugin.constants import ApprovalStatus, AwardSource, AwardStatus, AwardTrigger
from credits_plugin.data import AwardData, AwardSnapshot
from credits_plugin.exceptions import CreditsValidationError
from credits_plugin.models import AwardedCredit, CourseCredit, CourseCreditSettings, ReconciliationWatermark
from credits_plugin.services.approval import in_window
from credits_plugin.services.awards import insert_awards
from credits_plugin.services.notify import announce_awarded
from credits_plugin.settings import credits_setting

logger = logging.getLogger(__name__)

TRIGGERS = {AwardTrigger.PASSING: AwardSource.PASSING, AwardTrigger.CERTIFICATE: AwardSource.CERTIFICATE}


@attr.s(auto_attribs=True)
class ReconcileCounts:
    """What a reconciliation run did."""

    courses: int = 0  # courses awarding on an automatic trigger
    examined: int = 0  # qualifying learner records that changed since the last run
    awarded: int = 0  # awards it made (in a dry run: would make)
    batches: int = 0

    def as_dict(self):
        return attr.asdict(self)


def reconcile_course_credits(*, batch_size=None, full=False, dry_run=False):
    """
    Award, in every course that awards credits on passing or on the certificate, the learners who
    qualify and hold none of its credits, looking only at records changed since the last run
    (``full``: at all of them). Returns the counts (with ``dry_run``, what it would do, and the
    watermark stays where it was).
    """
    if batch_size is None:
        batch_size = credits_setting("CREDITS_RECONCILE_BATCH_SIZE")
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise CreditsValidationError(_("The batch size must be at least 1."),
                                     field_errors={"batch_size": [_("Use a whole number of 1 or more.")]})
    overlap = datetime.timedelta(seconds=credits_setting("CREDITS_RECONCILE_OVERLAP_SECONDS"))
    counts = ReconcileCounts()
    for trigger, source in TRIGGERS.items():
        started = timezone.now()
        watermark, _created = ReconciliationWatermark.objects.get_or_create(trigger=trigger)
        # Records are stamped by the clocks of the processes that wrote them, and commit a moment
        # after: look again at the last ``overlap`` seconds before the watermark.
        since = None if full or watermark.changed_until is None else watermark.changed_until - overlap
        courses = _awarding_courses(trigger)
        counts.courses += len(courses)
        awarded = 0
        if courses:
            for batch in platform.iter_qualifying_changes(trigger, list(courses), since, batch_size):
                made = _award_missing(batch, courses, source, dry_run)
                awarded += made
                counts.examined += len(batch)
                counts.batches += 1
                if not dry_run:
                    _advance(watermark, min(batch[-1].changed_at, started))
        counts.awarded += awarded
        if not dry_run:
            _advance(watermark, started, last_run=timezone.now(), last_awarded=awarded)
    logger.info("Reconciliation%s: %s", " (dry run)" if dry_run else "", counts.as_dict())
    return counts


def _awarding_courses(trigger):
    """
    ``{course key: [(AwardSnapshot, valid_from, valid_until), ...]}`` of the approved credits of every
    course whose credits are on and award on ``trigger``.
    """
    enabled = CourseCreditSettings.objects.filter(enabled=True, award_trigger=trigger).values("course_key")
    courses = {}
    for designation in (CourseCredit.objects.filter(course_key__in=enabled, approval_status=ApprovalStatus.APPROVED)
                        .select_related("credit__credit_type").order_by("course_key", "credit_id")):
        courses.setdefault(designation.course_key, []).append(
            (AwardSnapshot.of(designation), designation.valid_from, designation.valid_until))
    return courses


def _award_missing(batch, courses, source, dry_run):
    """Insert, in one transaction, the awards the learners of ``batch`` lack; returns how many went in."""
    user_ids = {change.user_id for change in batch}
    usernames = dict(get_user_model().objects.filter(pk__in=user_ids).values_list("pk", "username"))
    held = set(AwardedCredit.objects.filter(user_id__in=user_ids, course_key__in={c.course_key for c in batch})
               .values_list("user_id", "course_key", "credit_id"))
    now = timezone.now()
    missing = [
        AwardData(uuid=uuid_module.uuid4(), user_id=change.user_id, username=usernames[change.user_id],
                  course_key=change.course_key, course_name=str(change.course_key), **terms.as_fields(),
                  source=source, status=AwardStatus.AWARDED,
                  awarded_at=min(change.qualified_at or now, now))
        for change in batch if change.user_id in usernames  # a learner deleted since: nothing to award
        for terms, valid_from, valid_until in courses.get(change.course_key, ())
        if (change.user_id, change.course_key, terms.credit_id) not in held
        and in_window(valid_from, valid_until, change.qualified_at or now)
    ]
    if dry_run or not missing:
        return len(missing)
    with transaction.atomic():
        created = insert_awards(missing)
        announce_awarded(created)
    for award in created:
        logger.info("Reconciliation awarded %s in %s to user %s (%s).", award.credit_name, award.course_key,
                    award.user_id, source)
    return len(created)


def _advance(watermark, changed_until, **fields):
    """Move the watermark forward, never back (two runs at once may finish in either order)."""
    rows = ReconciliationWatermark.objects.filter(pk=watermark.pk)
    rows.filter(Q(changed_until__isnull=True) | Q(changed_until__lt=changed_until)).update(
        changed_until=changed_until)
    if fields:
        rows.update(**fields)


def reconciliation_state():
    """``{trigger: (changed_until, last_run, last_awarded)}`` of the triggers reconciliation has run for."""
    return {w.trigger: (w.changed_until, w.last_run, w.last_awarded) for w in ReconciliationWatermark.objects.all()}
