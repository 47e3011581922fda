"""Credits in the learner dashboard MFE's API, through the real learner-home pipelines."""
from decimal import Decimal

import pytest
from opaque_keys.edx.keys import CourseKey
from openedx_filters.learning.filters import CourseEnrollmentAPIRenderStarted, CourseRunAPIRenderStarted

from credits_plugin import api
from tests.factories import (
    COURSE_ID,
    CourseCreditFactory,
    CourseCreditSettingsFactory,
    StandaloneCourseFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
ENROLLMENT = {"mode": "audit", "isEnrolled": True}


def render_card(course_key):
    """What the learner-home serializers do for one course card: the course run, then the enrollment."""
    courserun = CourseRunAPIRenderStarted.run_filter({"courseId": str(course_key), "isStarted": True})
    _, enrollment = CourseEnrollmentAPIRenderStarted.run_filter(course_key, dict(ENROLLMENT))
    return courserun, enrollment


def test_each_card_carries_the_course_s_credits_and_what_the_learner_earned(credits_course, learner, as_user):
    api.award_course_credits(learner, COURSE_ID)
    as_user(learner)
    courserun, enrollment = render_card(credits_course)
    offered = [{"creditName": "Ethics", "creditType": "CPA Ontario", "amount": "2.50", "unit": "CPD hours",
                "referenceNumber": "CPA-ETH-1"},
               {"creditName": "Leading", "creditType": "Management", "amount": "1.25", "unit": "hours",
                "referenceNumber": ""}]
    earned = sorted(courserun.pop("earnedCredits"), key=lambda e: e["creditName"])
    assert courserun == {"courseId": COURSE_ID, "isStarted": True, "offeredCredits": offered}
    assert enrollment == ENROLLMENT, "the enrollment keeps the platform's keys"
    assert [(e["creditName"], e["amount"], e["unit"], e["referenceNumber"]) for e in earned] == [
        ("Ethics", "2.50", "CPD hours", "CPA-ETH-1"), ("Leading", "1.25", "hours", "MGT-7")]


def test_revoked_awards_are_not_earned(credits_course, learner, staff_user, as_user):
    for award in api.award_course_credits(learner, COURSE_ID).created:
        api.revoke_award(award.uuid, acting_user=staff_user, reason="mistake")
    as_user(learner)
    courserun, _ = render_card(credits_course)
    assert courserun["earnedCredits"] == []
    assert len(courserun["offeredCredits"]) == 2


def test_a_course_without_credits_gets_empty_lists(course_key, learner, as_user):
    as_user(learner)
    courserun, enrollment = render_card(course_key)
    assert courserun["offeredCredits"] == [] and courserun["earnedCredits"] == []
    assert enrollment == ENROLLMENT


def test_another_learner_s_awards_never_show(credits_course, learner, as_user):
    api.award_course_credits(UserFactory(), COURSE_ID)
    as_user(learner)
    courserun, _ = render_card(credits_course)
    assert courserun["earnedCredits"] == []


def test_anonymous_requests_get_the_offer_and_no_awards(credits_course, learner):
    api.award_course_credits(learner, COURSE_ID)
    courserun, _ = render_card(credits_course)
    assert courserun["earnedCredits"] == [] and len(courserun["offeredCredits"]) == 2


def test_every_course_run_gets_the_same_keys(credits_course, learner, as_user):
    """The platform's tests compare the keys of the cards of one dashboard."""
    without_credits = CourseKey.from_string("course-v1:TestX+Plain+2026")
    as_user(learner)
    assert render_card(credits_course)[0].keys() == render_card(without_credits)[0].keys()


def test_twenty_enrollments_cost_at_most_two_queries(credits_course, learner, as_user, django_assert_max_num_queries):
    courses = [credits_course]
    for number in range(19):
        key = CourseKey.from_string(f"course-v1:TestX+Home{number}+2026")
        StandaloneCourseFactory(course_key=key, display_name=f"Home {number}")
        if number % 2:  # half the courses award credits, the others none
            CourseCreditSettingsFactory(course_key=key)
            CourseCreditFactory(course_key=key, amount=Decimal("1.00"))
            api.award_course_credits(learner, key)
        courses.append(key)
    api.award_course_credits(learner, COURSE_ID)
    as_user(learner)
    from django.core.cache import cache  # pylint: disable=import-outside-toplevel
    from edx_django_utils.cache import RequestCache  # pylint: disable=import-outside-toplevel

    cache.clear()  # cold: nothing cached anywhere
    RequestCache.clear_all_namespaces()
    with django_assert_max_num_queries(2):  # every course's cards together, then the learner's awards
        cards = [render_card(key) for key in courses]
    earned = sum(len(courserun["earnedCredits"]) for courserun, _ in cards)
    assert earned == 2 + 9
    assert sum(len(courserun["offeredCredits"]) for courserun, _ in cards) == 2 + 9
