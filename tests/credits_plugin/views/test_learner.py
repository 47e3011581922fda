"""The learner's own credits page /credits/me/: totals, awards, date filter, CSV, query budget."""
import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.test import Client, RequestFactory
from django.urls import resolve
from django.utils import timezone
from opaque_keys.edx.keys import CourseKey

from credits_plugin import api
from credits_plugin.models import AwardedCredit
from tests.factories import (
    COURSE_ID,
    REQUEST_TRANSACTION,
    CourseCreditFactory,
    CourseGradeFactory,
    CreditFactory,
    CreditTypeFactory,
    StandaloneCourseFactory,
    UserFactory,
    lapse_change_marks,
)

pytestmark = pytest.mark.django_db
URL = "/credits/me/"
OTHER_COURSE = "course-v1:TestX+Other+2026"
SCRIPT = "<script>alert('x')</script>"


@pytest.fixture
def credits(course_key):
    StandaloneCourseFactory(course_key=CourseKey.from_string(OTHER_COURSE), display_name="Ethics & You")
    cpa = CreditTypeFactory(name="CPA Ontario", unit="CPD hours", requires_reference_number=True)
    management = CreditTypeFactory(name="Management", unit="points")
    ethics = CreditFactory(credit_type=cpa, name="Ethics", reference_number="CPA-77")
    leading = CreditFactory(credit_type=management, name=f"Leading {SCRIPT}", reference_number="")
    CourseCreditFactory(credit=ethics, amount=Decimal("2.50"))
    CourseCreditFactory(credit=leading, amount=Decimal("1.25"))
    CourseCreditFactory(course_key=CourseKey.from_string(OTHER_COURSE), credit=ethics, amount=Decimal("5.00"),
                        reference_number="COURSE-9")
    return ethics, leading


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def set_date(course_id, day):
    AwardedCredit.objects.filter(course_key=CourseKey.from_string(course_id)).update(
        awarded_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(12))))


def test_anonymous_is_sent_to_sign_in():
    response = Client().get(URL)
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert Client().get(URL + "?format=csv").status_code == 302


def test_only_get(learner):
    assert logged_in(learner).post(URL).status_code == 405


def test_totals_awards_links_and_revoked_marked_not_counted(learner, staff_user, credits):
    api.award_course_credits(learner, COURSE_ID)
    other = api.award_course_credits(learner, OTHER_COURSE).created[0]
    api.revoke_award(other.uuid, acting_user=staff_user, reason="Mistake")
    response = logged_in(learner).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    totals = html.split('id="credits-totals-title"')[1].split('id="credits-awards-title"')[0]
    assert '<th scope="row">CPA Ontario</th>' in totals and "2.50 CPD hours" in totals
    assert "1.25 points" in totals
    assert "7.50" not in totals  # the revoked 5.00 is not counted
    for text in ("Credits 101", "Ethics &amp; You", "CPA-77", "COURSE-9", "5.00 CPD hours", "Revoked",
                 'scope="col"', "Verification page"):
        assert text in html
    assert html.count('class="credits-award credits-award-revoked"') == 1
    assert html.count('class="credits-award credits-award-awarded"') == 2
    for award in api.get_learner_summary(learner).awards:
        assert f'href="/credits/awards/{award.uuid}/"' in html
    assert 'href="/credits/me/?format=csv"' in html
    assert "Mistake" not in html  # the staff's reason is not the learner's page's business


def test_credit_names_are_escaped(learner, credits):
    api.award_course_credits(learner, COURSE_ID)
    html = logged_in(learner).get(URL).content.decode()
    assert SCRIPT not in html
    assert "Leading &lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html


def test_shows_only_the_signed_in_learners_awards(learner, credits):
    api.award_course_credits(UserFactory(username="someone"), OTHER_COURSE)
    html = logged_in(learner).get(URL).content.decode()
    assert "You have not earned any credits yet" in html and "COURSE-9" not in html


