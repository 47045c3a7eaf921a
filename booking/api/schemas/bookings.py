"""Bookings, series decisions and opening hours."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any
from uuid import UUID

import msgspec
from msgspec import Meta, Struct

from booking.api.schemas.common import Name
from booking.domain.premises.attendance import Gender
from booking.domain.premises.bookings import BookingStatus
from booking.domain.premises.cancellation import CancelScope
from booking.domain.premises.fees import TariffCategory
from booking.domain.premises.model import SpaceKind

WallTime = Annotated[str, Meta(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$", examples=["18:00"],
                               description="Local wall-clock time, HH:MM.")]
Weekday = Annotated[int, Meta(ge=0, le=6, description="0 = Monday ... 6 = Sunday")]
Reason = Annotated[str, Meta(max_length=1000)]


class RecurrenceIn(Struct, forbid_unknown_fields=True):
    """Weekly, or every `interval` weeks, on `weekdays`, until a date or `count` times."""

    weekdays: Annotated[list[Weekday], Meta(min_length=1, max_length=7)]
    interval: Annotated[int, Meta(ge=1, le=52)] = 1
    until: dt.date | None = None
    count: Annotated[int, Meta(ge=1, le=400)] | None = None
    exdates: Annotated[list[dt.date], Meta(max_length=400)] = msgspec.field(default_factory=list)


class BookingCreate(Struct, forbid_unknown_fields=True):
    """A request in the municipality's local time: `date` with `start` and `end` wall times."""

    space_id: UUID
    title: Name
    date: dt.date
    start: WallTime
    end: WallTime
    association_id: UUID | None = None
    recurrence: RecurrenceIn | None = None
    note: Annotated[str, Meta(max_length=2000)] | None = None


def wall_time(value: str) -> dt.time:
    return dt.time.fromisoformat(value)


def show_time(value: dt.time) -> str:
    return value.strftime("%H:%M")


class PendingChange(Struct):
    """A move the association asked for, waiting for staff: the booking keeps its time until approved."""

    id: UUID  # the change; staff decide it at /api/booking-changes/{id}/decision
    space_id: UUID
    starts_at: dt.datetime
    ends_at: dt.datetime
    local_date: dt.date
    local_start: str
    local_end: str
    requested_at: dt.datetime | None


class Booking(Struct):
    id: UUID
    space_id: UUID
    series_id: UUID | None
    association_id: UUID | None
    title: str
    note: str | None
    status: BookingStatus
    starts_at: dt.datetime
    ends_at: dt.datetime
    local_date: dt.date
    local_start: str
    local_end: str
    sequence: int
    decided_at: dt.datetime | None
    decision_reason: str | None
    created_at: dt.datetime
    updated_at: dt.datetime
    checked_in_at: dt.datetime | None = None  # scanned at the door
    no_show: bool = False  # staff marked that nobody came
    pending_change: PendingChange | None = None  # a move waiting for staff


class Skipped(Struct):
    date: dt.date
    rule: str
    message: str
    conflicts: list[dict[str, Any]] = msgspec.field(default_factory=list)


class BookingOutcome(Struct):
    """What happened, date by date: the bookings made and the dates left out (with why)."""

    bookings: list[Booking]
    series_id: UUID | None
    skipped: list[Skipped]


class BookingPage(Struct):
    items: list[Booking]
    total: int
    limit: int
    offset: int


class Decision(Struct, forbid_unknown_fields=True):
    approve: bool
    reason: Reason | None = None


class Cancellation(Struct, forbid_unknown_fields=True):
    reason: Reason | None = None
    scope: CancelScope = CancelScope.ONE


class CancellationOutcome(Struct):
    cancelled: list[Booking]


class BookingMove(Struct, forbid_unknown_fields=True):
    """Move one occurrence: a new local date and wall times, and optionally another space."""

    date: dt.date
    start: WallTime
    end: WallTime
    space_id: UUID | None = None


class ChangeOutcome(Struct):
    """A decided change: the bookings at their new times (approved) or as they were (refused)."""

    change_id: UUID
    approved: bool
    bookings: list[Booking]


class WindowIO(Struct, forbid_unknown_fields=True):
    weekday: Weekday
    opens: WallTime
    closes: WallTime


class Variation(Struct, forbid_unknown_fields=True):
    """Opening hours for a period (a holiday, the summer) that replace the general ones. A period has at
    least one window (the hours are stored as windows, so one without would vanish); a space closed for a
    while is a closed period (/api/closed-periods)."""

    valid_from: dt.date
    valid_to: dt.date
    windows: Annotated[list[WindowIO], Meta(min_length=1, max_length=50)]
    name: Name | None = None


class OpeningHoursIO(Struct, forbid_unknown_fields=True):
    general: Annotated[list[WindowIO], Meta(max_length=50)]
    variations: Annotated[list[Variation], Meta(max_length=50)] = msgspec.field(default_factory=list)


class Interval(Struct):
    starts_at: dt.datetime
    ends_at: dt.datetime
    local_start: str
    local_end: str


