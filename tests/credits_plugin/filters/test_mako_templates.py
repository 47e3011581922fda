"""
The plugin's Mako page templates, rendered by real Mako against stand-ins of the
platform's templates that keep what the plugin relies on: main.html renders the page
body (``self.body()`` in openedx-platform; ``next.body()`` in some forks) then a
``bodyextra`` block; the about page has a ``course_about_important_dates`` block; the
instructor dashboard includes ``<template_path_prefix><section_key>.html``.
"""
import pytest
from web_fragments.fragment import Fragment

from credits_plugin.filters.common import mako_dir
from credits_plugin.filters.course_about import CREDITS_TEMPLATE as ABOUT_TEMPLATE
from credits_plugin.filters.dashboard import CREDITS_TEMPLATE as DASHBOARD_TEMPLATE
from credits_plugin.filters.instructor import SECTION_KEY, TEMPLATE_PATH_PREFIX

mako_lookup = pytest.importorskip("mako.lookup")

CARD = '<section class="course-credits-card">Ethics &amp; more</section>'

PLATFORM = {
    "courseware/course_about.html": """<%page expression_filter="h"/>
<%inherit file="../main.html"/>
<section class="course-info"><h1>${course_name}</h1>
<%block name="course_about_important_dates"><ol class="important-dates"><li>Course Number</li></ol></%block>
</section>
""",
    "dashboard.html": """<%page expression_filter="h"/>
<%inherit file="main.html"/>
<main id="main"><ul class="listing-courses"><li>${course_name}</li></ul></main>
""",
    "instructor/instructor_dashboard_2/instructor_dashboard_2.html": """<%page expression_filter="h"/>
% for section_data in sections:
<section id="${section_data['section_key']}">
<%include file="${section_data.get('template_path_prefix', '')}${section_data['section_key']}.html"
          args="section_data=section_data"/>
</section>
% endfor
""",
}
# Studio's own page (cms/templates/base.html) as far as the plugin's frame relies on it: blocks
# title, header_extras, bodyclass and content, and the course's name from context_course.
STUDIO_BASE = """<%page expression_filter="h"/>
<html><head><title><%block name="title"></%block> | ${context_course.display_name_with_default} | Studio</title>
<%block name="header_extras"></%block></head>
<body class="<%block name='bodyclass'></%block> lang_en">
<div class="wrapper wrapper-view"><header>Studio header</header>
<main id="main"><div id="content"><%block name="content"></%block></div></main><footer>Studio footer</footer></div>
</body></html>
"""
MAIN = """<%page expression_filter="h"/>
<html><body><div id="content">${BODY}<%block name="bodyextra"/></div><footer>Footer</footer></body></html>
"""


@pytest.fixture(params=["self.body()", "next.body()"])
def lookup(request, tmp_path):
    templates = {**PLATFORM, "main.html": MAIN.replace("BODY", request.param), "base.html": STUDIO_BASE}
    for name, text in templates.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return mako_lookup.TemplateLookup(directories=[str(tmp_path), str(mako_dir())])


def test_about_page_keeps_the_platform_page_and_adds_the_card_under_the_dates(lookup):
    html = lookup.get_template(ABOUT_TEMPLATE).render(course_name="Credits 101", credits_about_card_html=CARD)
    assert html.count("<h1>Credits 101</h1>") == 1
    assert html.count(CARD) == 1, "the card HTML is printed once, as given (already escaped)"
    assert html.index("important-dates") < html.index(CARD) < html.index("</section>\n")
    assert html.index(CARD) < html.index("Footer")


def test_dashboard_keeps_the_platform_page_and_adds_the_summary_after_it(lookup):
    summary = '<section class="course-credits-summary">Your credits</section>'
    html = lookup.get_template(DASHBOARD_TEMPLATE).render(course_name="Credits 101", credits_dashboard_html=summary)
    assert html.count("<li>Credits 101</li>") == 1
    assert html.count(summary) == 1
    assert html.index("</main>") < html.index(summary) < html.index("Footer")


def test_platform_values_stay_escaped(lookup):
    html = lookup.get_template(ABOUT_TEMPLATE).render(course_name="<b>x</b>", credits_about_card_html=CARD)
    assert "&lt;b&gt;x&lt;/b&gt;" in html and "<b>x</b>" not in html


def test_instructor_section_prints_its_fragment(lookup):
    section = {"section_key": SECTION_KEY, "section_display_name": "Credits",
               "template_path_prefix": TEMPLATE_PATH_PREFIX, "course_id": "course-v1:A+B+C",
               "fragment": Fragment('<div class="panel">Report</div>')}
    html = lookup.get_template("instructor/instructor_dashboard_2/instructor_dashboard_2.html").render(
        sections=[section])
    assert '<div class="panel">Report</div>' in html


def test_studio_frame_puts_the_page_s_parts_into_studio_s_own_page(lookup):
    """The frame inherits Studio's /base.html from its own folder (credits_plugin/): the path must be absolute."""
    course = type("Course", (), {"display_name_with_default": "Credits <101>"})()
    html = lookup.get_template("credits_plugin/studio_frame.html").render(
        credits_title="Credits", credits_bodyclass="extra", credits_head="<style>.x{}</style>",
        credits_body='<main class="credits-page" id="main">A &amp; B</main>', context_course=course)
    assert "<title>Credits | Credits &lt;101&gt; | Studio</title>" in html
    assert "<style>.x{}</style>" in html and '<main class="credits-page" id="main">A &amp; B</main>' in html
    assert 'class="is-signedin course view-course-credits extra lang_en"' in html
    assert html.index("Studio header") < html.index("A &amp; B") < html.index("Studio footer")
