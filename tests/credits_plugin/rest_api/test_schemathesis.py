"""
Schemathesis against the API's own OpenAPI schema: generated requests, as global
staff (every endpoint reachable), must never get a 5xx nor a response that breaks
the schema. Run by `make test` (marker "schemathesis").
"""
import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from edx_rest_framework_extensions.auth.jwt.tests.utils import generate_jwt
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from credits_plugin import api
from tests.factories import UserFactory

schema = schemathesis.openapi.from_wsgi("/api/credits/v1/schema/", get_wsgi_application())


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
