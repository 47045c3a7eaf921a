"""Every answer carries X-Request-ID, and every log line a request causes carries the same id."""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest

from booking.adapters.db.database import connect
from booking.logs import REQUEST_ID, make_handler
from tests.conftest import make_app
from tests.conftest import test_settings as settings_for_tests

HEX_ID = re.compile(r"[0-9a-f]{32}")


class Lines:
    """What the booking handler wrote, as parsed JSON objects."""

    def __init__(self, stream: io.StringIO) -> None:
        self.stream = stream

    def all(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.stream.getvalue().splitlines() if line.strip()]

    def access(self) -> list[dict[str, Any]]:
        return [line for line in self.all() if line["logger"] == "booking.access"]


@pytest.fixture
def json_lines() -> Iterator[Lines]:
    """The production handler (JSON lines) on the root logger, at INFO, for the test's length."""
    stream = io.StringIO()
    handler = make_handler(settings_for_tests(log_format="json"), stream)
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        yield Lines(stream)
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


@pytest.fixture
async def dead_database_client() -> AsyncIterator[httpx.AsyncClient]:
    """An app whose database cannot be reached: GET /health logs a warning inside the request."""
    dead = connect("postgresql+asyncpg://postgres@127.0.0.1:9/nowhere")
    try:
        transport = httpx.ASGITransport(app=make_app(dead))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            yield client
    finally:
        await dead.dispose()


async def test_the_lines_of_a_request_share_the_id_of_its_answer(
        dead_database_client: httpx.AsyncClient, json_lines: Lines) -> None:
    response = await dead_database_client.get("/health")
    assert response.status_code == 503
    request_id = response.headers["x-request-id"]
    assert HEX_ID.fullmatch(request_id)
    lines = json_lines.all()
    warning = next(line for line in lines if line["logger"] == "booking.health")
    assert warning["level"] == "WARNING" and warning["message"].startswith("health check failed")
    assert warning["request_id"] == request_id
    [access] = json_lines.access()
    assert access["request_id"] == request_id
    assert access["level"] == "INFO"
    assert (access["method"], access["path"], access["status"]) == ("GET", "/health", 503)
    assert isinstance(access["duration_ms"], float) and access["duration_ms"] >= 0
    assert access["message"].startswith("GET /health 503 ")
    assert REQUEST_ID.get() is None  # the id does not outlive its request


async def test_two_requests_get_two_ids(client: httpx.AsyncClient, json_lines: Lines) -> None:
    first = await client.get("/api/ping")
    second = await client.get("/api/ping")
    ids = [first.headers["x-request-id"], second.headers["x-request-id"]]
    assert ids[0] != ids[1]
    assert [line["request_id"] for line in json_lines.access()] == ids


@pytest.mark.parametrize("incoming", ["abc-123.X_y", "a" * 64, "0"])
async def test_a_sane_incoming_id_is_echoed_and_logged(client: httpx.AsyncClient, json_lines: Lines,
                                                       incoming: str) -> None:
    response = await client.get("/api/ping", headers={"X-Request-ID": incoming})
    assert response.headers["x-request-id"] == incoming
    assert [line["request_id"] for line in json_lines.access()] == [incoming]


@pytest.mark.parametrize("incoming", ["a" * 65, "has space", "<script>", "åäö", "line\\nbreak", "a/b", ""])
async def test_an_insane_incoming_id_is_replaced(client: httpx.AsyncClient, json_lines: Lines,
                                                 incoming: str) -> None:
    response = await client.get("/api/ping", headers={"X-Request-ID": incoming.encode()})
    assert HEX_ID.fullmatch(response.headers["x-request-id"])
    assert response.headers.get_list("x-request-id") == [response.headers["x-request-id"]]
    assert [line["request_id"] for line in json_lines.access()] == [response.headers["x-request-id"]]


@pytest.mark.parametrize(("method", "path", "status", "media"), [
    ("GET", "/", 200, "text/html"),                            # a static page
    ("GET", "/assets/nope.js", 404, None),                     # a file that is not there
    ("GET", "/api/nope", 404, "application/problem+json"),     # the router's own 404
    ("DELETE", "/health", 405, "application/problem+json"),    # the router's own 405
    ("GET", "/api/auth/me", 401, "application/problem+json"),         # a guard refuses
    ("POST", "/api/auth/tokens", 415, "application/problem+json"),  # refused at the edge
])
async def test_every_answer_carries_the_id(client: httpx.AsyncClient, json_lines: Lines, method: str, path: str,
                                           status: int, media: str | None) -> None:
    response = await client.request(method, path, content=b"x=1" if method == "POST" else None,
                                    headers={"Content-Type": "text/plain"} if method == "POST" else {})
    assert response.status_code == status
    if media:
        assert response.headers["content-type"].startswith(media)
    request_id = response.headers["x-request-id"]
    assert HEX_ID.fullmatch(request_id)
    [access] = json_lines.access()
    assert (access["request_id"], access["method"], access["path"], access["status"]) == (
        request_id, method, path, status)


@pytest.mark.parametrize(("method", "path"), [("GET", "/api/nowhere"), ("DELETE", "/api/ping"), ("GET", "/api/ping"),
                                              ("GET", "/no-such-page.html")])
async def test_every_answer_carries_the_security_headers(client: httpx.AsyncClient, method: str, path: str) -> None:
    """The router's own 404 and 405 too: a JSON 404 must not be sniffed or framed either."""
    answer = await client.request(method, path)
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]
