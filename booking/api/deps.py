"""Dependencies handed to controllers: the unit of work, the caller, the clock, the hasher."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.datastructures import State
from litestar.di import Provide
from litestar.exceptions import NotAuthorizedException

from booking.adapters.db.queries import Queries
from booking.adapters.db.uow import SqlUnitOfWork
from booking.api.access import current_actor
from booking.config import Settings
from booking.domain.people.roles import Actor
from booking.domain.ports import PasswordHasher
from booking.domain.shared.clock import Clock


async def provide_uow(state: State) -> SqlUnitOfWork:
    return SqlUnitOfWork(state.db)


async def provide_read_uow(state: State) -> SqlUnitOfWork:
    """For use cases that only read: on SQLite their transactions do not take the writer lock."""
    return SqlUnitOfWork(state.db, readonly=True)


async def provide_queries(state: State) -> Queries:
    return state.queries  # type: ignore[no-any-return]


async def provide_actor(request: Request[Any, Any, Any]) -> Actor:
    actor = await current_actor(request)
    if actor is None:  # the guard has already refused anonymous callers
        raise NotAuthorizedException("Sign in to do this.")
    return actor


async def provide_optional_actor(request: Request[Any, Any, Any]) -> Actor | None:
    return await current_actor(request)


async def provide_clock(state: State) -> Clock:
    return state.clock  # type: ignore[no-any-return]


async def provide_hasher(state: State) -> PasswordHasher:
    return state.hasher  # type: ignore[no-any-return]


async def provide_settings(state: State) -> Settings:
    return state.settings  # type: ignore[no-any-return]


dependencies = {
    "uow": Provide(provide_uow),
    "read_uow": Provide(provide_read_uow),
    "queries": Provide(provide_queries),
    "actor": Provide(provide_actor),
    "maybe_actor": Provide(provide_optional_actor),
    "clock": Provide(provide_clock),
    "hasher": Provide(provide_hasher),
    "settings": Provide(provide_settings),
}
