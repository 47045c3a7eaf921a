"""Changing a booking's time or space: staff move it at once; an association's move waits for staff.

A move an association asks for (its representatives, or the person who booked) of an approved
booking is kept on the booking as a waiting change (`change_id`, the proposed space and time)
unless the new time is auto-approvable for that association under the target space's rules (its
auto-approved association categories). Meanwhile the booking keeps its time: its occupancy, the
feeds and the fee basis stay as they were. Staff approve (the new time is checked and held and
the old one released, in one transaction; a clash answers 409 and nothing changes) or refuse with
a reason (nothing moves). The association is told either way through the outbox.

A change names its occurrences by `change_id`, one or many: a later "this and following" or
"whole series" change proposes a time on each occurrence under one id and is decided, all or
nothing, by the same `decide_change`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from uuid import UUID

from booking.domain.people.roles import Actor
from booking.domain.premises.booking_common import (
    audit,
    availability,
    breaches_as_problems,
    clash_view,
    municipality_zone,
    space_buffer,
    span,
    tell,
    tell_people,
    units,
)
from booking.domain.premises.bookings import Booking, BookingStatus
from booking.domain.premises.model import Space
from booking.domain.premises.ports import PremisesUnitOfWork
from booking.domain.premises.scope import booking_to_handle, is_party, require_staff_at, space_of, staff_at
from booking.domain.shared.clock import Clock
from booking.domain.shared.errors import Conflict, NotFound, ValidationError, expect
from booking.domain.shared.ids import new_id
from booking.domain.shared.tenancy import belongs
from booking.domain.shared.text import clean_text

# A staff decision may come after the notice period or near the horizon; those rules bind the request.
_NOT_RECHECKED = frozenset({"notice", "horizon"})


@dataclass(frozen=True)
class MoveBooking:
    booking_id: UUID
    date: date
    start: time
    end: time
    space_id: UUID | None = None  # another space (of the municipality); None: the same


async def _auto_approvable(uow: PremisesUnitOfWork, booking: Booking, target: Space) -> bool:
    if booking.association_id is None:
        return False
    association = await uow.associations.get(booking.association_id)
    return association is not None and str(association.category) in target.auto_approve_categories


async def move_booking(cmd: MoveBooking, uow: PremisesUnitOfWork, actor: Actor, clock: Clock) -> Booking:
    """Move one occurrence (to another time, or another space). Rules and clashes are checked now;
    a move by the association of an approved booking waits for staff unless it is auto-approvable."""
    now = clock.now()
    async with uow:
        booking, current = await booking_to_handle(uow, actor, cmd.booking_id)
        if booking.status not in (BookingStatus.PENDING, BookingStatus.APPROVED):
            raise Conflict(f"A {booking.status} booking cannot be moved.")
        target = current if cmd.space_id in (None, current.id) else await space_of(uow, actor, cmd.space_id,
                                                                                  "space_id")
        as_staff = staff_at(actor, current.site_id) and staff_at(actor, target.site_id)
        if not as_staff and not is_party(actor, booking):
            require_staff_at(actor, target.site_id)  # staff of the booking's site, not of the target's: 403
        calendar = await availability(uow, target, await municipality_zone(uow, target.municipality_id), [cmd.date])
        wanted = span(cmd.date, cmd.start, cmd.end, calendar)
        breaches = calendar.breaches(wanted, now)
        if breaches:
            raise ValidationError.many(breaches_as_problems(breaches))
        taken = await units(uow, target)
        buffer = space_buffer(target)
        if not (as_staff or booking.status is BookingStatus.PENDING or await _auto_approvable(uow, booking, target)):
            clashes = await uow.bookings.clashes(taken, wanted, buffer, booking.id)
            if clashes:
                raise Conflict("The space is already booked at that time.", [clash_view(c, actor) for c in clashes])
            booking.propose_change(new_id(), target.id, wanted, actor.account_id, now)
            audit(uow, actor, "booking.move_requested", booking, starts_at=wanted.start.isoformat(),
                  space_id=str(target.id))
            await tell_people(uow, "booking.move_requested", [booking], {actor.account_id}, proposed=True)
            await uow.commit()
            return booking
        await uow.bookings.lock_units(taken)
        clashes = await uow.bookings.clashes(taken, wanted, buffer, booking.id)
        if clashes:
            raise Conflict("The space is already booked at that time.", [clash_view(c, actor) for c in clashes])
        was_approved = booking.holds_time
        if was_approved:
            await uow.bookings.release(booking)
        booking.move_to(wanted.start, wanted.end, target.id)
        if was_approved and not await uow.bookings.hold(booking, taken, buffer):
            raise Conflict("The space was booked at that time meanwhile.")
        audit(uow, actor, "booking.moved", booking, starts_at=wanted.start.isoformat(), space_id=str(target.id))
        await tell(uow, "booking.moved", [booking])
        await uow.commit()
        return booking


async def _waiting(uow: PremisesUnitOfWork, actor: Actor, change_id: UUID) -> tuple[list[Booking], dict[UUID, Space]]:
    """The occurrences of a waiting change and the spaces involved; staff of each space's site only."""
    bookings = [b for b in await uow.bookings.of_change(change_id) if belongs(b, actor.municipality_id)]
    if not bookings:
        raise NotFound("Change", change_id)
    spaces: dict[UUID, Space] = {}
    for booking in bookings:
        for space_id in (booking.space_id, expect(booking.proposed_space_id, "the space of a waiting change")):
            if space_id not in spaces:
                spaces[space_id] = await space_of(uow, actor, space_id)
            require_staff_at(actor, spaces[space_id].site_id)
        if booking.status is not BookingStatus.APPROVED:
            raise Conflict(f"The booking is {booking.status}; there is nothing to move.")
    return bookings, spaces


