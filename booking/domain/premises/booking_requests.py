"""Requesting a booking, once or weekly: load the space and its calendar, let the request rules sort
the dates, store the bookings, hold the time when the request is approved at once, tell the booker.

Never a double booking: approved bookings occupy the leaf units of their space (a whole
divisible hall occupies every part) for their time plus the space's changeover buffer. The
occupancy is written under a lock on the units (PostgreSQL: row locks taken in sorted order;
SQLite: the writer lock of BEGIN IMMEDIATE) after re-checking, and PostgreSQL's exclusion
constraint refuses any overlap that slipped past, so the database itself carries the rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from uuid import UUID

from booking.domain.people.model import Association
from booking.domain.people.roles import Actor, Role
from booking.domain.premises.booking_common import audit, availability, clash_view, space_buffer, span, tell, units
from booking.domain.premises.booking_common import municipality_zone as zone_of
from booking.domain.premises.bookings import Booking, BookingStatus
from booking.domain.premises.calendar import Availability
from booking.domain.premises.model import Space
from booking.domain.premises.ports import PremisesUnitOfWork
from booking.domain.premises.request_rules import Admission, Outcome, auto_approved, lost_meanwhile
from booking.domain.premises.scope import space_of, staff_at
from booking.domain.premises.series import Recurrence, expand, series_of
from booking.domain.shared.clock import Clock
from booking.domain.shared.errors import Conflict, Forbidden, ValidationError
from booking.domain.shared.tenancy import of_municipality


@dataclass(frozen=True)
class RequestBooking:
    space_id: UUID
    title: str
    date: date
    start: time
    end: time
    association_id: UUID | None = None
    recurrence: Recurrence | None = None
    note: str | None = None


async def _association_for(uow: PremisesUnitOfWork, actor: Actor, association_id: UUID | None,
                           is_staff: bool) -> Association | None:
    """Staff (of the space's site) book for any association or none; others for one they represent.
    Premises staff narrowed to other sites may still book without an association: as a request."""
    if association_id is None:
        if not actor.has(Role.PREMISES_STAFF):
            raise ValidationError("association_id", "Say which association the booking is for.", "required")
        return None
    association = of_municipality(await uow.associations.get(association_id),
                                  actor.municipality_id, "association", association_id, "association_id")
    if not is_staff and not actor.represents(association_id):
        raise Forbidden("You do not represent this association.")
    if not association.is_verified and not is_staff:
        raise Forbidden("The association is not verified yet; the municipality checks new associations first.")
    return association


async def _admit(cmd: RequestBooking, dates: list[date], in_series: bool, space: Space, calendar: Availability,
                 taken: frozenset[UUID], uow: PremisesUnitOfWork, actor: Actor, now: datetime) -> Outcome:
    """The bookings of the dates that keep the space's rules and are free; the skipped dates said why."""
    admission, outcome = Admission(in_series), Outcome()
    for day in dates:
        wanted = span(day, cmd.start, cmd.end, calendar)
        if admission.breaks_rules(calendar.breaches(wanted, now)):
            continue
        if admission.is_taken(day, await uow.bookings.clashes(taken, wanted, space_buffer(space)), actor):
            continue
        outcome.bookings.append(Booking(
            municipality_id=space.municipality_id, space_id=space.id, starts_at=wanted.start, ends_at=wanted.end,
            booked_by=actor.account_id, title=cmd.title, association_id=cmd.association_id, note=cmd.note))
    if admission.refusals:
        raise ValidationError.many(admission.refusals)
    outcome.skipped = admission.skipped
    if not outcome.bookings:
        raise Conflict("No date of the series can be booked.", outcome.skipped)
    return outcome


async def _approve_at_once(outcome: Outcome, space: Space, taken: frozenset[UUID], uow: PremisesUnitOfWork,
                           actor: Actor, calendar: Availability, now: datetime) -> None:
    """Approve and hold every booking; a date taken meanwhile refuses a single request and is
    skipped from a series."""
    for booking in outcome.bookings:
        booking.approve(actor.account_id, now)  # before its first write: stored approved at once
        if await uow.bookings.hold(booking, taken, space_buffer(space)):
            continue
        if outcome.series is None:
            clashes = await uow.bookings.clashes(taken, booking.span, space_buffer(space), booking.id)
            raise Conflict("The space was booked at that time meanwhile.", [clash_view(c, actor) for c in clashes])
        outcome.skipped.append(lost_meanwhile(booking, booking.starts_at.astimezone(calendar.zone).date()))


async def request_booking(cmd: RequestBooking, uow: PremisesUnitOfWork, actor: Actor, clock: Clock) -> Outcome:
    now = clock.now()
    async with uow:
        space = await space_of(uow, actor, cmd.space_id, "space_id")
        staff_here = staff_at(actor, space.site_id)  # staff narrowed to other sites request like anyone
        association = await _association_for(uow, actor, cmd.association_id, staff_here)
        dates, rule = expand(cmd.date, cmd.recurrence)
        calendar = await availability(uow, space, await zone_of(uow, space.municipality_id), dates)
        taken = await units(uow, space)
        at_once = auto_approved(space, association, staff_here)
        if at_once:
            await uow.bookings.lock_units(taken)
        outcome = await _admit(cmd, dates, rule is not None, space, calendar, taken, uow, actor, now)
        if rule is not None:
            outcome.series = series_of(rule, space.municipality_id, space.id, cmd.start, cmd.end)
            uow.bookings.add_series(outcome.series)
        for booking in outcome.bookings:
            booking.series_id = outcome.series.id if outcome.series else None
            uow.bookings.add(booking)
        if at_once:
            await _approve_at_once(outcome, space, taken, uow, actor, calendar, now)
        for booking in outcome.bookings:
            audit(uow, actor, "booking.requested", booking, status=str(booking.status))
        approved_now = [b for b in outcome.bookings if b.status is BookingStatus.APPROVED]
        await tell(uow, "booking.requested_approved" if approved_now else "booking.requested",
                   approved_now or outcome.bookings)
        await uow.commit()
        return outcome
