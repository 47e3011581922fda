"""The LMS's shape: its Django template engine's DIRS is a plain list (``lms/envs/common.py``)."""
from tests.platform_shapes.base import *  # noqa: F401,F403  pylint: disable=wildcard-import,unused-wildcard-import
from tests.platform_shapes.base import HERE, django_engine, finish

PROJECT_TYPE = "lms.djangoapp"
# As the Open edX backend does in the LMS: every page in the LMS's frame.
CREDITS_STANDALONE_BASE_TEMPLATES = {"lms": "main_django.html"}
TEMPLATES = [django_engine([HERE / "templates" / "lms"])]
finish(__name__, PROJECT_TYPE)
