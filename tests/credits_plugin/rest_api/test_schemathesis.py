"""
Schemathesis against the API's own OpenAPI schema: generated requests, as global
staff (every endpoint reachable), must never get a 5xx nor a response that breaks
the schema. Run by `make test` (marker "schemathesis").
"""
import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from edx_rest_framework_extensions.auth.jwt.tests.utils import generate_jwt
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from credits_plugin import api
from tests.factories import UserFactory

schema = schemathesis.openapi.from_wsgi("/api/credits/v1/schema/", get_wsgi_application())


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """
    As Django's test client does: the real WSGI handler closes "old" connections at each
    request, which inside the test's transaction marks it broken on MySQL.
    """
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def staff_token(db, structure):
    staff = UserFactory(username="fuzz_staff", is_staff=True, is_superuser=True)
    learner = UserFactory(username="learner")
    api.award_course_credits(learner, structure["course_id"])
    return generate_jwt(staff)


@pytest.mark.schemathesis
@schema.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_api_never_fails_and_keeps_its_schema(case, staff_token):
    response = case.call(headers={"Authorization": f"JWT {staff_token}"})
    case.validate_response(response, checks=[not_a_server_error, response_schema_conformance,
                                             content_type_conformance])
