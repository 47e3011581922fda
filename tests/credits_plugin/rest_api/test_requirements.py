"""Requirements over REST: global staff define them; a learner (and global staff) read where they stand."""
import datetime
import io
from decimal import Decimal

import pytest
from django.utils import timezone

from credits_plugin.models import AwardedCredit, CreditRequirement, RequirementAssignment
from tests.credits_plugin.rest_api.conftest import API
from tests.factories import REQUEST_TRANSACTION, CreditFactory, CreditTypeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cpd(db):
    cpd_type = CreditTypeFactory(name="CPA Ontario", unit="CPD hours")
    return {"type": cpd_type, "ethics": CreditFactory(credit_type=cpd_type, name="Ethics"),
            "general": CreditFactory(credit_type=cpd_type, name="General")}


def definition(cpd, **changes):
    return {"name": "Annual CPD", "amount": "20.00", "credit_types": [cpd["type"].pk], "carry_over_max": "5.00",
            **changes}


def earn(user, credit, amount, day):
    AwardedCredit.objects.create(
        user=user, course_key=f"course-v1:Org+{credit.name}{day.year}+Run", credit=credit, amount=Decimal(amount),
        credit_name=credit.name, credit_type_name=credit.credit_type.name, unit=credit.credit_type.unit,
        source="passing", awarded_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(12))))


# role -> (list/create/change/delete, read the learner's own progress)
MATRIX = {
    "anonymous": (401, 401),
    "learner": (403, 200),
    "other_learner": (403, 403),
    "course_staff": (403, 403),
    "global_staff": (None, 200),
}


@pytest.mark.parametrize("role", MATRIX)
def test_role_matrix(client, as_user, users, cpd, role):
    manage, progress = MATRIX[role]
    as_user(users["global_staff"])
    made = client.post(f"{API}/requirements/", definition(cpd), format="json").json()
    as_user(users.get(role))
    answers = [
        client.get(f"{API}/requirements/").status_code,
        client.post(f"{API}/requirements/", definition(cpd, name="Other"), format="json").status_code,
        client.get(f"{API}/requirements/{made['id']}/").status_code,
        client.patch(f"{API}/requirements/{made['id']}/", {"amount": "1"}, format="json").status_code,
        client.get(f"{API}/requirements/{made['id']}/assignments/").status_code,
        client.post(f"{API}/requirements/{made['id']}/assignments/", [{"learner": "other_learner"}],
                    format="json").status_code,
        client.delete(f"{API}/requirements/{made['id']}/").status_code,
    ]
    if manage is None:
        assert answers == [200, 201, 200, 200, 200, 200, 204]
    else:
        assert answers == [manage] * 7
        assert not RequirementAssignment.objects.exists()
        assert CreditRequirement.objects.get().amount == Decimal("20.00")  # nothing changed
    assert client.get(f"{API}/learners/learner/requirements/").status_code == progress


def test_staff_define_a_requirement_with_a_part_and_the_learner_sees_where_they_stand(client, as_user, users, cpd):
    as_user(users["global_staff"])
    response = client.post(f"{API}/requirements/", definition(cpd), format="json")
    assert response.status_code == 201, response.content
    whole = response.json()
    assert (whole["unit"], whole["period_kind"], whole["credit_types"], whole["carry_over_max"]) == (
        "CPD hours", "calendar_year", [cpd["type"].pk], "5.00")
    part = client.post(f"{API}/requirements/", {"name": "Ethics", "amount": "4", "credits": [cpd["ethics"].pk],
                                                "parent": whole["id"]}, format="json").json()
    assert client.get(f"{API}/requirements/{whole['id']}/").json()["sub_requirements"] == [part["id"]]
    learner = users["learner"]
    earn(learner, cpd["general"], "24", datetime.date(2025, 3, 1))  # 4 above: carried into 2026
    earn(learner, cpd["general"], "12", datetime.date(2026, 3, 1))
    earn(learner, cpd["ethics"], "4", datetime.date(2026, 4, 1))
    as_user(learner)
    body = client.get(f"{API}/learners/learner/requirements/?as_of=2026-06-30").json()
    assert body["username"] == "learner" and body["as_of"] == "2026-06-30"
    (annual,) = body["requirements"]
    assert {key: annual[key] for key in ("period_start", "period_end", "required", "earned", "carried_over",
                                         "remaining", "met")} == {
        "period_start": "2026-01-01", "period_end": "2026-12-31", "required": "20.00", "earned": "16.00",
        "carried_over": "4.00", "remaining": "0.00", "met": True}
    assert [(p["name"], p["earned"], p["met"]) for p in annual["sub_requirements"]] == [("Ethics", "4.00", True)]
    assert annual["past_periods"] == [{"period_start": "2025-01-01", "period_end": "2025-12-31", "required": "20.00",
                                       "earned": "24.00", "carried_over": "0.00", "met": False}]


