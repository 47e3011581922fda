"""Awarding credits to learners, by hand and automatically, and revoking them."""
import functools
import logging
import uuid as uuid_module

from django.contrib.auth import get_user_model
from django.db import IntegrityError, connections, router, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from credits_plugin import platform
from credits_plugin.constants import ApprovalStatus, AwardSource, AwardStatus
from credits_plugin.data import AwardData, AwardResult, AwardSnapshot, IssuerData, PublicAwardData
from credits_plugin.exceptions import CreditsConflict, CreditsNotFound, CreditsValidationError
from credits_plugin.models import AwardedCredit, AwardLogEntry, CourseCredit, CourseCreditSettings, Credit, CreditType
from credits_plugin.services.approval import award_day, awardable_q, in_window
from credits_plugin.services.convert import award_data
from credits_plugin.services.credentials import forget_award_status
from credits_plugin.services.db import InsertIgnoring, retry_on_deadlock
from credits_plugin.services.notify import announce_awarded, announce_revoked
from credits_plugin.validation import FieldErrors, clean_reason, parse_course_key, parse_id, parse_public_id

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
    """A new award row carrying the designation's ``AwardSnapshot`` as it is now."""
    return AwardedCredit(
        user_id=user_id, course_key=course_key, uuid=uuid_module.uuid4(), **AwardSnapshot.of(designation).as_fields(),
        source=source, status=AwardStatus.AWARDED, awarded_at=now, reason=reason, awarded_by=awarded_by,
    )


def award_course_credits(user, course_key, source=AwardSource.PASSING, *, trigger=None):
    """
    Award every credit the course designates to ``user`` (a user or a user id). Idempotent.

    With ``trigger``, only if the course's credits are on and it awards on that trigger (what the
    event task asks). Calling it again, or from several workers at once, leaves one award per
    credit: the database's unique constraint decides (an insert that skips clashing rows), and
    rows lost to a concurrent insert are not reported as created. Revoked awards are not brought
    back automatically. To stay cheap on this hot path it does not look up course names
    (``course_name`` of the results is the course id).

    At most three queries whatever the number of credits: one read of the course's credits with
    the learner's username and awards of them; when some are missing, the insert; and only when a
    concurrent award won some rows, one read of which went in.
    """
    course_key = parse_course_key(course_key)
    user_id = user if isinstance(user, int) else user.pk
    username, designations = _read_course_for_learner(user_id, course_key, trigger)
    if not designations:
        return AwardResult()
    new = _new_awards(user_id, username, course_key, [d for d, status in designations if status is None], source)
    created = ()
    if new:
        created = insert_awards(new)
        announce_awarded(created)
    revoked = sum(1 for _designation, status in designations if status == AwardStatus.REVOKED)
    result = AwardResult(created=created, already_awarded=len(designations) - len(created) - revoked,
                         skipped_revoked=revoked)
    logger.info("Awarded %d credit(s) in %s to user %s (%d already held, %d revoked kept).",
                len(result.created), course_key, user_id, result.already_awarded, result.skipped_revoked)
    return result


def _new_awards(user_id, username, course_key, snapshots, source):
    """New awards of these ``AwardSnapshot``s, made together."""
    now = timezone.now()
    return [AwardData(uuid=uuid_module.uuid4(), user_id=user_id, username=username, course_key=course_key,
                      course_name=str(course_key), **terms.as_fields(), source=source, status=AwardStatus.AWARDED,
                      awarded_at=now)
            for terms in snapshots]


def _read_course_for_learner(user_id, course_key, trigger=None):
    """
    In one query: the learner's username, and for each credit the course awards today (approved,
    today inside the approval's window) its ``AwardSnapshot`` with the status of the learner's
    award of it (None when they have none).
    With ``trigger``, nothing unless the course's credits are on and it awards on ``trigger``.
    CreditsNotFound for an unknown user when the course has credits to award.

    Hand-written: the ORM's form of this read (three subqueries) cost 1.4 ms of Python per award
    to build, twice the rest of the award task (docs/performance.md, "Hand-written SQL").
    """
    alias = router.db_for_read(CourseCredit)
    today = connections[alias].ops.adapt_datefield_value(award_day(None))
    params = [str(course_key), ApprovalStatus.APPROVED.value, today, today, str(course_key), user_id]
    if trigger is not None:
        params = [str(course_key), str(trigger), *params]
    with connections[alias].cursor() as cursor:
        cursor.execute(_course_for_learner_sql(alias, trigger is not None), params)
        rows = cursor.fetchall()
    if not rows or rows[0][1] is None:  # the course does not award (on this trigger), or awards nothing
        if not rows and trigger is None:
            raise CreditsNotFound(_("There is no such learner."), field_errors={"username": [_("Unknown user.")]})
        return None, []
    return rows[0][0], [(AwardSnapshot.from_values(*row[1:10]), row[10]) for row in rows]


