"""
Portable credits: each standing award as an Open Badges 3.0 credential (docs/decisions/0010).

- **Keys.** Private keys come from ``CREDITS_CREDENTIAL_SIGNING_KEYS``; their public halves are
  rows of ``CredentialSigningKey``, published (JWKS, issuer profile) while new, active or
  retired. One key is active: it signs. Retiring keeps what a key signed verifiable; revoking
  (after a compromise) does not.
- **Issuing.** An award's credential is built the first time it is asked for, stored as issued
  (``IssuedCredential``: a later edit of the credit, the course or the site never changes an
  issued credential) and signed as a VC-JWT (payload: the credential with ``iss``, ``jti``,
  ``nbf``) each time it is served. A re-award gets a new credential.
- **Revocation.** A W3C Bitstring Status List per 100,000 award ids; each credential has a
  random slot in its list. The bit is read from the award (gone, revoked or re-awarded since:
  set), so there is no second state to keep in step. Lists are cached in the plugin's one cache
  and forgotten on the commit of a revocation.
- **Verifying.** A VC-JWT is checked against the published key its header names (PyJWT does the
  cryptography); a credential in JSON is checked against the one stored as issued.
"""
import base64
import gzip
import hashlib
import json
import logging
import secrets
import uuid as uuid_module
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa
from django.db import IntegrityError, transaction
from django.db.models import F, Max, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from jwt.algorithms import OKPAlgorithm, RSAAlgorithm

from credits_plugin import platform
from credits_plugin.constants import AwardSource, AwardStatus
from credits_plugin.data import SigningKeyData
from credits_plugin.exceptions import (
    CreditsConflict,
    CreditsGone,
    CreditsNotFound,
    CreditsUnavailable,
    CreditsValidationError,
)
from credits_plugin.models import AwardedCredit, CredentialSigningKey, ExternalCredit, IssuedCredential
from credits_plugin.services.course_cache import forget, read_through
from credits_plugin.settings import credits_setting
from credits_plugin.validation import parse_public_id

logger = logging.getLogger(__name__)

W3C_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
LIST_BITS = 131072  # the W3C Bitstring Status List's smallest list: herd privacy for every slot
LIST_SPAN = 100_000  # award ids per list: a list is at most 76% full, so a random slot is found at once
SLOT_TRIES = 8
STATUS_LIST_KEY = "credits_plugin.status_list.v1.{number}"
JWT_TYPES = ("EdDSA", "RS256")
VALID, REVOKED, EXPIRED, INVALID = "valid", "revoked", "expired", "invalid"


# --- Keys -----------------------------------------------------------------------------------

def _algorithm_of(key):
    if isinstance(key, (ed25519.Ed25519PrivateKey, ed25519.Ed25519PublicKey)):
        return "EdDSA"
    if isinstance(key, (rsa.RSAPrivateKey, rsa.RSAPublicKey)):
        return "RS256"
    raise CreditsValidationError(_("Only Ed25519 (EdDSA) and RSA (RS256) keys can sign credentials."))


@lru_cache(maxsize=16)
def _parse_private_key(pem):
    return serialization.load_pem_private_key(pem, password=None)


def configured_private_key(key_id):
    """The private key of ``key_id`` from ``CREDITS_CREDENTIAL_SIGNING_KEYS`` (PEM text or a file), or None."""
    value = (credits_setting("CREDITS_CREDENTIAL_SIGNING_KEYS") or {}).get(key_id)
    if not value:
        return None
    text = str(value)
    try:
        pem = text.encode("utf-8") if text.lstrip().startswith("-----BEGIN") else Path(text).read_bytes()
        return _parse_private_key(pem)
    except (OSError, ValueError, TypeError) as exc:
        logger.warning("The signing key %s in CREDITS_CREDENTIAL_SIGNING_KEYS cannot be read: %s", key_id, exc)
        return None


def _public_jwk(public_key, algorithm):
    exporter = OKPAlgorithm if algorithm == "EdDSA" else RSAAlgorithm
    jwk = json.loads(exporter.to_jwk(public_key))
    jwk.update({"alg": algorithm, "use": "sig"})
    return jwk


