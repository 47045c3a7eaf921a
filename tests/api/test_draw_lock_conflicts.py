"""The draw's lock follows the repo's conventions (see test_lock_conflicts.py): publishing and a
withdrawal take the `holiday_draws` row FOR UPDATE on PostgreSQL; while another client holds it the
request runs again inside the server and answers 503 with Retry-After (nothing changed), and when the
lock goes away meanwhile the client sees only the success."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import httpx
import pytest
import sqlalchemy as sa

from booking.adapters.db import tables_activities as ta
from booking.adapters.db import tables_draw as td
from booking.adapters.db.database import Database, connect
from booking.api.app import create_app
from booking.domain.shared.clock import FixedClock
from tests import conftest
from tests.api.draw_support import child, draw_world
from tests.api.test_lock_conflicts import (  # noqa: F401 retry_log is a fixture
    RetryLog,
    assert_busy,
    lock_row,
    pg_holder,
    retry_log,
)
from tests.conftest import FAST_HASHER, EmptyDatabase, build_world, truncate_all

WISHING = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
AFTER_DEADLINE = datetime(2027, 1, 20, 8, 0, tzinfo=UTC)


async def _counts(db: Database) -> tuple[int, str]:
    async with db.read_sessions() as session:
        registrations = (await session.execute(sa.select(sa.func.count()).select_from(ta.registrations))).scalar_one()
        status = (await session.execute(sa.select(td.holiday_draws.c.status))).scalar_one()
    return int(registrations), str(status)


@pytest.mark.slow
async def test_postgresql_publishing_waits_for_the_draws_row_then_503_or_success(
        postgresql_database: EmptyDatabase, retry_log: RetryLog) -> None:  # noqa: F811
    db = connect(postgresql_database.url, pool_size=5, lock_timeout_ms=200)
    clock = FixedClock(WISHING)
    await truncate_all(db)
    app = create_app(conftest.test_settings(), db=db, hasher=FAST_HASHER, clock=clock)
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as client:
            world = await build_world(db, client)
            dw = await draw_world(db, client, world)
            for name, year in (("Alva", 2016), ("Bo", 2017)):
                put = await client.put(f"/api/holiday-draws/{dw.draw_id}/children", headers=world["guardian"].headers,
                                       json=child(name, year, [dw.sessions["climbing"], dw.sessions["swimming"]]))
                assert put.status_code == 200, put.text
            bo = put.json()["child_id"]
            clock.move_to(AFTER_DEADLINE)
            run = await client.post(f"/api/holiday-draws/{dw.draw_id}/runs", headers=dw.staff, json={"seed": "x"})
            assert run.status_code == 201, run.text
            async with pg_holder(postgresql_database.url) as holder:
                await lock_row(holder, "holiday_draws", dw.draw_id)
                refused = await client.post(f"/api/holiday-draws/{dw.draw_id}/publication", headers=dw.staff)
                assert_busy(refused)
                assert await _counts(db) == (0, "previewed")
                withdraw = await client.delete(f"/api/holiday-draws/{dw.draw_id}/children/{bo}",
                                               headers=world["guardian"].headers)
                assert_busy(withdraw)
                assert len(retry_log.retries) == 4 and all("55P03" in line for line in retry_log.retries)
                retry_log.reset()

                async def release() -> None:
                    await asyncio.wait_for(retry_log.first.wait(), 30)
                    await holder.rollback()

                releasing = asyncio.create_task(release())
                published = await client.post(f"/api/holiday-draws/{dw.draw_id}/publication", headers=dw.staff)
                await releasing
                assert published.status_code == 200, published.text
                assert published.json()["registrations"] >= 1
            assert await _counts(db) == (published.json()["registrations"], "published")
    finally:
        await db.dispose()
