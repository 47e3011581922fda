"""
The Open edX backend: reaches openedx-platform code, each import inside a function.

This module imports cleanly without the platform; its functions only work inside
the LMS or Studio. ``credits_plugin.platform.standalone`` is its twin for tests
and the demo.
"""
# pylint: disable=import-error,import-outside-toplevel
import functools

from django.contrib.auth import get_user_model
from django.db.models import CharField
from django.db.models.functions import Cast


def has_studio_write_access(user, course_key):
    from common.djangoapps.student.auth import has_studio_write_access as platform_check

    return platform_check(user, course_key)


def has_course_staff_access(user, course_key):
    try:
        from lms.djangoapps.courseware.access import has_access
    except ImportError:  # in Studio: course authors are the course's staff there
        return has_studio_write_access(user, course_key)
    return bool(has_access(user, "staff", course_key))


def get_course_names(course_keys):
    from openedx.core.djangoapps.content.course_overviews.models import CourseOverview

    # The id as text: parsing hundreds of course keys costs more than the query.
    rows = CourseOverview.objects.filter(id__in=course_keys).values_list(
        Cast("id", output_field=CharField()), "display_name")
    return {course_id: name or course_id for course_id, name in rows}


def get_certificate_urls(user, course_keys):
    """
    The learner's downloadable certificates: the platform's own serialization gives each one's
    web view (with its ``verify_uuid``, which HTML certificates need) or its PDF link.
    """
    if _is_studio():  # the lms package imports there, but the certificates app is not installed
        return {}
    from lms.djangoapps.certificates.api import get_certificates_for_user_by_course_keys

    certificates = get_certificates_for_user_by_course_keys(user, set(course_keys))
    return {str(course_key): data["download_url"] for course_key, data in certificates.items()
            if data and data.get("download_url")}


def get_issuer(course_key):
    """The site (its configured name and LMS root URL) and the course's organization."""
    from django.conf import settings
    from openedx.core.djangoapps.site_configuration import helpers as configuration_helpers

    organization = course_key.org if course_key is not None else ""
    try:
        from organizations.api import get_course_organizations

        organizations = get_course_organizations(course_key) if course_key is not None else []
        if organizations:
            organization = organizations[0].get("name") or organization
    except ImportError:
        pass
    # As text: the platform's own PLATFORM_NAME is a lazy translation, which JSON cannot hold.
    return {
        "name": str(configuration_helpers.get_value("PLATFORM_NAME", getattr(settings, "PLATFORM_NAME", "")) or ""),
        "url": str(configuration_helpers.get_value("LMS_ROOT_URL", getattr(settings, "LMS_ROOT_URL", "")) or ""),
        "organization": str(organization or ""),
    }


def iter_passing_user_ids(course_key, batch_size, with_pass_dates=False):
    """Learners whose persisted course grade passes now (``passed_timestamp`` set, their pass date), by id."""
    from lms.djangoapps.grades.models import PersistentCourseGrade

    from credits_plugin.platform import user_id_batches

    passing = PersistentCourseGrade.objects.filter(course_id=course_key, passed_timestamp__isnull=False)
    yield from user_id_batches(passing, batch_size, "passed_timestamp" if with_pass_dates else None)


def iter_qualifying_changes(trigger, course_keys, since, batch_size):
    """
    Passing grades (``PersistentCourseGrade``, read along its ``(modified, course_id)`` index), or
    for the certificate trigger certificates that can be viewed (``GeneratedCertificate``), changed
    since ``since``: the qualifying time is when the learner first passed, or the certificate was made.
    """
    from credits_plugin.platform import qualifying_change_batches

    if trigger == "certificate":
        from lms.djangoapps.certificates.data import CertificateStatuses
        from lms.djangoapps.certificates.models import GeneratedCertificate

        rows = GeneratedCertificate.objects.filter(course_id__in=course_keys, status=CertificateStatuses.downloadable)
        return qualifying_change_batches(rows, "modified_date", "created_date", since, batch_size)
    from lms.djangoapps.grades.models import PersistentCourseGrade

    rows = PersistentCourseGrade.objects.filter(course_id__in=course_keys, passed_timestamp__isnull=False)
    return qualifying_change_batches(rows, "modified", "passed_timestamp", since, batch_size)


def count_passing_users(course_key):
    from lms.djangoapps.grades.models import PersistentCourseGrade

    return PersistentCourseGrade.objects.filter(course_id=course_key, passed_timestamp__isnull=False).count()


def get_user_by_username(username):
    return get_user_model().objects.filter(username=username).first()


def get_learner_name(user):
    """The name on the learner's profile, as their certificate shows it."""
    profile = getattr(user, "profile", None)  # common.djangoapps.student.models.UserProfile
    return (getattr(profile, "name", "") or user.get_full_name()).strip()