@functools.cache
def _course_for_learner_sql(alias, with_trigger):
    """The read of ``_read_course_for_learner``, built once per database and form."""
    quote = connections[alias].ops.quote_name

    def table(model):
        return quote(model._meta.db_table)  # pylint: disable=protected-access

    User = get_user_model()
    user_pk, username = quote(User._meta.pk.column), quote(User._meta.get_field(User.USERNAME_FIELD).column)
    awarding = (f"JOIN {table(CourseCreditSettings)} s ON s.{quote('course_key')} = %s AND s.{quote('enabled')} "
                f"AND s.{quote('award_trigger')} = %s " if with_trigger else "")
    return (f"SELECT u.{username}, d.{quote('credit_id')}, d.{quote('amount')}, c.{quote('name')}, "
            f"t.{quote('name')}, t.{quote('unit')}, d.{quote('reference_number')}, c.{quote('reference_number')}, "
            f"c.{quote('translations')}, t.{quote('translations')}, a.{quote('status')} "
            f"FROM {table(User)} u {awarding}"
            f"LEFT JOIN {table(CourseCredit)} d ON d.{quote('course_key')} = %s "
            f"AND d.{quote('approval_status')} = %s "
            f"AND (d.{quote('valid_from')} IS NULL OR d.{quote('valid_from')} <= %s) "
            f"AND (d.{quote('valid_until')} IS NULL OR d.{quote('valid_until')} >= %s) "
            f"LEFT JOIN {table(Credit)} c ON c.{quote('id')} = d.{quote('credit_id')} "
            f"LEFT JOIN {table(CreditType)} t ON t.{quote('id')} = c.{quote('credit_type_id')} "
            f"LEFT JOIN {table(AwardedCredit)} a ON a.{quote('user_id')} = u.{user_pk} "
            f"AND a.{quote('course_key')} = %s AND a.{quote('credit_id')} = d.{quote('credit_id')} "
            f"WHERE u.{user_pk} = %s ORDER BY d.{quote('credit_id')}")


def insert_awards(awards):
    """
    Insert new awards (``AwardData``) in one statement (per 500) that skips rows clashing with an
    award made meanwhile; returns those that went in. The statement's row count says whether
    all did; only when not does one more query say which.

    Hand-written (``InsertIgnoring``) because ``bulk_create(ignore_conflicts=True)`` reports no
    row count and wraps its one statement in BEGIN and COMMIT: five round trips for the
    commonest award instead of two (docs/performance.md).
    """
    alias = router.db_for_write(AwardedCredit)
    insert = _award_insert(alias)
    preps = [(insert.field_prep(name), ATTRIBUTES.get(name, name)) for name in AWARD_COLUMNS]
    rows = [tuple(prep(getattr(a, attribute)) for prep, attribute in preps) for a in awards]
    # Awards of one credit at once can deadlock on MySQL (each holds a shared lock on the row the
    # other inserts); the statement is run again, and a row that went in before counts as clashing.
    if retry_on_deadlock(lambda: insert.run_as_one(rows), using=alias) == len(awards):
        return tuple(awards)
    went_in = set(AwardedCredit.objects.filter(uuid__in=[a.uuid for a in awards]).values_list("uuid", flat=True))
    return tuple(a for a in awards if a.uuid in went_in)


# The columns an award's insert writes (the others keep their defaults: NULL, "").
AWARD_COLUMNS = ("user", "uuid", "course_key", "credit", "amount", "credit_name", "credit_type_name", "unit",
                 "reference_number", "source", "status", "awarded_at", "reason", "translations")
ATTRIBUTES = {"user": "user_id", "credit": "credit_id"}  # AwardData's names of the foreign keys


@functools.cache
def _award_insert(alias):
    """The award insert of a database, built once: it is on the award's hot path."""
    return InsertIgnoring(AwardedCredit, AWARD_COLUMNS, using=alias)


def manual_award(course_key, user, *, acting_user, reason, credit_ids=None):
    """
    Award a course's credits by hand, with a reason. Re-awards revoked awards. Nobody awards
    themselves: the award records who gave it (``awarded_by``), and it must be someone else.

    ``credit_ids`` limits it to some of the course's designated credits. Safe to call
    concurrently: a credit someone else awarded a moment before counts as already held.
    """
    course_key = parse_course_key(course_key)
    errors = FieldErrors()
    reason = clean_reason(reason, errors)
    errors.raise_if_any()
    learner = resolve_user(user)
    if getattr(acting_user, "pk", None) is not None and acting_user.pk == learner.pk:
        raise CreditsValidationError(
            _("You cannot award credits to yourself: ask another member of the course staff."),
            field_errors={"username": [_("Choose a learner other than yourself.")]})
    return retry_on_deadlock(lambda: _manual_award(course_key, learner, acting_user, reason, credit_ids),
                             using=router.db_for_write(AwardedCredit))


