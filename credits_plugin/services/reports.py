"""What learners have earned: a learner's summary and a course's awards report."""
import datetime
from decimal import Decimal
from typing import NamedTuple

from django.db import connections
from django.db.models import Count, Max, Q, Sum, Window
from django.utils import timezone
from django.utils.translation import gettext as _

from credits_plugin import platform
from credits_plugin.constants import AwardStatus
from credits_plugin.data import CreditTotalData, LearnerSummaryData, TypeTotalData
from credits_plugin.exceptions import CreditsValidationError
from credits_plugin.models import AwardedCredit, Credit
from credits_plugin.services.awards import resolve_user
from credits_plugin.services.convert import (
    EXTERNAL_VALUE_FIELDS,
    CourseKeys,
    ReportCells,
    amount_text,
    award_data_from_values,
    award_values,
)
from credits_plugin.services.course_cache import DIRECTORY_KEY, read_through
from credits_plugin.validation import parse_course_key

REPORT_CHUNK_SIZE = 5000
# A day: the key changes with the structure anyway; the timeout only frees memory.
DIRECTORY_CACHE_SECONDS = 24 * 60 * 60


def _parse_date(value, field):
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise CreditsValidationError(  # pylint: disable=raise-missing-from
            _("'{value}' is not a date (use YYYY-MM-DD).").format(value=value),
            field_errors={field: [_("Use a date such as 2026-01-31.")]},
        )


def date_range_filter(start, end):
    """A Q on ``awarded_at`` for an inclusive date range; validated."""
    start, end = _parse_date(start, "from"), _parse_date(end, "to")
    if start and end and start > end:
        raise CreditsValidationError(_("The start date is after the end date."),
                                     field_errors={"from": [_("Choose a start on or before the end.")]})
    query = Q()
    if start:
        query &= Q(awarded_at__date__gte=start)
    if end:
        query &= Q(awarded_at__date__lte=end)
    return query


def get_learner_summary(user, start=None, end=None, *, with_awards=True):
    """
    A learner's totals and (unless ``with_awards`` is False) every award, all statuses, newest first.

    Totals count awards that stand (not revoked), per credit type and unit (an award keeps
    the unit it was earned in, so a type whose unit changed shows one line per unit), and
    per credit, under the type's and credit's current names (from a cached directory).
    Queries, whatever the number of awards: two with the awards (the rows, then course names;
    totals are added up from the rows), one without (the database adds up); one more while the
    credit directory is cold, and one to find the learner when given an id or a username.
    """
    learner = resolve_user(user)
    dates = date_range_filter(start, end)
    awards = ()
    if with_awards:
        awards, external_types = _learner_awards(AwardedCredit.objects.filter(dates, user_id=learner.pk))
        sums = _add_up(awards, external_types)
    else:
        sums = _sums_per_credit(learner.pk, dates)
    directory = credit_directory() if sums else {}
    if any(credit_id not in directory for credit_id, _type, _name, _unit, _total in sums if credit_id):
        directory = credit_directory(fresh=True)
    types = {entry.type_id: entry for entry in directory.values()}
    type_totals, per_credit = {}, []
    for credit_id, external_type, type_snapshot, unit, amount in sums:
        if credit_id is None:  # earned elsewhere: counted under its type, in a line of its own
            entry = types.get(external_type)
            type_id, type_name = external_type, entry.type_name if entry else type_snapshot
            credit_name, credit_translations = _("Earned elsewhere"), {}
        else:
            entry = directory[credit_id]
            credit_name, type_id, type_name, credit_translations = (entry.name, entry.type_id, entry.type_name,
                                                                    entry.translations)
        names = _total_translations(entry, unit)
        key = (type_id, unit)
        type_totals[key] = (type_name, names, type_totals.get(key, (None, None, Decimal("0")))[2] + amount)
        per_credit.append(CreditTotalData(
            credit_id=credit_id, credit_name=credit_name, credit_type=type_name, unit=unit, amount=amount,
            translations=_merge(names, {language: {"credit_name": values["name"]}
                                        for language, values in credit_translations.items() if values.get("name")})))
    totals = sorted(
        (TypeTotalData(credit_type_id=type_id, credit_type=name, unit=unit, amount=amount, translations=names)
         for (type_id, unit), (name, names, amount) in type_totals.items()),
        key=lambda t: (t.display_credit_type.lower(), t.display_unit),
    )
    per_credit.sort(key=lambda t: (t.display_credit_type.lower(), t.display_credit_name.lower(), t.display_unit))
    return LearnerSummaryData(user_id=learner.pk, username=learner.username, totals=tuple(totals),
                              credit_totals=tuple(per_credit), awards=awards)


