"""A request id for every HTTP request, and one access line per request.

The id is the client's `X-Request-ID` when it is sane (1-64 characters of A-Z a-z 0-9 . _ -, so
it cannot forge log lines or smuggle markup), else a fresh uuid4 hex. It is in
booking.logs.REQUEST_ID while the request runs, so every log line the request causes carries it,
and it goes back as the `X-Request-ID` response header on every answer: pages, files, API answers
and problem+json errors, the router's own 404 and 405 among them (see wrap_app).
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Iterable
from typing import TYPE_CHECKING

from litestar.types import ASGIApp, Message, Receive, Scope, Send

from booking.logs import REQUEST_ID

if TYPE_CHECKING:
    from litestar import Litestar

HEADER = b"x-request-id"
_SANE = re.compile(rb"[A-Za-z0-9._-]{1,64}")

access_log = logging.getLogger("booking.access")


def request_id_of(headers: Iterable[tuple[bytes, bytes]]) -> str:
    """The incoming X-Request-ID when sane, else a new one."""
    incoming = next((value for key, value in headers if key.lower() == HEADER), None)
    if incoming is not None and _SANE.fullmatch(incoming):
        return incoming.decode("ascii")
    return uuid.uuid4().hex


class RequestLogMiddleware:
    """Sets the request id around the app, puts it on the answer, logs the access line."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = request_id_of(scope["headers"])
        token = REQUEST_ID.set(request_id)
        started = time.perf_counter()
        status = 500  # if the app raises before it answers

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != HEADER]
                message["headers"] = [*headers, (HEADER, request_id.encode("ascii"))]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            _log_access(scope, status, started)
            REQUEST_ID.reset(token)


def _log_access(scope: Scope, status: int, started: float) -> None:
    """The path without its query string: queries may carry search terms of people."""
    if not access_log.isEnabledFor(logging.INFO):
        return
    duration_ms = round((time.perf_counter() - started) * 1000, 1)
    method, path = scope.get("method", ""), scope.get("path", "")
    access_log.info("%s %s %s %.1f ms", method, path, status, duration_ms,
                    extra={"method": method, "path": path, "status": status, "duration_ms": duration_ms})


def wrap_app(app: Litestar) -> Litestar:
    """Put the middleware outside everything Litestar does, its router included: middleware in
    Litestar(middleware=[...]) runs only for requests that reach a route handler, so the router's
    404 and 405 answers would go out without an id or an access line."""
    app.asgi_handler = RequestLogMiddleware(app.asgi_handler)
    return app