@transaction.atomic
def _manual_award(course_key, learner, acting_user, reason, credit_ids):
    designations = (CourseCredit.objects.filter(awardable_q(award_day(None)), course_key=course_key)
                    .select_related("credit__credit_type"))
    if credit_ids is not None:
        wanted = {parse_id(i) for i in credit_ids}
        if None in wanted:
            raise CreditsValidationError(_("Choose credits by their ids."),
                                         field_errors={"credits": [_("Choose among the credits this course awards.")]})
        designations = [d for d in designations if d.credit_id in wanted]
        unknown = wanted - {d.credit_id for d in designations}
        if unknown:
            raise CreditsValidationError(
                _("This course does not award the credit(s) {ids} today (not approved, or outside the "
                  "approval's dates).").format(
                    ids=", ".join(str(i) for i in sorted(unknown, key=str))),
                field_errors={"credits": [_("Choose among the credits this course awards.")]},
            )
    designations = list(designations)
    if not designations:
        raise CreditsValidationError(_("This course awards no credits today: none is chosen, approved, or inside "
                                       "its approval's dates."),
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
    forget_award_status([award.pk])  # its credential's bit is set: the published list must say so
    data = award_data(award, _course_names(award))
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
    parsed = parse_public_id(award_uuid)
    queryset = AwardedCredit.objects.select_related("user", "awarded_by", "revoked_by")
    if lock:
        queryset = queryset.select_for_update()
    award = queryset.filter(uuid=parsed).first()
    if award is None:
        raise CreditsNotFound(_("There is no such award."))
    return award


def _course_names(award):
    """The award's course name, looked up on the platform; none to look up for a credit earned elsewhere."""
    return platform.get_course_names([award.course_key]) if award.course_key is not None else {}


def get_award(award_uuid):
    """One award by its public id; CreditsNotFound for any other id."""
    award = _find_award(award_uuid)
    return award_data(award, _course_names(award))


def get_public_award(award_uuid):
    """
    What anyone may verify of one award: the learner's display name (never username or email),
    who issued it (the site and the course's organization) and the learner's certificate, if any.
    """
    award = _find_award(award_uuid)
    if award.course_key is None:
        return _public_external_award(award)
    data = award_data(award, platform.get_course_names([award.course_key]))
    approval = (CourseCredit.objects.filter(course_key=award.course_key, credit_id=award.credit_id,
                                            credit__credit_type__requires_approval=True,
                                            approval_status=ApprovalStatus.APPROVED)
                .values("valid_from", "valid_until").first() or {})
    if not in_window(approval.get("valid_from"), approval.get("valid_until"), award.awarded_at):
        approval = {}  # approved since for other dates: they are not the ones this award was made under
    return PublicAwardData(
        uuid=data.uuid, learner_name=platform.get_learner_name(award.user), course_key=data.course_key,
        course_name=data.course_name, credit_name=data.credit_name, credit_type_name=data.credit_type_name,
        amount=data.amount, unit=data.unit, reference_number=data.reference_number, status=data.status,
        awarded_at=data.awarded_at, revoked_at=data.revoked_at,
        issuer=IssuerData(**platform.get_issuer(award.course_key)),
        certificate_url=get_certificate_urls(award.user, [award.course_key]).get(str(award.course_key), ""),
        source=award.source, source_label=str(SOURCE_LABELS.get(award.source, award.source)),
        approved_from=approval.get("valid_from"), approved_until=approval.get("valid_until"),
        translations=data.translations,
    )


def _public_external_award(award):
    """The record of a credit earned elsewhere: the site that approved it; where it was earned as the course."""
    data = award_data(award)
    site = platform.get_issuer(None)
    return PublicAwardData(
        uuid=data.uuid, learner_name=platform.get_learner_name(award.user), course_key=None,
        course_name=data.provider, credit_name=data.credit_name, credit_type_name=data.credit_type_name,
        amount=data.amount, unit=data.unit, reference_number=data.reference_number, status=data.status,
        awarded_at=data.awarded_at, revoked_at=data.revoked_at,
        issuer=IssuerData(name=site["name"], url=site["url"], organization=data.provider),
        certificate_url="", source=award.source, source_label=str(SOURCE_LABELS[AwardSource.EXTERNAL]),
        translations=data.translations,
    )


# How an award was made, as the public record says it.
SOURCE_LABELS = {
    AwardSource.PASSING: gettext_lazy("Automatically, when the learner passed the course"),
    AwardSource.CERTIFICATE: gettext_lazy("Automatically, when the learner's certificate was issued"),
    AwardSource.BACKFILL: gettext_lazy("Automatically, after the fact, to a learner who had passed the course"),
    AwardSource.MANUAL: gettext_lazy("By hand, by a member of the course staff, with a recorded reason"),
    AwardSource.EXTERNAL: gettext_lazy("Earned elsewhere; the learner's evidence was reviewed and approved"),
}


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
