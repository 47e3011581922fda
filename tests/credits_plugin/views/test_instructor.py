"""The instructor's credits panel: access, report, search and pages, manual award, revoke, backfill."""
import csv
import io
import re
from decimal import Decimal

import pytest
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.test import Client, RequestFactory
from django.utils.html import escape
from opaque_keys.edx.keys import CourseKey

from credits_plugin import api
from credits_plugin.models import AwardedCredit
from credits_plugin.views.instructor import PAGE_SIZE, render_panel
from tests.factories import (
    COURSE_ID,
    REQUEST_TRANSACTION,
    CourseAccessFactory,
    CourseCreditFactory,
    CourseCreditSettingsFactory,
    CourseGradeFactory,
    CreditFactory,
    CreditTypeFactory,
    StandaloneCourseFactory,
    UserFactory,
    lapse_change_marks,
)

pytestmark = pytest.mark.django_db
BASE = f"/credits/instructor/{COURSE_ID}/"
OTHER_COURSE = "course-v1:TestX+Other+2026"
SCRIPT = "<script>alert('x')</script>"


@pytest.fixture(autouse=True)
def no_backfill_status_left_over():
    cache.clear()  # backfill states live in the (process-wide) cache
    yield
    cache.clear()


@pytest.fixture
def credits(course_key, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # as committed before the pages are read
        cpa = CreditTypeFactory(name="CPA", unit="CPD hours")
        management = CreditTypeFactory(name="Management", unit="points")
        ethics = CreditFactory(credit_type=cpa, name="Ethics", reference_number="CPA-7")
        leading = CreditFactory(credit_type=management, name=f"Leading {SCRIPT}", reference_number="")
        CourseCreditSettingsFactory(enabled=True)
        CourseCreditFactory(credit=ethics, amount=Decimal("2.50"))
        CourseCreditFactory(credit=leading, amount=Decimal("1.25"))
        unused = CreditFactory(credit_type=cpa, name="Tax")
    return {"ethics": ethics, "leading": leading, "unused": unused}


@pytest.fixture
def staffer(course_key):
    user = UserFactory(username="staffer")
    CourseAccessFactory(user=user)
    return user


@pytest.fixture
def other_course(db):
    key = CourseKey.from_string(OTHER_COURSE)
    StandaloneCourseFactory(course_key=key, display_name="Other course")
    return key


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def ledger():
    return sorted(AwardedCredit.objects.values_list("user__username", "credit_id", "status", "reason"))


def page_messages(response):
    html = response.content.decode()
    match = re.search(r'<div class="credits-panel-messages" role="status">(.*?)</div>', html, re.S)
    return match.group(1) if match else ""


# Access ------------------------------------------------------------------------------------------------------------

def test_page_access(credits, staffer, staff_user, learner, other_course):
    response = Client().get(BASE)
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert logged_in(learner).get(BASE).status_code == 403
    other_staff = UserFactory(username="otherstaff")
    CourseAccessFactory(user=other_staff, course_key=other_course)
    assert logged_in(other_staff).get(BASE).status_code == 403
    assert logged_in(staffer).get(BASE).status_code == 200
    assert logged_in(staff_user).get(BASE).status_code == 200
    assert logged_in(staffer).get("/credits/instructor/not-a-course/").status_code == 404
    assert logged_in(staffer).post(BASE).status_code == 405


@pytest.mark.parametrize("action, data", [
    ("award/", {"username": "learner", "reason": "Late grade"}),
    ("revoke/", {"award": "", "reason": "Mistake"}),
    ("backfill/", {}),
])
def test_forms_refuse_others_and_change_nothing(credits, learner, action, data, other_course):
    award = api.award_course_credits(learner, COURSE_ID).created[0]
    data = {**data, "award": str(award.uuid)} if "award" in data else data
    before = ledger()
    response = Client().post(BASE + action, data)
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert logged_in(learner).post(BASE + action, data).status_code == 403
    other_staff = UserFactory(username="otherstaff")
    CourseAccessFactory(user=other_staff, course_key=other_course)
    assert logged_in(other_staff).post(BASE + action, data).status_code == 403
    assert logged_in(other_staff).get(BASE + action).status_code == 405
    assert ledger() == before and api.get_backfill_status(COURSE_ID) is None


def test_csrf_is_required_on_every_form(credits, staffer, learner):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staffer)
    for action in ("award/", "revoke/", "backfill/"):
        assert client.post(BASE + action, {"username": "learner", "reason": "x"}).status_code == 403
    assert ledger() == [] and api.get_backfill_status(COURSE_ID) is None
    html = client.get(BASE).content.decode()
    content = html.split('<main class="credits-page" id="main">')[1].split("</main>")[0]  # not the site's header
    assert content.count('name="csrfmiddlewaretoken"') == 2  # award form, backfill form (no award to revoke yet)


