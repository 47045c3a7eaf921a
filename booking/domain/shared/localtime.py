"""Wall-clock time in a municipality's zone, converted to instants one occurrence at a time.

A weekly 18:00 slot stays at 18:00 across the DST change because each occurrence is
converted on its own date. A wall time that does not exist (the spring-forward gap, e.g.
2027-03-28 02:30 in Europe/Stockholm) is refused. An ambiguous one (the autumn hour that
happens twice) is resolved to its FIRST occurrence (fold=0, still summer time): the rule
people expect from "02:30 on the night the clocks go back" is the earlier 02:30.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from booking.domain.shared.errors import ValidationError

FIRST_YEAR, LAST_YEAR = 1970, 2200


def check_day(day: date, field: str) -> date:
    """Dates people can mean for bookings and calendars; far ones (year 1, 9999) are refused
    before any arithmetic on them can overflow."""
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ValidationError(field, f"Give a date between {FIRST_YEAR} and {LAST_YEAR}.", "range")
    return day


def local_instant(day: date, at: time, zone: ZoneInfo, field: str = "start") -> datetime:
    """The UTC instant of wall time `at` on `day` in `zone`."""
    check_day(day, "date" if field in ("start", "end") else field)
    naive = datetime.combine(day, at.replace(tzinfo=None, fold=0))
    aware = naive.replace(tzinfo=zone)
    round_trip = aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
    if round_trip != naive:
        raise ValidationError(
            field,
            f"{day.isoformat()} {at.strftime('%H:%M')} does not exist in {zone.key}: the clocks are put forward "
            "that night. Choose a time after the change.",
            "nonexistent-local-time",
        )
    return aware.astimezone(UTC)


def local_date_time(instant: datetime, zone: ZoneInfo) -> datetime:
    if instant.tzinfo is None:
        raise ValueError("aware instant expected")
    return instant.astimezone(zone)
