"""Bookings: requests, staff decisions (one booking, a series, a waiting change), moves and cancellations."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Response, get, post, put
from litestar.params import Parameter
from litestar.status_codes import HTTP_201_CREATED

from booking.adapters.db.queries import Queries
from booking.adapters.db.uow import SqlUnitOfWork
from booking.adapters.qr import qr_svg
from booking.api.access import SIGNED_IN, guarded
from booking.api.controllers.booking_views import PREMISES_STAFF, municipality_zone, skipped_view, to_booking
from booking.api.controllers.params import LimitQ, OffsetQ
from booking.api.schemas import bookings as s
from booking.config import Settings
from booking.domain.people.roles import Actor, Role
from booking.domain.premises import (
    approval,
    booking_requests,
    cancellation,
    changes,
    occasions,
    series,
)
from booking.domain.premises.bookings import BookingStatus
from booking.domain.premises.scope import check_handles, staff_sites
from booking.domain.shared.clock import Clock
from booking.domain.shared.errors import NotFound, ValidationError


class BookingController(Controller):
    path = "/api/bookings"
    tags = ["bookings"]

    @post("/", operation_id="requestBooking", status_code=HTTP_201_CREATED, **guarded(SIGNED_IN, idempotent=True))
    async def request_booking(self, data: s.BookingCreate, uow: SqlUnitOfWork, actor: Actor, clock: Clock,
                              queries: Queries) -> Response[s.BookingOutcome]:
        """Request a single booking or a weekly series, in local time. Representatives book for their
        (verified) association; premises staff may book without one and their bookings are approved at
        once. Dates of a series that fall on holidays, closed periods or taken times are left out and
        listed in `skipped`; any other broken rule refuses the request (422, naming rule and date).
        A single booking that collides answers 409 with the conflicting times."""
        recurrence = None
        if data.recurrence is not None:
            r = data.recurrence
            recurrence = series.Recurrence(tuple(r.weekdays), r.interval, r.until, r.count, tuple(r.exdates))
        outcome = await booking_requests.request_booking(booking_requests.RequestBooking(
            space_id=data.space_id, title=data.title, date=data.date, start=s.wall_time(data.start),
            end=s.wall_time(data.end),
            association_id=data.association_id, recurrence=recurrence, note=data.note), uow, actor, clock)
        zone = await municipality_zone(queries, actor.municipality_id)
        first = outcome.bookings[0]
        return Response(
            s.BookingOutcome([to_booking(b, zone) for b in outcome.bookings],
                             outcome.series.id if outcome.series else None, skipped_view(outcome.skipped)),
            status_code=HTTP_201_CREATED, headers={"Location": f"/api/bookings/{first.id}"})

    @get("/", operation_id="listBookings", **guarded(SIGNED_IN))
    async def list_bookings(
        self, queries: Queries, actor: Actor,
        space_id: Annotated[UUID | None, Parameter(query="space_id")] = None,
        association_id: Annotated[UUID | None, Parameter(query="association_id")] = None,
        status: Annotated[BookingStatus | None, Parameter(query="status")] = None,
        starts_from: Annotated[dt.datetime | None, Parameter(query="from")] = None,
        starts_to: Annotated[dt.datetime | None, Parameter(query="to")] = None,
        mine: Annotated[bool, Parameter(query="mine", description="Only bookings I made or my associations'.")]
        = False,
        pending_change: Annotated[bool | None, Parameter(
            query="pending_change", description="Only bookings with (true) or without (false) a move waiting for "
                                                "staff.")] = None,
        limit: LimitQ = 50, offset: OffsetQ = 0,
    ) -> s.BookingPage:
        """Staff see every booking of the municipality (staff narrowed to sites: those sites'; with
        `mine=true`, their own); representatives their associations'; everyone else the bookings they made."""
        for name, value in (("from", starts_from), ("to", starts_to)):
            if value is not None and value.tzinfo is None:
                raise ValidationError(name, "Give a time zone, e.g. 2027-01-14T18:00:00+01:00 or ...Z.")
        sites = staff_sites(actor) if actor.has(Role.PREMISES_STAFF) and not mine else frozenset()
        visible = None if sites is None else {
            g.scope_id for g in actor.grants if g.role == Role.ASSOCIATION_REP and g.scope_id is not None}
        page = await queries.bookings(
            actor.municipality_id, visible_associations=visible, booked_by=actor.account_id, space_id=space_id,
            association_id=association_id, status=status, starts_from=starts_from, starts_to=starts_to,
            limit=limit, offset=offset, visible_sites=sites, pending_change=pending_change)
        zone = await municipality_zone(queries, actor.municipality_id)
        return s.BookingPage([to_booking(b, zone) for b in page.items], page.total, limit, offset)

    @get("/{booking_id:uuid}", operation_id="getBooking", **guarded(SIGNED_IN))
    async def get_booking(self, booking_id: UUID, queries: Queries, actor: Actor) -> s.Booking:
        booking = await queries.booking(booking_id)
        if booking is None:
            raise NotFound("Booking", booking_id)
        space = await queries.space(booking.space_id)
        check_handles(actor, booking, space.space.site_id if space else None)
        return to_booking(booking, await municipality_zone(queries, actor.municipality_id))

    @post("/{booking_id:uuid}/decision", operation_id="decideBooking", status_code=200, **guarded(PREMISES_STAFF))
    async def decide(self, booking_id: UUID, data: s.Decision, uow: SqlUnitOfWork, actor: Actor, clock: Clock,
                     queries: Queries) -> s.BookingOutcome:
        """Approve or reject (with a reason) a pending request. Approval re-checks the time."""
        outcome = await approval.decide([booking_id], data.approve, data.reason, uow, actor, clock)
        zone = await municipality_zone(queries, actor.municipality_id)
        return s.BookingOutcome([to_booking(b, zone) for b in outcome.bookings], None, skipped_view(outcome.skipped))

    @post("/{booking_id:uuid}/cancellation", operation_id="cancelBooking", status_code=200, **guarded(SIGNED_IN))
    async def cancel(self, booking_id: UUID, data: s.Cancellation, uow: SqlUnitOfWork, actor: Actor, clock: Clock,
                     queries: Queries) -> s.CancellationOutcome:
        """Cancel this occurrence (`scope: one`), this and the following ones (`following`), or the
        whole series (`series`; occurrences already begun stay). The association's representatives,
        the booker, or staff. Frees the time."""
        cancelled = await cancellation.cancel_booking(booking_id, data.reason, uow, actor, clock, data.scope)
        zone = await municipality_zone(queries, actor.municipality_id)
        return s.CancellationOutcome([to_booking(b, zone) for b in cancelled])

    @put("/{booking_id:uuid}/attendance", operation_id="recordAttendance", **guarded(SIGNED_IN))
    async def record_attendance(self, booking_id: UUID, data: s.AttendanceIn, uow: SqlUnitOfWork, actor: Actor,
                                clock: Clock) -> None:
        """Record (or correct) who came to an approved occasion that has begun: the association's
        representatives, the booker, or staff."""
        await occasions.record_attendance(occasions.RecordAttendance(
            booking_id, data.leader_name, data.leader_birth_year,
            tuple({"birth_year": p.birth_year, "gender": str(p.gender), "count": p.count} for p in data.participants),
            data.leaders), uow, actor, clock)

    @get("/{booking_id:uuid}/access", operation_id="getBookingAccess", cache_control=None, **guarded(SIGNED_IN))
    async def access(self, booking_id: UUID, uow: SqlUnitOfWork, actor: Actor, settings: Settings) -> Response[
            s.BookingAccess]:
        """The door code (valid 15 minutes before to 15 minutes after) or key instructions, and the
        check-in link shown as a QR code at the door. Only for the association that booked, and staff."""
        access = await occasions.booking_access(booking_id, uow, actor, settings.secret_key)
        return Response(s.BookingAccess(access.mode, access.instructions, access.door_code, access.valid_from,
                                        access.valid_to, f"{settings.base_url}/c/{access.check_in_code}"),
                        headers={"Cache-Control": "no-store"})

    @get("/{booking_id:uuid}/check-in.svg", operation_id="getCheckInQr", media_type="image/svg+xml",
         **guarded(SIGNED_IN))
    async def check_in_qr(self, booking_id: UUID, uow: SqlUnitOfWork, actor: Actor,
                          settings: Settings) -> Response[bytes]:
        """The check-in link as a QR code (SVG, error correction M, quiet zone of 4 modules)."""
        access = await occasions.booking_access(booking_id, uow, actor, settings.secret_key)
        return Response(qr_svg(f"{settings.base_url}/c/{access.check_in_code}"), media_type="image/svg+xml",
                        headers={"Cache-Control": "private, no-store"})

    @post("/{booking_id:uuid}/no-show", operation_id="markNoShow", status_code=200, **guarded(PREMISES_STAFF))
    async def no_show(self, booking_id: UUID, uow: SqlUnitOfWork, actor: Actor, clock: Clock,
                      queries: Queries) -> s.Booking:
        """Nobody came: staff mark the booking (repeated no-shows show in the no-show report)."""
        booking = await occasions.mark_no_show(booking_id, uow, actor, clock)
        return to_booking(booking, await municipality_zone(queries, actor.municipality_id))

    @post("/{booking_id:uuid}/move", operation_id="moveBooking", status_code=200, **guarded(SIGNED_IN))
    async def move(self, booking_id: UUID, data: s.BookingMove, uow: SqlUnitOfWork, actor: Actor, clock: Clock,
                   queries: Queries) -> s.Booking:
        """Move one occurrence to another date or time (or, with `space_id`, another space); rules and
        conflicts are checked again. Staff of the site move it at once. A move by the association of an
        approved booking waits for staff (`pending_change`; the booked time holds until they approve)
        unless the new space auto-approves the association's category."""
        booking = await changes.move_booking(changes.MoveBooking(
            booking_id, data.date, s.wall_time(data.start), s.wall_time(data.end), data.space_id), uow, actor, clock)
        return to_booking(booking, await municipality_zone(queries, actor.municipality_id))


