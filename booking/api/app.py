"""The composition root: create_app(settings) wires adapters, services and routes."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

from litestar import Litestar, Router
from litestar.config.compression import CompressionConfig
from litestar.datastructures import State
from litestar.middleware import DefineMiddleware
from litestar.openapi.config import OpenAPIConfig
from litestar.openapi.spec import Components, SecurityScheme, Tag
from litestar.static_files import create_static_files_router
from litestar.types import ControllerRouterHandler, Middleware

from booking.adapters.db.auth_store import AuthStore
from booking.adapters.db.database import Database, connect
from booking.adapters.db.idempotency import IdempotencyStore
from booking.adapters.db.maintenance import background_work
from booking.adapters.db.oidc_store import SignInStore
from booking.adapters.oidc import OidcClient
from booking.adapters.passwords import Argon2Hasher
from booking.api.access import Access, access_guard
from booking.api.controllers.health import health, ping
from booking.api.deps import dependencies, read_models
from booking.api.edge import ProxyHeaderWarning, RequestEdgeMiddleware
from booking.api.idempotency import IdempotencyMiddleware
from booking.api.problems import exception_handlers
from booking.api.request_log import wrap_app
from booking.api.retry import TransientRetryMiddleware
from booking.api.retry import exception_handlers as transient_handlers
from booking.api.routes import API_HANDLERS
from booking.api.web import SWAGGER_DIR, LocalSwaggerPlugin, SecurityHeadersMiddleware
from booking.config import Settings, get_settings
from booking.domain.shared.clock import Clock, SystemClock
from booking.domain.shared.ports import PasswordHasher
from booking.logs import configure_logging

log = logging.getLogger("booking")


def check_every_route_declares_access(app: Litestar) -> None:
    """Refuse to start when an API route has no access policy: no route is public by accident."""
    missing = []
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            if not (route.path.startswith(("/api", "/feeds")) or route.path == "/health"):
                continue
            if set(getattr(handler, "http_methods", [])) <= {"OPTIONS"}:
                continue  # the framework's automatic OPTIONS answers carry no data
            if not isinstance(handler.opt.get("access"), Access):
                missing.append(f"{route.path} {sorted(getattr(handler, 'http_methods', []))}")
    if missing:
        raise RuntimeError("routes without an access policy: " + ", ".join(missing))


def openapi_config() -> OpenAPIConfig:
    return OpenAPIConfig(
        title="booking",
        version="0.1.0",
        description=(
            "Municipal booking of school premises after hours, holiday activities and equipment lending. "
            "Errors are RFC 9457 problem+json. Lists are paginated with limit and offset. "
            "Creating POSTs accept an Idempotency-Key header. Browser sessions use a cookie plus the "
            "X-CSRF-Token header on writes; API clients use `Authorization: Bearer <token>` from "
            "POST /api/auth/tokens."
        ),
        path="/schema",
        render_plugins=[LocalSwaggerPlugin(path="/")],
        use_handler_docstrings=True,
        create_examples=False,
        components=Components(security_schemes={
            "sessionCookie": SecurityScheme(type="apiKey", name="booking_session", security_scheme_in="cookie",
                                            description="Browser session; writes also need X-CSRF-Token."),
            "bearerToken": SecurityScheme(type="http", scheme="bearer",
                                          description="API token from POST /api/auth/tokens."),
        }),
        tags=[Tag(name=n) for n in ("auth", "municipalities", "areas", "sites", "spaces", "bookings", "calendars",
                                    "fees", "allocation", "lending", "activities", "accounts",
                                    "associations", "health")],
    )


def _connect(settings: Settings) -> Database:
    return connect(settings.database_url, pool_size=settings.db_pool_size, echo=settings.log_sql,
                   lock_timeout_ms=settings.db_lock_timeout_ms or None)


def _state(settings: Settings, database: Database, clock: Clock | None, hasher: PasswordHasher | None) -> State:
    return State({
        "settings": settings,
        "db": database,
        "clock": clock or SystemClock(),
        "hasher": hasher or Argon2Hasher(),
        "auth_store": AuthStore(database),
        "idempotency": IdempotencyStore(database),
        "oidc_client": OidcClient(), "sign_in_store": SignInStore(database),
        **read_models(database),
    })


def _background_tasks(settings: Settings, database: Database, clock: Clock) -> list[asyncio.Task[None]]:
    """The work registered in `maintenance.background_work` (the outbox worker, the job runner:
    each job runs once per hour across all workers), as tasks of this process."""
    return [asyncio.create_task(work) for work in background_work(database, clock, settings)]


def _lifespan(settings: Settings, state: State, *, owns_db: bool,
              ) -> Callable[[Litestar], AbstractAsyncContextManager[None]]:
    database: Database = state.db

    @asynccontextmanager
    async def lifespan(_app: Litestar) -> AsyncIterator[None]:
        tasks = _background_tasks(settings, database, state.clock)
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            if owns_db:
                await database.dispose()

    return lifespan


def _route_handlers(settings: Settings) -> list[ControllerRouterHandler]:
    api = Router(path="/", route_handlers=[*API_HANDLERS, health, ping], guards=[access_guard])
    frontend = create_static_files_router(
        path="/", directories=[settings.frontend_dir], html_mode=True, include_in_schema=False,
        name="frontend", opt={"public_file": True},
    )
    swagger_assets = create_static_files_router(
        path="/schema-assets", directories=[SWAGGER_DIR], include_in_schema=False, name="schema_assets",
    )
    return [api, swagger_assets, frontend]


def _middleware(settings: Settings) -> list[Middleware]:
    """Outermost first, for requests that reach a route. The security headers and, outside them, the
    request id and access line wrap the whole app (`_wrap`)."""
    return [
        DefineMiddleware(RequestEdgeMiddleware, proxy_warning=ProxyHeaderWarning(settings.trust_proxy_headers)),
        IdempotencyMiddleware,
        TransientRetryMiddleware,  # inside: one Idempotency-Key claim covers every attempt
    ]


def create_app(
    settings: Settings | None = None,
    *,
    db: Database | None = None,
    clock: Clock | None = None,
    hasher: PasswordHasher | None = None,
) -> Litestar:
    settings = settings or get_settings()
    state = _state(settings, db or _connect(settings), clock, hasher)
    app = Litestar(
        route_handlers=_route_handlers(settings),
        dependencies=dependencies,
        exception_handlers={**exception_handlers, **transient_handlers},
        openapi_config=openapi_config(),
        state=state,
        lifespan=[_lifespan(settings, state, owns_db=db is None)],
        middleware=_middleware(settings),
        compression_config=CompressionConfig(backend="gzip", minimum_size=1024),
        logging_config=None,  # booking.logs.configure_logging owns the root logger; problems logs errors
        debug=False,
        request_max_body_size=2_000_000,
    )
    check_every_route_declares_access(app)
    return _wrap(app, settings)


def _wrap(app: Litestar, settings: Settings) -> Litestar:
    """Middleware for every answer, the router's own 404 and 405 included (Litestar's middleware list
    runs only for requests that reach a route): the security headers, then the request id and access
    line outside everything (see request_log)."""
    app.asgi_handler = SecurityHeadersMiddleware(app.asgi_handler, https=settings.cookie_secure)
    return wrap_app(app)


def app_from_env() -> Litestar:
    """Entry point for `uvicorn --factory booking.api.app:app_from_env`."""
    settings = get_settings()
    configure_logging(settings)
    return create_app(settings)


__all__ = ["Any", "create_app"]
