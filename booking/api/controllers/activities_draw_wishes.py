"""HTTP routes of the wish phase for guardians: my children with ranked wishes (and, once published,
what each got and why), a child put or withdrawn, a new group code. Every read and write is scoped to
the caller's account and municipality."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, delete, get, post, put
from litestar.status_codes import HTTP_201_CREATED

from booking.adapters.db.uow import SqlUnitOfWork
from booking.api.access import guarded, roles
from booking.api.controllers.activities_draw_views import to_child, to_draw
from booking.api.schemas import activities_draw as s
from booking.domain.activities.services import draw_wishes
from booking.domain.people.roles import Actor, Role
from booking.domain.shared.clock import Clock

GUARDIAN = roles(Role.GUARDIAN)


class DrawWishesController(Controller):
    path = "/api/holiday-draws/{draw_id:uuid}"
    tags = ["activities"]

    @get("/wishes", operation_id="listMyDrawWishes", **guarded(GUARDIAN))
    async def mine(self, draw_id: UUID, read_uow: SqlUnitOfWork, actor: Actor) -> s.MyWishes:
        """My children in the draw with their wishes in rank order; each wish's outcome once published."""
        draw, children = await draw_wishes.my_children(draw_id, read_uow, actor)
        return s.MyWishes(to_draw(draw), [to_child(c) for c in children])

    @put("/children", operation_id="putDrawChild", **guarded(GUARDIAN))
    async def put_child(self, draw_id: UUID, data: s.ChildIn, uow: SqlUnitOfWork, actor: Actor,
                        clock: Clock) -> s.DrawChild:
        """Add a child with wishes, or replace them (the same first name and birth year is the same
        child). Until the wish phase closes; nothing is decided before then."""
        view = await draw_wishes.put_child(draw_id, draw_wishes.PutChild(
            first_name=data.first_name, birth_year=data.birth_year, max_activities=data.max_activities,
            wishes=tuple((w.session_id, w.favourite) for w in data.wishes), gender=data.gender, needs=data.needs,
            home_area_id=data.home_area_id, postcode=data.postcode, group_code=data.group_code), uow, actor, clock)
        return to_child(view)

    @delete("/children/{child_id:uuid}", operation_id="withdrawDrawChild", **guarded(GUARDIAN))
    async def withdraw(self, draw_id: UUID, child_id: UUID, uow: SqlUnitOfWork, actor: Actor,
                       clock: Clock) -> None:
        """Before the deadline the child is removed; after it, kept out of the draw; after publishing, 409."""
        await draw_wishes.withdraw_child(draw_id, child_id, uow, actor, clock)

    @post("/groups", operation_id="newDrawGroupCode", status_code=HTTP_201_CREATED, **guarded(GUARDIAN))
    async def new_group(self, draw_id: UUID, read_uow: SqlUnitOfWork, actor: Actor) -> s.GroupCodeOut:
        """A new group code: type it on each child (of any family) who wants to go together."""
        return s.GroupCodeOut(await draw_wishes.new_group(draw_id, read_uow, actor))


HANDLERS: list[Any] = [DrawWishesController]
