"""
URLs of the plugin, mounted by the platform under the prefix of ``apps.URL_PREFIX``.

Pages live under ``credits/``, the JSON API under ``api/credits/v1/``.
"""
from django.urls import include, path, re_path

from credits_plugin.views import studio, verification

urlpatterns = [
    path("api/credits/v1/", include(("credits_plugin.rest_api.v1.urls", "api_v1"))),
    re_path(r"^credits/studio/(?P<course_id>.+?)/$", studio.course_settings, name="studio-course-settings"),
    re_path(r"^credits/awards/(?P<award_uuid>[^/]+)/$", verification.award_page, name="award-page"),
]
