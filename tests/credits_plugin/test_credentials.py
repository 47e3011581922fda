"""
Awards as Open Badges 3.0 credentials (issue 16, docs/decisions/0010): what is issued validates
against 1EdTech's schema, verifies with an independent library (joserfc), and every kind of
tampering, a wrong, expired or revoked key and a revoked award are told apart.
"""
import base64
import gzip
import hashlib
import json
import random
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from joserfc import jwt as jose_jwt
from joserfc.errors import BadSignatureError
from joserfc.jwk import KeySet

from credits_plugin import api
from credits_plugin.models import AwardedCredit, CredentialSigningKey, IssuedCredential
from credits_plugin.services import credentials
from tests.factories import COURSE_ID, CourseCreditFactory, CreditFactory, CreditTypeFactory

pytestmark = pytest.mark.django_db

SCHEMAS = Path(__file__).resolve().parents[3] / "shared" / "schemas" / "openbadges-3.0"
SITE = "https://lms.example.com"


def schema_validator():
    if not (SCHEMAS / "achievementcredential.json").exists():
        pytest.skip(f"1EdTech's Open Badges 3.0 schema is not at {SCHEMAS} (see ../shared/schemas/)")
    schema = json.loads((SCHEMAS / "achievementcredential.json").read_text())
    return jsonschema.Draft201909Validator(schema, format_checker=jsonschema.Draft201909Validator.FORMAT_CHECKER)


@pytest.fixture
def signing_key(make_signing_key):
    return make_signing_key("key-one")


@pytest.fixture
def award(learner, course_key):
    cpa = CreditTypeFactory(name="CPA Ontario", unit="CPD hours", requires_reference_number=True)
    CourseCreditFactory(credit=CreditFactory(credit_type=cpa, name="Ethics", reference_number="CPA-1"),
                        amount=Decimal("2.50"))
    return api.award_course_credits(learner, COURSE_ID).created[0]


def jose_keys():
    return KeySet.import_key_set(api.published_jwks(SITE))


def test_issued_credential_validates_against_the_open_badges_schema(signing_key, award):
    credential, _token = api.get_award_credential(award.uuid, SITE)
    errors = sorted(schema_validator().iter_errors(credential), key=lambda e: list(e.path))
    assert errors == []
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    achievement = credential["credentialSubject"]["achievement"]
    assert (achievement["name"], achievement["humanCode"], achievement["creditsAvailable"],
            credential["credentialSubject"]["creditsEarned"]) == ("Ethics", "CPA-1", 2.5, 2.5)
    assert credential["issuer"]["parentOrg"]["name"] == "TestX"


def test_schema_check_is_live():
    """The validator refuses what the schema forbids: a number as text, a date that is no date."""
    validator = schema_validator()
    bad = {"@context": [credentials.W3C_CONTEXT, credentials.OB_CONTEXT], "id": "urn:uuid:x",
           "type": ["VerifiableCredential", "OpenBadgeCredential"], "issuer": {"id": SITE, "type": ["Profile"]},
           "validFrom": "yesterday",
           "credentialSubject": {"type": ["AchievementSubject"], "creditsEarned": "2.50",
                                 "achievement": {"id": SITE, "type": ["Achievement"], "name": "x",
                                                 "description": "x", "criteria": {}}}}
    messages = " ".join(e.message for e in validator.iter_errors(bad))
    assert "'yesterday' is not a 'date-time'" in messages
    assert "'2.50' is not of type 'number'" in messages


def test_an_independent_library_verifies_the_jwt(signing_key, award):
    credential, token = api.get_award_credential(award.uuid, SITE)
    decoded = jose_jwt.decode(token, jose_keys(), algorithms=["EdDSA"])
    assert decoded.header == {"alg": "EdDSA", "kid": f"{SITE}/api/credits/v1/issuer/jwks/#key-one", "typ": "JWT"}
    claims = decoded.claims
    assert (claims["iss"], claims["jti"]) == (credential["issuer"]["id"], credential["id"])
    assert {k: v for k, v in claims.items() if k not in ("iss", "jti", "nbf")} == credential


def test_rs256_keys_sign_too(make_signing_key, award):
    make_signing_key("rsa-key", "RS256")
    _credential, token = api.get_award_credential(award.uuid, SITE)
    assert jose_jwt.decode(token, jose_keys(), algorithms=["RS256"]).header["alg"] == "RS256"
    assert api.verify_credential(token, SITE)["status"] == "valid"


def tamper(token, change):
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    change(claims)
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    return ".".join([header, forged, signature])


