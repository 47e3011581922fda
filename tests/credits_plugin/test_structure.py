"""Credit types and credits through credits_plugin.api: every rule, with nothing written on error."""
from decimal import Decimal

import attr
import pytest

from credits_plugin import api
from credits_plugin.exceptions import CreditsInUse, CreditsNotFound, CreditsValidationError
from credits_plugin.models import Credit, CreditType
from tests.factories import CourseCreditFactory, CreditFactory, CreditTypeFactory

pytestmark = pytest.mark.django_db


def counts():
    return CreditType.objects.count(), Credit.objects.count()


def test_create_type_and_credit_returns_frozen_data():
    credit_type = api.create_credit_type(name="  CPA Ontario ", unit="CPD hours", requires_reference_number=True)
    credit = api.create_credit(credit_type_id=credit_type.id, name="Ethics", reference_number="CPAO-1")
    assert credit_type.name == "CPA Ontario"  # stripped
    assert credit.credit_type == credit_type
    with pytest.raises(attr.exceptions.FrozenInstanceError):
        credit.name = "other"
    assert [t.name for t in api.list_credit_types()] == ["CPA Ontario"]
    assert [c.name for c in api.list_credits(credit_type_id=credit_type.id)] == ["Ethics"]


@pytest.mark.parametrize("kwargs, field", [
    ({"name": ""}, "name"),
    ({"name": "   "}, "name"),
    ({"name": "x" * 256}, "name"),
    ({"name": "Ok", "unit": ""}, "unit"),
    ({"name": "Ok", "unit": "u" * 51}, "unit"),
    ({"name": "Ok", "requires_reference_number": "yes"}, "requires_reference_number"),
    ({"name": "Ok", "description": "d" * 10001}, "description"),
    ({"name": "\x00"}, "name"),
    ({"name": "Eth\x00ics"}, "name"),
    ({"name": "Eth\x1bics"}, "name"),
    ({"name": "Two\nlines"}, "name"),
    ({"name": "Ok", "unit": "h\x07"}, "unit"),
    ({"name": "Ok", "description": "A\x00B"}, "description"),
])
def test_create_type_rejects_bad_input(kwargs, field):
    with pytest.raises(CreditsValidationError) as error:
        api.create_credit_type(**kwargs)
    assert field in error.value.field_errors
    assert counts() == (0, 0)


def test_type_names_are_unique_ignoring_case():
    api.create_credit_type(name="Management")
    with pytest.raises(CreditsValidationError) as error:
        api.create_credit_type(name="management")
    assert "already exists" in error.value.field_errors["name"][0]
    assert counts() == (1, 0)


def test_credit_under_type_requiring_reference_needs_one():
    credit_type = api.create_credit_type(name="CPA", requires_reference_number=True)
    with pytest.raises(CreditsValidationError) as error:
        api.create_credit(credit_type_id=credit_type.id, name="Ethics", reference_number="  ")
    assert "reference number" in error.value.field_errors["reference_number"][0]
    assert counts() == (1, 0)


def test_credit_rejects_unknown_type_and_overlong_reference():
    with pytest.raises(CreditsValidationError) as error:
        api.create_credit(credit_type_id=999, name="Ethics")
    assert "credit_type" in error.value.field_errors
    credit_type = api.create_credit_type(name="CPA")
    with pytest.raises(CreditsValidationError) as error:
        api.create_credit(credit_type_id=credit_type.id, name="Ethics", reference_number="R" * 101)
    assert "reference_number" in error.value.field_errors
    assert counts() == (1, 0)


def test_credit_names_unique_within_type_but_not_across_types():
    first, second = CreditTypeFactory(), CreditTypeFactory()
    api.create_credit(credit_type_id=first.pk, name="Ethics")
    api.create_credit(credit_type_id=second.pk, name="Ethics")
    with pytest.raises(CreditsValidationError):
        api.create_credit(credit_type_id=first.pk, name="ETHICS")
    assert Credit.objects.count() == 2


def test_cannot_add_credit_to_archived_type():
    credit_type = CreditTypeFactory(is_active=False)
    with pytest.raises(CreditsValidationError) as error:
        api.create_credit(credit_type_id=credit_type.pk, name="New")
    assert "archived" in error.value.field_errors["credit_type"][0]


