"""Who may call what. Every route declares an Access policy; one guard enforces it.

Credentials: a browser session cookie (HttpOnly, SameSite=Lax) whose writes also
need the X-CSRF-Token header, or an `Authorization: Bearer` API token.
Anonymous callers of non-public routes get 401, signed-in callers without a
fitting role get 403. Routes that set or clear the session cookie (`same_origin=True`
in `guarded`) also refuse requests from other sites (403): a form there must not sign
the visitor's browser in or out.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler

from booking.adapters.db.auth_store import AuthStore, Resolved
from booking.api.problems import problem_responses
from booking.domain.people.roles import Actor, Role

SESSION_COOKIE = "booking_session"
CSRF_COOKIE = "booking_csrf"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

SECURITY: list[dict[str, list[str]]] = [{"sessionCookie": []}, {"bearerToken": []}]


@dataclass(frozen=True)
class Access:
    public: bool = False
    roles: frozenset[Role] = field(default_factory=frozenset)  # empty: any signed-in account

    def allows(self, actor: Actor) -> bool:
        return not self.roles or actor.has(*self.roles)

    def describe(self) -> str:
        if self.public:
            return "Public."
        if not self.roles:
            return "Any signed-in account."
        return "Roles: " + ", ".join(sorted(r.value for r in self.roles | {Role.ADMIN})) + "."


PUBLIC = Access(public=True)
SIGNED_IN = Access()


def roles(*allowed: Role) -> Access:
    return Access(roles=frozenset(allowed))


ADMIN_ONLY = roles(Role.ADMIN)


# Problem answers every API route may give: unreadable input (400), no such object (404), a clash
# with the current state (409), a write whose body is not JSON (415), input that breaks a rule (422).
COMMON_PROBLEMS = frozenset({400, 404, 409, 415, 422})
SIGNED_IN_PROBLEMS = frozenset({401, 403})


def guarded(access: Access, *, problems: tuple[int, ...] = (), **opt: Any) -> dict[str, Any]:
    """Keyword arguments for a route decorator: the policy, its OpenAPI security, and the
    problem+json answers the route documents (plus `problems`, e.g. 429 where sign-in is throttled)."""
    statuses = COMMON_PROBLEMS | (frozenset() if access.public else SIGNED_IN_PROBLEMS) | frozenset(problems)
    return {"opt": {"access": access, **opt}, "security": [] if access.public else SECURITY,
            "responses": problem_responses(statuses)}


_DEFAULT_PORTS = {"http": 80, "https": 443}


def _host_and_port(netloc: str, scheme: str) -> tuple[str, int] | None:
    try:
        parts = urlsplit("//" + netloc)
        host, port = parts.hostname, parts.port
    except ValueError:
        return None
    if not host:
        return None
    return host, port or _DEFAULT_PORTS.get(scheme, 0)


def is_own_origin(origin: str, host_header: str | None, base_url: str) -> bool:
    """An Origin header names this app: the origin of BOOKING_BASE_URL, or the host the request was
    sent to (its Host header; the scheme is not compared, as a proxy may end TLS in front of us)."""
    try:
        given = urlsplit(origin)
    except ValueError:
        return False
    if given.scheme not in _DEFAULT_PORTS:
        return False  # "null" (a sandboxed frame, a redirect across sites) or something stranger
    where = _host_and_port(given.netloc, given.scheme)
    if where is None:
        return False
    own = urlsplit(base_url)
    if given.scheme == own.scheme and where == _host_and_port(own.netloc, own.scheme):
        return True
    return host_header is not None and where == _host_and_port(host_header, given.scheme)


def refuse_cross_site(connection: ASGIConnection[Any, Any, Any, Any]) -> None:
    """403 for a request another site made the browser send: a present Origin that is not ours,
    or `Sec-Fetch-Site: cross-site`. Clients that send neither (scripts, API tools) pass."""
    headers = connection.headers
    origin = headers.get("origin")
    cross = headers.get("sec-fetch-site", "").strip().lower() == "cross-site"
    if cross or (origin is not None and not is_own_origin(origin, headers.get("host"),
                                                              connection.app.state.settings.base_url)):
        raise PermissionDeniedException("This request came from another site; sign in on this site's own pages.",
                                        extra={"code": "cross-site"})


def csrf_token_for(secret: str, session_token: str) -> str:
    return hmac.new(secret.encode(), b"csrf:" + session_token.encode(), hashlib.sha256).hexdigest()


async def resolve_auth(connection: ASGIConnection[Any, Any, Any, Any]) -> Resolved:
    """The caller's credentials, resolved once per request and kept on the scope."""
    state = connection.scope.setdefault("state", {})
    cached = state.get("auth")
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    app_state = connection.app.state
    store: AuthStore = app_state.auth_store
    settings = app_state.settings
    now = app_state.clock.now()
    header = connection.headers.get("authorization")
    resolved = Resolved(None, None, None, None)
    if header:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            resolved = Resolved(None, None, None, "Use `Authorization: Bearer <token>`.")
        else:
            resolved = await store.resolve(token.strip(), "api", now, None)
    elif SESSION_COOKIE in connection.cookies:
        token = connection.cookies[SESSION_COOKIE]
        resolved = await store.resolve(token, "browser", now, timedelta(minutes=settings.session_idle_minutes))
        if resolved.actor is not None:
            state["session_token"] = token
    state["auth"] = resolved
    return resolved


async def current_actor(connection: ASGIConnection[Any, Any, Any, Any]) -> Actor | None:
    return (await resolve_auth(connection)).actor


async def access_guard(connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler) -> None:
    access = handler.opt.get("access")
    if access is None and connection.scope.get("method") == "OPTIONS":
        return  # the framework's automatic OPTIONS answer: allowed methods only, no data
    if not isinstance(access, Access):
        raise PermissionDeniedException("This route declares no access policy.")
    if handler.opt.get("same_origin"):
        refuse_cross_site(connection)
    if access.public:
        return
    resolved = await resolve_auth(connection)
    if resolved.actor is None:
        if resolved.problem:  # credentials were presented and refused: say which, so the client can renew them
            presented = "Authorization" if connection.headers.get("authorization") else SESSION_COOKIE
            raise NotAuthorizedException(resolved.problem, extra={"field": presented})
        raise NotAuthorizedException("Sign in to do this.")
    session_token = connection.scope.get("state", {}).get("session_token")
    if session_token and connection.scope.get("method", "GET") not in SAFE_METHODS:
        expected = csrf_token_for(connection.app.state.settings.secret_key, session_token)
        presented = connection.headers.get(CSRF_HEADER, "")
        if not hmac.compare_digest(expected, presented):
            raise PermissionDeniedException("The X-CSRF-Token header is missing or wrong; reload the page.",
                                            extra={"code": "csrf"})
    if not access.allows(resolved.actor):
        # A distinct problem type: the route is closed to the caller's roles, whatever the object.
        raise PermissionDeniedException("Your role does not allow this.", extra={"code": "role-not-allowed"})
