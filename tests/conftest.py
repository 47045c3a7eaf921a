"""Shared fixtures: the two databases, the app in-process, and a seeded world of roles.

PostgreSQL comes from BOOKING_TEST_POSTGRES_URL, else postgres@127.0.0.1:5432. When it
cannot be reached its tests are skipped with the reason shown, unless
BOOKING_REQUIRE_POSTGRES=1, which turns that into a failure (CI sets it).
"""

from __future__ import annotations

import asyncio
import os
import secrets
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from hypothesis import settings as hypothesis_settings
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

# Property tests give the same answer on any machine and any run: no time limit per example (a busy
# two-core CI machine is not a failing property) and the same examples every run.
hypothesis_settings.register_profile("booking", deadline=None, derandomize=True, database=None)
hypothesis_settings.load_profile("booking")

# pytest-xdist (`make test` runs two workers): "gw0", "gw1", ... in a worker, "" in a serial run.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
_TMP = Path(tempfile.mkdtemp(prefix=f"booking-tests-{WORKER or 'main'}-"))
os.environ.setdefault("BOOKING_ENV", "test")
# Each process its own var directory (the CLI's and app_from_env()'s default SQLite file lives there). The
# workers inherit the environment of the controlling process, which set BOOKING_VAR_DIR itself: a worker
# replaces that one, but never a directory given from outside.
if "BOOKING_VAR_DIR" not in os.environ or os.environ.get("BOOKING_TESTS_OWN_VAR_DIR") == "1":
    os.environ["BOOKING_VAR_DIR"] = str(_TMP / "var")
    os.environ["BOOKING_TESTS_OWN_VAR_DIR"] = "1"
os.environ.setdefault("BOOKING_SECRET_KEY", "test-secret-" + secrets.token_hex(16))

from booking.adapters.db.database import Database, connect  # noqa: E402
from booking.adapters.db.migrate import upgrade  # noqa: E402
from booking.adapters.db.schema import metadata  # noqa: E402
from booking.adapters.passwords import Argon2Hasher  # noqa: E402
from booking.config import Settings  # noqa: E402
from booking.domain.shared.clock import SystemClock  # noqa: E402

DEFAULT_PG = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"


def require(name: str) -> bool:
    return os.environ.get(name, "").strip() in ("1", "true", "yes")


def random_ref(prefix: str = "") -> str:
    """A unique name per test, so tests never depend on each other's data."""
    return f"{prefix}{uuid.uuid4().hex[:10]}"


# --- databases ---------------------------------------------------------------------------------


async def _pg_create_database(admin_url: str, name: str) -> None:
    engine = create_async_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as conn:
            await conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            await conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    finally:
        await engine.dispose()


async def _pg_drop_database(admin_url: str, name: str) -> None:
    engine = create_async_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as conn:
            await conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        await engine.dispose()


