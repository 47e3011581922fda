"""
The ``course_credits`` Studio course app: "Course credits" in Pages & Resources, with an
on/off toggle (the course's ``enabled`` setting) and a link to the settings page.

Registered with the entry point group ``openedx.course_app``.
"""
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from credits_plugin import api


class CreditsCourseApp(api.course_app_base()):
    """Course credits, as a course app of Studio's Pages & Resources."""

    app_id = "course_credits"
    name = _("Course credits")
    description = _("Award continuing-education and accredited credits to learners who pass the course.")
    documentation_links = {"learn_more_configuration": ""}

    @classmethod
    def is_available(cls, course_key):  # pylint: disable=unused-argument
        return True

    @classmethod
    def is_enabled(cls, course_key):
        return api.course_award_flags(course_key).enabled

    @classmethod
    def set_enabled(cls, course_key, enabled, user):
        """Switch credits on or off, keeping the designations; recorded in the history with the author."""
        return api.set_course_enabled(course_key, bool(enabled), user=user).enabled

    @classmethod
    def get_allowed_operations(cls, course_key, user=None):  # pylint: disable=unused-argument
        # The platform's view already requires Studio write access to the course.
        return {"enable": True, "configure": True}

    @classmethod
    def legacy_link(cls, course_key):
        """The plugin's own settings page, which the platform shows as the app's settings link."""
        return reverse("credits_plugin:studio-course-settings", kwargs={"course_id": str(course_key)})
