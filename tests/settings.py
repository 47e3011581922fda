"""
Test settings: the demo site's settings (which load the plugin through the real
edx-django-utils loader), on SQLite by default or on MariaDB/MySQL with
``CREDITS_TEST_DB=mysql``.
"""
import atexit
import os
import shutil
import tempfile

from demo.demo_site.settings import *  # noqa: F401,F403  pylint: disable=wildcard-import,unused-wildcard-import
from demo.demo_site.settings import LMS, add_plugins

DEBUG = False
# Each test run stores uploaded evidence in a folder of its own, removed at exit.
MEDIA_ROOT = tempfile.mkdtemp(prefix="credits-test-media-")
atexit.register(shutil.rmtree, MEDIA_ROOT, True)
# The demo's Open Badges signing key, written by load_demo_data: in that folder too, never the checkout.
CREDITS_CREDENTIAL_SIGNING_KEYS = {"demo-key": os.path.join(MEDIA_ROOT, "signing-key.pem")}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

if os.environ.get("CREDITS_TEST_DB") == "mysql":
    # mysqlclient (MySQLdb), the driver Open edX runs on, where it is installed (it compiles against
    # libmariadb-dev: `make bench` and .ci/run install it); otherwise the pure-Python PyMySQL.
    try:
        import MySQLdb  # noqa: F401  pylint: disable=unused-import
    except ImportError:
        import pymysql

        pymysql.install_as_MySQLdb()
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.mysql",
            "NAME": os.environ.get("CREDITS_MYSQL_DB", "test"),
            "USER": os.environ.get("CREDITS_MYSQL_USER", "root"),
            "PASSWORD": os.environ.get("CREDITS_MYSQL_PASSWORD", ""),
            "HOST": os.environ.get("CREDITS_MYSQL_HOST", "127.0.0.1"),
            "PORT": os.environ.get("CREDITS_MYSQL_PORT", "3306"),
            "OPTIONS": {"charset": "utf8mb4"},
            "TEST": {"NAME": "test_credits", "CHARSET": "utf8mb4", "COLLATION": "utf8mb4_unicode_ci"},
        }
    }
else:
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
# As the platform's lms/envs/common.py and cms/envs/common.py: every request runs in one transaction.
DATABASES["default"]["ATOMIC_REQUESTS"] = True

# As the platform's test settings do after common: apply the plugin's "test" settings.
add_plugins(__name__, LMS, "test")