class DayAvailability(Struct):
    date: dt.date
    closed_reason: str | None
    open: list[Interval]
    free: list[Interval]
    busy: list[Interval]


class SpaceAvailability(Struct):
    """Open, free and busy ("Bokad") times per local date. No names, no titles: public."""

    space_id: UUID
    timezone: str
    days: list[DayAvailability]


class ClosedPeriodCreate(Struct, forbid_unknown_fields=True):
    """Close a space (space_id), a whole site (site_id) or every site (neither), in local time;
    without times from the start of first_day to the end of last_day."""

    reason: Name
    first_day: dt.date
    last_day: dt.date
    from_time: WallTime | None = None
    to_time: WallTime | None = None
    space_id: UUID | None = None
    site_id: UUID | None = None


class ClosedPeriod(Struct):
    id: UUID
    reason: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    space_id: UUID | None
    site_id: UUID | None


class ClosedPeriodPage(Struct):
    items: list[ClosedPeriod]
    total: int
    limit: int
    offset: int


class FreeSlot(Struct):
    space_id: UUID
    space_name: str
    site_id: UUID
    capacity: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    local_date: dt.date
    local_start: str
    local_end: str


class FreeSlotList(Struct):
    """Free stretches of at least the asked duration, earliest first (at most `limit`)."""

    items: list[FreeSlot]
    total: int
    limit: int


class ClosedDay(Struct):
    date: dt.date
    name: str


class ClosedDays(Struct):
    """Days on which nothing can be booked: public holidays and eves, and the municipality's own."""

    year: int
    items: list[ClosedDay]


class HolidayOverride(Struct, forbid_unknown_fields=True):
    """`closed: true` adds a closed day, `closed: false` keeps a holiday open."""

    closed: bool
    name: Name | None = None


class ParticipantGroup(Struct, forbid_unknown_fields=True):
    birth_year: Annotated[int, Meta(ge=1900, le=2200)]
    gender: Gender
    count: Annotated[int, Meta(ge=0, le=500)] = 1


class AttendanceIn(Struct, forbid_unknown_fields=True):
    """Who came: the leader, and participants by birth year and gender (a count per group, or one
    entry per person with count 1). No names of participants are kept."""

    leader_name: Name
    participants: Annotated[list[ParticipantGroup], Meta(max_length=500)]
    leader_birth_year: Annotated[int, Meta(ge=1900, le=2200)] | None = None
    leaders: Annotated[int, Meta(ge=1, le=50)] = 1


class AttendanceOut(Struct):
    booking_id: UUID
    local_date: dt.date
    local_start: str
    minutes: int
    space_name: str
    recorded: bool
    leader_name: str | None
    leader_birth_year: int | None
    participants: list[ParticipantGroup]
    total: int
    lok_counts: bool
    lok_participants: int
    lok_notes: list[str]


class AttendanceReport(Struct):
    first: dt.date
    last: dt.date
    items: list[AttendanceOut]


class PriceIO(Struct, forbid_unknown_fields=True):
    category: TariffCategory
    space_kind: SpaceKind
    hourly: Annotated[Decimal, Meta(description="Kronor per hour, 0-100000, at most two decimals.")]


class PriceList(Struct, forbid_unknown_fields=True):
    """Hourly prices per tariff category and space kind. The free category (nolltaxa) costs nothing."""

    items: Annotated[list[PriceIO], Meta(max_length=100)]


class FeeLineOut(Struct):
    booking_id: UUID
    local_date: dt.date
    local_start: str
    local_end: str
    space_id: UUID
    space_kind: str
    tariff: TariffCategory
    hours: Decimal
    hourly: Decimal
    amount: Decimal
    late_cancellation: bool


class AssociationFees(Struct):
    association_id: UUID
    name: str
    org_number: str
    lines: list[FeeLineOut]
    total: Decimal


class FeeBasis(Struct):
    """The basis for invoicing a period: per association its charged bookings (approved ones, and
    ones cancelled after the deadline), amounts in kronor."""

    first: dt.date
    last: dt.date
    associations: list[AssociationFees]
    total: Decimal


AccessMode = Annotated[str, Meta(pattern="^(door_code|key|open)$")]


class SpaceAccess(Struct, forbid_unknown_fields=True):
    """How the space is entered: a door code per booking, keys (say where to fetch them), or open."""

    mode: AccessMode
    instructions: Annotated[str, Meta(max_length=2000)] | None = None


class BookingAccess(Struct):
    """Only for the association that booked: how to get in, and the check-in code for the door."""

    mode: str
    instructions: str | None
    door_code: str | None
    valid_from: dt.datetime
    valid_to: dt.datetime
    check_in_url: str


class CheckIn(Struct, forbid_unknown_fields=True):
    code: Annotated[str, Meta(min_length=1, max_length=300, description="What the scanner read: the URL or the code.")]


class NoShows(Struct):
    association_id: UUID
    name: str
    count: int
    latest: dt.datetime


class NoShowReport(Struct):
    since: dt.date
    items: list[NoShows]
