"""What the REST API v1 does, through DRF's test client and the real plugin URLs."""
import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.http import StreamingHttpResponse
from django.utils import timezone
from edx_rest_framework_extensions.auth.jwt.tests.utils import generate_jwt
from opaque_keys.edx.keys import CourseKey
from rest_framework.test import APIClient

from credits_plugin import api
from credits_plugin.models import AwardedCredit, CourseCredit, Credit, CreditType
from tests.credits_plugin.rest_api.conftest import API
from tests.factories import COURSE_ID, REQUEST_TRANSACTION, UserFactory, lapse_change_marks

pytestmark = pytest.mark.django_db
COURSE_URL = f"{API}/courses/{COURSE_ID}/"


def assert_error(response, status, code, field=None):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error_code", "developer_message", "field_errors"}
    assert body["error_code"] == code
    assert body["developer_message"]
    if field:
        assert field in body["field_errors"], body


def test_staff_creates_a_type_and_a_credit(as_user, users):
    client = as_user(users["global_staff"])
    created = client.post(f"{API}/credit-types/", {"name": "CPA", "unit": "CPD hours",
                                                    "requires_reference_number": True}, format="json")
    assert created.status_code == 201
    type_id = created.json()["id"]
    credit = client.post(f"{API}/credits/", {"credit_type": type_id, "name": "Ethics", "reference_number": "R-1"},
                         format="json")
    assert credit.status_code == 201
    assert credit.json()["credit_type"] == {"id": type_id, "name": "CPA", "unit": "CPD hours",
                                            "requires_reference_number": True, "requires_approval": True}
    listing = client.get(f"{API}/credits/", {"credit_type": type_id}).json()
    assert listing["count"] == 1 and listing["results"][0]["name"] == "Ethics"
    assert CreditType.history.get(id=type_id).history_user == users["global_staff"]


@pytest.mark.parametrize("body, field", [
    ({"name": ""}, "name"),
    ({"name": "X", "requires_reference_number": "yes"}, "requires_reference_number"),
    ({"name": "X", "color": "red"}, "color"),
    ({"name": "X" * 300}, "name"),
])
def test_bad_type_bodies_are_400_with_field_errors(as_user, users, body, field):
    response = as_user(users["global_staff"]).post(f"{API}/credit-types/", body, format="json")
    assert_error(response, 400, "validation_error", field)
    assert CreditType.objects.count() == 0


def test_non_json_and_malformed_bodies(as_user, users):
    client = as_user(users["global_staff"])
    response = client.post(f"{API}/credit-types/", "{not json", content_type="application/json")
    assert_error(response, 400, "parse_error")
    response = client.post(f"{API}/credit-types/", "[1, 2]", content_type="application/json")
    assert_error(response, 400, "validation_error")


def test_credit_requires_reference_number_under_accredited_type(as_user, users, structure):
    response = as_user(users["global_staff"]).post(
        f"{API}/credits/", {"credit_type": structure["cpa"].pk, "name": "Tax"}, format="json")
    assert_error(response, 400, "validation_error", "reference_number")


def test_delete_in_use_is_409_and_suggests_archiving(as_user, users, structure):
    client = as_user(users["global_staff"])
    response = client.delete(f"{API}/credits/{structure['ethics'].pk}/")
    assert_error(response, 409, "in_use")
    assert "Archive" in response.json()["developer_message"]
    response = client.patch(f"{API}/credits/{structure['ethics'].pk}/", {"is_active": False}, format="json")
    assert response.status_code == 200 and response.json()["is_active"] is False
    assert Credit.objects.filter(pk=structure["ethics"].pk).exists()


@pytest.mark.parametrize("path", ["credit-types/999/", "credit-types/abc/", "credits/999/",
                                  "awards/00000000-0000-0000-0000-000000000000/", "awards/nope/"])
def test_unknown_ids_are_404(as_user, users, path):
    assert_error(as_user(users["global_staff"]).get(f"{API}/{path}"), 404, "not_found")


