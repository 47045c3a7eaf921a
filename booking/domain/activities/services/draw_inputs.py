"""What the pure draw (draw.py) is given: the period's sessions with the places left, and the children
not withdrawn with their wishes, ages, home areas, groups and the two history marks.

The history marks look within the guardian's account, because a child is a first name and a birth
year of an account here (not a person of its own):
- nothing_last_time: the same child (account, case-folded first name, birth year) wished in the
  municipality's previous published draw (by the periods' dates) and got nothing;
- first_time: the same child has no confirmed registration for a session before this period.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from uuid import UUID

from booking.domain.activities.draw import DrawChild, DrawInput, DrawSession, Weights, Wish
from booking.domain.activities.draw_model import ChildWish, WishingChild
from booking.domain.activities.model import ActivitySession, age_in
from booking.domain.activities.ports import ActivitiesUnitOfWork
from booking.domain.activities.services.draw_loading import DrawContext

ChildRef = tuple[UUID, str, int]  # account, child key, birth year


@dataclass(frozen=True)
class Inputs:
    ctx: DrawContext
    children: dict[UUID, WishingChild]  # not withdrawn, in the order they were added
    wishes: dict[UUID, list[ChildWish]]
    draw_children: dict[UUID, DrawChild]
    draw_sessions: dict[UUID, DrawSession]

    def input(self, seed: str) -> DrawInput:
        d = self.ctx.draw
        return DrawInput(children=list(self.draw_children.values()), sessions=list(self.draw_sessions.values()),
                         weights=Weights(**d.weights), seed=seed,
                         priority_areas=frozenset(UUID(a) for a in d.priority_areas),
                         travel=timedelta(minutes=d.travel_minutes))


def ref(child: WishingChild) -> ChildRef:
    return (child.account_id, child.child_key, child.birth_year)


def to_draw_session(session: ActivitySession, age_min: int, age_max: int, place: str | None) -> DrawSession:
    return DrawSession(session.id, session.free_places, session.starts_at, session.ends_at, age_min, age_max, place)


async def load_inputs(uow: ActivitiesUnitOfWork, ctx: DrawContext) -> Inputs:
    draw, period = ctx.draw, ctx.period
    children = {c.id: c for c in await uow.draws.children(draw.id) if not c.withdrawn}
    wishes = await uow.draws.wishes_of(list(children))
    sessions = {sid: to_draw_session(s, a.age_min, a.age_max,
                                     str(s.space_id or a.space_id) if (s.space_id or a.space_id) else a.place)
                for sid, (s, a) in ctx.sessions.items()}
    window_start = ctx.window[0]
    nothing = await _nothing_last_time(uow, draw.municipality_id, period.first_day)
    placed = await uow.draws.confirmed_children([c.account_id for c in children.values()], window_start)
    draw_children = {
        c.id: DrawChild(
            id=c.id, age=age_in(period.year, c.birth_year),
            wishes=tuple(Wish(w.session_id, w.rank, w.favourite) for w in wishes[c.id] if w.session_id in sessions),
            max_activities=min(c.max_activities, draw.max_per_child), home_area_id=c.home_area_id,
            group=c.group_code, nothing_last_time=ref(c) in nothing, first_time=ref(c) not in placed)
        for c in children.values()}
    return Inputs(ctx, children, wishes, draw_children, sessions)


async def _nothing_last_time(uow: ActivitiesUnitOfWork, municipality_id: UUID, before: Any) -> set[ChildRef]:
    previous = await uow.draws.previous_published(municipality_id, before)
    if previous is None or previous.result is None:
        return set()
    granted = {UUID(o["child_id"]) for o in previous.result.get("outcomes", []) if o.get("granted")}
    children = [c for c in await uow.draws.children(previous.id) if not c.withdrawn]
    wished = await uow.draws.wishes_of([c.id for c in children])
    return {ref(c) for c in children if wished[c.id] and c.id not in granted}
