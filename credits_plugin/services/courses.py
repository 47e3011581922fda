"""A course's credit settings and designations."""
import datetime

from django.db import IntegrityError, router, transaction
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext as _

from credits_plugin.constants import MAX_REFERENCE_LENGTH, ApprovalStatus, AwardTrigger
from credits_plugin.data import CourseCreditSettingsData, localized, snapshot_translations, within
from credits_plugin.exceptions import CreditsConflict
from credits_plugin.models import CourseCredit, CourseCreditSettings, Credit
from credits_plugin.services.approval import award_day, status_for_change
from credits_plugin.services.convert import designation_data
from credits_plugin.services.course_cache import CARD_KEY, CARDS_KEY, course_cache_key, forget_structure, read_through
from credits_plugin.services.db import retry_on_deadlock
from credits_plugin.services.structure import set_history_user
from credits_plugin.services.triggers import course_award_flags
from credits_plugin.validation import (
    FieldErrors,
    check_one_per_type,
    clean_bool,
    clean_text,
    clean_trigger,
    parse_amount,
    parse_course_key,
    parse_id,
)


def _designations(course_key):
    return CourseCredit.objects.filter(course_key=course_key).select_related("credit__credit_type")


def get_course_settings(course_key, *, awarding_today=False):
    """
    The course's settings and designations; a course without settings has credits off.
    ``awarding_today``: only the credits that award today (approved, today inside their
    approval's dates), what learners and the public may be shown.

    The settings come from the cached course flags (no query when warm, forgotten on every
    change), the designations from one query.
    """
    course_key = parse_course_key(course_key)
    flags = course_award_flags(course_key)
    credits = tuple(designation_data(d) for d in _designations(course_key))
    if awarding_today:
        today = award_day(None)
        credits = tuple(c for c in credits if c.awards_on(today))
    return CourseCreditSettingsData(
        course_key=course_key, enabled=flags.enabled, award_trigger=flags.award_trigger,
        revoke_on_certificate_revoked=flags.revoke_on_certificate_revoked, credits=credits,
    )


def enabled_course_credits():
    """
    ``{course id: (CourseCreditData, ...)}`` for every course whose credits are on, its approved
    credits (``services.approval``): one query.

    Pages that show many courses at once (the learner dashboard) read this, cached, instead
    of one query per course.
    """
    enabled = CourseCreditSettings.objects.filter(enabled=True).values("course_key")
    result = {}
    for designation in (CourseCredit.objects.filter(course_key__in=enabled, approval_status=ApprovalStatus.APPROVED)
                        .select_related("credit__credit_type")
                        .order_by("course_key", "credit__credit_type__name", "credit__name")):
        result.setdefault(str(designation.course_key), []).append(designation_data(designation))
    return {course_id: tuple(credits) for course_id, credits in result.items()}


def course_cards():
    """
    ``{course id: (item, ...)}``: the public credits of every course whose credits are on, as plain
    dicts, read together (one query) and kept in the shared cache, for pages that show many
    courses (the learner home); any change of a course, credit or type forgets it when it commits
    (``course_cache``). Each item: credit_id, credit_name, credit_type_name, amount ("2.50"), unit,
    reference_number (only for types that require one, else ""). Only the credits that award
    today are returned (the cached entry keeps each approval's dates to judge it).
    """
    cards = read_through(CARDS_KEY, lambda: {
        course_id: tuple(_card_item(d) for d in designations)
        for course_id, designations in enabled_course_credits().items()})
    today = award_day(None)
    return {course_id: _open_on(items, today) for course_id, items in cards.items()}


def course_card(course_key):
    """
    One course's items as in ``course_cards``, each with the course's ``award_trigger`` too
    (``()`` when its credits are off or it has none), kept in the shared cache on its own: a
    page about one course reads only that course.
    """
    course_key = parse_course_key(course_key)

    def read():  # one query: the designations of the course and its trigger, if its credits are on
        trigger = CourseCreditSettings.objects.filter(course_key=OuterRef("course_key"), enabled=True).values(
            "award_trigger")[:1]
        rows = (_designations(course_key).filter(approval_status=ApprovalStatus.APPROVED)
                .annotate(award_trigger=Subquery(trigger))
                .filter(award_trigger__isnull=False).order_by("credit__credit_type__name", "credit__name"))
        return tuple({**_card_item(designation_data(d)), "award_trigger": d.award_trigger} for d in rows)
    return _open_on(read_through(course_cache_key(CARD_KEY, course_key), read), award_day(None))


