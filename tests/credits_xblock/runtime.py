"""A real XBlock runtime for the course_credits block: XBlock's TestRuntime and its services."""
import gettext
import json

from opaque_keys.edx.keys import CourseKey
from webob import Request
from xblock.field_data import DictFieldData
from xblock.fields import ScopeIds
from xblock.reference.user_service import UserService, XBlockUser
from xblock.test.tools import TestRuntime

from credits_xblock.block import CourseCreditsXBlock
from tests.factories import COURSE_ID


class PlatformUserService(UserService):
    """The ``user`` service as the LMS fills it: ``edx-platform.*`` optional attributes."""

    def __init__(self, user=None, role="student", is_staff=False):
        current = XBlockUser(is_current_user=True)
        if user is None:
            current.opt_attrs.update({"edx-platform.is_authenticated": False, "edx-platform.user_id": None})
        else:
            current.opt_attrs.update({
                "edx-platform.is_authenticated": True,
                "edx-platform.user_id": user.pk,
                "edx-platform.username": user.username,
                "edx-platform.user_is_staff": is_staff,
                "edx-platform.user_role": role,
            })
        super().__init__(user=current)

    def get_current_user(self):
        return self._user


def usage_key(block_id="x", course_id=COURSE_ID):
    return CourseKey.from_string(course_id).make_usage_key("course_credits", block_id)


def make_runtime(user_service=None, i18n=None, field_data=None):
    services = {"i18n": i18n or gettext.NullTranslations(), "field-data": field_data or DictFieldData({})}
    if user_service is not None:
        services["user"] = user_service
    return TestRuntime(services=services)


def make_block(usage_id=None, user_service=None, i18n=None, field_data=None, **fields):
    runtime = make_runtime(user_service, i18n, field_data)
    usage_id = usage_key() if usage_id is None else usage_id
    block = runtime.construct_xblock_from_class(
        CourseCreditsXBlock, ScopeIds("user-1", "course_credits", "def-1", usage_id))
    for name, value in fields.items():
        setattr(block, name, value)
    return block


def post_json(block, handler, payload, method="POST"):
    """Call a handler through the runtime with a real webob request; returns (status, decoded JSON)."""
    request = Request.blank("/", method=method, body=json.dumps(payload).encode("utf-8"))
    response = block.runtime.handle(block, handler, request)
    return response.status_code, json.loads(response.body.decode("utf-8"))
