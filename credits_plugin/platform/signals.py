"""
Platform signals the plugin listens to that are not openedx-events.

``USER_RETIRE_LMS_MISC`` lives in openedx-platform. The plugin's ``plugin_app``
wires its receiver to ``credits_plugin.platform.signals.USER_RETIRE_LMS_MISC``,
which is the platform's signal inside Open edX and a stand-in Signal elsewhere
(tests and the demo send that one), so loading the plugin never fails without
the platform.
"""
from django.dispatch import Signal


def _load_user_retire_lms_misc():
    try:
        from openedx.core.djangoapps.user_api.accounts.signals import (  # pylint: disable=import-outside-toplevel
            USER_RETIRE_LMS_MISC as platform_signal,
        )
    except ImportError:
        return Signal(), False
    return platform_signal, True


USER_RETIRE_LMS_MISC, FROM_PLATFORM = _load_user_retire_lms_misc()
