"""Awarding credits to learners, by hand and automatically, and revoking them."""
import functools
import logging
import uuid as uuid_module
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import IntegrityError, connections, router, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from credits_plugin import platform
from credits_plugin.constants import AwardSource, AwardStatus
from credits_plugin.data import AwardData, AwardResult, IssuerData, PublicAwardData
from credits_plugin.exceptions import CreditsConflict, CreditsNotFound, CreditsValidationError
from credits_plugin.models import AwardedCredit, AwardLogEntry, CourseCredit, Credit, CreditType
from credits_plugin.services.convert import amount_text, award_data
from credits_plugin.services.course_cache import award_from_cache, cached_course_awarding, outside_transactions
from credits_plugin.services.db import InsertIgnoring, retry_on_deadlock
from credits_plugin.services.notify import announce_awarded, announce_revoked
from credits_plugin.validation import FieldErrors, clean_reason, parse_course_key, parse_id

logger = logging.getLogger(__name__)

AUTOMATIC_SOURCES = {AwardSource.PASSING, AwardSource.CERTIFICATE, AwardSource.BACKFILL}


def resolve_user(user):
    """A user row from a user, a user id or a username; CreditsNotFound otherwise."""
    User = get_user_model()
    if isinstance(user, User):
        return user
    found = None
    if isinstance(user, int):
        found = User.objects.filter(pk=user).first()
    elif isinstance(user, str) and user.strip():
        found = platform.get_user_by_username(user.strip())
    if found is None:
        raise CreditsNotFound(_("There is no such learner."), field_errors={"username": [_("Unknown user.")]})
    return found


def snapshot(designation, user_id, course_key, *, source, now, awarded_by=None, reason=""):
    """A new award row carrying a snapshot of the designation as it is now."""
    credit = designation.credit
    return AwardedCredit(
        user_id=user_id, course_key=course_key, credit_id=credit.pk, uuid=uuid_module.uuid4(),
        amount=designation.amount, credit_name=credit.name, credit_type_name=credit.credit_type.name,
        unit=credit.credit_type.unit, reference_number=designation.reference_number or credit.reference_number,
        source=source, status=AwardStatus.AWARDED, awarded_at=now, reason=reason,
        awarded_by=awarded_by,
    )


# The columns an automatic award writes (the others keep their defaults: NULL, "").
AWARD_COLUMNS = ("user", "uuid", "course_key", "credit", "amount", "credit_name", "credit_type_name", "unit",
                 "reference_number", "source", "status", "awarded_at", "reason")


def award_course_credits(user, course_key, source=AwardSource.PASSING):
    """
    Award every credit the course designates to ``user`` (a user or a user id). Idempotent.

    Calling it again, or from several workers at once, leaves one award per credit: the
    database's unique constraint decides (one ``INSERT`` that skips clashing rows), and rows
    lost to a concurrent insert are not reported as created. Revoked awards are not brought
    back automatically. To stay cheap on this hot path it does not look up course names
    (``course_name`` of the results is the course id).

    Queries, whatever the number of credits: given a user (not an id), outside a transaction,
    where the cache is shared by every process, one (see ``award_from_snapshot``); otherwise
    two: one hand-written read of the learner, the course's credits and the learner's awards
    of them, and the insert (a third when a concurrent award won some rows).
    """
    course_key = parse_course_key(course_key)
    awarding = None if isinstance(user, int) else cached_awarding_or_none(course_key)
    if awarding is not None:
        return award_from_snapshot(user.pk, user.username, course_key, awarding.designations, source)
    return _award_reading_database(user if isinstance(user, int) else user.pk, course_key, source)


def cached_awarding_or_none(course_key):
    """
    The course's cached ``CourseAwarding`` where awards may use it: the cache is shared
    (``award_from_cache``) and the database is outside any transaction (where SQLite and
    PostgreSQL check foreign keys only at commit, so an insert could not tell a deleted user).
    None otherwise, or when the cache fails: the caller reads the database.
    """
    if not (award_from_cache() and outside_transactions()):
        return None
    try:
        return cached_course_awarding(course_key)
    except Exception:  # pylint: disable=broad-except
        logger.warning("The cache failed; awarding in %s from the database.", course_key, exc_info=True)
        return None


