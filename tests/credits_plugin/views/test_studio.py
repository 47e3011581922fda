"""The Studio course settings page: access, saving, every validation error, backfill."""
from decimal import Decimal

import pytest
from django.test import Client

from credits_plugin import api
from credits_plugin.models import CourseCredit, CourseCreditSettings
from tests.factories import (
    COURSE_ID,
    CourseAccessFactory,
    CourseCreditFactory,
    CourseCreditSettingsFactory,
    CourseGradeFactory,
    CreditFactory,
    CreditTypeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
URL = f"/credits/studio/{COURSE_ID}/"


@pytest.fixture
def author(course_key):
    user = UserFactory(username="author")
    CourseAccessFactory(user=user)
    return user


@pytest.fixture
def credits(course_key):
    cpa = CreditTypeFactory(name="CPA", unit="CPD hours", requires_reference_number=True,
                            allow_multiple_per_course=False)
    management = CreditTypeFactory(name="Management", unit="hours")
    return {
        "ethics": CreditFactory(credit_type=cpa, name="Ethics", reference_number="CPA-1"),
        "tax": CreditFactory(credit_type=cpa, name="Tax", reference_number="CPA-2"),
        "leading": CreditFactory(credit_type=management, name="Leading <b>teams</b>"),
        "old": CreditFactory(credit_type=management, name="Old syllabus", is_active=False),
    }


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def form(enabled=True, trigger="passing", revoke=False, picked=(), amounts=None, references=None, all_ids=()):
    data = {"award_trigger": trigger, "action": "save", "credit": [str(c) for c in picked]}
    if enabled:
        data["enabled"] = "on"
    if revoke:
        data["revoke_on_certificate_revoked"] = "on"
    for credit_id in all_ids:
        data[f"amount_{credit_id}"] = (amounts or {}).get(credit_id, "")
        data[f"reference_{credit_id}"] = (references or {}).get(credit_id, "")
    return data


def saved():
    return (list(CourseCreditSettings.objects.values_list("enabled", "award_trigger")),
            sorted(CourseCredit.objects.values_list("credit_id", "amount", "reference_number")))


def test_anonymous_is_sent_to_sign_in_and_others_are_refused(credits, author):
    response = Client().get(URL)
    assert response.status_code == 302 and "/login/" in response["Location"]
    refused = logged_in(UserFactory()).get(URL)
    assert refused.status_code == 403
    assert "You cannot change this course's credits" in refused.content.decode()
    assert 'href="/dashboard"' in refused.content.decode()  # a way back
    other = UserFactory()
    CourseAccessFactory(user=other, course_key=api.parse_course_key("course-v1:TestX+Other+2026"))
    assert logged_in(other).get(URL).status_code == 403
    assert logged_in(author).get("/credits/studio/not-a-course/").status_code == 404


def test_page_groups_active_credits_by_type_and_escapes_names(credits, author):
    html = logged_in(author).get(URL).content.decode()
    assert "<legend>CPA" in html and "<legend>Management" in html
    assert "Leading &lt;b&gt;teams&lt;/b&gt;" in html
    assert "Old syllabus" not in html  # archived and not designated: not offered
    assert 'name="csrfmiddlewaretoken"' in html
    assert html.count("<label") >= 3 * 3  # every input has a label


def test_archived_credit_already_designated_is_shown_as_such(credits, author):
    CourseCreditFactory(credit=credits["old"])
    html = logged_in(author).get(URL).content.decode()
    assert "Old syllabus" in html and "archived" in html


def test_save_enables_and_designates(credits, author):
    ids = [c.pk for c in credits.values() if c.is_active]
    response = logged_in(author).post(URL, form(
        trigger="certificate", revoke=True, picked=[credits["ethics"].pk, credits["leading"].pk],
        amounts={credits["ethics"].pk: "2.5", credits["leading"].pk: "1"},
        references={credits["ethics"].pk: "COURSE-9"}, all_ids=ids))
    assert response.status_code == 302
    settings = api.get_course_settings(COURSE_ID)
    assert (settings.enabled, settings.award_trigger, settings.revoke_on_certificate_revoked) == (
        True, "certificate", True)
    assert {(d.credit.id, d.amount, d.reference_number) for d in settings.credits} == {
        (credits["ethics"].pk, Decimal("2.50"), "COURSE-9"), (credits["leading"].pk, Decimal("1.00"), "")}
    assert CourseCreditSettings.history.get().history_user == author
    follow = logged_in(author).get(URL).content.decode()
    assert 'value="2.50"' in follow and 'value="COURSE-9"' in follow


def test_a_save_that_met_another_at_the_same_moment_says_nothing_was_saved(credits, author, monkeypatch):
    """MySQL gave up the save (another author's at the same instant) after the retries: the form again, not a 500."""
    from django.db import OperationalError  # pylint: disable=import-outside-toplevel

    def clashes(*args, **kwargs):
        raise OperationalError(1205, "Lock wait timeout exceeded; try restarting transaction")

    monkeypatch.setattr(api, "set_course_settings", clashes)
    leading = credits["leading"].pk
    response = logged_in(author).post(URL, form(picked=[leading], amounts={leading: "1.5"}, all_ids=[leading]))
    assert response.status_code == 400
    html = response.content.decode()
    assert "nothing was saved. Try again." in html and 'value="1.5"' in html  # what the author typed is kept


@pytest.mark.parametrize("amount, message", [
    ("0", "greater than zero"), ("1000", "at most 999.99"), ("1.234", "two decimal places"),
    ("lots", "not a number"), ("", "Enter an amount"),
])
def test_amount_errors_show_next_to_the_field_and_save_nothing(credits, author, amount, message):
    CourseCreditSettingsFactory(enabled=False)
    before = saved()
    leading = credits["leading"].pk
    response = logged_in(author).post(URL, form(picked=[leading], amounts={leading: amount}, all_ids=[leading]))
    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="amount-{leading}-error">' in html and message in html
    assert 'aria-invalid="true"' in html and "Nothing was saved" in html
    assert f'value="{amount}"' in html  # what the author typed is kept
    assert saved() == before


def test_one_credit_per_type_error(credits, author):
    ids = [credits["ethics"].pk, credits["tax"].pk]
    response = logged_in(author).post(URL, form(picked=ids, amounts={i: "1" for i in ids}, all_ids=ids))
    assert response.status_code == 400
    assert "only one credit of type" in response.content.decode()
    assert saved() == ([], [])


def test_crafted_posts_are_refused_clearly(credits, author):
    old = credits["old"].pk
    response = logged_in(author).post(URL, form(picked=[old], amounts={old: "1"}, all_ids=[old]))
    assert response.status_code == 400 and "archived" in response.content.decode()
    response = logged_in(author).post(URL, form(trigger="whenever"))
    assert response.status_code == 400 and "Choose one of" in response.content.decode()
    response = logged_in(author).post(URL, form(picked=[99999], amounts={99999: "1"}, all_ids=[99999]))
    assert response.status_code == 400 and "no credit with id 99999" in response.content.decode()
    assert saved() == ([], [])


def test_csrf_is_required(credits, author):
    client = Client(enforce_csrf_checks=True)
    client.force_login(author)
    assert client.post(URL, form()).status_code == 403
    assert saved() == ([], [])


def test_backfill_button_awards_learners_who_already_passed(credits, author, django_capture_on_commit_callbacks):
    CourseCreditSettingsFactory(enabled=True)
    CourseCreditFactory(credit=credits["leading"])
    CourseGradeFactory(user=UserFactory(username="early"))
    with django_capture_on_commit_callbacks(execute=True):
        response = logged_in(author).post(URL, {"action": "backfill"})
    assert response.status_code == 302
    assert api.get_learner_summary("early").totals[0].amount == Decimal("2.50")
    assert "Last backfill: done" in logged_in(author).get(URL).content.decode()


def test_backfill_refused_while_credits_are_off(credits, author):
    CourseCreditSettingsFactory(enabled=False)
    response = logged_in(author).post(URL, {"action": "backfill"}, follow=True)
    assert "switch them on" in response.content.decode()


def test_a_type_allowing_one_credit_per_course_offers_radio_buttons(credits, author):
    html = logged_in(author).get(URL).content.decode()
    cpa = credits["ethics"].credit_type_id
    assert f'type="radio" name="credit_of_type_{cpa}" value="{credits["ethics"].pk}"' in html
    assert f'type="radio" name="credit_of_type_{cpa}" value="" id="credit-none-{cpa}" checked' in html
    assert f'type="checkbox" name="credit" value="{credits["leading"].pk}"' in html  # several allowed there
    assert "reference number required" in html and "accredited" not in html
    ethics, leading = credits["ethics"].pk, credits["leading"].pk
    data = form(picked=[leading], amounts={ethics: "2", leading: "1"}, all_ids=[ethics, leading])
    data[f"credit_of_type_{cpa}"] = str(ethics)
    assert logged_in(author).post(URL, data).status_code == 302
    assert {d.credit.id for d in api.get_course_settings(COURSE_ID).credits} == {ethics, leading}
    html = logged_in(author).get(URL).content.decode()
    assert f'value="{ethics}" id="credit-{ethics}" checked' in html
    data[f"credit_of_type_{cpa}"] = ""  # "No CPA credit"
    assert logged_in(author).post(URL, data).status_code == 302
    assert {d.credit.id for d in api.get_course_settings(COURSE_ID).credits} == {leading}


def test_every_error_is_listed_at_the_top_with_a_link_to_its_field(credits, author):
    ethics, leading = credits["ethics"].pk, credits["leading"].pk
    data = form(trigger="whenever", picked=[leading], amounts={leading: "0"}, all_ids=[ethics, leading])
    data[f"credit_of_type_{credits['ethics'].credit_type_id}"] = str(ethics)  # and no amount for it
    response = logged_in(author).post(URL, data)
    assert response.status_code == 400
    summary = response.content.decode().split('class="error-list"')[1].split("</ul>")[0]
    assert summary.count("<li>") == 3
    assert f'href="#amount-{ethics}"' in summary and f'href="#amount-{leading}"' in summary
    assert 'href="#award-trigger"' in summary and "Choose one of" in summary
    assert saved() == ([], [])


def test_a_french_author_types_amounts_with_a_comma(credits, author):
    from django.utils import translation  # pylint: disable=import-outside-toplevel

    leading = credits["leading"].pk
    client = logged_in(author)
    with translation.override("en"):  # the middleware leaves the request's language active afterwards
        response = client.post(URL, form(picked=[leading], amounts={leading: "0,30"}, all_ids=[leading]),
                               HTTP_ACCEPT_LANGUAGE="fr")
        assert response.status_code == 302
        assert [d.amount for d in api.get_course_settings(COURSE_ID).credits] == [Decimal("0.30")]
        html = client.get(URL, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
        assert f'id="amount-{leading}" value="0,30"' in html  # shown back as a French reader writes it
        response = client.post(URL, form(picked=[leading], amounts={leading: "2,5"}, all_ids=[leading]),
                               HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "Use a point as the decimal separator, as in 2.50." in response.content.decode()
    assert [d.amount for d in api.get_course_settings(COURSE_ID).credits] == [Decimal("0.30")]


def test_the_author_sees_each_accredited_credits_approval(author, credits):
    from credits_plugin.models import CreditType  # pylint: disable=import-outside-toplevel
    CreditType.objects.filter(name="CPA").update(requires_approval=True)
    CourseCreditSettingsFactory(enabled=True)
    ethics = CourseCreditFactory(credit=credits["ethics"], approval_status="pending")
    CourseCreditFactory(credit=credits["leading"])
    client = logged_in(author)
    page = client.get(URL).content.decode()
    assert "awarded once approved" in page
    assert "Waiting for approval: learners are not awarded this credit" in page
    assert page.count('class="approval ') == 1  # Management needs no approval: nothing is said
    CourseCredit.objects.filter(pk=ethics.pk).update(approval_status="rejected", rejection_reason="No outline.")
    assert "Rejected: No outline." in client.get(URL).content.decode()
    import datetime  # pylint: disable=import-outside-toplevel
    CourseCredit.objects.filter(pk=ethics.pk).update(approval_status="approved", valid_until=datetime.date(2027, 6, 30))
    assert "Approved for learners who pass by" in client.get(URL).content.decode()
