"""A course's settings and designations through credits_plugin.api."""
from decimal import Decimal

import pytest

from credits_plugin import api
from credits_plugin.exceptions import CreditsValidationError
from credits_plugin.models import CourseCredit, CourseCreditSettings
from tests.factories import COURSE_ID, CourseCreditFactory, CreditFactory, CreditTypeFactory

pytestmark = pytest.mark.django_db


def snapshot_state():
    return (
        list(CourseCreditSettings.objects.values_list("course_key", "enabled", "award_trigger")),
        list(CourseCredit.objects.order_by("id").values_list("credit_id", "amount", "reference_number")),
    )


def test_course_without_settings_has_credits_off():
    settings = api.get_course_settings(COURSE_ID)
    assert settings.enabled is False
    assert settings.credits == ()
    assert settings.awards_credits is False


def test_set_course_settings_replaces_designations(staff_user):
    keep, drop, add = CreditFactory(), CreditFactory(), CreditFactory()
    api.set_course_settings(COURSE_ID, enabled=True, credits=[
        {"credit": keep.pk, "amount": "1"}, {"credit": drop.pk, "amount": "2"}])
    result = api.set_course_settings(COURSE_ID, enabled=True, award_trigger="certificate",
                                     revoke_on_certificate_revoked=True, user=staff_user, credits=[
                                         {"credit": keep.pk, "amount": "1.5", "reference_number": "C-9"},
                                         {"credit": add.pk, "amount": 3}])
    assert result.award_trigger == "certificate"
    assert result.revoke_on_certificate_revoked is True
    assert {(d.credit.id, d.amount, d.reference_number) for d in result.credits} == {
        (keep.pk, Decimal("1.50"), "C-9"), (add.pk, Decimal("3.00"), "")}
    assert not CourseCredit.objects.filter(credit=drop).exists()
    assert CourseCredit.history.filter(credit_id=drop.pk, history_type="-").get().history_user == staff_user


def test_course_specific_reference_number_wins():
    credit = CreditFactory(reference_number="GENERIC")
    result = api.set_course_settings(COURSE_ID, enabled=True, credits=[
        {"credit": credit.pk, "amount": "1", "reference_number": "COURSE-1"}])
    assert result.credits[0].effective_reference_number == "COURSE-1"
    result = api.set_course_settings(COURSE_ID, enabled=True, credits=[{"credit": credit.pk, "amount": "1"}])
    assert result.credits[0].effective_reference_number == "GENERIC"


@pytest.mark.parametrize("amount, message", [
    ("0", "greater than zero"),
    ("-1", "greater than zero"),
    ("1000", "at most 999.99"),
    ("1" * 29 + ".125", "at most 999.99"),  # more digits than Decimal's precision
    ("-" + "9" * 40 + ".5", "greater than zero"),
    ("0." + "0" * 40 + "1", "two decimal places"),
    ("1E+40", "at most 999.99"),
    ("1.255", "two decimal places"),
    ("abc", "not a number"),
    ("NaN", "not a number"),
    ("", "Enter an amount"),
    (None, "Enter an amount"),
    (True, "Enter an amount"),
])
def test_bad_amounts_are_refused_and_nothing_changes(amount, message):
    credit = CreditFactory()
    api.set_course_settings(COURSE_ID, enabled=False, credits=[{"credit": credit.pk, "amount": "2"}])
    before = snapshot_state()
    with pytest.raises(CreditsValidationError) as error:
        api.set_course_settings(COURSE_ID, enabled=True, credits=[{"credit": credit.pk, "amount": amount}])
    assert message in error.value.field_errors["credits.0.amount"][0]
    assert snapshot_state() == before


@pytest.mark.parametrize("amount, stored", [("0.01", "0.01"), ("999.99", "999.99"), ("2.5", "2.50"), (7, "7.00"),
                                            ("1.500", "1.50")])
def test_good_amounts(amount, stored):
    credit = CreditFactory()
    result = api.set_course_settings(COURSE_ID, enabled=True, credits=[{"credit": credit.pk, "amount": amount}])
    assert result.credits[0].amount == Decimal(stored)


def test_one_credit_per_type_when_type_forbids_several():
    credit_type = CreditTypeFactory(name="CPA", allow_multiple_per_course=False)
    first, second = CreditFactory(credit_type=credit_type), CreditFactory(credit_type=credit_type)
    with pytest.raises(CreditsValidationError) as error:
        api.set_course_settings(COURSE_ID, enabled=True, credits=[
            {"credit": first.pk, "amount": "1"}, {"credit": second.pk, "amount": "1"}])
    assert "only one credit of type 'CPA'" in error.value.field_errors["credits"][0]
    assert snapshot_state() == ([], [])


