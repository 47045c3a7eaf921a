"""The preview of a draw as staff read it: the figures of the whole draw and per home area (with the
area's reach per 1,000 children in the period before and with the draw's grants), and every child's
wishes with their outcome, reason and score."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from booking.domain.activities import draw as pure
from booking.domain.activities.draw_model import HolidayDraw, WishingChild
from booking.domain.activities.ports import ActivitiesUnitOfWork
from booking.domain.activities.services.draw_inputs import Inputs
from booking.domain.shared.reach import per_1000


@dataclass(frozen=True)
class AreaLine:
    area_id: UUID | None
    area_name: str | None
    children: int
    with_place: int
    share_with_place: float
    mean_rank_granted: float | None
    per_1000_before: float | None
    per_1000_after: float | None


@dataclass(frozen=True)
class PreviewWish:
    session_id: UUID
    activity_title: str
    starts_at: datetime | None
    rank: int
    favourite: bool
    granted: bool
    reason: str
    score: float
    blocking_session_id: UUID | None


@dataclass(frozen=True)
class PreviewChild:
    child: WishingChild
    max_activities: int
    wishes: list[PreviewWish]


@dataclass(frozen=True)
class Preview:
    draw: HolidayDraw
    figures: pure.Figures
    areas: list[AreaLine]
    children: list[PreviewChild]


async def build_preview(uow: ActivitiesUnitOfWork, inputs: Inputs) -> Preview:
    draw, ctx = inputs.ctx.draw, inputs.ctx
    outcomes = {(o["child_id"], o["session_id"]): o for o in (draw.result or {}).get("outcomes", [])}
    grants: dict[UUID, list[UUID]] = {c: [] for c in inputs.children}
    for (cid, sid), o in outcomes.items():
        if o["granted"] and UUID(cid) in grants:
            grants[UUID(cid)].append(UUID(sid))
    figures = pure.figures(list(inputs.draw_children.values()), grants)
    areas = {a.id: a for a in await uow.areas.of_municipality(draw.municipality_id)}
    before = await uow.draws.participants_by_home_area(draw.municipality_id, *ctx.window)
    added: Counter[UUID | None] = Counter()
    for cid, sessions in grants.items():
        added[inputs.children[cid].home_area_id] += len(sessions)
    lines = []
    for f in figures.per_area:
        area = areas.get(f.area_id) if f.area_id else None
        population = area.population_0_17 if area else None
        lines.append(AreaLine(
            f.area_id, area.name if area else None, f.children, f.with_place, f.share_with_place,
            f.mean_rank_granted, per_1000(before.get(f.area_id, 0), population) if f.area_id else None,
            per_1000(before.get(f.area_id, 0) + added[f.area_id], population) if f.area_id else None))
    titles: dict[UUID, tuple[str, datetime | None]] = {sid: (a.title, s.starts_at)
                                                       for sid, (s, a) in ctx.sessions.items()}
    children = []
    for cid, child in inputs.children.items():
        wishes = []
        for w in inputs.wishes[cid]:
            if w.session_id not in titles:
                titles[w.session_id] = await _title(uow, w.session_id)
            title, starts_at = titles[w.session_id]
            o = outcomes.get((str(cid), str(w.session_id)), {})
            blocking = o.get("blocking_session_id")
            wishes.append(PreviewWish(w.session_id, title, starts_at, w.rank, w.favourite, bool(o.get("granted")),
                                      str(o.get("reason", pure.Reason.GONE.value)), float(o.get("score", 0.0)),
                                      UUID(blocking) if blocking else None))
        children.append(PreviewChild(child, inputs.draw_children[cid].max_activities, wishes))
    return Preview(draw, figures, lines, children)


async def _title(uow: ActivitiesUnitOfWork, session_id: UUID) -> tuple[str, datetime | None]:
    session = await uow.activities.get_session(session_id)
    activity = await uow.activities.get(session.activity_id) if session is not None else None
    return (activity.title if activity else "-", session.starts_at if session else None)
