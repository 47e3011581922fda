"""The admin's review of credits earned elsewhere: approve (at corrected amounts) or reject the selected ones."""
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from credits_plugin import api
from credits_plugin.models import AwardedCredit, ExternalCredit
from tests.credits_plugin.admin.helpers import ADMIN, text
from tests.factories import CreditTypeFactory, UserFactory

pytestmark = pytest.mark.django_db
URL = f"{ADMIN}/externalcredit/"
PDF = b"%PDF-1.7\n%%EOF\n"


@pytest.fixture(autouse=True)
def own_storage(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture
def waiting(db):
    cpa = CreditTypeFactory(name="CPA", unit="CPE hours")
    learner = UserFactory(username="reporter")
    return [api.submit_external_credit(learner, title=title, provider="State Society", credit_type_id=cpa.pk,
                                       amount="2.00", earned_on="2026-05-01",
                                       evidence=SimpleUploadedFile("proof.pdf", PDF))
            for title in ("Ethics day", "Tax day")]


def post(client, action, ids, **data):
    return client.post(URL, {"action": action, "_selected_action": [str(i) for i in ids], **data})


def test_the_queue_shows_each_credit_with_its_evidence_and_cannot_add_or_delete(admin_client, waiting):
    page = text(admin_client.get(f"{URL}?status__exact=pending"))
    assert "Ethics day" in page and "Tax day" in page and "proof.pdf" in page
    assert admin_client.get(f"{URL}add/").status_code == 403
    assert admin_client.get(f"{URL}{waiting[0].id}/delete/").status_code == 403
    evidence = admin_client.get(f"/api/credits/v1/external-credits/{waiting[0].id}/evidence/")
    assert evidence.status_code == 200 and b"".join(evidence.streaming_content) == PDF


def test_approving_asks_for_the_amounts_and_takes_corrections(admin_client, waiting):
    ids = [w.id for w in waiting]
    asked = post(admin_client, "approve_external_credits", ids)
    assert asked.status_code == 200 and "Amount to approve" in text(asked)
    assert not AwardedCredit.objects.exists()  # nothing yet
    page = post(admin_client, "approve_external_credits", ids, confirm_decision="yes",
                **{f"amount_{ids[0]}": "1.5", f"amount_{ids[1]}": "lots"})
    assert page.status_code == 200 and "is not a number" in text(page)
    assert not AwardedCredit.objects.exists()  # all or none
    done = post(admin_client, "approve_external_credits", ids, confirm_decision="yes",
                **{f"amount_{ids[0]}": "1.5", f"amount_{ids[1]}": "2.00"})
    assert done.status_code == 302
    assert sorted(AwardedCredit.objects.values_list("credit_name", "amount", "source")) == [
        ("Ethics day", Decimal("1.50"), "external"), ("Tax day", Decimal("2.00"), "external")]


def test_rejecting_needs_a_reason(admin_client, waiting):
    ids = [w.id for w in waiting]
    page = post(admin_client, "reject_external_credits", ids, confirm_decision="yes", reason=" ")
    assert page.status_code == 200 and "reason" in text(page).lower()
    assert set(ExternalCredit.objects.values_list("status", flat=True)) == {"pending"}
    done = post(admin_client, "reject_external_credits", ids, confirm_decision="yes", reason="Not accredited.")
    assert done.status_code == 302
    assert set(ExternalCredit.objects.values_list("status", "reason")) == {("rejected", "Not accredited.")}


def test_a_reviewer_never_decides_their_own_here_either(admin_client, admin_user, waiting):
    ExternalCredit.objects.filter(pk=waiting[1].id).update(user=admin_user)
    page = post(admin_client, "approve_external_credits", [w.id for w in waiting], confirm_decision="yes")
    assert page.status_code == 200 and "another reviewer must decide it" in text(page)
    assert set(ExternalCredit.objects.values_list("status", flat=True)) == {"pending"}


def test_the_ledger_lists_an_external_award_without_a_course(admin_client, waiting):
    post(admin_client, "approve_external_credits", [waiting[0].id], confirm_decision="yes")
    award = AwardedCredit.objects.get()
    assert admin_client.get(f"{ADMIN}/awardedcredit/").status_code == 200
    assert admin_client.get(f"{ADMIN}/awardedcredit/{award.pk}/change/").status_code == 200
    summary = admin_client.get(f"{ADMIN}/awardedcredit/summary/{award.user_id}/")
    assert summary.status_code == 200 and "Earned elsewhere" in text(summary)
