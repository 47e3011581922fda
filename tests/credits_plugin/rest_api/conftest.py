"""Fixtures of the REST API tests: DRF's test client against the URLs the real plugin loader mounted."""
import pytest
from rest_framework.test import APIClient

from tests.factories import (
    COURSE_ID,
    CourseAccessFactory,
    CourseCreditFactory,
    CourseCreditSettingsFactory,
    CreditFactory,
    CreditTypeFactory,
    UserFactory,
)

API = "/api/credits/v1"
OTHER_COURSE = "course-v1:TestX+Other+2026"


@pytest.fixture
def client():
    return APIClient()


@pytest.fixture
def users(db):
    """One user per role of the permission matrix."""
    from opaque_keys.edx.keys import CourseKey  # pylint: disable=import-outside-toplevel

    course_staff = UserFactory(username="course_staff")
    CourseAccessFactory(user=course_staff)
    other_staff = UserFactory(username="other_staff")
    CourseAccessFactory(user=other_staff, course_key=CourseKey.from_string(OTHER_COURSE))
    return {
        "anonymous": None,
        "learner": UserFactory(username="learner", first_name="Lee", last_name="Morgan"),
        "other_learner": UserFactory(username="other_learner"),
        "other_course_staff": other_staff,
        "course_staff": course_staff,
        "global_staff": UserFactory(username="global_staff", is_staff=True),
        "superuser": UserFactory(username="superuser", is_staff=True, is_superuser=True),
    }


@pytest.fixture
def as_user(client):
    def login(user):
        client.logout()
        client.force_authenticate(user=None)
        if user is not None:
            client.force_authenticate(user=user)
        return client
    return login


@pytest.fixture
def structure(course_key):
    """A CPA type (one per course, reference numbers) and a Management type, designated in the course."""
    cpa = CreditTypeFactory(name="CPA", unit="CPD hours", requires_reference_number=True,
                            allow_multiple_per_course=False)
    management = CreditTypeFactory(name="Management", unit="hours")
    ethics = CreditFactory(credit_type=cpa, name="Ethics", reference_number="CPA-1")
    leading = CreditFactory(credit_type=management, name="Leading", reference_number="")
    CourseCreditSettingsFactory(enabled=True)
    CourseCreditFactory(credit=ethics)
    CourseCreditFactory(credit=leading)
    return {"cpa": cpa, "management": management, "ethics": ethics, "leading": leading, "course_id": COURSE_ID}