def generate_key(algorithm="EdDSA", key_id=None, expires_at=None):
    """
    A new key pair: its public half is stored (status new: published, not signing yet) and its
    private half returned as PEM text, for the operator to put in ``CREDITS_CREDENTIAL_SIGNING_KEYS``.
    """
    if algorithm not in JWT_TYPES:
        raise CreditsValidationError(_("Choose EdDSA or RS256."), field_errors={"algorithm": [_("Unknown algorithm.")]})
    key_id = key_id or f"{algorithm.lower()}-{timezone.now():%Y%m%d}-{secrets.token_hex(3)}"
    if not _is_slug(key_id):
        raise CreditsValidationError(_("A key id is letters, digits, hyphens and underscores, at most 64."))
    if CredentialSigningKey.objects.filter(key_id=key_id).exists():
        raise CreditsConflict(_("There is already a key {key_id}.").format(key_id=key_id))
    private = (ed25519.Ed25519PrivateKey.generate() if algorithm == "EdDSA"
               else rsa.generate_private_key(public_exponent=65537, key_size=3072))
    row = CredentialSigningKey.objects.create(
        key_id=key_id, algorithm=algorithm, public_jwk=_public_jwk(private.public_key(), algorithm),
        expires_at=expires_at)
    pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode("ascii")
    return key_data(row, private_key_configured=False), pem  # its private half is only being handed out


def _is_slug(text):
    return 0 < len(text) <= 64 and all(c.isascii() and (c.isalnum() or c in "-_") for c in text)


def _find_key(key_id, *, lock=False):
    queryset = CredentialSigningKey.objects.select_for_update() if lock else CredentialSigningKey.objects
    key = queryset.filter(key_id=str(key_id)).first()
    if key is None:
        raise CreditsNotFound(_("There is no signing key {key_id}.").format(key_id=key_id))
    return key


@transaction.atomic
def activate_key(key_id):
    """Make ``key_id`` the key that signs; the key that signed until now is retired (still published)."""
    key = _find_key(key_id, lock=True)
    if key.status == CredentialSigningKey.REVOKED:
        raise CreditsConflict(_("The key {key_id} was revoked: it can never sign again.").format(key_id=key_id))
    if key.status == CredentialSigningKey.ACTIVE:
        raise CreditsConflict(_("The key {key_id} already signs.").format(key_id=key_id))
    if key.expires_at is not None and key.expires_at <= timezone.now():
        raise CreditsConflict(_("The key {key_id} expired on {date}: generate a new one.").format(
            key_id=key_id, date=key.expires_at.date().isoformat()))
    private = configured_private_key(key.key_id)
    if private is None:
        raise CreditsValidationError(_(
            "This site has no private key {key_id}: add it to CREDITS_CREDENTIAL_SIGNING_KEYS on every "
            "LMS and Studio process first, then activate it.").format(key_id=key_id))
    if _public_jwk(private.public_key(), _algorithm_of(private)) != key.public_jwk:
        raise CreditsValidationError(_(
            "The private key {key_id} in CREDITS_CREDENTIAL_SIGNING_KEYS is not the one published under "
            "that id.").format(key_id=key_id))
    now = timezone.now()
    CredentialSigningKey.objects.select_for_update().filter(status=CredentialSigningKey.ACTIVE).update(
        status=CredentialSigningKey.RETIRED, retired_at=now)
    key.status, key.activated_at = CredentialSigningKey.ACTIVE, now
    key.save(update_fields=["status", "activated_at"])
    _forget_status_lists()
    return key_data(key)


@transaction.atomic
def revoke_key(key_id):
    """Stop publishing ``key_id``: what it signed no longer verifies. For a key that leaked."""
    key = _find_key(key_id, lock=True)
    if key.status == CredentialSigningKey.REVOKED:
        raise CreditsConflict(_("The key {key_id} was already revoked.").format(key_id=key_id))
    key.status, key.revoked_at = CredentialSigningKey.REVOKED, timezone.now()
    key.save(update_fields=["status", "revoked_at"])
    _forget_status_lists()
    return key_data(key)


def key_data(key, private_key_configured=None):
    if private_key_configured is None:
        private_key_configured = configured_private_key(key.key_id) is not None
    return SigningKeyData(
        key_id=key.key_id, algorithm=key.algorithm, status=key.status, created=key.created,
        activated_at=key.activated_at, retired_at=key.retired_at, revoked_at=key.revoked_at,
        expires_at=key.expires_at, private_key_configured=private_key_configured)


