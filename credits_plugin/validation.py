"""
The rules of Course Credits, each written once.

Every door (REST, Studio page, admin, XBlock, commands) reaches these through
``credits_plugin.api``. Each check collects field errors and raises one
``CreditsValidationError`` before anything is written.
"""
import unicodedata
import uuid
from decimal import Decimal, InvalidOperation

from django.utils.formats import get_format, number_format
from django.utils.translation import gettext as _
from opaque_keys import InvalidKeyError
from opaque_keys.edx.keys import CourseKey

from credits_plugin.constants import (
    ACHIEVEMENT_TYPES,
    AMOUNT_DECIMAL_PLACES,
    AMOUNT_MAX,
    MAX_ACHIEVEMENT_TYPE_LENGTH,
    MAX_NAME_LENGTH,
    MAX_REASON_LENGTH,
    MAX_REFERENCE_LENGTH,
    MAX_UNIT_LENGTH,
    AwardTrigger,
)
from credits_plugin.exceptions import CreditsValidationError

MAX_DESCRIPTION_LENGTH = 10000


class FieldErrors:
    """Collects errors per field; ``raise_if_any`` raises them together."""

    def __init__(self):
        self.errors = {}

    def add(self, field, message):
        self.errors.setdefault(field, []).append(str(message))

    def __bool__(self):
        return bool(self.errors)

    def raise_if_any(self, message=None):
        if self.errors:
            first = next(iter(self.errors.values()))[0]
            raise CreditsValidationError(message or first, field_errors=self.errors)


def parse_course_key(course_key):
    """A CourseKey from a key or string; a clear error for anything else."""
    if isinstance(course_key, CourseKey):
        return course_key
    try:
        return CourseKey.from_string(str(course_key))
    except (InvalidKeyError, TypeError, ValueError):
        raise CreditsValidationError(  # pylint: disable=raise-missing-from
            _("'{course_id}' is not a valid course id.").format(course_id=course_key),
            field_errors={"course_id": [_("Enter a course id such as course-v1:Org+Course+Run.")]},
        )


MAX_ID = 2 ** 63 - 1
AMOUNT_QUANTUM = Decimal(1).scaleb(-AMOUNT_DECIMAL_PLACES)  # 0.01