def test_course_get_and_put(as_user, users, structure):
    response = as_user(None).get(COURSE_URL)
    assert response.status_code == 200
    body = response.json()
    assert body["enabled"] is True and len(body["credits"]) == 2
    ethics = next(c for c in body["credits"] if c["name"] == "Ethics")
    assert ethics["credit_type"] == {"id": structure["cpa"].pk, "name": "CPA", "unit": "CPD hours",
                                     "requires_reference_number": True, "requires_approval": False}
    assert ethics["amount"] == "2.50"

    client = as_user(users["course_staff"])
    put = client.put(COURSE_URL, {"enabled": True, "award_trigger": "certificate",
                                  "revoke_on_certificate_revoked": True,
                                  "credits": [{"credit": structure["leading"].pk, "amount": "4.5",
                                               "reference_number": "C-1"}]}, format="json")
    assert put.status_code == 200, put.content
    assert put.json()["credits"][0]["amount"] == "4.50"
    assert put.json()["award_trigger"] == "certificate"
    assert CourseCredit.objects.count() == 1


def test_course_put_errors_change_nothing(as_user, users, structure):
    client = as_user(users["course_staff"])
    before = list(CourseCredit.objects.values_list("credit_id", "amount"))
    response = client.put(COURSE_URL, {"enabled": True, "credits": [
        {"credit": structure["ethics"].pk, "amount": "0"}]}, format="json")
    assert_error(response, 400, "validation_error", "credits.0.amount")
    response = client.put(COURSE_URL, {"enabled": True, "credits": [
        {"credit": structure["ethics"].pk, "amount": "1" * 29 + ".125"}]}, format="json")
    assert_error(response, 400, "validation_error", "credits.0.amount")
    second_cpa = Credit.objects.create(credit_type=structure["cpa"], name="Tax", reference_number="CPA-2")
    response = client.put(COURSE_URL, {"enabled": True, "credits": [
        {"credit": structure["ethics"].pk, "amount": "1"}, {"credit": second_cpa.pk, "amount": "1"}]},
        format="json")
    assert_error(response, 400, "validation_error", "credits")
    assert_error(client.put(COURSE_URL, {"credits": []}, format="json"), 400, "validation_error", "enabled")
    assert_error(client.put(f"{API}/courses/not-a-course/", {"enabled": True}, format="json"), 400,
                 "validation_error", "course_id")
    assert_error(client.get(f"{API}/no-such-endpoint/"), 404, "not_found")
    assert list(CourseCredit.objects.values_list("credit_id", "amount")) == before


def test_disabled_course_is_hidden_from_learners(as_user, users, structure):
    api.set_course_enabled(COURSE_ID, False)
    assert_error(as_user(users["learner"]).get(COURSE_URL), 404, "not_found")
    assert as_user(users["course_staff"]).get(COURSE_URL).json()["enabled"] is False


def test_awards_report_json_paginated_and_searchable(as_user, users, structure):
    for index in range(7):
        api.award_course_credits(UserFactory(username=f"amy{index}"), COURSE_ID)
    api.award_course_credits(users["learner"], COURSE_ID)
    client = as_user(users["course_staff"])
    page = client.get(f"{COURSE_URL}awards/", {"page_size": 5, "page": 2}).json()
    assert (page["count"], page["num_pages"], page["current_page"], len(page["results"])) == (16, 4, 2, 5)
    assert page["next"].endswith("page=3") and "page=1" in page["previous"]
    assert client.get(f"{COURSE_URL}awards/", {"search": "lear"}).json()["count"] == 2
    assert_error(client.get(f"{COURSE_URL}awards/", {"page": 0}), 400, "validation_error", "page")
    assert client.get(f"{COURSE_URL}awards/", {"page": 1_000_000}).json()["results"] == []
    for page_number in (1_000_001, 10 ** 20, "9" * 5000, "1.5", "-2", "1e3", " "):
        response = client.get(f"{COURSE_URL}awards/", {"page": page_number})
        if str(page_number).strip():
            assert_error(response, 400, "validation_error", "page")
    assert_error(client.get(f"{COURSE_URL}awards/", {"page_size": "2.5"}), 400, "validation_error", "page_size")
    assert client.get(f"{COURSE_URL}awards/", {"page_size": 10 ** 6}).json()["num_pages"] == 1  # capped at 500
    assert_error(client.get(f"{API}/credit-types/", {"page": 10 ** 20}), 400, "validation_error", "page")
    assert_error(client.get(f"{COURSE_URL}awards/", {"from": "yesterday"}), 400, "validation_error", "from")
    assert_error(client.get(f"{COURSE_URL}awards/", {"status": "lost"}), 400, "validation_error", "status")


