"""
The ``course_credits`` XBlock.

It holds no rules: everything it shows comes from ``credits_plugin.api``,
imported inside methods so the block loads in any runtime (the LMS, Studio,
the xblock-sdk workbench, XBlock's test runtimes).
"""
import functools
import logging

from django.template import Context, Engine
from xblock.core import XBlock
from xblock.fields import Scope, String

try:  # web-fragments, a dependency of XBlock
    from web_fragments.fragment import Fragment
except ImportError:  # releases that stop shipping it separately keep the xblock.fragment alias
    from xblock.fragment import Fragment

logger = logging.getLogger(__name__)


def _(text):
    """Mark a string for translation; the runtime's i18n service translates it."""
    return text


@functools.lru_cache(maxsize=1)
def template_engine():
    """A Django template engine over the plugin's template folder, whatever the runtime's settings."""
    from credits_plugin import templates_dir  # pylint: disable=import-outside-toplevel

    return Engine(dirs=[str(templates_dir())], autoescape=True,
                  libraries={"i18n": "django.templatetags.i18n", "l10n": "django.templatetags.l10n"})


def render(template_name, context):
    """Render one of the XBlock's templates (autoescaped)."""
    return template_engine().get_template(template_name).render(Context(context))


@XBlock.needs("i18n")
class CourseCreditsXBlock(XBlock):
    """Shows the credits a course awards."""

    display_name = String(display_name=_("Display name"), default=_("Course credits"), scope=Scope.settings)

    def course_key(self):
        """The course this block lives in, or None (the workbench and test runtimes have no course)."""
        key = getattr(self.scope_ids.usage_id, "context_key", None)
        return key if key is not None and hasattr(key, "org") else None

    def course_credits(self):
        """The course's designations when credits are on; () when off, outside a course, or on error."""
        course_key = self.course_key()
        if course_key is None:
            return ()
        try:
            from credits_plugin import api  # pylint: disable=import-outside-toplevel

            settings = api.get_course_settings(course_key)
        except Exception:  # pylint: disable=broad-except
            logger.exception("Could not read the credits of course %s", course_key)
            return ()
        return settings.credits if settings.enabled else ()

    def student_view(self, context=None):  # pylint: disable=unused-argument
        html = render("credits_xblock/student_view.html", {
            "heading": self.display_name,
            "in_course": self.course_key() is not None,
            "credits": self.course_credits(),
        })
        return Fragment(html)

    @staticmethod
    def workbench_scenarios():
        return [("Course credits", "<course_credits/>")]
