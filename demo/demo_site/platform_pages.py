"""
The demo's stand-ins of the LMS pages that the plugin's filter steps decorate.

Each view builds a context shaped like openedx-platform's, runs the real
openedx-filters filter (the plugin's steps come from ``OPEN_EDX_FILTERS_CONFIG``,
built by the plugin's settings) and renders what the pipeline returns: the
certificate with a Django template; the about page, the legacy dashboard and the
instructor dashboard with Mako, through a lookup over ``MAKO_TEMPLATE_DIRS_BASE``
(the demo's stand-ins of the platform's templates, then the plugin's Mako folder),
as the platform does. ``simulate_passing`` sends the real
``COURSE_PASSING_STATUS_UPDATED`` event. The XBlock's unit page is in
``demo.demo_site.xblock_runtime``.
"""
import functools
import hashlib
from types import SimpleNamespace

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from edx_django_utils.cache import RequestCache
from mako.lookup import TemplateLookup
from opaque_keys import InvalidKeyError
from opaque_keys.edx.keys import CourseKey
from openedx_events.learning.data import (
    CertificateData,
    CourseData,
    CoursePassingStatusData,
    UserData,
    UserPersonalData,
)
from openedx_events.learning.signals import CERTIFICATE_CREATED, COURSE_PASSING_STATUS_UPDATED
from openedx_filters.learning import filters as learning_filters

from credits_plugin import api, platform
from credits_plugin.constants import AwardStatus
from credits_plugin.platform.standalone.models import StandaloneCourse, StandaloneCourseGrade

PLATFORM_NAME = "Demo University"
CERTIFICATE_TEMPLATE = "demo/certificate.html"
ABOUT_TEMPLATE = "courseware/course_about.html"
DASHBOARD_TEMPLATE = "dashboard.html"
INSTRUCTOR_TEMPLATE = "instructor/instructor_dashboard_2/instructor_dashboard_2.html"
PASSING_PERCENT = 0.8


# --- helpers -----------------------------------------------------------------------------------


@functools.lru_cache(maxsize=4)
def _lookup(directories):
    return TemplateLookup(directories=list(directories), input_encoding="utf-8", default_filters=["str"],
                          filesystem_checks=settings.DEBUG)


def mako_lookup():
    """The platform's Mako lookup: ``MAKO_TEMPLATE_DIRS_BASE`` (read now), in order."""
    return _lookup(tuple(str(folder) for folder in settings.MAKO_TEMPLATE_DIRS_BASE))


def render_mako(request, template_name, context):
    """Render a Mako page as the platform's ``render_to_response`` does: the context plus request data."""
    page_context = dict(context)
    page_context.update(request=request, user=request.user, csrf_token=get_token(request),
                        messages=list(get_messages(request)), LANGUAGE_CODE=get_language())
    return HttpResponse(mako_lookup().get_template(template_name).render(**page_context))


def course_or_404(course_id):
    """The demo course (a StandaloneCourse row, which plays CourseOverview) as a course-like object."""
    try:
        course_key = CourseKey.from_string(course_id)
    except InvalidKeyError as exc:
        raise Http404(_("There is no such course.")) from exc
    row = get_object_or_404(StandaloneCourse, course_key=course_key)
    return course_object(row)


def course_object(row):
    key = row.course_key
    return SimpleNamespace(id=key, display_name=row.display_name, display_org_with_default=key.org,
                           display_number_with_default=key.course, location=key.make_usage_key("course", "course"))


def course_urls(course_key):
    course_id = str(course_key)
    return {
        "about_url": reverse("demo-course-about", args=[course_id]),
        "unit_url": reverse("demo-course-unit", args=[course_id]),
        "certificate_url": reverse("demo-my-certificate", args=[course_id]),
        "simulate_passing_url": reverse("demo-simulate-passing", args=[course_id]),
        "issue_certificate_url": reverse("demo-issue-certificate", args=[course_id]),
    }


