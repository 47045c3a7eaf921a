"""Lock conflicts never answer 500: a request the database refused over a lock (PostgreSQL deadlock
40P01, lock timeout 55P03; SQLite "database is locked") runs again inside the server, and answers 503
problem+json with Retry-After only when it stays refused. Real locks, held by another connection;
the route under test is the activity sign-up (session row, then the account row) and, with an
Idempotency-Key, creating a space (its site row). A non-transient error is not run again."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine

from booking.adapters.db import tables as t
from booking.adapters.db import tables_activities as ta
from booking.adapters.db.database import Database, connect
from booking.api.app import create_app
from booking.domain.activities import services
from booking.domain.shared.clock import FixedClock
from tests import conftest
from tests.conftest import FAST_HASHER, EmptyDatabase, World, build_world, truncate_all

NOW = datetime(2027, 1, 11, 9, 0, tzinfo=UTC)  # pinned: the session lies ahead
SIGN_UP = {"children": [{"first_name": "Alva", "birth_year": 2016}]}


class RetryLog(logging.Handler):
    """Collects the server's "running again" lines; `first` is set at the first of them."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.lines: list[str] = []
        self.first = asyncio.Event()

    def emit(self, record: logging.LogRecord) -> None:
        line = record.getMessage()
        self.lines.append(line)
        if "again" in line:
            self.first.set()

    def reset(self) -> None:
        self.lines.clear()
        self.first.clear()

    @property
    def retries(self) -> list[str]:
        return [line for line in self.lines if "again" in line]


@pytest.fixture
def retry_log() -> AsyncIterator[RetryLog]:
    handler = RetryLog()
    logger = logging.getLogger("booking.api.retry")
    logger.addHandler(handler)
    try:
        yield handler  # type: ignore[misc]
    finally:
        logger.removeHandler(handler)


