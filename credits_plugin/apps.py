"""Django app configuration and the Open edX plugin declaration."""
from django.apps import AppConfig
from edx_django_utils.plugins.constants import PluginSettings, PluginURLs

LMS = "lms.djangoapp"
CMS = "cms.djangoapp"

# Only URLs under these two prefixes reach the plugin: the pages under credits/
# and the JSON API under api/credits/. A look-ahead keeps the full path for the
# plugin's own urls.py, so reverse() gives /credits/... and /api/credits/v1/...
URL_PREFIX = r"^(?=credits/|api/credits/)"


def _url_config():
    return {
        PluginURLs.NAMESPACE: "credits_plugin",
        PluginURLs.APP_NAME: "credits_plugin",
        PluginURLs.REGEX: URL_PREFIX,
        PluginURLs.RELATIVE_PATH: "urls",
    }


class CreditsPluginConfig(AppConfig):
    """Course Credits: credit types, course designations and awarded credits."""

    name = "credits_plugin"
    label = "credits_plugin"
    verbose_name = "Course Credits"
    default_auto_field = "django.db.models.BigAutoField"

    plugin_app = {
        PluginURLs.CONFIG: {LMS: _url_config(), CMS: _url_config()},
        PluginSettings.CONFIG: {
            project: {
                "common": {PluginSettings.RELATIVE_PATH: "settings.common"},
                "production": {PluginSettings.RELATIVE_PATH: "settings.production"},
                "test": {PluginSettings.RELATIVE_PATH: "settings.test"},
            }
            for project in (LMS, CMS)
        },
    }