def _is_studio():
    from django.conf import settings

    return getattr(settings, "SERVICE_VARIANT", "lms") == "cms"


def get_page_base_template(surface):  # pylint: disable=unused-argument
    """The LMS's main_django.html; in Studio, whose page is Mako, the parts that frame_page puts into it."""
    return "credits_plugin/frames/parts.html" if _is_studio() else "main_django.html"


def frame_page(request, parts, course_key):
    """Studio's own page (cms/templates/base.html) around the parts, with the course's menu in its header."""
    from common.djangoapps.edxmako.shortcuts import render_to_string

    course = None
    if course_key is not None:
        from xmodule.modulestore.django import modulestore

        course = modulestore().get_course(course_key)
    context = {"credits_title": parts["title"], "credits_bodyclass": parts["bodyclass"],
               "credits_head": parts["head"], "credits_body": parts["body"], "context_course": course}
    return render_to_string("credits_plugin/studio_frame.html", context, request=request)


def get_page_links(course_key=None):
    from django.conf import settings

    lms = getattr(settings, "LMS_ROOT_URL", "").rstrip("/")
    links = {"dashboard": getattr(settings, "LEARNER_HOME_MICROFRONTEND_URL", None) or f"{lms}/dashboard"}
    if course_key is not None:
        links["instructor_dashboard"] = f"{lms}/courses/{course_key}/instructor"
        if _is_studio():
            # The authoring MFE's outline where the site uses it (None otherwise), else Studio's own.
            # Only in Studio: in the LMS the cms package imports, but its models are not installed.
            from cms.djangoapps.contentstore.utils import get_course_outline_url

            links["studio_course"] = get_course_outline_url(course_key) or f"/course/{course_key}"
        else:
            cms = getattr(settings, "CMS_ROOT_URL", "").rstrip("/")
            links["studio_course"] = f"{cms}/course/{course_key}"
    return links


def get_learner_language(user):
    """The learner's language preference, the one the platform's own emails are written in."""
    from openedx.core.djangoapps.lang_pref import LANGUAGE_KEY
    from openedx.core.djangoapps.user_api.preferences.api import get_user_preference

    return get_user_preference(user, LANGUAGE_KEY)


def send_learner_email(user, subject, body, language):
    """
    Through edx-ace, as the platform's own messages go (its channels, its site's sender, its
    layout rendered in the learner's language): the templates are
    ``credits_plugin/edx_ace/creditsmessage/email/``. The layout needs a request (its tracking
    pixel): a decision made outside one (a shell, a command, a task) is sent inside the
    platform's ``emulate_http_request``, as its own tasks send theirs. Returns whether a channel
    delivered it.
    """
    import crum
    from django.contrib.sites.models import Site
    from edx_ace import ace
    from edx_ace.recipient import Recipient
    from openedx.core.djangoapps.ace_common.template_context import get_base_template_context

    request = crum.get_current_request()
    site = getattr(request, "site", None) or Site.objects.get_current()
    context = get_base_template_context(site)
    context.update({"credits_subject": subject, "credits_body": body})
    message = _credits_message_type()().personalize(
        recipient=Recipient(user.id, user.email), language=language, user_context=context,
    )
    if request is not None:
        return _send_and_confirm(ace, message)
    from openedx.core.lib.celery.task_utils import emulate_http_request

    with emulate_http_request(site=site, user=user):
        return _send_and_confirm(ace, message)


def _send_and_confirm(ace, message):
    """
    ``ace.send``, and whether a channel delivered the message: edx-ace logs a channel's failure
    and returns as if it had sent, but sends ``ACE_MESSAGE_SENT`` only after a delivery.
    """
    try:
        from edx_ace.signals import ACE_MESSAGE_SENT
    except ImportError:  # an edx-ace without the signal: what was handed over counts as sent
        ace.send(message)
        return True
    delivered = []

    def record(sender, message=None, **kwargs):  # pylint: disable=unused-argument
        delivered.append((message or {}).get("uuid"))

    uid = f"credits-plugin-{message.uuid}"
    ACE_MESSAGE_SENT.connect(record, weak=False, dispatch_uid=uid)
    try:
        ace.send(message)
    finally:
        ACE_MESSAGE_SENT.disconnect(dispatch_uid=uid)
    return str(message.uuid) in delivered


@functools.cache
def _credits_message_type():
    """
    The plugin's edx-ace message type: one for every message to a learner, whose subject and text
    the plugin makes (and translates); the templates put them into the platform's email layout.
    """
    from openedx.core.djangoapps.ace_common.message import BaseMessageType

    class CreditsMessage(BaseMessageType):
        APP_LABEL = "credits_plugin"
        NAME = "creditsmessage"

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.options["transactional"] = True  # it answers something the learner did

    return CreditsMessage