def test_awards_report_csv_streams_with_the_json_columns(as_user, users, structure):
    api.award_course_credits(users["learner"], COURSE_ID)
    client = as_user(users["course_staff"])
    response = client.get(f"{COURSE_URL}awards/", {"format": "csv"})
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    json_row = client.get(f"{COURSE_URL}awards/").json()["results"][0]
    assert list(rows[0]) == list(json_row)
    assert len(rows) == 2 and {r["credit_name"] for r in rows} == {"Ethics", "Leading"}


def _report_fixture(users, structure):
    """Awards whose JSON is easy to get wrong: revoked, manual, odd amounts, whole seconds, many learners."""
    staff = users["course_staff"]
    learners = [users["learner"], users["other_learner"], *[UserFactory(username=f"l{i}") for i in range(4)]]
    for learner in learners:
        api.award_course_credits(learner, COURSE_ID)
    first = AwardedCredit.objects.filter(user=learners[0]).order_by("id").first()
    api.revoke_award(first.uuid, acting_user=staff, reason="=Entered by mistake")
    AwardedCredit.objects.filter(user=learners[1]).update(amount=Decimal("0.10"))
    AwardedCredit.objects.filter(user=learners[2]).update(amount=Decimal("999.99"),
                                                          awarded_at=datetime.datetime(2026, 1, 2, 3, 4, 5,
                                                                                       tzinfo=datetime.UTC))
    return learners


@pytest.mark.parametrize("query", [
    {}, {"status": "revoked"}, {"search": "l"}, {"from": "2026-01-01", "to": "2026-01-02"},
])
def test_csv_report_cells_are_the_json_values(as_user, users, structure, query):
    """The CSV is read straight from the database cursor: each cell must still be the JSON's value."""
    _report_fixture(users, structure)
    client = as_user(users["course_staff"])
    text = b"".join(client.get(f"{COURSE_URL}awards/", {**query, "format": "csv"}).streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    results = client.get(f"{COURSE_URL}awards/", {**query, "page_size": 100}).json()["results"]
    expected = [{k: "" if v is None else ("'" + str(v) if str(v)[:1] == "=" else str(v)) for k, v in r.items()}
                for r in results]
    assert rows == expected and rows


def test_csv_report_reads_in_chunks_and_follows_the_time_zone(users, structure):
    """Keyset chunks of 2 give every row once, in order; datetimes follow the current time zone as DRF's do."""
    from credits_plugin.rest_api.v1.serializers import AwardSerializer  # pylint: disable=import-outside-toplevel

    _report_fixture(users, structure)
    for zone, offsets in (("America/Toronto", ("-05:00", "-04:00")), ("Africa/Casablanca", ("+01:00", "+00:00"))):
        with timezone.override(zone):  # Casablanca was at +00:00 in 2001, not now: no UTC shortcut
            rows = list(api.iter_course_report_rows(COURSE_ID, chunk_size=2))
            awards = AwardSerializer(api.iter_course_awards(COURSE_ID), many=True).data
        assert len(rows) == len(awards) == AwardedCredit.objects.count() == 12
        assert [dict(zip(api.AWARD_REPORT_COLUMNS, row, strict=True)) for row in rows] == [
            {k: "" if v is None else str(v) for k, v in award.items()} for award in awards]
        assert rows[0][api.AWARD_REPORT_COLUMNS.index("awarded_at")].endswith(offsets)
    assert tuple(AwardSerializer().fields) == api.AWARD_REPORT_COLUMNS


def test_csv_report_dates_are_those_of_the_request_time_zone(users, structure):
    """The rows stream after the view returned: the date range still means the request's days."""
    from django.db import connection  # pylint: disable=import-outside-toplevel

    if connection.vendor == "mysql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT CONVERT_TZ('2026-01-01 00:00:00', 'UTC', 'America/Toronto')")
            if cursor.fetchone()[0] is None:
                pytest.skip("MySQL's time zone tables are not loaded (mysql_tzinfo_to_sql; .ci/run loads them)")
    _report_fixture(users, structure)
    AwardedCredit.objects.filter(user=users["other_learner"]).update(
        awarded_at=datetime.datetime(2026, 1, 2, 3, 0, tzinfo=datetime.UTC))  # Jan 1, 22:00 in Toronto
    with timezone.override("America/Toronto"):
        rows = api.iter_course_report_rows(COURSE_ID, start="2026-01-01", end="2026-01-01")
    assert {row[1] for row in rows} == {"other_learner", "l0"}  # both awarded on Jan 1 in Toronto


