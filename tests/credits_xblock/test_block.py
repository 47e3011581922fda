"""The course_credits XBlock's views, in XBlock's real test runtime over the plugin's real API and database."""
from decimal import Decimal

import pytest
from django.utils import formats, timezone
from stevedore import ExtensionManager

from credits_plugin import api
from credits_xblock.block import CourseCreditsXBlock
from tests.credits_xblock.runtime import PlatformUserService, make_block, usage_key
from tests.factories import (
    COURSE_ID,
    CourseCreditFactory,
    CourseCreditSettingsFactory,
    CreditFactory,
    CreditTypeFactory,
    UserFactory,
    lapse_change_marks,
)


def shown_date(moment):
    return formats.date_format(timezone.localtime(moment), "DATE_FORMAT")


def student_html(**kwargs):
    return make_block(**kwargs).student_view().content


@pytest.fixture
def course(db, django_capture_on_commit_callbacks):
    """A course with credits on, awarding 2.50 hours of Ethics (CPA-9) and 1.00 CEU of Leadership."""
    with django_capture_on_commit_callbacks(execute=True):  # as committed before the block renders
        CourseCreditSettingsFactory(award_trigger="passing")
        ethics = CourseCreditFactory(credit=CreditFactory(
            name="Ethics", reference_number="CPA-9", credit_type=CreditTypeFactory(name="CPA Ontario", unit="hours")))
        leadership = CourseCreditFactory(amount=Decimal("1.00"), credit=CreditFactory(
            name="Leadership", reference_number="", credit_type=CreditTypeFactory(name="Management", unit="CEU")))
    return ethics, leadership


def test_entry_point_loads_the_block():
    manager = ExtensionManager(namespace="xblock.v1")
    assert manager["course_credits"].plugin is CourseCreditsXBlock


@pytest.mark.django_db
def test_student_view_lists_course_credits_escaped():
    credit = CreditFactory(name="Ethics <script>alert(1)</script>", reference_number="CPA-9")
    CourseCreditSettingsFactory()
    CourseCreditFactory(credit=credit)
    html = student_html()
    assert "Ethics &lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>" not in html
    assert "2.50 hours" in html and "CPA-9" in html


@pytest.mark.django_db
def test_student_view_when_credits_off():
    CourseCreditFactory(credit=CreditFactory(name="Ethics"))
    api.set_course_enabled(COURSE_ID, False)
    learner = UserFactory()
    html = student_html(user_service=PlatformUserService(learner))
    assert "does not award credits" in html
    assert "Ethics" not in html and "Your credits" not in html and "Sign in" not in html


@pytest.mark.django_db
def test_a_course_without_settings_has_credits_off():
    CourseCreditFactory(credit=CreditFactory(name="Ethics"))
    html = student_html()
    assert "does not award credits" in html and "Ethics" not in html


def test_student_view_outside_a_course_touches_no_database():
    """No django_db mark: any query would fail the test. The workbench has no course and no plugin tables."""
    html = student_html(usage_id="plain-string-usage-id")
    assert "part of a course" in html
    assert "Course credits" in html


def test_a_content_library_is_not_a_course():
    from opaque_keys.edx.locator import LibraryLocator

    library_usage = LibraryLocator(org="TestX", library="Lib").make_usage_key("course_credits", "x")
    assert "part of a course" in student_html(usage_id=library_usage)


def test_the_view_carries_its_css_and_script():
    fragment = make_block(usage_id="plain").student_view()
    kinds = {resource.mimetype for resource in fragment.resources}
    assert kinds == {"text/css", "application/javascript"}
    assert fragment.js_init_fn == "CourseCreditsStudentView"
    assert any(".course-credits-xblock" in resource.data for resource in fragment.resources)


def test_two_blocks_on_a_page_have_distinct_heading_ids():
    first = make_block(usage_id=usage_key("a")).student_view().content
    second = make_block(usage_id=usage_key("b")).student_view().content
    first_id = first.split('<h3 id="', 1)[1].split('"', 1)[0]
    assert f'aria-labelledby="{first_id}"' in first
    assert first_id not in second


# Who is looking


def test_without_a_user_service_the_credits_show_without_a_status(course):
    html = student_html()
    assert "Ethics" in html and "Leadership" in html and "1.00 CEU" in html
    assert "Your credits" not in html and "Sign in" not in html
    assert "when you pass this course" in html


