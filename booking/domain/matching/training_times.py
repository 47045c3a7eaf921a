"""Training times, derived from an association's approved public bookings (never typed twice): the same
weekday, local start and end and room make one regular time; what does not repeat is listed by date."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta
from uuid import UUID

SEASON_FALLBACK_DAYS = 120  # no allocation round's season contains today: today .. today + 120 days
MIN_REGULAR = 2  # a time that occurs at least this often in the season is a regular one


@dataclass(frozen=True)
class Occurrence:
    """One approved public booking, in the municipality's local time; or `count` of them at the same
    weekday, local start and end and room, the first on `day`."""

    association_id: UUID
    day: date
    start: time
    end: time
    site_name: str
    space_name: str
    series_id: UUID | None = None
    count: int = 1

    @property
    def weekday(self) -> int:
        return self.day.isoweekday()


@dataclass(frozen=True)
class RegularTime:
    weekday: int  # ISO: 1 Monday .. 7 Sunday
    start: time
    end: time
    site_name: str
    space_name: str
    dates: int  # occurrences from today to the end of the season
    next_date: date


@dataclass(frozen=True)
class SingleDate:
    day: date
    start: time
    end: time
    site_name: str
    space_name: str


@dataclass(frozen=True)
class TrainingTimes:
    regular: tuple[RegularTime, ...] = ()
    single: tuple[SingleDate, ...] = ()

    @property
    def weekdays(self) -> frozenset[int]:
        return frozenset({r.weekday for r in self.regular} | {s.day.isoweekday() for s in self.single})


def season_window(today: date, seasons: Iterable[tuple[date, date]]) -> tuple[date, date]:
    """From today to the end of the current season (the latest-ending one that contains today), or
    SEASON_FALLBACK_DAYS ahead when none does."""
    ends = [last for first, last in seasons if first <= today <= last]
    return today, max(ends) if ends else today + timedelta(days=SEASON_FALLBACK_DAYS)


def group(occurrences: Iterable[Occurrence]) -> TrainingTimes:
    """Regular times (weekday, start, end, room occurring MIN_REGULAR times or more), ordered by weekday and
    start; the rest as single dates in date order."""
    slots: dict[tuple[int, time, time, str, str], list[Occurrence]] = defaultdict(list)
    for o in occurrences:
        slots[(o.weekday, o.start, o.end, o.site_name, o.space_name)].append(o)
    regular: list[RegularTime] = []
    single: list[SingleDate] = []
    for (weekday, start, end, site, space), found in slots.items():
        count = sum(o.count for o in found)
        if count >= MIN_REGULAR:
            regular.append(RegularTime(weekday, start, end, site, space, count, min(o.day for o in found)))
        else:
            single.extend(SingleDate(o.day, start, end, site, space) for o in found)
    regular.sort(key=lambda r: (r.weekday, r.start, r.end, r.site_name, r.space_name))
    single.sort(key=lambda s: (s.day, s.start, s.site_name, s.space_name))
    return TrainingTimes(tuple(regular), tuple(single))


def by_association(occurrences: Sequence[Occurrence]) -> dict[UUID, TrainingTimes]:
    grouped: dict[UUID, list[Occurrence]] = defaultdict(list)
    for o in occurrences:
        grouped[o.association_id].append(o)
    return {a: group(rows) for a, rows in grouped.items()}
