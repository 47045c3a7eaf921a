"""What a controller may ask for, by parameter name: the one way to get each thing.

- `uow` (a transaction that writes) or `read_uow` (one that only reads: on SQLite it does not
  take the writer lock). Pass it to a domain service; never build a `SqlUnitOfWork` by hand.
- `actor` (the signed-in caller; anonymous callers were refused by the guard) or `maybe_actor`.
- the read models: `queries`, `lending_queries`, `circulation_queries`, `activity_queries`,
  `allocation_queries`, `audit_queries`; and `auth_store`, `clock`, `hasher`, `settings`.

Every handler of the app gets these (`app.py` hands `dependencies` to the app), so a controller
declares none of its own.
"""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.datastructures import State
from litestar.di import Provide
from litestar.exceptions import NotAuthorizedException

from booking.adapters.db.database import Database
from booking.adapters.db.queries import Queries
from booking.adapters.db.queries_activities import ActivityQueries
from booking.adapters.db.queries_allocation import AllocationQueries
from booking.adapters.db.queries_audit import AuditQueries
from booking.adapters.db.queries_circulation import CirculationQueries
from booking.adapters.db.queries_lending import LendingQueries
from booking.adapters.db.queries_matching import MatchingQueries
from booking.adapters.db.queries_requests import RequestQueries
from booking.adapters.db.queries_setup import SetupQueries
from booking.adapters.db.uow import SqlUnitOfWork
from booking.api.access import current_actor
from booking.domain.people.roles import Actor

READ_MODELS = {
    "queries": Queries,
    "lending_queries": LendingQueries,
    "circulation_queries": CirculationQueries,
    "activity_queries": ActivityQueries,
    "allocation_queries": AllocationQueries,
    "setup_queries": SetupQueries,
    "audit_queries": AuditQueries,
    "matching_queries": MatchingQueries,
    "request_queries": RequestQueries,
}


def read_models(db: Database) -> dict[str, Any]:
    """The read models of the app's state, one of each, built once at start."""
    return {name: model(db) for name, model in READ_MODELS.items()}


async def provide_uow(state: State) -> SqlUnitOfWork:
    return SqlUnitOfWork(state.db)


async def provide_read_uow(state: State) -> SqlUnitOfWork:
    """For use cases that only read: on SQLite their transactions do not take the writer lock."""
    return SqlUnitOfWork(state.db, readonly=True)


async def provide_actor(request: Request[Any, Any, Any]) -> Actor:
    actor = await current_actor(request)
    if actor is None:  # the guard has already refused anonymous callers
        raise NotAuthorizedException("Sign in to do this.")
    return actor


async def provide_optional_actor(request: Request[Any, Any, Any]) -> Actor | None:
    return await current_actor(request)


def _from_state(name: str) -> Provide:
    async def provide(state: State) -> Any:
        return state[name]

    provide.__name__ = f"provide_{name}"
    return Provide(provide)


dependencies: dict[str, Provide] = {
    "uow": Provide(provide_uow),
    "read_uow": Provide(provide_read_uow),
    "actor": Provide(provide_actor),
    "maybe_actor": Provide(provide_optional_actor),
    **{name: _from_state(name) for name in (*READ_MODELS, "auth_store", "clock", "hasher", "settings",
                                                     "oidc_client", "sign_in_store")},
}

__all__ = ["dependencies", "read_models"]