@pytest.mark.parametrize("body, field", [
    ({"amount": "0"}, "amount"),
    ({"amount": "-3"}, "amount"),
    ({"period_kind": "rolling", "period_length": 0}, "period_length"),
    ({"credit_types": [424242]}, "credit_types"),
    ({"credits": ["x"], "credit_types": []}, "credits"),
    ({"applies_to_all": "yes"}, "applies_to_all"),
    ({"owner": "me"}, "owner"),
])
def test_bad_input_is_a_400_naming_the_field_and_writes_nothing(client, as_user, users, cpd, body, field):
    as_user(users["global_staff"])
    response = client.post(f"{API}/requirements/", definition(cpd, **body), format="json")
    assert response.status_code == 400
    assert field in response.json()["field_errors"]
    assert not CreditRequirement.objects.exists()


def test_a_part_larger_than_its_requirement_is_refused_and_a_change_is_checked_as_a_whole(
        client, as_user, users, cpd):
    as_user(users["global_staff"])
    whole = client.post(f"{API}/requirements/", definition(cpd), format="json").json()
    response = client.post(f"{API}/requirements/", {"name": "Ethics", "amount": "21", "credit_types":
                                                    [cpd["type"].pk], "parent": whole["id"]}, format="json")
    assert response.status_code == 400 and "amount" in response.json()["field_errors"]
    response = client.patch(f"{API}/requirements/{whole['id']}/", {"period_kind": "rolling"}, format="json")
    assert response.status_code == 400 and set(response.json()["field_errors"]) == {"period_length",
                                                                                    "carry_over_max"}
    assert client.get(f"{API}/requirements/{whole['id']}/").json()["period_kind"] == "calendar_year"
    assert client.get(f"{API}/requirements/999999/").status_code == 404
    assert client.get(f"{API}/learners/learner/requirements/?as_of=June").status_code == 400
    assert client.get(f"{API}/learners/nobody/requirements/").status_code == 404


@pytest.fixture
def licence_cycle(client, as_user, users, cpd):
    """A three-year cycle from each assigned learner's own licence date."""
    as_user(users["global_staff"])
    return client.post(f"{API}/requirements/", definition(
        cpd, name="Licence cycle", amount="120", carry_over_max="0", period_kind="fixed_cycle", period_length=3,
        period_unit="years", applies_to_all=False), format="json").json()


def test_assignments_by_json_then_by_csv_update_the_cycle_start(client, users, licence_cycle):
    url = f"{API}/requirements/{licence_cycle['id']}/assignments/"
    users["learner"].email = "lee@example.com"
    users["learner"].save()
    response = client.post(url, [{"learner": "learner", "cycle_start": "2025-09-15"}], format="json")
    assert response.status_code == 200 and response.json() == {"created": 1, "updated": 0}
    upload = io.BytesIO(b"\xef\xbb\xbflearner,cycle_start\nlee@example.com,2024-09-15\n\nother_learner,2026-01-01\n")
    upload.name = "licences.csv"
    response = client.post(url, {"file": upload}, format="multipart")
    assert response.status_code == 200 and response.json() == {"created": 1, "updated": 1}
    assert client.get(url).json() == [{"username": "learner", "cycle_start": "2024-09-15"},
                                      {"username": "other_learner", "cycle_start": "2026-01-01"}]
    as_user_progress = client.get(f"{API}/learners/learner/requirements/?as_of=2026-12-04").json()
    (cycle,) = as_user_progress["requirements"]
    assert (cycle["period_start"], cycle["period_end"]) == ("2024-09-15", "2027-09-14")


