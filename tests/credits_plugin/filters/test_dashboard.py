"""The learner's credit totals on the legacy dashboard, through the real DashboardRenderStarted pipeline."""
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from opaque_keys.edx.keys import CourseKey
from openedx_filters.learning.filters import DashboardRenderStarted

from credits_plugin import api
from credits_plugin.filters.dashboard import CREDITS_TEMPLATE, PLATFORM_TEMPLATE
from tests.factories import COURSE_ID, CourseCreditFactory, CourseCreditSettingsFactory, StandaloneCourseFactory

pytestmark = pytest.mark.django_db


def test_totals_per_type_and_a_link_to_the_full_summary(credits_course, mako_unregistered, learner):
    api.award_course_credits(learner, COURSE_ID)
    context, template = DashboardRenderStarted.run_filter({"user": learner}, PLATFORM_TEMPLATE)
    assert context["course_credits_summary"] == {
        "totals": [{"credit_type": "CPA Ontario", "unit": "CPD hours", "amount": "2.50"},
                   {"credit_type": "Management", "unit": "hours", "amount": "1.25"}],
        "summary_url": "/credits/me/",
    }
    html = context["credits_dashboard_html"]
    assert "CPA Ontario" in html and "2.50 CPD hours" in html and 'href="/credits/me/"' in html
    assert template == PLATFORM_TEMPLATE


def test_the_plugin_template_is_used_when_mako_knows_it(credits_course, learner, mako_registered):
    api.award_course_credits(learner, COURSE_ID)
    _, template = DashboardRenderStarted.run_filter({"user": learner}, PLATFORM_TEMPLATE)
    assert template == CREDITS_TEMPLATE


def test_revoked_awards_leave_the_totals(credits_course, learner, staff_user):
    for award in api.award_course_credits(learner, COURSE_ID).created:
        if award.credit_name == "Ethics":
            api.revoke_award(award.uuid, acting_user=staff_user, reason="mistake")
    context, _ = DashboardRenderStarted.run_filter({"user": learner}, PLATFORM_TEMPLATE)
    assert [t["credit_type"] for t in context["course_credits_summary"]["totals"]] == ["Management"]


def test_the_current_user_is_used_when_the_context_has_none(credits_course, learner, as_user):
    api.award_course_credits(learner, COURSE_ID)
    as_user(learner)
    context, _ = DashboardRenderStarted.run_filter({"user": AnonymousUser()}, PLATFORM_TEMPLATE)
    assert context["course_credits_summary"]["totals"]


def test_a_learner_without_credits_keeps_the_page(credits_course, learner, mako_registered):
    context, template = DashboardRenderStarted.run_filter({"user": learner}, PLATFORM_TEMPLATE)
    assert (context, template) == ({"user": learner}, PLATFORM_TEMPLATE)


def test_two_queries_whatever_the_number_of_awards(credits_course, learner, django_assert_num_queries):
    for number in range(5):
        other = CourseKey.from_string(f"course-v1:TestX+More{number}+2026")
        StandaloneCourseFactory(course_key=other, display_name=f"More {number}")
        CourseCreditSettingsFactory(course_key=other)
        CourseCreditFactory(course_key=other, amount=Decimal("1.00"))
        api.award_course_credits(learner, other)
    api.award_course_credits(learner, COURSE_ID)
    with django_assert_num_queries(2):
        context, _ = DashboardRenderStarted.run_filter({"user": learner}, PLATFORM_TEMPLATE)
    assert len(context["course_credits_summary"]["totals"]) == 7