# What the panel shows ----------------------------------------------------------------------------------------------

def test_panel_shows_designations_report_and_forms(credits, staffer, learner):
    api.award_course_credits(learner, COURSE_ID)
    html = logged_in(staffer).get(BASE).content.decode()
    assert "<h1>Credits for Credits 101</h1>" in html
    designations = html.split('id="credits-panel-designations-title"')[1].split('id="credits-panel-awards-title"')[0]
    assert '<th scope="row">Ethics</th>' in designations and "2.50 CPD hours" in designations
    assert "CPA-7" in designations and "Tax" not in designations
    assert "2 awards in this course." in html
    assert html.count('<tr class="credits-panel-award credits-panel-award-awarded">') == 2
    assert f'action="{BASE}award/"' in html and f'action="{BASE}revoke/"' in html
    assert f'action="{BASE}backfill/"' in html
    assert f'href="/api/credits/v1/courses/{COURSE_ID}/awards/?format=csv"' in html
    assert f'<option value="{credits["ethics"].pk}">Ethics (2.50 CPD hours)</option>' in html
    assert f'value="{credits["unused"].pk}"' not in html  # only the designated credits are offered
    assert f'data-status-url="{BASE}backfill/status/"' in html


def test_panel_is_accessible_and_self_contained(credits, staffer, learner):
    api.award_course_credits(learner, COURSE_ID)
    html = logged_in(staffer).get(BASE).content.decode()
    panel = html.split('<section class="credits-page credits-panel"')[1]
    ids = re.findall(r'\sid="([^"]+)"', panel)
    assert ids and all(i.startswith("credits-panel") for i in ids)
    assert len(ids) == len(set(ids))
    for input_id in re.findall(r'<(?:input|select)(?![^>]*type="hidden")[^>]*\sid="([^"]+)"', panel):
        assert f'<label for="{input_id}"' in panel or f'for="{input_id}"' in panel
    assert len(re.findall(r"<(?:input|select)(?![^>]*type=\"hidden\")", panel)) == len(
        re.findall(r"<label", panel))
    assert "<th>" not in panel and 'scope="col"' in panel
    assert 'id="credits-panel-backfill-status" role="status"' in panel


def test_author_text_is_escaped(credits, staffer, learner):
    api.award_course_credits(learner, COURSE_ID)
    html = logged_in(staffer).get(BASE).content.decode()
    assert SCRIPT not in html
    escaped = "Leading &lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;"
    assert html.count(escaped) >= 4  # designation, award row, revoke label, award form option


def test_render_panel_is_a_fragment_with_its_scoped_style(credits, staffer):
    request = RequestFactory().get("/courses/x/instructor", {"credits_search": "le"})
    request.user = staffer
    html = render_panel(request, COURSE_ID)
    assert "<html" not in html and "<head" not in html and "<body" not in html
    assert "<style>" in html and ".credits-page.credits-panel" in html
    assert 'value="/courses/x/instructor?credits_search=le"' in html  # forms come back to the host page
    assert "Ethics" in html
    assert "<style>" not in render_panel(request, api.parse_course_key(COURSE_ID), include_style=False)