def _run_sync(coro: Any) -> Any:
    """Run a coroutine to completion from sync code, even when a loop runs in this thread."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


def _pg_admin_url() -> str:
    url = os.environ.get("BOOKING_TEST_POSTGRES_URL", DEFAULT_PG)
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        url = "postgresql+asyncpg://" + url.split("://", 1)[1]
    return url


@dataclass
class EmptyDatabase:
    """A migrated, empty database of one engine, made once per test session."""

    kind: str
    url: str


@pytest.fixture(scope="session")
def postgresql_database() -> Iterator[EmptyDatabase]:
    admin = _pg_admin_url()
    # One database per process: with pytest-xdist each worker has its own (the worker id in the name).
    name = f"booking_test_{WORKER or 'main'}_{os.getpid()}_{secrets.token_hex(3)}"
    try:
        _run_sync(_pg_create_database(admin, name))
    except Exception as exc:  # unreachable server, refused login, ...
        message = f"PostgreSQL not reachable at {make_url(admin).render_as_string(hide_password=True)}: {exc}"
        if require("BOOKING_REQUIRE_POSTGRES"):
            pytest.fail(message + " (BOOKING_REQUIRE_POSTGRES=1)")
        pytest.skip(reason=message)
    url = str(make_url(admin).set(database=name).render_as_string(hide_password=False))
    upgrade(url)
    yield EmptyDatabase("postgresql", url)
    _run_sync(_pg_drop_database(admin, name))


@pytest.fixture(scope="session")
def sqlite_database(tmp_path_factory: pytest.TempPathFactory) -> EmptyDatabase:
    path = tmp_path_factory.mktemp("sqlite") / "booking.db"
    url = f"sqlite+aiosqlite:///{path}"
    upgrade(url)
    return EmptyDatabase("sqlite", url)


async def truncate_all(db: Database) -> None:
    tables = list(reversed(metadata.sorted_tables))
    async with db.write_engine.begin() as conn:
        if db.dialect == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            await conn.execute(sa.text(f"TRUNCATE {names} CASCADE"))
        else:
            await conn.exec_driver_sql("PRAGMA defer_foreign_keys=ON")  # parts of halls point at halls
            for table in tables:
                await conn.execute(table.delete())


@pytest.fixture(params=["sqlite", "postgresql"])
def engine_kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
async def db(engine_kind: str, request: pytest.FixtureRequest) -> AsyncIterator[Database]:
    """A connected, empty database: each test runs once on SQLite and once on PostgreSQL."""
    empty: EmptyDatabase = request.getfixturevalue(f"{engine_kind}_database")
    database = connect(empty.url, pool_size=5)
    await truncate_all(database)
    try:
        yield database
    finally:
        await database.dispose()


@pytest.fixture
async def sqlite_db(sqlite_database: EmptyDatabase) -> AsyncIterator[Database]:
    """SQLite only: for API tests whose subject is HTTP, not the engine."""
    database = connect(sqlite_database.url, pool_size=5)
    await truncate_all(database)
    try:
        yield database
    finally:
        await database.dispose()


# --- the app ---------------------------------------------------------------------------------

FAST_HASHER = Argon2Hasher(time_cost=1, memory_cost=8 * 1024)
PASSWORD = "korrekt-häst-batteri-häfte"


def test_settings(**changes: Any) -> Settings:
    base = Settings(
        environment="test",
        var_dir=_TMP / "var",
        database_url="sqlite+aiosqlite:///unused",
        base_url="http://testserver",
        secret_key=os.environ["BOOKING_SECRET_KEY"],
        outbox_worker=False,
    )
    return base.with_(**changes) if changes else base


@dataclass
class Caller:
    """A signed-in test user with an API token."""

    role: str
    account_id: str
    email: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@dataclass
class World:
    """A municipality with an area, a site, a space, an association and one caller per role."""

    municipality_id: str
    slug: str
    area_id: str
    site_id: str
    space_id: str
    association_id: str
    callers: dict[str, Caller] = field(default_factory=dict)

    def __getitem__(self, role: str) -> Caller:
        return self.callers[role]


ROLES = ["admin", "premises_staff", "activities_staff", "lending_staff", "association_rep", "guardian",
         "borrower", "no_role"]


async def build_world(db: Database, client: httpx.AsyncClient, slug: str | None = None) -> World:
    """Seed through the domain services, then sign every role in over HTTP."""
    from booking.adapters.db.uow import SqlUnitOfWork
    from booking.domain.municipalities.model import Area
    from booking.domain.municipalities.services import CreateMunicipality, create_municipality
    from booking.domain.people.model import Account, Association, AssociationCategory
    from booking.domain.people.roles import Role
    from booking.domain.premises.model import Site, Space, SpaceKind

    slug = slug or random_ref("m-")
    municipality = await create_municipality(CreateMunicipality(name="Testkommun", slug=slug), SqlUnitOfWork(db))
    m = municipality.id
    uow = SqlUnitOfWork(db)
    async with uow:
        area = Area(m, "Nacksta")
        uow.areas.add(area)
        site = Site(m, "Testskolan", "Skolvägen 1", "85350", "Sundsvall", area.id)
        uow.sites.add(site)
        space = Space(m, site.id, "Gympasalen", SpaceKind.GYM, 30)
        uow.spaces.add(space)
        association = Association(m, "Test IF", "802479-4565", AssociationCategory.YOUTH, area.id)
        uow.associations.add(association)
        password_hash = await FAST_HASHER.hash(PASSWORD)
        emails = {}
        for role in ROLES:
            email = f"{role}.{slug}@example.se"
            account = Account(m, email, role.replace("_", " ").title(), password_hash=password_hash)
            if role != "no_role":
                account.grant(Role(role), association.id if role == "association_rep" else None)
            uow.accounts.add(account)
            emails[role] = (email, account.id)
        await uow.commit()
    world = World(str(m), slug, str(area.id), str(site.id), str(space.id), str(association.id))
    for role, (email, account_id) in emails.items():
        response = await client.post("/api/auth/tokens", json={"email": email, "password": PASSWORD})
        assert response.status_code == 201, response.text
        world.callers[role] = Caller(role, str(account_id), email, response.json()["token"])
    return world


def make_app(db: Database, **settings: Any) -> Any:
    from booking.api.app import create_app

    return create_app(test_settings(**settings), db=db, hasher=FAST_HASHER, clock=SystemClock())


@pytest.fixture
async def app(sqlite_db: Database) -> Any:
    return make_app(sqlite_db)


@pytest.fixture
async def client(app: Any) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
        yield c


@pytest.fixture
async def world(sqlite_db: Database, client: httpx.AsyncClient) -> World:
    return await build_world(sqlite_db, client)
