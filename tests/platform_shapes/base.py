"""
What the LMS's and Studio's settings modules share, as far as the plugin meets them.

``lms.py`` and ``cms.py`` star-import this, set ``TEMPLATES`` the way each really does, and
call ``finish(__name__, project_type)``, which does what openedx-platform's settings files
do, in their order: ``common.py`` ends with ``INSTALLED_APPS.extend(get_plugin_apps(...))``
and ``add_plugins(..., "common")``; ``production.py`` loads the YAML configuration over the
settings (replacing whole values such as ``OPEN_EDX_FILTERS_CONFIG``), then
``add_plugins(..., "production")``, and ends with ``derive_settings(__name__)``.
The platform itself is played by the plugin's standalone backend.
"""
import os
import sys
from pathlib import Path

import yaml
from edx_django_utils.plugins import add_plugins, get_plugin_apps

from demo.demo_site.plugin_loading import restrict_plugin_registry
from tests.platform_shapes.derived import derive_settings

HERE = Path(__file__).resolve().parent
SECRET_KEY = "platform-shapes-test-only"
DEBUG = False
ALLOWED_HOSTS = ["testserver"]
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "simple_history",
    "rest_framework",
    "credits_plugin.platform.standalone",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "crum.CurrentRequestUserMiddleware",
]
ROOT_URLCONF = "tests.platform_shapes.urls"
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
USE_TZ = True
LANGUAGE_CODE = "en"
CELERY_TASK_ALWAYS_EAGER = True
CREDITS_PLATFORM_BACKEND = "credits_plugin.platform.standalone"
PLATFORM_NAME = "Shapes"

# Both the LMS and Studio set this; django-simple-history's default is True. The test runs
# both values (CREDITS_SHAPES_DATE_INDEX=true plays a site that keeps the default).
SIMPLE_HISTORY_DATE_INDEX = os.environ.get("CREDITS_SHAPES_DATE_INDEX", "false") == "true"

# The platform's Mako folders: a plain list the plugin appends its folder to.
MAKO_TEMPLATE_DIRS_BASE = [str(HERE / "templates" / "mako")]

# Another plugin's step, as common settings may hold; the YAML below replaces the whole value.
OPEN_EDX_FILTERS_CONFIG = {
    "org.openedx.learning.certificate.render.started.v1": {"fail_silently": True, "pipeline": ["common.Step"]},
}
OTHER_PLUGIN_STEP = "other_plugin.steps.Watermark"
PRODUCTION_YAML = f"""
OPEN_EDX_FILTERS_CONFIG:
  org.openedx.learning.certificate.render.started.v1:
    fail_silently: false
    pipeline:
      - {OTHER_PLUGIN_STEP}
"""


def django_engine(dirs):
    """The platform's Django template engine: APP_DIRS off, its own loaders (Mako-aware versions of these two)."""
    return {
        "NAME": "django",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": False,
        "DIRS": dirs,
        "OPTIONS": {
            "loaders": ["django.template.loaders.filesystem.Loader",
                        "django.template.loaders.app_directories.Loader"],
            "context_processors": ["django.template.context_processors.request",
                                   "django.contrib.auth.context_processors.auth",
                                   "django.contrib.messages.context_processors.messages"],
        },
    }


def finish(module_name, project_type):
    """The end of the platform's common settings, then its production settings, on ``module_name``."""
    settings = sys.modules[module_name]
    restrict_plugin_registry(project_type, {"credits_plugin"})
    settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, *get_plugin_apps(project_type)]
    add_plugins(module_name, project_type, "common")
    for name, value in yaml.safe_load(PRODUCTION_YAML).items():
        setattr(settings, name, value)
    add_plugins(module_name, project_type, "production")
    derive_settings(module_name)