def test_csv_cells_cannot_start_a_formula(as_user, users, structure):
    Credit.objects.filter(pk=structure["leading"].pk).update(name="=HYPERLINK(\"x\")")
    api.award_course_credits(users["learner"], COURSE_ID)
    response = as_user(users["course_staff"]).get(f"{COURSE_URL}awards/", {"format": "csv"})
    text = b"".join(response.streaming_content).decode()
    assert "'=HYPERLINK" in text


def test_a_refused_request_commits_nothing_it_wrote(as_user, users, structure, monkeypatch):
    """The platform runs each request in one transaction: the API's refusal rolls it back, as DRF's own does."""
    from django.db import connection  # pylint: disable=import-outside-toplevel

    assert connection.settings_dict["ATOMIC_REQUESTS"]  # as lms/envs/common.py

    def writes_then_refuses(*args, **kwargs):
        CreditType.objects.create(name="Half-made", unit="hours")
        raise api.CreditsValidationError("Refused after a write.", field_errors={"reason": ["No."]})

    monkeypatch.setattr(api, "manual_award", writes_then_refuses)
    response = as_user(users["course_staff"]).post(f"{COURSE_URL}awards/", {"username": "learner", "reason": "r"},
                                                   format="json")
    assert_error(response, 400, "validation_error", "reason")
    assert not CreditType.objects.filter(name="Half-made").exists()


def test_a_write_that_met_another_at_the_same_moment_is_a_409(as_user, users, structure, monkeypatch):
    """MySQL gave up the request's transaction (deadlock, lock wait timeout): try again, not a 500."""
    from django.db import OperationalError  # pylint: disable=import-outside-toplevel

    for code, message in ((1213, "Deadlock found when trying to get lock; try restarting transaction"),
                          (1205, "Lock wait timeout exceeded; try restarting transaction")):
        def clashes(*args, code=code, message=message, **kwargs):
            raise OperationalError(code, message)

        monkeypatch.setattr(api, "manual_award", clashes)
        response = as_user(users["course_staff"]).post(f"{COURSE_URL}awards/", {"username": "learner",
                                                                                "reason": "r"}, format="json")
        assert_error(response, 409, "conflict")
        assert "Try again" in response.json()["developer_message"]
    monkeypatch.setattr(api, "manual_award", lambda *a, **k: (_ for _ in ()).throw(OperationalError(2006, "gone")))
    with pytest.raises(OperationalError):  # any other database failure stays a 500 for the platform to log
        as_user(users["course_staff"]).post(f"{COURSE_URL}awards/", {"username": "learner", "reason": "r"},
                                            format="json")


