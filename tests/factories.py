"""factory_boy factories for test data."""
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from opaque_keys.edx.keys import CourseKey

from credits_plugin.models import CourseCredit, CourseCreditSettings, Credit, CreditType
from credits_plugin.platform.standalone.models import StandaloneCourse, StandaloneCourseAccess, StandaloneCourseGrade

COURSE_ID = "course-v1:TestX+Credits+2026"
# What a request's own transaction adds to a count of queries: the platform runs every request in
# one (ATOMIC_REQUESTS, as tests/settings.py does), here a savepoint and its release inside the
# test's transaction, in the platform a BEGIN and a COMMIT.
REQUEST_TRANSACTION = 2


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"learner{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password("password")


class CreditTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CreditType

    name = factory.Sequence(lambda n: f"Type {n}")
    unit = "hours"


class CreditFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Credit

    credit_type = factory.SubFactory(CreditTypeFactory)
    name = factory.Sequence(lambda n: f"Credit {n}")
    reference_number = factory.Sequence(lambda n: f"REF-{n:04d}")


class CourseCreditSettingsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CourseCreditSettings

    course_key = factory.LazyFunction(lambda: CourseKey.from_string(COURSE_ID))
    enabled = True


class CourseCreditFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CourseCredit

    course_key = factory.LazyFunction(lambda: CourseKey.from_string(COURSE_ID))
    credit = factory.SubFactory(CreditFactory)
    amount = Decimal("2.50")


class StandaloneCourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StandaloneCourse
        django_get_or_create = ("course_key",)

    course_key = factory.LazyFunction(lambda: CourseKey.from_string(COURSE_ID))
    display_name = "Credits 101"


class CourseAccessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StandaloneCourseAccess

    user = factory.SubFactory(UserFactory)
    course_key = factory.LazyFunction(lambda: CourseKey.from_string(COURSE_ID))
    role = "staff"


class CourseGradeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StandaloneCourseGrade

    user = factory.SubFactory(UserFactory)
    course_key = factory.LazyFunction(lambda: CourseKey.from_string(COURSE_ID))
    percent = 0.9
    passed = True


def lapse_change_marks():
    """
    The cache as it is ``CHANGE_MARK_SECONDS`` after the set-up's changes: their marks gone
    (credits_plugin.services.course_cache), so the next read stores what it reads. (The test's
    transaction is never committed, so the marks would otherwise stand for the whole test.)
    """
    from django.core.cache import cache  # pylint: disable=import-outside-toplevel

    cache.clear()
