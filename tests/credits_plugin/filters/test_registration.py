"""The plugin's settings register every step and the Mako folder the page templates need."""
from types import SimpleNamespace

import pytest
from django.utils.module_loading import import_string
from openedx_filters import PipelineStep
from openedx_filters.learning import filters as learning_filters

from credits_plugin.filters.common import mako_dir
from credits_plugin.settings import common

FILTER_CLASSES = {
    "org.openedx.learning.certificate.render.started.v1": "CertificateRenderStarted",
    "org.openedx.learning.course_about.render.started.v1": "CourseAboutRenderStarted",
    "org.openedx.learning.dashboard.render.started.v1": "DashboardRenderStarted",
    "org.openedx.learning.home.courserun.api.rendered.started.v1": "CourseRunAPIRenderStarted",
    "org.openedx.learning.instructor.dashboard.render.started.v1": "InstructorDashboardRenderStarted",
    "org.openedx.learning.instructor.dashboard.tabs.requested.v1": "InstructorDashboardTabsRequested",
}
# In openedx-filters 2.1, the oldest release the plugin supports; the tabs filter came with 3.x.
IN_FILTERS_2_1 = set(FILTER_CLASSES) - {"org.openedx.learning.instructor.dashboard.tabs.requested.v1"}


@pytest.mark.parametrize("filter_type", sorted(FILTER_CLASSES))
def test_every_step_is_registered_and_imports(filter_type):
    steps = common.FILTER_STEPS[filter_type]
    assert steps and all(issubclass(import_string(path), PipelineStep) for path in steps)
    filter_class = getattr(learning_filters, FILTER_CLASSES[filter_type], None)
    if filter_class is None:
        assert filter_type not in IN_FILTERS_2_1, "only the tabs filter may be missing from the installed library"
    else:
        assert filter_class.filter_type == filter_type


def test_the_mako_folder_is_added_once_where_mako_is_configured():
    settings = SimpleNamespace(MAKO_TEMPLATE_DIRS_BASE=["/platform/lms/templates"], TEMPLATES=[])
    common.plugin_settings(settings)
    common.plugin_settings(settings)
    assert ["/platform/lms/templates", str(mako_dir())] == settings.MAKO_TEMPLATE_DIRS_BASE
    assert (mako_dir() / "credits_plugin" / "course_about.html").is_file()


def test_no_mako_setting_is_invented_where_there_is_none():
    settings = SimpleNamespace(TEMPLATES=[])
    common.plugin_settings(settings)
    assert not hasattr(settings, "MAKO_TEMPLATE_DIRS_BASE")


def test_nothing_is_added_to_the_learner_home_enrollment():
    """The platform compares every enrollment's keys with the fixed dict of an unfulfilled entitlement."""
    assert "org.openedx.learning.home.enrollment.api.rendered.v1" not in common.FILTER_STEPS
