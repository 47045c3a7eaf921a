"""The Idempotency-Key mechanism for creating POSTs.

A client that sends `Idempotency-Key: <unique string>` may retry the same POST
safely: the first request is claimed in the database, its answer is stored,
and a retry with the same key and the same body gets the same answer back
(with `Idempotent-Replayed: true`) instead of creating twice. The same key
with another body is refused (422); a retry while the first is still running
gets 409 with Retry-After. Answers that may change on retry (401, 403, 409,
429, 5xx) are not stored. Keys are per caller and kept for 24 hours.

Routes opt in with `opt={"idempotent": True}` (see access.guarded).
"""

from __future__ import annotations

import gzip
import hashlib
import json
from dataclasses import dataclass
from enum import Enum
from typing import Any

from litestar.connection import ASGIConnection
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from booking.adapters.db.idempotency import IdempotencyStore, Stored
from booking.api.access import resolve_auth
from booking.domain.shared.clock import Clock

HEADER = b"idempotency-key"
MAX_KEY = 255
_NOT_STORED = {401, 403, 409, 429}


def _problem(status: int, detail: str, code: str, extra_headers: list[tuple[bytes, bytes]] | None = None,
             instance: str = "") -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    titles = {409: "Conflict", 413: "Request too large", 422: "Invalid input"}
    body = json.dumps({
        "type": f"urn:booking:problem:{code}", "title": titles.get(status, "Error"),
        "status": status, "detail": detail, "instance": instance,
        **({"errors": [{"field": "Idempotency-Key", "message": detail, "code": code}]} if status == 422 else {}),
    }).encode()
    headers = [(b"content-type", b"application/problem+json"), (b"content-length", str(len(body)).encode())]
    return status, headers + (extra_headers or []), body


class IdempotencyMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        key_raw = _key_header(scope)
        if key_raw is None:
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        key = key_raw.decode("latin-1").strip()
        if not key or len(key) > MAX_KEY:
            await _send(send, *_problem(422, f"Idempotency-Key must be 1-{MAX_KEY} characters.", "validation",
                                        instance=path))
            return
        limit = _body_limit(scope)
        body = await _read_body(receive, limit)
        if body is _Unread.DISCONNECTED:
            await self.app(scope, receive, send)
        elif body is _Unread.TOO_LARGE:
            await _send(send, *_problem(413, f"The request body is larger than {limit} bytes.", "too-large",
                                        instance=path))
        else:
            claim = await _Claim.of(scope, key, path, body)
            stored = await claim.claim()
            if stored is None:
                await self._run_and_store(scope, _replaying(body, receive), send, claim)
            else:
                await _answer_stored(send, stored, claim.request_hash, path)

    async def _run_and_store(self, scope: Scope, receive: Receive, send: Send, claim: _Claim) -> None:
        """Run the request; store its answer for retries, or release the key when it may change."""
        captured = _Captured(send)
        try:
            await self.app(scope, receive, captured.send)
        except BaseException:
            await claim.release()
            raise
        answer = captured.storable()
        if answer is None:
            await claim.release()
        else:
            await claim.complete(*answer)


def _key_header(scope: Scope) -> bytes | None:
    """The Idempotency-Key of a POST to a route that opted in, else None (the request passes through)."""
    if scope["type"] != "http" or scope.get("method") != "POST":
        return None
    handler = scope.get("route_handler")
    if handler is None or not handler.opt.get("idempotent"):
        return None
    return dict(scope["headers"]).get(HEADER)


def _body_limit(scope: Scope) -> int | None:
    """The body is read here, before Litestar would enforce its size limit, so enforce it here too."""
    resolve_limit = getattr(scope["route_handler"], "resolve_request_max_body_size", None)
    return resolve_limit() if resolve_limit is not None else None


class _Unread(Enum):
    DISCONNECTED = "disconnected"
    TOO_LARGE = "too large"


