"""One Alembic chain builds exactly the schema the code maps, on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from booking.adapters.db.database import Database
from booking.adapters.db.schema import metadata
from tests.conftest import EmptyDatabase


def _schema_diff(sync_conn: sa.Connection) -> list[object]:
    context = MigrationContext.configure(sync_conn, opts={"compare_type": True})
    return list(compare_metadata(context, metadata))


def _describe(sync_conn: sa.Connection) -> dict[str, list[tuple[str, bool]]]:
    inspector = sa.inspect(sync_conn)
    return {
        name: sorted((c["name"], bool(c["nullable"])) for c in inspector.get_columns(name))
        for name in inspector.get_table_names() if name != "alembic_version"
    }


async def test_migrated_database_matches_the_mapped_tables(db: Database) -> None:
    async with db.write_engine.connect() as conn:
        diff = await conn.run_sync(_schema_diff)
        tables = await conn.run_sync(lambda c: set(sa.inspect(c).get_table_names()))
    assert diff == []
    assert tables - {"alembic_version"} == set(metadata.tables)


def test_booking_db_upgrade_builds_the_same_schema_on_both_engines(
    tmp_path: Path, postgresql_database: EmptyDatabase
) -> None:
    """`booking db upgrade` on an empty SQLite file and an empty PostgreSQL database."""


    from tests.conftest import _pg_admin_url, _pg_create_database, _pg_drop_database, _run_sync

    sqlite_url = f"sqlite+aiosqlite:///{tmp_path / 'fresh.db'}"
    admin = _pg_admin_url()
    pg_name = "booking_cli_" + tmp_path.name[-8:].replace("-", "_").lower()
    _run_sync(_pg_create_database(admin, pg_name))
    pg_url = str(sa.engine.make_url(admin).set(database=pg_name).render_as_string(hide_password=False))
    try:
        for url in (sqlite_url, pg_url):
            env = {**os.environ, "BOOKING_DATABASE_URL": url, "BOOKING_VAR_DIR": str(tmp_path / "var")}
            done = subprocess.run([sys.executable, "-m", "booking.cli", "db", "upgrade"], env=env,
                                  capture_output=True, text=True, timeout=120)
            assert done.returncode == 0, done.stderr
            assert "up to date" in done.stdout
            # running it again is safe
            again = subprocess.run([sys.executable, "-m", "booking.cli", "db", "upgrade"], env=env,
                                   capture_output=True, text=True, timeout=120)
            assert again.returncode == 0, again.stderr

        async def describe(url: str) -> dict[str, list[tuple[str, bool]]]:
            from sqlalchemy.ext.asyncio import create_async_engine

            engine = create_async_engine(url)
            try:
                async with engine.connect() as conn:
                    return await conn.run_sync(_describe)
            finally:
                await engine.dispose()

        on_sqlite = _run_sync(describe(sqlite_url))
        on_postgres = _run_sync(describe(pg_url))
        assert on_sqlite == on_postgres
        assert set(on_sqlite) == set(metadata.tables)
    finally:
        _run_sync(_pg_drop_database(admin, pg_name))
