"""What learners have earned: a learner's summary and a course's awards report."""
import datetime
from collections import OrderedDict
from decimal import Decimal

from django.db.models import Count, Q, Window
from django.utils.translation import gettext as _

from credits_plugin import platform
from credits_plugin.constants import AwardStatus
from credits_plugin.data import CreditTotalData, LearnerSummaryData, TypeTotalData
from credits_plugin.exceptions import CreditsValidationError
from credits_plugin.models import AwardedCredit
from credits_plugin.services.awards import resolve_user
from credits_plugin.services.convert import CourseKeys, award_data_from_values, award_values
from credits_plugin.validation import parse_course_key

REPORT_CHUNK_SIZE = 2000


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


def get_learner_summary(user, start=None, end=None):
    """
    A learner's awards (all statuses, newest first) and their totals.

    Totals count awards that stand (not revoked), per credit type and unit (an award keeps
    the unit it was earned in, so a type whose unit changed shows one line per unit), and
    per credit. Two queries whatever the number of awards: the awards, then course names.
    """
    learner = resolve_user(user)
    rows = list(award_values(AwardedCredit.objects.filter(date_range_filter(start, end), user_id=learner.pk),
                             "credit__credit_type_id", "credit__credit_type__name").order_by("-awarded_at", "id"))
    keys = CourseKeys()
    names = platform.get_course_names([keys[course_id] for course_id in {row["course_id"] for row in rows}])
    type_totals, credit_totals, awards = OrderedDict(), OrderedDict(), []
    for row in rows:
        awards.append(award_data_from_values(row, names, keys))
        if row["status"] != AwardStatus.AWARDED:
            continue
        type_key = (row["credit__credit_type_id"], row["unit"])
        type_totals[type_key] = type_totals.get(type_key, Decimal("0")) + row["amount"]
        credit_key = (row["credit_id"], row["unit"])
        previous = credit_totals.get(credit_key)
        credit_totals[credit_key] = (row, (previous[1] if previous else Decimal("0")) + row["amount"])
    type_names = {row["credit__credit_type_id"]: row["credit__credit_type__name"] for row in rows}
    totals = sorted(
        (TypeTotalData(credit_type_id=type_id, credit_type=type_names[type_id], unit=unit, amount=amount)
         for (type_id, unit), amount in type_totals.items()),
        key=lambda t: (t.credit_type.lower(), t.unit),
    )
    per_credit = sorted(
        (CreditTotalData(credit_id=credit_id, credit_name=row["credit_name"], credit_type=row["credit_type_name"],
                         unit=unit, amount=amount)
         for (credit_id, unit), (row, amount) in credit_totals.items()),
        key=lambda t: (t.credit_type.lower(), t.credit_name.lower(), t.unit),
    )
    return LearnerSummaryData(user_id=learner.pk, username=learner.username, totals=tuple(totals),
                              credit_totals=tuple(per_credit), awards=tuple(awards))


def _course_awards(course_key, status, search, start, end):
    course_key = parse_course_key(course_key)
    queryset = AwardedCredit.objects.filter(date_range_filter(start, end), course_key=course_key)
    if status:
        if status not in AwardStatus.values:
            raise CreditsValidationError(_("Unknown status '{status}'.").format(status=status),
                                         field_errors={"status": [_("Use awarded or revoked.")]})
        queryset = queryset.filter(status=status)
    if search:
        queryset = queryset.filter(user__username__istartswith=str(search).strip())
    return course_key, award_values(queryset.order_by("id"))


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
                 for row in award_values(queryset.order_by("-awarded_at", "id")))


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
