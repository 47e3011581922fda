"""
Studio's shape: its Django template engine's DIRS is a ``Derived`` value, computed only when
the last settings file calls ``derive_settings`` (``cms/envs/common.py``, mid-2025 master):
while the plugin's settings run, it is not a list.
"""
from tests.platform_shapes.base import *  # noqa: F401,F403  pylint: disable=wildcard-import,unused-wildcard-import
from tests.platform_shapes.base import HERE, django_engine, finish
from tests.platform_shapes.derived import Derived

PROJECT_TYPE = "cms.djangoapp"
# As the Open edX backend does in Studio: every page's parts, put into Studio's own page.
CREDITS_STANDALONE_BASE_TEMPLATES = {"lms": "credits_plugin/frames/parts.html"}
CREDITS_STANDALONE_PARTS_FRAME = "studio_frame.html"
STUDIO_TEMPLATE_DIRS = [HERE / "templates" / "cms"]
TEMPLATES = [django_engine(Derived(lambda settings: list(settings.STUDIO_TEMPLATE_DIRS)))]
finish(__name__, PROJECT_TYPE)
