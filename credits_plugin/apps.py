"""Django app configuration and the Open edX plugin declaration."""
from django.apps import AppConfig
from edx_django_utils.plugins.constants import PluginSettings, PluginSignals, PluginURLs

# Our openedx-events signals must be registered before openedx-events checks
# EVENT_BUS_PRODUCER_CONFIG in its own ready(): import them with this module.
from credits_plugin import signals  # noqa: F401  pylint: disable=unused-import

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


OPENEDX_EVENTS = "openedx_events.learning.signals"

# Receivers run in the LMS, where grades and certificates change.
LMS_RECEIVERS = [
    ("award_on_passing", f"{OPENEDX_EVENTS}.COURSE_PASSING_STATUS_UPDATED"),
    ("award_on_ccx_passing", f"{OPENEDX_EVENTS}.CCX_COURSE_PASSING_STATUS_UPDATED"),
    ("award_on_certificate", f"{OPENEDX_EVENTS}.CERTIFICATE_CREATED"),
    ("revoke_on_certificate_revoked", f"{OPENEDX_EVENTS}.CERTIFICATE_REVOKED"),
    # The platform's signal inside Open edX, a stand-in elsewhere (see credits_plugin.platform.signals).
    ("retire_learner", "credits_plugin.platform.signals.USER_RETIRE_LMS_MISC"),
]


def _signals_config():
    return {
        PluginSignals.RELATIVE_PATH: "handlers",
        PluginSignals.RECEIVERS: [
            {
                PluginSignals.RECEIVER_FUNC_NAME: function,
                PluginSignals.SIGNAL_PATH: signal_path,
                PluginSignals.DISPATCH_UID: f"credits_plugin.handlers.{function}",
            }
            for function, signal_path in LMS_RECEIVERS
        ],
    }


class CreditsPluginConfig(AppConfig):
    """Course Credits: credit types, course designations and awarded credits."""

    name = "credits_plugin"
    label = "credits_plugin"
    verbose_name = "Course Credits"
    default_auto_field = "django.db.models.BigAutoField"

    plugin_app = {
        PluginURLs.CONFIG: {LMS: _url_config(), CMS: _url_config()},
        PluginSignals.CONFIG: {LMS: _signals_config()},
        PluginSettings.CONFIG: {
            project: {
                "common": {PluginSettings.RELATIVE_PATH: "settings.common"},
                "production": {PluginSettings.RELATIVE_PATH: "settings.production"},
                "test": {PluginSettings.RELATIVE_PATH: "settings.test"},
            }
            for project in (LMS, CMS)
        },
    }


    def ready(self):
        # Any change of a course's settings or designations, through any door, forgets the
        # cached answer the event receivers use.
        from django.db.models.signals import post_delete, post_save  # pylint: disable=import-outside-toplevel

        from credits_plugin import checks  # noqa: F401  pylint: disable=import-outside-toplevel,unused-import
        from credits_plugin.models import (  # pylint: disable=import-outside-toplevel
            CourseCredit,
            CourseCreditSettings,
            Credit,
            CreditType,
        )

        for model in (CourseCreditSettings, CourseCredit):
            post_save.connect(_forget_course_flags, sender=model, dispatch_uid=f"credits_flags_save_{model.__name__}")
            post_delete.connect(_forget_course_flags, sender=model,
                                dispatch_uid=f"credits_flags_delete_{model.__name__}")
        # An edit of a credit or type changes what every course carrying it shows.
        for model in (CreditType, Credit):
            post_save.connect(_structure_changed, sender=model, dispatch_uid=f"credits_structure_save_{model.__name__}")
            post_delete.connect(_structure_changed, sender=model,
                                dispatch_uid=f"credits_structure_delete_{model.__name__}")


def _forget_course_flags(sender, instance, **kwargs):  # pylint: disable=unused-argument
    from credits_plugin.api import forget_course_flags  # pylint: disable=import-outside-toplevel

    forget_course_flags(instance.course_key)  # and the about cards


def _structure_changed(sender, instance, **kwargs):  # pylint: disable=unused-argument
    from credits_plugin.api import forget_credit_change  # pylint: disable=import-outside-toplevel
    from credits_plugin.models import CreditType  # pylint: disable=import-outside-toplevel

    if sender is CreditType:
        forget_credit_change(credit_type_id=instance.pk)
    else:
        forget_credit_change(credit_id=instance.pk)