@pytest.mark.parametrize("change", [
    lambda c: c["credentialSubject"].update(creditsEarned=25),
    lambda c: c["credentialSubject"]["achievement"].update(name="Tax law"),
    lambda c: c["credentialSubject"]["achievement"].update(humanCode="CPA-2"),
    lambda c: c.update(validFrom="2020-01-01T00:00:00Z"),
    lambda c: c["issuer"].update(name="Another school"),
    lambda c: c["credentialSubject"]["identifier"][0].update(identityHash="sha256$00"),
])
def test_tampering_with_any_field_is_detected(signing_key, award, change):
    credential, token = api.get_award_credential(award.uuid, SITE)
    forged = tamper(token, change)
    with pytest.raises(BadSignatureError):
        jose_jwt.decode(forged, jose_keys(), algorithms=["EdDSA"])
    answer = api.verify_credential(forged, SITE)
    assert answer["status"] == "invalid" and "signature does not match" in answer["reason"]
    changed = json.loads(json.dumps(credential))  # the JSON form, changed the same way
    claims = {**changed, "iss": "", "jti": "", "nbf": 0}
    change(claims)
    for claim in ("iss", "jti", "nbf"):
        claims.pop(claim)
    answer = api.verify_credential(claims, SITE)
    assert answer["status"] == "invalid" and "differs from the credential this site issued" in answer["reason"]


def test_json_and_jwt_forms_verify(signing_key, award):
    credential, token = api.get_award_credential(award.uuid, SITE)
    assert api.verify_credential(token, SITE) == {
        "status": "valid", "reason": f"Issued by this site on {timezone.now().date().isoformat()}; the award "
                                     "stands.", "award": str(award.uuid)}
    assert api.verify_credential(credential, SITE)["status"] == "valid"
    assert api.verify_credential(json.dumps(credential), SITE)["status"] == "valid"
    assert api.verify_credential({"jwt": token}, SITE)["status"] == "valid"
    assert api.verify_credential({"id": "data:application/vc+jwt," + token,
                                  "type": "EnvelopedVerifiableCredential"}, SITE)["status"] == "valid"


def test_a_key_this_site_never_published_is_refused(signing_key, award, settings):
    _credential, token = api.get_award_credential(award.uuid, SITE)
    stranger, pem = api.generate_signing_key("EdDSA", "stranger")
    settings.CREDITS_CREDENTIAL_SIGNING_KEYS = {"key-one": settings.CREDITS_CREDENTIAL_SIGNING_KEYS["key-one"],
                                                "stranger": pem}
    forged = credentials._sign(json.loads(json.dumps(credentials._jwt_payload(api.get_award_credential(
        award.uuid, SITE)[0]))), SITE, "stranger")
    CredentialSigningKey.objects.filter(key_id="stranger").delete()  # never published
    answer = api.verify_credential(forged, SITE)
    assert answer == {"status": "invalid", "reason": "It was not signed by a key this site publishes."}
    # a published key's id in the header of a token another key signed
    header, payload, signature = forged.split(".")
    wrong_kid = credentials._sign(credentials._jwt_payload(api.get_award_credential(award.uuid, SITE)[0]),
                                  SITE, "key-one").split(".")[0]
    assert api.verify_credential(".".join([wrong_kid, payload, signature]), SITE)["status"] == "invalid"
    assert api.verify_credential(token, SITE)["status"] == "valid"


def test_rotation_keeps_old_credentials_verifiable_and_revoking_a_key_does_not(signing_key, award, settings):
    _credential, old_token = api.get_award_credential(award.uuid, SITE)
    _key, pem = api.generate_signing_key("EdDSA", "key-two")
    settings.CREDITS_CREDENTIAL_SIGNING_KEYS = {"key-two": pem}  # the old private key is gone from settings
    api.activate_signing_key("key-two")
    _credential, new_token = api.get_award_credential(award.uuid, SITE)
    assert jose_jwt.decode(new_token, jose_keys(), algorithms=["EdDSA"]).header["kid"].endswith("#key-two")
    # the retired key is still published
    assert jose_jwt.decode(old_token, jose_keys(), algorithms=["EdDSA"]).claims["jti"]
    assert api.verify_credential(old_token, SITE)["status"] == "valid"
    assert [(k.key_id, k.status) for k in api.list_signing_keys()] == [("key-one", "retired"), ("key-two", "active")]
    api.revoke_signing_key("key-one")
    answer = api.verify_credential(old_token, SITE)
    assert answer["status"] == "invalid" and "which this site revoked" in answer["reason"]
    assert [k["kid"] for k in api.published_jwks(SITE)["keys"]] == [f"{SITE}/api/credits/v1/issuer/jwks/#key-two"]
    assert api.verify_credential(new_token, SITE)["status"] == "valid"


