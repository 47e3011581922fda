"""The "Credits" section and tab of the instructor dashboards, through the real pipelines."""
import importlib
from types import SimpleNamespace

import pytest
from openedx_filters.learning import filters as learning_filters
from openedx_filters.learning.filters import InstructorDashboardRenderStarted

from credits_plugin.filters.instructor import SECTION_KEY, TAB_ID, TEMPLATE_PATH_PREFIX
from tests.factories import COURSE_ID, CourseAccessFactory, UserFactory

pytestmark = pytest.mark.django_db

TEMPLATE = "instructor/instructor_dashboard_2/instructor_dashboard_2.html"
PLATFORM_SECTION = {"section_key": "course_info", "section_display_name": "Course Info"}
TabsRequested = getattr(learning_filters, "InstructorDashboardTabsRequested", None)
needs_tabs_filter = pytest.mark.skipif(TabsRequested is None,
                                       reason="InstructorDashboardTabsRequested needs openedx-filters 3.x")


def render_panel_exists():
    try:
        return hasattr(importlib.import_module("credits_plugin.views.instructor"), "render_panel")
    except ImportError:
        return False


needs_panel = pytest.mark.skipif(not render_panel_exists(),
                                 reason="credits_plugin.views.instructor.render_panel is not written yet")


def dashboard_context(course_key):
    return {"course": SimpleNamespace(id=course_key), "sections": [dict(PLATFORM_SECTION)]}


@pytest.fixture
def course_staff(course_key):
    return CourseAccessFactory(user=UserFactory(username="teacher"), course_key=course_key, role="staff").user


@needs_panel
def test_course_staff_get_a_credits_section_after_the_platform_s(credits_course, course_staff, as_user,
                                                                  mako_registered):
    as_user(course_staff)
    context, template = InstructorDashboardRenderStarted.run_filter(dashboard_context(credits_course), TEMPLATE)
    assert template == TEMPLATE
    assert [s["section_key"] for s in context["sections"]] == ["course_info", SECTION_KEY]
    section = context["sections"][1]
    assert section["section_display_name"] == "Credits"
    assert section["course_id"] == COURSE_ID
    assert section["template_path_prefix"] == TEMPLATE_PATH_PREFIX
    assert section["fragment"].body_html().strip()


def test_learners_get_no_section(credits_course, learner, as_user, mako_registered):
    as_user(learner)
    context, _ = InstructorDashboardRenderStarted.run_filter(dashboard_context(credits_course), TEMPLATE)
    assert context["sections"] == [PLATFORM_SECTION]


def test_no_section_when_the_platform_could_not_include_its_template(credits_course, mako_unregistered, staff_user,
                                                                    as_user):
    """Without the plugin's Mako folder the platform's include would fail the whole page."""
    as_user(staff_user)
    context, _ = InstructorDashboardRenderStarted.run_filter(dashboard_context(credits_course), TEMPLATE)
    assert context["sections"] == [PLATFORM_SECTION]


@needs_tabs_filter
def test_course_staff_get_a_credits_tab(credits_course, course_staff, settings):
    settings.LMS_ROOT_URL = "https://lms.example.org"
    tabs, user, key = TabsRequested.run_filter([{"tab_id": "course_info", "sort_order": 10}], course_staff,
                                               credits_course)
    assert (user, key) == (course_staff, credits_course)
    assert tabs[-1] == {"tab_id": TAB_ID, "title": "Credits", "sort_order": 1000,
                        "url": f"https://lms.example.org/credits/instructor/{COURSE_ID}/"}
    assert tabs[0] == {"tab_id": "course_info", "sort_order": 10}


@needs_tabs_filter
def test_learners_get_no_tab(credits_course, learner):
    tabs, _, _ = TabsRequested.run_filter([], learner, credits_course)
    assert tabs == []


@needs_tabs_filter
def test_the_tab_is_added_once(credits_course, staff_user):
    tabs, _, _ = TabsRequested.run_filter([], staff_user, credits_course)
    again, _, _ = TabsRequested.run_filter(tabs, staff_user, credits_course)
    assert [t["tab_id"] for t in again] == [TAB_ID]
