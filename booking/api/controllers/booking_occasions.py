"""A booked occasion: attendance reports, check-in at the door, no-shows and how to get in."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any
from uuid import UUID
from zoneinfo import ZoneInfo

from litestar import Controller, Response, get, post, put
from litestar.params import Parameter

from booking.adapters.db.queries import Queries
from booking.adapters.db.uow import SqlUnitOfWork
from booking.api.access import SIGNED_IN, guarded
from booking.api.controllers.booking_views import PREMISES_STAFF, municipality_zone, to_booking
from booking.api.schemas import bookings as s
from booking.config import Settings
from booking.domain.imports.csv_text import write_csv
from booking.domain.people.roles import Actor
from booking.domain.premises import (
    occasions,
)
from booking.domain.premises.attendance import assess_lok
from booking.domain.premises.scope import attendance_sites, require_staff_at, staff_sites
from booking.domain.shared.clock import Clock
from booking.domain.shared.errors import ValidationError
from booking.domain.shared.localtime import check_day, local_instant
from booking.domain.shared.tenancy import of_municipality


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
        zone = await municipality_zone(queries, actor.municipality_id)
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
        short = {"female": "K", "male": "M", "other": "A"}
        rows = []
        for item in report.items:
            people = ",".join(f"{g.birth_year}{short[str(g.gender)]}x{g.count}" for g in item.participants)
            rows.append([item.local_date.isoformat(), item.local_start, item.minutes, item.space_name,
                         item.leader_name or "", item.leader_birth_year or "", item.total, people,
                         "ja" if item.lok_counts else "nej", item.lok_participants, "; ".join(item.lok_notes)])
        text = write_csv(["datum", "starttid", "minuter", "lokal", "ledare", "ledarens_fodelsear", "antal_deltagare",
                          "deltagare_fodelsear_kon", "lok_raknas", "lok_deltagare", "anmarkning"], rows)
        return Response(text, media_type="text/csv", headers={
            "Content-Disposition": f'attachment; filename="lok-{report.first}-{report.last}.csv"'})


class CheckInController(Controller):
    path = "/api"
    tags = ["bookings"]

    @post("/check-ins", operation_id="checkIn", status_code=200, **guarded(PREMISES_STAFF))
    async def check_in(self, data: s.CheckIn, uow: SqlUnitOfWork, actor: Actor, clock: Clock, settings: Settings,
                       queries: Queries) -> s.Booking:
        """Scan the booking's QR code at the door (the scanner's text: the link or the code)."""
        code = data.code.strip().rsplit("/c/", 1)[-1]
        booking = await occasions.check_in(code, uow, actor, clock, settings.secret_key)
        return to_booking(booking, await municipality_zone(queries, actor.municipality_id))

    @get("/no-shows", operation_id="getNoShows", **guarded(PREMISES_STAFF))
    async def no_shows(self, queries: Queries, actor: Actor, clock: Clock,
                       since: Annotated[dt.date | None, Parameter(query="since")] = None) -> s.NoShowReport:
        """Associations that did not come to their bookings, most first (default: the last 180 days)."""
        zone = await municipality_zone(queries, actor.municipality_id)
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
        space = of_municipality(view.space if view else None, actor.municipality_id, "space", space_id)
        require_staff_at(actor, space.site_id)
        return s.SpaceAccess(space.access_mode, space.access_instructions)

    @put("/", operation_id="setSpaceAccess", **guarded(PREMISES_STAFF))
    async def set_access(self, space_id: UUID, data: s.SpaceAccess, uow: SqlUnitOfWork, actor: Actor) -> s.SpaceAccess:
        """How the space is entered; the instructions are shown only to associations with a booking."""
        space = await occasions.set_space_access(space_id, data.mode, data.instructions, uow, actor)
        return s.SpaceAccess(space.access_mode, space.access_instructions)



HANDLERS: list[Any] = [AttendanceReportController, CheckInController, SpaceAccessController]
