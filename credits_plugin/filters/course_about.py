"""
The course's credits card on the legacy course about page (``CourseAboutRenderStarted``).

The about view renders the template name the pipeline returns. When it is the
platform's own ``courseware/course_about.html``, the step returns the plugin's Mako
template ``credits_plugin/course_about.html``, which inherits the platform's (or the
theme's) about page and adds the card under the important dates; nothing of the
platform is patched. The card's HTML (``credits_about_card_html``) and its data
(``course_credits``) go into the context too, for themes.

The view is cached for anonymous visitors, so the card holds nothing personal. It
comes from the cached course card, which says how the credits are earned too: no
query when warm.
"""
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from openedx_filters import PipelineStep

from credits_plugin.constants import AwardTrigger
from credits_plugin.filters.common import (
    course_card,
    in_card_order,
    mako_templates_registered,
    safe_step,
    to_course_key,
)

PLATFORM_TEMPLATE = "courseware/course_about.html"
CREDITS_TEMPLATE = "credits_plugin/course_about.html"
CARD_TEMPLATE = "credits_plugin/filters/course_card.html"


def _course_key(context):
    return to_course_key(context.get("course")) or to_course_key(context.get("course_details")) or to_course_key(
        context.get("course_id"))


def how_earned(trigger):
    """The sentence that tells a visitor how the course's credits are earned (the XBlock's words)."""
    if trigger == AwardTrigger.CERTIFICATE:
        return _("You earn these credits when your certificate for this course is issued.")
    if trigger == AwardTrigger.MANUAL:
        return _("Course staff award these credits by hand. Ask them what you need to do to receive them.")
    return _("You earn these credits when you pass this course.")


class CourseAboutCredits(PipelineStep):
    """Show the course's credits on its about page."""

    @safe_step
    def run_filter(self, context, template_name, **kwargs):  # pylint: disable=arguments-differ,unused-argument
        course_key = _course_key(context)
        if course_key is None:
            return {}
        card = in_card_order(course_card(course_key))
        if not card:
            return {}
        new_context = dict(context)
        new_context["course_credits"] = [{key: value for key, value in item.items() if key != "award_trigger"}
                                         for item in card]
        new_context["credits_about_card_html"] = render_to_string(CARD_TEMPLATE, {
            "credits": card, "how_earned": how_earned(card[0].get("award_trigger"))})
        changes = {"context": new_context}
        # Another plugin or a theme may have chosen its own template: leave that one alone.
        if template_name == PLATFORM_TEMPLATE and mako_templates_registered():
            changes["template_name"] = CREDITS_TEMPLATE
        return changes
