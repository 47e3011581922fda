"""The credential endpoints over HTTP: formats, errors in the API's shape, and the verifier's answers."""
import json
from decimal import Decimal

import pytest
from joserfc import jwt as jose_jwt
from joserfc.jwk import KeySet

from credits_plugin import api
from credits_plugin.models import IssuedCredential
from tests.credits_plugin.rest_api.conftest import API
from tests.factories import COURSE_ID, CourseCreditFactory, CreditFactory, CreditTypeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def signing_key(make_signing_key):
    return make_signing_key("rest-key")


@pytest.fixture
def award(learner, course_key):
    cpa = CreditTypeFactory(name="CPA Ontario", unit="CPD hours", requires_reference_number=True)
    CourseCreditFactory(credit=CreditFactory(credit_type=cpa, name="Ethics", reference_number="CPA-1"),
                        amount=Decimal("2.50"))
    return api.award_course_credits(learner, COURSE_ID).created[0]


def test_credential_as_json_and_jwt_verified_against_the_published_keys(client, signing_key, award):
    as_json = client.get(f"{API}/awards/{award.uuid}/credential/")
    assert as_json.status_code == 200 and as_json["Content-Type"] == "application/json"
    as_jwt = client.get(f"{API}/awards/{award.uuid}/credential/?format=jwt")
    assert as_jwt.status_code == 200 and as_jwt["Content-Type"].startswith("application/vc+jwt")
    keys = client.get(f"{API}/issuer/jwks/").json()
    claims = jose_jwt.decode(as_jwt.content.decode(), KeySet.import_key_set(keys), algorithms=["EdDSA"]).claims
    assert claims["id"] == as_json.json()["id"]
    assert claims["iss"] == "http://testserver/api/credits/v1/issuer/"
    profile = client.get(f"{API}/issuer/").json()
    assert profile["id"] == claims["iss"] and profile["publicKey"] == keys["keys"]
    assert IssuedCredential.objects.count() == 1  # issued once, served twice


@pytest.mark.parametrize("body, content_type, status", [
    (None, "text/plain", "valid"),
    ("json", "application/json", "valid"),
    ("jwt-object", "application/json", "valid"),
    ("garbage", "text/plain", "invalid"),
])
def test_verify_endpoint(client, signing_key, award, body, content_type, status):
    token = client.get(f"{API}/awards/{award.uuid}/credential/?format=jwt").content.decode()
    credential = client.get(f"{API}/awards/{award.uuid}/credential/").json()
    payload = {None: token, "json": json.dumps(credential), "jwt-object": json.dumps({"jwt": token}),
               "garbage": "eyJhbGciOi.x.y"}[body]
    response = client.post(f"{API}/credentials/verify/", payload, content_type=content_type)
    assert response.status_code == 200
    assert response.json()["status"] == status


def test_verify_refuses_an_empty_body(client):
    response = client.post(f"{API}/credentials/verify/", "", content_type="text/plain")
    assert response.status_code == 400
    assert response.json()["developer_message"] == "Send a credential in JSON or a JWT."


def test_errors_are_json_in_the_api_shape(client, award, staff_user, signing_key):
    assert client.get(f"{API}/awards/not-a-uuid/credential/?format=jwt").json()["error_code"] == "not_found"
    api.revoke_award(award.uuid, acting_user=staff_user, reason="Mistake")
    gone = client.get(f"{API}/awards/{award.uuid}/credential/?format=jwt")
    assert gone.status_code == 410 and gone["Content-Type"] == "application/json"
    assert "was revoked on" in gone.json()["developer_message"]
    assert client.get(f"{API}/status-lists/0/").status_code == 404
    assert client.get(f"{API}/status-lists/x/?format=json").status_code == 404


def test_without_a_key_the_credential_says_what_to_do(client, award):
    response = client.get(f"{API}/awards/{award.uuid}/credential/")
    assert response.status_code == 503
    assert "credential_keys" in response.json()["developer_message"]


def test_status_list_jwt_by_default_and_json(client, signing_key, award):
    client.get(f"{API}/awards/{award.uuid}/credential/")
    signed = client.get(f"{API}/status-lists/1/")
    assert signed.status_code == 200 and signed["Content-Type"].startswith("application/vc+jwt")
    plain = client.get(f"{API}/status-lists/1/?format=json").json()
    assert plain["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert len(plain["credentialSubject"]["encodedList"]) < 200


def test_learner_record(client, signing_key, award, learner):
    client.force_authenticate(learner)
    record = client.get(f"{API}/learners/learner/record/").json()
    assert len(record["verifiableCredential"]) == 1
    client.force_authenticate(None)
    entry = record["verifiableCredential"][0]
    assert client.post(f"{API}/credentials/verify/", entry, format="json").json()["status"] == "valid"


def test_a_credit_type_s_achievement_type_over_rest(client, staff_user):
    client.force_authenticate(staff_user)
    created = client.post(f"{API}/credit-types/", {"name": "Bar CLE", "unit": "hours",
                                                   "achievement_type": "License"}, format="json")
    assert created.status_code == 201 and created.json()["achievement_type"] == "License"
    refused = client.patch(f"{API}/credit-types/{created.json()['id']}/", {"achievement_type": "lisence"},
                           format="json")
    assert refused.status_code == 400 and "achievement_type" in refused.json()["field_errors"]
    assert client.get(f"{API}/credit-types/{created.json()['id']}/").json()["achievement_type"] == "License"


@pytest.mark.parametrize("body", [{"requires_approval": False}, {"achievement_type": "License"}])
def test_patching_a_type_that_is_not_an_id_is_a_404(client, staff_user, body):
    """Found by schemathesis: switching approval off for the type "pages" was a 500."""
    client.force_authenticate(staff_user)
    response = client.patch(f"{API}/credit-types/pages/", body, format="json")
    assert response.status_code == 404 and response.json()["error_code"] == "not_found"


@pytest.mark.parametrize("override", ["format", None])
def test_format_is_read_as_the_platform_configures_drf(client, signing_key, award, settings, override):
    """openedx-platform sets URL_FORMAT_OVERRIDE to None: ?format= must work without DRF reading it."""
    settings.REST_FRAMEWORK = {**getattr(settings, "REST_FRAMEWORK", {}), "URL_FORMAT_OVERRIDE": override}
    as_jwt = client.get(f"{API}/awards/{award.uuid}/credential/?format=jwt")
    assert as_jwt.status_code == 200 and as_jwt["Content-Type"].startswith("application/vc+jwt")
    assert as_jwt.content.count(b".") == 2
    if override is None:  # DRF reads nothing: the view does, whatever the case
        assert client.get(f"{API}/awards/{award.uuid}/credential/?format=JWT")["Content-Type"].startswith(
            "application/vc+jwt")
    by_accept = client.get(f"{API}/awards/{award.uuid}/credential/", HTTP_ACCEPT="application/vc+jwt")
    assert by_accept["Content-Type"].startswith("application/vc+jwt")
    assert client.get(f"{API}/awards/{award.uuid}/credential/")["Content-Type"] == "application/json"
    assert client.get(f"{API}/status-lists/1/")["Content-Type"].startswith("application/vc+jwt")
    listed = client.get(f"{API}/status-lists/1/?format=json")
    assert listed["Content-Type"] == "application/json" and listed.json()["type"][1] == "BitstringStatusListCredential"


def test_a_body_nested_too_deep_is_a_400(client):
    response = client.post(f"{API}/credentials/verify/", "[" * 100_000 + "]" * 100_000,
                           content_type="application/json")
    assert response.status_code == 400 and "nested too deeply" in response.json()["developer_message"]
