"""
The periods of a continuing-education requirement, as calendar days in the site's time zone.

Pure functions of dates (no database): a period is ``(start, end)``, both days included. A
calendar year runs January 1 to December 31; a fixed cycle of N months runs from its anchor
(a shared start date or the learner's licence date) plus k times N months, each boundary
counted from the anchor itself (an anchor on February 29 gives February 28 in other years,
and February 29 again in leap years, without drifting); a rolling window of N months ends on
the day asked about and starts the day after the same day N months before.
"""
import calendar
import datetime

from credits_plugin.constants import PeriodKind, PeriodUnit

ONE_DAY = datetime.timedelta(days=1)


def add_months(day, months):
    """``day`` moved by ``months`` (negative: back), on the same day of the month or the month's last."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return datetime.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def length_in_months(length, unit):
    return length * 12 if unit == PeriodUnit.YEARS else length


class Periods:
    """The periods of one requirement for one learner: ``anchor`` is their cycle's start (fixed cycles)."""

    def __init__(self, kind, months=None, anchor=None):
        self.kind = kind
        self.months = months
        self.anchor = anchor

    @property
    def has_past_periods(self):
        """Rolling windows have no periods of their own to look back on, nor anything to carry over."""
        return self.kind != PeriodKind.ROLLING

    def index_of(self, day):
        """
        The number of the period holding ``day`` (calendar years: the year; fixed cycles: 0 for
        the first cycle, negative before it). Rolling windows have one period: 0.
        """
        if self.kind == PeriodKind.CALENDAR_YEAR:
            return day.year
        if self.kind == PeriodKind.ROLLING:
            return 0
        elapsed = (day.year - self.anchor.year) * 12 + day.month - self.anchor.month
        if add_months(self.anchor, elapsed) > day:
            elapsed -= 1
        return elapsed // self.months

    def bounds(self, index, today=None):
        """``(start, end)`` of period ``index``; for a rolling window, the one ending ``today``."""
        if self.kind == PeriodKind.CALENDAR_YEAR:
            return datetime.date(index, 1, 1), datetime.date(index, 12, 31)
        if self.kind == PeriodKind.ROLLING:
            return add_months(today, -self.months) + ONE_DAY, today
        start = add_months(self.anchor, index * self.months)
        return start, add_months(self.anchor, (index + 1) * self.months) - ONE_DAY

    def current(self, today):
        """The index of the period a learner is in on ``today``: a cycle not started yet is its first."""
        index = self.index_of(today)
        if self.kind == PeriodKind.FIXED_CYCLE:
            return max(index, 0)
        return index