def test_anonymous_visitor_is_asked_to_sign_in(course):
    html = student_html(user_service=PlatformUserService(None))
    assert "Your credits" in html and "Sign in to see whether you have earned these credits." in html
    assert "when you pass this course" in html
    assert "Check my credit status again" not in html


def test_learner_who_earned_sees_when_and_how_much(course):
    learner = UserFactory()
    result = api.award_course_credits(learner, COURSE_ID)
    ethics_award = next(a for a in result.created if a.credit_name == "Ethics")
    # Later edits of the course never change what the learner earned.
    api.set_course_settings(COURSE_ID, enabled=True, award_trigger="passing",
                            credits=[{"credit": course[0].credit_id, "amount": "5.00", "reference_number": ""},
                                     {"credit": course[1].credit_id, "amount": "1.00", "reference_number": ""}])

    html = student_html(user_service=PlatformUserService(learner))

    earned = html.split("course-credits-earned", 1)[1].split("</ul>", 1)[0]
    assert "Ethics" in earned and "2.50 hours" in earned and "Leadership" in earned and "1.00 CEU" in earned
    assert f"earned on <time datetime=\"{ethics_award.awarded_at.isoformat()}\">" \
           f"{shown_date(ethics_award.awarded_at)}</time>" in earned
    assert "CPA-9" in earned
    assert "5.00 hours" in html.split("course-credits-earned", 1)[0]  # what the course awards now
    assert "Earned" in html and "Not earned yet" not in html
    assert "when you pass this course" not in html  # nothing left to earn
    assert "Check my credit status again" in html


def test_awards_of_other_courses_and_learners_are_not_shown(course):
    learner, other = UserFactory(), UserFactory()
    CourseCreditFactory(course_key=usage_key(course_id="course-v1:TestX+Other+2026").course_key,
                        credit=CreditFactory(name="Elsewhere"))
    api.award_course_credits(learner, "course-v1:TestX+Other+2026")
    api.award_course_credits(other, COURSE_ID)
    html = student_html(user_service=PlatformUserService(learner))
    assert "Elsewhere" not in html and "course-credits-earned" not in html
    assert "You have not earned the credits of this course yet." in html


@pytest.mark.parametrize("trigger, how", [
    ("passing", "You earn these credits when you pass this course."),
    ("certificate", "You earn these credits when your certificate for this course is issued."),
    ("manual", "Course staff award these credits by hand."),
])
def test_learner_who_has_not_earned_is_told_how_by_trigger(course, trigger, how):
    api.set_course_settings(COURSE_ID, enabled=True, award_trigger=trigger,
                            credits=[{"credit": course[0].credit_id, "amount": "2.50"}])
    html = student_html(user_service=PlatformUserService(UserFactory()))
    assert "Not earned yet" in html and "You have not earned the credits of this course yet." in html
    assert how in html
    assert "course-credits-earned" not in html


def test_learner_who_earned_some_sees_what_is_left(course):
    learner = UserFactory()
    api.manual_award(COURSE_ID, learner, acting_user=UserFactory(is_staff=True), reason="Prior learning",
                     credit_ids=[course[0].credit_id])
    html = student_html(user_service=PlatformUserService(learner))
    earned = html.split("course-credits-earned", 1)[1].split("</ul>", 1)[0]
    pending = html.split("course-credits-pending", 1)[1].split("</ul>", 1)[0]
    assert "Ethics" in earned and "Leadership" not in earned
    assert "Leadership" in pending and "Ethics" not in pending
    assert "when you pass this course" in html


def test_revoked_award_is_not_shown_as_earned(course):
    learner = UserFactory()
    result = api.award_course_credits(learner, COURSE_ID)
    for award in result.created:
        revoked = api.revoke_award(award.uuid, acting_user=UserFactory(is_staff=True), reason="Academic misconduct")
    html = student_html(user_service=PlatformUserService(learner))
    assert "course-credits-earned" not in html and "You have earned" not in html
    revoked_list = html.split("course-credits-revoked", 1)[1].split("</ul>", 1)[0]
    assert "Ethics" in revoked_list and "Leadership" in revoked_list
    assert f"revoked on <time datetime=\"{revoked.revoked_at.isoformat()}\">" in revoked_list
    # Revoked credits are not given back by passing again: no "how to earn" for them.
    assert "when you pass this course" not in html and "Not earned yet" not in html
    assert "Academic misconduct" not in html  # staff's reason is not the learner's page


