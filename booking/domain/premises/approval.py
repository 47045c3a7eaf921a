"""Staff decide pending requests: approve (every occurrence still free is held, the others are
rejected and reported) or reject with a reason."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from booking.domain.people.roles import Actor
from booking.domain.premises.booking_common import audit, clash_view, space_buffer, tell, units
from booking.domain.premises.booking_common import municipality_zone as zone_of
from booking.domain.premises.bookings import Booking, BookingStatus
from booking.domain.premises.model import Space
from booking.domain.premises.ports import PremisesUnitOfWork
from booking.domain.premises.request_rules import Outcome
from booking.domain.premises.scope import booking_for_staff, space_of
from booking.domain.shared.clock import Clock
from booking.domain.shared.errors import Conflict
from booking.domain.shared.tenancy import of_municipality

TAKEN_ALREADY = "Tiden var redan bokad."


async def _reject(pending: list[Booking], reason: str | None, uow: PremisesUnitOfWork, actor: Actor,
                  clock: Clock) -> Outcome:
    for booking in pending:
        booking.reject(actor.account_id, clock.now(), reason or "")
        audit(uow, actor, "booking.rejected", booking, reason=reason)
    await tell(uow, "booking.rejected", pending, reason)
    return Outcome(bookings=pending)


async def _spaces_of(pending: list[Booking], uow: PremisesUnitOfWork, actor: Actor
                     ) -> dict[UUID, tuple[Space, frozenset[UUID]]]:
    spaces: dict[UUID, tuple[Space, frozenset[UUID]]] = {}
    for booking in pending:
        if booking.space_id not in spaces:
            space = await space_of(uow, actor, booking.space_id)
            spaces[booking.space_id] = (space, await units(uow, space))
    return spaces


def _refused(booking: Booking, day: str, shown: list[dict[str, Any]]) -> dict[str, Any]:
    return {"rule": "conflict", "date": day, "booking_id": str(booking.id), "message": "Already booked at that time.",
            "conflicts": shown}


async def _approve(pending: list[Booking], uow: PremisesUnitOfWork, actor: Actor, clock: Clock) -> Outcome:
    """Hold every occurrence that is still free, earliest first; the others are rejected (one alone: a 409)."""
    now, outcome = clock.now(), Outcome()
    zone = await zone_of(uow, actor.municipality_id)
    spaces = await _spaces_of(pending, uow, actor)
    await uow.bookings.lock_units(frozenset().union(*(u for _, u in spaces.values())))
    for booking in sorted(pending, key=lambda b: b.starts_at):
        space, taken = spaces[booking.space_id]
        if await uow.bookings.hold(booking, taken, space_buffer(space)):
            booking.approve(actor.account_id, now)
            outcome.bookings.append(booking)
            audit(uow, actor, "booking.approved", booking)
            continue
        shown = [clash_view(c, actor) for c in await uow.bookings.clashes(taken, booking.span, space_buffer(space),
                                                                          booking.id)]
        if len(pending) == 1:
            raise Conflict("The space is already booked at that time.", shown)
        booking.reject(actor.account_id, now, TAKEN_ALREADY)
        outcome.skipped.append(_refused(booking, booking.starts_at.astimezone(zone).date().isoformat(), shown))
        audit(uow, actor, "booking.rejected", booking, reason="conflict")
    await tell(uow, "booking.approved", outcome.bookings)
    await tell(uow, "booking.rejected", [b for b in pending if b.status is BookingStatus.REJECTED], TAKEN_ALREADY)
    return outcome


async def decide(booking_ids: list[UUID], approve: bool, reason: str | None, uow: PremisesUnitOfWork, actor: Actor,
                 clock: Clock) -> Outcome:
    """Approve (or reject) pending bookings (staff of their sites: 403 elsewhere). Approving takes every
    occurrence that is still free and reports the others, which are rejected with the reason 'conflict'."""
    async with uow:
        bookings = [(await booking_for_staff(uow, actor, i))[0] for i in booking_ids]
        pending = [b for b in bookings if b.status is BookingStatus.PENDING]
        if not pending:
            raise Conflict("Nothing pending to decide.", [{"booking_id": str(b.id), "status": str(b.status)}
                                                          for b in bookings])
        outcome = await (_approve(pending, uow, actor, clock) if approve
                         else _reject(pending, reason, uow, actor, clock))
        await uow.commit()
        return outcome


async def series_booking_ids(series_id: UUID, uow: PremisesUnitOfWork, actor: Actor) -> list[UUID]:
    """The occurrences of a series of the actor's municipality (404 otherwise)."""
    async with uow:
        bookings = await uow.bookings.of_series(series_id)
        of_municipality(bookings[0] if bookings else None, actor.municipality_id, "series", series_id)
        return [b.id for b in bookings]
