"""Recurring bookings: the RFC 5545 subset people use, kept as a rule in local dates.

One rule object produces both the stored occurrence dates and the RRULE text exported in
feeds, so the two cannot drift apart. Weekly, or every n weeks (weeks start on Monday,
WKST=MO), on chosen weekdays, until a date or for a count, with exception dates. As in
RFC 5545, COUNT counts the dates the rule generates before exception dates are removed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from booking.domain.shared.errors import ValidationError
from booking.domain.shared.localtime import check_day

MAX_OCCURRENCES = 400
_DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@dataclass(frozen=True)
class WeeklyRule:
    start: date  # the first date the rule may produce
    weekdays: frozenset[int]  # 0 = Monday ... 6 = Sunday
    interval: int = 1  # every n weeks
    until: date | None = None  # inclusive
    count: int | None = None
    exdates: frozenset[date] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        check_day(self.start, "date")
        if self.until is not None:
            check_day(self.until, "recurrence.until")
        for day in self.exdates:
            check_day(day, "recurrence.exdates")
        if not self.weekdays:
            raise ValidationError("recurrence.weekdays", "Choose at least one weekday.", "required")
        if any(d not in range(7) for d in self.weekdays):
            raise ValidationError("recurrence.weekdays", "Weekdays are 0 (Monday) to 6 (Sunday).")
        if not 1 <= self.interval <= 52:
            raise ValidationError("recurrence.interval", "Every 1 to 52 weeks.", "range")
        if (self.until is None) == (self.count is None):
            raise ValidationError("recurrence", "Give either an end date (until) or a number of times (count).",
                                  "required")
        if self.until is not None and self.until < self.start:
            raise ValidationError("recurrence.until", "The end date is before the first date.", "range")
        if self.count is not None and not 1 <= self.count <= MAX_OCCURRENCES:
            raise ValidationError("recurrence.count", f"Between 1 and {MAX_OCCURRENCES} times.", "range")

    def _generated(self) -> list[date]:
        week0 = self.start - timedelta(days=self.start.weekday())
        out: list[date] = []
        week = week0
        while True:
            for weekday in sorted(self.weekdays):
                day = week + timedelta(days=weekday)
                if day < self.start:
                    continue
                if self.until is not None and day > self.until:
                    return out
                out.append(day)
                if self.count is not None and len(out) >= self.count:
                    return out
                if len(out) > MAX_OCCURRENCES:
                    raise ValidationError("recurrence", f"A series has at most {MAX_OCCURRENCES} occurrences; "
                                          "split it or shorten it.", "too-many")
            week += timedelta(weeks=self.interval)

    def dates(self) -> list[date]:
        """The occurrence dates, exception dates removed."""
        return [d for d in self._generated() if d not in self.exdates]

    def rrule(self, at: time, zone: ZoneInfo) -> str:
        """The RRULE value (RFC 5545) for the same dates, for a DTSTART at wall time `at` in `zone`.

        With a DATE-TIME DTSTART, UNTIL must be a UTC DATE-TIME: it is the start of the last
        possible occurrence, so the until-date itself is included."""
        parts = ["FREQ=WEEKLY"]
        if self.interval != 1:
            parts.append(f"INTERVAL={self.interval}")
        parts.append("BYDAY=" + ",".join(_DAY_CODES[d] for d in sorted(self.weekdays)))
        if self.count is not None:
            parts.append(f"COUNT={self.count}")
        if self.until is not None:
            last = datetime.combine(self.until, at).replace(tzinfo=zone).astimezone(UTC)
            parts.append(f"UNTIL={last.strftime('%Y%m%dT%H%M%SZ')}")
        parts.append("WKST=MO")
        return ";".join(parts)
