"""The course_credits XBlock in XBlock's real test runtime."""
import gettext

import pytest
from opaque_keys.edx.keys import CourseKey
from stevedore import ExtensionManager
from xblock.field_data import DictFieldData
from xblock.fields import ScopeIds
from xblock.test.tools import TestRuntime

from credits_plugin import api
from credits_xblock.block import CourseCreditsXBlock
from tests.factories import COURSE_ID, CourseCreditFactory, CourseCreditSettingsFactory, CreditFactory


def make_block(usage_id):
    runtime = TestRuntime(services={"i18n": gettext.NullTranslations(), "field-data": DictFieldData({})})
    scope_ids = ScopeIds("learner", "course_credits", "def-1", usage_id)
    return runtime.construct_xblock_from_class(CourseCreditsXBlock, scope_ids)


def usage_key():
    return CourseKey.from_string(COURSE_ID).make_usage_key("course_credits", "block1")


def test_entry_point_loads_the_block():
    manager = ExtensionManager(namespace="xblock.v1")
    assert manager["course_credits"].plugin is CourseCreditsXBlock


@pytest.mark.django_db
def test_student_view_lists_course_credits():
    credit = CreditFactory(name="Ethics <script>alert(1)</script>", reference_number="CPA-9")
    CourseCreditSettingsFactory()
    CourseCreditFactory(credit=credit)
    html = make_block(usage_key()).student_view().content
    assert "Ethics &lt;script&gt;" in html and "<script>" not in html
    assert "2.50 hours" in html and "CPA-9" in html


@pytest.mark.django_db
def test_student_view_when_credits_off():
    CourseCreditFactory()
    api.set_course_enabled(COURSE_ID, False)
    assert "does not award credits" in make_block(usage_key()).student_view().content


def test_student_view_outside_a_course():
    assert "part of a course" in make_block("plain-string-usage-id").student_view().content
