"""
The standalone backend: the twin of ``credits_plugin.platform.openedx`` for tests and the demo.

It plays the few parts of openedx-platform the plugin asks about (course names,
course roles, passing grades) from three small tables of its own. Add
``credits_plugin.platform.standalone`` to INSTALLED_APPS and set
``CREDITS_PLATFORM_BACKEND = "credits_plugin.platform.standalone"``; never in
production.
"""
# pylint: disable=import-outside-toplevel
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import CharField
from django.db.models.functions import Cast

from credits_plugin.settings import credits_setting

STAFF_ROLES = ("staff", "instructor")
def has_studio_write_access(user, course_key):
    from credits_plugin.platform.standalone.models import StandaloneCourseAccess

    return user.is_staff or StandaloneCourseAccess.objects.filter(
        user=user, course_key=course_key, role__in=STAFF_ROLES).exists()


def has_course_staff_access(user, course_key):
    return has_studio_write_access(user, course_key)


def get_course_names(course_keys):
    from credits_plugin.platform.standalone.models import StandaloneCourse

    rows = StandaloneCourse.objects.filter(course_key__in=course_keys).values_list(
        Cast("course_key", output_field=CharField()), "display_name")
    return dict(rows)


def get_certificate_urls(user, course_keys):
    """A certificate for every course the learner passes (the demo issues one on passing)."""
    from credits_plugin.platform.standalone.models import StandaloneCourseGrade

    template = credits_setting("CREDITS_STANDALONE_CERTIFICATE_URL")
    passed = StandaloneCourseGrade.objects.filter(user=user, course_key__in=course_keys, passed=True).values_list(
        Cast("course_key", output_field=CharField()), flat=True)
    return {course_id: template.format(user_id=user.pk, course_id=course_id) for course_id in passed}


def get_issuer(course_key):
    """The demo's site name and root URL (settings), and the organization of the course key."""
    return {
        "name": getattr(settings, "PLATFORM_NAME", "") or "Course Credits",
        "url": getattr(settings, "LMS_ROOT_URL", ""),
        "organization": course_key.org if course_key is not None else "",
    }


def iter_passing_user_ids(course_key, batch_size, with_pass_dates=False):
    """Passing grades by learner id; the demo's grade was passed when it last changed (``modified``)."""
    from credits_plugin.platform import user_id_batches
    from credits_plugin.platform.standalone.models import StandaloneCourseGrade

    passing = StandaloneCourseGrade.objects.filter(course_key=course_key, passed=True)
    yield from user_id_batches(passing, batch_size, "modified" if with_pass_dates else None)


def iter_qualifying_changes(trigger, course_keys, since, batch_size):  # pylint: disable=unused-argument
    """Passing grades changed since ``since`` (the demo issues a certificate with every pass, whatever the trigger)."""
    from credits_plugin.platform import qualifying_change_batches
    from credits_plugin.platform.standalone.models import StandaloneCourseGrade

    rows = StandaloneCourseGrade.objects.filter(course_key__in=course_keys, passed=True)
    return qualifying_change_batches(rows, "modified", "modified", since, batch_size)


def count_passing_users(course_key):
    from credits_plugin.platform.standalone.models import StandaloneCourseGrade

    return StandaloneCourseGrade.objects.filter(course_key=course_key, passed=True).count()


def get_user_by_username(username):
    return get_user_model().objects.filter(username=username).first()


def get_learner_name(user):
    return user.get_full_name().strip()


# Studio's page is Mako in the platform: the demo plays it through the same parts as the Open edX backend.
def get_page_base_template(surface):
    """The demo's stand-ins of the LMS's main_django.html and of Studio's frame (CREDITS_STANDALONE_BASE_TEMPLATES)."""
    templates = credits_setting("CREDITS_STANDALONE_BASE_TEMPLATES")
    return templates.get(surface) or templates["lms"]


def get_page_links(course_key=None):
    """The demo's pages at the platform's paths."""
    links = {"dashboard": "/dashboard"}
    if course_key is not None:
        links["instructor_dashboard"] = f"/courses/{course_key}/instructor"
        links["studio_course"] = f"/#course-{course_key}"
    return links


def frame_page(request, parts, course_key):  # pylint: disable=unused-argument
    """
    The stand-in of Studio's own page around the parts: a Django template of the demo or the tests
    (CREDITS_STANDALONE_PARTS_FRAME) given the variables the plugin's Mako frame gets in Studio.
    """
    from django.template.loader import render_to_string

    template = credits_setting("CREDITS_STANDALONE_PARTS_FRAME")
    context = {"credits_title": parts["title"], "credits_bodyclass": parts["bodyclass"],
               "credits_head": parts["head"], "credits_body": parts["body"]}
    return render_to_string(template, context, request=request)


def get_learner_language(user):
    """The language the learner chose (a preference row, as the platform's ``UserPreference``)."""
    from credits_plugin.platform.standalone.models import StandaloneLanguagePreference

    return StandaloneLanguagePreference.objects.filter(user=user).values_list("language", flat=True).first()


def send_learner_email(user, subject, body, language):  # pylint: disable=unused-argument
    """Django's own mail (the demo prints it to the console; tests read ``mail.outbox``): whether it went."""
    from django.core.mail import send_mail  # pylint: disable=import-outside-toplevel

    return send_mail(subject, body, None, [user.email]) > 0