def _passed(user, course_key):
    return StandaloneCourseGrade.objects.filter(user=user, course_key=course_key, passed=True).exists()


# --- 1. the web certificate ------------------------------------------------------------------


def _certificate_context(user, course, mode):
    """The keys of the platform's certificate web view (lms/djangoapps/certificates/views/webview.py)."""
    number = hashlib.sha256(f"{user.pk}:{course.id}".encode()).hexdigest()[:32]
    return {
        "platform_name": PLATFORM_NAME,
        "course_id": str(course.id),
        "username": user.username,
        "accomplishment_user_id": user.pk,
        "accomplishment_copy_name": user.get_full_name() or user.username,
        "accomplishment_copy_username": user.username,
        "accomplishment_copy_course_org": course.display_org_with_default,
        "accomplishment_copy_course_name": course.display_name,
        "accomplishment_copy_description_full": _(
            "successfully completed, received a passing grade, and was awarded this {platform_name} "
            "{mode} Certificate of Completion in").format(platform_name=PLATFORM_NAME, mode=mode.title()),
        "accomplishment_copy_course_description": _(
            "a course of study offered by {partner}, an online learning initiative of {platform_name}.").format(
                partner=course.display_org_with_default, platform_name=PLATFORM_NAME),
        "accomplishment_copy_more_about": _("More about {platform_name} certificates").format(
            platform_name=PLATFORM_NAME),
        "certificate_info_description": _(
            "{platform_name} acknowledges achievements through certificates, which are awarded for course "
            "activities that {platform_name} learners complete.").format(platform_name=PLATFORM_NAME),
        "certificate_id_number": number,
        "certificate_type": mode,
        "document_title": _("{course} certificate | {platform_name}").format(
            course=course.display_name, platform_name=PLATFORM_NAME),
    }


@require_GET
def certificate(request, user_id, course_id):
    """A learner's certificate (public, as in the LMS); ``?preview=<mode>`` for course staff."""
    course = course_or_404(course_id)
    preview = request.GET.get("preview", "")
    if preview:
        if not (request.user.is_authenticated and platform.has_course_staff_access(request.user, course.id)):
            raise Http404(_("There is no such certificate."))
        user = request.user  # the platform previews the certificate for the staff member
    else:
        user = get_object_or_404(get_user_model(), pk=user_id, is_active=True)
        if not _passed(user, course.id):
            raise Http404(_("There is no such certificate."))
    context, custom_template = learning_filters.CertificateRenderStarted.run_filter(
        context=_certificate_context(user, course, preview or "honor"), custom_template=None)
    context = dict(context, preview=bool(preview), custom_template=custom_template)
    return render(request, CERTIFICATE_TEMPLATE, context)


@require_GET
def certificate_preview(request, course_id):
    """The platform's preview URL (/certificates/course/<course_id>?preview=honor): course staff only."""
    if not request.user.is_authenticated:
        return redirect(f"{settings.LOGIN_URL}?next={request.get_full_path()}")
    return certificate(request, request.user.pk, course_id)


@login_required
@require_GET
def my_certificate(request, course_id):
    """Go to the signed-in learner's certificate: the URL the standalone backend gives."""
    course = course_or_404(course_id)
    url = platform.get_certificate_url(request.user, course.id)
    if url is None:
        messages.info(request, _("You have no certificate for this course yet: pass it first."))
        return redirect(reverse("demo-course-about", args=[course_id]))
    return redirect(url)


# --- 2. the course about page ----------------------------------------------------------------


@require_GET
def course_about(request, course_id):
    """The course about page; anonymous visitors welcome (the platform caches it for them)."""
    course = course_or_404(course_id)
    details = SimpleNamespace(course_id=course.id, short_description=_(
        "A demo course of {org}. Its credits are chosen by its authors in Studio.").format(
            org=course.display_org_with_default), start_text=_("Any time: this course is self-paced."))
    context = {"course": course, "course_details": details, "staff_access": False, **course_urls(course.id)}
    context, template_name = learning_filters.CourseAboutRenderStarted.run_filter(
        context=context, template_name=ABOUT_TEMPLATE)
    return render_mako(request, template_name, context)


