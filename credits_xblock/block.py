"""
The ``course_credits`` XBlock.

Shows, inside a course, the credits the course awards and, to a signed-in learner,
whether they have earned them (when, how much) or how to earn them. It holds no rules:
everything it shows comes from ``credits_plugin.api``, imported inside a function so the
block loads in any runtime (the LMS, Studio, the xblock-sdk workbench, XBlock's test
runtimes). What it shows is built in ``credits_xblock.state``; templates and static files
are handled in ``credits_xblock.rendering``.
"""
import logging
from urllib.parse import quote

from xblock.core import XBlock
from xblock.exceptions import JsonHandlerError
from xblock.fields import Boolean, Scope, String

from credits_xblock import rendering
from credits_xblock.state import Learner, build_state, course_key_of

logger = logging.getLogger(__name__)

MAX_HEADING_LENGTH = 255
STUDIO_SETTINGS_URL = "/credits/studio/{course_id}/"


def _(text):
    """Mark a string for translation; the runtime's i18n service translates it when shown."""
    return text


DEFAULT_HEADING = _("Course credits")


def credits_api():
    """``credits_plugin.api``, imported on first use: runtimes without a course never load the plugin."""
    from credits_plugin import api  # pylint: disable=import-outside-toplevel

    return api


@XBlock.needs("i18n")
@XBlock.wants("user")
class CourseCreditsXBlock(XBlock):
    """Shows the credits a course awards, and the learner's own status."""

    display_name = String(
        display_name=_("Heading"),
        help=_("The title learners see above the course's credits."),
        default=DEFAULT_HEADING,
        scope=Scope.settings,
    )
    show_learner_status = Boolean(
        display_name=_("Show the learner's status"),
        help=_("Signed-in learners see whether they have earned the credits, or how to earn them."),
        default=True,
        scope=Scope.settings,
    )

    # Helpers

    def gettext(self, text):
        """Translate with the runtime's i18n service."""
        service = self.runtime.service(self, "i18n")
        translate = getattr(service, "gettext", None) or service.ugettext
        return translate(text)

    def heading(self):
        """The heading to show: the author's, or the translated default."""
        return self.gettext(DEFAULT_HEADING) if self.display_name == DEFAULT_HEADING else self.display_name

    def learner(self):
        """The current user, as the runtime's optional ``user`` service describes them."""
        return Learner.from_user_service(self.runtime.service(self, "user"))

    def may_change(self):
        """
        Whether the current user may change the block's settings: in a course, a user with Studio
        write access to it (asked of the plugin, whatever role name the runtime gives); outside a
        course (the workbench), a runtime that says the user is course staff or instructor.
        """
        learner = self.learner()
        course_key = course_key_of(self.scope_ids.usage_id)
        if course_key is None:
            return learner.role in ("staff", "instructor")
        return learner.user_id is not None and credits_api().can_change_course(learner.user_id, course_key)

    def view_state(self, show_learner_status=None):
        """Everything the views show (see ``credits_xblock.state.build_state``)."""
        if show_learner_status is None:
            show_learner_status = self.show_learner_status
        return build_state(self.scope_ids.usage_id, self.learner() if show_learner_status else Learner(known=False),
                           load_api=credits_api, show_learner_status=show_learner_status, gettext=self.gettext)

    def render_html(self, template_name, state, **extra):
        """Render one of the block's templates with its heading and the runtime's i18n service."""
        context = {"state": state, "heading": self.heading(), "heading_id": rendering.dom_id(self.scope_ids.usage_id)}
        context.update(extra)
        return rendering.render(template_name, context, self.runtime.service(self, "i18n"))

    # Views

    def student_view(self, context=None):  # pylint: disable=unused-argument
        """What learners see in the unit."""
        state = self.view_state()
        return rendering.fragment(self.render_html("credits_xblock/student_view.html", state),
                                  js="static/js/student_view.js", init="CourseCreditsStudentView")

    def author_view(self, context=None):  # pylint: disable=unused-argument
        """Studio's preview: what learners see, and a note when the course's credits need attention."""
        state = self.view_state(show_learner_status=False)
        settings_url = STUDIO_SETTINGS_URL.format(course_id=quote(state["course_id"] or "", safe=":+"))
        html = self.render_html("credits_xblock/author_view.html", state, settings_url=settings_url,
                                show_learner_status=self.show_learner_status)
        return rendering.fragment(html)

    def studio_view(self, context=None):  # pylint: disable=unused-argument
        """The editor: heading text, and whether to show the learner's status."""
        html = self.render_html("credits_xblock/studio_view.html", None, show_learner_status=self.show_learner_status,
                                max_heading_length=MAX_HEADING_LENGTH)
        return rendering.fragment(html, js="static/js/studio_view.js", init="CourseCreditsStudioView")

    # Handlers

    @XBlock.json_handler
    def learner_status(self, data, suffix=""):  # pylint: disable=unused-argument
        """The data student_view shows, with its HTML, for the page to refresh itself."""
        state = self.view_state()
        return dict(state, html=rendering.render("credits_xblock/_body.html", {
            "state": state, "heading_id": rendering.dom_id(self.scope_ids.usage_id),
        }, self.runtime.service(self, "i18n")))

    @XBlock.json_handler
    def update_settings(self, data, suffix=""):  # pylint: disable=unused-argument
        """Save the editor's fields: ``{"heading": str, "show_learner_status": bool}``; both optional."""
        if not self.may_change():
            raise JsonHandlerError(403, self.gettext("Only course authors can change this block."))
        if not isinstance(data, dict):
            raise JsonHandlerError(400, self.gettext("Send the settings as a JSON object."))
        heading = data.get("heading", self.display_name)
        show = data.get("show_learner_status", self.show_learner_status)
        if not isinstance(heading, str) or not heading.strip():
            raise JsonHandlerError(400, self.gettext("Enter a heading."))
        if len(heading.strip()) > MAX_HEADING_LENGTH:
            raise JsonHandlerError(400, self.gettext("Use a heading of at most {max} characters.").format(
                max=MAX_HEADING_LENGTH))
        if not isinstance(show, bool):
            raise JsonHandlerError(400, self.gettext("Say with true or false whether to show the learner's status."))
        heading = heading.strip()
        # Saving the default heading unchanged keeps it translated for every learner.
        self.display_name = DEFAULT_HEADING if heading == self.gettext(DEFAULT_HEADING) else heading
        self.show_learner_status = show
        return {"heading": self.heading(), "show_learner_status": self.show_learner_status}

    @staticmethod
    def workbench_scenarios():
        """Scenarios for the xblock-sdk workbench (which has no course: the block says so)."""
        return [
            ("Course credits", "<course_credits/>"),
            ("Course credits: custom heading, no learner status",
             '<course_credits display_name="Credits you can earn" show_learner_status="false"/>'),
        ]
