"""
Every surface: author-controlled names stay inert, and a failing database never
breaks the page (the step logs and the page renders without credits).
"""
from types import SimpleNamespace

import pytest
from django.db import connection
from django.utils.safestring import SafeData
from openedx_filters import PipelineStep
from openedx_filters.learning.filters import (
    CertificateRenderStarted,
    CourseAboutRenderStarted,
    CourseEnrollmentAPIRenderStarted,
    CourseRunAPIRenderStarted,
    DashboardRenderStarted,
    InstructorDashboardRenderStarted,
)

from credits_plugin import api
from credits_plugin.filters.certificate import DESCRIPTION_KEY
from credits_plugin.models import Credit, CreditType
from tests.factories import COURSE_ID

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
ABOUT, DASHBOARD = "courseware/course_about.html", "dashboard.html"


def run_surfaces(user, course_key):
    """Run each surface's filter as the platform does; return {surface: what the page would get}."""
    cert_context = {"course_id": str(course_key), "username": user.username, "accomplishment_user_id": user.pk,
                    DESCRIPTION_KEY: "A course."}
    return {
        "certificate": CertificateRenderStarted.run_filter(cert_context, None),
        "about": CourseAboutRenderStarted.run_filter({"course": SimpleNamespace(id=course_key)}, ABOUT),
        "dashboard": DashboardRenderStarted.run_filter({"user": user}, DASHBOARD),
        "courserun": CourseRunAPIRenderStarted.run_filter({"courseId": str(course_key)}),
        "enrollment": CourseEnrollmentAPIRenderStarted.run_filter(course_key, {"mode": "audit"}),
        "instructor": InstructorDashboardRenderStarted.run_filter(
            {"course": SimpleNamespace(id=course_key), "sections": []}, "instructor.html"),
    }


def test_author_controlled_names_are_inert_on_every_surface(credits_course, learner, as_user):
    Credit.objects.filter(name="Ethics").update(name=f"Ethics {SCRIPT}")
    CreditType.objects.filter(name="Management").update(name=f"Management {SCRIPT}", unit=f"h {SCRIPT}")
    api.award_course_credits(learner, COURSE_ID)
    as_user(learner)
    out = run_surfaces(learner, credits_course)

    # Certificate: plain text, never marked safe, so the certificate template escapes it.
    description = out["certificate"][0][DESCRIPTION_KEY]
    assert SCRIPT in description and not isinstance(description, SafeData)
    # About card and dashboard summary: escaped HTML.
    for html in (out["about"][0]["credits_about_card_html"], out["dashboard"][0]["credits_dashboard_html"]):
        assert "<script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    # Learner home: JSON values are plain strings (the MFE renders them as text).
    offered = out["courserun"]["offeredCredits"] + out["courserun"]["earnedCredits"]
    assert any(SCRIPT in item["creditName"] for item in offered)
    assert not any(isinstance(value, SafeData) for item in offered for value in item.values())


@pytest.fixture
def broken_database():
    """Drop the designations and awards tables inside the test's transaction (rolled back after)."""
    if connection.vendor != "sqlite":
        pytest.skip("drops tables inside the test transaction: SQLite only (MySQL commits DDL)")

    def _break():
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE credits_plugin_coursecredit")
            cursor.execute("DROP TABLE credits_plugin_awardedcredit")

    return _break


def test_a_database_error_leaves_every_page_as_it_was(credits_course, learner, staff_user, as_user,
                                                      broken_database, mako_registered, caplog):
    api.award_course_credits(learner, COURSE_ID)
    as_user(staff_user)
    broken_database()
    out = run_surfaces(learner, credits_course)
    assert out["certificate"] == ({"course_id": COURSE_ID, "username": learner.username,
                                   "accomplishment_user_id": learner.pk, DESCRIPTION_KEY: "A course."}, None)
    assert out["about"] == ({"course": SimpleNamespace(id=credits_course)}, ABOUT)
    assert out["dashboard"] == ({"user": learner}, DASHBOARD)
    assert out["courserun"] == {"courseId": COURSE_ID}
    assert out["enrollment"] == (credits_course, {"mode": "audit"})
    assert out["instructor"][0]["sections"] == []
    failures = [r for r in caplog.records if "step failed" in r.getMessage()]
    assert {r.getMessage().split()[3] for r in failures} >= {
        "CertificateCredits", "CourseAboutCredits", "DashboardCredits", "CourseRunCredits"}
    assert not any(learner.username in r.getMessage() or learner.email in r.getMessage() for r in failures)


def test_a_failing_step_does_not_stop_the_other_plugins_steps(credits_course, learner, broken_database,
                                                              strict_filters, settings):
    """Our step sits first here; the next plugin's step still runs after it failed."""
    config = dict(strict_filters)
    config["org.openedx.learning.course_about.render.started.v1"] = {
        "fail_silently": False,
        "pipeline": ["credits_plugin.filters.course_about.CourseAboutCredits",
                     "tests.credits_plugin.filters.test_safety.OtherPluginStep"],
    }
    settings.OPEN_EDX_FILTERS_CONFIG = config
    broken_database()
    context, _ = CourseAboutRenderStarted.run_filter({"course": SimpleNamespace(id=credits_course)}, ABOUT)
    assert context["other_plugin"] == "ran"


class OtherPluginStep(PipelineStep):
    """Another plugin's step, registered after ours."""

    def run_filter(self, context, template_name):  # pylint: disable=arguments-differ
        return {"context": {**context, "other_plugin": "ran"}}