def _total_translations(entry, unit):
    """
    A total's names in other languages: its type's current names (totals are named as the directory
    names them), and the unit's translation only where the total's unit is the type's unit today.
    """
    if entry is None:
        return {}
    names = {}
    for language, values in entry.type_translations.items():
        found = {"credit_type": values.get("name"), "unit": values.get("unit") if unit == entry.unit else None}
        found = {key: value for key, value in found.items() if value}
        if found:
            names[language] = found
    return names


def _merge(first, second):
    """Two {language: {field: text}} joined language by language."""
    merged = {language: dict(values) for language, values in first.items()}
    for language, values in second.items():
        merged.setdefault(language, {}).update(values)
    return merged


def _add_up(awards, external_types):
    """
    ``(credit id, external type id, type name, unit, total)`` of the awards that stand, when they are
    read already: a course's credits by credit id; credits earned elsewhere (no credit id) by type.
    """
    sums, names = {}, {}
    for award in awards:
        if award.status == AwardStatus.AWARDED:
            key = (award.credit_id, external_types.get(award.uuid), award.unit)
            sums[key] = sums.get(key, Decimal("0")) + award.amount
            names[key] = award.credit_type_name
    return [(credit_id, type_id, names[credit_id, type_id, unit], unit, total)
            for (credit_id, type_id, unit), total in sums.items()]


def _sums_per_credit(user_id, dates):
    """The same sums as ``_add_up`` of a learner's standing awards awarded within ``dates``, in one query."""
    rows = (AwardedCredit.objects.filter(dates, user_id=user_id, status=AwardStatus.AWARDED).order_by()
            .values_list("credit_id", "external_credit__credit_type_id", "unit")
            .annotate(total=Sum("amount"), type_name=Max("credit_type_name")))
    return [(credit_id, type_id, type_name, unit, Decimal(amount_text(total)))
            for credit_id, type_id, unit, total, type_name in rows]


class DirectoryEntry(NamedTuple):
    """A credit as totals name it: its and its type's names now, in every language."""

    name: str
    type_id: int
    type_name: str
    unit: str  # the type's unit now
    translations: dict  # the credit's
    type_translations: dict


def credit_directory(fresh=False):
    """
    ``{credit id: DirectoryEntry}`` of every credit, archived ones included.

    Kept in the shared cache and forgotten when any type or credit changes (``course_cache``),
    so totals name credits without joining two tables for each award. ``fresh`` reads the database.
    """
    if fresh:
        return _read_credit_directory()
    return read_through(DIRECTORY_KEY, _read_credit_directory, DIRECTORY_CACHE_SECONDS)


def _read_credit_directory():
    return {credit_id: DirectoryEntry(name, type_id, type_name, unit, translations or {}, type_translations or {})
            for credit_id, name, type_id, type_name, unit, translations, type_translations in
            Credit.objects.order_by().values_list("id", "name", "credit_type_id", "credit_type__name",
                                                  "credit_type__unit", "translations", "credit_type__translations")}


def _learner_awards(queryset):
    rows = list(award_values(queryset.order_by("-awarded_at", "id"), *EXTERNAL_VALUE_FIELDS))
    keys = CourseKeys()
    names = platform.get_course_names([keys[course_id] for course_id in {row["course_id"] for row in rows}
                                       if course_id])
    awards = tuple(award_data_from_values(row, names, keys) for row in rows)
    return awards, {award.uuid: row["external_credit__credit_type_id"] for award, row in zip(awards, rows, strict=True)
                    if award.is_external}


def _course_awards(course_key, status, search, start, end):
    course_key, queryset = _course_award_rows(course_key, status, search, start, end)
    return course_key, award_values(queryset.order_by("id"))


def _course_award_rows(course_key, status, search, start, end):
    course_key = parse_course_key(course_key)
    queryset = AwardedCredit.objects.filter(date_range_filter(start, end), course_key=course_key)
    if status:
        if status not in AwardStatus.values:
            raise CreditsValidationError(_("Unknown status '{status}'.").format(status=status),
                                         field_errors={"status": [_("Use awarded or revoked.")]})
        queryset = queryset.filter(status=status)
    if search:
        queryset = queryset.filter(user__username__istartswith=str(search).strip())
    return course_key, queryset


