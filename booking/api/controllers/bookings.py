"""Booking requests, decisions, cancellations and opening hours of spaces."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from typing import Annotated, Any
from uuid import UUID
from zoneinfo import ZoneInfo

from litestar import Controller, Response, delete, get, post, put
from litestar.params import Parameter
from litestar.status_codes import HTTP_201_CREATED

from booking.adapters.db.queries import Queries
from booking.adapters.db.uow import SqlUnitOfWork
from booking.adapters.qr import qr_svg
from booking.api.access import ADMIN_ONLY, PUBLIC, SIGNED_IN, guarded, roles
from booking.api.controllers.places import LimitQ, MunicipalityQ, OffsetQ
from booking.api.schemas import bookings as s
from booking.config import Settings
from booking.domain.people.roles import Actor, Role
from booking.domain.premises import booking_services as services
from booking.domain.premises import changes
from booking.domain.premises.attendance import assess_lok
from booking.domain.premises.bookings import Booking, BookingStatus
from booking.domain.premises.calendar import OpeningHours, Window
from booking.domain.premises.fees import Price, TariffCategory, fee_lines
from booking.domain.premises.model import SpaceKind
from booking.domain.premises.scope import attendance_sites, check_handles, require_staff_at, staff_sites
from booking.domain.shared.clock import Clock
from booking.domain.shared.errors import NotFound, ValidationError
from booking.domain.shared.localtime import check_day, local_instant
from booking.domain.shared.timespan import TimeSpan

PREMISES_STAFF = roles(Role.PREMISES_STAFF)


def _pending_change(b: Booking, zone: ZoneInfo) -> s.PendingChange | None:
    proposed = b.proposed_span
    if b.change_id is None or b.proposed_space_id is None or proposed is None:
        return None
    start, end = proposed.start.astimezone(zone), proposed.end.astimezone(zone)
    return s.PendingChange(b.change_id, b.proposed_space_id, proposed.start, proposed.end, start.date(),
                           start.strftime("%H:%M"), end.strftime("%H:%M"), b.change_requested_at)


def to_booking(b: Booking, zone: ZoneInfo) -> s.Booking:
    start, end = b.starts_at.astimezone(zone), b.ends_at.astimezone(zone)
    return s.Booking(
        id=b.id, space_id=b.space_id, series_id=b.series_id, association_id=b.association_id, title=b.title,
        note=b.note, status=b.status, starts_at=b.starts_at, ends_at=b.ends_at, local_date=start.date(),
        local_start=start.strftime("%H:%M"), local_end=end.strftime("%H:%M"), sequence=b.sequence,
        decided_at=b.decided_at, decision_reason=b.decision_reason,
        created_at=b.created_at, updated_at=b.updated_at,  # type: ignore[arg-type]
        checked_in_at=b.checked_in_at, no_show=b.no_show, pending_change=_pending_change(b, zone),
    )


def _skipped(items: list[dict[str, Any]]) -> list[s.Skipped]:
    return [s.Skipped(date=dt.date.fromisoformat(i["date"]), rule=i["rule"], message=i["message"],
                      conflicts=i.get("conflicts", [])) for i in items]


async def _zone(queries: Queries, municipality_id: UUID) -> ZoneInfo:
    municipality = await queries.municipality(municipality_id)
    return municipality.zone if municipality else ZoneInfo("Europe/Stockholm")


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
            recurrence = services.Recurrence(tuple(r.weekdays), r.interval, r.until, r.count, tuple(r.exdates))
        outcome = await services.request_booking(services.RequestBooking(
            space_id=data.space_id, title=data.title, date=data.date, start=s.wall_time(data.start),
            end=s.wall_time(data.end),
            association_id=data.association_id, recurrence=recurrence, note=data.note), uow, actor, clock)
        zone = await _zone(queries, actor.municipality_id)
        first = outcome.bookings[0]
        return Response(
            s.BookingOutcome([to_booking(b, zone) for b in outcome.bookings],
                             outcome.series.id if outcome.series else None, _skipped(outcome.skipped)),
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
        zone = await _zone(queries, actor.municipality_id)
        return s.BookingPage([to_booking(b, zone) for b in page.items], page.total, limit, offset)

    @get("/{booking_id:uuid}", operation_id="getBooking", **guarded(SIGNED_IN))
    async def get_booking(self, booking_id: UUID, queries: Queries, actor: Actor) -> s.Booking:
        booking = await queries.booking(booking_id)
        if booking is None:
            raise NotFound("Booking", booking_id)
        space = await queries.space(booking.space_id)
        check_handles(actor, booking, space.space.site_id if space else None)
        return to_booking(booking, await _zone(queries, actor.municipality_id))

    @post("/{booking_id:uuid}/decision", operation_id="decideBooking", status_code=200, **guarded(PREMISES_STAFF))
    async def decide(self, booking_id: UUID, data: s.Decision, uow: SqlUnitOfWork, actor: Actor, clock: Clock,
                     queries: Queries) -> s.BookingOutcome:
        """Approve or reject (with a reason) a pending request. Approval re-checks the time."""
        outcome = await services.decide([booking_id], data.approve, data.reason, uow, actor, clock)
        zone = await _zone(queries, actor.municipality_id)
        return s.BookingOutcome([to_booking(b, zone) for b in outcome.bookings], None, _skipped(outcome.skipped))

    @post("/{booking_id:uuid}/cancellation", operation_id="cancelBooking", status_code=200, **guarded(SIGNED_IN))
    async def cancel(self, booking_id: UUID, data: s.Cancellation, uow: SqlUnitOfWork, actor: Actor, clock: Clock,
                     queries: Queries) -> s.CancellationOutcome:
        """Cancel this occurrence (`scope: one`), this and the following ones (`following`), or the
        whole series (`series`; occurrences already begun stay). The association's representatives,
        the booker, or staff. Frees the time."""
        cancelled = await services.cancel_booking(booking_id, data.reason, uow, actor, clock, data.scope)
        zone = await _zone(queries, actor.municipality_id)
        return s.CancellationOutcome([to_booking(b, zone) for b in cancelled])

    @put("/{booking_id:uuid}/attendance", operation_id="recordAttendance", **guarded(SIGNED_IN))
    async def record_attendance(self, booking_id: UUID, data: s.AttendanceIn, uow: SqlUnitOfWork, actor: Actor,
                                clock: Clock) -> None:
        """Record (or correct) who came to an approved occasion that has begun: the association's
        representatives, the booker, or staff."""
        await services.record_attendance(services.RecordAttendance(
            booking_id, data.leader_name, data.leader_birth_year,
            tuple({"birth_year": p.birth_year, "gender": str(p.gender), "count": p.count} for p in data.participants),
            data.leaders), uow, actor, clock)

    @get("/{booking_id:uuid}/access", operation_id="getBookingAccess", cache_control=None, **guarded(SIGNED_IN))
    async def access(self, booking_id: UUID, uow: SqlUnitOfWork, actor: Actor, settings: Settings) -> Response[
            s.BookingAccess]:
        """The door code (valid 15 minutes before to 15 minutes after) or key instructions, and the
        check-in link shown as a QR code at the door. Only for the association that booked, and staff."""
        access = await services.booking_access(booking_id, uow, actor, settings.secret_key)
        return Response(s.BookingAccess(access.mode, access.instructions, access.door_code, access.valid_from,
                                        access.valid_to, f"{settings.base_url}/c/{access.check_in_code}"),
                        headers={"Cache-Control": "no-store"})

    @get("/{booking_id:uuid}/check-in.svg", operation_id="getCheckInQr", media_type="image/svg+xml",
         **guarded(SIGNED_IN))
    async def check_in_qr(self, booking_id: UUID, uow: SqlUnitOfWork, actor: Actor,
                          settings: Settings) -> Response[bytes]:
        """The check-in link as a QR code (SVG, error correction M, quiet zone of 4 modules)."""
        access = await services.booking_access(booking_id, uow, actor, settings.secret_key)
        return Response(qr_svg(f"{settings.base_url}/c/{access.check_in_code}"), media_type="image/svg+xml",
                        headers={"Cache-Control": "private, no-store"})

    @post("/{booking_id:uuid}/no-show", operation_id="markNoShow", status_code=200, **guarded(PREMISES_STAFF))
    async def no_show(self, booking_id: UUID, uow: SqlUnitOfWork, actor: Actor, clock: Clock,
                      queries: Queries) -> s.Booking:
        """Nobody came: staff mark the booking (repeated no-shows show in the no-show report)."""
        booking = await services.mark_no_show(booking_id, uow, actor, clock)
        return to_booking(booking, await _zone(queries, actor.municipality_id))

    @post("/{booking_id:uuid}/move", operation_id="moveBooking", status_code=200, **guarded(SIGNED_IN))
    async def move(self, booking_id: UUID, data: s.BookingMove, uow: SqlUnitOfWork, actor: Actor, clock: Clock,
                   queries: Queries) -> s.Booking:
        """Move one occurrence to another date or time (or, with `space_id`, another space); rules and
        conflicts are checked again. Staff of the site move it at once. A move by the association of an
        approved booking waits for staff (`pending_change`; the booked time holds until they approve)
        unless the new space auto-approves the association's category."""
        booking = await changes.move_booking(changes.MoveBooking(
            booking_id, data.date, s.wall_time(data.start), s.wall_time(data.end), data.space_id), uow, actor, clock)
        return to_booking(booking, await _zone(queries, actor.municipality_id))


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
        zone = await _zone(queries, actor.municipality_id)
        return s.ChangeOutcome(change_id, data.approve, [to_booking(b, zone) for b in bookings])


