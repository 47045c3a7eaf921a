"""GET /health checks the database for real."""

from __future__ import annotations

import httpx

from booking.adapters.db.database import connect
from tests.conftest import make_app


async def test_health_is_ok_when_the_database_answers(client: httpx.AsyncClient) -> None:
    response = await client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


async def test_health_is_503_when_the_database_is_unreachable() -> None:
    # A PostgreSQL URL on a port where nothing listens.
    dead = connect("postgresql+asyncpg://postgres@127.0.0.1:9/nowhere")
    app = make_app(dead)
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as c:
            response = await c.get("/health")
        assert response.status_code == 503
        assert response.json()["database"] == "unreachable"
    finally:
        await dead.dispose()


async def test_ping_is_trivial(client: httpx.AsyncClient) -> None:
    assert (await client.get("/api/ping")).json() == {"pong": True}