def list_learner_awards(user, status=None):
    """
    Every award of a learner (or only those with ``status``), newest first: one query.

    ``course_name`` of the results is the course id (no name look-up): for pages that know
    their courses already, such as the learner dashboard.
    """
    user_id = user if isinstance(user, int) and not isinstance(user, bool) else resolve_user(user).pk
    queryset = AwardedCredit.objects.filter(user_id=user_id)
    if status:
        queryset = queryset.filter(status=status)
    keys = CourseKeys()
    return tuple(award_data_from_values(row, {}, keys)
                 for row in award_values(queryset.order_by("-awarded_at", "id"), *EXTERNAL_VALUE_FIELDS))


def get_learner_course_awards(user, course_key):
    """
    A learner's awards in one course (every status), oldest first: one query.

    ``course_name`` of the results is the course id (no name look-up: the XBlock and
    per-course pages know the course already).
    """
    course_key = parse_course_key(course_key)
    user_id = user if isinstance(user, int) and not isinstance(user, bool) else resolve_user(user).pk
    rows = award_values(AwardedCredit.objects.filter(user_id=user_id, course_key=course_key)
                        .order_by("awarded_at", "id"))
    keys = CourseKeys({str(course_key): course_key})
    return tuple(award_data_from_values(row, {}, keys) for row in rows)


def iter_course_awards(course_key, *, status=None, search=None, start=None, end=None,
                       chunk_size=REPORT_CHUNK_SIZE):
    """
    Stream a course's awards as AwardData, oldest first, in bounded memory.

    Arguments are checked at once (a bad one raises here); rows are read as they are consumed.
    ``search`` matches the start of a username; ``status`` is "awarded" or "revoked".
    """
    course_key, rows = _course_awards(course_key, status, search, start, end)
    names, keys = platform.get_course_names([course_key]), CourseKeys({str(course_key): course_key})
    return (award_data_from_values(row, names, keys) for row in rows.iterator(chunk_size=chunk_size))


def iter_course_report_rows(course_key, *, status=None, search=None, start=None, end=None,
                            chunk_size=REPORT_CHUNK_SIZE):
    """
    Stream a course's awards as rows of text, oldest first: ``AWARD_REPORT_COLUMNS`` in order,
    each value written as the API's JSON writes it (see ``convert.ReportCells``).

    For the CSV download of courses with a hundred thousand awards: rows are read straight from
    the database cursor, a chunk per query (keyset on the id, so memory stays flat on every
    database, MySQL included, whose driver would otherwise hold the whole result), and turned
    into text without model instances or Django's value converters, which cost more than the
    read itself. Arguments are checked at once; rows are read as they are consumed.
    """
    course_key, queryset = _course_award_rows(course_key, status, search, start, end)
    course_name = platform.get_course_names([course_key]).get(str(course_key)) or str(course_key)
    cells = ReportCells(course_id=str(course_key), course_name=course_name)
    zone = timezone.get_current_timezone()
    return (cells.row(raw) for raw in _keyset_chunks(queryset, cells.FIELDS, chunk_size, zone))


def _keyset_chunks(queryset, fields, chunk_size, zone):
    """
    Raw rows of ``queryset.values_list(*fields)`` (``fields[0]`` is the id), by id, a query per chunk.

    Each chunk's SQL is built in ``zone``, the time zone of the call: a streamed response reads
    its rows after the view returned, and date filters depend on the current time zone.
    """
    database = connections[queryset.db]
    last_id = 0
    while True:
        chunk = queryset.filter(id__gt=last_id).order_by("id").values_list(*fields)[:chunk_size]
        with timezone.override(zone):
            sql, params = chunk.query.get_compiler(using=queryset.db).as_sql()
        with database.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        yield from rows
        if len(rows) < chunk_size:
            return
        last_id = rows[-1][0]


def page_course_awards(course_key, *, offset=0, limit=50, status=None, search=None, start=None, end=None,
                       course_names=True):
    """
    One page of a course's awards: ``(total, awards)``.

    One query reads the page and the total together (a window count); a second looks up
    the course's name unless ``course_names`` is False (``course_name`` is then the id).
    A page past the end costs one more query, to count.
    """
    course_key, rows = _course_awards(course_key, status, search, start, end)
    page = list(rows.annotate(total_rows=Window(Count("id")))[offset:offset + limit])
    total = page[0]["total_rows"] if page else (rows.count() if offset else 0)
    names = platform.get_course_names([course_key]) if page and course_names else {}
    keys = CourseKeys({str(course_key): course_key})
    return total, tuple(award_data_from_values(row, names, keys) for row in page)


def count_course_awards(course_key, status=AwardStatus.AWARDED):
    """How many awards of a course stand (or have the given status)."""
    return AwardedCredit.objects.filter(course_key=parse_course_key(course_key), status=status).count()