def test_turning_on_reference_numbers_checks_existing_credits():
    credit_type = CreditTypeFactory()
    CreditFactory(credit_type=credit_type, name="No number", reference_number="")
    with pytest.raises(CreditsValidationError) as error:
        api.update_credit_type(credit_type.pk, requires_reference_number=True)
    assert "No number" in error.value.field_errors["requires_reference_number"][0]
    credit_type.refresh_from_db()
    assert credit_type.requires_reference_number is False


def test_forbidding_several_per_course_checks_existing_courses():
    credit_type = CreditTypeFactory(allow_multiple_per_course=True)
    CourseCreditFactory(credit=CreditFactory(credit_type=credit_type))
    CourseCreditFactory(credit=CreditFactory(credit_type=credit_type))
    with pytest.raises(CreditsValidationError) as error:
        api.update_credit_type(credit_type.pk, allow_multiple_per_course=False)
    assert "course-v1:TestX+Credits+2026" in error.value.field_errors["allow_multiple_per_course"][0]
    credit_type.refresh_from_db()
    assert credit_type.allow_multiple_per_course is True


def test_update_rejects_unknown_fields_and_ids():
    credit_type = CreditTypeFactory(name="Kept")
    with pytest.raises(CreditsValidationError) as error:
        api.update_credit_type(credit_type.pk, name="New", id=5)
    assert "id" in error.value.field_errors
    credit_type.refresh_from_db()
    assert credit_type.name == "Kept"
    with pytest.raises(CreditsNotFound):
        api.update_credit_type(12345, name="x")
    with pytest.raises(CreditsNotFound):
        api.get_credit("not-a-number")


def test_clearing_required_reference_number_is_refused():
    credit = CreditFactory(credit_type=CreditTypeFactory(requires_reference_number=True), reference_number="R-1")
    with pytest.raises(CreditsValidationError):
        api.update_credit(credit.pk, reference_number="")
    credit.refresh_from_db()
    assert credit.reference_number == "R-1"


def test_archive_keeps_rows_and_marks_inactive():
    credit = CreditFactory()
    assert api.archive_credit(credit.pk).is_active is False
    assert api.archive_credit_type(credit.credit_type_id).is_active is False
    assert api.list_credits(is_active=True) == []
    assert [c.id for c in api.list_credits(is_active=False)] == [credit.pk]


def test_delete_unused_credit_and_type():
    credit = CreditFactory()
    api.delete_credit(credit.pk)
    api.delete_credit_type(credit.credit_type_id)
    assert counts() == (0, 0)


def test_delete_type_with_unused_credits_deletes_them():
    credit = CreditFactory()
    api.delete_credit_type(credit.credit_type_id)
    assert counts() == (0, 0)


def test_delete_in_use_is_refused_and_suggests_archiving():
    designation = CourseCreditFactory()
    credit = designation.credit
    with pytest.raises(CreditsInUse) as error:
        api.delete_credit(credit.pk)
    assert "Archive it instead" in error.value.message
    with pytest.raises(CreditsInUse) as error:
        api.delete_credit_type(credit.credit_type_id)
    assert "Archive it instead" in error.value.message
    assert error.value.http_status == 409
    assert counts() == (1, 1)


def test_moving_a_designated_credit_to_another_type_is_refused():
    designation = CourseCreditFactory()
    other = CreditTypeFactory()
    with pytest.raises(CreditsValidationError):
        api.update_credit(designation.credit_id, credit_type_id=other.pk)
    designation.credit.refresh_from_db()
    assert designation.credit.credit_type_id != other.pk


def test_history_records_who_changed_a_type(staff_user):
    credit_type = api.create_credit_type(name="Management", user=staff_user)
    api.update_credit_type(credit_type.id, unit="CEU", user=staff_user)
    history = CreditType.history.filter(id=credit_type.id).order_by("history_date")
    assert [h.unit for h in history] == ["hours", "CEU"]
    assert {h.history_user_id for h in history} == {staff_user.pk}


def test_amount_type_does_not_leak_models():
    designation = CourseCreditFactory(amount=Decimal("1.00"))
    credit = api.get_credit(designation.credit_id)
    assert type(credit).__module__ == "credits_plugin.data"


def test_a_description_may_have_line_breaks_and_names_are_stripped_first():
    credit_type = api.create_credit_type(name=" Ethics\n", unit="hours", description="First line.\n\tSecond line.")
    assert (credit_type.name, credit_type.description) == ("Ethics", "First line.\n\tSecond line.")