def _open_on(items, day):
    """
    The items whose approval's dates contain ``day``: a card cached before a window opened or
    closed is judged when it is read, so learners are never promised what no longer awards,
    whatever the cache holds.
    """
    return tuple(_shown(item) for item in items if within(*(_day(item.get(end)) for end in WINDOW), day))


def _shown(item):
    """A cached item as shown: its names in the active language (ADR 0011), its window and translations left out."""
    names = item.get("translations") or {}
    shown = {key: value for key, value in item.items() if key not in KEPT_NOT_SHOWN}
    if names:
        for field in ("credit_name", "credit_type_name", "unit"):
            shown[field] = localized(names, field, shown[field])
    return shown


def _day(iso):
    return datetime.date.fromisoformat(iso) if iso else None


WINDOW = ("valid_from", "valid_until")  # kept in the cached cards, judged when read, not shown
KEPT_NOT_SHOWN = (*WINDOW, "translations")  # translations: the names are shown in the reader's language


def forget_credit_change(*, credit_id=None, credit_type_id=None):
    """A credit or credit type changed: forget the cached cards of the courses that carry it (see course_cache)."""
    designations = CourseCredit.objects.filter(credit_id=credit_id) if credit_id is not None else \
        CourseCredit.objects.filter(credit__credit_type_id=credit_type_id)
    forget_structure(designations.order_by().values_list("course_key", flat=True).distinct())


def _card_item(designation):
    credit = designation.credit
    requires_reference = credit.credit_type.requires_reference_number
    return {
        "credit_id": credit.id,
        "credit_name": credit.name,
        "credit_type_name": credit.credit_type.name,
        "amount": str(designation.amount),
        "unit": credit.credit_type.unit,
        "reference_number": designation.effective_reference_number if requires_reference else "",
        "valid_from": designation.valid_from.isoformat() if designation.valid_from else None,
        "valid_until": designation.valid_until.isoformat() if designation.valid_until else None,
        "translations": snapshot_translations(credit.translations, credit.credit_type.translations),
    }


def list_course_credits(course_key):
    """The credits a course designates (whether or not credits are switched on)."""
    return tuple(designation_data(d) for d in _designations(parse_course_key(course_key)))


def _locked_settings_row(course_key):
    """The course's settings row, locked for the transaction; a new unsaved one when there is none."""
    row = CourseCreditSettings.objects.select_for_update().filter(course_key=course_key).first()
    return row or CourseCreditSettings(course_key=course_key)


def _clean_designations(entries, current_credit_ids, errors):
    """Validate the list of designations; returns [(Credit, amount, reference_number)]."""
    if not isinstance(entries, (list, tuple)):
        errors.add("credits", _("Send a list of credits."))
        return []
    wanted_ids = []
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict):
            errors.add(f"credits.{index}", _("Each credit needs an id and an amount."))
            wanted_ids.append(None)
            continue
        credit_id = parse_id(entry.get("credit"))
        if credit_id is None:
            errors.add(f"credits.{index}.credit", _("Choose a credit."))
        wanted_ids.append(credit_id)
    found = Credit.objects.select_related("credit_type").in_bulk([i for i in wanted_ids if i is not None])
    cleaned, seen = [], set()
    for index, (entry, credit_id) in enumerate(zip(entries, wanted_ids, strict=True)):
        if credit_id is None:
            continue
        credit = found.get(credit_id)
        if credit is None:
            errors.add(f"credits.{index}.credit", _("There is no credit with id {id}.").format(id=credit_id))
            continue
        if credit_id in seen:
            errors.add(f"credits.{index}.credit", _("'{name}' is listed twice.").format(name=credit.name))
            continue
        seen.add(credit_id)
        is_new = credit_id not in current_credit_ids
        if is_new and not (credit.is_active and credit.credit_type.is_active):
            errors.add(f"credits.{index}.credit", _(
                "'{name}' is archived and cannot be added to a course."
            ).format(name=credit.name))
        amount = parse_amount(entry.get("amount"), errors, f"credits.{index}.amount")
        reference = clean_text(entry.get("reference_number", ""), errors, f"credits.{index}.reference_number",
                               max_length=MAX_REFERENCE_LENGTH)
        cleaned.append((credit, amount, reference))
    check_one_per_type([credit for credit, _amount, _ref in cleaned], errors)
    return cleaned