def test_learner_status_can_be_turned_off(course):
    learner = UserFactory()
    api.award_course_credits(learner, COURSE_ID)
    html = student_html(user_service=PlatformUserService(learner), show_learner_status=False)
    assert "Ethics" in html and "Your credits" not in html and "course-credits-earned" not in html
    assert "when you pass this course" in html


def test_earned_credit_names_are_escaped(db):
    CourseCreditSettingsFactory()
    CourseCreditFactory(credit=CreditFactory(name="<script>alert('x')</script>",
                                             credit_type=CreditTypeFactory(name="<b>Type</b>", unit="<i>h</i>")))
    learner = UserFactory()
    api.award_course_credits(learner, COURSE_ID)
    html = student_html(user_service=PlatformUserService(learner))
    assert "<script>" not in html and "<b>" not in html and "<i>" not in html
    assert html.count("&lt;script&gt;") == 2  # what the course awards, and what the learner earned


@pytest.mark.django_db
def test_author_heading_is_escaped():
    html = student_html(display_name="<img src=x onerror=alert(1)>")
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html


# Studio


def test_author_view_previews_what_learners_see(course):
    learner = UserFactory()
    api.award_course_credits(learner, COURSE_ID)
    fragment = make_block(user_service=PlatformUserService(learner, role="staff")).author_view()
    html = fragment.content
    assert "Studio preview" in html and "Ethics" in html and "2.50 hours" in html
    assert "Signed-in learners also see whether they have earned these credits" in html
    assert "course-credits-earned" not in html  # the author's own awards are not the preview
    assert "switched off" not in html


def test_author_view_notes_when_credits_are_off(db):
    CourseCreditFactory()
    api.set_course_enabled(COURSE_ID, False)
    html = make_block(show_learner_status=False).author_view().content
    assert "Credits are switched off for this course" in html
    assert 'href="/credits/studio/course-v1:TestX+Credits+2026/"' in html
    assert "does not award credits" in html
    assert "Learners do not see their own credit status" in html


def test_author_view_notes_when_no_credits_are_chosen(db):
    CourseCreditSettingsFactory()
    html = make_block().author_view().content
    assert "awards no credits yet" in html and "switched off" not in html


def test_studio_view_is_an_accessible_form():
    block = make_block(usage_id="plain", display_name="Credits you can earn", show_learner_status=False)
    fragment = block.studio_view()
    html = fragment.content
    heading_id = html.split('name="heading"', 1)[0].rsplit('id="', 1)[1].split('"', 1)[0]
    assert f'<label class="label setting-label" for="{heading_id}">Heading</label>' in html
    assert 'value="Credits you can earn"' in html
    assert 'name="show_learner_status"' in html and "checked" not in html
    assert fragment.js_init_fn == "CourseCreditsStudioView"


@pytest.mark.parametrize("view", ["student_view", "author_view", "studio_view"])
def test_views_render_through_the_runtime(view):
    """The LMS and Studio call views through ``block.render``: nothing in the block may shadow it."""
    block = make_block(usage_id="plain")
    fragment = block.render(view)
    assert "course-credits" in fragment.content


def test_student_view_costs_two_queries_whatever_the_number_of_credits(course, django_assert_num_queries,
                                                                     django_capture_on_commit_callbacks):
    learner = UserFactory(username="counted")
    api.award_course_credits(learner, COURSE_ID)
    lapse_change_marks()
    student_html(user_service=PlatformUserService(learner))  # warms the cached course flags
    with django_assert_num_queries(2):  # the designations, the learner's awards in the course
        student_html(user_service=PlatformUserService(learner))
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(10):
            CourseCreditFactory(amount=Decimal("1.00"))
    api.award_course_credits(learner, COURSE_ID)
    lapse_change_marks()
    student_html(user_service=PlatformUserService(learner))
    with django_assert_num_queries(2):
        html = student_html(user_service=PlatformUserService(learner))
    assert html.count("Earned") >= 12 or html.count("earned on") >= 12
