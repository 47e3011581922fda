"""What the course_credits block shows: the course, the user, and the API when it fails."""
import logging

import pytest
from opaque_keys.edx.keys import CourseKey, UsageKey
from xblock.reference.user_service import UserService, XBlockUser

from credits_xblock.state import Learner, build_state, course_key_of
from tests.credits_xblock.runtime import PlatformUserService, usage_key
from tests.factories import COURSE_ID, UserFactory


class WorkbenchLikeUserService(UserService):
    """The xblock-sdk workbench's user: no edx-platform attributes at all."""

    def get_current_user(self):
        user = XBlockUser(is_current_user=True, full_name="XBlock User (student_1)")
        user.opt_attrs["xblock-workbench.user_id"] = "student_1"
        return user


def test_course_key_of_a_course_usage():
    assert course_key_of(usage_key()) == CourseKey.from_string(COURSE_ID)


def test_course_key_drops_studio_s_branch():
    draft = UsageKey.from_string("block-v1:TestX+Credits+2026+branch@draft-branch+type@course_credits+block@x")
    assert str(course_key_of(draft)) == COURSE_ID


@pytest.mark.parametrize("usage_id", ["plain-string", None, 42])
def test_no_course_for_ids_that_are_not_course_usages(usage_id):
    assert course_key_of(usage_id) is None


def test_learner_from_the_lms_user_service(db):
    user = UserFactory()
    learner = Learner.from_user_service(PlatformUserService(user, role="student"))
    assert (learner.known, learner.signed_in, learner.user_id, learner.role) == (True, True, user.pk, "student")


def test_anonymous_lms_user_is_known_but_not_signed_in():
    learner = Learner.from_user_service(PlatformUserService(None))
    assert (learner.known, learner.signed_in, learner.user_id) == (True, False, None)


def test_workbench_user_is_not_a_platform_learner():
    learner = Learner.from_user_service(WorkbenchLikeUserService())
    assert (learner.known, learner.signed_in, learner.user_id) == (True, False, None)


def test_without_a_user_service_nobody_is_known():
    for service in (None, UserService()):  # XBlock's reference service raises NotImplementedError
        assert Learner.from_user_service(service).known is False


def test_a_failing_api_leaves_a_clear_message_not_an_error(caplog):
    """A runtime where the plugin's Django app is missing: the import itself fails."""
    def missing_plugin():
        raise ImportError("credits_plugin is not installed")

    with caplog.at_level(logging.ERROR, logger="credits_xblock.state"):
        state = build_state(usage_key(), Learner(user_id=1, signed_in=True), load_api=missing_plugin,
                            show_learner_status=True, gettext=str)
    assert state["in_course"] is True and state["available"] is False and state["credits"] == []
    assert state["learner"]["status"] == "unknown"
    assert COURSE_ID in caplog.text


def test_outside_a_course_the_api_is_never_loaded():
    def must_not_load():
        raise AssertionError("the API was loaded outside a course")

    state = build_state("plain", Learner(), load_api=must_not_load, show_learner_status=True, gettext=str)
    assert state["in_course"] is False and state["learner"] is None
