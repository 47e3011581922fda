"""
What Course Credits tells others: Django signals and openedx-events public signals.

``credit_awarded`` / ``credit_revoked`` are plain Django signals sent with
``award`` (a ``credits_plugin.data.AwardData``). ``COURSE_CREDIT_AWARDED`` /
``COURSE_CREDIT_REVOKED`` are openedx-events public signals that an operator can
put on the event bus (``EVENT_BUS_PRODUCER_CONFIG``). This module is imported at
the top of ``credits_plugin.apps`` so they exist before openedx-events checks
that configuration at start-up.

Both kinds are sent after the award's transaction commits. A backfill does not
send one event per award (it may create hundreds of thousands); it sends
``credits_backfilled`` once per run with the counts.
"""
from datetime import datetime

import attr
from django.dispatch import Signal
from opaque_keys.edx.keys import CourseKey
from openedx_events.tooling import OpenEdxPublicSignal

# Django signals: send(sender=None, award=AwardData)
credit_awarded = Signal()
credit_revoked = Signal()
# send(sender=None, course_key=CourseKey, awarded=int, already_awarded=int)
credits_backfilled = Signal()
# send(sender=None, user_id=int, requirement=RequirementProgressData): an award made the learner meet
# a continuing-education requirement for its current period.
requirement_met = Signal()


@attr.s(frozen=True)
class CourseCreditAwardData:
    """One awarded (or revoked) credit, as put on the event bus. No username or email: ids only."""

    uuid = attr.ib(type=str)
    user_id = attr.ib(type=int)
    course_key = attr.ib(type=CourseKey)
    credit_id = attr.ib(type=int)
    credit_name = attr.ib(type=str)
    credit_type_name = attr.ib(type=str)
    unit = attr.ib(type=str)
    amount = attr.ib(type=str)  # two decimals, as the REST API sends it
    reference_number = attr.ib(type=str)
    source = attr.ib(type=str)
    status = attr.ib(type=str)
    awarded_at = attr.ib(type=datetime)


@attr.s(frozen=True)
class CourseCreditRevocationData:
    """A revoked credit: the award as it stood, and when and why it was revoked."""

    award = attr.ib(type=CourseCreditAwardData)
    revoked_at = attr.ib(type=datetime)
    reason = attr.ib(type=str)


COURSE_CREDIT_AWARDED = OpenEdxPublicSignal(
    event_type="org.openedx.learning.course_credit.awarded.v1",
    data={"course_credit": CourseCreditAwardData},
)
COURSE_CREDIT_REVOKED = OpenEdxPublicSignal(
    event_type="org.openedx.learning.course_credit.revoked.v1",
    data={"course_credit_revocation": CourseCreditRevocationData},
)


@attr.s(frozen=True)
class CreditRequirementMetData:
    """A learner met a continuing-education requirement for its current period. Ids only, no username."""

    user_id = attr.ib(type=int)
    requirement_id = attr.ib(type=int)
    requirement_name = attr.ib(type=str)
    unit = attr.ib(type=str)
    required = attr.ib(type=str)  # two decimals, as the REST API sends amounts
    counted = attr.ib(type=str)  # what counts in the period: earned in it, and carried over into it
    period_start = attr.ib(type=str)  # YYYY-MM-DD, the site's calendar day
    period_end = attr.ib(type=str)  # YYYY-MM-DD, included
    met_at = attr.ib(type=datetime)


COURSE_CREDIT_REQUIREMENT_MET = OpenEdxPublicSignal(
    event_type="org.openedx.learning.course_credit.requirement.met.v1",
    data={"requirement_met": CreditRequirementMetData},
)
