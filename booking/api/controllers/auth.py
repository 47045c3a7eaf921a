"""Signing in and out: browser sessions (cookies + CSRF) and API tokens (bearer)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import Cookie
from litestar.status_codes import HTTP_201_CREATED, HTTP_204_NO_CONTENT

from booking.adapters.db.auth_store import AuthStore
from booking.adapters.db.queries import Queries
from booking.adapters.db.queries_setup import SetupQueries
from booking.adapters.db.uow import SqlUnitOfWork
from booking.api.access import (
    CSRF_COOKIE,
    PUBLIC,
    SESSION_COOKIE,
    SIGNED_IN,
    csrf_token_for,
    guarded,
    resolve_auth,
)
from booking.api.controllers.people import to_account
from booking.api.controllers.setup import landing_page
from booking.api.schemas import people as s
from booking.api.sign_in_throttle import count_registration, throttled_authenticate
from booking.config import Settings
from booking.domain.municipalities.model import check_slug
from booking.domain.people import registration
from booking.domain.people import services as people
from booking.domain.people.roles import Actor
from booking.domain.shared.clock import Clock
from booking.domain.shared.errors import ValidationError
from booking.domain.shared.ports import PasswordHasher
from booking.domain.shared.text import clean_name

BEARER = "Bearer"  # the scheme an API client names in its Authorization header


def _session_cookies(token: str, expires: datetime, now: datetime, settings: Settings) -> list[Cookie]:
    max_age = int((expires - now).total_seconds())  # the injected clock's now, like the session row
    common: dict[str, Any] = {"path": "/", "samesite": "lax", "secure": settings.cookie_secure, "max_age": max_age}
    return [
        Cookie(key=SESSION_COOKIE, value=token, httponly=True, **common),
        Cookie(key=CSRF_COOKIE, value=csrf_token_for(settings.secret_key, token), httponly=False, **common),
    ]


async def browser_session(account_id: UUID, settings: Settings, auth_store: AuthStore,
                          clock: Clock) -> tuple[str, list[Cookie]]:
    """A new browser session for the account (the settings' lifetime and idle time): its token and the
    session and CSRF cookies to set. Every browser sign-in (password, identity provider) makes it here."""
    now = clock.now()
    token, expires = await auth_store.create(
        account_id, "browser", now, lifetime=timedelta(days=settings.session_max_days),
        idle=timedelta(minutes=settings.session_idle_minutes))
    return token, _session_cookies(token, expires, now, settings)


def _cleared_cookies(settings: Settings) -> list[Cookie]:
    return [Cookie(key=name, value="", path="/", max_age=0, expires=0, samesite="lax", secure=settings.cookie_secure,
                   httponly=name == SESSION_COOKIE) for name in (SESSION_COOKIE, CSRF_COOKIE)]


class AuthController(Controller):
    path = "/api/auth"
    tags = ["auth"]

    @post("/login", operation_id="login", status_code=200,
          **guarded(PUBLIC, problems=(401, 403, 429), same_origin=True))
    async def login(self, request: Request[Any, Any, Any], data: s.LoginRequest, settings: Settings,
                    auth_store: AuthStore, uow: SqlUnitOfWork, hasher: PasswordHasher,
                    clock: Clock, setup_queries: SetupQueries) -> Response[s.Me]:
        """Signs in a browser: sets an HttpOnly session cookie and a CSRF cookie. Writes made with the
        cookie must send the CSRF token in the X-CSRF-Token header. Failed attempts are rate-limited."""
        account = await throttled_authenticate(request, data.email, data.password, settings, auth_store, uow,
                                               hasher, clock)
        token, cookies = await browser_session(account.id, settings, auth_store, clock)
        return Response(
            s.Me(account=to_account(account), csrf_token=csrf_token_for(settings.secret_key, token),
                 landing=await landing_page(account, setup_queries)),
            cookies=cookies, headers={"Cache-Control": "no-store"},
        )

    @post("/logout", operation_id="logout", status_code=HTTP_204_NO_CONTENT, **guarded(SIGNED_IN, same_origin=True))
    async def logout(self, request: Request[Any, Any, Any], settings: Settings, auth_store: AuthStore,
                     clock: Clock) -> Response[None]:
        """Ends this session (or revokes this API token) and clears the cookies."""
        resolved = await resolve_auth(request)
        if resolved.session_id is not None:
            await auth_store.revoke(resolved.session_id, clock.now())
        return Response(None, status_code=HTTP_204_NO_CONTENT, cookies=_cleared_cookies(settings))

    @get("/me", operation_id="getMe", cache_control=None, **guarded(SIGNED_IN))
    async def me(self, request: Request[Any, Any, Any], read_uow: SqlUnitOfWork, actor: Actor,
                 settings: Settings) -> Response[s.Me]:
        """The signed-in account with its roles, and the CSRF token for browser writes."""
        body = to_account(await people.get_account(actor.account_id, read_uow, actor))
        token = request.scope.get("state", {}).get("session_token")
        csrf = csrf_token_for(settings.secret_key, token) if token else None
        return Response(s.Me(account=body, csrf_token=csrf), headers={"Cache-Control": "no-store"})

    @post("/tokens", operation_id="createToken", status_code=HTTP_201_CREATED,
          **guarded(PUBLIC, problems=(401, 429)))
    async def create_token(self, request: Request[Any, Any, Any], data: s.TokenRequest, settings: Settings,
                           auth_store: AuthStore, uow: SqlUnitOfWork, hasher: PasswordHasher,
                           clock: Clock) -> Response[s.TokenCreated]:
        """Issues a bearer token for an API client (shown once). Same rate limit as sign-in."""
        name = clean_name(data.name, "name", 100) if data.name is not None else None
        account = await throttled_authenticate(request, data.email, data.password, settings, auth_store, uow,
                                               hasher, clock)
        days = data.days or settings.api_token_days
        token, expires = await auth_store.create(account.id, "api", clock.now(),
                                                 lifetime=timedelta(days=days), idle=None, name=name)
        return Response(s.TokenCreated(token=token, token_type=BEARER, expires_at=expires),
                        status_code=HTTP_201_CREATED, headers={"Cache-Control": "no-store"})

    @post("/register", operation_id="register", status_code=HTTP_201_CREATED,
          **guarded(PUBLIC, problems=(403, 429), same_origin=True))
    async def register(self, data: s.Registration, settings: Settings, auth_store: AuthStore,
                       uow: SqlUnitOfWork, hasher: PasswordHasher, queries: Queries,
                       clock: Clock) -> Response[s.Account]:
        """Self-registration of an account without roles (then register an association, or sign up
        children). The answer never tells whether the address already has an account: if it has, nothing
        is created and its owner is told by e-mail. An address can be registered a few times per window."""
        # A malformed slug (control characters, ...) is refused before it reaches the database.
        municipality = await queries.municipality_by_slug(check_slug(data.municipality, "municipality"))
        if municipality is None:
            raise ValidationError("municipality", f"No municipality with slug {data.municipality!r}.", "unknown")
        attempt = await count_registration(settings, auth_store, data.email, clock)
        try:
            account = await registration.register(registration.Register(
                email=data.email, display_name=data.display_name, password=data.password, locale=data.locale,
            ), uow, hasher, municipality.id, clock, sign_in_url=f"{settings.base_url}/login.html")
        except BaseException:
            await auth_store.forget(attempt)  # refused input is no registration
            raise
        return Response(to_account(account), status_code=HTTP_201_CREATED,
                        headers={"Location": "/api/auth/me"})


__all__ = ["AuthController", "browser_session"]


HANDLERS: list[Any] = [AuthController]
