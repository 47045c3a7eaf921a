"""A weekly series as a request states it: which dates it gives, and the stored rule it came from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from uuid import UUID

from booking.domain.premises.bookings import BookingSeries
from booking.domain.premises.recurrence import WeeklyRule


@dataclass(frozen=True)
class Recurrence:
    weekdays: tuple[int, ...]
    interval: int = 1
    until: date | None = None
    count: int | None = None
    exdates: tuple[date, ...] = ()


def expand(first: date, recurrence: Recurrence | None) -> tuple[list[date], WeeklyRule | None]:
    """The dates of a request: `first` alone, or every date of its weekly rule (exception dates left out)."""
    if recurrence is None:
        return [first], None
    r = recurrence
    rule = WeeklyRule(first, frozenset(r.weekdays), r.interval, r.until, r.count, frozenset(r.exdates))
    return rule.dates(), rule


def series_of(rule: WeeklyRule, municipality_id: UUID, space_id: UUID, start: time, end: time) -> BookingSeries:
    """The stored rule of a series (local dates and wall times), as the feeds export it."""
    return BookingSeries(
        municipality_id=municipality_id, space_id=space_id, start_date=rule.start, weekdays=sorted(rule.weekdays),
        interval=rule.interval, until=rule.until, count=rule.count,
        exdates=sorted(d.isoformat() for d in rule.exdates), local_start=start, local_end=end)
