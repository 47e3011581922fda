"""The learner's credits on the web certificate, through the real CertificateRenderStarted pipeline."""
from decimal import Decimal

import pytest
from openedx_filters.learning.filters import CertificateRenderStarted

from credits_plugin import api
from credits_plugin.filters.certificate import DESCRIPTION_KEY
from tests.factories import COURSE_ID, CourseCreditFactory, CreditFactory, UserFactory

pytestmark = pytest.mark.django_db

PLATFORM_DESCRIPTION = "a course of study offered by TestX, an online learning initiative of Test University."


def certificate_context(user):
    return {
        "course_id": COURSE_ID,
        "username": user.username,
        "accomplishment_user_id": user.pk,
        DESCRIPTION_KEY: PLATFORM_DESCRIPTION,
        "accomplishment_copy_course_name": "Credits 101",
    }


def test_awarded_credits_show_on_the_default_certificate(credits_course, learner):
    api.award_course_credits(learner, COURSE_ID)
    context, template = CertificateRenderStarted.run_filter(certificate_context(learner), None)
    assert template is None
    text = context[DESCRIPTION_KEY]
    assert text.startswith(PLATFORM_DESCRIPTION + " Credits earned: ")
    assert "2.50 CPD hours of Ethics (CPA Ontario), reference number CPA-ETH-1" in text
    assert "1.25 hours of Leading (Management), reference number MGT-7" in text
    assert [(c["credit_name"], c["amount"], c["unit"]) for c in context["course_credits"]] == [
        ("Ethics", "2.50", "CPD hours"), ("Leading", "1.25", "hours")]
    first = context["course_credits"][0]
    assert first["verification_url"] == f"/credits/awards/{first['uuid']}/"


def test_revoked_awards_do_not_show(credits_course, learner, staff_user):
    awards = api.award_course_credits(learner, COURSE_ID).created
    revoked = next(a for a in awards if a.credit_name == "Ethics")
    api.revoke_award(revoked.uuid, acting_user=staff_user, reason="Awarded by mistake")
    context, _ = CertificateRenderStarted.run_filter(certificate_context(learner), None)
    assert [c["credit_name"] for c in context["course_credits"]] == ["Leading"]
    assert "Ethics" not in context[DESCRIPTION_KEY]


def test_a_learner_without_credits_gets_the_page_unchanged(credits_course, learner):
    other = UserFactory()
    api.award_course_credits(other, COURSE_ID)
    original = certificate_context(learner)
    context, _ = CertificateRenderStarted.run_filter(dict(original), None)
    assert context == original


def test_only_the_certificate_owner_s_awards_show_whoever_looks(credits_course, learner, as_user):
    api.award_course_credits(learner, COURSE_ID)
    as_user(UserFactory(username="learner2"))  # a visitor whose username starts like the learner's
    api.award_course_credits(UserFactory(username="learner22"), COURSE_ID)
    context, _ = CertificateRenderStarted.run_filter(certificate_context(learner), None)
    assert len(context["course_credits"]) == 2


def test_preview_shows_the_course_s_credits(credits_course, staff_user, as_user):
    as_user(staff_user, f"/certificates/course/{COURSE_ID}", preview="honor")
    context, _ = CertificateRenderStarted.run_filter(certificate_context(staff_user), None)
    assert "Credits this course awards: " in context[DESCRIPTION_KEY]
    assert [c["credit_name"] for c in context["course_credits"]] == ["Ethics", "Leading"]


def test_costs_one_query_whatever_the_number_of_awards(credits_course, learner, django_assert_num_queries):
    api.award_course_credits(learner, COURSE_ID)
    with django_assert_num_queries(1):
        context, _ = CertificateRenderStarted.run_filter(certificate_context(learner), None)
    assert len(context["course_credits"]) == 2


def test_a_course_without_credits_leaves_the_certificate_alone(course_key, learner):
    original = certificate_context(learner)
    context, _ = CertificateRenderStarted.run_filter(dict(original), None)
    assert context == original


def test_credits_are_listed_in_the_about_card_s_order(credits_course, learner):
    """By type, then name, whatever the order they were designated and awarded in."""
    from openedx_filters.learning.filters import CourseAboutRenderStarted  # pylint: disable=import-outside-toplevel

    from tests.credits_plugin.filters.test_course_about import about_context  # pylint: disable=import-outside-toplevel

    api.award_course_credits(learner, COURSE_ID)
    cpa = next(d.credit.credit_type for d in api.list_course_credits(COURSE_ID) if d.credit.name == "Ethics")
    budgeting = CreditFactory(credit_type_id=cpa.id, name="Budgeting", reference_number="CPA-BUD-2")
    CourseCreditFactory(course_key=credits_course, credit=budgeting, amount=Decimal("1.00"))
    api.award_course_credits(learner, COURSE_ID)  # the newest award, of the newest designation
    context, _ = CertificateRenderStarted.run_filter(certificate_context(learner), None)
    about, _ = CourseAboutRenderStarted.run_filter(about_context(credits_course), "courseware/course_about.html")
    assert [c["credit_name"] for c in context["course_credits"]] == [
        c["credit_name"] for c in about["course_credits"]] == ["Budgeting", "Ethics", "Leading"]
    text = context[DESCRIPTION_KEY]
    assert text.index("Budgeting") < text.index("Ethics") < text.index("Leading")
