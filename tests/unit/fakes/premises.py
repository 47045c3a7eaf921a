"""Fakes of the premises repositories: sites, spaces, bookings, calendars and the allocation round.

They mirror what the domain relies on of the SQL ones (booking_repositories.py, allocation_repository.py):
an approved booking holds its units through occupancy rows (its time plus the changeover buffer), a
hold fails when another booking's active occupancy overlaps (the EXCLUDE constraint), a release keeps
the rows but makes them inactive, and availability is built from the stored opening hours, closed
periods and the municipality's closed days with its overrides applied.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any
from uuid import UUID, uuid4
from zoneinfo import ZoneInfo

from booking.adapters.holidays_se import swedish_closed_days
from booking.domain.premises.allocation import AllocationRound, Application
from booking.domain.premises.allocation_ports import ApprovedTimes, SeriesTimes
from booking.domain.premises.attendance import Attendance
from booking.domain.premises.bookings import Booking, BookingSeries, BookingStatus
from booking.domain.premises.calendar import (
    Availability,
    BookingRules,
    ClosedSpan,
    OpeningHours,
    group_opening_hours,
    merge_spans,
)
from booking.domain.premises.fees import Price
from booking.domain.premises.model import Site, Space
from booking.domain.premises.ports import Clash
from booking.domain.shared.timespan import TimeSpan
from tests.unit.fakes.base import FakeRepository, FakeTransaction


class FakeSites(FakeRepository[Site]):
    table_name = "sites"

    async def has_spaces(self, site_id: UUID) -> bool:
        return any(s.site_id == site_id for s in self.uow.table("spaces").values())

    async def of_municipality(self, municipality_id: UUID) -> Sequence[Site]:
        return sorted((s for s in self.items.values() if s.municipality_id == municipality_id), key=lambda s: s.name)


class FakeSpaces(FakeRepository[Space]):
    table_name = "spaces"

    async def parts_of(self, space_id: UUID) -> Sequence[Space]:
        return sorted((s for s in self.items.values() if s.parent_id == space_id), key=lambda s: s.name)

    async def of_municipality(self, municipality_id: UUID) -> Sequence[Space]:
        return sorted((s for s in self.items.values() if s.municipality_id == municipality_id), key=lambda s: s.name)

    async def matching(self, municipality_id: UUID, kind: str | None, min_capacity: int | None,
                       area_id: UUID | None, limit: int) -> Sequence[Space]:
        sites = self.uow.table("sites")
        found = [s for s in self.items.values() if s.municipality_id == municipality_id
                 and (kind is None or s.kind == kind)
                 and (min_capacity is None or (s.capacity or 0) >= min_capacity)
                 and (area_id is None or getattr(sites.get(s.site_id), "area_id", None) == area_id)]
        return sorted(found, key=lambda s: s.name)[:limit]


@dataclass(frozen=True)
class Occupancy:
    """A unit held by a booking from its start to its end plus the changeover buffer."""

    booking_id: UUID
    unit_id: UUID
    starts_at: datetime
    ends_at: datetime
    active: bool = True


class FakeBookings:
    """Bookings, series, occupancy and attendance."""

    def __init__(self, uow: FakeTransaction) -> None:
        self.uow = uow
        self.items: dict[UUID, Booking] = uow.table("bookings")
        self.series: dict[UUID, BookingSeries] = uow.table("booking_series")
        self.occupancy: dict[UUID, Occupancy] = uow.table("occupancy")
        self.attendances: dict[UUID, Attendance] = uow.table("attendance")

    def add(self, booking: Booking) -> None:
        self.items[booking.id] = booking

    def add_series(self, series: BookingSeries) -> None:
        self.series[series.id] = series

    async def get(self, ident: UUID) -> Booking | None:
        return self.items.get(ident)

    async def of_series(self, series_id: UUID) -> Sequence[Booking]:
        return sorted((b for b in self.items.values() if b.series_id == series_id), key=lambda b: b.starts_at)

    async def of_change(self, change_id: UUID) -> Sequence[Booking]:
        return sorted((b for b in self.items.values() if b.change_id == change_id), key=lambda b: b.starts_at)

    async def lock_units(self, units: frozenset[UUID]) -> None:
        for unit in sorted(units):
            self.uow.lock("space", unit)

    async def clashes(self, units: frozenset[UUID], span: TimeSpan, buffer: timedelta,
                      exclude: UUID | None = None) -> list[Clash]:
        ids = {o.booking_id for o in self.occupancy.values()
               if o.active and o.unit_id in units and o.starts_at < span.end + buffer and o.ends_at > span.start
               and o.booking_id != exclude}
        found = sorted((self.items[i] for i in ids), key=lambda b: b.starts_at)
        return [Clash(b.id, b.space_id, b.starts_at, b.ends_at, b.association_id) for b in found]

    async def hold(self, booking: Booking, units: frozenset[UUID], buffer: timedelta) -> bool:
        until = booking.ends_at + buffer
        if any(o.active and o.unit_id in units and o.starts_at < until and booking.starts_at < o.ends_at
               for o in self.occupancy.values() if o.booking_id != booking.id):
            return False
        for unit in sorted(units):
            self.occupancy[uuid4()] = Occupancy(booking.id, unit, booking.starts_at, until)
        return True

    async def release(self, booking: Booking) -> None:
        for key, row in list(self.occupancy.items()):
            if row.booking_id == booking.id and row.active:
                self.occupancy[key] = replace(row, active=False)

    async def busy(self, units: frozenset[UUID], span: TimeSpan) -> list[TimeSpan]:
        return merge_spans(TimeSpan(o.starts_at, o.ends_at) for o in self.occupancy.values()
                           if o.active and o.unit_id in units and o.starts_at < span.end and o.ends_at > span.start)

    async def attendance(self, booking_id: UUID) -> Attendance | None:
        return self.attendances.get(booking_id)

    def add_attendance(self, attendance: Attendance) -> None:
        self.attendances[attendance.booking_id] = attendance

    def held(self, booking: Booking) -> list[Occupancy]:
        """The active occupancy of a booking (for tests)."""
        return [o for o in self.occupancy.values() if o.booking_id == booking.id and o.active]


@dataclass(frozen=True)
class StoredHours:
    municipality_id: UUID
    space_id: UUID
    weekday: int
    opens: time
    closes: time
    valid_from: date | None
    valid_to: date | None
    name: str | None


@dataclass(frozen=True)
class StoredClosed:
    municipality_id: UUID
    site_id: UUID | None
    space_id: UUID | None
    closed: ClosedSpan


class FakeCalendars:
    """Opening hours, closed periods, holiday overrides and prices, and a space's availability."""

    def __init__(self, uow: FakeTransaction) -> None:
        self.uow = uow
        self.hours: dict[UUID, StoredHours] = uow.table("opening_hours")
        self.closed: dict[UUID, StoredClosed] = uow.table("closed_periods")
        self.overrides: dict[tuple[UUID, date], tuple[bool, str | None]] = uow.table("holiday_overrides")
        self.prices: dict[UUID, list[Price]] = uow.table("tariffs")

    async def replace_opening_hours(self, space: Space, hours: Sequence[OpeningHours]) -> None:
        for key in [k for k, row in self.hours.items() if row.space_id == space.id]:
            del self.hours[key]
        for h in hours:
            for w in h.windows:
                self.hours[uuid4()] = StoredHours(space.municipality_id, space.id, w.weekday, w.opens, w.closes,
                                                  h.valid_from, h.valid_to, h.name)

    async def add_closed(self, municipality_id: UUID, site_id: UUID | None, space_id: UUID | None,
                         closed: ClosedSpan) -> UUID:
        ident = uuid4()
        self.closed[ident] = StoredClosed(municipality_id, site_id, space_id, closed)
        return ident

    async def remove_closed(self, municipality_id: UUID, closed_id: UUID) -> bool:
        row = self.closed.get(closed_id)
        if row is None or row.municipality_id != municipality_id:
            return False
        del self.closed[closed_id]
        return True

    async def site_of_closed(self, municipality_id: UUID, closed_id: UUID) -> tuple[bool, UUID | None]:
        row = self.closed.get(closed_id)
        if row is None or row.municipality_id != municipality_id:
            return False, None
        if row.site_id is not None or row.space_id is None:
            return True, row.site_id
        space = self.uow.table("spaces").get(row.space_id)
        return True, space.site_id if space is not None else None

    async def closed_days(self, municipality_id: UUID, years: range) -> dict[date, str]:
        return self._closed_days(municipality_id, years)

    def _closed_days(self, municipality_id: UUID, years: range) -> dict[date, str]:
        municipality = self.uow.table("municipalities")[municipality_id]
        days: dict[date, str] = {}
        if municipality.closed_on_holidays:
            for year in years:
                days.update(swedish_closed_days(year, municipality.closed_eves))
        for (owner, day), (closed, name) in sorted(self.overrides.items(), key=lambda kv: kv[0][1]):
            if owner != municipality_id or day.year not in years:
                continue
            if closed:
                days[day] = name or "Stängt"
            else:
                days.pop(day, None)
        return dict(sorted(days.items()))

    async def replace_prices(self, municipality_id: UUID, prices: Sequence[Price]) -> None:
        self.prices[municipality_id] = list(prices)

    async def set_holiday_override(self, municipality_id: UUID, day: date, closed: bool | None,
                                   name: str | None) -> None:
        self.overrides.pop((municipality_id, day), None)
        if closed is not None:
            self.overrides[(municipality_id, day)] = (closed, name)

    async def availability(self, space: Space, zone: ZoneInfo, years: range) -> Availability:
        opening = group_opening_hours((h.weekday, h.opens, h.closes, h.valid_from, h.valid_to, h.name)
                                      for h in self.hours.values() if h.space_id == space.id)
        spaces = {space.id, space.parent_id} - {None}
        closed = [c.closed for c in self.closed.values() if c.municipality_id == space.municipality_id and (
            c.space_id in spaces or (c.space_id is None and c.site_id in (space.site_id, None)))]
        rules = BookingRules(
            buffer=timedelta(minutes=space.buffer_minutes), horizon=timedelta(days=space.horizon_days),
            min_notice=timedelta(hours=space.min_notice_hours),
            min_duration=timedelta(minutes=space.min_duration_minutes),
            max_duration=timedelta(minutes=space.max_duration_minutes))
        return Availability(zone, opening, closed, self._closed_days(space.municipality_id, years), rules)