def list_keys():
    """Every key this site ever published, oldest first."""
    return [key_data(key) for key in CredentialSigningKey.objects.all()]


def published_jwks(site):
    """The JWKS: every key that is new, active or retired, each ``kid`` the URI a JWT header names."""
    keys = CredentialSigningKey.objects.exclude(status=CredentialSigningKey.REVOKED)
    return {"keys": [dict(key.public_jwk, kid=key_uri(site, key.key_id)) for key in keys]}


def key_uri(site, key_id):
    return f"{site}{reverse('credits_plugin:api_v1:issuer-jwks')}#{key_id}"


def _signing_key(key_id):
    """``(key_id, private key, algorithm)`` of the active key; CreditsUnavailable when none can sign."""
    if not key_id:
        raise CreditsUnavailable(_(
            "No key signs credentials on this site now (none is active, or the active one expired): an "
            "operator generates and activates one with the credential_keys command."))
    private = configured_private_key(key_id)
    if private is None:
        raise CreditsUnavailable(_(
            "The key that signs credentials ({key_id}) is missing from this process's "
            "CREDITS_CREDENTIAL_SIGNING_KEYS.").format(key_id=key_id))
    return key_id, private, _algorithm_of(private)


def credentials_available():
    """Whether a key signs credentials (one query): pages offer downloads only then."""
    return _active_key_id().exists()


def _active_key_id():
    """The key that signs: the active one, unless it has expired (what it signed would read expired at once)."""
    return (CredentialSigningKey.objects.filter(status=CredentialSigningKey.ACTIVE)
            .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now())).values("key_id")[:1])


def _sign(payload, site, key_id):
    key_id, private, algorithm = _signing_key(key_id)
    return jwt.encode(payload, private, algorithm=algorithm, headers={"kid": key_uri(site, key_id), "typ": "JWT"})


# --- The issuer -----------------------------------------------------------------------------

def issuer_uri(site):
    return f"{site}{reverse('credits_plugin:api_v1:issuer')}"


def issuer_profile(site):
    """The site as an Open Badges ``Profile``, with the keys that verify what it issues."""
    info = platform.get_issuer(None)
    return {
        "@context": [W3C_CONTEXT, OB_CONTEXT],
        "id": issuer_uri(site), "type": ["Profile"], "name": info.get("name") or site, "url": site + "/",
        "publicKey": published_jwks(site)["keys"],
    }


# --- Issuing --------------------------------------------------------------------------------

def _award_query():
    """The award, its learner, the credential of its current award (if issued) and the active key: one query."""
    issued = IssuedCredential.objects.filter(award=OuterRef("pk"), awarded_at=OuterRef("awarded_at"))
    return (AwardedCredit.objects.select_related("user")
            .annotate(issued_json=Subquery(issued.values("credential")[:1]),
                      signing_key_id=Subquery(_active_key_id()),
                      provider=Subquery(ExternalCredit.objects.filter(award=OuterRef("pk")).values("provider")[:1]),
                      type_achievement=Coalesce("credit__credit_type__achievement_type",
                                                "external_credit__credit_type__achievement_type")))


def _find_award(award_uuid):
    award = _award_query().filter(uuid=parse_public_id(award_uuid)).first()
    if award is None:
        raise CreditsNotFound(_("There is no such award."))
    if award.status != AwardStatus.AWARDED:
        raise CreditsGone(_("This award was revoked on {date}: it has no credential.").format(
            date=award.revoked_at.date().isoformat() if award.revoked_at else "?"))
    return award


def get_award_credential(award_uuid, site):
    """``(credential dict, VC-JWT)`` of a standing award; issued on first request."""
    award = _find_award(award_uuid)
    credential = _credential_of(award, site)
    return credential, _sign(_jwt_payload(credential), site, award.signing_key_id)


