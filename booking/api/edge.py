"""The HTTP edge: what a request body must be before anything decodes it.

- API writes (POST, PUT, PATCH, DELETE under /api) carry JSON or nothing: a write that declares
  another media type (a form, text/plain, ...), or sends a body without declaring one, is refused
  with 415 naming `Content-Type`. No route takes files, forms or CSV. An HTML form on another
  site can only send form, multipart or text/plain bodies without a CORS preflight, so this closes
  the door to cross-site forms that a cookie would otherwise carry (login CSRF among them).
- A JSON body nested deeper than MAX_JSON_DEPTH levels is refused with 400 naming `body` before the
  decoder sees it (a recursive decoder runs out of stack on a couple of kilobytes of brackets).
- Requests arriving with X-Forwarded-For while BOOKING_TRUST_PROXY_HEADERS is off are warned about
  once per application: every client then shares the proxy's address, and sign-in throttling counts
  them as one.
"""

from __future__ import annotations

import json
import logging
import re
from array import array
from itertools import accumulate
from typing import Any

from litestar.types import ASGIApp, Receive, Scope, Send

from booking.api.problems import PROBLEM_JSON, problem_document

log = logging.getLogger("booking.api")

MAX_JSON_DEPTH = 64
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

# A JSON string, escapes included; what is inside one is text, never structure. An unterminated
# one runs to the end of the body: the pattern always matches at a quote, so it never backtracks
# over the rest of the body once per quote (that would be quadratic).
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*\\?(?:"|\Z)', re.DOTALL)
# Opening brackets become +1, closing ones -1 (as signed bytes); everything else is dropped.
_SIGNS = bytes.maketrans(b"[{]}", b"\x01\x01\xff\xff")
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_CHUNK = 1 << 16


def is_json_media_type(content_type: str) -> bool:
    """`application/json` or a structured `application/*+json` type, parameters (charset) allowed."""
    media = content_type.split(";", 1)[0].strip().lower()
    kind, _, subtype = media.partition("/")
    return kind == "application" and (subtype == "json" or (subtype.endswith("+json") and len(subtype) > 5))


def _deepest(signs: bytes, limit: int) -> int:
    """The deepest running depth of +1/-1 signs, or limit + 1 as soon as it is passed."""
    depth = deepest = 0
    for start in range(0, len(signs), _CHUNK):
        chunk = array("b", signs[start:start + _CHUNK])
        deepest = max(deepest, max(accumulate(chunk, initial=depth)))
        if deepest > limit:
            return limit + 1
        depth += sum(chunk)
    return deepest


def json_nesting_depth_exceeds(body: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether the arrays and objects of a JSON text nest deeper than `limit`, brackets inside
    strings not counted. Linear, in C-implemented passes: a body with no more than `limit` opening
    brackets in all is answered by two counts, a run of brackets by one search. Otherwise empty
    pairs (`[]`, `{}`, the bulk of a flat body) are dropped first: that lowers the deepest point
    by at most one, so only a result of exactly `limit` needs the full sum."""
    if body.count(b"[") + body.count(b"{") <= limit:
        return False
    signs = _STRING.sub(b"", body).translate(_SIGNS, _NOT_BRACKETS)
    run = signs.find(b"\x01" * (limit + 1))
    if run >= 0 and signs.count(b"\x01", 0, run) >= signs.count(b"\xff", 0, run):
        return True  # a run of openers that starts at depth >= 0
    deepest = _deepest(signs.replace(b"\x01\xff", b""), limit)
    if deepest != limit:
        return deepest > limit
    return _deepest(signs, limit) > limit


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return bytes(value).decode("latin-1")
    return None


async def send_problem(send: Send, status: int, detail: str, instance: str, *, code: str | None = None,
                       errors: list[dict[str, str]] | None = None) -> None:
    body = json.dumps(problem_document(status, detail, instance, code=code, errors=errors)).encode()
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", PROBLEM_JSON.encode()), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body, "more_body": False})


class ProxyHeaderWarning:
    """Logs once (per application) that X-Forwarded-For arrives while it is not trusted. One object
    is shared by the middleware instances of every route."""

    def __init__(self, trust_proxy_headers: bool) -> None:
        self.done = trust_proxy_headers

    def check(self, scope: Scope) -> None:
        if self.done or _header(scope, b"x-forwarded-for") is None:
            return
        self.done = True
        log.warning(
            "Requests arrive with X-Forwarded-For, but BOOKING_TRUST_PROXY_HEADERS is off: every client is "
            "seen with the proxy's address, so sign-in throttling counts them all as one client. Behind a "
            "reverse proxy that sets X-Forwarded-For, set BOOKING_TRUST_PROXY_HEADERS=1.")


class RequestEdgeMiddleware:
    """Refuses bodies the API does not take (see the module's docstring); passes the rest on
    unchanged (the body it has read is replayed to the application)."""

    def __init__(self, app: ASGIApp, proxy_warning: ProxyHeaderWarning | None = None,
                 max_depth: int = MAX_JSON_DEPTH) -> None:
        self.app = app
        self.proxy_warning = proxy_warning or ProxyHeaderWarning(trust_proxy_headers=True)
        self.max_depth = max_depth

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        self.proxy_warning.check(scope)
        method, path = scope.get("method", "GET"), scope.get("path", "")
        content_type = _header(scope, b"content-type")
        api_write = method in WRITE_METHODS and (path == "/api" or path.startswith("/api/"))
        if api_write and content_type is not None and not is_json_media_type(content_type):
            await self._unsupported(send, path, content_type)
            return
        announced = _header(scope, b"content-length") not in (None, "0") or \
            _header(scope, b"transfer-encoding") is not None
        if not (api_write or announced):
            await self.app(scope, receive, send)
            return

        handler = scope.get("route_handler")
        resolve_limit = getattr(handler, "resolve_request_max_body_size", None)
        limit: int | None = resolve_limit() if resolve_limit is not None else None
        parts: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if limit is not None and size > limit:
                detail = f"The request body is larger than {limit} bytes."
                await send_problem(send, 413, detail, path, code="too-large", errors=[
                    {"field": "body", "message": detail, "code": "too-large", "source": "body"}])
                return
            parts.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(parts)

        if body and api_write and content_type is None:
            await self._unsupported(send, path, None)
            return
        if body and (content_type is None or is_json_media_type(content_type)) and \
                json_nesting_depth_exceeds(body, self.max_depth):
            detail = f"The JSON body nests arrays and objects deeper than {self.max_depth} levels."
            await send_problem(send, 400, detail, path, code="malformed", errors=[
                {"field": "body", "message": detail, "code": "too-deep", "source": "body"}])
            return

        replayed = False

        async def replay() -> Any:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)  # type: ignore[arg-type]

    @staticmethod
    async def _unsupported(send: Send, path: str, content_type: str | None) -> None:
        given = f"{content_type.split(';', 1)[0].strip()!r}" if content_type else "no Content-Type"
        detail = f"The API takes JSON bodies only (Content-Type: application/json); this request sent {given}."
        await send_problem(send, 415, detail, path, errors=[
            {"field": "Content-Type", "message": detail, "code": "unsupported", "source": "header"}])


__all__ = ["MAX_JSON_DEPTH", "ProxyHeaderWarning", "RequestEdgeMiddleware", "is_json_media_type",
           "json_nesting_depth_exceeds"]
