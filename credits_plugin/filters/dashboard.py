"""
The learner's credit totals on the legacy learner dashboard (``DashboardRenderStarted``).

Adds ``course_credits_summary`` (totals per credit type and the summary page's
URL) and ``credits_dashboard_html`` to the context, and, when the template is the
platform's ``dashboard.html``, returns the plugin's Mako template
``credits_plugin/dashboard.html``, which inherits the platform's dashboard and shows
the summary in main.html's ``bodyextra`` block, under the course list. The full
summary lives at /credits/me/. Two queries at most (the awards, the course names).
"""
from django.template.loader import render_to_string
from openedx_filters import PipelineStep

from credits_plugin import api
from credits_plugin.filters.common import (
    LEARNER_SUMMARY_PATH,
    current_user,
    mako_templates_registered,
    safe_step,
)

PLATFORM_TEMPLATE = "dashboard.html"
CREDITS_TEMPLATE = "credits_plugin/dashboard.html"
SUMMARY_TEMPLATE = "credits_plugin/filters/dashboard_summary.html"


def _user(context):
    user = context.get("user")
    if user is not None and getattr(user, "is_authenticated", False) and getattr(user, "pk", None):
        return user
    return current_user()


class DashboardCredits(PipelineStep):
    """Show the learner's credit totals and a link to their summary."""

    @safe_step
    def run_filter(self, context, template_name, **kwargs):  # pylint: disable=arguments-differ,unused-argument
        user = _user(context)
        if user is None:
            return {}
        summary = api.get_learner_summary(user, with_awards=False)
        if not summary.totals:
            return {}
        totals = [{"credit_type": t.display_credit_type, "unit": t.display_unit, "amount": str(t.amount)}
                  for t in summary.totals]
        data = {"totals": totals, "summary_url": LEARNER_SUMMARY_PATH}
        new_context = dict(context)
        new_context["course_credits_summary"] = data
        new_context["credits_dashboard_html"] = render_to_string(SUMMARY_TEMPLATE, data)
        changes = {"context": new_context}
        if template_name == PLATFORM_TEMPLATE and mako_templates_registered():
            changes["template_name"] = CREDITS_TEMPLATE
        return changes
