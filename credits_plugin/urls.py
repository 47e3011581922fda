"""
URLs of the plugin, mounted by the platform under the prefix of ``apps.URL_PREFIX``.

Pages live under ``credits/``, the JSON API under ``api/credits/v1/``.
"""
urlpatterns = []
