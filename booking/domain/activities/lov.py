"""School holiday periods (lov) of a municipality, and the defaults generated for a year.

Each school organiser sets its own weeks, so the periods are municipality data that staff edit.
The generated defaults are a sensible start:

- sportlov: Monday-Sunday of ISO week 7, 8, 9 or 10 (the region's week, configurable);
- påsklov: Monday-Sunday of the week after Easter Sunday (Annandag påsk starts it);
- sommarlov: Monday of ISO week 24 to Sunday of ISO week 33;
- höstlov: Monday-Sunday of ISO week 44;
- jullov: 21 December to 7 January of the next year (it is the year of its start).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from uuid import UUID

from dateutil.easter import easter

from booking.domain.shared.errors import ValidationError
from booking.domain.shared.ids import new_id
from booking.domain.shared.localtime import check_day

SPORTLOV_WEEKS = range(7, 11)
DEFAULT_SPORTLOV_WEEK = 8
HOSTLOV_WEEK = 44
MAX_LOV_DAYS = 92


class LovKind(StrEnum):
    SPORTLOV = "sportlov"
    PASKLOV = "pasklov"
    SOMMARLOV = "sommarlov"
    HOSTLOV = "hostlov"
    JULLOV = "jullov"


@dataclass(eq=False)
class HolidayPeriod:
    municipality_id: UUID
    kind: LovKind
    year: int
    first_day: date
    last_day: date
    id: UUID = field(default_factory=new_id)
    created_at: datetime | None = None
    updated_at: datetime | None = None

    def __post_init__(self) -> None:
        self.kind = LovKind(self.kind)
        self.change(self.first_day, self.last_day)

    def change(self, first_day: date, last_day: date) -> None:
        check_day(first_day, "first_day")
        check_day(last_day, "last_day")
        if last_day < first_day:
            raise ValidationError("last_day", "The holiday ends before it starts.", "range")
        if (last_day - first_day).days >= MAX_LOV_DAYS:
            raise ValidationError("last_day", f"A holiday is at most {MAX_LOV_DAYS} days long.", "range")
        if first_day.year != self.year:
            raise ValidationError("first_day", f"A {self.kind} of {self.year} starts in {self.year}.", "range")
        self.first_day, self.last_day = first_day, last_day

    def contains(self, day: date) -> bool:
        return self.first_day <= day <= self.last_day

    def days(self) -> list[date]:
        return [self.first_day + timedelta(days=i) for i in range((self.last_day - self.first_day).days + 1)]


def _iso_week(year: int, week: int) -> tuple[date, date]:
    monday = date.fromisocalendar(year, week, 1)
    return monday, monday + timedelta(days=6)


def default_periods(municipality_id: UUID, year: int, sportlov_week: int = DEFAULT_SPORTLOV_WEEK
                    ) -> list[HolidayPeriod]:
    """The five holidays of a school year's calendar year, as generated defaults."""
    check_day(date(year, 1, 1), "year")
    if sportlov_week not in SPORTLOV_WEEKS:
        raise ValidationError("sportlov_week", "Sportlov is in week 7, 8, 9 or 10.", "range")
    easter_monday = easter(year) + timedelta(days=1)
    summer_first = date.fromisocalendar(year, 24, 1)
    summer_last = date.fromisocalendar(year, 33, 7)
    spans = {
        LovKind.SPORTLOV: _iso_week(year, sportlov_week),
        LovKind.PASKLOV: (easter_monday, easter_monday + timedelta(days=6)),
        LovKind.SOMMARLOV: (summer_first, summer_last),
        LovKind.HOSTLOV: _iso_week(year, HOSTLOV_WEEK),
        LovKind.JULLOV: (date(year, 12, 21), date(year + 1, 1, 7)),
    }
    return [HolidayPeriod(municipality_id, kind, year, first, last) for kind, (first, last) in spans.items()]
