"""Shared fixtures and the MariaDB/Redis availability checks."""
import os
import socket

import pytest
from opaque_keys.edx.keys import CourseKey

from tests.factories import COURSE_ID, StandaloneCourseFactory, UserFactory

MYSQL_ADDRESS = (os.environ.get("CREDITS_MYSQL_HOST", "127.0.0.1"), int(os.environ.get("CREDITS_MYSQL_PORT", "3306")))
REDIS_ADDRESS = ("127.0.0.1", 6379)


def reachable(address):
    try:
        with socket.create_connection(address, timeout=1):
            return True
    except OSError:
        return False


def pytest_configure(config):
    if os.environ.get("CREDITS_TEST_DB") == "mysql" and not reachable(MYSQL_ADDRESS):
        raise pytest.UsageError(
            "CREDITS_TEST_DB=mysql but nothing answers on %s:%s; start MariaDB "
            "(start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd)" % MYSQL_ADDRESS
        )


def pytest_collection_modifyitems(config, items):
    on_mysql = os.environ.get("CREDITS_TEST_DB") == "mysql"
    redis_up = reachable(REDIS_ADDRESS)
    for item in items:
        if "mysql" in item.keywords and not on_mysql:
            item.add_marker(pytest.mark.skip(
                reason="needs MariaDB: runs with CREDITS_TEST_DB=mysql (make test-mysql, run by .ci/run)"))
        if "redis" in item.keywords and not redis_up:
            item.add_marker(pytest.mark.skip(reason="needs Redis on 127.0.0.1:6379, which does not answer"))


@pytest.fixture(autouse=True)
def fresh_caches():
    """
    Each test starts with an empty cache: the database is rolled back between tests, and a
    rollback runs no ``on_commit`` that would forget what a test cached.
    """
    from django.core.cache import caches  # pylint: disable=import-outside-toplevel

    for cache in caches.all():
        cache.clear()
    yield


@pytest.fixture(autouse=True)
def default_language():
    """
    Each test ends in the default language: a request through Django's test client leaves the
    language its LocaleMiddleware chose active in the thread, and the next test would render in it.
    """
    yield
    from django.utils import translation  # pylint: disable=import-outside-toplevel

    translation.deactivate()


@pytest.fixture
def make_signing_key(settings):
    """
    ``make_signing_key(key_id, algorithm="EdDSA")``: a key generated, its private half added to
    ``CREDITS_CREDENTIAL_SIGNING_KEYS`` and activated, as an operator does with credential_keys.
    """
    from credits_plugin import api  # pylint: disable=import-outside-toplevel

    def make(key_id, algorithm="EdDSA"):
        key, pem = api.generate_signing_key(algorithm, key_id)
        settings.CREDITS_CREDENTIAL_SIGNING_KEYS = {**(getattr(settings, "CREDITS_CREDENTIAL_SIGNING_KEYS", None)
                                                      or {}), key_id: pem}
        api.activate_signing_key(key_id)
        return key
    return make


@pytest.fixture
def course_key():
    StandaloneCourseFactory(course_key=CourseKey.from_string(COURSE_ID), display_name="Credits 101")
    return CourseKey.from_string(COURSE_ID)


@pytest.fixture
def learner(db):
    return UserFactory(username="learner", email="learner@example.com")


@pytest.fixture
def staff_user(db):
    return UserFactory(username="staffer", is_staff=True)