def test_panel_costs_the_same_queries_whatever_the_number_of_awards(
        credits, staffer, django_assert_num_queries):
    api.award_course_credits(UserFactory(username="first"), COURSE_ID)
    client = logged_in(staffer)
    lapse_change_marks()
    assert client.get(BASE).status_code == 200  # warms the cached course flags
    # session, user, staff access, course name; the panel itself: designations, report page with its total
    with django_assert_num_queries(6 + REQUEST_TRANSACTION):
        assert client.get(BASE).status_code == 200
    for number in range(40):
        api.award_course_credits(UserFactory(username=f"many{number:02d}"), COURSE_ID)
    client.get(BASE)
    with django_assert_num_queries(6 + REQUEST_TRANSACTION):
        html = client.get(BASE).content.decode()
    assert html.count('class="credits-panel-award ') == PAGE_SIZE
    request = RequestFactory().get(BASE)
    request.user = staffer
    request._messages = CookieStorage(request)  # pylint: disable=protected-access
    with django_assert_num_queries(2):  # what the instructor dashboard's section costs
        assert "credits-panel" in render_panel(request, COURSE_ID)


# Pages and search --------------------------------------------------------------------------------------------------

@pytest.fixture
def thirty_learners(credits):
    credits_ids = [credits["ethics"].pk]
    for number in range(30):
        user = UserFactory(username=f"{'ali' if number < 3 else 'bob'}{number:02d}")
        api.manual_award(COURSE_ID, user, acting_user=None, reason="seed", credit_ids=credits_ids)


def test_pages_of_awards(thirty_learners, staffer):
    client = logged_in(staffer)
    first = client.get(BASE).content.decode()
    assert first.count('class="credits-panel-award ') == PAGE_SIZE
    assert "30 awards in this course. Page 1 of 2." in first
    assert 'href="?credits_page=2" rel="next"' in first and 'aria-current="page"' in first
    assert "bob24" in first and "bob25" not in first
    second = client.get(BASE, {"credits_page": "2"}).content.decode()
    assert second.count('class="credits-panel-award ') == 5 and "bob25" in second and "bob24" not in second
    assert 'href="?" rel="prev"' in second
    assert client.get(BASE, {"credits_page": "99"}).content.decode().count('class="credits-panel-award ') == 5
    assert "Page 1 of 2." in client.get(BASE, {"credits_page": "nonsense"}).content.decode()


def test_search_by_username(thirty_learners, staffer):
    html = logged_in(staffer).get(BASE, {"credits_search": "ALI"}).content.decode()
    assert "3 awards for usernames starting with “ALI”." in html
    assert html.count('class="credits-panel-award ') == 3 and "bob" not in html.split("credits-panel-award-title")[1]
    assert f'href="/api/credits/v1/courses/{COURSE_ID}/awards/?format=csv&amp;search=ALI"' in html
    assert 'value="ALI"' in html and "Show every learner" in html
    assert "0 awards for usernames starting with" in logged_in(staffer).get(
        BASE, {"credits_search": "zed"}).content.decode()


def test_csv_link_downloads_the_report(thirty_learners, staffer):
    html = logged_in(staffer).get(BASE, {"credits_search": "ali"}).content.decode()
    href = re.search(r'href="(/api/credits/v1/[^"]+format=csv[^"]*)"', html).group(1).replace("&amp;", "&")
    response = logged_in(staffer).get(href)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment;")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert sorted(r["username"] for r in rows) == ["ali00", "ali01", "ali02"]
    assert {r["credit_name"] for r in rows} == {"Ethics"}


# Manual award ------------------------------------------------------------------------------------------------------

def test_manual_award_of_every_credit(credits, staffer, learner):
    response = logged_in(staffer).post(BASE + "award/", {"username": " learner ", "reason": "Late grade",
                                                         "credit": "", "next": BASE}, follow=True)
    assert response.redirect_chain == [(BASE, 302)]
    assert ledger() == [("learner", credits["ethics"].pk, "awarded", "Late grade"),
                        ("learner", credits["leading"].pk, "awarded", "Late grade")]
    assert AwardedCredit.objects.filter(awarded_by=staffer, source="manual").count() == 2
    messages = page_messages(response)
    assert 'class="message-success"' in messages and "Awarded 2 credits to learner" in messages
    assert "Leading &lt;script&gt;" in messages and SCRIPT not in messages


