"""A holiday period's choice of how places are given: staff set a wish phase and draw (or drop it,
back to first come), and anyone may read it (the wish page shows the deadline)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from booking.domain.activities import scope
from booking.domain.activities.draw_model import HolidayDraw
from booking.domain.activities.ports import ActivitiesUnitOfWork
from booking.domain.activities.services.notices import audit
from booking.domain.people.roles import Actor
from booking.domain.shared.clock import Clock
from booking.domain.shared.errors import NotFound, ValidationError
from booking.domain.shared.tenancy import of_municipality


@dataclass(frozen=True)
class DrawSettings:
    wishes_close_at: datetime
    max_per_child: int = 3
    travel_minutes: int = 0
    weights: dict[str, float] | None = None  # None: keep (or the defaults for a new draw)
    priority_areas: tuple[UUID, ...] | None = None  # None: keep (or none for a new draw)


async def set_draw(period_id: UUID, cmd: DrawSettings, uow: ActivitiesUnitOfWork, actor: Actor,
                   clock: Clock) -> HolidayDraw:
    """Create or change the period's draw (the period becomes draw mode)."""
    actor.require_site(None, scope.STAFF)
    now = clock.now()
    async with uow:
        period = of_municipality(await uow.activities.period(period_id), actor.municipality_id, "holiday period",
                                 period_id)
        for i, area_id in enumerate(cmd.priority_areas or ()):
            of_municipality(await uow.areas.get(area_id), actor.municipality_id, "area", area_id,
                            f"priority_areas[{i}]")
        draw = await uow.draws.of_period(period.id, lock=True)
        if draw is None:
            if cmd.wishes_close_at.tzinfo is not None and cmd.wishes_close_at <= now:
                raise ValidationError("wishes_close_at", "The wish phase must close in the future.", "past")
            draw = HolidayDraw(actor.municipality_id, period.id, cmd.wishes_close_at, cmd.max_per_child,
                               cmd.travel_minutes, dict(cmd.weights or {}),
                               [str(a) for a in cmd.priority_areas or ()])
            uow.draws.add(draw)
            action = "draw.created"
        else:
            weights = cmd.weights if cmd.weights is not None else draw.weights
            areas = list(cmd.priority_areas) if cmd.priority_areas is not None else [
                UUID(a) for a in draw.priority_areas]
            draw.configure(cmd.wishes_close_at, cmd.max_per_child, cmd.travel_minutes, dict(weights), areas, now)
            action = "draw.changed"
        audit(uow, actor, action, "holiday_draw", draw.id, actor.municipality_id, period_id=str(period.id),
              wishes_close_at=draw.wishes_close_at.isoformat())
        await uow.commit()
        return draw


async def delete_draw(period_id: UUID, uow: ActivitiesUnitOfWork, actor: Actor) -> None:
    """Back to first come: the wishes are dropped. Refused once the draw is published."""
    actor.require_site(None, scope.STAFF)
    async with uow:
        period = of_municipality(await uow.activities.period(period_id), actor.municipality_id, "holiday period",
                                 period_id)
        draw = await uow.draws.of_period(period.id, lock=True)
        if draw is None:
            raise NotFound("Holiday draw", f"of period {period_id}")
        draw.require_not_published()
        await uow.draws.delete(draw)
        audit(uow, actor, "draw.deleted", "holiday_draw", draw.id, actor.municipality_id, period_id=str(period.id))
        await uow.commit()


async def draw_of_period(period_id: UUID, uow: ActivitiesUnitOfWork) -> HolidayDraw:
    """Public: the period's draw; 404 when the period gives its places first come."""
    async with uow:
        period = await uow.activities.period(period_id)
        draw = await uow.draws.of_period(period_id) if period is not None else None
        if period is None:
            raise NotFound("Holiday period", period_id)
        if draw is None:
            raise NotFound("Holiday draw", f"of period {period_id} (its places are given first come)")
        return draw
