"""Django app of the standalone platform backend (tests and the demo only)."""
from django.apps import AppConfig


class StandalonePlatformConfig(AppConfig):
    """Stand-in tables for the parts of openedx-platform the plugin asks about."""

    name = "credits_plugin.platform.standalone"
    label = "credits_standalone"
    verbose_name = "Course Credits: standalone platform (tests and demo)"
    default_auto_field = "django.db.models.BigAutoField"
