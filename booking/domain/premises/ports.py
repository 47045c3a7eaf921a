"""What the premises services (sites, spaces, calendars, bookings, the allocation round) need from storage."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol
from uuid import UUID
from zoneinfo import ZoneInfo

from booking.domain.people.ports import PeopleUnitOfWork
from booking.domain.premises.allocation_ports import AllocationRepository
from booking.domain.premises.attendance import Attendance
from booking.domain.premises.bookings import Booking, BookingSeries
from booking.domain.premises.calendar import Availability, ClosedSpan, OpeningHours
from booking.domain.premises.fees import Price
from booking.domain.premises.model import Site, Space
from booking.domain.shared.ports import Repository
from booking.domain.shared.timespan import TimeSpan


class SiteRepository(Repository[Site], Protocol):
    async def has_spaces(self, site_id: UUID) -> bool: ...

    async def of_municipality(self, municipality_id: UUID) -> Sequence[Site]: ...


class SpaceRepository(Repository[Space], Protocol):
    async def parts_of(self, space_id: UUID) -> Sequence[Space]: ...

    async def of_municipality(self, municipality_id: UUID) -> Sequence[Space]: ...

    async def matching(self, municipality_id: UUID, kind: str | None, min_capacity: int | None,
                       area_id: UUID | None, limit: int) -> Sequence[Space]: ...


@dataclass(frozen=True, slots=True)
class Clash:
    """An approved booking in the way of a wanted time."""

    booking_id: UUID
    space_id: UUID
    starts_at: datetime
    ends_at: datetime
    association_id: UUID | None


class BookingRepository(Protocol):
    def add(self, booking: Booking) -> None: ...

    def add_series(self, series: BookingSeries) -> None: ...

    async def get(self, ident: UUID) -> Booking | None: ...

    async def of_series(self, series_id: UUID) -> Sequence[Booking]: ...

    async def of_change(self, change_id: UUID) -> Sequence[Booking]: ...

    async def lock_units(self, units: frozenset[UUID]) -> None:
        """Serialize writers of these units until the transaction ends."""
        ...

    async def clashes(self, units: frozenset[UUID], span: TimeSpan, buffer: timedelta,
                      exclude: UUID | None = None) -> list[Clash]: ...

    async def hold(self, booking: Booking, units: frozenset[UUID], buffer: timedelta) -> bool:
        """Occupy the units for the booking (plus buffer). False when another booking holds them."""
        ...

    async def release(self, booking: Booking) -> None: ...

    async def attendance(self, booking_id: UUID) -> Attendance | None: ...

    def add_attendance(self, attendance: Attendance) -> None: ...

    async def busy(self, units: frozenset[UUID], span: TimeSpan) -> list[TimeSpan]:
        """Times the units are taken within span (changeover buffer included), merged."""
        ...


class CalendarRepository(Protocol):
    async def availability(self, space: Space, zone: ZoneInfo, years: range) -> Availability: ...

    async def replace_opening_hours(self, space: Space, hours: Sequence[OpeningHours]) -> None: ...

    async def add_closed(self, municipality_id: UUID, site_id: UUID | None, space_id: UUID | None,
                         closed: ClosedSpan) -> UUID: ...

    async def remove_closed(self, municipality_id: UUID, closed_id: UUID) -> bool: ...

    async def site_of_closed(self, municipality_id: UUID, closed_id: UUID) -> tuple[bool, UUID | None]: ...

    async def closed_days(self, municipality_id: UUID, years: range) -> dict[date, str]: ...

    async def replace_prices(self, municipality_id: UUID, prices: Sequence[Price]) -> None: ...

    async def set_holiday_override(self, municipality_id: UUID, day: date, closed: bool | None,
                                   name: str | None) -> None: ...


class PremisesUnitOfWork(PeopleUnitOfWork, Protocol):
    @property
    def sites(self) -> SiteRepository: ...

    @property
    def spaces(self) -> SpaceRepository: ...

    @property
    def bookings(self) -> BookingRepository: ...

    @property
    def calendars(self) -> CalendarRepository: ...

    @property
    def allocation(self) -> AllocationRepository: ...
