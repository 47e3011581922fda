"""
Plugin settings for the LMS and Studio, applied by edx-django-utils' plugin loader, and the one
place the plugin reads its ``CREDITS_*`` settings from.
"""


def credits_setting(name):
    """
    A ``CREDITS_*`` setting as it is now: the site's value, else the plugin's default
    (``credits_plugin.settings.common.DEFAULTS``). Read at call time, never at import time.
    """
    from django.conf import settings  # pylint: disable=import-outside-toplevel

    from credits_plugin.settings.common import DEFAULTS  # pylint: disable=import-outside-toplevel

    return getattr(settings, name, DEFAULTS[name])
