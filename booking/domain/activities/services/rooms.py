"""The activities' rooms, reserved through the premises services in the same transaction.

The municipality's own holiday activities are municipal bookings, so the leisure staff member's actor
is widened to premises staff for those calls only; premises checks opening hours, holidays, closed
periods and conflicts as for any booking, and reports a conflict with the clashing times.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass, field, replace
from datetime import date, time, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from booking.domain.activities import scope
from booking.domain.activities.model import Activity
from booking.domain.activities.ports import ActivitiesUnitOfWork
from booking.domain.people.roles import Actor, Grant, Role
from booking.domain.premises import booking_services as premises
from booking.domain.shared.clock import Clock
from booking.domain.shared.errors import Conflict, NotFound
from booking.domain.shared.localtime import local_instant

PLAN_CHUNK_DAYS = 60


def as_municipal_booker(actor: Actor) -> Actor:
    """The staff member's actor widened to premises staff: the activity's room is a municipal booking.
    A grant narrowed to sites stays narrowed to the same sites."""
    sites = scope.staff_sites(actor)
    widened = {Grant(Role.PREMISES_STAFF, site) for site in sites} if sites else {Grant(Role.PREMISES_STAFF)}
    return replace(actor, grants=actor.grants | widened)


async def free_rooms(booking_ids: Sequence[UUID], reason: str | None, uow: ActivitiesUnitOfWork, actor: Actor,
                     clock: Clock) -> None:
    """Cancel the premises bookings in this same transaction (the premises service commits it)."""
    for booking_id in booking_ids:
        with suppress(Conflict, NotFound):  # already cancelled, or gone, in premises
            await premises.cancel_booking(booking_id, reason or "Aktiviteten är inställd.", uow,
                                          as_municipal_booker(actor), clock)


async def move_room(booking_id: UUID, day: date, start: time, end: time, uow: ActivitiesUnitOfWork, actor: Actor,
                    clock: Clock) -> None:
    """Premises moves the room and commits this whole transaction (or raises and nothing is kept)."""
    await premises.move_booking(premises.MoveBooking(booking_id, day, start, end), uow, as_municipal_booker(actor),
                                clock)


async def open_days(space_id: UUID, days: list[date], start: time, end: time, uow: ActivitiesUnitOfWork) -> set[date]:
    """Days on which the space is open (opening hours, holidays) for the whole of start-end."""
    out: set[date] = set()
    first, last = min(days), max(days)
    chunk = first
    while chunk <= last:
        chunk_last = min(last, chunk + timedelta(days=PLAN_CHUNK_DAYS - 1))
        _, zone, plans = await premises.availability_plan(space_id, chunk, chunk_last, uow)
        for plan, _busy in plans:
            if plan.day not in days or plan.closed_reason:
                continue
            s, e = local_instant(plan.day, start, zone, "start"), local_instant(plan.day, end, zone, "end")
            if any(w.start <= s and e <= w.end for w in plan.open):
                out.add(plan.day)
        chunk = chunk_last + timedelta(days=1)
    return out


@dataclass
class Booked:
    """The room's booking of each day, and the days premises skipped (with why)."""

    booking_of: dict[date, UUID] = field(default_factory=dict)
    skipped: list[dict[str, Any]] = field(default_factory=list)


async def book_room(activity: Activity, days: Sequence[date], start: time, end: time, repeat: bool,
                    zone: ZoneInfo, uow: ActivitiesUnitOfWork, actor: Actor, clock: Clock) -> Booked:
    """Reserve the activity's space on `days` (sorted), as one booking or, for a holiday, one series
    whose exception dates are the days left out. Premises commits the transaction."""
    space_id = activity.space_id
    if space_id is None:
        return Booked()
    recurrence = None
    if repeat:
        every = [days[0] + timedelta(days=i) for i in range((days[-1] - days[0]).days + 1)]
        recurrence = premises.Recurrence(weekdays=(0, 1, 2, 3, 4, 5, 6), until=days[-1],
                                         exdates=tuple(d for d in every if d not in days))
    booked = await premises.request_booking(premises.RequestBooking(
        space_id=space_id, title=activity.title, date=days[0], start=start, end=end,
        recurrence=recurrence, note=f"Lovaktivitet {activity.id}"), uow, as_municipal_booker(actor), clock)
    return Booked({b.starts_at.astimezone(zone).date(): b.id for b in booked.bookings}, list(booked.skipped))
