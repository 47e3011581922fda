"""The LMS's shape: its Django template engine's DIRS is a plain list (``lms/envs/common.py``)."""
from tests.platform_shapes.base import *  # noqa: F401,F403  pylint: disable=wildcard-import,unused-wildcard-import
from tests.platform_shapes.base import HERE, finish

PROJECT_TYPE = "lms.djangoapp"
# As the Open edX backend does in the LMS: every page in the LMS's frame.
CREDITS_STANDALONE_BASE_TEMPLATES = {"lms": "main_django.html"}
TEMPLATES = [
    {
        "NAME": "django",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": False,
        "DIRS": [HERE / "templates" / "lms"],
        "OPTIONS": {
            # As the platform: its own loaders, Mako-aware versions of these two.
            "loaders": ["django.template.loaders.filesystem.Loader",
                        "django.template.loaders.app_directories.Loader"],
            "context_processors": ["django.template.context_processors.request",
                                   "django.contrib.auth.context_processors.auth",
                                   "django.contrib.messages.context_processors.messages"],
        },
    },
]
finish(__name__, PROJECT_TYPE)