class FakeAllocation:
    """Rounds, applications and default rules; the facts a run reads are taken from the other tables."""

    def __init__(self, uow: FakeTransaction) -> None:
        self.uow = uow
        self.rounds: dict[UUID, AllocationRound] = uow.table("allocation_rounds")
        self.applications_: dict[UUID, Application] = uow.table("allocation_applications")
        self.rules: dict[UUID, list[dict[str, Any]]] = uow.table("allocation_rule_sets")

    def add_round(self, round_: AllocationRound) -> None:
        self.rounds[round_.id] = round_

    async def get_round(self, round_id: UUID, *, for_update: bool = False) -> AllocationRound | None:
        if for_update:
            self.uow.lock("allocation_round", round_id)
        return self.rounds.get(round_id)

    def add_application(self, application: Application) -> None:
        self.applications_[application.id] = application

    async def get_application(self, application_id: UUID) -> Application | None:
        return self.applications_.get(application_id)

    async def applications(self, round_id: UUID) -> Sequence[Application]:
        return sorted((a for a in self.applications_.values() if a.round_id == round_id),
                      key=lambda a: (a.submitted_at, str(a.id)))

    async def default_rules(self, municipality_id: UUID) -> list[dict[str, Any]] | None:
        rules = self.rules.get(municipality_id)
        return list(rules) if rules is not None else None

    async def set_default_rules(self, municipality_id: UUID, rules: list[dict[str, Any]]) -> None:
        self.rules[municipality_id] = list(rules)

    async def approved_in(self, municipality_id: UUID, start: datetime, end: datetime) -> ApprovedTimes:
        approved = sorted((b for b in self.uow.table("bookings").values()
                           if b.municipality_id == municipality_id and b.status is BookingStatus.APPROVED
                           and start <= b.starts_at < end), key=lambda b: b.starts_at)
        groups: dict[tuple[UUID, UUID, UUID | None], list[Booking]] = {}
        for b in approved:
            if b.series_id is not None:
                groups.setdefault((b.series_id, b.space_id, b.association_id), []).append(b)
        series = self.uow.table("booking_series")
        return ApprovedTimes(
            [_series_times(series[key[0]], key, members) for key, members in sorted(groups.items(),
                                                                                     key=lambda kv: str(kv[0][0]))],
            [(b.id, b.space_id, b.association_id, b.starts_at, b.ends_at) for b in approved if b.series_id is None])

    async def weekly_windows(self, municipality_id: UUID) -> dict[UUID, dict[int, list[tuple[time, time]]]]:
        rows = sorted((h for h in self.uow.table("opening_hours").values()
                       if h.municipality_id == municipality_id and h.valid_from is None and h.valid_to is None),
                      key=lambda h: (str(h.space_id), h.weekday, h.opens))
        out: dict[UUID, dict[int, list[tuple[time, time]]]] = {}
        for h in rows:
            out.setdefault(h.space_id, {}).setdefault(h.weekday, []).append((h.opens, h.closes))
        return out

    async def association_facts(self, ids: Sequence[UUID]) -> dict[UUID, tuple[str, bool]]:
        associations = self.uow.table("associations")
        return {i: (str(associations[i].category), bool(associations[i].is_local)) for i in _unique(ids)
                if i in associations}


def _series_times(series: BookingSeries, key: tuple[UUID, UUID, UUID | None], members: list[Booking]) -> SeriesTimes:
    return SeriesTimes(min((b.id for b in members), key=str), key[1], key[2], list(series.weekdays),
                       series.local_start, series.local_end, len(members), min(b.starts_at for b in members))


def _unique(ids: Iterable[UUID]) -> list[UUID]:
    return sorted(set(ids), key=str)