def award_from_snapshot(user_id, username, course_key, designations, source=AwardSource.PASSING):
    """
    Award ``designations`` (of the ``CourseAwarding`` that ``cached_awarding_or_none`` gave) to
    the learner ``user_id``/``username`` in one query when they hold none of them: one
    ``INSERT`` that skips clashing rows, whose row count says all went in.

    Otherwise one more query tells which went in and which the learner already held or had
    revoked; anything it cannot explain (an unknown user, whose rows the foreign key refused)
    is left to ``award_course_credits``'s database path. ``username`` is the event's: the
    awards announced carry it as the platform sent it.
    """
    if not designations:
        return AwardResult()
    new = _new_awards(user_id, username, course_key, designations, source)
    try:
        went_in = _insert_rows(new)
    except IntegrityError:  # a foreign key refused the rows: the database path says why
        return _award_reading_database(user_id, course_key, source)
    if went_in == len(new):
        result = AwardResult(created=tuple(new))
    else:
        standing = {credit_id: (award_uuid, status) for award_uuid, credit_id, status in AwardedCredit.objects.filter(
            user_id=user_id, course_key=course_key).values_list("uuid", "credit_id", "status")}
        created = tuple(a for a in new if standing.get(a.credit_id, (None,))[0] == a.uuid)
        created_ids = {a.credit_id for a in created}
        kept = [standing[a.credit_id][1] for a in new if a.credit_id in standing and a.credit_id not in created_ids]
        if not created and len(kept) < len(new):  # rows nobody holds: refused by a foreign key
            return _award_reading_database(user_id, course_key, source)
        revoked = kept.count(AwardStatus.REVOKED)
        result = AwardResult(created=created, already_awarded=len(kept) - revoked, skipped_revoked=revoked)
    announce_awarded(result.created)
    _log_award(result, course_key, user_id)
    return result


def _award_reading_database(user_id, course_key, source):
    """Award with the course's credits and the learner's awards read from the database (two queries)."""
    username, designations = _read_course_for_learner(user_id, course_key)
    if not designations:
        return AwardResult()
    new = _new_awards(user_id, username, course_key, [d for d, status in designations if status is None], source)
    created = ()
    if new:
        created = _insert_awards(new)
        announce_awarded(created)
    revoked = sum(1 for _designation, status in designations if status == AwardStatus.REVOKED)
    result = AwardResult(created=created, already_awarded=len(designations) - len(created) - revoked,
                         skipped_revoked=revoked)
    _log_award(result, course_key, user_id)
    return result


def _new_awards(user_id, username, course_key, designations, source):
    """New awards of ``(credit id, amount, credit name, type name, unit, reference number)`` designations."""
    now = timezone.now()
    return [AwardData(uuid=uuid_module.uuid4(), user_id=user_id, username=username, course_key=course_key,
                      course_name=str(course_key), credit_id=credit_id, credit_name=credit_name,
                      credit_type_name=type_name, unit=unit, amount=amount, reference_number=reference_number,
                      source=source, status=AwardStatus.AWARDED, awarded_at=now)
            for credit_id, amount, credit_name, type_name, unit, reference_number in designations]


def _log_award(result, course_key, user_id):
    logger.info("Awarded %d credit(s) in %s to user %s (%d already held, %d revoked kept).",
                len(result.created), course_key, user_id, result.already_awarded, result.skipped_revoked)


def _read_course_for_learner(user_id, course_key):
    """
    In one query: the learner's username, and for each credit the course awards now
    ``(credit id, amount, credit name, type name, unit, reference number)`` with the status of
    the learner's award of it (None when they have none). CreditsNotFound for an unknown user.
    """
    alias = router.db_for_write(AwardedCredit)
    database, sql = connections[alias], _course_for_learner_sql(alias)
    with database.cursor() as cursor:
        cursor.execute(sql, [str(course_key), str(course_key), user_id])
        rows = cursor.fetchall()
    if not rows:
        raise CreditsNotFound(_("There is no such learner."), field_errors={"username": [_("Unknown user.")]})
    designations = [((credit_id, Decimal(amount_text(amount)), name, type_name, unit, own_reference or reference),
                     status)
                    for _user, credit_id, amount, name, type_name, unit, own_reference, reference, status in rows
                    if credit_id is not None]
    return rows[0][0], designations


@functools.cache
def _course_for_learner_sql(alias):
    quote = connections[alias].ops.quote_name

    def table(model):
        return quote(model._meta.db_table)  # pylint: disable=protected-access

    User = get_user_model()
    user_pk, username = quote(User._meta.pk.column), quote(User._meta.get_field(User.USERNAME_FIELD).column)
    return (f"SELECT u.{username}, d.{quote('credit_id')}, d.{quote('amount')}, c.{quote('name')}, "
            f"t.{quote('name')}, t.{quote('unit')}, d.{quote('reference_number')}, c.{quote('reference_number')}, "
            f"a.{quote('status')} "
            f"FROM {table(User)} u "
            f"LEFT JOIN {table(CourseCredit)} d ON d.{quote('course_key')} = %s "
            f"LEFT JOIN {table(Credit)} c ON c.{quote('id')} = d.{quote('credit_id')} "
            f"LEFT JOIN {table(CreditType)} t ON t.{quote('id')} = c.{quote('credit_type_id')} "
            f"LEFT JOIN {table(AwardedCredit)} a ON a.{quote('user_id')} = u.{user_pk} "
            f"AND a.{quote('course_key')} = %s AND a.{quote('credit_id')} = d.{quote('credit_id')} "
            f"WHERE u.{user_pk} = %s")


