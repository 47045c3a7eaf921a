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
from typing import Any

from litestar.connection import ASGIConnection
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from booking.adapters.db.idempotency import IdempotencyStore
from booking.api.access import resolve_auth

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
        if scope["type"] != "http" or scope.get("method") != "POST":
            await self.app(scope, receive, send)
            return
        handler = scope.get("route_handler")
        key_raw = dict(scope["headers"]).get(HEADER)
        if key_raw is None or handler is None or not handler.opt.get("idempotent"):
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        key = key_raw.decode("latin-1").strip()
        if not key or len(key) > MAX_KEY:
            await _send(send, *_problem(422, f"Idempotency-Key must be 1-{MAX_KEY} characters.", "validation",
                                        instance=path))
            return

        # The body is read here, before Litestar would enforce its size limit, so enforce it here too.
        resolve_limit = getattr(handler, "resolve_request_max_body_size", None)
        limit: int | None = resolve_limit() if resolve_limit is not None else None
        body_parts: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                await self.app(scope, receive, send)
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if limit is not None and size > limit:
                await _send(send, *_problem(413, f"The request body is larger than {limit} bytes.", "too-large",
                                            instance=path))
                return
            body_parts.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(body_parts)
        replayed = False

        async def replay_receive() -> Any:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        connection: ASGIConnection[Any, Any, Any, Any] = ASGIConnection(scope)
        resolved = await resolve_auth(connection)
        principal = f"account:{resolved.actor.account_id}" if resolved.actor else \
            "client:" + (scope.get("client") or ("unknown", 0))[0]
        request_hash = hashlib.sha256(b"POST " + path.encode() + b"\n" + body).hexdigest()
        app_state = scope["litestar_app"].state
        store: IdempotencyStore = app_state.idempotency
        now = app_state.clock.now()

        stored = await store.claim(principal, key, "POST", path, request_hash, now)
        if stored is not None:
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
            return

        captured: dict[str, Any] = {"status": 500, "headers": [], "body": []}

        async def capture_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                captured["status"] = message["status"]
                captured["headers"] = list(message.get("headers", []))
            elif message["type"] == "http.response.body":
                captured["body"].append(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, replay_receive, capture_send)  # type: ignore[arg-type]
        except BaseException:
            await store.release(principal, key)
            raise
        status = captured["status"]
        if status >= 500 or status in _NOT_STORED:
            await store.release(principal, key)
            return
        answer = b"".join(captured["body"])
        encoding = next((v.strip().lower() for k, v in captured["headers"] if k.lower() == b"content-encoding"),
                        b"identity")
        if encoding == b"gzip":
            # Compression happens inside this middleware; store the plain answer, so that a retry gets
            # a body it can read whatever Accept-Encoding it sends.
            answer = gzip.decompress(answer)
        elif encoding != b"identity":
            await store.release(principal, key)
            return
        keep = {b"content-type", b"location"}
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in captured["headers"] if k.lower() in keep}
        headers["content-length"] = str(len(answer))
        await store.complete(principal, key, status, answer, headers, app_state.clock.now())


async def _send(send: Send, status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body, "more_body": False})
