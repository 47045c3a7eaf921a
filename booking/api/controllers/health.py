"""GET /health: is the service up and can it reach its database?"""

from __future__ import annotations

import logging

import msgspec
from litestar import Response, get
from litestar.datastructures import State

from booking.api.access import PUBLIC, guarded
from booking.api.schemas.people import Health

log = logging.getLogger("booking.health")


@get("/health", operation_id="getHealth", tags=["health"], cache_control=None, **guarded(PUBLIC))
async def health(state: State) -> Response[Health]:
    """Checks the database with a query; 503 when it cannot be reached."""
    try:
        await state.db.ping()
    except Exception as exc:  # any failure to reach the database means unhealthy
        log.warning("health check failed: %s", exc)
        return Response(Health(status="unavailable", database="unreachable"), status_code=503)
    return Response(Health(status="ok", database="ok"))


class Pong(msgspec.Struct):
    pong: bool


@get("/api/ping", operation_id="ping", tags=["health"], **guarded(PUBLIC))
async def ping() -> Pong:
    """A trivial JSON answer that touches nothing: the benchmark's ceiling."""
    return Pong(pong=True)