def get_learner_record(user, site):
    """
    The learner's record: a W3C verifiable presentation of the credential (VC-JWT) of each
    standing award, newest first; each verifies on its own.
    """
    awards = list(_award_query().filter(user=user, status=AwardStatus.AWARDED).order_by("-awarded_at", "id"))
    key_id = awards[0].signing_key_id if awards else None
    entries = []
    for award in awards:
        credential = _credential_of(award, site)
        entries.append({"@context": W3C_CONTEXT, "type": "EnvelopedVerifiableCredential",
                        "id": "data:application/vc+jwt," + _sign(_jwt_payload(credential), site, key_id)})
    return {
        "@context": [W3C_CONTEXT],
        "type": ["VerifiablePresentation"],
        "id": f"urn:uuid:{uuid_module.uuid4()}",
        "verifiableCredential": entries,
    }


def _credential_of(award, site):
    if award.issued_json:
        return json.loads(award.issued_json)
    return _issue(award, site)


def _issue(award, site):
    """Build, store and return the award's credential: one insert (a random free slot in its list)."""
    status_list = award.pk // LIST_SPAN + 1
    credential_id = uuid_module.uuid4()
    for attempt in range(SLOT_TRIES + 1):
        index = secrets.randbelow(LIST_BITS) if attempt < SLOT_TRIES else _free_slot(status_list)
        credential = build_credential(award, site, credential_id, status_list, index)
        try:
            with transaction.atomic():
                IssuedCredential.objects.create(
                    uuid=credential_id, award=award, user_id=award.user_id, awarded_at=award.awarded_at,
                    status_list=status_list,
                    status_index=index, credential=canonical_json(credential))
            return credential
        except IntegrityError:
            issued = IssuedCredential.objects.filter(award=award, awarded_at=award.awarded_at).first()
            if issued is not None:  # issued a moment ago by a concurrent request
                return json.loads(issued.credential)
    raise CreditsConflict(_("No free place in status list {number}.").format(number=status_list))


def _free_slot(status_list):
    used = set(IssuedCredential.objects.filter(status_list=status_list).values_list("status_index", flat=True))
    free = [i for i in range(LIST_BITS) if i not in used]
    if not free:
        raise CreditsConflict(_("No free place in status list {number}.").format(number=status_list))
    return secrets.choice(free)


def canonical_json(data):
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _number(amount):
    value = float(amount)
    return int(value) if value.is_integer() else value


def build_credential(award, site, credential_id, status_list, index):
    """The Open Badges 3.0 ``OpenBadgeCredential`` of ``award`` (a row of ``_award_query``)."""
    external = award.source == AwardSource.EXTERNAL
    info = platform.get_issuer(None if external else award.course_key)
    issuer_id = issuer_uri(site)
    issuer = {"id": issuer_id, "type": ["Profile"], "name": info.get("name") or site, "url": site + "/"}
    if info.get("organization") and not external:
        issuer["parentOrg"] = {"id": f"{issuer_id}#org-{_fragment(info['organization'])}", "type": ["Profile"],
                               "name": info["organization"]}
    salt = secrets.token_hex(16)
    email = (award.user.email or "").strip().lower()
    amount = f"{award.amount:.2f}"
    with override(_site_language()):
        if external:
            course = award.provider or _("another provider")
            description = _("{amount} {unit} of {type}, earned at {provider} and approved by {site}.").format(
                amount=amount, unit=award.unit, type=award.credit_type_name, provider=course, site=issuer["name"])
            narrative = _("Earned elsewhere: the learner's evidence was reviewed and approved.")
            achievement_id = f"{issuer_id}#external-{award.uuid}"
        else:
            course = platform.get_course_names([award.course_key]).get(str(award.course_key)) or str(award.course_key)
            description = _("{amount} {unit} of {type}, earned in the course {course}.").format(
                amount=amount, unit=award.unit, type=award.credit_type_name, course=course)
            narrative = _("Pass the course {course} ({course_id}).").format(course=course,
                                                                            course_id=award.course_key)
            achievement_id = f"{issuer_id}#credit-{award.credit_id}"
    achievement = {
        "id": achievement_id, "type": ["Achievement"],
        "achievementType": award.type_achievement or ("ext:ContinuingEducationCredit" if external else "Course"),
        "name": award.credit_name, "description": description, "criteria": {"narrative": narrative},
        "creditsAvailable": _number(award.amount), "fieldOfStudy": award.credit_type_name,
        "tag": [award.credit_type_name, award.unit] + (["earned elsewhere"] if external else []),
    }
    if award.reference_number:
        achievement["humanCode"] = award.reference_number
    if external:
        achievement["creator"] = {"id": f"{issuer_id}#provider-{_fragment(course)}", "type": ["Profile"],
                                  "name": course}
    list_url = status_list_uri(site, status_list)
    return {
        "@context": [W3C_CONTEXT, OB_CONTEXT],
        "id": f"urn:uuid:{credential_id}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": f"{award.credit_name}: {amount} {award.unit}",
        "issuer": issuer,
        "validFrom": _iso(award.awarded_at),
        "awardedDate": _iso(award.awarded_at),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [{
                "type": "IdentityObject", "identityType": "emailAddress", "hashed": True, "salt": salt,
                "identityHash": "sha256$" + hashlib.sha256((email + salt).encode("utf-8")).hexdigest(),
            }],
            "achievement": achievement,
            "creditsEarned": _number(award.amount),
        },
        "credentialStatus": {
            "id": f"{list_url}#{index}", "type": "BitstringStatusListEntry", "statusPurpose": "revocation",
            "statusListIndex": str(index), "statusListCredential": list_url,
        },
    }