async def _read_body(receive: Receive, limit: int | None) -> bytes | _Unread:
    """The whole body, or TOO_LARGE past the limit, or DISCONNECTED when the client went away."""
    parts: list[bytes] = []
    size = 0
    more = True
    while more:
        message = await receive()
        if message["type"] != "http.request":
            return _Unread.DISCONNECTED
        chunk = message.get("body", b"")
        size += len(chunk)
        if limit is not None and size > limit:
            return _Unread.TOO_LARGE
        parts.append(chunk)
        more = message.get("more_body", False)
    return b"".join(parts)


def _replaying(body: bytes, receive: Receive) -> Receive:
    """A receive that gives the body read already, then whatever the client sends next."""
    replayed = False

    async def replay_receive() -> Any:
        nonlocal replayed
        if not replayed:
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay_receive


@dataclass(frozen=True)
class _Claim:
    """One caller's key for one request: claimed before running it, then completed or released."""

    store: IdempotencyStore
    clock: Clock
    principal: str
    key: str
    path: str
    request_hash: str

    @classmethod
    async def of(cls, scope: Scope, key: str, path: str, body: bytes) -> _Claim:
        connection: ASGIConnection[Any, Any, Any, Any] = ASGIConnection(scope)
        resolved = await resolve_auth(connection)
        principal = f"account:{resolved.actor.account_id}" if resolved.actor else \
            "client:" + (scope.get("client") or ("unknown", 0))[0]
        request_hash = hashlib.sha256(b"POST " + path.encode() + b"\n" + body).hexdigest()
        app_state = scope["litestar_app"].state
        return cls(app_state.idempotency, app_state.clock, principal, key, path, request_hash)

    async def claim(self) -> Stored | None:
        """None when this request is the first with the key; else what is stored for the key."""
        return await self.store.claim(self.principal, self.key, "POST", self.path, self.request_hash,
                                      self.clock.now())

    async def release(self) -> None:
        await self.store.release(self.principal, self.key)

    async def complete(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        await self.store.complete(self.principal, self.key, status, body, headers, self.clock.now())


async def _answer_stored(send: Send, stored: Stored, request_hash: str, path: str) -> None:
    """Another body under the key: 422; the first still running: 409; else the stored answer again."""
    if stored.request_hash != request_hash:
        await _send(send, *_problem(422, "This Idempotency-Key was used with another request.",
                                    "idempotency-key-reused", instance=path))
    elif stored.status_code is None:
        await _send(send, *_problem(409, "A request with this Idempotency-Key is still being processed.",
                                    "idempotency-in-progress", [(b"retry-after", b"1")], instance=path))
    else:
        replay = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in stored.headers.items()]
        replay.append((b"idempotent-replayed", b"true"))
        await _send(send, stored.status_code, replay, stored.body or b"")


class _Captured:
    """Passes the answer on to the client and keeps a copy of it."""

    def __init__(self, send: Send) -> None:
        self._send = send
        self.status = 500
        self.headers: list[tuple[bytes, bytes]] = []
        self.body: list[bytes] = []

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
            self.headers = list(message.get("headers", []))
        elif message["type"] == "http.response.body":
            self.body.append(message.get("body", b""))
        await self._send(message)

    def storable(self) -> tuple[int, bytes, dict[str, str]] | None:
        """Status, plain body and the headers worth replaying; None for answers that may change on
        retry, and for bodies in an encoding this cannot undo."""
        if self.status >= 500 or self.status in _NOT_STORED:
            return None
        answer = b"".join(self.body)
        encoding = next((v.strip().lower() for k, v in self.headers if k.lower() == b"content-encoding"),
                        b"identity")
        if encoding == b"gzip":
            # Compression happens inside this middleware; store the plain answer, so that a retry gets
            # a body it can read whatever Accept-Encoding it sends.
            answer = gzip.decompress(answer)
        elif encoding != b"identity":
            return None
        keep = {b"content-type", b"location"}
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in self.headers if k.lower() in keep}
        headers["content-length"] = str(len(answer))
        return self.status, answer, headers


async def _send(send: Send, status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body, "more_body": False})