def test_manual_award_of_one_credit_goes_back_to_a_safe_next(credits, staffer, learner):
    next_url = BASE + "?credits_page=1&credits_search=lea"
    response = logged_in(staffer).post(BASE + "award/", {
        "username": "learner", "reason": "Late grade", "credit": str(credits["ethics"].pk), "next": next_url})
    assert response.status_code == 302 and response["Location"] == next_url
    assert ledger() == [("learner", credits["ethics"].pk, "awarded", "Late grade")]


@pytest.mark.parametrize("next_url", ["https://evil.example/steal", "//evil.example/", "javascript:alert(1)", ""])
def test_unsafe_next_goes_to_the_panel(credits, staffer, learner, next_url):
    response = logged_in(staffer).post(BASE + "award/", {"username": "learner", "reason": "x", "next": next_url})
    assert response.status_code == 302 and response["Location"] == BASE


@pytest.mark.parametrize("data, message", [
    ({"username": "learner", "reason": "  "}, "A reason is required."),
    ({"username": "nobody", "reason": "Late grade"}, "There is no such learner."),
    ({"username": "", "reason": "Late grade"}, "There is no such learner."),
    ({"username": "learner", "reason": "Late grade", "credit": "UNUSED"}, "does not award the credit"),
    ({"username": "staffer", "reason": "Late grade"}, "You cannot award credits to yourself"),
])
def test_manual_award_errors_change_nothing(credits, staffer, learner, data, message):
    data = {**data, "credit": str(credits["unused"].pk)} if data.get("credit") == "UNUSED" else data
    response = logged_in(staffer).post(BASE + "award/", data, follow=True)
    assert ledger() == []
    messages = page_messages(response)
    assert 'class="message-error"' in messages and message in messages
    assert "Unknown user." not in messages  # the not-found message says it all, in one sentence


def test_manual_award_of_held_credits_is_a_conflict(credits, staffer, learner):
    api.award_course_credits(learner, COURSE_ID)
    before = ledger()
    response = logged_in(staffer).post(BASE + "award/", {"username": "learner", "reason": "Again"}, follow=True)
    assert "already holds every one of these credits" in page_messages(response)
    assert ledger() == before


def test_a_manual_award_that_met_another_at_the_same_moment_is_shown_as_a_conflict(
        credits, staffer, learner, monkeypatch):
    """MySQL gave up the write (deadlock, lock wait timeout), the retries did not get through: a message, no 500."""
    from django.db import OperationalError  # pylint: disable=import-outside-toplevel

    def clashes(*args, **kwargs):
        raise OperationalError(1213, "Deadlock found when trying to get lock; try restarting transaction")

    monkeypatch.setattr(api, "manual_award", clashes)
    response = logged_in(staffer).post(BASE + "award/", {"username": "learner", "reason": "Late grade"},
                                       follow=True)
    assert response.redirect_chain == [(BASE, 302)]
    assert "nothing was saved. Try again." in page_messages(response)
    monkeypatch.setattr(api, "manual_award", lambda *a, **k: (_ for _ in ()).throw(OperationalError(2006, "gone")))
    with pytest.raises(OperationalError):  # any other database failure is the platform's 500 to log
        logged_in(staffer).post(BASE + "award/", {"username": "learner", "reason": "Late grade"})


def test_the_pages_writes_run_in_the_services_own_transactions():
    """The platform runs requests in a transaction; the writing views leave it to the services (their retries)."""
    from django.db import connection  # pylint: disable=import-outside-toplevel

    from credits_plugin.views import instructor, learner, studio  # pylint: disable=import-outside-toplevel

    assert connection.settings_dict["ATOMIC_REQUESTS"]
    for view in (instructor.award, instructor.revoke, instructor.start_backfill, studio.course_settings,
                 learner.report_external_credit):
        assert "default" in getattr(view, "_non_atomic_requests", set()), view.__name__


# Revoke ------------------------------------------------------------------------------------------------------------