def test_several_allowed_when_type_allows():
    credit_type = CreditTypeFactory(allow_multiple_per_course=True)
    credits = [CreditFactory(credit_type=credit_type) for _ in range(3)]
    result = api.set_course_settings(COURSE_ID, enabled=True, credits=[
        {"credit": c.pk, "amount": "1"} for c in credits])
    assert len(result.credits) == 3


def test_archived_credit_cannot_be_newly_designated_but_existing_keeps_working():
    credit = CreditFactory()
    api.set_course_settings(COURSE_ID, enabled=True, credits=[{"credit": credit.pk, "amount": "1"}])
    api.archive_credit(credit.pk)
    # Already designated: it stays, and its amount can still change.
    result = api.set_course_settings(COURSE_ID, enabled=True, credits=[{"credit": credit.pk, "amount": "2"}])
    assert result.credits[0].amount == Decimal("2.00")
    assert result.credits[0].credit.is_active is False
    other_course = "course-v1:TestX+Other+2026"
    with pytest.raises(CreditsValidationError) as error:
        api.set_course_settings(other_course, enabled=True, credits=[{"credit": credit.pk, "amount": "1"}])
    assert "archived" in error.value.field_errors["credits.0.credit"][0]
    archived_type_credit = CreditFactory(credit_type=CreditTypeFactory(is_active=False))
    with pytest.raises(CreditsValidationError):
        api.set_course_settings(other_course, enabled=True,
                                credits=[{"credit": archived_type_credit.pk, "amount": "1"}])
    assert api.get_course_settings(other_course).credits == ()


@pytest.mark.parametrize("course_id", ["not a course", "", "course-v1:bad", None, 42])
def test_malformed_course_id(course_id):
    with pytest.raises(CreditsValidationError) as error:
        api.set_course_settings(course_id, enabled=True)
    assert "course_id" in error.value.field_errors
    with pytest.raises(CreditsValidationError):
        api.get_course_settings(course_id)
    assert snapshot_state() == ([], [])


@pytest.mark.parametrize("credits, key", [
    ([{"credit": 9999, "amount": "1"}], "credits.0.credit"),
    ([{"credit": "abc", "amount": "1"}], "credits.0.credit"),
    (["nope"], "credits.0"),
    ("nope", "credits"),
])
def test_unknown_or_malformed_credits(credits, key):
    with pytest.raises(CreditsValidationError) as error:
        api.set_course_settings(COURSE_ID, enabled=True, credits=credits)
    assert key in error.value.field_errors
    assert snapshot_state() == ([], [])


def test_duplicate_credit_and_bad_flags_and_trigger():
    credit = CreditFactory()
    with pytest.raises(CreditsValidationError) as error:
        api.set_course_settings(COURSE_ID, enabled="yes", award_trigger="whenever", credits=[
            {"credit": credit.pk, "amount": "1"}, {"credit": credit.pk, "amount": "2"}])
    assert set(error.value.field_errors) >= {"enabled", "award_trigger", "credits.1.credit"}
    assert snapshot_state() == ([], [])


def test_overlong_course_reference_number():
    credit = CreditFactory()
    with pytest.raises(CreditsValidationError) as error:
        api.set_course_settings(COURSE_ID, enabled=True, credits=[
            {"credit": credit.pk, "amount": "1", "reference_number": "x" * 101}])
    assert "credits.0.reference_number" in error.value.field_errors


def test_set_course_enabled_keeps_designations(staff_user):
    designation = CourseCreditFactory()
    assert api.set_course_enabled(COURSE_ID, True, user=staff_user).enabled is True
    result = api.set_course_enabled(COURSE_ID, False, user=staff_user)
    assert result.enabled is False
    assert [d.credit.id for d in result.credits] == [designation.credit_id]
    history = CourseCreditSettings.history.order_by("history_date")
    assert [h.enabled for h in history] == [True, False]
    assert all(h.history_user == staff_user for h in history)


def test_list_course_credits_accepts_strings_and_keys(course_key):
    designation = CourseCreditFactory()
    assert api.list_course_credits(COURSE_ID) == api.list_course_credits(course_key)
    assert api.list_course_credits(course_key)[0].credit.id == designation.credit_id


def test_reading_a_course_costs_two_queries_whatever_the_number_of_credits(django_assert_num_queries):
    for _ in range(10):
        CourseCreditFactory()
    with django_assert_num_queries(2):
        assert len(api.get_course_settings(COURSE_ID).credits) == 10