def _site_language():
    from django.conf import settings  # pylint: disable=import-outside-toplevel

    return settings.LANGUAGE_CODE


def _fragment(text):
    return "".join(c if c.isascii() and c.isalnum() else "-" for c in str(text)).strip("-").lower() or "x"


def _iso(moment):
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _jwt_payload(credential):
    """OB 3.0's VC-JWT: the credential itself, with the registered claims taken from it."""
    payload = dict(credential)
    payload.update(iss=credential["issuer"]["id"], jti=credential["id"],
                   nbf=int(datetime.strptime(credential["validFrom"], "%Y-%m-%dT%H:%M:%SZ")
                           .replace(tzinfo=UTC).timestamp()))
    return payload


# --- The status lists -----------------------------------------------------------------------

def status_list_uri(site, number):
    return f"{site}{reverse('credits_plugin:api_v1:status-list', kwargs={'list_id': number})}"


def _revoked_slots(number):
    """The revoked slots of list ``number`` and the active key's id, in one query (``(-1, key)`` carries the key)."""
    standing = Q(award__status=AwardStatus.AWARDED, award__awarded_at=F("awarded_at"))
    # Both sides select annotations only, named in the same order: Django 4.2 puts a values_list()'s
    # model fields before its annotations, whatever order it is given.
    slots = (IssuedCredential.objects.filter(status_list=number).filter(Q(award__isnull=True) | ~standing)
             .annotate(slot=F("status_index"), key=Value("")).order_by().values_list("slot", "key"))
    key = (CredentialSigningKey.objects.filter(status=CredentialSigningKey.ACTIVE).order_by()
           .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now()))
           .annotate(slot=Value(-1), key=F("key_id")).values_list("slot", "key"))
    rows = [(int(slot), key) for slot, key in slots.union(key, all=True)]  # MariaDB's union gives decimals
    return [slot for slot, _key in rows if slot >= 0], next((key for slot, key in rows if slot < 0), None)


