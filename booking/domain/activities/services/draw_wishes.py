"""The wish phase seen from a guardian's account: children with ranked wishes, group codes, the
withdrawal of a child, what each child got once the draw is published; and the guard that keeps
first-come sign-up shut while a period's places wait for its draw."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from booking.domain.activities.draw_model import (
    ChildWish,
    HolidayDraw,
    WishingChild,
    clean_group_code,
    new_group_code,
    ranked,
)
from booking.domain.activities.model import (
    Activity,
    ActivitySession,
    age_in,
    check_birth_year,
    first_name,
    optional_text,
)
from booking.domain.activities.ports import ActivitiesUnitOfWork
from booking.domain.activities.services.draw_loading import context_of, guardian_draw, zone_of
from booking.domain.activities.services.notices import audit
from booking.domain.municipalities.home_area import home_area
from booking.domain.people.roles import Actor
from booking.domain.premises.attendance import Gender
from booking.domain.shared.clock import Clock
from booking.domain.shared.errors import Conflict, FieldProblem, NotFound, ValidationError


class DrawOpen(Conflict):
    """First-come sign-up for a session whose places a draw will give."""

    def __init__(self, draw: HolidayDraw) -> None:
        super().__init__(f"Places on this holiday are given by a draw; add wishes until "
                         f"{draw.wishes_close_at.isoformat()}.", [{"draw_id": str(draw.id)}])
        self.extra = {"draw_id": str(draw.id)}


async def check_first_come(uow: ActivitiesUnitOfWork, session: ActivitySession) -> None:
    """409 while the session's period has a draw that is not published."""
    day = session.starts_at.astimezone(await zone_of(uow, session.municipality_id)).date()
    draw = await uow.draws.unpublished_on(session.municipality_id, day)
    if draw is not None:
        raise DrawOpen(draw)


@dataclass(frozen=True)
class PutChild:
    first_name: str
    birth_year: int
    max_activities: int
    wishes: tuple[tuple[UUID, bool], ...]  # (session id, favourite), in rank order
    gender: Gender | None = None
    needs: str | None = None
    home_area_id: UUID | None = None
    postcode: str | None = None
    group_code: str | None = None


@dataclass(frozen=True)
class Outcome:
    granted: bool
    reason: str
    registration_id: UUID | None = None


@dataclass(frozen=True)
class WishView:
    wish: ChildWish
    session: ActivitySession | None
    activity: Activity | None
    outcome: Outcome | None


@dataclass(frozen=True)
class ChildView:
    child: WishingChild
    wishes: list[WishView]


async def put_child(draw_id: UUID, cmd: PutChild, uow: ActivitiesUnitOfWork, actor: Actor, clock: Clock
                    ) -> ChildView:
    """Add or replace a child's wishes (the same first name and birth year in the account is the same child)."""
    now = clock.now()
    async with uow:
        draw = await guardian_draw(uow, actor, draw_id, lock=True)
        draw.require_wishes_open(now)
        ctx = await context_of(uow, draw)
        check_birth_year(cmd.birth_year, now.date())
        if not 1 <= cmd.max_activities <= draw.max_per_child:
            raise ValidationError("max_activities", f"From 1 to {draw.max_per_child}.", "range")
        area_id = await home_area(uow.areas, actor.municipality_id, cmd.home_area_id, cmd.postcode)
        group = clean_group_code(cmd.group_code)
        wishes = ranked(list(cmd.wishes))
        age = age_in(ctx.period.year, cmd.birth_year)
        problems: list[FieldProblem] = []
        for i, wish in enumerate(wishes):
            found = ctx.sessions.get(wish.session_id)
            if found is None:
                problems.append(FieldProblem(f"wishes[{i}].session_id", "Not a session of this draw.", "unknown"))
            elif not found[1].accepts_age(age):
                problems.append(FieldProblem(f"wishes[{i}].session_id",
                                             f"The activity is for ages {found[1].age_min}-{found[1].age_max}.",
                                             "age"))
        if problems:
            raise ValidationError.many(problems)
        child = WishingChild(actor.municipality_id, draw.id, actor.account_id, cmd.first_name, cmd.birth_year,
                             cmd.max_activities)
        existing = await uow.draws.child_by_key(draw.id, actor.account_id, child.child_key, cmd.birth_year)
        if existing is not None:
            child = existing
            child.first_name = first_name(cmd.first_name)
            child.max_activities = cmd.max_activities
        else:
            uow.draws.add_child(child)
        child.gender = Gender(cmd.gender) if cmd.gender else None
        child.needs = optional_text(cmd.needs, "needs")
        child.home_area_id, child.group_code, child.withdrawn_at = area_id, group, None
        await uow.draws.set_wishes(child, wishes)
        audit(uow, actor, "draw.child_wishes", "draw_child", child.id, actor.municipality_id, wishes=len(wishes))
        await uow.commit()
        return ChildView(child, [WishView(w, *ctx.sessions[w.session_id], None) for w in wishes])


async def my_children(draw_id: UUID, uow: ActivitiesUnitOfWork, actor: Actor) -> tuple[HolidayDraw, list[ChildView]]:
    """The guardian's children in the draw with their wishes; each wish's outcome once published."""
    async with uow:
        draw = await guardian_draw(uow, actor, draw_id)
        children = list(await uow.draws.children(draw.id, actor.account_id))
        wishes = await uow.draws.wishes_of([c.id for c in children])
        outcomes = published_outcomes(draw)
        views = []
        for child in children:
            items = []
            for wish in wishes[child.id]:
                session = await uow.activities.get_session(wish.session_id)
                activity = await uow.activities.get(session.activity_id) if session is not None else None
                items.append(WishView(wish, session, activity, outcomes.get((child.id, wish.session_id))))
            views.append(ChildView(child, items))
        return draw, views


def published_outcomes(draw: HolidayDraw) -> dict[tuple[UUID, UUID], Outcome]:
    if not draw.published or draw.result is None:
        return {}
    out: dict[tuple[UUID, UUID], Outcome] = {}
    for o in draw.result.get("outcomes", []):
        registration: Any = o.get("registration_id")
        out[(UUID(o["child_id"]), UUID(o["session_id"]))] = Outcome(
            bool(o["granted"]), str(o["reason"]), UUID(registration) if registration else None)
    return out


async def withdraw_child(draw_id: UUID, child_id: UUID, uow: ActivitiesUnitOfWork, actor: Actor,
                         clock: Clock) -> None:
    """Before the deadline the child is deleted; after it, until publishing, kept out of the draw."""
    now = clock.now()
    async with uow:
        draw = await guardian_draw(uow, actor, draw_id, lock=True)  # serializes with a run and the publishing
        child = await uow.draws.child(child_id)
        if child is None or child.draw_id != draw.id or child.account_id != actor.account_id:
            raise NotFound("Child", child_id)
        if draw.published:
            raise Conflict("The draw is published: cancel the child's registrations instead.")
        if now < draw.wishes_close_at:
            await uow.draws.delete_child(child)
        elif child.withdrawn_at is None:
            child.withdrawn_at = now
        audit(uow, actor, "draw.child_withdrawn", "draw_child", child.id, actor.municipality_id)
        await uow.commit()


async def new_group(draw_id: UUID, uow: ActivitiesUnitOfWork, actor: Actor) -> str:
    """A fresh group code for children of one or more families who want to go together."""
    async with uow:
        await guardian_draw(uow, actor, draw_id)
    return new_group_code()
