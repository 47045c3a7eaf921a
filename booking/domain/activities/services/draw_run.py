"""Staff run the draw after the wish phase (seeded: the same seed and inputs give the same preview),
read its preview and adjust it by hand. The preview is kept on the draw until it is published.

The kept result is JSON: {"outcomes": [{child_id, session_id, rank, granted, reason, score,
blocking_session_id, registration_id}]}, one per wish of every child, child then rank order."""

from __future__ import annotations

import secrets
from typing import Any
from uuid import UUID

from booking.domain.activities import draw as pure
from booking.domain.activities.draw import Reason, WishOutcome
from booking.domain.activities.ports import ActivitiesUnitOfWork
from booking.domain.activities.services.draw_inputs import Inputs, load_inputs
from booking.domain.activities.services.draw_loading import context_of, staff_draw
from booking.domain.activities.services.draw_preview import Preview, build_preview
from booking.domain.activities.services.notices import audit
from booking.domain.people.roles import Actor
from booking.domain.shared.clock import Clock
from booking.domain.shared.errors import Conflict, NotFound, ValidationError


class GrantClash(Conflict):
    """A grant by hand that the rules refuse: 409 naming what is in the way."""

    def __init__(self, clash: pure.Clash, blocking: UUID | None) -> None:
        words = f"The place cannot be granted: {_CLASH_WORDS[clash]}"
        # a problem's field error (field, message, code) that also says the reason and the session in the way
        item: dict[str, Any] = {"field": "session_id", "message": words, "code": clash.value, "reason": clash.value,
                                "session_id": str(blocking) if blocking else None}
        super().__init__(words, [item])
        self.extra = {"errors": [item]}


_CLASH_WORDS = {
    pure.Clash.FULL: "the session is full.",
    pure.Clash.OVERLAP: "the child has a granted session at that time.",
    pure.Clash.MAX: "the child has the maximum number of activities.",
    pure.Clash.AGE: "the child is outside the activity's ages.",
    pure.Clash.NOT_WISHED: "the child did not wish for this session.",
}


def new_seed() -> str:
    return secrets.token_hex(8)


def outcome_json(o: WishOutcome) -> dict[str, Any]:
    return {"child_id": str(o.child_id), "session_id": str(o.session_id), "rank": o.rank, "granted": o.granted,
            "reason": o.reason.value, "score": o.score,
            "blocking_session_id": str(o.blocking_session_id) if o.blocking_session_id else None}


def result_of(inputs: Inputs, result: pure.DrawResult) -> dict[str, Any]:
    """The draw's outcomes, plus GONE for wishes of sessions no longer in the draw (cancelled, moved)."""
    outcomes = [outcome_json(o) for o in result.outcomes]
    had = {(o["child_id"], o["session_id"]) for o in outcomes}
    for child_id, wishes in inputs.wishes.items():
        for w in wishes:
            if (str(child_id), str(w.session_id)) not in had:
                outcomes.append(outcome_json(WishOutcome(child_id, w.session_id, w.rank, False, Reason.GONE, 0.0)))
    order = {cid: i for i, cid in enumerate(inputs.children)}
    outcomes.sort(key=lambda o: (order.get(UUID(o["child_id"]), len(order)), o["rank"]))
    return {"outcomes": outcomes}


async def run(draw_id: UUID, seed: str | None, uow: ActivitiesUnitOfWork, actor: Actor, clock: Clock) -> Preview:
    """Match the children to the sessions; the result is a preview until published."""
    now = clock.now()
    if seed is not None and not 1 <= len(seed) <= 64:
        raise ValidationError("seed", "A seed of 1 to 64 characters.", "range")
    async with uow:
        draw = await staff_draw(uow, actor, draw_id, lock=True)
        draw.require_runnable(now)
        inputs = await load_inputs(uow, await context_of(uow, draw))
        used = seed or new_seed()
        draw.keep_result(used, result_of(inputs, pure.run_draw(inputs.input(used))), now)
        audit(uow, actor, "draw.run", "holiday_draw", draw.id, actor.municipality_id, seed=used,
              children=len(inputs.children))
        preview = await build_preview(uow, inputs)
        await uow.commit()
        return preview


async def preview(draw_id: UUID, uow: ActivitiesUnitOfWork, actor: Actor) -> Preview:
    async with uow:
        draw = await staff_draw(uow, actor, draw_id)
        if draw.result is None:
            raise NotFound("Preview", f"of draw {draw_id} (run the draw first)")
        return await build_preview(uow, await load_inputs(uow, await context_of(uow, draw)))


async def adjust(draw_id: UUID, child_id: UUID, session_id: UUID, granted: bool, uow: ActivitiesUnitOfWork,
                 actor: Actor) -> Preview:
    """Grant a place by hand (refused with what is in the way) or take one away."""
    async with uow:
        draw = await staff_draw(uow, actor, draw_id, lock=True)
        result = draw.require_preview()
        inputs = await load_inputs(uow, await context_of(uow, draw))
        child = inputs.draw_children.get(child_id)
        if child is None:
            raise ValidationError("child_id", "No such child in this draw.", "unknown")
        outcomes = [dict(o) for o in result.get("outcomes", [])]
        mine = next((o for o in outcomes if o["child_id"] == str(child_id) and o["session_id"] == str(session_id)),
                    None)
        if granted and not (mine and mine["granted"]):
            session = inputs.draw_sessions.get(session_id)
            if session is None:
                raise ValidationError("session_id", "Not a session of this draw.", "unknown")
            clash = pure.check_grant(child, session, grants_of(inputs, outcomes), inputs.draw_sessions,
                                     inputs.input("").travel)
            if clash is not None:
                raise GrantClash(*clash)
            if mine is None:
                raise GrantClash(pure.Clash.NOT_WISHED, None)
            mine.update(granted=True, reason=Reason.BY_STAFF.value, blocking_session_id=None)
        elif not granted and mine and mine["granted"]:
            mine.update(granted=False, reason=Reason.REMOVED_BY_STAFF.value, blocking_session_id=None)
        elif mine is None:
            raise ValidationError("session_id", "The child did not wish for this session.", "not_wished")
        draw.adjust({**result, "outcomes": outcomes})
        audit(uow, actor, "draw.adjusted", "holiday_draw", draw.id, actor.municipality_id, child_id=str(child_id),
              session_id=str(session_id), granted=granted)
        built = await build_preview(uow, inputs)
        await uow.commit()
        return built


def grants_of(inputs: Inputs, outcomes: list[dict[str, Any]]) -> dict[UUID, tuple[UUID, ...]]:
    """Child id -> granted session ids, for the children still in the draw."""
    grants: dict[UUID, list[UUID]] = {c: [] for c in inputs.children}
    for o in outcomes:
        cid = UUID(o["child_id"])
        if o["granted"] and cid in grants:
            grants[cid].append(UUID(o["session_id"]))
    return {c: tuple(s) for c, s in grants.items()}
