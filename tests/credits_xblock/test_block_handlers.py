"""The course_credits XBlock's JSON handlers, called through the runtime with real webob requests."""
import pytest
from webob import Request
from xblock.field_data import DictFieldData

from credits_plugin import api
from tests.credits_xblock.runtime import PlatformUserService, make_block, post_json
from tests.factories import (
    COURSE_ID,
    CourseAccessFactory,
    CourseCreditFactory,
    CourseCreditSettingsFactory,
    CreditFactory,
    UserFactory,
)


@pytest.fixture
def ethics(db):
    CourseCreditSettingsFactory(award_trigger="certificate")
    return CourseCreditFactory(credit=CreditFactory(name="Ethics <script>x</script>", reference_number="CPA-9"))


# learner_status: the refresh


def test_learner_status_returns_what_the_view_shows(ethics):
    learner = UserFactory()
    block = make_block(user_service=PlatformUserService(learner))
    status, data = post_json(block, "learner_status", {})
    assert status == 200
    assert data["learner"]["status"] == "not_earned" and data["learner"]["earned"] == []
    assert data["award_trigger"] == "certificate" and "certificate" in data["how_to_earn"]

    award = api.award_course_credits(learner, COURSE_ID, source="certificate").created[0]
    status, data = post_json(block, "learner_status", {})
    assert status == 200
    assert data["course_id"] == COURSE_ID and data["enabled"] is True
    assert data["credits"] == [{"credit_id": ethics.credit_id, "name": "Ethics <script>x</script>",
                                "credit_type": ethics.credit.credit_type.name, "amount": "2.50",
                                "unit": "hours", "reference_number": "CPA-9"}]
    [earned] = data["learner"]["earned"]
    assert data["learner"]["status"] == "earned" and data["learner"]["signed_in"] is True
    assert earned["uuid"] == str(award.uuid) and earned["amount"] == "2.50" and earned["unit"] == "hours"
    assert earned["awarded_at"] == award.awarded_at.isoformat() and earned["awarded_on"]
    # The HTML the page swaps in is the view's own, escaped.
    assert "course-credits-earned" in data["html"] and "earned on" in data["html"]
    assert "&lt;script&gt;" in data["html"] and "<script>" not in data["html"]
    assert data["html"] in block.student_view().content


def test_learner_status_for_an_anonymous_visitor(ethics):
    status, data = post_json(make_block(user_service=PlatformUserService(None)), "learner_status", {})
    assert status == 200 and data["learner"]["signed_in"] is False and data["learner"]["status"] == "anonymous"


def test_learner_status_outside_a_course():
    status, data = post_json(make_block(usage_id="plain"), "learner_status", {})
    assert status == 200 and data["in_course"] is False and data["credits"] == [] and data["learner"] is None


def test_learner_status_needs_post():
    block = make_block(usage_id="plain")
    response = block.runtime.handle(block, "learner_status", Request.blank("/", method="GET"))
    assert response.status_code == 405


# update_settings: the Studio editor's save


def author_service(role="instructor"):
    """The user service of a course author: the course's instructor (or staff) in the platform's roles."""
    author = UserFactory()
    CourseAccessFactory(user=author, role=role)
    return PlatformUserService(author, role=role)


def test_update_settings_saves_the_fields_and_the_view_shows_them(ethics):
    field_data = DictFieldData({})
    block = make_block(field_data=field_data, user_service=author_service())
    status, data = post_json(block, "update_settings",
                             {"heading": "  Credits you can earn  ", "show_learner_status": False})
    assert status == 200 and data == {"heading": "Credits you can earn", "show_learner_status": False}

    again = make_block(field_data=field_data, user_service=PlatformUserService(UserFactory()))
    assert again.display_name == "Credits you can earn" and again.show_learner_status is False
    html = again.student_view().content
    assert ">Credits you can earn</h3>" in html and "Your credits" not in html


def test_update_settings_accepts_part_of_the_fields(db):
    block = make_block(usage_id="plain", display_name="Mine", user_service=PlatformUserService(UserFactory(), "staff"))
    status, data = post_json(block, "update_settings", {"show_learner_status": False})
    assert status == 200 and data == {"heading": "Mine", "show_learner_status": False}


@pytest.mark.parametrize("payload, message", [
    ({"heading": "   "}, "Enter a heading."),
    ({"heading": 12}, "Enter a heading."),
    ({"heading": "x" * 256}, "at most 255 characters"),
    ({"show_learner_status": "yes"}, "true or false"),
    ([1, 2], "JSON object"),
])
def test_update_settings_refuses_bad_input_and_changes_nothing(db, payload, message):
    block = make_block(usage_id="plain", display_name="Kept", user_service=PlatformUserService(UserFactory(), "staff"))
    status, data = post_json(block, "update_settings", payload)
    assert status == 400 and message in data["error"]
    assert block.display_name == "Kept" and block.show_learner_status is True


def test_update_settings_refuses_invalid_json(db):
    block = make_block(usage_id="plain", user_service=PlatformUserService(UserFactory(), role="staff"))
    response = block.runtime.handle(block, "update_settings", Request.blank("/", method="POST", body=b"{nope"))
    assert response.status_code == 400


@pytest.mark.parametrize("who", ["anonymous", "no_user_service", "learner", "no_role", "claims_staff_role",
                                 "staff_of_another_course"])
def test_only_course_authors_can_change_the_block(db, who):
    """In a course the plugin decides (Studio write access); the role name a runtime passes is not trusted."""
    other_course_staff = UserFactory()
    CourseAccessFactory(user=other_course_staff, course_key="course-v1:Other+X+1", role="staff")
    services = {
        "anonymous": PlatformUserService(None),
        "no_user_service": None,
        "learner": PlatformUserService(UserFactory(), role="student"),
        "no_role": PlatformUserService(UserFactory(), role=None),
        "claims_staff_role": PlatformUserService(UserFactory(), role="staff"),
        "staff_of_another_course": PlatformUserService(other_course_staff, role="staff"),
    }
    block = make_block(user_service=services[who])
    status, data = post_json(block, "update_settings", {"heading": "Hacked"})
    assert status == 403 and "course authors" in data["error"]
    assert block.display_name == "Course credits"


@pytest.mark.parametrize("role", ["staff", "instructor"])
def test_the_course_s_staff_and_instructors_can_change_the_block(db, role):
    block = make_block(user_service=author_service(role))
    status, _ = post_json(block, "update_settings", {"heading": "Ours"})
    assert status == 200 and block.display_name == "Ours"


def test_global_staff_can_change_the_block_in_studio_where_the_runtime_gives_no_role(db):
    block = make_block(user_service=PlatformUserService(UserFactory(is_staff=True), role=None))
    status, _ = post_json(block, "update_settings", {"heading": "Ours"})
    assert status == 200 and block.display_name == "Ours"


def test_outside_a_course_only_a_runtime_s_staff_can_change_the_block(db):
    for service, expected in ((PlatformUserService(UserFactory(), role="student"), 403), (None, 403),
                              (PlatformUserService(UserFactory(), role="instructor"), 200)):
        status, _ = post_json(make_block(usage_id="plain", user_service=service), "update_settings", {"heading": "H"})
        assert status == expected


def test_no_handler_is_called_save():
    from credits_xblock.block import CourseCreditsXBlock

    handlers = {name for name in dir(CourseCreditsXBlock)
                if getattr(getattr(CourseCreditsXBlock, name, None), "_is_xblock_handler", False)}
    assert handlers == {"learner_status", "update_settings"}