def test_a_csv_with_bad_lines_reports_each_with_its_line_number_and_assigns_nobody(client, licence_cycle):
    url = f"{API}/requirements/{licence_cycle['id']}/assignments/"
    upload = io.BytesIO(b"learner,cycle_start\nlearner,2025-09-15\nnobody,2025-01-01\nother_learner,15/09/2025\n"
                        b"learner,2025-10-01\n,2025-01-01\nglobal_staff,\n")
    upload.name = "licences.csv"
    response = client.post(url, {"file": upload}, format="multipart")
    assert response.status_code == 400
    errors = response.json()["field_errors"]
    assert sorted(errors) == ["line 3", "line 4", "line 5", "line 6", "line 7"]
    assert "no learner nobody" in errors["line 3"][0]
    assert "YYYY-MM-DD" in errors["line 4"][0]
    assert "listed twice" in errors["line 5"][0]
    assert "own start" in errors["line 7"][0]  # a cycle from each learner's own start needs it
    assert client.get(url).json() == []
    upload = io.BytesIO(b"name;date\nlearner;2025-01-01\n")
    upload.name = "wrong.csv"
    response = client.post(url, {"file": upload}, format="multipart")
    assert response.status_code == 400 and "file" in response.json()["field_errors"]
    response = client.post(url, {"learner": "learner"}, format="json")
    assert response.status_code == 400


def test_compliance_report_pages_filters_and_streams_csv(client, as_user, users, cpd):
    as_user(users["global_staff"])
    whole = client.post(f"{API}/requirements/", definition(cpd), format="json").json()
    client.post(f"{API}/requirements/", {"name": "Ethics", "amount": "4", "credits": [cpd["ethics"].pk],
                                         "parent": whole["id"]}, format="json")
    earn(users["learner"], cpd["general"], "24", datetime.date(2025, 3, 1))  # 4 carried into 2026
    earn(users["learner"], cpd["general"], "12", datetime.date(2026, 3, 1))
    earn(users["learner"], cpd["ethics"], "4", datetime.date(2026, 4, 1))
    earn(users["other_learner"], cpd["general"], "19", datetime.date(2026, 5, 1))
    earn(users["other_learner"], cpd["ethics"], "9", datetime.date(2026, 12, 1))  # after the day asked about
    url = f"{API}/requirements/{whole['id']}/compliance/"
    body = client.get(url, {"as_of": "2026-06-30", "page_size": 2}).json()
    assert body["requirement"] == {"id": whole["id"], "name": "Annual CPD", "unit": "CPD hours"}
    assert body["as_of"] == "2026-06-30"
    everyone = [row["username"] for row in body["results"]]
    assert len(everyone) == 2 and body["next"]
    while body["next"]:
        body = client.get(body["next"]).json()
        everyone += [row["username"] for row in body["results"]]
    assert everyone == ["course_staff", "other_staff", "learner", "other_learner", "global_staff", "superuser"]
    behind = client.get(url, {"as_of": "2026-06-30", "status": "behind"}).json()["results"]
    assert "learner" not in [row["username"] for row in behind]
    other = next(row for row in behind if row["username"] == "other_learner")
    assert (other["earned"], other["remaining"], other["met"], other["sub_requirements"][0]["earned"]) == (
        "19.00", "1.00", False, "0.00")
    (met,) = client.get(url, {"as_of": "2026-06-30", "status": "met"}).json()["results"]
    assert (met["username"], met["earned"], met["carried_over"], met["period_end"]) == (
        "learner", "16.00", "4.00", "2026-12-31")
    response = client.get(url, {"as_of": "2026-06-30", "status": "met", "format": "csv"})
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines == ["username,cycle_start,period_start,period_end,required,earned,carried_over,remaining,met,"
                     "Ethics: earned",
                     "learner,,2026-01-01,2026-12-31,20.00,16.00,4.00,0.00,true,4.00"]
    assert response["Content-Disposition"] == f'attachment; filename="requirement-{whole["id"]}-2026-06-30.csv"'
    for bad in ({"status": "late"}, {"as_of": "30/06/2026"}, {"after": "x"}, {"page_size": "0"}):
        assert client.get(url, bad).status_code == 400, bad
    part_id = client.get(f"{API}/requirements/{whole['id']}/").json()["sub_requirements"][0]
    assert client.get(f"{API}/requirements/{part_id}/compliance/").status_code == 400
    as_user(users["learner"])
    assert client.get(url).status_code == 403


