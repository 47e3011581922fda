"""
Fixtures of the operators' Django admin tests: the real admin URLs with a signed-in superuser.

Every rule the API enforces is enforced on the admin's doors too, with the API's
message, and a refused save writes nothing.
"""
import pytest
from opaque_keys.edx.keys import CourseKey

from credits_plugin import api
from credits_plugin.models import Credit, CreditType
from tests.factories import COURSE_ID, StandaloneCourseFactory, UserFactory


@pytest.fixture
def structure(db):
    """CPA (requires reference numbers, one credit per course) and Management, with credits."""
    StandaloneCourseFactory(course_key=CourseKey.from_string(COURSE_ID), display_name="Credits 101")
    cpa = api.create_credit_type(name="CPA Ontario", unit="CPD hours", requires_reference_number=True,
                                 requires_approval=False,
                                 allow_multiple_per_course=False)
    management = api.create_credit_type(name="Management", unit="hours")
    ethics = api.create_credit(credit_type_id=cpa.id, name="Ethics", reference_number="CPAO-1")
    tax = api.create_credit(credit_type_id=cpa.id, name="Tax", reference_number="CPAO-2")
    leading = api.create_credit(credit_type_id=management.id, name="Leading")
    return {"cpa": CreditType.objects.get(pk=cpa.id), "management": CreditType.objects.get(pk=management.id),
            "ethics": Credit.objects.get(pk=ethics.id), "tax": Credit.objects.get(pk=tax.id),
            "leading": Credit.objects.get(pk=leading.id)}


@pytest.fixture
def awarded(structure, admin_user):
    """The course awards Ethics (2.50) and Leading (1.25); a learner has earned both."""
    api.set_course_settings(COURSE_ID, enabled=True, credits=[
        {"credit": structure["ethics"].pk, "amount": "2.50"},
        {"credit": structure["leading"].pk, "amount": "1.25"},
    ])
    learner = UserFactory(username="ada")
    api.award_course_credits(learner, COURSE_ID)
    return learner

