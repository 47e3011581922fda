"""
URLs of the plugin, mounted by the platform under the prefix of ``apps.URL_PREFIX``.

Pages live under ``credits/``, the JSON API under ``api/credits/v1/``.
"""
from django.urls import include, path, re_path

from credits_plugin.views import instructor, learner, studio, verification

# Any text, slashes included (old Org/Course/Run keys): the more specific instructor routes come first.
COURSE_ID = r"(?P<course_id>.+?)"

urlpatterns = [
    path("api/credits/v1/", include(("credits_plugin.rest_api.v1.urls", "api_v1"))),
    re_path(r"^credits/studio/(?P<course_id>.+?)/$", studio.course_settings, name="studio-course-settings"),
    re_path(r"^credits/awards/(?P<award_uuid>[^/]+)/$", verification.award_page, name="award-page"),
    path("credits/me/", learner.my_credits, name="learner-credits"),
    path("credits/me/external/", learner.report_external_credit, name="learner-external-credit"),
    path("credits/me/reminders/", learner.switch_reminders, name="learner-reminders"),
    re_path(rf"^credits/instructor/{COURSE_ID}/award/$", instructor.award, name="instructor-award"),
    re_path(rf"^credits/instructor/{COURSE_ID}/revoke/$", instructor.revoke, name="instructor-revoke"),
    re_path(rf"^credits/instructor/{COURSE_ID}/backfill/status/$", instructor.backfill_status,
            name="instructor-backfill-status"),
    re_path(rf"^credits/instructor/{COURSE_ID}/backfill/$", instructor.start_backfill, name="instructor-backfill"),
    re_path(rf"^credits/instructor/{COURSE_ID}/$", instructor.panel_page, name="instructor-panel"),
]
