"""The registry of benchmark rows. One row = one operation driven at the live server.

To add a row, write an async `prepare(ctx) -> Workload` and decorate it with `@row(...)`.
`prepare` runs once before the load (it may call the API through `ctx.http`, e.g. to
get a token); the `Workload` it returns builds request number i with `make(i)`.
Rows run in the order they are registered; the ceiling runs first.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine

from tests.bench.datagen import ADMIN_EMAIL, ADMIN_PASSWORD, SLUG, BenchData
from tests.bench.loadgen import LoadResult, Req, Response, is_2xx

T = TypeVar("T")


@dataclass(frozen=True)
class Target:
    """A target from QUALITY.md. `min_ratio` is a fraction of the ceiling's throughput."""

    text: str
    min_ratio: float | None = None
    max_p95_ms: float | None = None


@dataclass
class BenchContext:
    host: str
    port: int
    data: BenchData
    http: httpx.AsyncClient  # for setup calls in prepare(), not for the load
    quick: bool
    db_url: str = ""  # the bench database, for invariant checks in `after` (never during the load)

    async def token(self, email: str, password: str) -> str:
        """A bearer token for rows that act as a signed-in account."""
        r = await self.http.post("/api/auth/tokens", json={"email": email, "password": password, "name": "bench"})
        r.raise_for_status()
        return str(r.json()["token"])

    async def db(self, check: Callable[[AsyncConnection], Awaitable[T]]) -> T:
        """Run `check(conn)` on a connection of its own to the bench database (read only by habit)."""
        engine = create_async_engine(self.db_url)
        try:
            async with engine.connect() as conn:
                return await check(conn)
        finally:
            await engine.dispose()


@dataclass(frozen=True)
class Workload:
    make: Callable[[int], Req]
    ok: Callable[[int], bool] = is_2xx  # which statuses count as success
    check: Callable[[Response], str | None] | None = None  # a look at the first answers
    label: str | None = None  # overrides the row's name in the table (e.g. a fallback endpoint)
    warmup: bool = True  # False for rows whose requests use something up (a race for 30 places)
    # After the load: check an invariant (e.g. exactly 30 confirmed); a complaint fails the row.
    after: Callable[[BenchContext, LoadResult], Awaitable[str | None]] | None = None


Prepare = Callable[[BenchContext], Awaitable[Workload]]


@dataclass(frozen=True)
class Row:
    name: str
    measures: str
    concurrency: int
    prepare: Prepare
    target: Target | None = None
    ceiling: bool = False
    max_requests: int | None = None  # else the run's --max-requests
    local: Local | None = None  # an in-process row (pure CPU, no server): see local_row


@dataclass(frozen=True)
class LocalOutcome:
    """What an in-process row measured once: wall and CPU time, peak memory, figures for the table's
    notes, and complaints (which fail the row)."""
    wall_ms: float
    cpu_ms: float
    peak_mb: float
    figures: str
    complaints: tuple[str, ...] = ()


Local = Callable[[bool], LocalOutcome]  # called with --quick
ROWS: list[Row] = []


def row(name: str, *, concurrency: int, measures: str, target: Target | None = None, ceiling: bool = False,
        max_requests: int | None = None) -> Callable[[Prepare], Prepare]:
    def register(prepare: Prepare) -> Prepare:
        if any(r.name == name for r in ROWS):
            raise ValueError(f"two benchmark rows named {name!r}")
        ROWS.append(Row(name, measures, concurrency, prepare, target, ceiling, max_requests))
        return prepare
    return register


def local_row(name: str, *, measures: str, target: Target | None = None) -> Callable[[Local], Local]:
    """Register a row that runs in the harness process once (no server, no load): pure CPU work."""
    def register(run: Local) -> Local:
        async def prepare(ctx: BenchContext) -> Workload:
            raise TypeError(f"{name} runs in process, it has no workload")
        if any(r.name == name for r in ROWS):
            raise ValueError(f"two benchmark rows named {name!r}")
        ROWS.append(Row(name, measures, 1, prepare, target, local=run))
        return run
    return register


def cycle(requests: list[Req]) -> Callable[[int], Req]:
    return lambda i: requests[i % len(requests)]


def json_check(test: Callable[[Any], str | None], status: int = 200) -> Callable[[Response], str | None]:
    def check(response: Response) -> str | None:
        if response.status != status:
            return f"status {response.status}, wanted {status}: {response.body[:300]!r}"
        try:
            body = json.loads(response.body)
        except ValueError:
            return f"not JSON: {response.body[:200]!r}"
        return test(body)
    return check


