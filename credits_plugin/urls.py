"""
URLs of the plugin, mounted by the platform under the prefix of ``apps.URL_PREFIX``.

Pages live under ``credits/``, the JSON API under ``api/credits/v1/``.
"""
from django.urls import include, path

urlpatterns = [
    path("api/credits/v1/", include(("credits_plugin.rest_api.v1.urls", "api_v1"))),
]
