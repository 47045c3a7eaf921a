"""Lock conflicts are run again inside the server, never answered 500.

A deadlock, a serialization failure or a lock timeout (PostgreSQL), or "database is locked"
(SQLite) means the database refused one transaction and kept nothing of it. Every unit of work
commits explicitly and nothing is answered before its commit, so such a request can simply run
again: this middleware keeps the request body, and when an attempt ends in a transient error
(`TransientDatabaseError` from the unit of work, or the same errors from a read outside it), has
committed nothing and its answer has not started, it runs the handler again after a short jittered
pause, up to ATTEMPTS times within RETRY_BUDGET seconds. Then the answer is 503 problem+json with
`Retry-After`. Any other error is not run again.

It sits inside the Idempotency-Key middleware: a key is claimed once for all attempts, so a retried
request is never mistaken for a duplicate, and a final 503 releases the claim.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from typing import Any

from litestar import Request, Response
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from litestar.utils.scope.state import CONNECTION_STATE_KEY, ScopeState
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from booking.adapters.db.transient import TransientDatabaseError, commits_in_attempt, transient_reason
from booking.api.problems import on_unexpected, problem

log = logging.getLogger("booking.api.retry")

ATTEMPTS = 3
BACKOFF = 0.05  # seconds, times the attempt number, jittered by +-50 %
RETRY_BUDGET = 15.0  # seconds: a request that waited this long for locks is not run again
RETRY_AFTER = "1"
_REASON = "booking.transient"  # set on the attempt's scope by the exception handler


def on_transient(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    reason = transient_reason(exc)
    if reason is None:
        return on_unexpected(request, exc)
    request.scope[_REASON] = reason  # type: ignore[literal-required]
    log.warning("lock conflict on %s %s: %s", request.method, request.url.path, reason)
    return problem(request, 503, "The database was busy with a conflicting change; try again in a moment.",
                   code="busy", headers={"Retry-After": RETRY_AFTER})


exception_handlers: dict[type[Exception] | int, Any] = {
    TransientDatabaseError: on_transient,
    DBAPIError: on_transient,  # a read outside a unit of work; anything not transient stays a 500
    PoolTimeout: on_transient,
}


def _fresh(scope: Scope) -> Scope:
    """A copy of the scope for one attempt, with Litestar's per-connection cache emptied (parsed body,
    dependencies, "response started") but its exception handlers kept."""
    state = dict(scope.get("state", {}))
    old = state.pop(CONNECTION_STATE_KEY, None)
    new = ScopeState()
    if old is not None:
        new.exception_handlers = old.exception_handlers
    state[CONNECTION_STATE_KEY] = new
    attempt: Any = dict(scope)
    attempt["state"] = state
    attempt.pop(_REASON, None)
    return attempt  # type: ignore[no-any-return]


class TransientRetryMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        handler = scope.get("route_handler")
        resolve_limit = getattr(handler, "resolve_request_max_body_size", None)
        limit: int | None = resolve_limit() if resolve_limit is not None else None
        read: list[Any] = []
        size = 0
        while True:
            message = await receive()
            read.append(message)
            if message["type"] != "http.request":
                break  # the client went away: run once, as it is
            size += len(message.get("body", b""))
            if limit is not None and size > limit:
                break  # Litestar answers 413 on the rest; nothing to run again
            if not message.get("more_body", False):
                body = b"".join(m.get("body", b"") for m in read)
                await self._attempts(scope, body, receive, send)
                return
        await self.app(scope, _replaying(read, receive), send)

    async def _attempts(self, scope: Scope, body: bytes, receive: Receive, send: Send) -> None:
        began = time.monotonic()
        for attempt in range(1, ATTEMPTS + 1):
            may_retry = attempt < ATTEMPTS and time.monotonic() - began < RETRY_BUDGET
            reason = await self._attempt(scope, body, receive, send, may_retry)
            if reason is None:
                return
            log.warning("running %s %s again (attempt %d of %d) after %s", scope.get("method"), scope.get("path"),
                        attempt + 1, ATTEMPTS, reason)
            await asyncio.sleep(BACKOFF * attempt * random.uniform(0.5, 1.5))  # noqa: S311 jitter, not a secret

    async def _attempt(self, scope: Scope, body: bytes, receive: Receive, send: Send, may_retry: bool) -> str | None:
        """Run the handler once; answers why it must run again (its answer held back), or None when its
        answer went out."""
        attempt_scope = _fresh(scope)
        held_back: str | None = None
        with commits_in_attempt() as commits:

            async def attempt_send(message: Message) -> None:
                nonlocal held_back
                reason = attempt_scope.get(_REASON)
                if message["type"] == "http.response.start" and may_retry and reason and commits.count == 0:
                    held_back = str(reason)  # the 503 of a refused attempt that kept nothing: run again instead
                    return
                if held_back is None:
                    await send(message)

            await self.app(attempt_scope, _replaying([{"type": "http.request", "body": body, "more_body": False}],
                                                     receive), attempt_send)
        return held_back


def _replaying(messages: list[Any], receive: Receive) -> Receive:
    pending = list(messages)

    async def replay() -> Any:
        if pending:
            return pending.pop(0)
        return await receive()

    return replay  # type: ignore[return-value]