def set_course_settings(course_key, *, enabled, award_trigger=AwardTrigger.PASSING,
                        revoke_on_certificate_revoked=False, credits=(), user=None):
    """
    Replace a course's settings and designations in one validated, atomic operation.

    ``credits`` is a list of ``{"credit": id, "amount": "2.50", "reference_number": ""}``.
    Nothing is written when any part is invalid, or when someone else changed the course
    at the same moment (CreditsConflict: try again).
    """
    try:
        course_key = parse_course_key(course_key)
        return retry_on_deadlock(lambda: _set_course_settings(
            course_key, enabled, award_trigger, revoke_on_certificate_revoked, credits, user),
            using=router.db_for_write(CourseCreditSettings))
    except IntegrityError as exc:
        raise CreditsConflict(_("The course's credits were changed at the same moment; try again.")) from exc


@transaction.atomic
def _set_course_settings(course_key, enabled, award_trigger, revoke_on_certificate_revoked, credits, user):
    errors = FieldErrors()
    enabled = clean_bool(enabled, errors, "enabled")
    award_trigger = clean_trigger(award_trigger, errors)
    revoke = clean_bool(revoke_on_certificate_revoked, errors, "revoke_on_certificate_revoked")
    row = _locked_settings_row(course_key)
    current = {d.credit_id: d for d in CourseCredit.objects.select_for_update().filter(course_key=course_key)}
    cleaned = _clean_designations(credits, set(current), errors)
    errors.raise_if_any()

    if row.pk is None or (row.enabled, row.award_trigger, row.revoke_on_certificate_revoked) != (
            enabled, award_trigger, revoke):
        row.enabled, row.award_trigger, row.revoke_on_certificate_revoked = enabled, award_trigger, revoke
        set_history_user(row, user)
        row.save()
    keep = set()
    for credit, amount, reference in cleaned:
        keep.add(credit.pk)
        designation = current.get(credit.pk)
        if designation is None:
            designation = CourseCredit(course_key=course_key, credit=credit, amount=amount,
                                       reference_number=reference)
            status_for_change(designation, credit.credit_type, user)
        elif (designation.amount, designation.reference_number) == (amount, reference):
            continue
        else:  # what an approver approved is no longer what the course says: it needs approving again
            designation.amount, designation.reference_number = amount, reference
            status_for_change(designation, credit.credit_type, user)
        set_history_user(designation, user)
        designation.save()
    for credit_id, designation in current.items():
        if credit_id not in keep:
            set_history_user(designation, user)
            designation.delete()
    return get_course_settings(course_key)


def set_course_enabled(course_key, enabled, user=None):
    """Switch credits on or off for a course, keeping its designations (the Studio toggle)."""
    try:
        course_key = parse_course_key(course_key)
        return retry_on_deadlock(lambda: _set_course_enabled(course_key, enabled, user),
                                 using=router.db_for_write(CourseCreditSettings))
    except IntegrityError as exc:
        raise CreditsConflict(_("The course's credits were changed at the same moment; try again.")) from exc


@transaction.atomic
def _set_course_enabled(course_key, enabled, user):
    errors = FieldErrors()
    enabled = clean_bool(enabled, errors, "enabled")
    errors.raise_if_any()
    row = _locked_settings_row(course_key)
    if row.pk is None or row.enabled != enabled:
        row.enabled = enabled
        set_history_user(row, user)
        row.save()
    return get_course_settings(course_key)