# --- 3. the legacy learner dashboard ---------------------------------------------------------


def _enrollments(user):
    """Every demo course plays one of the learner's enrollments."""
    passed = set(StandaloneCourseGrade.objects.filter(user=user, passed=True).values_list("course_key", flat=True))
    return [dict(course=course_object(row), passed=row.course_key in passed, **course_urls(row.course_key))
            for row in StandaloneCourse.objects.order_by("display_name")]


@login_required
@require_GET
def dashboard(request):
    context = {"user": request.user, "course_enrollments": _enrollments(request.user)}
    context, template_name = learning_filters.DashboardRenderStarted.run_filter(
        context=context, template_name=DASHBOARD_TEMPLATE)
    return render_mako(request, template_name, context)


# --- 4. the learner dashboard MFE's API (learner home) ---------------------------------------


def _serialized_courserun(enrollment):
    course = enrollment["course"]
    return {"courseId": str(course.id), "courseNumber": course.display_number_with_default, "isStarted": True,
            "isArchived": False, "minPassingGrade": f"{PASSING_PERCENT:.2f}", "startDate": None, "endDate": None,
            "homeUrl": enrollment["unit_url"], "marketingUrl": enrollment["about_url"],
            "progressUrl": None, "unenrollUrl": None, "upgradeUrl": None, "resumeUrl": enrollment["unit_url"]}


def _serialized_enrollment(enrollment):
    return {"accessExpirationDate": None, "isAudit": False, "hasStarted": True, "coursewareAccess": {
        "hasUnmetPrerequisites": False, "isTooEarly": False, "isStaff": False}, "isVerified": False,
            "canUpgrade": False, "isAuditAccessExpired": False, "isEmailEnabled": True,
            "hasOptedOutOfEmail": False, "lastEnrolled": None, "isEnrolled": True, "mode": "honor",
            "isPassing": enrollment["passed"]}


@login_required
@require_GET
def learner_home_init(request):
    """/api/learner_home/init: each enrollment serialized as the platform's serializers do, with their filters."""
    # The platform's RequestCacheMiddleware starts every request with an empty request cache.
    RequestCache.clear_all_namespaces()
    courses = []
    for enrollment in _enrollments(request.user):
        course_run = learning_filters.CourseRunAPIRenderStarted.run_filter(
            serialized_courserun=_serialized_courserun(enrollment))
        serialized = learning_filters.CourseEnrollmentAPIRenderStarted.run_filter(
            course_key=enrollment["course"].id, serialized_enrollment=_serialized_enrollment(enrollment))
        # run_filter returns the filter's arguments: one value alone, else a tuple.
        courses.append({"course": {"courseName": enrollment["course"].display_name},
                        "courseRun": course_run, "enrollment": serialized[-1] if isinstance(serialized, tuple)
                        else serialized})
    RequestCache.clear_all_namespaces()
    return JsonResponse({"courses": courses})


# --- 5. the instructor dashboard --------------------------------------------------------------


def _staff_course(request, course_id):
    course = course_or_404(course_id)
    if not platform.has_course_staff_access(request.user, course.id):
        raise PermissionDenied(_("Only the course's staff can open its instructor dashboard."))
    return course


def _app_tabs(user, course):
    """The instructor dashboard app's tabs (openedx-filters 3.x only), sorted as the app sorts them."""
    tabs_filter = getattr(learning_filters, "InstructorDashboardTabsRequested", None)
    tabs = [{"tab_id": "course_info", "title": _("Course Info"), "sort_order": 10,
             "url": reverse("demo-instructor-dashboard", args=[str(course.id)]) + "#course_info"}]
    if tabs_filter is not None:
        tabs = tabs_filter.run_filter(tabs=tabs, user=user, course_key=course.id)[0]
    return sorted(tabs, key=lambda tab: tab.get("sort_order", 0))


