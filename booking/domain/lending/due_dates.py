"""When a loan falls due: the loan period counted from the day of lending, moved forward to the
site's next open day when it lands on a day the site is closed (a weekday it does not open, a
Swedish public holiday or eve, or a closed day the municipality entered).

Example (the rule people check): lent 2027-03-12 for 14 days -> 2027-03-26, långfredagen. A site
open every weekday is closed on långfredagen, then comes a weekend with påskdagen, then annandag
påsk: the loan falls due on Tuesday 2027-03-30.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, time, timedelta

from booking.domain.shared.errors import ValidationError

ALL_WEEK = frozenset(range(7))
WEEKDAYS = frozenset(range(5))
# A site that is closed a whole year ahead has no due date to offer.
LOOK_AHEAD_DAYS = 366
MAX_LOAN_PERIOD_DAYS = 365


@dataclass(frozen=True, slots=True)
class OpenDays:
    """The days a lending site is open: weekdays (0 = Monday) minus the closed dates."""

    weekdays: frozenset[int] = ALL_WEEK
    closed: Mapping[date, str] | Collection[date] = ()

    def is_open(self, day: date) -> bool:
        return day.weekday() in self.weekdays and day not in self.closed

    def next_open(self, day: date) -> date:
        """`day` itself when open, else the first open day after it."""
        for offset in range(LOOK_AHEAD_DAYS + 1):
            candidate = day + timedelta(days=offset)
            if self.is_open(candidate):
                return candidate
        raise ValidationError("site_id", "The site has no open day within a year; set its opening days.",
                              "no-open-day")


def check_weekdays(weekdays: Collection[int], field: str = "weekdays") -> frozenset[int]:
    days = frozenset(weekdays)
    if not days:
        raise ValidationError(field, "A lending site is open at least one weekday.", "empty")
    if not days <= ALL_WEEK:
        raise ValidationError(field, "Weekdays are 0 (Monday) to 6 (Sunday).", "range")
    return days


def check_hours(opens: time | None, closes: time | None) -> tuple[time, time] | None:
    """A lending site's hours on its open days (shown to people; due dates count days only): both or
    neither, opening before closing."""
    if opens is None and closes is None:
        return None
    if opens is None:
        raise ValidationError("opens", "Give the opening time as well.", "required")
    if closes is None:
        raise ValidationError("closes", "Give the closing time as well.", "required")
    if opens >= closes:
        raise ValidationError("closes", "The site closes after it opens.", "order")
    return opens, closes


def due_on(lent_on: date, period_days: int, open_days: OpenDays) -> date:
    """The due date of a loan made on `lent_on` for `period_days` days at a site open on `open_days`."""
    if not 1 <= period_days <= MAX_LOAN_PERIOD_DAYS:
        raise ValidationError("loan_period_days", f"A loan period is 1 to {MAX_LOAN_PERIOD_DAYS} days.", "range")
    return open_days.next_open(lent_on + timedelta(days=period_days))
