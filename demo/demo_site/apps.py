"""The demo's stand-in for openedx-platform's plugins app."""
from django.apps import AppConfig


class DemoPlatformConfig(AppConfig):
    """Connects plugin signal receivers at start-up, as the platform's PluginsConfig.ready() does."""

    name = "demo.demo_site"
    label = "demo_site"
    verbose_name = "Demo platform"

    def ready(self):
        from edx_django_utils.plugins import connect_plugin_receivers  # pylint: disable=import-outside-toplevel

        from demo.demo_site.plugin_loading import LMS  # pylint: disable=import-outside-toplevel

        connect_plugin_receivers(LMS)

        from demo.demo_site import celery  # noqa: F401  pylint: disable=import-outside-toplevel,unused-import
