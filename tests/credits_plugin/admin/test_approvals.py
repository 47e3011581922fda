"""The admin's approvals: approve for dates, or reject with a reason, the selected course credits."""
import datetime

import pytest

from credits_plugin.models import CourseCredit
from tests.credits_plugin.admin.helpers import ADMIN, text
from tests.factories import CourseCreditFactory, CreditFactory, CreditTypeFactory, UserFactory

pytestmark = pytest.mark.django_db
URL = f"{ADMIN}/coursecredit/"


@pytest.fixture
def waiting(db):
    cpa = CreditTypeFactory(name="CPA", requires_reference_number=True, requires_approval=True)
    author = UserFactory(username="author")
    return [CourseCreditFactory(credit=CreditFactory(credit_type=cpa, name=name), approval_status="pending",
                                requested_by=author) for name in ("Ethics", "Tax")]


def post(client, action, ids, **data):
    return client.post(URL, {"action": action, "_selected_action": [str(i) for i in ids], **data})


def test_the_list_filters_by_approval_and_approves_for_dates(admin_client, waiting):
    page = text(admin_client.get(f"{URL}?approval_status__exact=pending"))
    assert "Waiting for approval" in page and "Ethics" in page
    ids = [d.pk for d in waiting]
    asked = post(admin_client, "approve_designations", ids)
    assert asked.status_code == 200 and "Approved for learners who pass from (optional)" in text(asked)
    assert set(CourseCredit.objects.values_list("approval_status", flat=True)) == {"pending"}  # nothing yet
    done = post(admin_client, "approve_designations", ids, confirm_decision="yes", valid_from="2026-01-01",
                valid_until="2027-12-31")
    assert done.status_code == 302
    assert set(CourseCredit.objects.values_list("approval_status", "valid_until")) == {
        ("approved", datetime.date(2027, 12, 31))}


def test_bad_dates_and_a_missing_reason_change_nothing(admin_client, waiting):
    ids = [d.pk for d in waiting]
    page = post(admin_client, "approve_designations", ids, confirm_decision="yes", valid_from="2027-01-01",
                valid_until="2026-01-01")
    assert page.status_code == 200 and "cannot come before its start" in text(page)
    page = post(admin_client, "reject_designations", ids, confirm_decision="yes", reason=" ")
    assert page.status_code == 200 and "reason" in text(page).lower()
    assert set(CourseCredit.objects.values_list("approval_status", flat=True)) == {"pending"}
    done = post(admin_client, "reject_designations", ids, confirm_decision="yes", reason="No outline.")
    assert done.status_code == 302
    assert set(CourseCredit.objects.values_list("approval_status", "rejection_reason")) == {
        ("rejected", "No outline.")}


def test_whoever_asked_cannot_approve_here_either(admin_client, admin_user, waiting):
    CourseCredit.objects.filter(pk=waiting[1].pk).update(requested_by=admin_user)
    page = post(admin_client, "approve_designations", [d.pk for d in waiting], confirm_decision="yes")
    assert page.status_code == 200 and "another approver must decide it" in text(page)
    assert set(CourseCredit.objects.values_list("approval_status", flat=True)) == {"pending"}  # all or none


def test_the_admin_approves_only_what_its_page_showed(admin_client, waiting):
    ids = [d.pk for d in waiting]
    data = {"confirm_decision": "yes", **{f"reviewed_amount_{d.pk}": str(d.amount) for d in waiting},
            **{f"reviewed_reference_{d.pk}": d.reference_number for d in waiting}}
    CourseCredit.objects.filter(pk=waiting[0].pk).update(amount="9.00")  # changed after the page was shown
    page = post(admin_client, "approve_designations", ids, **data)
    assert page.status_code == 200 and "review it again" in text(page)
    assert set(CourseCredit.objects.values_list("approval_status", flat=True)) == {"pending"}


def test_staff_who_may_only_view_course_credits_get_no_decision_actions(client, waiting):
    from django.contrib.auth.models import Permission  # pylint: disable=import-outside-toplevel
    viewer = UserFactory(username="viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_coursecredit"))
    client.force_login(viewer)
    page = text(client.get(URL))
    assert "Approve the selected course credits" not in page
    post(client, "approve_designations", [d.pk for d in waiting], confirm_decision="yes")
    assert set(CourseCredit.objects.values_list("approval_status", flat=True)) == {"pending"}
