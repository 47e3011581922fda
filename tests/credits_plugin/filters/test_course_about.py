"""The course's credits card on the about page, through the real CourseAboutRenderStarted pipeline."""
from types import SimpleNamespace

import pytest
from openedx_filters.learning.filters import CourseAboutRenderStarted

from credits_plugin import api
from credits_plugin.filters.course_about import CREDITS_TEMPLATE, PLATFORM_TEMPLATE
from credits_plugin.models import CourseCreditSettings
from tests.factories import COURSE_ID, CreditFactory, lapse_change_marks

pytestmark = pytest.mark.django_db


def about_context(course_key):
    # The platform's context holds the course block (its ``id`` is the course key) and no user.
    return {"course": SimpleNamespace(id=course_key), "staff_access": False}


def test_the_card_lists_each_credit_with_its_amount_unit_and_required_reference(credits_course, mako_unregistered):
    context, template = CourseAboutRenderStarted.run_filter(about_context(credits_course), PLATFORM_TEMPLATE)
    html = context["credits_about_card_html"]
    assert "Ethics" in html and "CPA Ontario" in html and "2.50 CPD hours" in html
    assert "Leading" in html and "Management" in html and "1.25 hours" in html
    assert "CPA-ETH-1" in html, "CPA Ontario requires reference numbers: the card shows it"
    assert "MGT-7" not in html, "Management does not require one: the card leaves it out"
    assert context["course_credits"] == [
        {"credit_id": context["course_credits"][0]["credit_id"], "credit_name": "Ethics",
         "credit_type_name": "CPA Ontario", "amount": "2.50", "unit": "CPD hours", "reference_number": "CPA-ETH-1"},
        {"credit_id": context["course_credits"][1]["credit_id"], "credit_name": "Leading",
         "credit_type_name": "Management", "amount": "1.25", "unit": "hours", "reference_number": ""},
    ]
    assert template == PLATFORM_TEMPLATE, "without the plugin's Mako folder registered, the template stays"


def test_the_page_uses_the_plugin_template_when_mako_knows_it(credits_course, mako_registered):
    _, template = CourseAboutRenderStarted.run_filter(about_context(credits_course), PLATFORM_TEMPLATE)
    assert template == CREDITS_TEMPLATE


def test_a_template_chosen_by_someone_else_is_kept(credits_course, mako_registered):
    context, template = CourseAboutRenderStarted.run_filter(about_context(credits_course), "theme/about.html")
    assert template == "theme/about.html"
    assert context["credits_about_card_html"]


def test_the_card_holds_nothing_about_the_visitor(credits_course, learner, as_user):
    api.award_course_credits(learner, COURSE_ID)
    as_user(learner)
    signed_in, _ = CourseAboutRenderStarted.run_filter(about_context(credits_course), PLATFORM_TEMPLATE)
    as_user(None)
    anonymous, _ = CourseAboutRenderStarted.run_filter(about_context(credits_course), PLATFORM_TEMPLATE)
    assert signed_in["credits_about_card_html"] == anonymous["credits_about_card_html"]
    assert "learner" not in signed_in["credits_about_card_html"]


@pytest.mark.parametrize("setup", ["no settings", "switched off", "nothing designated"])
def test_a_course_without_credits_keeps_its_page(course_key, setup, mako_registered):
    if setup == "switched off":
        api.set_course_settings(course_key, enabled=False, credits=[{"credit": CreditFactory().pk, "amount": "1"}])
    elif setup == "nothing designated":
        api.set_course_settings(course_key, enabled=True, credits=[])
    original = about_context(course_key)
    context, template = CourseAboutRenderStarted.run_filter(dict(original), PLATFORM_TEMPLATE)
    assert (context, template) == (original, PLATFORM_TEMPLATE)


def test_warm_card_costs_no_query_and_cold_one(credits_course, django_assert_num_queries):
    lapse_change_marks()
    with django_assert_num_queries(1):  # every enabled course's card, read together
        CourseAboutRenderStarted.run_filter(about_context(credits_course), PLATFORM_TEMPLATE)
    with django_assert_num_queries(0):
        context, _ = CourseAboutRenderStarted.run_filter(about_context(credits_course), PLATFORM_TEMPLATE)
    assert len(context["course_credits"]) == 2


def test_new_designations_show_on_a_cached_card_at_once(credits_course):
    CourseAboutRenderStarted.run_filter(about_context(credits_course), PLATFORM_TEMPLATE)
    ethics = api.list_course_credits(credits_course)[0].credit
    api.set_course_settings(credits_course, enabled=True, credits=[{"credit": ethics.id, "amount": "4.00"}])
    context, _ = CourseAboutRenderStarted.run_filter(about_context(credits_course), PLATFORM_TEMPLATE)
    assert [(c["credit_name"], c["amount"]) for c in context["course_credits"]] == [("Ethics", "4.00")]


def test_a_settings_change_through_any_door_refreshes_the_card(credits_course):
    CourseAboutRenderStarted.run_filter(about_context(credits_course), PLATFORM_TEMPLATE)
    api.set_course_enabled(credits_course, False)
    context, _ = CourseAboutRenderStarted.run_filter(about_context(credits_course), PLATFORM_TEMPLATE)
    assert "course_credits" not in context


def test_renaming_a_credit_refreshes_every_card_at_once(credits_course):
    context, _ = CourseAboutRenderStarted.run_filter(about_context(credits_course), PLATFORM_TEMPLATE)
    first = context["course_credits"][0]
    api.update_credit(first["credit_id"], name="Renamed credit")
    context, _ = CourseAboutRenderStarted.run_filter(about_context(credits_course), PLATFORM_TEMPLATE)
    assert "Renamed credit" in [c["credit_name"] for c in context["course_credits"]]


@pytest.mark.parametrize("trigger, sentence", [
    ("passing", "You earn these credits when you pass this course."),
    ("certificate", "You earn these credits when your certificate for this course is issued."),
    ("manual", "Course staff award these credits by hand."),
])
def test_the_card_says_how_the_credits_are_earned(credits_course, trigger, sentence):
    CourseCreditSettings.objects.filter(course_key=credits_course).update(award_trigger=trigger)
    lapse_change_marks()  # as if the update had told the cache (it used no signal)
    context, _ = CourseAboutRenderStarted.run_filter(about_context(credits_course), PLATFORM_TEMPLATE)
    assert sentence in context["credits_about_card_html"]
    assert all("award_trigger" not in item for item in context["course_credits"])


def test_the_reference_number_stands_apart_from_the_amount(credits_course):
    context, _ = CourseAboutRenderStarted.run_filter(about_context(credits_course), PLATFORM_TEMPLATE)
    html = context["credits_about_card_html"]
    assert '<br><span class="course-credits-reference">Reference number: CPA-ETH-1</span>' in html


def test_amounts_are_written_as_the_reader_s_language_writes_them(credits_course):
    from django.utils import translation  # pylint: disable=import-outside-toplevel

    with translation.override("fr"):
        context, _ = CourseAboutRenderStarted.run_filter(about_context(credits_course), PLATFORM_TEMPLATE)
    assert "2,50" in context["credits_about_card_html"] and "2.50" not in context["credits_about_card_html"]
    assert context["course_credits"][0]["amount"] == "2.50"  # the data for themes stays as the API writes it
    with translation.override("en"):
        context, _ = CourseAboutRenderStarted.run_filter(about_context(credits_course), PLATFORM_TEMPLATE)
    assert "2.50" in context["credits_about_card_html"]
