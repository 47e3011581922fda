"""The Studio course app, loaded as the platform loads it and called through the interface it calls."""
import pytest
from edx_django_utils.plugins import PluginManager

from credits_plugin import api
from credits_plugin.course_app import CreditsCourseApp
from credits_plugin.models import CourseCreditSettings
from tests.factories import COURSE_ID, CourseCreditFactory

pytestmark = pytest.mark.django_db


class CourseAppsPluginManager(PluginManager):
    """As openedx-platform's manager of course apps: the openedx.course_app entry points."""

    NAMESPACE = "openedx.course_app"


def test_the_entry_point_loads_the_app():
    assert CourseAppsPluginManager.get_plugin("course_credits") is CreditsCourseApp
    assert CreditsCourseApp.app_id == "course_credits"
    assert str(CreditsCourseApp.name) == "Course credits" and str(CreditsCourseApp.description)
    assert isinstance(CreditsCourseApp.documentation_links, dict)


def test_toggle_reads_and_writes_the_enabled_setting(course_key, staff_user):
    app = CourseAppsPluginManager.get_plugin("course_credits")
    designation = CourseCreditFactory()
    assert app.is_available(course_key) is True
    assert app.is_enabled(course_key) is False
    assert app.set_enabled(course_key, True, staff_user) is True
    assert app.is_enabled(course_key) is True  # the cached flag was forgotten on change
    assert app.set_enabled(course_key, False, staff_user) is False
    assert app.is_enabled(course_key) is False
    assert [d.credit.id for d in api.list_course_credits(course_key)] == [designation.credit_id]
    assert {h.history_user for h in CourseCreditSettings.history.all()} == {staff_user}


def test_allowed_operations_and_settings_link(course_key, staff_user):
    assert CreditsCourseApp.get_allowed_operations(course_key, staff_user) == {"enable": True, "configure": True}
    assert CreditsCourseApp.legacy_link(course_key) == f"/credits/studio/{COURSE_ID}/"