def _insert_awards(awards):
    """
    Insert new awards of one learner in one course, made together (same time, source and reason),
    in one statement; returns those that went in (a concurrent award may have won some).

    Values go through their fields' ``get_db_prep_save`` as the ORM would send them; the ones the
    awards share are prepared once, and text and integers need none.
    """
    if _insert_rows(awards) != len(awards):
        went_in = set(AwardedCredit.objects.filter(uuid__in=[a.uuid for a in awards]).values_list("uuid", flat=True))
        awards = [a for a in awards if a.uuid in went_in]
    return tuple(awards)


def _insert_rows(awards):
    """Insert new awards of one learner in one course, made together, in one statement; returns how many went in."""
    alias = router.db_for_write(AwardedCredit)
    insert, connection = _award_insert(alias), connections[alias]
    first = awards[0]
    course_key = insert.field_prep("course_key", connection)(first.course_key)
    awarded_at = insert.field_prep("awarded_at", connection)(first.awarded_at)
    uuid_to_db, amount_to_db = insert.field_prep("uuid", connection), insert.field_prep("amount", connection)
    return insert.run_as_one([(a.user_id, uuid_to_db(a.uuid), course_key, a.credit_id, amount_to_db(a.amount),
                               a.credit_name, a.credit_type_name, a.unit, a.reference_number, a.source, a.status,
                               awarded_at, a.reason) for a in awards], connection)


@functools.cache
def _award_insert(alias):
    """The award insert of a database, built once (its statements too): it is on the award's hot path."""
    return InsertIgnoring(AwardedCredit, AWARD_COLUMNS, using=alias)


def manual_award(course_key, user, *, acting_user, reason, credit_ids=None):
    """
    Award a course's credits by hand, with a reason. Re-awards revoked awards.

    ``credit_ids`` limits it to some of the course's designated credits. Safe to call
    concurrently: a credit someone else awarded a moment before counts as already held.
    """
    course_key = parse_course_key(course_key)
    errors = FieldErrors()
    reason = clean_reason(reason, errors)
    errors.raise_if_any()
    learner = resolve_user(user)
    return retry_on_deadlock(lambda: _manual_award(course_key, learner, acting_user, reason, credit_ids))


@transaction.atomic
def _manual_award(course_key, learner, acting_user, reason, credit_ids):
    designations = CourseCredit.objects.filter(course_key=course_key).select_related("credit__credit_type")
    if credit_ids is not None:
        wanted = {parse_id(i) for i in credit_ids}
        if None in wanted:
            raise CreditsValidationError(_("Choose credits by their ids."),
                                         field_errors={"credits": [_("Choose among the credits this course awards.")]})
        designations = [d for d in designations if d.credit_id in wanted]
        unknown = wanted - {d.credit_id for d in designations}
        if unknown:
            raise CreditsValidationError(
                _("This course does not award the credit(s) {ids}.").format(
                    ids=", ".join(str(i) for i in sorted(unknown, key=str))),
                field_errors={"credits": [_("Choose among the credits this course awards.")]},
            )
    designations = list(designations)
    if not designations:
        raise CreditsValidationError(_("This course awards no credits yet."),
                                     field_errors={"course_id": [_("The course has no credits to award.")]})
    existing = {a.credit_id: a for a in AwardedCredit.objects.select_for_update().filter(
        user=learner, course_key=course_key)}
    now = timezone.now()
    touched = []
    for designation in designations:
        award = existing.get(designation.credit_id)
        if award is not None and award.status == AwardStatus.AWARDED:
            continue
        fresh = snapshot(designation, learner.pk, course_key, source=AwardSource.MANUAL, now=now,
                         awarded_by=acting_user, reason=reason)
        action, details = AwardLogEntry.AWARDED, {}
        if award is not None:  # re-award a revoked one: a fresh snapshot, same public id
            fresh.pk, fresh.uuid = award.pk, award.uuid
            action, details = AwardLogEntry.REAWARDED, award_state(award)
        try:
            with transaction.atomic():
                fresh.save()
        except IntegrityError:  # awarded concurrently a moment ago
            continue
        log_entry(fresh, action, acting_user, reason, now, details)
        touched.append(fresh)
    if not touched:
        raise CreditsConflict(_("The learner already holds every one of these credits."))
    created = tuple(award_data(a, username=learner.username) for a in touched)
    announce_awarded(created)
    return AwardResult(created=created, already_awarded=len(designations) - len(touched))