@login_required
@require_GET
def instructor_dashboard(request, course_id):
    course = _staff_course(request, course_id)
    course_info = {
        "section_key": "course_info", "section_display_name": _("Course Info"), "course_id": str(course.id),
        "template_path_prefix": "/instructor/instructor_dashboard_2/", "course_display_name": course.display_name,
        "graded_learners": StandaloneCourseGrade.objects.filter(course_key=course.id).count(),
    }
    context = {"course": course, "sections": [course_info], "disable_buttons": False}
    context, template_name = learning_filters.InstructorDashboardRenderStarted.run_filter(
        context=context, template_name=INSTRUCTOR_TEMPLATE)
    context = dict(context, app_tabs=_app_tabs(request.user, course))
    return render_mako(request, template_name, context)


# --- 7. "simulate passing" --------------------------------------------------------------------


def _standing_awards(user, course_key):
    return [a for a in api.get_learner_course_awards(user.pk, course_key) if a.status == AwardStatus.AWARDED]


def _back(request, course_id):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(reverse("demo-course-unit", args=[course_id]))


def _pass_and_send(request, course_id, send):
    """
    Mark the learner's grade passing, then ``send(course, user, grade)`` the platform's event; the
    number of credits it awarded (Celery runs eagerly in the demo and no transaction is open: the
    award is done when the event returns). The views that call it open no request transaction: the
    platform sends these events from its grading and certificate tasks, outside any request's.
    """
    course, user = course_or_404(course_id), request.user
    before = len(_standing_awards(user, course.id))
    grade, _created = StandaloneCourseGrade.objects.get_or_create(user=user, course_key=course.id)
    grade.percent, grade.passed = max(grade.percent, PASSING_PERCENT), True
    grade.save()
    send(CourseData(course_key=course.id, display_name=course.display_name),
         UserData(id=user.pk, is_active=user.is_active, pii=UserPersonalData(
             username=user.username, email=user.email, name=user.get_full_name())), grade)
    return course, len(_standing_awards(user, course.id)) - before


@transaction.non_atomic_requests
@login_required
@require_POST
def simulate_passing(request, course_id):
    """Mark the learner's grade passing, then send the platform's COURSE_PASSING_STATUS_UPDATED event."""
    course, earned = _pass_and_send(request, course_id, lambda course, user, grade: (
        COURSE_PASSING_STATUS_UPDATED.send_event(course_passing_status=CoursePassingStatusData(
            is_passing=True, course=course, user=user))))
    if earned > 0:
        messages.success(request, _("You now pass {course}: {count} credit(s) awarded.").format(
            course=course.display_name, count=earned))
    else:
        messages.info(request, _("You now pass {course}. No new credit was awarded: you hold them already, or "
                                 "this course does not award its credits on passing.").format(
                                     course=course.display_name))
    return _back(request, course_id)


@transaction.non_atomic_requests
@login_required
@require_POST
def issue_certificate(request, course_id):
    """
    Issue the learner's certificate as the platform does once they pass: the grade passes, then
    CERTIFICATE_CREATED is sent. A course that awards with the certificate awards now.
    """
    download_url = request.build_absolute_uri(reverse("demo-my-certificate", args=[course_id]))
    course, earned = _pass_and_send(request, course_id, lambda course, user, grade: (
        CERTIFICATE_CREATED.send_event(certificate=CertificateData(
            user=user, course=course, mode="verified", grade=str(grade.percent), current_status="downloadable",
            download_url=download_url, name=user.pii.name))))
    if earned > 0:
        messages.success(request, _("Your certificate for {course} is issued: {count} credit(s) awarded.").format(
            course=course.display_name, count=earned))
    else:
        messages.info(request, _("Your certificate for {course} is issued. No new credit was awarded: you hold "
                                 "them already, or this course does not award its credits with the "
                                 "certificate.").format(course=course.display_name))
    return _back(request, course_id)
