"""
Benchmark settings: the test settings on a file SQLite database, or MariaDB with CREDITS_TEST_DB=mysql.

The cache is Redis (127.0.0.1:6379, database 15, django-redis, as Tutor configures the LMS) where it
answers, so cached paths pay a real round trip; else the local-memory cache.
CREDITS_BENCH_CACHE=locmem forces the latter.
"""
import os
import socket
import tempfile

from tests.settings import *  # noqa: F401,F403  pylint: disable=wildcard-import,unused-wildcard-import
from tests.settings import DATABASES


def _redis_answers(address=("127.0.0.1", 6379)):
    try:
        with socket.create_connection(address, timeout=0.5):
            return True
    except OSError:
        return False


if os.environ.get("CREDITS_TEST_DB") == "mysql":
    DATABASES["default"]["NAME"] = os.environ.get("CREDITS_BENCH_MYSQL_DB", "bench_credits")
else:
    DATABASES = {"default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("CREDITS_BENCH_SQLITE", os.path.join(tempfile.gettempdir(), "credits-bench.sqlite3")),
    }}
if os.environ.get("CREDITS_BENCH_CACHE", "redis") == "redis" and _redis_answers():
    CACHES = {"default": {"BACKEND": "django_redis.cache.RedisCache",
                          "LOCATION": "redis://127.0.0.1:6379/15"}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
DEBUG = False