@transaction.atomic
def revoke_award(award_uuid, *, acting_user, reason):
    """Revoke one award, with a reason. The row stays: it is the record of what happened."""
    errors = FieldErrors()
    reason = clean_reason(reason, errors)
    errors.raise_if_any()
    award = _find_award(award_uuid, lock=True)
    if award.status == AwardStatus.REVOKED:
        raise CreditsConflict(_("This award was already revoked on {date}.").format(
            date=award.revoked_at.date().isoformat() if award.revoked_at else "?"))
    before = award_state(award)
    award.status = AwardStatus.REVOKED
    award.revoked_at = timezone.now()
    award.revoked_by = acting_user if getattr(acting_user, "pk", None) else None
    award.reason = reason
    award.save(update_fields=["status", "revoked_at", "revoked_by", "reason"])
    log_entry(award, AwardLogEntry.REVOKED, award.revoked_by, reason, award.revoked_at, before)
    data = award_data(award, platform.get_course_names([award.course_key]))
    announce_revoked(data)
    return data


def award_state(award):
    """The values of an award that a manual change overwrites, for its log."""
    return {
        "status": award.status, "source": award.source, "amount": f"{award.amount:.2f}",
        "awarded_at": award.awarded_at.isoformat() if award.awarded_at else None,
        "revoked_at": award.revoked_at.isoformat() if award.revoked_at else None,
        "reason": award.reason, "reference_number": award.reference_number,
    }


def log_entry(award, action, acting_user, reason, at, details=None):
    AwardLogEntry.objects.create(
        award=award, action=action, at=at, reason=reason, details=details or {},
        acting_user=acting_user if getattr(acting_user, "pk", None) else None,
    )


def get_award_log(award_uuid):
    """The manual changes of one award, oldest first, as plain dicts (action, at, by, reason, before)."""
    award = _find_award(award_uuid)
    return [
        {"action": entry.action, "at": entry.at, "by": entry.acting_user.username if entry.acting_user else "",
         "reason": entry.reason, "before": dict(entry.details)}
        for entry in award.log.select_related("acting_user")
    ]


def _find_award(award_uuid, *, lock=False):
    """The award with this public id; the same CreditsNotFound for a malformed or unknown id."""
    try:
        parsed = uuid_module.UUID(str(award_uuid))
    except (TypeError, ValueError, AttributeError):
        parsed = uuid_module.uuid4()  # same query, same answer: no telling malformed from unknown ids
    queryset = AwardedCredit.objects.select_related("user", "awarded_by", "revoked_by")
    if lock:
        queryset = queryset.select_for_update()
    award = queryset.filter(uuid=parsed).first()
    if award is None:
        raise CreditsNotFound(_("There is no such award."))
    return award


def get_award(award_uuid):
    """One award by its public id; CreditsNotFound for any other id."""
    award = _find_award(award_uuid)
    return award_data(award, platform.get_course_names([award.course_key]))


def get_public_award(award_uuid):
    """
    What anyone may verify of one award: the learner's display name (never username or email),
    who issued it (the site and the course's organization) and the learner's certificate, if any.
    """
    award = _find_award(award_uuid)
    data = award_data(award, platform.get_course_names([award.course_key]))
    return PublicAwardData(
        uuid=data.uuid, learner_name=platform.get_learner_name(award.user), course_key=data.course_key,
        course_name=data.course_name, credit_name=data.credit_name, credit_type_name=data.credit_type_name,
        amount=data.amount, unit=data.unit, reference_number=data.reference_number, status=data.status,
        awarded_at=data.awarded_at, revoked_at=data.revoked_at,
        issuer=IssuerData(**platform.get_issuer(award.course_key)),
        certificate_url=get_certificate_urls(award.user, [award.course_key]).get(str(award.course_key), ""),
    )


def get_certificate_urls(user, course_keys):
    """
    ``{str(course_key): url}`` of the learner's certificates that can be viewed, for these courses.
    A link is an extra: should the platform fail to answer, it is logged and the page goes on without.
    """
    try:
        return platform.get_certificate_urls(user, course_keys)
    except Exception:  # pylint: disable=broad-except
        logger.warning("Could not read the certificates of user %s; no certificate link shown.",
                       getattr(user, "pk", user), exc_info=True)
        return {}
