"""
A test twin of openedx-platform's ``openedx/core/lib/derived.py``.

Studio's settings give template ``DIRS`` (and other values) as a ``Derived``: an object
holding a function of the settings module, replaced by its value when the last settings
file calls ``derive_settings(__name__)``, after every plugin's settings ran. The twin
behaves the same way: values are only computed at the end, inside containers too.
"""
import sys


class Derived:
    """A setting computed from the final settings module by ``derive_settings``."""

    def __init__(self, calculate_value):
        self.calculate_value = calculate_value


def _derive(settings, value):
    if isinstance(value, Derived):
        return value.calculate_value(settings)
    if isinstance(value, dict):
        for key in value:
            value[key] = _derive(settings, value[key])
        return value
    if isinstance(value, list):
        value[:] = [_derive(settings, item) for item in value]
        return value
    if isinstance(value, tuple):
        return tuple(_derive(settings, item) for item in value)
    return value


def derive_settings(module_name):
    """Replace every ``Derived`` among the module's settings (upper-case names) by its value."""
    module = sys.modules[module_name]
    for name, value in list(vars(module).items()):
        if name.isupper() and not name.startswith("_"):
            setattr(module, name, _derive(module, value))