def test_date_range_filters_awards_and_totals(learner, credits):
    api.award_course_credits(learner, COURSE_ID)
    api.award_course_credits(learner, OTHER_COURSE)
    set_date(COURSE_ID, datetime.date(2025, 3, 10))
    set_date(OTHER_COURSE, datetime.date(2026, 1, 20))
    html = logged_in(learner).get(URL, {"from": "2026-01-01", "to": "2026-01-31"}).content.decode()
    assert "COURSE-9" in html and "CPA-77" not in html and "1.25 points" not in html
    assert 'value="2026-01-01"' in html and 'value="2026-01-31"' in html
    assert "Credits earned from 2026-01-01 to 2026-01-31." in html
    assert 'href="/credits/me/?from=2026-01-01&amp;to=2026-01-31&amp;format=csv"' in html
    empty = logged_in(learner).get(URL, {"to": "2024-12-31"}).content.decode()
    assert "No credits were earned between these dates" in empty


@pytest.mark.parametrize("query, field, message", [
    ({"from": "last week"}, "from", "is not a date"),
    ({"to": "2026-02-30"}, "to", "is not a date"),
    ({"from": "2026-02-01", "to": "2026-01-01"}, "from", "The start date is after the end date."),
])
def test_bad_dates_are_explained_next_to_the_field(learner, credits, query, field, message):
    api.award_course_credits(learner, COURSE_ID)
    response = logged_in(learner).get(URL, query)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and 'role="alert"' in html
    assert f'id="credits-{field}-error"' in html and 'aria-invalid="true"' in html
    assert "CPA-77" not in html  # no half-filtered list under an error
    csv_response = logged_in(learner).get(URL, {**query, "format": "csv"})
    assert csv_response.status_code == 400 and csv_response["Content-Type"].startswith("text/html")


def test_csv_reads_as_a_person_reads_it_and_lists_every_award(learner, staff_user, credits):
    api.award_course_credits(learner, COURSE_ID)
    other = api.award_course_credits(learner, OTHER_COURSE).created[0]
    api.revoke_award(other.uuid, acting_user=staff_user, reason="Mistake")
    response = logged_in(learner).get(URL, {"format": "csv"})
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="credits-learner.csv"'
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert list(rows[0]) == ["Course", "Course ID", "Credit", "Credit type", "Amount", "Unit", "Reference number",
                             "How it was earned", "Status", "Awarded on", "Revoked on", "Reason", "Verification URL"]
    assert {(r["Course"], r["Credit"], r["Amount"], r["Unit"], r["Reference number"], r["Status"], r["Reason"])
            for r in rows} == {
        ("Credits 101", "Ethics", "2.50", "CPD hours", "CPA-77", "Awarded", ""),
        ("Credits 101", f"Leading {SCRIPT}", "1.25", "points", "", "Awarded", ""),
        ("Ethics & You", "Ethics", "5.00", "CPD hours", "COURSE-9", "Revoked", "Mistake"),
    }
    assert {r["How it was earned"] for r in rows} == {"Passed the course"}
    revoked = next(r for r in rows if r["Status"] == "Revoked")
    assert revoked["Revoked on"] == revoked["Awarded on"] != ""
    assert {r["Verification URL"] for r in rows} == {
        f"http://testserver/credits/awards/{a.uuid}/" for a in api.get_learner_summary(learner).awards}


def test_csv_speaks_the_learner_s_language(learner, credits):
    api.award_course_credits(learner, COURSE_ID)
    response = logged_in(learner).get(URL, {"format": "csv"}, HTTP_ACCEPT_LANGUAGE="fr")
    header = b"".join(response.streaming_content).decode().splitlines()[0]
    assert header.startswith("Cours,") and "URL de vérification" in header


def test_csv_follows_the_date_filter(learner, credits):
    api.award_course_credits(learner, COURSE_ID)
    api.award_course_credits(learner, OTHER_COURSE)
    set_date(COURSE_ID, datetime.date(2025, 3, 10))
    response = logged_in(learner).get(URL, {"from": "2026-01-01", "format": "csv"})
    assert response["Content-Disposition"] == 'attachment; filename="credits-learner-2026-01-01.csv"'
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [r["Course"] for r in rows] == ["Ethics & You"]


