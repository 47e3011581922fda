"""
The "Credits" part of the instructor dashboard, for course staff.

* Legacy dashboard (``InstructorDashboardRenderStarted``): a section appended to
  ``context["sections"]``. The platform's template includes, for each section,
  the Mako file ``<template_path_prefix><section_key>.html``: the plugin's
  ``credits_plugin/instructor/course_credits.html`` prints the section's fragment,
  whose HTML is ``credits_plugin.views.instructor.render_panel(request, course_key)``.
  The section is added only when that Mako file can be found (the plugin's Mako
  folder is registered), since a missing include would break the whole page.
* Instructor dashboard app (``InstructorDashboardTabsRequested``, openedx-filters 3.x
  only; the step is inert where the filter does not exist): a tab linking to the
  plugin's page /credits/instructor/<course_id>/.
"""
from django.utils.translation import gettext as _
from openedx_filters import PipelineStep

from credits_plugin import api
from credits_plugin.filters.common import (
    current_request,
    current_user,
    lms_url,
    mako_templates_registered,
    safe_step,
    to_course_key,
)

SECTION_KEY = "course_credits"
TEMPLATE_PATH_PREFIX = "/credits_plugin/instructor/"
TAB_ID = "course_credits"
TAB_SORT_ORDER = 1000  # after the platform's own tabs


def instructor_page_path(course_key):
    return f"/credits/instructor/{course_key}/"


def _fragment(html):
    from web_fragments.fragment import Fragment  # pylint: disable=import-outside-toplevel

    return Fragment(html)


class InstructorDashboardCredits(PipelineStep):
    """Append a "Credits" section to the legacy instructor dashboard, for course staff."""

    @safe_step
    def run_filter(self, context, template_name, **kwargs):  # pylint: disable=arguments-differ,unused-argument
        course_key = to_course_key(context.get("course")) or to_course_key(context.get("course_id"))
        user = current_user()
        if course_key is None or user is None or not mako_templates_registered():
            return {}
        sections = list(context.get("sections") or [])
        if any(section.get("section_key") == SECTION_KEY for section in sections):
            return {}
        if not api.is_course_staff(user, course_key):
            return {}
        from credits_plugin.views.instructor import render_panel  # pylint: disable=import-outside-toplevel

        html = render_panel(current_request(), course_key)
        sections.append({
            "section_key": SECTION_KEY,
            "section_display_name": _("Credits"),
            "fragment": _fragment(html),
            "course_id": str(course_key),
            "template_path_prefix": TEMPLATE_PATH_PREFIX,
        })
        return {"context": {**context, "sections": sections}}


class InstructorDashboardCreditsTab(PipelineStep):
    """Add a "Credits" tab to the instructor dashboard app, for course staff."""

    @safe_step
    def run_filter(self, tabs, user, course_key, **kwargs):  # pylint: disable=arguments-differ,unused-argument
        key = to_course_key(course_key)
        if key is None or user is None or not getattr(user, "is_authenticated", False):
            return {}
        tabs = list(tabs or [])
        if any(tab.get("tab_id") == TAB_ID for tab in tabs):
            return {}
        if not api.is_course_staff(user, key):
            return {}
        tabs.append({
            "tab_id": TAB_ID,
            "title": _("Credits"),
            "url": lms_url(instructor_page_path(key)),
            "sort_order": TAB_SORT_ORDER,
        })
        return {"tabs": tabs}
