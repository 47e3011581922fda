"""Credits earned elsewhere over REST: external-credits/ and its evidence, approve and reject, for every role."""
import io
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import ProtectedError

from credits_plugin import api
from credits_plugin.models import AwardedCredit, ExternalCredit
from tests.credits_plugin.rest_api.conftest import API
from tests.factories import CreditTypeFactory, UserFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def upload(name="attendance.pdf", content=PDF, content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def form(default_type, **changes):
    data = {"title": "Tax update 2026", "provider": "State CPA Society", "credit_type": default_type.pk,
            "amount": "4.00", "earned_on": "2026-03-02", "evidence": upload()}
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def stored_files():
    """Every evidence file in the storage (the test run's own folder)."""
    try:
        return default_storage.listdir("credits_plugin/evidence")[1]
    except FileNotFoundError:
        return []


@pytest.fixture(autouse=True)
def own_storage(settings, tmp_path):
    """Each test stores evidence in a folder of its own, so that it sees exactly what it stored."""
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture
def setup(users):
    """A CPA type with its approvers group (one approver), and a Management type nobody but staff reviews."""
    group = Group.objects.create(name="CPA reviewers")
    approver = UserFactory(username="approver", email="approver@example.com")
    approver.groups.add(group)
    cpa = CreditTypeFactory(name="CPA", unit="CPE hours", requires_reference_number=True, approvers=group)
    management = CreditTypeFactory(name="Management", unit="hours")
    learner = users["learner"]
    learner.email = "learner@example.com"
    learner.save()
    return {"cpa": cpa, "management": management, "approver": approver, "users": {**users, "approver": approver}}


def submit(client, as_user, setup, **changes):
    as_user(setup["users"]["learner"])
    response = client.post(f"{API}/external-credits/", form(setup["cpa"], **changes), format="multipart")
    assert response.status_code == 201, response.content
    return response.json()


# role -> (sees it in the list, its detail, its evidence, approve)
MATRIX = {
    "anonymous": (401, 401, 401, 401),
    "learner": (True, 200, 200, 403),  # their own: they see it, never decide it
    "other_learner": (False, 404, 404, 403),
    "course_staff": (False, 404, 404, 403),
    "other_course_staff": (False, 404, 404, 403),
    "approver": (True, 200, 200, 200),
    "global_staff": (True, 200, 200, 200),
}


@pytest.mark.parametrize("role", sorted(MATRIX))
def test_role_matrix(client, as_user, setup, role):
    sent = submit(client, as_user, setup)
    listed, detail, evidence, decided = MATRIX[role]
    as_user(setup["users"][role])
    response = client.get(f"{API}/external-credits/")
    if listed == 401:
        assert response.status_code == 401
    else:
        assert response.status_code == 200
        assert [item["id"] for item in response.json()["results"]] == ([sent["id"]] if listed else [])
    assert client.get(f"{API}/external-credits/{sent['id']}/").status_code == detail
    response = client.get(f"{API}/external-credits/{sent['id']}/evidence/")
    assert response.status_code == evidence
    if evidence == 200:
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment")
        assert "no-store" in response["Cache-Control"]
    response = client.post(f"{API}/external-credits/{sent['id']}/approve/", {}, format="json")
    assert response.status_code == decided, response.content
    row = ExternalCredit.objects.get(pk=sent["id"])
    assert row.status == ("approved" if decided == 200 else "pending")  # 0 escalations
    assert AwardedCredit.objects.filter(source="external").count() == (1 if decided == 200 else 0)
    reject = client.post(f"{API}/external-credits/{sent['id']}/reject/", {"reason": "No."}, format="json")
    assert reject.status_code == (409 if decided == 200 else decided)


def test_an_approver_of_another_type_does_not_see_or_decide_it(client, as_user, setup):
    sent = submit(client, as_user, setup, credit_type=setup["management"].pk)
    as_user(setup["approver"])
    assert client.get(f"{API}/external-credits/").json()["results"] == []
    assert client.post(f"{API}/external-credits/{sent['id']}/approve/", {}, format="json").status_code == 404
    assert ExternalCredit.objects.get(pk=sent["id"]).status == "pending"


def test_an_approver_never_decides_their_own(client, as_user, setup):
    as_user(setup["approver"])
    response = client.post(f"{API}/external-credits/", form(setup["cpa"]), format="multipart")
    assert response.status_code == 201
    response = client.post(f"{API}/external-credits/{response.json()['id']}/approve/", {}, format="json")
    assert response.status_code == 403 and response.json()["error_code"] == "permission_denied"
    assert not AwardedCredit.objects.exists()


def test_approval_awards_it_counted_marked_external_and_the_learner_is_told(
        client, as_user, setup, django_capture_on_commit_callbacks):
    sent = submit(client, as_user, setup)
    assert sent["status"] == "pending" and sent["evidence_type"] == "application/pdf"
    assert sent["evidence_name"] == "attendance.pdf"
    as_user(setup["approver"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{API}/external-credits/{sent['id']}/approve/", {"amount": "3.50"},
                               format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["amount"], body["reviewed_by"]) == ("approved", "3.50", "approver")
    award = AwardedCredit.objects.get(uuid=body["award_uuid"])
    assert (award.source, award.course_key, award.credit_id, award.amount, award.unit) == (
        "external", None, None, Decimal("3.50"), "CPE hours")
    assert award.awarded_at.date().isoformat() == "2026-03-02"  # it counts from the day it was earned
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["learner@example.com"]
    assert "approved" in mail.outbox[0].subject and "3.50 CPE hours" in mail.outbox[0].body

    summary = api.get_learner_summary(setup["users"]["learner"])
    assert [(t.credit_type, t.unit, t.amount) for t in summary.totals] == [("CPA", "CPE hours", Decimal("3.50"))]
    assert [(c.credit_id, c.credit_name) for c in summary.credit_totals] == [(None, "Earned elsewhere")]
    (listed,) = summary.awards
    assert listed.is_external and listed.provider == "State CPA Society" and listed.course_key is None
    totals_only = api.get_learner_summary(setup["users"]["learner"], with_awards=False)
    assert totals_only.totals == summary.totals and totals_only.credit_totals == summary.credit_totals

    as_user(setup["users"]["learner"])
    response = client.get(f"{API}/learners/learner/summary/")
    assert response.status_code == 200
    (award_json,) = response.json()["awards"]
    assert (award_json["source"], award_json["course_id"], award_json["course_name"]) == ("external", None, "")
    public = client.get(f"{API}/awards/{award.uuid}/").json()
    assert public["source"] == "external" and public["course_name"] == "State CPA Society"
    assert public["issuer"]["organization"] == "State CPA Society"


def test_rejection_never_counts_and_tells_the_learner_why(client, as_user, setup,
                                                          django_capture_on_commit_callbacks):
    sent = submit(client, as_user, setup)
    as_user(setup["users"]["global_staff"])
    response = client.post(f"{API}/external-credits/{sent['id']}/reject/", {}, format="json")
    assert response.status_code == 400 and "reason" in response.json()["field_errors"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{API}/external-credits/{sent['id']}/reject/",
                               {"reason": "The certificate does not name you."}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "rejected"
    assert not AwardedCredit.objects.exists()
    assert api.get_learner_summary(setup["users"]["learner"]).totals == ()
    assert "The certificate does not name you." in mail.outbox[0].body
    response = client.post(f"{API}/external-credits/{sent['id']}/approve/", {}, format="json")
    assert response.status_code == 409


@pytest.mark.parametrize("name, content, message", [
    ("tool.pdf", b"MZ\x90\x00" + b"\x00" * 200, "not a PDF, PNG or JPEG"),  # a renamed executable
    ("empty.pdf", b"", "empty"),
    ("page.html", b"<html><script>alert(1)</script></html>", "not a PDF, PNG or JPEG"),
])
def test_malformed_files_are_refused_and_nothing_is_stored(client, as_user, setup, name, content, message):
    as_user(setup["users"]["learner"])
    response = client.post(f"{API}/external-credits/",
                           form(setup["cpa"], evidence=upload(name, content)), format="multipart")
    assert response.status_code == 400, response.content
    assert message in response.json()["field_errors"]["evidence"][0]
    assert not ExternalCredit.objects.exists() and stored_files() == []


def test_a_50_mb_file_is_refused_and_nothing_is_stored(client, as_user, setup):
    as_user(setup["users"]["learner"])
    big = SimpleUploadedFile("big.pdf", PDF + b"\x00" * (50 * 1024 * 1024), content_type="application/pdf")
    response = client.post(f"{API}/external-credits/", form(setup["cpa"], evidence=big), format="multipart")
    assert response.status_code == 400, response.content
    assert "10 MB" in response.json()["field_errors"]["evidence"][0]
    assert not ExternalCredit.objects.exists() and stored_files() == []


def test_a_file_just_over_10_mb_is_refused_by_its_size(setup):
    errors = api_errors(setup, upload("big.pdf", PDF + b"\x00" * (10 * 1024 * 1024)))
    assert "largest allowed is 10 MB" in errors["evidence"][0]


def api_errors(setup, evidence, **changes):
    fields = {"title": "T", "provider": "P", "credit_type_id": setup["cpa"].pk, "amount": "1",
              "earned_on": "2026-01-01", "evidence": evidence, **changes}
    with pytest.raises(api.CreditsValidationError) as caught:
        api.submit_external_credit(setup["users"]["learner"], **fields)
    return caught.value.field_errors


def test_png_and_jpeg_are_taken_by_their_content_whatever_their_name(setup):
    for content, media_type in ((PNG, "image/png"), (JPEG, "image/jpeg")):
        sent = api.submit_external_credit(
            setup["users"]["learner"], title="T", provider="P", credit_type_id=setup["cpa"].pk, amount="1",
            earned_on="2026-01-01", evidence=upload("scan.pdf", content, "application/pdf"))
        assert sent.evidence_type == media_type
    names = stored_files()
    assert sorted(name.rsplit(".", 1)[1] for name in names) == ["jpg", "png"]
    assert not any("scan" in name for name in names)  # never the learner's file name


def test_every_bad_field_is_named_and_nothing_is_stored(setup):
    errors = api_errors(setup, None, title="", provider="x" * 300, credit_type_id=999999, amount="-1",
                        earned_on="2999-01-01")
    assert set(errors) == {"title", "provider", "credit_type", "amount", "earned_on", "evidence"}
    errors = api_errors(setup, upload(), earned_on="")
    assert set(errors) == {"earned_on"}
    assert not ExternalCredit.objects.exists() and stored_files() == []


def test_an_archived_type_cannot_be_reported(setup):
    api.archive_credit_type(setup["management"].pk)
    errors = api_errors(setup, upload(), credit_type_id=setup["management"].pk)
    assert set(errors) == {"credit_type"}


def test_unknown_fields_and_filters_are_refused(client, as_user, setup):
    as_user(setup["users"]["learner"])
    response = client.post(f"{API}/external-credits/", {**form(setup["cpa"]), "status": "approved"},
                           format="multipart")
    assert response.status_code == 400 and "status" in response.json()["field_errors"]
    assert client.get(f"{API}/external-credits/?status=maybe").status_code == 400
    assert not ExternalCredit.objects.exists()


def test_reviewers_filter_the_queue_by_status(client, as_user, setup):
    first = submit(client, as_user, setup)
    submit(client, as_user, setup, title="Second")
    as_user(setup["approver"])
    client.post(f"{API}/external-credits/{first['id']}/approve/", {}, format="json")
    pending = client.get(f"{API}/external-credits/?status=pending").json()["results"]
    approved = client.get(f"{API}/external-credits/?status=approved").json()["results"]
    assert [p["title"] for p in pending] == ["Second"] and [a["id"] for a in approved] == [first["id"]]


def test_history_keeps_every_change_and_who_made_it(client, as_user, setup):
    sent = submit(client, as_user, setup)
    as_user(setup["approver"])
    client.post(f"{API}/external-credits/{sent['id']}/approve/", {}, format="json")
    history = ExternalCredit.history.filter(id=sent["id"]).order_by("history_date")
    assert [(h.status, h.history_user.username) for h in history] == [("pending", "learner"),
                                                                       ("approved", "approver")]


def test_retirement_deletes_submissions_their_history_awards_and_files(client, as_user, setup,
                                                                       django_capture_on_commit_callbacks):
    sent = submit(client, as_user, setup)
    submit(client, as_user, setup, title="Waiting")
    as_user(setup["approver"])
    client.post(f"{API}/external-credits/{sent['id']}/approve/", {}, format="json")
    assert len(stored_files()) == 2
    learner = setup["users"]["learner"]
    with pytest.raises(ProtectedError):  # an approved submission keeps its award
        AwardedCredit.objects.filter(user=learner).delete()
    with django_capture_on_commit_callbacks(execute=True):
        api.retire_learner(learner.pk)
    assert not ExternalCredit.objects.exists() and not ExternalCredit.history.filter(user_id=learner.pk).exists()
    assert not AwardedCredit.objects.filter(user=learner).exists()
    assert stored_files() == []


def test_a_reviewer_s_retirement_unlinks_them_from_their_decisions(client, as_user, setup):
    sent = submit(client, as_user, setup)
    as_user(setup["approver"])
    client.post(f"{API}/external-credits/{sent['id']}/approve/", {}, format="json")
    api.retire_learner(setup["approver"].pk)
    row = ExternalCredit.objects.get(pk=sent["id"])
    assert row.status == "approved" and row.reviewed_by is None
    assert not ExternalCredit.history.filter(reviewed_by=setup["approver"]).exists()
    assert not ExternalCredit.history.filter(history_user=setup["approver"]).exists()
    assert AwardedCredit.objects.get(uuid=row.award.uuid).awarded_by is None


def test_the_upload_limit_is_checked_before_the_body_is_read(client, as_user, setup):
    as_user(setup["users"]["learner"])
    response = client.generic("POST", f"{API}/external-credits/", io.BytesIO(b"x").read(),
                              content_type="multipart/form-data; boundary=x",
                              CONTENT_LENGTH=str(40 * 1024 * 1024))
    assert response.status_code == 400
    assert "at most 10 MB" in response.json()["developer_message"]