def encode_bitstring(slots, size=LIST_BITS):
    """The W3C Bitstring Status List encoding: bit 0 is the first byte's highest bit; GZIP; multibase base64url."""
    bits = bytearray(size // 8)
    for slot in slots:
        bits[slot // 8] |= 0x80 >> (slot % 8)
    packed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(packed).decode("ascii").rstrip("=")


def decode_bitstring(encoded):
    text = encoded[1:] if encoded.startswith("u") else encoded
    return gzip.decompress(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))


def get_status_list(number, site):
    """``{"credential": ..., "jwt": ...}``: list ``number`` as a signed BitstringStatusListCredential."""
    try:
        number = int(number)
    except (TypeError, ValueError):
        number = 0
    if number < 1:
        raise CreditsNotFound(_("There is no such status list."))

    def read():
        slots, key_id = _revoked_slots(number)
        url = status_list_uri(site, number)
        credential = {
            "@context": [W3C_CONTEXT],
            "id": url,
            "type": ["VerifiableCredential", "BitstringStatusListCredential"],
            "issuer": issuer_uri(site),
            "validFrom": _iso(timezone.now()),
            "credentialSubject": {"id": f"{url}#list", "type": "BitstringStatusList",
                                  "statusPurpose": "revocation", "encodedList": encode_bitstring(slots)},
        }
        payload = dict(credential, iss=credential["issuer"], jti=url, nbf=int(timezone.now().timestamp()))
        return {"site": site, "credential": credential, "jwt": _sign(payload, site, key_id)}

    found = read_through(STATUS_LIST_KEY.format(number=number), read,
                         credits_setting("CREDITS_STATUS_LIST_CACHE_TIMEOUT"))
    # Cached under the list's number alone, so a revocation knows what to forget: a site reached
    # under another root than the cached one's (a demo without LMS_ROOT_URL) reads afresh.
    return found if found["site"] == site else read()


def supersede_credentials(award_ids):
    """
    A re-application changed these standing awards' values: their issued credentials no longer say
    what the awards say. Each is detached from its award and marked replaced (it reads revoked in
    its list and to verifiers); the next request issues a credential with the new values.
    """
    award_ids = list(award_ids)
    if award_ids:
        IssuedCredential.objects.filter(award_id__in=award_ids).update(award=None, superseded_at=timezone.now())
        forget_award_status(award_ids)


def forget_award_status(award_ids):
    """Awards were revoked or deleted: forget the status lists that may hold their credentials."""
    numbers = {award_id // LIST_SPAN + 1 for award_id in award_ids}
    if numbers:
        forget(*(STATUS_LIST_KEY.format(number=number) for number in numbers))


def _forget_status_lists():
    highest = IssuedCredential.objects.aggregate(top=Max("status_list"))["top"] or 0
    if highest:
        forget(*(STATUS_LIST_KEY.format(number=number) for number in range(1, highest + 1)))


def site_root(request=None):
    """The site's root URL without a trailing slash: ``LMS_ROOT_URL``, else the request's own."""
    root = (platform.get_issuer(None).get("url") or "").rstrip("/")
    if not root and request is not None:
        root = request.build_absolute_uri("/").rstrip("/")
    return root


# --- Verifying ------------------------------------------------------------------------------

def verify(submitted, site):
    """
    ``{"status": valid|revoked|expired|invalid, "reason", ...}`` of a submitted credential: a
    VC-JWT (text), an ``EnvelopedVerifiableCredential``, or an OpenBadgeCredential in JSON.
    Whatever is sent, the answer is one of those: nothing submitted raises.
    """
    try:
        return _verify(submitted, site)
    except RecursionError:  # JSON nested deeper than Python parses (in the body, or a JWT's parts)
        return _answer(INVALID, _("This is neither a credential in JSON nor a JWT."))


def _verify(submitted, site):
    if isinstance(submitted, str):
        text = submitted.strip()
        if text.startswith("{"):
            try:
                submitted = json.loads(text)
            except ValueError:
                return _answer(INVALID, _("This is neither a credential in JSON nor a JWT."))
        else:
            return _verify_jwt(text)
    if not isinstance(submitted, dict):
        return _answer(INVALID, _("This is neither a credential in JSON nor a JWT."))
    enveloped = submitted.get("id", "")
    if isinstance(enveloped, str) and enveloped.startswith("data:application/vc+jwt,"):
        return _verify_jwt(enveloped.split(",", 1)[1])
    if isinstance(submitted.get("jwt"), str):
        return _verify_jwt(submitted["jwt"])
    return _verify_json(submitted, site)


def _answer(status, reason, issued=None, **extra):
    answer = {"status": status, "reason": str(reason)}
    if issued is not None and issued.award_id:
        answer["award"] = str(issued.award.uuid)
    answer.update(extra)
    return answer


def _verify_jwt(token):
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError:
        return _answer(INVALID, _("This is not a well-formed JWT."))
    key_id = str(header.get("kid") or "").rsplit("#", 1)[-1]
    key = CredentialSigningKey.objects.filter(key_id=key_id).first() if key_id else None
    if key is None:
        return _answer(INVALID, _("It was not signed by a key this site publishes."))
    if key.status == CredentialSigningKey.REVOKED:
        return _answer(INVALID, _("It was signed by the key {key_id}, which this site revoked on {date}.").format(
            key_id=key.key_id, date=key.revoked_at.date().isoformat() if key.revoked_at else "?"))
    if header.get("alg") != key.algorithm:
        return _answer(INVALID, _("Its header names another algorithm than its key's."))
    try:
        payload = jwt.decode(token, jwt.PyJWK(key.public_jwk).key, algorithms=[key.algorithm],
                             options={"require": ["iss", "jti"], "verify_aud": False})
    except jwt.ExpiredSignatureError:
        return _answer(EXPIRED, _("It expired."))
    except jwt.ImmatureSignatureError:
        return _answer(INVALID, _("It is not valid yet."))
    except jwt.InvalidSignatureError:
        return _answer(INVALID, _("The signature does not match: it was changed after it was signed, or signed "
                                  "by another key."))
    except jwt.PyJWTError as exc:
        return _answer(INVALID, _("It is not a valid JWT: {error}").format(error=exc))
    credential = payload.get("vc") if isinstance(payload.get("vc"), dict) else payload
    issued = _issued(credential.get("id") or payload.get("jti"))
    if issued is None:
        return _answer(INVALID, _("This site never issued a credential with this id."))
    if not issued.credential:  # emptied when its learner was retired: signed by this site, and gone
        return _answer(REVOKED, _("The award no longer exists."), issued)
    if canonical_json(_without_jwt_claims(credential)) != issued.credential:
        return _answer(INVALID, _("It differs from the credential this site issued under this id."), issued)
    if key.expires_at and key.expires_at <= timezone.now():
        return _answer(EXPIRED, _("It was signed by the key {key_id}, which expired on {date}.").format(
            key_id=key.key_id, date=key.expires_at.date().isoformat()), issued)
    return _status_of(issued, credential)


def _without_jwt_claims(payload):
    return {k: v for k, v in payload.items() if k not in ("iss", "jti", "nbf", "exp", "sub", "iat", "aud")}


def _issued(credential_id):
    text = str(credential_id or "")
    try:
        parsed = uuid_module.UUID(text[len("urn:uuid:"):] if text.startswith("urn:uuid:") else "")
    except ValueError:
        return None
    return IssuedCredential.objects.select_related("award").filter(uuid=parsed).first()


def _verify_json(credential, site):  # pylint: disable=unused-argument
    types = credential.get("type")
    if not isinstance(types, list) or "OpenBadgeCredential" not in types:
        return _answer(INVALID, _("This is not an Open Badges credential."))
    issued = _issued(credential.get("id"))
    if issued is None:
        return _answer(INVALID, _("This site never issued a credential with this id."))
    if not issued.credential:  # emptied when its learner was retired: nothing left to compare it with
        return _answer(REVOKED, _("The award no longer exists."), issued)
    stored = json.loads(issued.credential)
    changed = sorted(k for k in set(stored) | set(credential) if k != "proof" and stored.get(k) != credential.get(k))
    if changed:
        return _answer(INVALID, _("It differs from the credential this site issued: {fields} changed.").format(
            fields=", ".join(changed)), issued)
    return _status_of(issued, stored)


def _status_of(issued, credential):
    award = issued.award
    if issued.superseded_at is not None:
        return _answer(REVOKED, _("It was replaced on {date} by a credential with the award's updated values: ask "
                                  "the learner for the new one.").format(date=issued.superseded_at.date().isoformat()),
                       issued)
    if award is None:
        return _answer(REVOKED, _("The award no longer exists."), issued)
    if award.status != AwardStatus.AWARDED:
        return _answer(REVOKED, _("The award was revoked on {date}.").format(
            date=award.revoked_at.date().isoformat() if award.revoked_at else "?"), issued)
    if award.awarded_at != issued.awarded_at:
        return _answer(REVOKED, _("The award was revoked, then awarded again on {date} under a new credential.")
                       .format(date=award.awarded_at.date().isoformat()), issued)
    valid_until = credential.get("validUntil")
    if valid_until and valid_until <= _iso(timezone.now()):
        return _answer(EXPIRED, _("It was valid until {date}.").format(date=valid_until), issued)
    return _answer(VALID, _("Issued by this site on {date}; the award stands.").format(
        date=issued.awarded_at.date().isoformat()), issued)
