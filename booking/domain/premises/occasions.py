"""Use cases of a booked occasion: getting in (access and the door), checking in at the door,
no-shows, and the attendance the association records."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from booking.domain.people.roles import Actor
from booking.domain.premises.access import Access, access_for, booking_of_check_in_code
from booking.domain.premises.attendance import Attendance
from booking.domain.premises.booking_common import audit
from booking.domain.premises.bookings import Booking, BookingStatus
from booking.domain.premises.model import Space
from booking.domain.premises.ports import PremisesUnitOfWork
from booking.domain.premises.scope import booking_for_staff, booking_to_handle, require_staff_at, space_of
from booking.domain.shared.audit import AuditEntry
from booking.domain.shared.clock import Clock
from booking.domain.shared.errors import Conflict, ValidationError
from booking.domain.shared.tenancy import of_municipality


@dataclass(frozen=True)
class RecordAttendance:
    booking_id: UUID
    leader_name: str
    leader_birth_year: int | None
    participants: tuple[dict[str, Any], ...]
    leaders: int = 1


async def record_attendance(cmd: RecordAttendance, uow: PremisesUnitOfWork, actor: Actor, clock: Clock) -> Attendance:
    """The association (or staff) records who came to an approved occasion that has begun;
    recording again replaces the earlier record."""
    async with uow:
        booking, _ = await booking_to_handle(uow, actor, cmd.booking_id)
        if booking.status is not BookingStatus.APPROVED:
            raise Conflict(f"Attendance is recorded for approved bookings; this one is {booking.status}.")
        if booking.starts_at > clock.now():
            raise ValidationError("booking_id", "The occasion has not begun yet.", "future")
        fresh = Attendance(booking.id, booking.municipality_id, cmd.leader_name, cmd.leader_birth_year,
                           [dict(p) for p in cmd.participants], actor.account_id, cmd.leaders)
        existing = await uow.bookings.attendance(booking.id)
        if existing is None:
            uow.bookings.add_attendance(fresh)
            record = fresh
        else:
            for name in ("leader_name", "leader_birth_year", "participants", "leaders", "recorded_by"):
                setattr(existing, name, getattr(fresh, name))
            record = existing
        uow.audit(AuditEntry(actor.municipality_id, actor.account_id, "attendance.recorded", "booking", booking.id,
                             {"participants": fresh.total}))
        await uow.commit()
        return record



async def booking_access(booking_id: UUID, uow: PremisesUnitOfWork, actor: Actor, secret: str) -> Access:
    """How to get in: only the association that booked (its representatives, the booker) and staff of
    the space's site."""
    async with uow:
        booking, space = await booking_to_handle(uow, actor, booking_id)
        if booking.status is not BookingStatus.APPROVED:
            raise Conflict("Access is given for approved bookings.")
        return access_for(booking, space.access_mode, space.access_instructions, secret)


async def set_space_access(space_id: UUID, mode: str, instructions: str | None, uow: PremisesUnitOfWork,
                           actor: Actor) -> Space:
    async with uow:
        space = await space_of(uow, actor, space_id)
        require_staff_at(actor, space.site_id)
        space.access_mode, space.access_instructions = mode, instructions
        space.validate()
        uow.audit(AuditEntry(actor.municipality_id, actor.account_id, "space.access_set", "space", space.id,
                             {"mode": mode}))
        await uow.commit()
        return space


async def check_in(code: str, uow: PremisesUnitOfWork, actor: Actor, clock: Clock, secret: str) -> Booking:
    """Staff (or the school's host) scan the booking's QR code at the door."""
    booking_id = booking_of_check_in_code(secret, code)
    if booking_id is None:
        raise ValidationError("code", "Not a check-in code of this system.", "unknown")
    async with uow:
        booking = of_municipality(await uow.bookings.get(booking_id), actor.municipality_id, "check-in code",
                                  booking_id, "code")
        require_staff_at(actor, (await space_of(uow, actor, booking.space_id)).site_id)
        booking.check_in(clock.now())
        audit(uow, actor, "booking.checked_in", booking)
        await uow.commit()
        return booking


async def mark_no_show(booking_id: UUID, uow: PremisesUnitOfWork, actor: Actor, clock: Clock) -> Booking:
    async with uow:
        booking, _ = await booking_for_staff(uow, actor, booking_id)
        booking.mark_no_show(clock.now())
        audit(uow, actor, "booking.no_show", booking)
        await uow.commit()
        return booking
