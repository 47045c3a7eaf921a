"""Every error is an RFC 9457 problem+json answer, never an HTML page or a traceback."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest
from litestar import get
from litestar.exceptions import InternalServerException

from booking.adapters.db.database import Database
from booking.api.access import PUBLIC, guarded
from tests.conftest import World, make_app

PROBLEM_KEYS = {"type", "title", "status", "detail", "instance"}


def assert_problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json"), response.headers
    body = response.json()
    assert set(body) >= PROBLEM_KEYS, body
    assert body["status"] == status
    assert body["type"].startswith("urn:booking:problem:")
    assert isinstance(body["title"], str) and body["title"]
    assert isinstance(body["detail"], str) and body["detail"]
    assert body["instance"] == response.request.url.path
    assert "<html" not in response.text.lower()
    return body


@pytest.mark.parametrize("accept", ["application/json", "text/html,application/xhtml+xml", "*/*"])
async def test_an_unknown_api_route_is_a_404_problem_not_a_page(client: httpx.AsyncClient, accept: str) -> None:
    for path in ("/api/nope", "/api/sites/not-a-uuid", "/api/sites/00000000-0000-0000-0000-000000000000/x"):
        body = assert_problem(await client.get(path, headers={"Accept": accept}), 404)
        assert body["type"] == "urn:booking:problem:not-found"
        assert body["detail"] != "Not Found"  # says something a person can act on


async def test_an_unknown_object_is_a_404_problem_naming_it(client: httpx.AsyncClient) -> None:
    missing = "01a20000-0000-7000-8000-000000000000"
    body = assert_problem(await client.get(f"/api/sites/{missing}"), 404)
    assert missing in body["detail"]


async def test_a_wrong_method_is_a_405_problem_with_allow(client: httpx.AsyncClient, world: World) -> None:
    for method, path in (("PUT", "/api/sites"), ("DELETE", "/api/spaces"), ("POST", f"/api/sites/{world.site_id}"),
                         ("GET", "/api/auth/login")):
        response = await client.request(method, path, headers=world["admin"].headers)
        body = assert_problem(response, 405)
        assert body["type"] == "urn:booking:problem:method-not-allowed"
        allowed = {m.strip() for m in response.headers["allow"].split(",")}
        assert method not in allowed and allowed
        assert method in body["detail"]


async def test_every_kind_of_error_is_a_complete_problem(
    client: httpx.AsyncClient, world: World, sqlite_db: Database
) -> None:
    admin = world["admin"].headers
    json_headers = {**admin, "Content-Type": "application/json"}
    cases: list[tuple[int, Callable[[], Awaitable[httpx.Response]]]] = [
        (400, lambda: client.post("/api/spaces", content=b'{"name": ', headers=json_headers)),
        (401, lambda: client.get("/api/accounts")),
        (401, lambda: client.get("/api/accounts", headers={"Authorization": "Bearer nej"})),
        (403, lambda: client.get("/api/accounts", headers=world["borrower"].headers)),
        (404, lambda: client.get("/api/nope")),
        (404, lambda: client.patch("/api/spaces/01a20000-0000-7000-8000-000000000000", headers=admin,
                                   json={"capacity": 3})),
        (405, lambda: client.put("/api/sites", headers=admin)),
        (409, lambda: client.delete(f"/api/sites/{world.site_id}", headers=admin)),
        (413, lambda: client.post("/api/spaces", headers=json_headers, content=b" " * 2_100_000)),
        (413, lambda: client.post("/api/spaces", headers={**json_headers, "Idempotency-Key": "big"},
                                  content=b" " * 2_100_000)),
        (422, lambda: client.post("/api/spaces", headers=admin, json={"site_id": world.site_id})),
        (422, lambda: client.get("/api/spaces", params={"limit": 0})),
        (422, lambda: client.post("/api/spaces", headers={**admin, "Idempotency-Key": "k" * 300},
                                  json={"site_id": world.site_id})),
    ]
    for status, call in cases:
        body = assert_problem(await call(), status)
        if status in (400, 422):
            assert body["errors"] and all({"field", "message", "code"} <= set(e) for e in body["errors"]), body
        if status == 409:
            assert "conflicts" in body


async def test_malformed_json_names_the_body(client: httpx.AsyncClient, world: World) -> None:
    for raw in (b"{bad", b'{"name": "x",}', b"", b"\xff\xfe", b'{"site_id": "' + b"a" * 10 + b'"'):
        response = await client.post("/api/spaces", content=raw,
                                     headers={**world["admin"].headers, "Content-Type": "application/json"})
        assert response.status_code in (400, 422), raw
        body = assert_problem(response, response.status_code)
        assert [e["field"] for e in body["errors"]] == ["body"], (raw, body)


async def test_a_crash_is_a_500_problem_that_leaks_nothing(sqlite_db: Database) -> None:
    """An unexpected exception (or an internal HTTP error) answers a generic problem: no
    traceback, no exception text, no file paths."""
    secret = "postgresql://admin:hunter2@db.internal/booking"

    @get("/api/test-crash", **guarded(PUBLIC))
    async def crash() -> None:
        raise RuntimeError(f"cannot connect to {secret}")

    @get("/api/test-internal", **guarded(PUBLIC))
    async def internal() -> None:
        raise InternalServerException(f"pool exhausted for {secret}")

    app = make_app(sqlite_db)
    app.register(crash)
    app.register(internal)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app, raise_app_exceptions=False),
                                 base_url="http://testserver") as c:
        for path in ("/api/test-crash", "/api/test-internal"):
            response = await c.get(path)
            body = assert_problem(response, 500)
            assert body["type"] == "urn:booking:problem:internal"
            for leak in ("hunter2", "db.internal", "Traceback", "RuntimeError", ".py", "line "):
                assert leak not in response.text, (path, leak)