def test_an_expired_key_is_told(signing_key, award):
    _credential, token = api.get_award_credential(award.uuid, SITE)
    CredentialSigningKey.objects.filter(key_id="key-one").update(expires_at=timezone.now() - timedelta(days=1))
    answer = api.verify_credential(token, SITE)
    assert answer["status"] == "expired" and "key-one, which expired on" in answer["reason"]


def test_a_revoked_award_is_revoked_in_the_status_list_and_the_verifier(signing_key, award, staff_user):
    credential, token = api.get_award_credential(award.uuid, SITE)
    index = int(credential["credentialStatus"]["statusListIndex"])
    number = credential["credentialStatus"]["statusListCredential"].rstrip("/").rsplit("/", 1)[-1]

    def bit():
        listed = api.get_status_list(number, SITE)
        verified = jose_jwt.decode(listed["jwt"], jose_keys(), algorithms=["EdDSA"]).claims
        bits = gzip.decompress(base64.urlsafe_b64decode(
            verified["credentialSubject"]["encodedList"][1:] + "=="))
        assert len(bits) * 8 == 131072
        return bits[index // 8] >> (7 - index % 8) & 1

    assert bit() == 0
    api.revoke_award(award.uuid, acting_user=staff_user, reason="Plagiarism")
    assert bit() == 1  # the cached list was forgotten
    answer = api.verify_credential(token, SITE)
    assert answer["status"] == "revoked" and "The award was revoked on" in answer["reason"]
    with pytest.raises(api.CreditsGone):
        api.get_award_credential(award.uuid, SITE)
    # a re-award issues a new credential; the old one stays revoked
    api.manual_award(COURSE_ID, award.username, acting_user=staff_user, reason="Appeal upheld")
    new_credential, new_token = api.get_award_credential(award.uuid, SITE)
    assert new_credential["id"] != credential["id"]
    assert api.verify_credential(new_token, SITE)["status"] == "valid"
    answer = api.verify_credential(token, SITE)
    assert answer["status"] == "revoked" and "awarded again" in answer["reason"]
    assert bit() == 1


def test_no_pii_in_clear(signing_key, award, learner):
    credential, token = api.get_award_credential(award.uuid, SITE)
    text = json.dumps(credential) + token
    for pii in (learner.email, learner.username, learner.email.split("@")[0]):
        assert pii not in json.dumps(credential)
    identity = credential["credentialSubject"]["identifier"][0]
    assert identity["identityHash"] == "sha256$" + hashlib.sha256(
        (learner.email + identity["salt"]).encode()).hexdigest()
    assert learner.email not in text


def test_issuing_costs_two_queries_then_one(signing_key, award):
    with CaptureQueriesContext(connection) as first:
        api.get_award_credential(award.uuid, SITE)
    plugin = [q["sql"] for q in first.captured_queries if "SAVEPOINT" not in q["sql"]]
    # the award with its learner, issued credential and active key; the course's name (the
    # platform's, once); the insert
    assert len(plugin) == 3, plugin
    with CaptureQueriesContext(connection) as again:
        api.get_award_credential(award.uuid, SITE)
    assert len(again.captured_queries) == 1


def test_status_list_is_one_query_then_cached(signing_key, award, staff_user):
    api.get_award_credential(award.uuid, SITE)
    with CaptureQueriesContext(connection) as cold:
        api.get_status_list(1, SITE)
    assert len(cold.captured_queries) == 1
    with CaptureQueriesContext(connection) as warm:
        api.get_status_list(1, SITE)
    assert len(warm.captured_queries) == 0


def test_the_bitstring_of_100000_awards_stays_small():
    rng = random.Random(16)
    revoked = rng.sample(range(credentials.LIST_BITS), 1000)  # 1% of 100,000 credentials
    encoded = credentials.encode_bitstring(revoked)
    assert len(encoded) < 4000
    assert len(credentials.encode_bitstring([])) < 200
    bits = credentials.decode_bitstring(encoded)
    assert {i for i in range(credentials.LIST_BITS) if bits[i // 8] >> (7 - i % 8) & 1} == set(revoked)


def test_without_a_key_the_credential_is_unavailable(award):
    with pytest.raises(api.CreditsUnavailable, match="credential_keys"):
        api.get_award_credential(award.uuid, SITE)


def test_retirement_empties_the_credential_and_revokes_it(signing_key, award, learner):
    _credential, token = api.get_award_credential(award.uuid, SITE)
    api.retire_learner(learner.pk)
    issued = IssuedCredential.objects.get()
    assert (issued.award_id, issued.credential) == (None, "")
    answer = api.verify_credential(token, SITE)
    assert answer == {"status": "revoked", "reason": "The award no longer exists."}
    assert api.get_status_list(1, SITE)  # still served


def test_the_learner_record_holds_every_standing_award(signing_key, award, learner):
    record = api.get_learner_record(learner, SITE)
    assert record["type"] == ["VerifiablePresentation"]
    (entry,) = record["verifiableCredential"]
    assert api.verify_credential(entry, SITE)["status"] == "valid"


def test_key_command(settings, tmp_path, capsys):
    out = tmp_path / "key.pem"
    call_command("credential_keys", "generate", "--key-id", "cmd-key", "--output", str(out))
    assert out.stat().st_mode & 0o777 == 0o600
    assert "credential_keys activate cmd-key" in capsys.readouterr().out
    with pytest.raises(CommandError, match="has no private key cmd-key"):
        call_command("credential_keys", "activate", "cmd-key")
    settings.CREDITS_CREDENTIAL_SIGNING_KEYS = {"cmd-key": str(out)}
    call_command("credential_keys", "activate", "cmd-key")
    with pytest.raises(CommandError, match="already exists"):
        call_command("credential_keys", "generate", "--output", str(out))
    call_command("credential_keys", "list")
    assert "cmd-key  EdDSA  active  (private key configured)" in capsys.readouterr().out
    with pytest.raises(CommandError, match="not a date"):
        call_command("credential_keys", "generate", "--expires", "soon")
    assert CredentialSigningKey.objects.count() == 1
    assert AwardedCredit.objects.count() == 0


@pytest.mark.parametrize("chosen, expected", [("", "Course"), ("License", "License"),
                                              ("ext:CPDHours", "ext:CPDHours")])
def test_a_credit_type_names_its_achievement_type(signing_key, award, chosen, expected):
    api.update_credit_type(api.list_credit_types()[0].id, achievement_type=chosen)
    credential, _token = api.get_award_credential(award.uuid, SITE)
    assert credential["credentialSubject"]["achievement"]["achievementType"] == expected
    assert list(schema_validator().iter_errors(credential)) == []


@pytest.mark.parametrize("typed, message", [
    ("license", 'Open Badges spells it "License".'),
    ("CPD hours", "Use a term of Open Badges' vocabulary"),
    ("ext:", "Use a term of Open Badges' vocabulary"),
])
def test_an_achievement_type_outside_the_vocabulary_is_refused_and_nothing_changes(award, typed, message):
    credit_type = api.list_credit_types()[0]
    with pytest.raises(api.CreditsValidationError) as caught:
        api.update_credit_type(credit_type.id, achievement_type=typed)
    assert caught.value.field_errors["achievement_type"][0].startswith(message)
    assert api.get_credit_type(credit_type.id).achievement_type == ""


def test_a_credit_earned_elsewhere_is_marked_as_such(signing_key, learner, staff_user, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile  # pylint: disable=import-outside-toplevel

    settings.MEDIA_ROOT = str(tmp_path)
    cpa = CreditTypeFactory(name="CPA", unit="CPE hours")
    external = api.submit_external_credit(
        learner, title="Audit forum", provider="Audit Institute", credit_type_id=cpa.pk, amount="3.5",
        earned_on="2026-04-01", evidence=SimpleUploadedFile("forum.pdf", b"%PDF-1.5\n%%EOF\n"))
    decided = api.approve_external_credit(external.id, acting_user=staff_user)
    credential, token = api.get_award_credential(decided.award_uuid, SITE)
    assert list(schema_validator().iter_errors(credential)) == []
    achievement = credential["credentialSubject"]["achievement"]
    assert achievement["achievementType"] == "ext:ContinuingEducationCredit"
    assert achievement["creator"]["name"] == "Audit Institute" and "earned elsewhere" in achievement["tag"]
    assert "parentOrg" not in credential["issuer"] and achievement["creditsAvailable"] == 3.5
    assert api.verify_credential(token, SITE)["status"] == "valid"
    api.update_credit_type(cpa.pk, achievement_type="Certification")
    record = api.get_learner_record(learner, SITE)
    assert len(record["verifiableCredential"]) == 1
    assert api.get_award_credential(decided.award_uuid, SITE)[0] == credential  # issued once: the change waits


def test_a_re_application_that_changes_an_award_replaces_its_credential(signing_key, award, staff_user):
    credential, token = api.get_award_credential(award.uuid, SITE)
    index = int(credential["credentialStatus"]["statusListIndex"])
    api.set_course_settings(COURSE_ID, enabled=True, credits=[{"credit": award.credit_id, "amount": "3.00"}])
    assert api.reapply_course_credits(COURSE_ID, acting_user=staff_user, reason="Amount corrected") == 1
    answer = api.verify_credential(token, SITE)
    assert answer["status"] == "revoked" and "replaced on" in answer["reason"]
    listed = api.get_status_list(1, SITE)["credential"]["credentialSubject"]["encodedList"]
    assert credentials.decode_bitstring(listed)[index // 8] >> (7 - index % 8) & 1
    new, new_token = api.get_award_credential(award.uuid, SITE)
    assert new["credentialSubject"]["creditsEarned"] == 3 and new["id"] != credential["id"]
    assert api.verify_credential(new_token, SITE)["status"] == "valid"
    assert api.reapply_course_credits(COURSE_ID, acting_user=staff_user, reason="Again") == 0
    assert api.verify_credential(new_token, SITE)["status"] == "valid"  # nothing changed: nothing replaced


def test_the_platform_s_lazy_site_name_goes_into_the_credential_as_text(signing_key, award, settings):
    """Found in openedx-platform: its PLATFORM_NAME is a gettext_lazy string, which JSON cannot hold."""
    from django.utils.translation import gettext_lazy  # pylint: disable=import-outside-toplevel

    settings.PLATFORM_NAME = gettext_lazy("Lazy Academy")
    credential, _token = api.get_award_credential(award.uuid, SITE)
    assert credential["issuer"]["name"] == "Lazy Academy"
    assert api.issuer_profile(SITE)["name"] == "Lazy Academy"


def test_retirement_empties_replaced_credentials_too(signing_key, award, learner, staff_user):
    """Found in review: a credential detached from its award by a re-application kept the email's hash."""
    api.get_award_credential(award.uuid, SITE)
    api.set_course_settings(COURSE_ID, enabled=True, credits=[{"credit": award.credit_id, "amount": "3.00"}])
    api.reapply_course_credits(COURSE_ID, acting_user=staff_user, reason="Amount corrected")
    api.get_award_credential(award.uuid, SITE)
    assert IssuedCredential.objects.filter(award__isnull=True, user=learner).count() == 1  # the replaced one
    api.retire_learner(learner.pk)
    assert list(IssuedCredential.objects.values_list("credential", "user_id", "award_id")) == [("", None, None)] * 2


@pytest.mark.parametrize("submitted", [
    '{"a":' * 100_000 + "1" + "}" * 100_000,
    base64.urlsafe_b64encode(b"[" * 100_000 + b"]" * 100_000).decode().rstrip("=") + ".e30.c2ln",
    {"type": 5, "id": "urn:uuid:x"},
    {"type": "OpenBadgeCredential"},
    "eyJ" + "W" * 50,
    "",
])
def test_whatever_is_submitted_the_verifier_answers_invalid(submitted):
    assert api.verify_credential(submitted, SITE)["status"] == "invalid"


def test_an_expired_key_neither_signs_nor_activates(signing_key, award, settings):
    CredentialSigningKey.objects.filter(key_id="key-one").update(expires_at=timezone.now() - timedelta(minutes=1))
    with pytest.raises(api.CreditsUnavailable, match="the active one expired"):
        api.get_award_credential(award.uuid, SITE)
    assert not api.credentials_available()
    _key, pem = api.generate_signing_key("EdDSA", "old-key", expires_at=timezone.now() - timedelta(days=1))
    settings.CREDITS_CREDENTIAL_SIGNING_KEYS = {"old-key": pem}
    with pytest.raises(api.CreditsConflict, match="expired on"):
        api.activate_signing_key("old-key")


def test_revoking_the_signing_key_with_the_command_says_nothing_signs_now(signing_key, capsys):
    call_command("credential_keys", "revoke", "key-one")
    out = capsys.readouterr().out
    assert "Revoked the key key-one" in out and "No key signs credentials now" in out
    assert not api.credentials_available() and api.published_jwks(SITE) == {"keys": []}
    with pytest.raises(CommandError, match="was already revoked"):
        call_command("credential_keys", "revoke", "key-one")
    with pytest.raises(CommandError, match="There is no signing key nope"):
        call_command("credential_keys", "activate", "nope")
