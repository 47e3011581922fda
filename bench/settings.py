"""Benchmark settings: the test settings on a file SQLite database, or MariaDB with CREDITS_TEST_DB=mysql."""
import os
import tempfile

from tests.settings import *  # noqa: F401,F403  pylint: disable=wildcard-import,unused-wildcard-import
from tests.settings import DATABASES

if os.environ.get("CREDITS_TEST_DB") == "mysql":
    DATABASES["default"]["NAME"] = os.environ.get("CREDITS_BENCH_MYSQL_DB", "bench_credits")
else:
    DATABASES = {"default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("CREDITS_BENCH_SQLITE", os.path.join(tempfile.gettempdir(), "credits-bench.sqlite3")),
    }}
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
DEBUG = False