@pytest.fixture
def sign_ups(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many times the sign-up use case ran (each attempt runs it once)."""
    calls: list[int] = []
    real = services.sign_up

    async def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return await real(*args, **kwargs)

    monkeypatch.setattr(services, "sign_up", counted)
    return calls


@asynccontextmanager
async def serving(db: Database) -> AsyncIterator[tuple[httpx.AsyncClient, World, str]]:
    """The app on `db` with a world and a published activity's session to sign up for."""
    await truncate_all(db)
    app = create_app(conftest.test_settings(), db=db, hasher=FAST_HASHER, clock=FixedClock(NOW))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as client:
        world = await build_world(db, client)
        staff = world["activities_staff"].headers
        created = await client.post("/api/activities", headers=staff, json={
            "title": "Klättring", "category": "idrott", "organiser": "Fritid", "age_min": 6, "age_max": 15,
            "capacity": 10, "place": "Sidsjön"})
        assert created.status_code == 201, created.text
        added = await client.post(f"/api/activities/{created.json()['id']}/sessions", headers=staff,
                                  json={"date": "2027-02-17", "start": "10:00", "end": "12:00"})
        assert added.status_code == 201, added.text
        assert (await client.post(f"/api/activities/{created.json()['id']}/publication",
                                  headers=staff)).status_code == 200
        yield client, world, str(added.json()["sessions"][0]["id"])


async def registrations(db: Database) -> int:
    async with db.read_sessions() as session:
        return int((await session.execute(sa.select(sa.func.count()).select_from(ta.registrations))).scalar_one())


def assert_busy(response: httpx.Response) -> None:
    assert response.status_code == 503, response.text
    assert response.headers["retry-after"] == "1"
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["type"] == "urn:booking:problem:busy"


# --- PostgreSQL ------------------------------------------------------------------------------------


@asynccontextmanager
async def pg_holder(url: str) -> AsyncIterator[AsyncConnection]:
    """Another client's open transaction, for holding row locks."""
    engine = create_async_engine(url)
    try:
        async with engine.connect() as conn:
            await conn.begin()
            yield conn
    finally:
        await engine.dispose()


async def lock_row(conn: AsyncConnection, table: str, ident: str) -> None:
    await conn.execute(sa.text(f"SELECT id FROM {table} WHERE id = :id FOR UPDATE"), {"id": ident})


async def test_postgresql_lock_timeout_is_run_again_then_answered_503_with_retry_after(
        postgresql_database: EmptyDatabase, retry_log: RetryLog, sign_ups: list[int]) -> None:
    db = connect(postgresql_database.url, pool_size=5, lock_timeout_ms=200)
    try:
        async with serving(db) as (client, world, session_id), pg_holder(postgresql_database.url) as holder:
            await lock_row(holder, "activity_sessions", session_id)
            refused = await client.post(f"/api/activity-sessions/{session_id}/registrations",
                                        headers=world["guardian"].headers, json=SIGN_UP)
            assert_busy(refused)
            assert len(sign_ups) == 3  # three attempts, each refused after the lock timeout
            assert len(retry_log.retries) == 2 and all("55P03" in line for line in retry_log.retries)
            assert await registrations(db) == 0

            # the lock goes away while the server tries again: the client sees only the success
            retry_log.reset()
            sign_ups.clear()
            release = asyncio.create_task(_release_at_first_retry(holder, retry_log))
            signed = await client.post(f"/api/activity-sessions/{session_id}/registrations",
                                       headers=world["guardian"].headers, json=SIGN_UP)
            await release
            assert signed.status_code == 201, signed.text
            assert len(sign_ups) == 2 and len(retry_log.retries) == 1
            assert await registrations(db) == 1
    finally:
        await db.dispose()


async def _release_at_first_retry(holder: AsyncConnection, log: RetryLog) -> None:
    await asyncio.wait_for(log.first.wait(), 30)
    await holder.rollback()


async def test_postgresql_a_retried_idempotent_create_is_no_duplicate_of_itself(
        postgresql_database: EmptyDatabase, retry_log: RetryLog) -> None:
    db = connect(postgresql_database.url, pool_size=5, lock_timeout_ms=200)
    try:
        async with serving(db) as (client, world, _), pg_holder(postgresql_database.url) as holder:
            # a new space's row refers to its site: the insert waits for the site row another client holds
            await lock_row(holder, "sites", world.site_id)
            release = asyncio.create_task(_release_at_first_retry(holder, retry_log))
            body = {"site_id": world.site_id, "name": "Aulan", "kind": "hall", "capacity": 200}
            key = {"Idempotency-Key": "create-aulan-1", **world["admin"].headers}
            created = await client.post("/api/spaces", headers=key, json=body)
            await release
            assert created.status_code == 201, created.text
            assert retry_log.retries and "55P03" in retry_log.retries[0]
            replayed = await client.post("/api/spaces", headers=key, json=body)
            assert replayed.status_code == 201, replayed.text
            assert replayed.headers.get("idempotent-replayed") == "true"
            assert replayed.json()["id"] == created.json()["id"]
        async with db.read_sessions() as session:
            assert (await session.execute(sa.select(sa.func.count()).select_from(t.spaces)
                                          .where(t.spaces.c.name == "Aulan"))).scalar_one() == 1
    finally:
        await db.dispose()


async def test_postgresql_a_deadlock_is_run_again_and_succeeds(
        postgresql_database: EmptyDatabase, retry_log: RetryLog, sign_ups: list[int]) -> None:
    db = connect(postgresql_database.url, pool_size=5)
    try:
        async with serving(db) as (client, world, session_id), pg_holder(postgresql_database.url) as holder:
            # the other client: the guardian's account row first (the sign-up locks it after the session);
            # its deadlock check comes late, so the server's transaction is the one PostgreSQL refuses
            await holder.execute(sa.text("SET LOCAL deadlock_timeout = '20s'"))
            await lock_row(holder, "accounts", world["guardian"].account_id)
            request = asyncio.create_task(client.post(f"/api/activity-sessions/{session_id}/registrations",
                                                      headers=world["guardian"].headers, json=SIGN_UP))
            await _until_a_backend_waits_for_a_lock(postgresql_database.url)
            await lock_row(holder, "activity_sessions", session_id)  # closes the cycle: 40P01 for the server
            await holder.rollback()
            signed = await request
            assert signed.status_code == 201, signed.text
            assert len(sign_ups) == 2
            assert len(retry_log.retries) == 1 and "40P01" in retry_log.retries[0]
            assert await registrations(db) == 1
    finally:
        await db.dispose()


async def _until_a_backend_waits_for_a_lock(url: str) -> None:
    engine = create_async_engine(url)
    database = make_url(url).database
    try:
        for _ in range(300):
            async with engine.connect() as conn:
                waiting = (await conn.execute(sa.text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = :db AND wait_event_type = 'Lock'"),
                    {"db": database})).scalar_one()
            if waiting:
                return
            await asyncio.sleep(0.05)
        raise AssertionError("the request never waited for the lock")
    finally:
        await engine.dispose()


async def test_postgresql_a_non_transient_error_is_not_run_again(
        postgresql_database: EmptyDatabase, retry_log: RetryLog, sign_ups: list[int]) -> None:
    """statement_timeout (57014, query canceled) is no lock conflict: one attempt, the usual 500."""
    db = connect(postgresql_database.url, pool_size=5)
    try:
        async with serving(db) as (client, world, session_id), pg_holder(postgresql_database.url) as holder:
            _on_connect(db, lambda dbapi: _run(dbapi, "SET statement_timeout = 300"))
            await db.write_engine.dispose()  # the server's next connections carry the timeout
            await lock_row(holder, "activity_sessions", session_id)
            failed = await client.post(f"/api/activity-sessions/{session_id}/registrations",
                                       headers=world["guardian"].headers, json=SIGN_UP)
            assert failed.status_code == 500, failed.text
            assert failed.headers["content-type"].startswith("application/problem+json")
            assert len(sign_ups) == 1 and retry_log.retries == []
    finally:
        await db.dispose()


def _on_connect(db: Database, do: Callable[[Any], None]) -> None:
    event.listen(db.write_engine.sync_engine, "connect", lambda dbapi, _record: do(dbapi))


def _run(dbapi: Any, statement: str) -> None:
    dbapi.autocommit = True  # outside a transaction, so that the pool's rollback does not undo it
    cursor = dbapi.cursor()
    cursor.execute(statement)
    cursor.close()
    dbapi.autocommit = False


# --- SQLite ----------------------------------------------------------------------------------------


@asynccontextmanager
async def sqlite_writer(url: str) -> AsyncIterator[sqlite3.Connection]:
    """Another process's write transaction: it holds SQLite's one write lock."""
    conn = sqlite3.connect(str(make_url(url).database), isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        yield conn
    finally:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        conn.close()


async def test_sqlite_database_is_locked_is_run_again_then_answered_503_or_succeeds(
        sqlite_database: EmptyDatabase, retry_log: RetryLog, sign_ups: list[int]) -> None:
    db = connect(sqlite_database.url, pool_size=5, busy_timeout_ms=150)
    try:
        async with serving(db) as (client, world, session_id):
            async with sqlite_writer(sqlite_database.url):
                refused = await client.post(f"/api/activity-sessions/{session_id}/registrations",
                                            headers=world["guardian"].headers, json=SIGN_UP)
            assert_busy(refused)
            assert len(sign_ups) == 3
            assert len(retry_log.retries) == 2 and all("SQLITE_BUSY" in line for line in retry_log.retries)
            assert await registrations(db) == 0

            retry_log.reset()
            sign_ups.clear()
            async with sqlite_writer(sqlite_database.url) as writer:

                async def release() -> None:
                    await asyncio.wait_for(retry_log.first.wait(), 30)
                    writer.execute("ROLLBACK")

                releasing = asyncio.create_task(release())
                signed = await client.post(f"/api/activity-sessions/{session_id}/registrations",
                                           headers=world["guardian"].headers, json=SIGN_UP)
                await releasing
            assert signed.status_code == 201, signed.text
            assert len(sign_ups) == 2 and len(retry_log.retries) == 1
            assert await registrations(db) == 1
    finally:
        await db.dispose()