def test_manual_award_and_revoke(as_user, users, structure):
    client = as_user(users["course_staff"])
    assert_error(client.post(f"{COURSE_URL}awards/", {"username": "learner"}, format="json"), 400,
                 "validation_error", "reason")
    assert_error(client.post(f"{COURSE_URL}awards/", {"username": "ghost", "reason": "r"}, format="json"), 404,
                 "not_found")
    assert_error(client.post(f"{COURSE_URL}awards/", {"username": "course_staff", "reason": "r"}, format="json"),
                 400, "validation_error", "username")
    created = client.post(f"{COURSE_URL}awards/", {"username": "learner", "reason": "Attended live",
                                                   "credits": [structure["ethics"].pk]}, format="json")
    assert created.status_code == 201
    award = created.json()[0]
    assert (award["credit_name"], award["awarded_by"], award["source"]) == ("Ethics", "course_staff", "manual")
    again = client.post(f"{COURSE_URL}awards/", {"username": "learner", "reason": "x",
                                                 "credits": [structure["ethics"].pk]}, format="json")
    assert_error(again, 409, "conflict")
    revoke_url = f"{API}/awards/{award['uuid']}/revoke/"
    assert_error(client.post(revoke_url, {}, format="json"), 400, "validation_error", "reason")
    revoked = client.post(revoke_url, {"reason": "Entered by mistake"}, format="json")
    assert revoked.status_code == 200 and revoked.json()["status"] == "revoked"
    assert_error(client.post(revoke_url, {"reason": "again"}, format="json"), 409, "conflict")


