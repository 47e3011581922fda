"""The approvals queue over REST: designations/, .../approve/, .../reject/ for every role."""
import pytest
from django.contrib.auth.models import Group

from credits_plugin.models import CourseCredit, CreditType
from tests.credits_plugin.rest_api.conftest import API
from tests.factories import CourseCreditFactory, CreditFactory, CreditTypeFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(users):
    """A CPA credit of the course waiting for approval, asked for by the course's staff; an approver of CPA."""
    group = Group.objects.create(name="CPA approvers")
    approver = UserFactory(username="approver")
    approver.groups.add(group)
    cpa = CreditTypeFactory(name="CPA", requires_reference_number=True, requires_approval=True, approvers=group)
    designation = CourseCreditFactory(credit=CreditFactory(credit_type=cpa, name="Ethics"),
                                      approval_status="pending", requested_by=users["course_staff"])
    return {"designation": designation, "approver": approver, "users": {**users, "approver": approver}}


# role -> (list status, approve status)
MATRIX = {
    "anonymous": (401, 401),
    "learner": (403, 403),
    "other_learner": (403, 403),
    "course_staff": (403, 403),  # the course's staff asked for it: they never decide it
    "other_course_staff": (403, 403),
    "approver": (200, 200),
    "global_staff": (200, 200),
}


@pytest.mark.parametrize("role", sorted(MATRIX))
def test_role_matrix(client, as_user, pending, role):
    listed, decided = MATRIX[role]
    as_user(pending["users"][role])
    response = client.get(f"{API}/designations/?approval_status=pending")
    assert response.status_code == listed, response.content
    if listed == 200:
        assert [d["name"] for d in response.json()["results"]] == ["Ethics"]
        assert response.json()["results"][0]["requested_by"] == "course_staff"
    response = client.post(f"{API}/designations/{pending['designation'].pk}/approve/",
                           {"valid_from": "2026-01-01", "valid_until": "2027-12-31"}, format="json")
    assert response.status_code == decided, response.content
    row = CourseCredit.objects.get(pk=pending["designation"].pk)
    assert row.approval_status == ("approved" if decided == 200 else "pending")  # 0 escalations
    if decided == 200:
        body = response.json()
        assert (body["approval_status"], body["valid_from"], body["valid_until"]) == (
            "approved", "2026-01-01", "2027-12-31")


def test_staff_who_asked_cannot_approve_even_as_an_approver(client, as_user, pending):
    pending["users"]["course_staff"].groups.add(Group.objects.get(name="CPA approvers"))
    as_user(pending["users"]["course_staff"])
    response = client.post(f"{API}/designations/{pending['designation'].pk}/approve/", {}, format="json")
    assert response.status_code == 403
    assert response.json()["error_code"] == "permission_denied"
    assert CourseCredit.objects.get(pk=pending["designation"].pk).approval_status == "pending"


def test_reject_needs_a_reason_and_a_second_decision_is_a_conflict(client, as_user, pending):
    as_user(pending["approver"])
    url = f"{API}/designations/{pending['designation'].pk}"
    response = client.post(f"{url}/reject/", {}, format="json")
    assert response.status_code == 400 and "reason" in response.json()["field_errors"]
    response = client.post(f"{url}/reject/", {"reason": "No ethics content."}, format="json")
    assert response.status_code == 200 and response.json()["rejection_reason"] == "No ethics content."
    response = client.post(f"{url}/approve/", {}, format="json")
    assert response.status_code == 409
    assert CourseCredit.objects.get(pk=pending["designation"].pk).approval_status == "rejected"


def test_bad_input_is_a_400_and_unknown_ids_a_404(client, as_user, pending):
    as_user(pending["users"]["global_staff"])
    url = f"{API}/designations/{pending['designation'].pk}/approve/"
    for body in ({"valid_from": "tomorrow"}, {"valid_from": "2027-01-01", "valid_until": "2026-01-01"},
                 {"status": "approved"}, {"amount": "many"}):
        assert client.post(url, body, format="json").status_code == 400
    changed = client.post(url, {"amount": "3"}, format="json")  # the course says 2.50 now
    assert changed.status_code == 409 and "review it again" in changed.json()["developer_message"]
    assert client.get(f"{API}/designations/?approval_status=maybe").status_code == 400
    for bad in ("999999", "1.5", "x"):
        assert client.post(f"{API}/designations/{bad}/approve/", {}, format="json").status_code == 404
    assert CourseCredit.objects.get(pk=pending["designation"].pk).approval_status == "pending"


def test_credit_types_take_requires_approval(client, as_user, users):
    as_user(users["global_staff"])
    created = client.post(f"{API}/credit-types/", {"name": "Body", "requires_reference_number": True},
                          format="json").json()
    assert created["requires_approval"] is True  # follows requires_reference_number when not given
    response = client.patch(f"{API}/credit-types/{created['id']}/", {"requires_approval": False}, format="json")
    assert response.status_code == 200 and not CreditType.objects.get(pk=created["id"]).requires_approval
