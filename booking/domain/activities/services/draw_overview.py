"""What staff see of a draw before running it: the counts, the sessions with places and wishes, and
the areas the follow-up shows with the lowest reach (suggested as priority areas)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from booking.domain.activities.draw_model import HolidayDraw
from booking.domain.activities.ports import ActivitiesUnitOfWork
from booking.domain.activities.services.draw_loading import context_of, staff_draw
from booking.domain.activities.services.draw_preview import per_1000
from booking.domain.people.roles import Actor
from booking.domain.shared.clock import Clock

SUGGESTED = 2
FOLLOW_UP_DAYS = 365


@dataclass(frozen=True)
class OverviewSession:
    session_id: UUID
    activity_id: UUID
    title: str
    starts_at: datetime
    ends_at: datetime
    places: int
    wishes: int


@dataclass(frozen=True)
class SuggestedArea:
    area_id: UUID
    name: str
    per_1000: float


@dataclass(frozen=True)
class Overview:
    draw: HolidayDraw
    children: int
    wishes: int
    withdrawn: int
    sessions: list[OverviewSession]
    suggested: list[SuggestedArea]


async def overview(draw_id: UUID, uow: ActivitiesUnitOfWork, actor: Actor, clock: Clock) -> Overview:
    now = clock.now()
    async with uow:
        draw = await staff_draw(uow, actor, draw_id)
        ctx = await context_of(uow, draw)
        children = await uow.draws.children(draw.id)
        counts = await uow.draws.wish_counts(draw.id)
        sessions = [OverviewSession(sid, a.id, a.title, s.starts_at, s.ends_at, s.free_places, counts.get(sid, 0))
                    for sid, (s, a) in ctx.sessions.items()]
        suggested = await suggested_areas(uow, draw.municipality_id, now)
        return Overview(draw, sum(1 for c in children if not c.withdrawn), sum(counts.values()),
                        sum(1 for c in children if c.withdrawn), sessions, suggested)


async def suggested_areas(uow: ActivitiesUnitOfWork, municipality_id: UUID, now: datetime) -> list[SuggestedArea]:
    """The areas (with a population) whose children took part least per 1,000 in the last 12 months,
    counted by the registrations' home area."""
    reached = await uow.draws.participants_by_home_area(municipality_id, now - timedelta(days=FOLLOW_UP_DAYS), now)
    reach = []
    for area in await uow.areas.of_municipality(municipality_id):
        value = per_1000(reached.get(area.id, 0), area.population_0_17)
        if value is not None:
            reach.append(SuggestedArea(area.id, area.name, value))
    reach.sort(key=lambda a: (a.per_1000, a.name))
    return reach[:SUGGESTED]