class AttendanceReportController(Controller):
    path = "/api/associations/{association_id:uuid}"
    tags = ["bookings"]

    async def _report(self, association_id: UUID, first: dt.date, last: dt.date, queries: Queries,
                      actor: Actor) -> tuple[ZoneInfo, s.AttendanceReport]:
        sites = attendance_sites(actor, association_id, await queries.association_municipality(association_id))
        check_day(first, "from")
        check_day(last, "to")
        if last < first:
            raise ValidationError("to", "The end date is before the start date.", "range")
        zone = await _zone(queries, actor.municipality_id)
        rows = await queries.attendance_of(actor.municipality_id, association_id,
                                           local_instant(first, dt.time(0), zone, "from"),
                                           local_instant(last + dt.timedelta(days=1), dt.time(0), zone, "to"), sites)
        items = []
        for booking, record, space_name in rows:
            start = booking.starts_at.astimezone(zone)
            minutes = int((booking.ends_at - booking.starts_at).total_seconds() // 60)
            lok = assess_lok(record, booking.starts_at, booking.ends_at) if record else None
            items.append(s.AttendanceOut(
                booking_id=booking.id, local_date=start.date(), local_start=start.strftime("%H:%M"), minutes=minutes,
                space_name=space_name, recorded=record is not None,
                leader_name=record.leader_name if record else None,
                leader_birth_year=record.leader_birth_year if record else None,
                participants=[s.ParticipantGroup(g.birth_year, g.gender, g.count) for g in record.groups]
                if record else [],
                total=record.total if record else 0, lok_counts=bool(lok and lok.counts),
                lok_participants=lok.eligible_participants if lok else 0,
                lok_notes=lok.reasons if lok else ["not recorded"]))
        return zone, s.AttendanceReport(first, last, items)

    @get("/attendance", operation_id="getAttendanceReport", **guarded(SIGNED_IN))
    async def report(self, association_id: UUID, queries: Queries, actor: Actor,
                     first: Annotated[dt.date, Parameter(query="from")],
                     last: Annotated[dt.date, Parameter(query="to")]) -> s.AttendanceReport:
        """Attendance per approved occasion, with whether each counts as a LOK-stöd meeting."""
        return (await self._report(association_id, first, last, queries, actor))[1]

    @get("/attendance.csv", operation_id="getAttendanceCsv", media_type="text/csv", **guarded(SIGNED_IN))
    async def report_csv(self, association_id: UUID, queries: Queries, actor: Actor,
                         first: Annotated[dt.date, Parameter(query="from")],
                         last: Annotated[dt.date, Parameter(query="to")]) -> Response[str]:
        """The same as CSV for LOK-stöd reporting: one row per meeting with date, start, duration,
        leader, and the participants' birth years and genders (semicolon-separated, UTF-8)."""
        _, report = await self._report(association_id, first, last, queries, actor)
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
        writer.writerow(["datum", "starttid", "minuter", "lokal", "ledare", "ledarens_fodelsear", "antal_deltagare",
                         "deltagare_fodelsear_kon", "lok_raknas", "lok_deltagare", "anmarkning"])
        short = {"female": "K", "male": "M", "other": "A"}
        for item in report.items:
            people = ",".join(f"{g.birth_year}{short[str(g.gender)]}x{g.count}" for g in item.participants)
            writer.writerow([item.local_date.isoformat(), item.local_start, item.minutes, item.space_name,
                             item.leader_name or "", item.leader_birth_year or "", item.total, people,
                             "ja" if item.lok_counts else "nej", item.lok_participants, "; ".join(item.lok_notes)])
        return Response("\ufeff" + out.getvalue(), media_type="text/csv", headers={
            "Content-Disposition": f'attachment; filename="lok-{report.first}-{report.last}.csv"'})


class FeeController(Controller):
    path = "/api"
    tags = ["fees"]

    @get("/tariffs", operation_id="getPrices", **guarded(PUBLIC))
    async def prices(self, queries: Queries, municipality: MunicipalityQ) -> s.PriceList:
        """The municipality's hourly prices per tariff category and space kind (public)."""
        if municipality is None:
            raise ValidationError("municipality", "Say which municipality (its slug).", "required")
        municipality_id = await queries.municipality_id_by_slug(municipality)
        if municipality_id is None:
            raise ValidationError("municipality", f"No municipality with slug {municipality!r}.", "unknown")
        prices = await queries.prices(municipality_id)
        return s.PriceList([s.PriceIO(TariffCategory(c), SpaceKind(k), v) for (c, k), v in sorted(prices.items())])

    @put("/tariffs", operation_id="setPrices", **guarded(ADMIN_ONLY))
    async def set_prices(self, data: s.PriceList, uow: SqlUnitOfWork, actor: Actor) -> s.PriceList:
        """Replace the price list."""
        await services.set_prices([Price(p.category, str(p.space_kind), p.hourly) for p in data.items], uow, actor)
        return data

    async def _basis(self, queries: Queries, actor: Actor, first: dt.date, last: dt.date,
                     association_id: UUID | None) -> s.FeeBasis:
        check_day(first, "from")
        check_day(last, "to")
        if last < first:
            raise ValidationError("to", "The end date is before the start date.", "range")
        zone = await _zone(queries, actor.municipality_id)
        billables = await queries.billables(actor.municipality_id, local_instant(first, dt.time(0), zone, "from"),
                                            local_instant(last + dt.timedelta(days=1), dt.time(0), zone, "to"),
                                            association_id, staff_sites(actor))
        lines = fee_lines(billables, await queries.prices(actor.municipality_id))
        names = await queries.association_names({line.association_id for line in lines})
        groups: dict[UUID, list[s.FeeLineOut]] = {}
        for line in lines:
            start, end = line.starts_at.astimezone(zone), line.ends_at.astimezone(zone)
            groups.setdefault(line.association_id, []).append(s.FeeLineOut(
                line.booking_id, start.date(), start.strftime("%H:%M"), end.strftime("%H:%M"), line.space_id,
                line.space_kind, line.tariff, line.hours, line.hourly, line.amount, line.late_cancellation))
        associations = [s.AssociationFees(a, names[a][0], names[a][1], items,
                                          sum((i.amount for i in items), Decimal(0)))
                        for a, items in groups.items()]
        return s.FeeBasis(first, last, associations, sum((a.total for a in associations), Decimal(0)))

    @get("/fees", operation_id="getFeeBasis", **guarded(PREMISES_STAFF))
    async def fee_basis(self, queries: Queries, actor: Actor,
                        first: Annotated[dt.date, Parameter(query="from")],
                        last: Annotated[dt.date, Parameter(query="to")],
                        association_id: Annotated[UUID | None, Parameter(query="association_id")] = None,
                        ) -> s.FeeBasis:
        """The fee basis of a period for the municipality's invoicing."""
        return await self._basis(queries, actor, first, last, association_id)

    @get("/fees.csv", operation_id="getFeeBasisCsv", media_type="text/csv", **guarded(PREMISES_STAFF))
    async def fee_basis_csv(self, queries: Queries, actor: Actor,
                            first: Annotated[dt.date, Parameter(query="from")],
                            last: Annotated[dt.date, Parameter(query="to")],
                            association_id: Annotated[UUID | None, Parameter(query="association_id")] = None,
                            ) -> Response[str]:
        """The same as CSV: one row per charged booking (semicolon-separated, decimal comma)."""
        basis = await self._basis(queries, actor, first, last, association_id)
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
        writer.writerow(["organisationsnummer", "forening", "datum", "start", "slut", "lokaltyp", "taxa", "timmar",
                         "pris_per_timme", "belopp", "sen_avbokning", "bokning"])
        for association in basis.associations:
            for line in association.lines:
                writer.writerow([association.org_number, association.name, line.local_date.isoformat(),
                                 line.local_start, line.local_end, line.space_kind, str(line.tariff),
                                 _kr(line.hours), _kr(line.hourly), _kr(line.amount),
                                 "ja" if line.late_cancellation else "nej", line.booking_id])
        return Response("\ufeff" + out.getvalue(), media_type="text/csv", headers={
            "Content-Disposition": f'attachment; filename="avgiftsunderlag-{first}-{last}.csv"'})


def _kr(value: Decimal) -> str:
    return f"{value:.2f}".replace(".", ",")


class CheckInController(Controller):
    path = "/api"
    tags = ["bookings"]

    @post("/check-ins", operation_id="checkIn", status_code=200, **guarded(PREMISES_STAFF))
    async def check_in(self, data: s.CheckIn, uow: SqlUnitOfWork, actor: Actor, clock: Clock, settings: Settings,
                       queries: Queries) -> s.Booking:
        """Scan the booking's QR code at the door (the scanner's text: the link or the code)."""
        code = data.code.strip().rsplit("/c/", 1)[-1]
        booking = await services.check_in(code, uow, actor, clock, settings.secret_key)
        return to_booking(booking, await _zone(queries, actor.municipality_id))

    @get("/no-shows", operation_id="getNoShows", **guarded(PREMISES_STAFF))
    async def no_shows(self, queries: Queries, actor: Actor, clock: Clock,
                       since: Annotated[dt.date | None, Parameter(query="since")] = None) -> s.NoShowReport:
        """Associations that did not come to their bookings, most first (default: the last 180 days)."""
        zone = await _zone(queries, actor.municipality_id)
        first = since or (clock.now().astimezone(zone).date() - dt.timedelta(days=180))
        check_day(first, "since")
        rows = await queries.no_shows(actor.municipality_id, local_instant(first, dt.time(0), zone, "since"),
                                      staff_sites(actor))
        return s.NoShowReport(first, [s.NoShows(a, name, n, latest) for a, name, n, latest in rows])


class SpaceAccessController(Controller):
    path = "/api/spaces/{space_id:uuid}/access"
    tags = ["spaces"]

    @get("/", operation_id="getSpaceAccess", **guarded(PREMISES_STAFF))
    async def get_access(self, space_id: UUID, queries: Queries, actor: Actor) -> s.SpaceAccess:
        view = await queries.space(space_id)
        if view is None or view.space.municipality_id != actor.municipality_id:
            raise NotFound("Space", space_id)
        require_staff_at(actor, view.space.site_id)
        return s.SpaceAccess(view.space.access_mode, view.space.access_instructions)

    @put("/", operation_id="setSpaceAccess", **guarded(PREMISES_STAFF))
    async def set_access(self, space_id: UUID, data: s.SpaceAccess, uow: SqlUnitOfWork, actor: Actor) -> s.SpaceAccess:
        """How the space is entered; the instructions are shown only to associations with a booking."""
        space = await services.set_space_access(space_id, data.mode, data.instructions, uow, actor)
        return s.SpaceAccess(space.access_mode, space.access_instructions)


class SeriesController(Controller):
    path = "/api/booking-series"
    tags = ["bookings"]

    @post("/{series_id:uuid}/decision", operation_id="decideSeries", status_code=200, **guarded(PREMISES_STAFF))
    async def decide(self, series_id: UUID, data: s.Decision, uow: SqlUnitOfWork, actor: Actor, clock: Clock,
                     queries: Queries) -> s.BookingOutcome:
        """Approve every pending occurrence that is still free (the others are rejected and listed in
        `skipped`), or reject them all with a reason."""
        ids = await services.series_booking_ids(series_id, uow, actor)
        outcome = await services.decide(ids, data.approve, data.reason, uow, actor, clock)
        zone = await _zone(queries, actor.municipality_id)
        return s.BookingOutcome([to_booking(b, zone) for b in outcome.bookings], series_id, _skipped(outcome.skipped))


class AvailabilityController(Controller):
    path = "/api/spaces/{space_id:uuid}/availability"
    tags = ["spaces"]

    @get("/", operation_id="getAvailability", **guarded(PUBLIC))
    async def availability(
        self, space_id: UUID, read_uow: SqlUnitOfWork,
        first: Annotated[dt.date, Parameter(query="from", description="First local date.")],
        last: Annotated[dt.date, Parameter(query="to", description="Last local date (at most 62 days).")],
    ) -> s.SpaceAvailability:
        """Free and busy times of a space per day, for the public calendar and for choosing a time."""
        space, zone, plans = await services.availability_plan(space_id, first, last, read_uow)

        def interval(span: TimeSpan) -> s.Interval:
            start, end = span.start.astimezone(zone), span.end.astimezone(zone)
            midnight = end.date() > start.date() and end.time() == dt.time(0)
            return s.Interval(span.start, span.end, start.strftime("%H:%M"),
                              "24:00" if midnight else end.strftime("%H:%M"))

        return s.SpaceAvailability(space.id, zone.key, [
            s.DayAvailability(plan.day, plan.closed_reason, [interval(x) for x in plan.open],
                              [interval(x) for x in plan.free], [interval(x) for x in busy])
            for plan, busy in plans])


class FreeSlotController(Controller):
    path = "/api/free-slots"
    tags = ["spaces"]

    @get("/", operation_id="findFreeSlots", **guarded(PUBLIC))
    async def find(
        self, read_uow: SqlUnitOfWork, queries: Queries, clock: Clock,
        municipality: MunicipalityQ,
        first: Annotated[dt.date, Parameter(query="from", description="First local date.")],
        last: Annotated[dt.date, Parameter(query="to", description="Last local date (at most 31 days).")],
        duration_minutes: Annotated[int, Parameter(query="duration_minutes", ge=15, le=1440)] = 60,
        kind: Annotated[SpaceKind | None, Parameter(query="kind")] = None,
        min_capacity: Annotated[int | None, Parameter(query="min_capacity", ge=1, le=100_000)] = None,
        area_id: Annotated[UUID | None, Parameter(query="area_id")] = None,
        limit: LimitQ = 50,
    ) -> s.FreeSlotList:
        """Search free time: for example 2 hours (`duration_minutes=120`) in any gym (`kind=gym`) in an
        area for 30 people (`min_capacity=30`) over the next two weeks."""
        if municipality is None:
            raise ValidationError("municipality", "Say which municipality (its slug).", "required")
        municipality_id = await queries.municipality_id_by_slug(municipality)
        if municipality_id is None:
            raise ValidationError("municipality", f"No municipality with slug {municipality!r}.", "unknown")
        zone, slots = await services.find_free_slots(services.FreeSlotSearch(
            municipality_id, first, last, dt.timedelta(minutes=duration_minutes), kind, min_capacity, area_id),
            read_uow, clock)
        items = [s.FreeSlot(slot.space.id, slot.space.name, slot.space.site_id, slot.space.capacity, slot.span.start,
                            slot.span.end, slot.span.start.astimezone(zone).date(),
                            slot.span.start.astimezone(zone).strftime("%H:%M"),
                            slot.span.end.astimezone(zone).strftime("%H:%M")) for slot in slots[:limit]]
        return s.FreeSlotList(items, len(slots), limit)


class HolidayController(Controller):
    path = "/api/holidays"
    tags = ["spaces"]

    @get("/", operation_id="listClosedDays", **guarded(PUBLIC))
    async def closed_days(self, read_uow: SqlUnitOfWork, queries: Queries, municipality: MunicipalityQ,
                          year: Annotated[int, Parameter(query="year", ge=1970, le=2200)]) -> s.ClosedDays:
        """The municipality's closed days of a year (holidays, eves and its own changes)."""
        if municipality is None:
            raise ValidationError("municipality", "Say which municipality (its slug).", "required")
        municipality_id = await queries.municipality_id_by_slug(municipality)
        if municipality_id is None:
            raise ValidationError("municipality", f"No municipality with slug {municipality!r}.", "unknown")
        days = await services.closed_days(municipality_id, year, read_uow)
        return s.ClosedDays(year, [s.ClosedDay(d, name) for d, name in days.items()])

    @put("/{day:date}", operation_id="overrideHoliday", status_code=204, **guarded(PREMISES_STAFF))
    async def override(self, day: dt.date, data: s.HolidayOverride, uow: SqlUnitOfWork, actor: Actor) -> None:
        """Open a holiday, or close an extra day, for the whole municipality."""
        await services.override_holiday(day, data.closed, data.name, uow, actor)

    @delete("/{day:date}", operation_id="resetHoliday", **guarded(PREMISES_STAFF))
    async def reset(self, day: dt.date, uow: SqlUnitOfWork, actor: Actor) -> None:
        """Back to the default for that day."""
        await services.override_holiday(day, None, None, uow, actor)


class ClosedPeriodController(Controller):
    path = "/api/closed-periods"
    tags = ["spaces"]

    @get("/", operation_id="listClosedPeriods", **guarded(PUBLIC))
    async def list_closed(
        self, queries: Queries,
        municipality: MunicipalityQ = None,
        site_id: Annotated[UUID | None, Parameter(query="site_id")] = None,
        space_id: Annotated[UUID | None, Parameter(query="space_id")] = None,
        limit: LimitQ = 50, offset: OffsetQ = 0,
    ) -> s.ClosedPeriodPage:
        """Times when spaces cannot be booked (school events, maintenance), beside public holidays.
        `municipality` (its slug) keeps one municipality's, those closing all its sites included."""
        municipality_id = None
        if municipality is not None:
            municipality_id = await queries.municipality_id_by_slug(municipality)
            if municipality_id is None:
                raise ValidationError("municipality", f"No municipality with slug {municipality!r}.", "unknown")
        rows, total = await queries.closed_periods(municipality_id=municipality_id, site_id=site_id,
                                                   space_id=space_id, limit=limit, offset=offset)
        return s.ClosedPeriodPage([s.ClosedPeriod(r.id, r.reason, r.starts_at, r.ends_at, r.space_id, r.site_id)
                                   for r in rows], total, limit, offset)

    @post("/", operation_id="createClosedPeriod", status_code=HTTP_201_CREATED,
          **guarded(PREMISES_STAFF, idempotent=True))
    async def create_closed(self, data: s.ClosedPeriodCreate, uow: SqlUnitOfWork, actor: Actor) -> s.ClosedPeriod:
        """Close a space, a site or every site for a while. Existing bookings stay: staff decide
        about them (the closed time only refuses new requests)."""
        ident, closed = await services.close_time(services.CloseTime(
            data.reason, data.first_day, data.last_day, s.wall_time(data.from_time) if data.from_time else None,
            s.wall_time(data.to_time) if data.to_time else None, data.space_id, data.site_id), uow, actor)
        return s.ClosedPeriod(ident, closed.reason, closed.span.start, closed.span.end, data.space_id, data.site_id)

    @delete("/{closed_id:uuid}", operation_id="deleteClosedPeriod", **guarded(PREMISES_STAFF))
    async def delete_closed(self, closed_id: UUID, uow: SqlUnitOfWork, actor: Actor) -> None:
        await services.reopen(closed_id, uow, actor)


class OpeningHoursController(Controller):
    path = "/api/spaces/{space_id:uuid}/opening-hours"
    tags = ["spaces"]

    @get("/", operation_id="getOpeningHours", **guarded(PUBLIC))
    async def get_hours(self, space_id: UUID, queries: Queries) -> s.OpeningHoursIO:
        """When the space can be booked, in local time (variations replace the general hours on their dates)."""
        return await _hours_view(space_id, queries)

    @put("/", operation_id="setOpeningHours", **guarded(PREMISES_STAFF))
    async def set_hours(self, space_id: UUID, data: s.OpeningHoursIO, uow: SqlUnitOfWork, actor: Actor,
                        queries: Queries) -> s.OpeningHoursIO:
        """Replace the opening hours of a space."""
        hours = [OpeningHours(_windows(data.general))] if data.general else []
        hours += [OpeningHours(_windows(v.windows), v.valid_from, v.valid_to, v.name) for v in data.variations]
        await services.set_opening_hours(space_id, hours, uow, actor)
        return await _hours_view(space_id, queries)


async def _hours_view(space_id: UUID, queries: Queries) -> s.OpeningHoursIO:
    hours = await queries.opening_hours(space_id)
    if hours is None:
        raise NotFound("Space", space_id)
    general = [w for h in hours if h.general for w in h.windows]
    return s.OpeningHoursIO(
        general=[_window_io(w) for w in sorted(general, key=_order)],
        variations=[s.Variation(h.valid_from, h.valid_to,  # type: ignore[arg-type]
                                [_window_io(w) for w in sorted(h.windows, key=_order)], h.name)
                    for h in hours if not h.general])


def _windows(items: list[s.WindowIO]) -> tuple[Window, ...]:
    return tuple(Window(w.weekday, s.wall_time(w.opens), s.wall_time(w.closes)) for w in items)


def _window_io(w: Window) -> s.WindowIO:
    return s.WindowIO(w.weekday, s.show_time(w.opens), s.show_time(w.closes))


def _order(w: Window) -> tuple[int, dt.time]:
    return (w.weekday, w.opens)


HANDLERS: list[Any] = [
    BookingController, SeriesController, OpeningHoursController, AvailabilityController, ClosedPeriodController,
    FreeSlotController, HolidayController, AttendanceReportController, FeeController, CheckInController,
    SpaceAccessController, BookingChangeController,
]
