"""Engines and session factories for SQLite (embedded) and PostgreSQL.

SQLite: WAL, foreign keys on, a busy timeout, and *writes serialized* by
starting every write transaction with BEGIN IMMEDIATE, so a check-then-write
inside one unit of work cannot interleave with another writer. Reads use a
second engine whose transactions start deferred, so readers never queue
behind writers.

PostgreSQL: optionally a `lock_timeout`, so a request never waits forever behind a
stuck lock; the timeout is a transient error the API retries (booking/api/retry.py).
Both: every commit on a write connection is counted for the request's retry guard
(transient.note_commit).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from booking.adapters.db.mapping import start_mappers
from booking.adapters.db.transient import note_commit

SQLITE_BUSY_TIMEOUT_MS = 30_000


def _sqlite_engine(url: str, begin: str, busy_timeout_ms: int = SQLITE_BUSY_TIMEOUT_MS,
                   **kwargs: Any) -> AsyncEngine:
    engine = create_async_engine(url, connect_args={"timeout": busy_timeout_ms / 1000}, **kwargs)

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control away from the driver so BEGIN is ours to issue.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql(begin)

    return engine


@dataclass
class Database:
    url: str
    write_engine: AsyncEngine
    read_engine: AsyncEngine
    write_sessions: async_sessionmaker[AsyncSession]
    read_sessions: async_sessionmaker[AsyncSession]

    @property
    def dialect(self) -> str:
        return self.write_engine.dialect.name

    async def ping(self) -> None:
        async with self.read_engine.connect() as conn:
            await conn.execute(text("SELECT 1"))

    async def dispose(self) -> None:
        await self.write_engine.dispose()
        if self.read_engine is not self.write_engine:
            await self.read_engine.dispose()


def connect(url: str, *, pool_size: int = 10, echo: bool = False, lock_timeout_ms: int | None = None,
            busy_timeout_ms: int = SQLITE_BUSY_TIMEOUT_MS) -> Database:
    """`lock_timeout_ms`: PostgreSQL's lock_timeout for this pool's sessions (None: the server's);
    `busy_timeout_ms`: how long a SQLite writer waits for another process's write lock."""
    start_mappers()
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database in (None, "", ":memory:"):
            raise ValueError("Use a SQLite file, not :memory: (several connections must see one database)")
        # One pooled write connection per process: writers queue in the pool (FIFO, no
        # busy-wait); BEGIN IMMEDIATE and the busy timeout order writers across processes.
        write = _sqlite_engine(url, "BEGIN IMMEDIATE", busy_timeout_ms, echo=echo, pool_size=1, max_overflow=0,
                               pool_timeout=30)
        read = _sqlite_engine(url, "BEGIN", busy_timeout_ms, echo=echo, pool_size=pool_size, max_overflow=0,
                              pool_timeout=30)
    else:
        connect_args: dict[str, Any] = {}
        if lock_timeout_ms:
            connect_args["server_settings"] = {"lock_timeout": str(int(lock_timeout_ms))}
        # pool_recycle instead of a ping before every checkout: one round trip less per request.
        write = create_async_engine(url, echo=echo, pool_size=pool_size, max_overflow=pool_size,
                                    pool_recycle=1800, connect_args=connect_args)
        read = write
    event.listen(write.sync_engine, "commit", lambda _conn: note_commit())
    options: dict[str, Any] = {"expire_on_commit": False, "autoflush": False}
    return Database(
        url=url,
        write_engine=write,
        read_engine=read,
        write_sessions=async_sessionmaker(write, **options),
        read_sessions=async_sessionmaker(read, **options),
    )
