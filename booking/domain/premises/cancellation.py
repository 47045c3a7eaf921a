"""Cancelling a booking: one occurrence, this and the following ones, or the whole series. An
approved occurrence frees its time; an association cancelling after the space's deadline keeps
its fee (staff cancelling never costs the association)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from enum import StrEnum
from uuid import UUID

from booking.domain.people.roles import Actor
from booking.domain.premises.booking_common import audit, tell
from booking.domain.premises.bookings import Booking, BookingStatus
from booking.domain.premises.ports import PremisesUnitOfWork
from booking.domain.premises.scope import booking_to_handle, is_party, require_staff_at, space_of, staff_at
from booking.domain.shared.clock import Clock
from booking.domain.shared.errors import Conflict

_OPEN = (BookingStatus.PENDING, BookingStatus.APPROVED)


class CancelScope(StrEnum):
    ONE = "one"  # this occurrence
    FOLLOWING = "following"  # this and the following occurrences of its series
    SERIES = "series"  # every occurrence of its series that has not yet begun


def cancel_targets(booking: Booking, siblings: Sequence[Booking], scope: CancelScope, now: datetime) -> list[Booking]:
    """What a cancellation takes: the booking itself, or those of its series (`siblings`) not yet begun
    and still open (from the booking on, for FOLLOWING), the booking first when it is open itself."""
    if scope is CancelScope.ONE or booking.series_id is None:
        return [booking]
    targets = [b for b in siblings if b.starts_at > now and b.status in _OPEN
               and (scope is CancelScope.SERIES or b.starts_at >= booking.starts_at)]
    if booking not in targets and booking.status in _OPEN:
        targets.insert(0, booking)
    return targets


async def cancel_booking(booking_id: UUID, reason: str | None, uow: PremisesUnitOfWork, actor: Actor, clock: Clock,
                         scope: CancelScope = CancelScope.ONE) -> list[Booking]:
    """Cancel one occurrence, this and the following ones, or the whole series (occurrences that
    have already begun stay as they were). Frees the time of every approved occurrence cancelled."""
    now = clock.now()
    async with uow:
        booking, space = await booking_to_handle(uow, actor, booking_id)
        siblings = (await uow.bookings.of_series(booking.series_id)
                    if booking.series_id and scope is not CancelScope.ONE else [])
        targets = cancel_targets(booking, siblings, scope, now)
        if not targets:
            raise Conflict("Nothing left to cancel in this series.")
        deadline = timedelta(hours=space.cancel_deadline_hours)
        sites = {space.id: space.site_id}
        for target in targets:
            if target.space_id not in sites:  # moved to another space of the municipality
                sites[target.space_id] = (await space_of(uow, actor, target.space_id)).site_id
            by_staff = staff_at(actor, sites[target.space_id])
            if not by_staff and not is_party(actor, target):
                require_staff_at(actor, sites[target.space_id])
            if target.holds_time:
                await uow.bookings.release(target)
            # Staff cancelling (e.g. for a municipal event) never costs the association its fee.
            target.cancel(actor.account_id, now, reason, None if by_staff else deadline)
            audit(uow, actor, "booking.cancelled", target, reason=reason, scope=str(scope))
        await tell(uow, "booking.cancelled", targets, reason)
        await uow.commit()
        return targets
