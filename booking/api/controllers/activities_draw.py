"""HTTP routes of a holiday period's draw for staff (municipality-wide activities staff): the settings
(a period becomes draw mode, or goes back to first come), the overview, runs, the preview, adjustments
by hand and publishing. The period's draw settings are public (the wish page shows the deadline)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Response, delete, get, post, put
from litestar.status_codes import HTTP_201_CREATED

from booking.adapters.db.uow import SqlUnitOfWork
from booking.api.access import PUBLIC, guarded
from booking.api.controllers.activities_draw_views import to_draw, to_preview
from booking.api.controllers.activities_views import STAFF, links_of
from booking.api.schemas import activities_draw as s
from booking.config import Settings
from booking.domain.activities.services import draw_overview, draw_publish, draw_run, draw_settings
from booking.domain.people.roles import Actor
from booking.domain.shared.clock import Clock


class PeriodDrawController(Controller):
    path = "/api/holiday-periods/{period_id:uuid}/draw"
    tags = ["activities"]

    @get("/", operation_id="getHolidayDraw", **guarded(PUBLIC))
    async def get_draw(self, period_id: UUID, read_uow: SqlUnitOfWork) -> s.Draw:
        """The period's wish phase and draw; 404 when its places are given first come."""
        return to_draw(await draw_settings.draw_of_period(period_id, read_uow))

    @put("/", operation_id="setHolidayDraw", **guarded(STAFF))
    async def set_draw(self, period_id: UUID, data: s.DrawSet, uow: SqlUnitOfWork, actor: Actor,
                       clock: Clock) -> s.Draw:
        """Give the period's places by a wish phase and a draw (creates it), or change its settings.
        After a run: before the deadline it goes back to wishing; after it the preview is dropped."""
        weights = {k: float(getattr(data.weights, k)) for k in data.weights.__struct_fields__} \
            if data.weights is not None else None
        draw = await draw_settings.set_draw(period_id, draw_settings.DrawSettings(
            wishes_close_at=data.wishes_close_at, max_per_child=data.max_per_child,
            travel_minutes=data.travel_minutes, weights=weights,
            priority_areas=tuple(data.priority_areas) if data.priority_areas is not None else None), uow, actor, clock)
        return to_draw(draw)

    @delete("/", operation_id="deleteHolidayDraw", **guarded(STAFF))
    async def delete_draw(self, period_id: UUID, uow: SqlUnitOfWork, actor: Actor) -> None:
        """Back to first come (the wishes are dropped); refused once published."""
        await draw_settings.delete_draw(period_id, uow, actor)


class DrawController(Controller):
    path = "/api/holiday-draws/{draw_id:uuid}"
    tags = ["activities"]

    @get("/", operation_id="getHolidayDrawOverview", **guarded(STAFF))
    async def overview(self, draw_id: UUID, read_uow: SqlUnitOfWork, actor: Actor, clock: Clock) -> s.DrawOverview:
        """Counts, the sessions with places and wishes, and the two areas with the lowest reach."""
        o = await draw_overview.overview(draw_id, read_uow, actor, clock)
        return s.DrawOverview(
            draw=to_draw(o.draw), children=o.children, wishes=o.wishes, withdrawn=o.withdrawn,
            sessions=[s.OverviewSession(x.session_id, x.activity_id, x.title, x.starts_at, x.ends_at, x.places,
                                        x.wishes) for x in o.sessions],
            suggested_priority_areas=[s.SuggestedArea(a.area_id, a.name, a.per_1000) for a in o.suggested])

    @post("/runs", operation_id="runHolidayDraw", status_code=HTTP_201_CREATED, **guarded(STAFF))
    async def run(self, draw_id: UUID, data: s.RunIn, uow: SqlUnitOfWork, actor: Actor,
                  clock: Clock) -> Response[s.Preview]:
        """Run the draw (after the wish phase, before publishing). The same seed and inputs give the same
        preview; without a seed a new random one is drawn and kept."""
        preview = await draw_run.run(draw_id, data.seed, uow, actor, clock)
        return Response(to_preview(preview), status_code=HTTP_201_CREATED,
                        headers={"Location": f"/api/holiday-draws/{draw_id}/preview"})

    @get("/preview", operation_id="getHolidayDrawPreview", **guarded(STAFF))
    async def preview(self, draw_id: UUID, read_uow: SqlUnitOfWork, actor: Actor) -> s.Preview:
        """The last run's result with adjustments: figures, per home area, every child's outcomes."""
        return to_preview(await draw_run.preview(draw_id, read_uow, actor))

    @put("/preview/grants", operation_id="adjustHolidayDraw", **guarded(STAFF))
    async def adjust(self, draw_id: UUID, data: s.GrantIn, uow: SqlUnitOfWork, actor: Actor) -> s.Preview:
        """Grant a wished place by hand (409 naming what is in the way) or take one away."""
        return to_preview(await draw_run.adjust(draw_id, data.child_id, data.session_id, data.granted, uow, actor))

    @post("/publication", operation_id="publishHolidayDraw", status_code=200, **guarded(STAFF))
    async def publish(self, draw_id: UUID, uow: SqlUnitOfWork, actor: Actor, clock: Clock,
                      settings: Settings) -> s.Published:
        """Turn the grants into registrations and tell each guardian account once per child, in one
        transaction; the places left open first come with the waiting list."""
        done = await draw_publish.publish(draw_id, uow, actor, clock, links_of(settings))
        return s.Published(done.registrations, done.notified)


HANDLERS: list[Any] = [PeriodDrawController, DrawController]