def test_a_compliance_report_reads_its_requirement_once(client, as_user, users, cpd, django_assert_max_num_queries):
    as_user(users["global_staff"])
    whole = client.post(f"{API}/requirements/", definition(cpd, applies_to_all=False), format="json").json()
    client.post(f"{API}/requirements/", {"name": "Ethics", "amount": "4", "credits": [cpd["ethics"].pk],
                                         "parent": whole["id"]}, format="json")
    client.post(f"{API}/requirements/{whole['id']}/assignments/", [{"learner": "learner"}], format="json")
    url = f"{API}/requirements/{whole['id']}/compliance/"
    # The session's user, the report's requirement (4 with what counts and its parts), then the
    # report's own reading: CSV, the requirement and its parts as progress counts them (1), what
    # the type's credits are (1), the learners' sums (1); JSON, the learners and their sums (2).
    with django_assert_max_num_queries(9 + REQUEST_TRANSACTION):
        assert len(b"".join(client.get(url, {"format": "csv"}).streaming_content).splitlines()) == 2
    with django_assert_max_num_queries(10 + REQUEST_TRANSACTION):
        assert len(client.get(url).json()["results"]) == 1


def test_compliance_of_assigned_learners_uses_each_ones_cycle(client, users, licence_cycle, cpd):
    url = f"{API}/requirements/{licence_cycle['id']}/"
    client.post(f"{url}assignments/", [{"learner": "learner", "cycle_start": "2025-09-15"},
                                        {"learner": "other_learner", "cycle_start": "2022-01-10"}], format="json")
    earn(users["learner"], cpd["general"], "40", datetime.date(2026, 1, 10))
    earn(users["other_learner"], cpd["general"], "130", datetime.date(2024, 6, 1))  # in their 2022-2025 cycle
    rows = client.get(f"{url}compliance/", {"as_of": "2026-12-04"}).json()["results"]
    assert [(r["username"], r["cycle_start"], r["period_start"], r["period_end"], r["earned"]) for r in rows] == [
        ("learner", "2025-09-15", "2025-09-15", "2028-09-14", "40.00"),
        ("other_learner", "2022-01-10", "2025-01-10", "2028-01-09", "0.00")]


def test_reminder_days_over_rest(client, as_user, users, cpd):
    as_user(users["global_staff"])
    made = client.post(f"{API}/requirements/", definition(cpd, reminder_days=[14, 60]), format="json").json()
    assert made["reminder_days"] == [60, 14]
    changed = client.patch(f"{API}/requirements/{made['id']}/", {"reminder_days": "30"}, format="json").json()
    assert changed["reminder_days"] == [30]
    response = client.patch(f"{API}/requirements/{made['id']}/", {"reminder_days": "soon"}, format="json")
    assert response.status_code == 400 and "reminder_days" in response.json()["field_errors"]