def test_learner_summary_json_and_csv(as_user, users, structure):
    api.award_course_credits(users["learner"], COURSE_ID)
    client = as_user(users["learner"])
    body = client.get(f"{API}/learners/learner/summary/").json()
    assert body["username"] == "learner"
    assert {(t["credit_type"], t["unit"], t["amount"]) for t in body["totals"]} == {
        ("CPA", "CPD hours", "2.50"), ("Management", "hours", "2.50")}
    assert set(body["awards"][0]) == {"uuid", "course_id", "course_name", "credit_name", "credit_type_name",
                                      "amount", "unit", "reference_number", "source", "status", "awarded_at"}
    response = client.get(f"{API}/learners/learner/summary/", {"format": "csv", "from": "2000-01-01"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == list(body["awards"][0]) and len(rows) == 3
    assert_error(client.get(f"{API}/learners/learner/summary/", {"to": "31/12/2026"}), 400, "validation_error",
                 "to")
    staff = as_user(users["global_staff"])
    assert_error(staff.get(f"{API}/learners/ghost/summary/", {"format": "csv"}), 404, "not_found")


def test_learner_summary_totals_past_999_99(as_user, users, structure):
    """Amounts are at most 999.99; a learner's totals go well past it."""
    for index in range(3):
        course = f"course-v1:TestX+Big{index}+2026"
        CourseCredit.objects.create(course_key=CourseKey.from_string(course), credit=structure["leading"],
                                    amount=Decimal("999.99"))
        api.award_course_credits(users["learner"], course)
    body = as_user(users["learner"]).get(f"{API}/learners/learner/summary/").json()
    assert {t["credit_type"]: t["amount"] for t in body["totals"]}["Management"] == "2999.97"


def test_learner_summary_totals_only_for_dashboards(as_user, users, structure, django_assert_max_num_queries):
    api.award_course_credits(users["learner"], COURSE_ID)
    lapse_change_marks()
    client = as_user(users["learner"])
    full = client.get(f"{API}/learners/learner/summary/").json()
    with django_assert_max_num_queries(2 + REQUEST_TRANSACTION):  # the totals, and the credit directory (cached after)
        totals = client.get(f"{API}/learners/learner/summary/", {"awards": "false"}).json()
    assert totals == dict(full, awards=[]) and len(full["awards"]) == 2
    assert_error(client.get(f"{API}/learners/learner/summary/", {"awards": "some"}), 400, "validation_error",
                 "awards")
    csv_rows = b"".join(client.get(f"{API}/learners/learner/summary/",
                                   {"awards": "false", "format": "csv"}).streaming_content).decode().splitlines()
    assert len(csv_rows) == 3  # the CSV is the award list: always there


def test_public_award_shows_no_username_or_email(as_user, users, structure):
    award = api.award_course_credits(users["learner"], COURSE_ID).created[0]
    body = as_user(None).get(f"{API}/awards/{award.uuid}/").json()
    assert body["learner_name"] == "Lee Morgan"
    assert body["course_name"] == "Credits 101"
    text = str(body)
    assert "learner@example.com" not in text and "'learner'" not in text
    assert set(body) == {"uuid", "learner_name", "course_id", "course_name", "credit_name", "credit_type_name",
                         "amount", "unit", "reference_number", "status", "awarded_at", "revoked_at",
                         "source", "issuer", "valid_from", "valid_until"}


def test_jwt_authentication(users, structure):
    client = APIClient()
    token = generate_jwt(users["course_staff"])
    response = client.get(f"{COURSE_URL}awards/", HTTP_AUTHORIZATION=f"JWT {token}")
    assert response.status_code == 200, response.content
    response = client.get(f"{COURSE_URL}awards/", HTTP_AUTHORIZATION="JWT not-a-token")
    assert_error(response, 401, "authentication_failed")


@pytest.mark.parametrize("method, path, body", [
    ("post", "/credit-types/", {"name": "Via restricted token", "unit": "hours"}),
    ("get", "/credit-types/", None),
    ("get", f"/courses/{COURSE_ID}/", None),
    ("put", f"/courses/{COURSE_ID}/", {"enabled": False}),
    ("get", f"/courses/{COURSE_ID}/awards/", None),
    ("get", "/learners/staff/summary/", None),
])
def test_a_restricted_application_s_token_is_refused_even_for_staff(users, structure, method, path, body):
    """A restricted OAuth2 application's JWT acts for its user only where an API grants its scopes."""
    token = generate_jwt(users["global_staff"], is_restricted=True, scopes=["credits:write", "credits:read"],
                         filters=[f"user:{users['global_staff'].username}"])
    before = list(CourseCredit.objects.values_list("credit_id", "amount")), CreditType.objects.count()
    response = getattr(APIClient(), method)(f"{API}{path}", body, format="json", HTTP_AUTHORIZATION=f"JWT {token}")
    assert_error(response, 403, "permission_denied")
    assert "restricted application" in response.json()["developer_message"]
    assert (list(CourseCredit.objects.values_list("credit_id", "amount")), CreditType.objects.count()) == before


def test_session_writes_need_csrf(users, structure):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(users["global_staff"])
    response = client.post(f"{API}/credit-types/", {"name": "No CSRF"}, format="json")
    assert_error(response, 403, "permission_denied")
    assert not CreditType.objects.filter(name="No CSRF").exists()


def test_openapi_schema_describes_every_endpoint(client):
    response = client.get(f"{API}/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) >= {
        "/api/credits/v1/credit-types/", "/api/credits/v1/credit-types/{type_id}/", "/api/credits/v1/credits/",
        "/api/credits/v1/credits/{credit_id}/", "/api/credits/v1/courses/{course_id}/",
        "/api/credits/v1/courses/{course_id}/awards/", "/api/credits/v1/awards/{award_uuid}/revoke/",
        "/api/credits/v1/awards/{award_uuid}/", "/api/credits/v1/learners/{username}/summary/"}
    assert AwardedCredit.objects.count() == 0


def test_an_id_given_as_a_fraction_is_refused_not_truncated(as_user, users, structure):
    client = as_user(users["course_staff"])
    before = list(CourseCredit.objects.values_list("credit_id", "amount"))
    response = client.put(COURSE_URL, {"enabled": True, "credits": [
        {"credit": structure["leading"].pk + 0.5, "amount": "1"}]}, format="json")
    assert_error(response, 400, "validation_error", "credits.0.credit")
    assert list(CourseCredit.objects.values_list("credit_id", "amount")) == before


def test_a_body_over_django_s_size_limit_gets_the_api_s_error_shape(as_user, users, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client = as_user(users["global_staff"])
    response = client.post(f"{API}/credit-types/", {"name": "CPA", "unit": "hours", "description": "d" * 2000},
                           format="json")
    assert_error(response, 400, "request_too_large")
    assert not CreditType.objects.filter(name="CPA").exists()
