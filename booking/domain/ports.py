"""The ports the adapters implement: unit of work, repositories, hashing, notifying."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from types import TracebackType
from typing import Generic, Protocol, TypeVar, runtime_checkable
from uuid import UUID
from zoneinfo import ZoneInfo

from booking.domain.activities.ports import ActivityRepository
from booking.domain.lending.circulation_ports import CirculationRepository
from booking.domain.lending.ports import LendingRepository
from booking.domain.municipalities.model import Area, Municipality
from booking.domain.people.model import Account, Association
from booking.domain.premises.allocation_ports import AllocationRepository
from booking.domain.premises.attendance import Attendance
from booking.domain.premises.bookings import Booking, BookingSeries
from booking.domain.premises.calendar import Availability, ClosedSpan, OpeningHours
from booking.domain.premises.fees import Price
from booking.domain.premises.model import Site, Space
from booking.domain.shared.audit import AuditEntry
from booking.domain.shared.notifications import Message
from booking.domain.shared.timespan import TimeSpan

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: Sequence[T]
    total: int
    limit: int
    offset: int


class Repository(Protocol[T]):
    async def get(self, ident: UUID) -> T | None: ...

    def add(self, entity: T) -> None: ...

    async def delete(self, entity: T) -> None: ...


class MunicipalityRepository(Repository[Municipality], Protocol):
    async def by_slug(self, slug: str) -> Municipality | None: ...


class AreaRepository(Repository[Area], Protocol):
    async def of_municipality(self, municipality_id: UUID) -> Sequence[Area]: ...

    async def in_use(self, area_id: UUID) -> bool: ...


class SiteRepository(Repository[Site], Protocol):
    async def has_spaces(self, site_id: UUID) -> bool: ...


class SpaceRepository(Repository[Space], Protocol):
    async def parts_of(self, space_id: UUID) -> Sequence[Space]: ...

    async def matching(self, municipality_id: UUID, kind: str | None, min_capacity: int | None,
                       area_id: UUID | None, limit: int) -> Sequence[Space]: ...


class AccountRepository(Repository[Account], Protocol):
    async def by_email(self, email: str) -> Account | None: ...


class AssociationRepository(Repository[Association], Protocol):
    async def by_org_number(self, municipality_id: UUID, org_number: str) -> Association | None: ...


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


class UnitOfWork(Protocol):
    """One transaction. Leaving the block without commit() rolls back."""

    @property
    def municipalities(self) -> MunicipalityRepository: ...

    @property
    def areas(self) -> AreaRepository: ...

    @property
    def sites(self) -> SiteRepository: ...

    @property
    def spaces(self) -> SpaceRepository: ...

    @property
    def accounts(self) -> AccountRepository: ...

    @property
    def associations(self) -> AssociationRepository: ...

    @property
    def bookings(self) -> BookingRepository: ...

    @property
    def calendars(self) -> CalendarRepository: ...

    @property
    def allocation(self) -> AllocationRepository: ...

    @property
    def lending(self) -> LendingRepository: ...

    @property
    def circulation(self) -> CirculationRepository: ...

    @property
    def activities(self) -> ActivityRepository: ...

    async def __aenter__(self) -> UnitOfWork: ...

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None: ...

    def audit(self, entry: AuditEntry) -> None:
        """Record who changed what, in this transaction."""
        ...

    def notify(self, message: Message) -> None:
        """Queue a message in the outbox, in this transaction; it is delivered after commit."""
        ...

    async def commit(self) -> None: ...

    async def rollback(self) -> None: ...


@runtime_checkable
class PasswordHasher(Protocol):
    async def hash(self, password: str) -> str: ...

    async def verify(self, password_hash: str, password: str) -> bool: ...

    def needs_rehash(self, password_hash: str) -> bool: ...