def parse_id(value):
    """
    A database id (1 to 2**63-1) from an int or a string of ASCII digits; None for anything else:
    a float or "1.5" is refused, never truncated, and so are booleans, signs and other scripts' digits.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        value = value.strip()
        if not (value.isascii() and value.isdigit()) or len(value) > 19:
            return None
    elif not isinstance(value, int):
        return None
    number = int(value)
    return number if 1 <= number <= MAX_ID else None


def format_amount(value):
    """An amount (a Decimal or the API's "2.50") with two decimals as the active language writes it: "2,50"."""
    try:
        return number_format(Decimal(str(value)), decimal_pos=2)
    except (InvalidOperation, ValueError, TypeError):
        return value


def amount_from_input(value):
    """
    What a person typed in a form, as the API reads amounts: "0,30" typed in a language whose
    decimal separator is a comma is 0.30. Elsewhere the text is left as typed (``parse_amount``
    then says which separator to use).
    """
    text = str(value or "").strip()
    if get_format("DECIMAL_SEPARATOR") == "," and "," in text and "." not in text:
        text = text.replace(",", ".")
    return text


def parse_amount(value, errors, field="amount"):
    """A Decimal amount > 0, at most 999.99, with at most two decimal places; None on error."""
    if isinstance(value, bool) or value is None or value == "":
        errors.add(field, _("Enter an amount."))
        return None
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        if "," in str(value):
            errors.add(field, _("Use a point as the decimal separator, as in 2.50."))
        else:
            errors.add(field, _("'{value}' is not a number.").format(value=value))
        return None
    if not amount.is_finite():
        errors.add(field, _("'{value}' is not a number.").format(value=value))
        return None
    # The range first: rounding a number of more digits than Decimal's precision (28) would fail.
    if amount > AMOUNT_MAX:
        errors.add(field, _("The amount can be at most {maximum}.").format(maximum=AMOUNT_MAX))
        return None
    if amount <= 0:
        errors.add(field, _("The amount must be greater than zero."))
        return None
    if amount != amount.quantize(AMOUNT_QUANTUM):
        errors.add(field, _("Use at most two decimal places."))
        return None
    return amount.quantize(AMOUNT_QUANTUM)


def clean_text(value, errors, field, *, max_length, required=False, label=None, multiline=False):
    """
    Strip a text field and check its length; returns the cleaned text. Control characters (NUL,
    escape...) are refused; a ``multiline`` text (a description) may hold line breaks and tabs.
    """
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors.add(field, _("Enter text."))
        return ""
    value = value.strip()
    allowed = "\n\r\t" if multiline else ""
    if any(unicodedata.category(char) in ("Cc", "Cs") and char not in allowed for char in value):
        errors.add(field, _("Remove the control characters (such as NUL or a line break) from this text.")
                   if not multiline else _("Remove the control characters (such as NUL) from this text."))
        return ""
    if required and not value:
        errors.add(field, _("{label} is required.").format(label=label or _("This field")))
    elif len(value) > max_length:
        errors.add(field, _("Use at most {max_length} characters (this has {length}).").format(
            max_length=max_length, length=len(value)))
    return value


def clean_bool(value, errors, field):
    """Only real booleans: "false" as a string is an error, not True."""
    if not isinstance(value, bool):
        errors.add(field, _("Enter true or false."))
        return False
    return value


def clean_type_fields(data, errors):
    """Clean the editable fields of a credit type (only those present in ``data``)."""
    cleaned = {}
    if "name" in data:
        cleaned["name"] = clean_text(data["name"], errors, "name", max_length=MAX_NAME_LENGTH, required=True,
                                     label=_("Name"))
    if "description" in data:
        cleaned["description"] = clean_text(data["description"], errors, "description",
                                            max_length=MAX_DESCRIPTION_LENGTH, multiline=True)
    if "unit" in data:
        cleaned["unit"] = clean_text(data["unit"], errors, "unit", max_length=MAX_UNIT_LENGTH, required=True,
                                     label=_("Unit"))
    for flag in ("requires_reference_number", "allow_multiple_per_course", "is_active", "requires_approval"):
        if flag in data:
            cleaned[flag] = clean_bool(data[flag], errors, flag)
    if "approvers" in data:
        cleaned["approvers"] = _clean_group(data["approvers"], errors)
    if "achievement_type" in data:
        cleaned["achievement_type"] = clean_achievement_type(data["achievement_type"], errors)
    if "translations" in data:
        cleaned["translations"] = clean_translations(data["translations"], errors, TYPE_TRANSLATED)
    return cleaned


def clean_achievement_type(value, errors):
    """Empty, a term of Open Badges 3.0's AchievementType vocabulary, or an extension term ``ext:Name``."""
    text = str(value or "").strip()
    if not text or text in ACHIEVEMENT_TYPES:
        return text
    name = text[len("ext:"):] if text.startswith("ext:") else ""
    if name and len(text) <= MAX_ACHIEVEMENT_TYPE_LENGTH and all(
            c.isascii() and (c.isalnum() or c in ".-_") for c in name):
        return text
    matches = [term for term in ACHIEVEMENT_TYPES if term.lower() == text.lower()]
    if matches:
        errors.add("achievement_type", _("Open Badges spells it \"{term}\".").format(term=matches[0]))
    else:
        errors.add("achievement_type", _(
            "Use a term of Open Badges' vocabulary (\"License\", \"Certification\", \"Course\"...), an "
            "extension term such as \"ext:ContinuingEducationCredit\", or leave it empty."))
    return text


def _clean_group(value, errors):
    """The approvers of a type: a Django auth group (or its id), or None for global staff only."""
    from django.contrib.auth.models import Group  # pylint: disable=import-outside-toplevel
    if value in (None, ""):
        return None
    if isinstance(value, Group):
        return value
    group = Group.objects.filter(pk=parse_id(value)).first() if parse_id(value) else None
    if group is None:
        errors.add("approvers", _("There is no group with id {id}.").format(id=value))
    return group


# Beyond this many other languages in LANGUAGES (Open edX lists 79), the admin offers fields only
# for those named in CREDITS_TRANSLATION_LANGUAGES: 78 languages would be 234 fields on one page.
MOST_LANGUAGES_OFFERED = 6


def translation_languages(every=False):
    """
    ``[(code, name)]`` of the languages names are translated into (ADR 0011), those the admin
    offers: ``CREDITS_TRANSLATION_LANGUAGES`` where set, else every language of ``LANGUAGES`` but
    the default one (whose names are the models' own columns) when there are at most
    ``MOST_LANGUAGES_OFFERED``, else none. ``every``: those and every other language of
    ``LANGUAGES``, all that a translation may be given in.
    """
    from django.conf import settings  # pylint: disable=import-outside-toplevel

    from credits_plugin.settings import credits_setting  # pylint: disable=import-outside-toplevel

    default = (settings.LANGUAGE_CODE or "").lower()
    names = {code.lower(): str(name) for code, name in getattr(settings, "LANGUAGES", ())}
    chosen = [str(code).lower() for code in credits_setting("CREDITS_TRANSLATION_LANGUAGES") or ()]
    if every:
        codes = [*chosen, *names]
    else:
        codes = chosen or (list(names) if len(set(names) - {default}) <= MOST_LANGUAGES_OFFERED else [])
    return [(code, names.get(code, code)) for code in dict.fromkeys(codes) if code != default]


# What each model's translations may hold, with each text's length limit.
TYPE_TRANSLATED = {"name": MAX_NAME_LENGTH, "description": MAX_DESCRIPTION_LENGTH, "unit": MAX_UNIT_LENGTH}
CREDIT_TRANSLATED = {"name": MAX_NAME_LENGTH, "description": MAX_DESCRIPTION_LENGTH}


def clean_translations(value, errors, translated):
    """
    ``{language: {field: text}}`` for the fields of ``translated`` (``TYPE_TRANSLATED`` or
    ``CREDIT_TRANSLATED``), in the languages of ``translation_languages()``: texts are stripped and
    checked as the default language's are, blank ones dropped (the default language shows instead).
    """
    if value in (None, ""):
        return {}
    if not isinstance(value, dict):
        errors.add("translations", _('Send the translations as {"fr": {"name": "..."}}.'))
        return {}
    languages = dict(translation_languages(every=True))
    cleaned = {}
    for language in sorted(value, key=str):
        code = str(language).strip().lower()
        field = f"translations.{language}"
        if code not in languages:
            codes = list(languages)
            errors.add(field, _("'{code}' is not one of the site's other languages ({codes}).").format(
                code=language, codes=", ".join(codes if len(codes) <= 12 else [*codes[:12], "…"]) or _("none")))
            continue
        texts = value[language]
        if not isinstance(texts, dict):
            errors.add(field, _('Send the texts of a language as {"name": "..."}.'))
            continue
        for name in sorted(set(texts) - set(translated), key=str):
            errors.add(f"{field}.{name}", _("This cannot be translated."))
        entry = {}
        for name, max_length in translated.items():
            if name in texts:
                text = clean_text(texts[name], errors, f"{field}.{name}", max_length=max_length,
                                  multiline=name == "description")
                if text:
                    entry[name] = text
        if entry:
            cleaned[code] = entry
    return cleaned


def clean_credit_fields(data, errors):
    """Clean the editable fields of a credit (only those present in ``data``)."""
    cleaned = {}
    if "name" in data:
        cleaned["name"] = clean_text(data["name"], errors, "name", max_length=MAX_NAME_LENGTH, required=True,
                                     label=_("Name"))
    if "description" in data:
        cleaned["description"] = clean_text(data["description"], errors, "description",
                                            max_length=MAX_DESCRIPTION_LENGTH, multiline=True)
    if "reference_number" in data:
        cleaned["reference_number"] = clean_text(data["reference_number"], errors, "reference_number",
                                                 max_length=MAX_REFERENCE_LENGTH)
    if "is_active" in data:
        cleaned["is_active"] = clean_bool(data["is_active"], errors, "is_active")
    if "translations" in data:
        cleaned["translations"] = clean_translations(data["translations"], errors, CREDIT_TRANSLATED)
    return cleaned


def check_reference_number(credit_type, reference_number, errors, field="reference_number"):
    """A credit under a type that requires reference numbers must carry one."""
    if credit_type.requires_reference_number and not reference_number:
        errors.add(field, _("Credits of type '{type}' need a reference number.").format(type=credit_type.name))


def clean_trigger(value, errors):
    if value not in AwardTrigger.values:
        errors.add("award_trigger", _("Choose one of: {choices}.").format(choices=", ".join(AwardTrigger.values)))
        return AwardTrigger.PASSING
    return value


def clean_reason(value, errors):
    """A reason is required for every manual award and revoke."""
    return clean_text(value, errors, "reason", max_length=MAX_REASON_LENGTH, required=True, label=_("A reason"),
                      multiline=True)


def check_one_per_type(designated_credits, errors, field="credits"):
    """
    A course may carry at most one credit of a type whose ``allow_multiple_per_course`` is off.

    ``designated_credits`` are Credit rows with their ``credit_type`` loaded.
    """
    seen = {}
    for credit in designated_credits:
        credit_type = credit.credit_type
        if credit_type.allow_multiple_per_course:
            continue
        if credit_type.pk in seen:
            errors.add(field, _(
                "A course can carry only one credit of type '{type}': choose either '{first}' or '{second}'."
            ).format(type=credit_type.name, first=seen[credit_type.pk].name, second=credit.name))
        else:
            seen[credit_type.pk] = credit


def parse_public_id(value):
    """
    An award's public id as a UUID; a malformed one becomes a fresh random UUID, which matches
    nothing: the same query and the same "no such award" as an unknown id, so the two cannot be told apart.
    """
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        return uuid.uuid4()