def test_revoke_one_award(credits, staffer, learner):
    award = api.award_course_credits(learner, COURSE_ID).created[0]
    response = logged_in(staffer).post(BASE + "revoke/", {"award": str(award.uuid), "reason": "Cheated",
                                                          "next": BASE}, follow=True)
    row = AwardedCredit.objects.get(uuid=award.uuid)
    assert (row.status, row.reason, row.revoked_by) == ("revoked", "Cheated", staffer)
    assert AwardedCredit.objects.filter(status="awarded").count() == 1
    assert f"Revoked {escape(award.credit_name)} of learner." in page_messages(response)
    html = response.content.decode()
    assert html.count('<tr class="credits-panel-award credits-panel-award-revoked">') == 1
    assert html.count('name="award"') == 1  # only the standing award still has a revoke form
    assert "Cheated" in html and "by staffer" in html


@pytest.mark.parametrize("case, message", [
    ("no reason", "A reason is required."),
    ("revoked", "already revoked"),
    ("other course", "There is no such award."),
    ("unknown", "There is no such award."),
])
def test_revoke_errors_change_nothing(credits, staffer, learner, other_course, case, message):
    award = api.award_course_credits(learner, COURSE_ID).created[0]
    CourseCreditFactory(course_key=other_course, credit=credits["unused"])
    foreign = api.award_course_credits(learner, other_course).created[0]
    if case == "revoked":
        api.revoke_award(award.uuid, acting_user=staffer, reason="First")
    uuid = {"other course": foreign.uuid, "unknown": "00000000-0000-0000-0000-000000000000"}.get(case, award.uuid)
    before = ledger()
    response = logged_in(staffer).post(BASE + "revoke/", {"award": str(uuid),
                                                          "reason": "" if case == "no reason" else "Why"},
                                       follow=True)
    assert ledger() == before
    assert message in page_messages(response)


# Backfill ----------------------------------------------------------------------------------------------------------

def test_backfill_button_status_line_and_json(credits, staffer, django_capture_on_commit_callbacks):
    CourseGradeFactory(user=UserFactory(username="early"))
    client = logged_in(staffer)
    assert client.get(BASE + "backfill/status/").json() == {
        "state": None, "active": False, "updated": None, "expected_learners": 0, "learners": 0, "awarded": 0,
        "already_awarded": 0, "skipped_revoked": 0, "message": ""}
    response = client.post(BASE + "backfill/", {"next": BASE}, follow=True)  # queued, not run yet
    assert "The backfill has started" in page_messages(response)
    html = response.content.decode()
    assert "A backfill is queued" in html and 'data-active="true"' in html
    status = client.get(BASE + "backfill/status/")
    assert status["Cache-Control"].startswith("max-age=0") and status.json()["state"] == "queued"
    assert status.json()["active"] is True
    assert status.json()["message"] == "A backfill is queued: it starts in a moment."

    with django_capture_on_commit_callbacks(execute=True):
        client.post(BASE + "backfill/", {"next": BASE})
    assert len(api.get_learner_summary("early").awards) == 2
    data = client.get(BASE + "backfill/status/").json()
    assert (data["state"], data["active"], data["learners"], data["awarded"]) == ("done", False, 1, 2)
    assert data["message"] == "Last backfill done: 1 learners read, 2 credits awarded, 0 already held."
    html = client.get(BASE).content.decode()  # the no-JS fallback: the state shows on reload
    assert "Last backfill done: 1 learners read" in html and 'data-active="false"' in html


def test_backfill_refused_while_credits_are_off(credits, staffer):
    api.set_course_enabled(COURSE_ID, False)
    response = logged_in(staffer).post(BASE + "backfill/", follow=True)
    assert "switch them on" in page_messages(response)
    assert api.get_backfill_status(COURSE_ID) is None
    assert "disabled" in response.content.decode().split('action="' + BASE + 'backfill/"')[1].split("</form>")[0]


def test_backfill_status_json_access(credits, staffer, staff_user, learner, other_course):
    url = BASE + "backfill/status/"
    assert Client().get(url).status_code == 401
    assert logged_in(learner).get(url).status_code == 403
    other_staff = UserFactory(username="otherstaff")
    CourseAccessFactory(user=other_staff, course_key=other_course)
    assert logged_in(other_staff).get(url).json()["error_code"] == "permission_denied"
    assert logged_in(staff_user).get(url).status_code == 200
    assert logged_in(staffer).get("/credits/instructor/nonsense/backfill/status/").status_code == 404
    assert logged_in(staffer).post(url).status_code == 405
