"""Bookings: one row per occurrence, grouped by a series when they recur.

A *pending* request does not hold the time;
an *approved* booking does. Requests are checked against approved bookings when made and
again (under the lock or constraint) when approved, so approving a series approves every
occurrence that is still free and reports the rest.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from uuid import UUID

from booking.domain.shared.errors import Conflict, ValidationError
from booking.domain.shared.ids import new_id
from booking.domain.shared.text import clean_name, clean_text
from booking.domain.shared.timespan import TimeSpan


class BookingStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    CANCELLED = "cancelled"


HOLDS_TIME = frozenset({BookingStatus.APPROVED})
ACCESS_MARGIN = timedelta(minutes=15)  # a door code works this long before and after the booking


@dataclass(eq=False)
class BookingSeries:
    """The rule a set of weekly occurrences came from (local dates and wall times)."""

    municipality_id: UUID
    space_id: UUID
    start_date: date
    weekdays: list[int]
    interval: int
    until: date | None
    count: int | None
    exdates: list[str]  # ISO dates
    local_start: time
    local_end: time
    id: UUID = field(default_factory=new_id)
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass(eq=False)
class Booking:
    municipality_id: UUID
    space_id: UUID
    starts_at: datetime
    ends_at: datetime
    booked_by: UUID
    title: str
    association_id: UUID | None = None
    series_id: UUID | None = None
    status: BookingStatus = BookingStatus.PENDING
    note: str | None = None
    decided_by: UUID | None = None
    decided_at: datetime | None = None
    decision_reason: str | None = None
    sequence: int = 0  # grows with each change people should see (iCalendar SEQUENCE)
    late_cancellation: bool = False  # cancelled after the deadline: the fee stays
    checked_in_at: datetime | None = None
    no_show: bool = False
    was_approved: bool = False  # approved at some time: the public feeds show it (cancelled ones too)
    # A change its association asked for, waiting for staff (see changes.py); the time above holds meanwhile.
    change_id: UUID | None = None
    proposed_space_id: UUID | None = None
    proposed_starts_at: datetime | None = None
    proposed_ends_at: datetime | None = None
    change_requested_by: UUID | None = None
    change_requested_at: datetime | None = None
    id: UUID = field(default_factory=new_id)
    created_at: datetime | None = None
    updated_at: datetime | None = None

    def __post_init__(self) -> None:
        self.title = clean_name(self.title, "title")
        self.note = clean_text(self.note, "note", 2000)
        TimeSpan(self.starts_at, self.ends_at)

    @property
    def span(self) -> TimeSpan:
        return TimeSpan(self.starts_at, self.ends_at)

    @property
    def holds_time(self) -> bool:
        return self.status in HOLDS_TIME

    def approve(self, by: UUID, at: datetime) -> None:
        if self.status is not BookingStatus.PENDING:
            raise Conflict(f"Only a pending request can be approved; this one is {self.status}.")
        self.status = BookingStatus.APPROVED
        self.was_approved = True
        self.decided_by, self.decided_at = by, at
        self.sequence += 1

    def approval_lost(self, reason: str) -> None:
        """Approved in the same transaction, but its hold on the time failed (taken meanwhile): refused
        instead, as if rejected when it was decided."""
        if self.status is not BookingStatus.APPROVED:
            raise Conflict(f"Only a booking being approved can lose its time; this one is {self.status}.")
        self.status = BookingStatus.REJECTED
        self.was_approved = False
        self.decision_reason = clean_text(reason, "reason", 1000)

    def reject(self, by: UUID, at: datetime, reason: str) -> None:
        if self.status is not BookingStatus.PENDING:
            raise Conflict(f"Only a pending request can be rejected; this one is {self.status}.")
        reason_text = clean_text(reason, "reason", 1000)
        if reason_text is None:
            raise ValidationError("reason", "Say why the request is rejected.", "required")
        self.status = BookingStatus.REJECTED
        self.decided_by, self.decided_at, self.decision_reason = by, at, reason_text
        self.sequence += 1

    def check_in(self, at: datetime) -> None:
        if self.status is not BookingStatus.APPROVED:
            raise Conflict(f"Only an approved booking can be checked in; this one is {self.status}.")
        if not self.starts_at - ACCESS_MARGIN <= at < self.ends_at:
            raise Conflict("Check-in opens 15 minutes before the booked time and closes at its end.")
        self.checked_in_at = self.checked_in_at or at
        self.no_show = False

    def mark_no_show(self, at: datetime) -> None:
        if self.status is not BookingStatus.APPROVED:
            raise Conflict(f"Only an approved booking can be a no-show; this one is {self.status}.")
        if at < self.starts_at:
            raise Conflict("The booked time has not begun.")
        if self.checked_in_at is not None:
            raise Conflict("The association checked in.")
        self.no_show = True

    def move_to(self, starts_at: datetime, ends_at: datetime, space_id: UUID | None = None) -> None:
        TimeSpan(starts_at, ends_at)
        self.starts_at, self.ends_at = starts_at, ends_at
        self.space_id = space_id or self.space_id
        self.drop_change()  # a move decides whatever change was waiting
        self.sequence += 1

    def propose_change(self, change_id: UUID, space_id: UUID, span: TimeSpan, by: UUID, at: datetime) -> None:
        """Ask staff to move an approved booking; it keeps its time until they approve (a later
        request replaces an earlier one)."""
        if self.status is not BookingStatus.APPROVED:
            raise Conflict(f"Only an approved booking waits for a change to be approved; this one is {self.status}.")
        self.change_id, self.proposed_space_id = change_id, space_id
        self.proposed_starts_at, self.proposed_ends_at = span.start, span.end
        self.change_requested_by, self.change_requested_at = by, at

    @property
    def proposed_span(self) -> TimeSpan | None:
        if self.proposed_starts_at is None or self.proposed_ends_at is None:
            return None
        return TimeSpan(self.proposed_starts_at, self.proposed_ends_at)

    def drop_change(self) -> None:
        self.change_id = self.proposed_space_id = self.change_requested_by = None
        self.proposed_starts_at = self.proposed_ends_at = self.change_requested_at = None

    def cancel(self, by: UUID, at: datetime, reason: str | None = None, deadline: timedelta | None = None) -> None:
        if self.status not in (BookingStatus.PENDING, BookingStatus.APPROVED):
            raise Conflict(f"This booking is already {self.status}.")
        if deadline is not None and self.status is BookingStatus.APPROVED and at > self.starts_at - deadline:
            self.late_cancellation = True
        self.status = BookingStatus.CANCELLED
        self.drop_change()
        self.decided_by, self.decided_at = by, at
        self.decision_reason = clean_text(reason, "reason", 1000)
        self.sequence += 1
