"""System checks of the plugin's settings (run by ``manage.py check`` and ``migrate``)."""
from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.compatibility)
def removed_settings(app_configs=None, **kwargs):  # pylint: disable=unused-argument
    """One warning per setting an earlier release read and this one ignores."""
    from credits_plugin.settings.common import REMOVED_SETTINGS  # pylint: disable=import-outside-toplevel

    return [
        checks.Warning(
            f"{name} is set but Course Credits no longer reads it ({why}); it is ignored.",
            hint=f"Remove {name} from the site's settings; docs/decisions/0006-awards-read-the-database.rst says why.",
            id="credits_plugin.W001",
        )
        for name, why in REMOVED_SETTINGS.items() if hasattr(settings, name)
    ]
