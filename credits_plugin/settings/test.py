"""Settings for the platform's own test runs: the standalone backend is not used there."""
from credits_plugin.settings.common import plugin_settings as common_plugin_settings


def plugin_settings(settings):
    common_plugin_settings(settings)
