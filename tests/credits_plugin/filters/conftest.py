"""
Fixtures for the filter steps: the real openedx-filters pipelines, configured as the
plugin's settings build them but failing loudly (fail_silently False), so a broken
step path or a step error fails the test instead of being skipped.
"""
import copy
from decimal import Decimal

import crum
import pytest
from django.core.cache import cache
from django.test import RequestFactory
from edx_django_utils.cache import RequestCache

from credits_plugin.filters.common import mako_dir
from credits_plugin.settings.common import FILTER_STEPS
from tests.factories import CourseCreditFactory, CourseCreditSettingsFactory, CreditFactory, CreditTypeFactory


@pytest.fixture(autouse=True)
def strict_filters(settings):
    """OPEN_EDX_FILTERS_CONFIG as the plugin's settings built it, with fail_silently False for our filters."""
    config = copy.deepcopy(settings.OPEN_EDX_FILTERS_CONFIG)
    for filter_type, steps in FILTER_STEPS.items():
        assert config[filter_type]["pipeline"][-len(steps):] == steps, "the plugin settings registered the step"
        config[filter_type]["fail_silently"] = False
    settings.OPEN_EDX_FILTERS_CONFIG = config
    return config


@pytest.fixture(autouse=True)
def fresh_caches():
    """Each test starts with an empty Django cache, request cache and no current request."""
    cache.clear()
    RequestCache.clear_all_namespaces()
    crum.set_current_request(None)
    crum.set_current_user(None)
    yield
    RequestCache.clear_all_namespaces()
    crum.set_current_request(None)
    crum.set_current_user(None)


@pytest.fixture
def mako_unregistered(settings):
    """A platform whose Mako lookup does not know the plugin's folder (the demo registers it)."""
    settings.MAKO_TEMPLATE_DIRS_BASE = ["/platform/lms/templates"]


@pytest.fixture
def mako_registered(settings):
    """The platform's Mako lookup knows the plugin's Mako folder (as plugin_settings arranges in the LMS)."""
    settings.MAKO_TEMPLATE_DIRS_BASE = ["/platform/lms/templates", str(mako_dir())]


@pytest.fixture
def as_user():
    """Make ``user`` the current request's user (what crum's middleware does in the LMS)."""

    def _as_user(user, path="/", **params):
        request = RequestFactory().get(path, params)
        request.user = user
        crum.set_current_request(request)
        crum.set_current_user(user)
        return request

    return _as_user


@pytest.fixture
def credits_course(course_key):
    """The test course, switched on, awarding an accredited credit (with a reference) and a themed one."""
    cpa = CreditTypeFactory(name="CPA Ontario", unit="CPD hours", requires_reference_number=True)
    management = CreditTypeFactory(name="Management", unit="hours")
    ethics = CreditFactory(credit_type=cpa, name="Ethics", reference_number="CPA-ETH-1")
    leading = CreditFactory(credit_type=management, name="Leading", reference_number="MGT-7")
    CourseCreditSettingsFactory(course_key=course_key)
    CourseCreditFactory(course_key=course_key, credit=ethics, amount=Decimal("2.50"))
    CourseCreditFactory(course_key=course_key, credit=leading, amount=Decimal("1.25"))
    return course_key
