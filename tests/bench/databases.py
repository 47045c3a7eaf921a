"""A fresh database per benchmark run: a SQLite file in a temp dir, or a PostgreSQL
database `booking_bench` created from an admin URL and dropped at the end."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

DEFAULT_PG_ADMIN = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
PG_DATABASE = os.environ.get("BOOKING_BENCH_PG_DATABASE", "booking_bench")  # another name: runs side by side


def pg_admin_url() -> str:
    url = os.environ.get("BOOKING_BENCH_POSTGRES_URL", DEFAULT_PG_ADMIN)
    if url.startswith(("postgresql://", "postgres://")):
        url = "postgresql+asyncpg://" + url.split("://", 1)[1]
    return url


@dataclass
class BenchDatabase:
    kind: str  # "sqlite" | "postgresql"
    url: str
    admin_url: str | None = None

    def describe(self) -> str:
        return make_url(self.url).render_as_string(hide_password=True)


async def _pg(admin_url: str, *statements: str) -> None:
    engine = create_async_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as conn:
            for statement in statements:
                await conn.execute(sa.text(statement))
    finally:
        await engine.dispose()


async def create(kind: str, workdir: Path) -> BenchDatabase:
    if kind == "sqlite":
        return BenchDatabase("sqlite", f"sqlite+aiosqlite:///{workdir / 'bench.db'}")
    if kind == "postgresql":
        admin = pg_admin_url()
        await _pg(admin, f'DROP DATABASE IF EXISTS "{PG_DATABASE}" WITH (FORCE)', f'CREATE DATABASE "{PG_DATABASE}"')
        url = make_url(admin).set(database=PG_DATABASE).render_as_string(hide_password=False)
        return BenchDatabase("postgresql", url, admin)
    raise ValueError(f"unknown database kind {kind!r}")


async def drop(db: BenchDatabase) -> None:
    if db.kind == "postgresql" and db.admin_url:
        await _pg(db.admin_url, f'DROP DATABASE IF EXISTS "{PG_DATABASE}" WITH (FORCE)')
    # the SQLite file goes with the temp dir


async def analyze(db: BenchDatabase) -> None:
    """Planner statistics, as a production database would have them after autovacuum."""
    engine = create_async_engine(db.url, isolation_level="AUTOCOMMIT") if db.kind == "postgresql" \
        else create_async_engine(db.url)
    try:
        async with engine.connect() as conn:
            await conn.execute(sa.text("ANALYZE"))
            if db.kind == "sqlite":
                await conn.commit()
    finally:
        await engine.dispose()
