"""
Production settings, applied after the platform loaded its YAML configuration.

The YAML may have replaced ``OPEN_EDX_FILTERS_CONFIG`` wholesale; merge our
steps into whatever it holds now, without touching other plugins' steps.
"""
from credits_plugin.settings.common import FILTER_STEPS, merge_filter_steps


def plugin_settings(settings):
    settings.OPEN_EDX_FILTERS_CONFIG = merge_filter_steps(getattr(settings, "OPEN_EDX_FILTERS_CONFIG", None),
                                                          FILTER_STEPS)
