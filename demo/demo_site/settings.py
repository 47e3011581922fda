"""
Settings of the demo site: a small Django project that plays the LMS and Studio.

It loads the plugin exactly as openedx-platform does, through edx-django-utils'
plugin loader (``get_plugin_apps``, ``add_plugins``, ``get_plugin_url_patterns``
and, in ``DemoPlatformConfig.ready``, ``connect_plugin_receivers``), and plays
the platform through the standalone backend. The test settings build on it.
"""
import os
from pathlib import Path

from edx_django_utils.plugins import add_plugins, get_plugin_apps

from demo.demo_site.plugin_loading import LMS, restrict_plugin_registry

BASE_DIR = Path(__file__).resolve().parent
REPO_DIR = BASE_DIR.parent.parent

SECRET_KEY = os.environ.get("DEMO_SECRET_KEY", "demo-only-not-secret")
DEBUG = os.environ.get("DEMO_DEBUG", "1") == "1"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
# Uploaded files (learners' evidence of credits earned elsewhere) go to Django's default storage:
# a folder here; in Open edX, whatever the platform configures (S3 through django-storages in Tutor).
MEDIA_ROOT = os.environ.get("DEMO_MEDIA_ROOT", str(BASE_DIR.parent / "media"))
# Emails to learners (a decision on a credit earned elsewhere) are printed where the demo runs.
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# Other installed packages may register lms.djangoapp entry points; like the
# real platform, the demo loads plugins through the registry, restricted to ours.
restrict_plugin_registry(LMS, {"credits_plugin"})

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "simple_history",
    "rest_framework",
    "credits_plugin.platform.standalone",
    "demo.demo_site.apps.DemoPlatformConfig",
]
INSTALLED_APPS.extend(get_plugin_apps(LMS))

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "crum.CurrentRequestUserMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "demo.demo_site.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("DEMO_DB", str(BASE_DIR.parent / "db.sqlite3")),
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fr", "Français")]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"
STATIC_URL = "/static/"
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"

# Celery runs tasks in-process in the demo: no broker to start.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True

# Authentication of the REST API as in Open edX: JWT (edx-drf-extensions) and session.
# A symmetric test key only: the demo issues no tokens.
JWT_AUTH = {
    "JWT_ISSUERS": [{"ISSUER": "demo-issuer", "SECRET_KEY": "demo-jwt-secret-for-tests-only-0123456789",
                     "AUDIENCE": "demo-audience"}],
    "JWT_ISSUER": "demo-issuer",
    "JWT_AUDIENCE": "demo-audience",
    "JWT_SECRET_KEY": "demo-jwt-secret-for-tests-only-0123456789",
    "JWT_ALGORITHM": "HS256",
    "JWT_AUTH_HEADER_PREFIX": "JWT",
    "JWT_VERIFY_AUDIENCE": True,
}

# The platform stand-in: the standalone backend plays openedx-platform.
CREDITS_PLATFORM_BACKEND = "credits_plugin.platform.standalone"
# The key that signs the demo's Open Badges credentials: load_demo_data writes it there.
CREDITS_CREDENTIAL_SIGNING_KEYS = {
    "demo-key": os.environ.get("DEMO_SIGNING_KEY", str(BASE_DIR.parent / "signing-key.pem")),
}
# The site's name and address, as the platform's settings name them (the verification page's issuer).
# The address is empty by default: the demo runs on whatever host and port it is given, and
# links stay relative.
PLATFORM_NAME = "Course Credits demo"
LMS_ROOT_URL = os.environ.get("DEMO_ROOT_URL", "")
OPEN_EDX_FILTERS_CONFIG = {}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"credits_plugin": {"handlers": ["console"], "level": "INFO"}},
}

# The folders of the platform's Mako templates, which its Mako lookup searches in order. In the
# demo: stand-ins of the platform's pages (main.html, the about page, the dashboards). Set before
# add_plugins, as in the platform, so that the plugin's settings append the plugin's Mako folder.
MAKO_TEMPLATE_DIRS_BASE = [str(BASE_DIR.parent / "mako")]

# What openedx-platform does at the end of its common settings.
add_plugins(__name__, LMS, "common")
