"""
The permission matrix: every endpoint and method, for every role. A refused role
gets 401 or 403 (never a 500) and the database does not change.
"""
import pytest

from credits_plugin import api
from credits_plugin.models import AwardedCredit, AwardLogEntry, CourseCredit, CourseCreditSettings, Credit, CreditType
from tests.credits_plugin.rest_api.conftest import API
from tests.factories import COURSE_ID, CreditFactory, CreditTypeFactory, UserFactory

pytestmark = pytest.mark.django_db
ROLES = ["anonymous", "learner", "other_learner", "other_course_staff", "course_staff", "global_staff", "superuser"]
OK, NO_AUTH, DENIED, HIDDEN = 200, 401, 403, 404


def matrix(**by_role):
    """Expected status per role; ``rest`` for the roles not named."""
    rest = by_role.pop("rest")
    return [by_role.get(role, rest) for role in ROLES]


def state():
    """Everything an endpoint could change."""
    return (
        list(CreditType.objects.order_by("id").values_list("id", "name", "is_active")),
        list(Credit.objects.order_by("id").values_list("id", "name", "is_active")),
        list(CourseCreditSettings.objects.values_list("course_key", "enabled", "award_trigger")),
        list(CourseCredit.objects.order_by("id").values_list("credit_id", "amount")),
        list(AwardedCredit.objects.order_by("id").values_list("uuid", "status")),
        AwardLogEntry.objects.count(),
    )


def staff_only(success):
    return matrix(anonymous=NO_AUTH, global_staff=success, superuser=success, rest=DENIED)


def course_staff_only(success):
    return matrix(anonymous=NO_AUTH, course_staff=success, global_staff=success, superuser=success, rest=DENIED)


def fresh_type(ctx):
    return CreditTypeFactory().pk


def fresh_credit(ctx):
    return CreditFactory(credit_type=ctx["structure"]["management"]).pk


CASES = {
    # name: (method, path builder, body builder, expected per role)
    "list types": ("get", lambda c: f"{API}/credit-types/", None,
                   matrix(anonymous=NO_AUTH, rest=OK)),
    "create type": ("post", lambda c: f"{API}/credit-types/", lambda c: {"name": f"T {c['role']}"},
                    staff_only(201)),
    "read type": ("get", lambda c: f"{API}/credit-types/{c['structure']['cpa'].pk}/", None,
                  matrix(anonymous=NO_AUTH, rest=OK)),
    "patch type": ("patch", lambda c: f"{API}/credit-types/{c['structure']['cpa'].pk}/",
                   lambda c: {"description": c["role"]}, staff_only(OK)),
    "delete type": ("delete", lambda c: f"{API}/credit-types/{fresh_type(c)}/", None, staff_only(204)),
    "list credits": ("get", lambda c: f"{API}/credits/", None, matrix(anonymous=NO_AUTH, rest=OK)),
    "create credit": ("post", lambda c: f"{API}/credits/",
                      lambda c: {"credit_type": c["structure"]["management"].pk, "name": f"C {c['role']}"},
                      staff_only(201)),
    "read credit": ("get", lambda c: f"{API}/credits/{c['structure']['ethics'].pk}/", None,
                    matrix(anonymous=NO_AUTH, rest=OK)),
    "patch credit": ("patch", lambda c: f"{API}/credits/{c['structure']['ethics'].pk}/",
                     lambda c: {"description": c["role"]}, staff_only(OK)),
    "delete credit": ("delete", lambda c: f"{API}/credits/{fresh_credit(c)}/", None, staff_only(204)),
    "read enabled course": ("get", lambda c: f"{API}/courses/{COURSE_ID}/", None, matrix(rest=OK)),
    "read disabled course": ("get", lambda c: f"{API}/courses/course-v1:TestX+Off+2026/", None,
                             matrix(global_staff=OK, superuser=OK, rest=HIDDEN)),
    "put course": ("put", lambda c: f"{API}/courses/{COURSE_ID}/",
                   lambda c: {"enabled": True, "award_trigger": "certificate",
                              "credits": [{"credit": c["structure"]["leading"].pk, "amount": "3"}]},
                   course_staff_only(OK)),
    "course report": ("get", lambda c: f"{API}/courses/{COURSE_ID}/awards/", None, course_staff_only(OK)),
    "course report csv": ("get", lambda c: f"{API}/courses/{COURSE_ID}/awards/?format=csv", None,
                          course_staff_only(OK)),
    "manual award": ("post", lambda c: f"{API}/courses/{COURSE_ID}/awards/",
                     lambda c: {"username": UserFactory().username, "reason": "Attended"},
                     course_staff_only(201)),
    "revoke": ("post", lambda c: f"{API}/awards/{c['award'].uuid}/revoke/", lambda c: {"reason": "Mistake"},
               course_staff_only(OK)),
    "learner summary": ("get", lambda c: f"{API}/learners/learner/summary/", None,
                        matrix(anonymous=NO_AUTH, learner=OK, global_staff=OK, superuser=OK, rest=DENIED)),
    "learner summary csv": ("get", lambda c: f"{API}/learners/learner/summary/?format=csv", None,
                            matrix(anonymous=NO_AUTH, learner=OK, global_staff=OK, superuser=OK, rest=DENIED)),
    "public award": ("get", lambda c: f"{API}/awards/{c['award'].uuid}/", None, matrix(rest=OK)),
    "schema": ("get", lambda c: f"{API}/schema/", None, matrix(rest=OK)),
    "award credential": ("get", lambda c: f"{API}/awards/{c['award'].uuid}/credential/", None, matrix(rest=OK)),
    "award credential jwt": ("get", lambda c: f"{API}/awards/{c['award'].uuid}/credential/?format=jwt", None,
                             matrix(rest=OK)),
    "learner record": ("get", lambda c: f"{API}/learners/learner/record/", None,
                       matrix(anonymous=NO_AUTH, learner=OK, global_staff=OK, superuser=OK, rest=DENIED)),
    "issuer": ("get", lambda c: f"{API}/issuer/", None, matrix(rest=OK)),
    "issuer keys": ("get", lambda c: f"{API}/issuer/jwks/", None, matrix(rest=OK)),
    "status list": ("get", lambda c: f"{API}/status-lists/1/", None, matrix(rest=OK)),
    "verify": ("post", lambda c: f"{API}/credentials/verify/", lambda c: {"jwt": "not.a.jwt"}, matrix(rest=OK)),
}


@pytest.mark.parametrize("role_index, role", list(enumerate(ROLES)))
@pytest.mark.parametrize("case", list(CASES))
def test_permission_matrix(case, role_index, role, users, structure, as_user, make_signing_key):
    method, path, body, expected = CASES[case]
    make_signing_key("matrix-key")
    api.set_course_settings("course-v1:TestX+Off+2026", enabled=False)
    award = api.award_course_credits(users["learner"], COURSE_ID).created[0]
    context = {"structure": structure, "award": award, "role": role}
    url, data = path(context), body(context) if body else None
    before = state()
    client = as_user(users[role])
    response = getattr(client, method)(url, data, format="json") if data is not None else getattr(client, method)(url)
    assert response.status_code == expected[role_index], (case, role, response.content[:300])
    if response.status_code in (NO_AUTH, DENIED, HIDDEN):
        assert state() == before, f"{case} as {role} was refused but changed the database"
        if response.status_code != HIDDEN or method != "get":
            assert set(response.json()) == {"error_code", "developer_message", "field_errors"}