def test_nine_queries_whatever_the_number_of_awards_and_requirements(learner, credits, django_assert_num_queries):
    api.award_course_credits(learner, COURSE_ID)
    for number in range(3):
        api.create_requirement(name=f"Requirement {number}", amount="20",
                               credit_types=[credits[0].credit_type_id])
    lapse_change_marks()
    request = RequestFactory().get(URL)
    request.user = learner
    view = resolve(URL).func
    with django_assert_num_queries(10):  # the first read of the credit directory (cached after)
        assert view(request).status_code == 200
    # The summary (2), the learner's certificates (1), their credits earned elsewhere (1), the
    # credit types they can report one under (1), their requirements with the awards that count (2),
    # whether they get reminders (1) and whether a key signs Open Badges (1).
    with django_assert_num_queries(9):
        assert view(request).status_code == 200

    for number in range(12):  # many more awards, in many courses
        course_id = f"course-v1:TestX+Many{number}+2026"
        StandaloneCourseFactory(course_key=CourseKey.from_string(course_id), display_name=f"Many {number}")
        CourseCreditFactory(course_key=CourseKey.from_string(course_id), credit=credits[0])
        api.award_course_credits(learner, course_id)
    request = RequestFactory().get(URL)
    request.user = learner
    with django_assert_num_queries(9):
        html = view(request).content.decode()
    assert "Many 11" in html
    assert html.count('class="credits-requirement"') == 3
    # Through the test client: the same nine, plus the session and the signed-in user.
    client = logged_in(learner)
    with django_assert_num_queries(11 + REQUEST_TRANSACTION):
        assert client.get(URL).status_code == 200


def test_each_course_with_a_certificate_links_to_it(learner, credits):
    api.award_course_credits(learner, COURSE_ID)
    client = logged_in(learner)
    assert ">Certificate<" not in client.get(URL).content.decode(), "no certificate before the learner passes"
    CourseGradeFactory(user=learner, passed=True)
    html = client.get(URL).content.decode()
    assert f'href="/certificates/user/{learner.pk}/course/{COURSE_ID}"' in html


def test_the_page_shows_each_requirement_its_parts_and_past_periods(learner, credits):
    from credits_plugin.models import AwardedCredit  # pylint: disable=import-outside-toplevel

    whole = api.create_requirement(name="Annual CPD", amount="20", credit_types=[credits[0].credit_type_id],
                                   carry_over_max="5")
    api.create_requirement(name="Ethics part", amount="4", credits=[credits[0].pk], parent=whole.id)
    api.award_course_credits(learner, COURSE_ID)
    earned = AwardedCredit.objects.get(user=learner, credit=credits[0])
    last_year = timezone.localdate().year - 1
    AwardedCredit.objects.filter(pk=earned.pk).update(amount="22.00")  # this year: 22 of 20, the part met
    AwardedCredit.objects.create(
        user=learner, course_key="course-v1:TestX+Old+2025", credit=credits[0], amount="8.00",
        credit_name="Old", credit_type_name="x", unit=earned.unit, source="passing",
        awarded_at=timezone.make_aware(datetime.datetime(last_year, 6, 1, 12)))
    html = logged_in(learner).get(URL).content.decode()
    section = html[html.index('class="credits-requirement"'):]
    section = section[:section.index("</section>")]
    assert "Annual CPD" in section and "Met for this period" in section
    assert '<progress max="20.00" value="22.00"' in section
    assert "Ethics part: 22.00 of 4.00" in section
    assert section.count('class="credits-past-period"') == 1 and f"{last_year}" in section
    AwardedCredit.objects.filter(pk=earned.pk).update(status="revoked")  # a revoked award stops counting at once
    html = logged_in(learner).get(URL).content.decode()
    section = html[html.index('class="credits-requirement"'):]
    section = section[:section.index("</section>")]
    assert "20.00 CPD hours to go by" in section and "Met for this period" not in section
