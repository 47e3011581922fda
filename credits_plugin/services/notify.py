"""Tell others about awards and revocations, once the transaction that made them commits."""
import logging

from django.db import transaction

from credits_plugin import signals
from credits_plugin.constants import AwardStatus

logger = logging.getLogger(__name__)

TRACKING_AWARDED = "edx.course_credits.awarded"
TRACKING_REVOKED = "edx.course_credits.revoked"


def _event_data(award):
    return signals.CourseCreditAwardData(
        uuid=str(award.uuid), user_id=award.user_id, course_key=award.course_key, credit_id=award.credit_id,
        credit_name=award.credit_name, credit_type_name=award.credit_type_name, unit=award.unit,
        amount=f"{award.amount:.2f}", reference_number=award.reference_number, source=award.source,
        status=award.status, awarded_at=award.awarded_at,
    )


def _tracking_payload(award):
    return {
        "award_uuid": str(award.uuid), "user_id": award.user_id, "course_id": str(award.course_key),
        "credit_id": award.credit_id, "credit_name": award.credit_name,
        "credit_type_name": award.credit_type_name, "amount": f"{award.amount:.2f}", "unit": award.unit,
        "reference_number": award.reference_number, "source": award.source, "status": award.status,
    }


def _emit_tracking(name, payload):
    """An Open edX tracking-log event, when event-tracking is installed (it is in the LMS)."""
    try:
        from eventtracking import tracker  # pylint: disable=import-outside-toplevel
    except ImportError:
        return
    try:
        default = tracker.get_tracker()
    except KeyError:  # event-tracking installed but no tracker set up (outside the LMS)
        return
    default.emit(name, payload)


def _safely(what, award, function):
    try:
        function()
    except Exception:  # pylint: disable=broad-except
        logger.exception("Could not send %s for award %s (course %s, user %s)", what, award.uuid,
                         award.course_key, award.user_id)


def _send_awarded(awards):
    listened = signals.COURSE_CREDIT_AWARDED.has_listeners()  # (the event bus's producer is one)
    for award in awards:
        _safely("credit_awarded", award, lambda a=award: signals.credit_awarded.send_robust(sender=None, award=a))
        if listened:  # openedx-events builds metadata and logs even for no receiver: ~40 us an award
            _safely(signals.COURSE_CREDIT_AWARDED.event_type, award,
                    lambda a=award: signals.COURSE_CREDIT_AWARDED.send_event(course_credit=_event_data(a)))
        _safely(TRACKING_AWARDED, award, lambda a=award: _emit_tracking(TRACKING_AWARDED, _tracking_payload(a)))
    _send_requirements_met(awards)


def _send_requirements_met(awards):
    """What these awards made each learner meet (a failure is logged: the awards stand regardless)."""
    from credits_plugin.services.requirements import announce_requirements_met  # pylint: disable=import-outside-toplevel

    by_learner = {}
    for award in awards:
        by_learner.setdefault(award.user_id, []).append(award)
    for user_id, theirs in by_learner.items():
        _safely("requirement_met", theirs[0],
                lambda u=user_id, t=theirs: announce_requirements_met(u, [a.uuid for a in t]))


def _send_revoked(award):
    _safely("credit_revoked", award, lambda: signals.credit_revoked.send_robust(sender=None, award=award))
    if award.course_key is None:  # earned elsewhere: not a course's credit, so no course credit event
        return
    revocation = signals.CourseCreditRevocationData(
        award=_event_data(award), revoked_at=award.revoked_at, reason=award.reason)
    _safely(signals.COURSE_CREDIT_REVOKED.event_type, award,
            lambda: signals.COURSE_CREDIT_REVOKED.send_event(course_credit_revocation=revocation))
    payload = dict(_tracking_payload(award), reason=award.reason)
    _safely(TRACKING_REVOKED, award, lambda: _emit_tracking(TRACKING_REVOKED, payload))


def announce_awarded(awards):
    """After commit: credit_awarded, COURSE_CREDIT_AWARDED and a tracking event per award."""
    awards = [a for a in awards if a.status == AwardStatus.AWARDED]
    if awards:
        transaction.on_commit(lambda: _send_awarded(awards))


def announce_external_award(award):
    """After commit: what an approved credit earned elsewhere made its learner meet (no course events)."""
    transaction.on_commit(lambda: _send_requirements_met([award]))


def announce_revoked(award):
    """After commit: credit_revoked, COURSE_CREDIT_REVOKED and a tracking event."""
    transaction.on_commit(lambda: _send_revoked(award))


def announce_backfilled(course_key, awarded, already_awarded):
    """After a backfill run: one credits_backfilled signal with the counts."""
    transaction.on_commit(lambda: signals.credits_backfilled.send_robust(
        sender=None, course_key=course_key, awarded=awarded, already_awarded=already_awarded))
