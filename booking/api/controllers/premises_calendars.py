"""A space's calendar: opening hours, availability, free slots, closed periods and the municipality's closed days."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, delete, get, post, put
from litestar.params import Parameter
from litestar.status_codes import HTTP_201_CREATED

from booking.adapters.db.queries import Queries
from booking.adapters.db.uow import SqlUnitOfWork
from booking.api.access import PUBLIC, guarded
from booking.api.controllers.booking_views import PREMISES_STAFF
from booking.api.controllers.params import LimitQ, MunicipalityQ, OffsetQ
from booking.api.schemas import bookings as s
from booking.domain.people.roles import Actor
from booking.domain.premises import (
    calendar_services,
    free_slots,
)
from booking.domain.premises.calendar import OpeningHours, Window
from booking.domain.premises.model import SpaceKind
from booking.domain.shared.clock import Clock
from booking.domain.shared.errors import NotFound, ValidationError
from booking.domain.shared.timespan import TimeSpan


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
        space, zone, plans = await calendar_services.availability_plan(space_id, first, last, read_uow)

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
        zone, slots = await free_slots.find_free_slots(free_slots.FreeSlotSearch(
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
        days = await calendar_services.closed_days(municipality_id, year, read_uow)
        return s.ClosedDays(year, [s.ClosedDay(d, name) for d, name in days.items()])

    @put("/{day:date}", operation_id="overrideHoliday", status_code=204, **guarded(PREMISES_STAFF))
    async def override(self, day: dt.date, data: s.HolidayOverride, uow: SqlUnitOfWork, actor: Actor) -> None:
        """Open a holiday, or close an extra day, for the whole municipality."""
        await calendar_services.override_holiday(day, data.closed, data.name, uow, actor)

    @delete("/{day:date}", operation_id="resetHoliday", **guarded(PREMISES_STAFF))
    async def reset(self, day: dt.date, uow: SqlUnitOfWork, actor: Actor) -> None:
        """Back to the default for that day."""
        await calendar_services.override_holiday(day, None, None, uow, actor)


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
        ident, closed = await calendar_services.close_time(calendar_services.CloseTime(
            data.reason, data.first_day, data.last_day, s.wall_time(data.from_time) if data.from_time else None,
            s.wall_time(data.to_time) if data.to_time else None, data.space_id, data.site_id), uow, actor)
        return s.ClosedPeriod(ident, closed.reason, closed.span.start, closed.span.end, data.space_id, data.site_id)

    @delete("/{closed_id:uuid}", operation_id="deleteClosedPeriod", **guarded(PREMISES_STAFF))
    async def delete_closed(self, closed_id: UUID, uow: SqlUnitOfWork, actor: Actor) -> None:
        await calendar_services.reopen(closed_id, uow, actor)


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
        hours = [OpeningHours(_windows(data.general, "general"))] if data.general else []
        hours += [OpeningHours(_windows(v.windows, f"variations[{i}].windows"), v.valid_from, v.valid_to, v.name)
                  for i, v in enumerate(data.variations)]
        await calendar_services.set_opening_hours(space_id, hours, uow, actor)
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


def _windows(items: list[s.WindowIO], where: str) -> tuple[Window, ...]:
    """The windows of the request's list `where`; a refused window is named by its place in it
    (`general[2].closes`), so that a form shows the error at the right time field."""
    windows = []
    for i, w in enumerate(items):
        try:
            windows.append(Window(w.weekday, s.wall_time(w.opens), s.wall_time(w.closes)))
        except ValidationError as error:  # opening_hours.closes -> general[2].closes
            error.problems = [replace(p, field=f"{where}[{i}].{p.field.rsplit('.', 1)[-1]}") for p in error.problems]
            raise
    return tuple(windows)


def _window_io(w: Window) -> s.WindowIO:
    return s.WindowIO(w.weekday, s.show_time(w.opens), s.show_time(w.closes))


def _order(w: Window) -> tuple[int, dt.time]:
    return (w.weekday, w.opens)



HANDLERS: list[Any] = [
    OpeningHoursController, AvailabilityController, ClosedPeriodController, FreeSlotController, HolidayController,
]
