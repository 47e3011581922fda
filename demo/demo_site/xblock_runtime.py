"""
The XBlock in a unit: a small real XBlock runtime, the unit page and the handler URL.

``DemoRuntime`` is an ``xblock.runtime.Runtime`` with the services the LMS gives the
``course_credits`` block: ``i18n``, ``field-data`` and
``user`` (an ``xblock.reference.user_service.UserService`` whose ``XBlockUser``
carries the LMS's ``edx-platform.*`` optional attributes for the request's user);
``i18n`` reads the block's bundled catalog first, as the LMS's XBlockI18nService does.
The block's usage key belongs to the course, so the block finds its course as it
does in the LMS. The unit page embeds the block's fragment (content, CSS and JS)
and a small JavaScript runtime whose ``handlerUrl`` points at ``handler`` below,
which hands a WebOb request to ``block.handle``; Django's CSRF check applies, as in
the LMS (the block's script sends the ``csrftoken`` cookie in ``X-CSRFToken``).
"""
import contextlib
import gettext
import inspect
from pathlib import Path

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_GET, require_POST
from xblock.django.request import django_to_webob_request, webob_to_django_response
from xblock.exceptions import NoSuchHandlerError
from xblock.field_data import DictFieldData
from xblock.fields import ScopeIds
from xblock.reference.user_service import UserService, XBlockUser
from xblock.runtime import MemoryIdManager, Runtime

from credits_plugin import platform
from credits_xblock.block import CourseCreditsXBlock
from demo.demo_site.platform_pages import course_or_404, course_urls

BLOCK_TYPE = "course_credits"
BLOCK_ID = "demo"
UNIT_TEMPLATE = "demo/unit.html"


class BlockI18nService:
    """
    The ``i18n`` service as the LMS's XBlockI18nService gives it to a block.

    The catalog bundled in the block's package (``translations/<locale>/LC_MESSAGES/text.mo``)
    for the active language when there is one, else Django's translations. The block's
    ``{% trans %}`` tags merge that catalog into Django's (``xblock.utils.templatetags.i18n``).
    """

    def __init__(self, block_class):
        self.translator = translation
        folder = Path(inspect.getfile(block_class)).parent / "translations"
        locale = translation.to_locale(translation.get_language() or "en")
        with contextlib.suppress(OSError):  # no catalog for this language: Django's translations
            self.translator = gettext.translation("text", localedir=str(folder), languages=[locale])

    def __getattr__(self, name):
        return getattr(self.translator, "gettext" if name == "ugettext" else name)


class RequestUserService(UserService):
    """The ``user`` service of the LMS, for the request's user: ``edx-platform.*`` optional attributes."""

    def __init__(self, user, course_key):
        current = XBlockUser(is_current_user=True)
        if user.is_authenticated:
            current.full_name = user.get_full_name()
            current.emails = [user.email] if user.email else []
            current.opt_attrs.update({
                "edx-platform.is_authenticated": True,
                "edx-platform.user_id": user.pk,
                "edx-platform.username": user.username,
                "edx-platform.user_is_staff": user.is_staff,
                "edx-platform.user_role": "staff" if platform.has_course_staff_access(user, course_key)
                else "student",
            })
        else:
            current.opt_attrs.update({"edx-platform.is_authenticated": False, "edx-platform.user_id": None})
        super().__init__(user=current)

    def get_current_user(self):
        return self._user


class DemoRuntime(Runtime):
    """A real XBlock runtime for one unit of a demo course."""

    def __init__(self, course_key, services):
        ids = MemoryIdManager()
        super().__init__(id_reader=ids, id_generator=ids, services=services)
        self.course_key = course_key

    def handler_url(self, block, handler_name, suffix="", query="", thirdparty=False):
        url = reverse("demo-unit-handler", kwargs={"course_id": str(self.course_key), "handler_name": handler_name,
                                                   "suffix": suffix})
        return f"{url}?{query}" if query else url

    def resource_url(self, resource):
        raise NotImplementedError("the block's resources are inline")

    def local_resource_url(self, block, uri):
        raise NotImplementedError("the block's resources are inline")

    def publish(self, block, event_type, event_data):
        """The LMS would record the event (tracking logs, grades); the course_credits block publishes none."""


def unit_block(request, course):
    """The course's ``course_credits`` block, for the request's user."""
    usage_key = course.id.make_usage_key(BLOCK_TYPE, BLOCK_ID)
    runtime = DemoRuntime(course.id, services={
        "i18n": BlockI18nService(CourseCreditsXBlock),
        "field-data": DictFieldData({}),
        "user": RequestUserService(request.user, course.id),
    })
    user_id = request.user.pk if request.user.is_authenticated else None
    return runtime.construct_xblock_from_class(
        CourseCreditsXBlock, ScopeIds(user_id, BLOCK_TYPE, f"{BLOCK_TYPE}-{BLOCK_ID}", usage_key))


@ensure_csrf_cookie
@require_GET
def unit(request, course_id):
    """A unit of the course holding the block: its student_view, with the block's JS initialised."""
    course = course_or_404(course_id)
    block = unit_block(request, course)
    fragment = block.student_view({})
    return render(request, UNIT_TEMPLATE, {
        "course": course,
        "usage_id": str(block.scope_ids.usage_id),
        "fragment": fragment,
        # The JS runtime's handlerUrl(element, name) is this prefix + name + "/" (see handler_url above).
        "handler_prefix": reverse("demo-course-unit", args=[str(course.id)]) + "handler/",
        **course_urls(course.id),
    })


@require_POST
def handler(request, course_id, handler_name, suffix=""):
    """The block's handler URL: a WebOb request handed to ``block.handle``."""
    course = course_or_404(course_id)
    block = unit_block(request, course)
    try:
        response = block.handle(handler_name, django_to_webob_request(request), suffix)
    except NoSuchHandlerError as exc:
        raise Http404(_("This block has no such handler.")) from exc
    return webob_to_django_response(response)