async def decide_change(change_id: UUID, approve: bool, reason: str | None, uow: PremisesUnitOfWork, actor: Actor,
                        clock: Clock) -> list[Booking]:
    """Staff approve a waiting change (every occurrence moves, or none: a clash answers 409) or refuse
    it with a reason (the bookings keep their times)."""
    now = clock.now()
    async with uow:
        bookings, spaces = await _waiting(uow, actor, change_id)
        # told: who asked, who booked (an allocated time was booked by staff), the association's contacts
        told = {b.change_requested_by or b.booked_by for b in bookings} | {b.booked_by for b in bookings}
        association = bookings[0].association_id
        if not approve:
            why = clean_text(reason, "reason", 1000)
            if why is None:
                raise ValidationError("reason", "Say why the change is refused.", "required")
            for booking in bookings:
                booking.drop_change()
                audit(uow, actor, "booking.move_refused", booking, change_id=str(change_id), reason=why)
            await tell_people(uow, "booking.move_refused", bookings, told, association, why)
            await uow.commit()
            return bookings
        zone = await municipality_zone(uow, actor.municipality_id)
        held = {space_id: await units(uow, space) for space_id, space in spaces.items()}
        await uow.bookings.lock_units(frozenset().union(*held.values()))
        for booking in sorted(bookings, key=lambda b: b.proposed_starts_at or b.starts_at):
            target = spaces[booking.proposed_space_id or booking.space_id]
            wanted = expect(booking.proposed_span, "the time of a waiting change")
            calendar = await availability(uow, target, zone, [wanted.start.astimezone(zone).date()])
            breaches = [b for b in calendar.breaches(wanted, now) if b.rule not in _NOT_RECHECKED]
            if breaches:
                raise ValidationError.many(breaches_as_problems(breaches))
            buffer = space_buffer(target)
            clashes = await uow.bookings.clashes(held[target.id], wanted, buffer, booking.id)
            if clashes:
                raise Conflict("The space is already booked at that time.", [clash_view(c, actor) for c in clashes])
            await uow.bookings.release(booking)
            booking.move_to(wanted.start, wanted.end, target.id)
            if not await uow.bookings.hold(booking, held[target.id], buffer):
                raise Conflict("The space was booked at that time meanwhile.")
            audit(uow, actor, "booking.move_approved", booking, change_id=str(change_id),
                  starts_at=wanted.start.isoformat())
        await tell_people(uow, "booking.move_approved", bookings, told, association)
        await uow.commit()
        return bookings