def page_of(total: int, limit: int) -> Callable[[Any], str | None]:
    def test(body: Any) -> str | None:
        items = len(body.get("items", []))
        if body.get("total") != total or items != min(total, limit):
            return f"wanted {min(total, limit)} of {total} items, got {items} of {body.get('total')}"
        return None
    return test


# --- the rows --------------------------------------------------------------------------------------


@row("ceiling", concurrency=16, ceiling=True,
     measures="GET /api/ping: a trivial JSON answer of the same app (routing, guards, middleware, "
              "serialisation; no database). Every ratio is relative to this.")
async def ceiling(ctx: BenchContext) -> Workload:
    r = await ctx.http.get("/api/ping")
    if r.status_code == 200 and r.json() == {"pong": True}:
        return Workload(cycle([Req("GET", "/api/ping")]),
                        check=json_check(lambda b: None if b == {"pong": True} else f"body {b!r}"))
    # Fallback while the app has no trivial endpoint: /health runs a database query, so the
    # ceiling is lower than it should be and every ratio reads too high.
    return Workload(cycle([Req("GET", "/health")]), label="ceiling (GET /health, hits DB!)")


@row("health", concurrency=16,
     measures="GET /health: one `SELECT 1` through the read pool. The cost of touching the database at all.")
async def health(ctx: BenchContext) -> Workload:
    return Workload(cycle([Req("GET", "/health")]),
                    check=json_check(lambda b: None if b.get("status") == "ok" else f"body {b!r}"))


@row("list spaces", concurrency=16,
     measures="GET /api/spaces?municipality=bench&limit=50: slug lookup, count, page of 50 spaces, "
              "their parts; public, anonymous.")
async def list_spaces(ctx: BenchContext) -> Workload:
    size = ctx.data.size
    return Workload(cycle([Req("GET", f"/api/spaces?municipality={SLUG}&limit=50")]),
                    check=json_check(page_of(size.spaces, 50)))


@row("list spaces of a site", concurrency=16,
     measures="GET /api/spaces?municipality=bench&site_id=...&limit=50, rotating over all sites.")
async def list_spaces_of_site(ctx: BenchContext) -> Workload:
    requests = [Req("GET", f"/api/spaces?municipality={SLUG}&site_id={site}&limit=50") for site in ctx.data.site_ids]
    return Workload(cycle(requests), check=json_check(page_of(ctx.data.size.spaces_per_site, 50)))


@row("list sites", concurrency=16,
     measures="GET /api/sites?municipality=bench&limit=50: sites with area name and space count.")
async def list_sites(ctx: BenchContext) -> Workload:
    return Workload(cycle([Req("GET", f"/api/sites?municipality={SLUG}&limit=50")]),
                    check=json_check(page_of(ctx.data.size.sites, 50)))


@row("list associations (token)", concurrency=16,
     measures="GET /api/associations?limit=50 as the admin with a bearer token: token lookup and the "
              "account's grants on every request, then a page of associations.")
async def list_associations(ctx: BenchContext) -> Workload:
    token = await ctx.token(ADMIN_EMAIL, ADMIN_PASSWORD)
    return Workload(cycle([Req("GET", "/api/associations?limit=50", headers=(("Authorization", f"Bearer {token}"),))]),
                    check=json_check(page_of(ctx.data.size.associations, 50)))


@row("login (API token)", concurrency=4,
     measures="POST /api/auth/tokens with the admin's password: argon2id verify (64 MiB, slow by design), "
              "throttle bookkeeping, a new auth session row. Successful logins are not rate-limited.")
async def login(ctx: BenchContext) -> Workload:
    body = json.dumps({"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD, "name": "bench"}).encode()
    return Workload(cycle([Req("POST", "/api/auth/tokens", body)]),
                    check=json_check(lambda b: None if b.get("token") else f"body {b!r}", status=201))


# The season's rows (bookings, availability, feeds) live in their own module; importing it
# registers them after the rows above.
from tests.bench import activities_rows as _activities_rows  # noqa: E402, F401
from tests.bench import allocation_rows as _allocation_rows  # noqa: E402, F401
from tests.bench import circulation_rows as _circulation_rows  # noqa: E402, F401
from tests.bench import draw_rows as _draw_rows  # noqa: E402, F401
from tests.bench import import_rows as _import_rows  # noqa: E402, F401
from tests.bench import lending_rows as _lending_rows  # noqa: E402, F401
from tests.bench import season_rows as _season_rows  # noqa: E402, F401
