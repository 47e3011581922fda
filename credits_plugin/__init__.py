"""Course Credits for Open edX: credit types, course designations and awards."""
from pathlib import Path

__version__ = "0.1.0"


def templates_dir():
    """
    The folder of every HTML template of the plugin and its XBlock.

    A wheel installs the repository's top-level ``templates/`` as
    ``credits_plugin/templates``; in an editable checkout it sits beside the package.
    """
    package = Path(__file__).resolve().parent
    for candidate in (package / "templates", package.parent / "templates"):
        if (candidate / "credits_plugin").is_dir():
            return candidate
    return package / "templates"