class BookingChangeController(Controller):
    path = "/api/booking-changes"
    tags = ["bookings"]

    @post("/{change_id:uuid}/decision", operation_id="decideBookingChange", status_code=200,
          **guarded(PREMISES_STAFF))
    async def decide(self, change_id: UUID, data: s.Decision, uow: SqlUnitOfWork, actor: Actor, clock: Clock,
                     queries: Queries) -> s.ChangeOutcome:
        """Approve a move an association asked for (the new time is checked and held and the old one
        released, together; a clash answers 409 and nothing changes), or refuse it with a reason (the
        booking keeps its time). The association is told by e-mail. Staff of the sites involved only."""
        bookings = await changes.decide_change(change_id, data.approve, data.reason, uow, actor, clock)
        zone = await municipality_zone(queries, actor.municipality_id)
        return s.ChangeOutcome(change_id, data.approve, [to_booking(b, zone) for b in bookings])


class SeriesController(Controller):
    path = "/api/booking-series"
    tags = ["bookings"]

    @post("/{series_id:uuid}/decision", operation_id="decideSeries", status_code=200, **guarded(PREMISES_STAFF))
    async def decide(self, series_id: UUID, data: s.Decision, uow: SqlUnitOfWork, actor: Actor, clock: Clock,
                     queries: Queries) -> s.BookingOutcome:
        """Approve every pending occurrence that is still free (the others are rejected and listed in
        `skipped`), or reject them all with a reason."""
        ids = await approval.series_booking_ids(series_id, uow, actor)
        outcome = await approval.decide(ids, data.approve, data.reason, uow, actor, clock)
        zone = await municipality_zone(queries, actor.municipality_id)
        return s.BookingOutcome([to_booking(b, zone) for b in outcome.bookings], series_id,
                                skipped_view(outcome.skipped))



HANDLERS: list[Any] = [BookingController, SeriesController, BookingChangeController]
