"""The demo database holds every invariant of every capability (`booking check`), on both engines, and the
check finds a violation planted past the services.

The demo left items on loan with nobody borrowing them (3 on PostgreSQL, 2 on SQLite: the catalogue seed
wrote the status by hand); lending and circulation are now seeded through their services."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from datetime import UTC, datetime

import sqlalchemy as sa

from booking.adapters.db import invariants
from booking.adapters.db import tables as t
from booking.adapters.db import tables_activities as ta
from booking.adapters.db import tables_lending as tl
from booking.adapters.db.database import Database
from booking.domain.shared.clock import FixedClock
from booking.seed import seed_demo
from tests.conftest import FAST_HASHER

QUIET_DAY = datetime(2027, 2, 10, 9, 0, tzinfo=UTC)  # a Wednesday no holiday or eve touches


def _check_cli(db: Database) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BOOKING_DATABASE_URL": db.url}
    return subprocess.run([sys.executable, "-m", "booking.cli", "check"], capture_output=True, text=True,
                          env=env, timeout=120)


async def test_the_demo_holds_every_invariant(db: Database) -> None:
    assert await seed_demo(db, FAST_HASHER, FixedClock(QUIET_DAY))
    found = await invariants.check(db)
    assert set(found) == {i.name for i in invariants.INVARIANTS}
    assert {name: n for name, n in found.items() if n} == {}, {
        name: await invariants.examples(db, name) for name, n in found.items() if n}
    async with db.read_sessions() as session:  # the demo shows circulation at work, not an empty desk
        rows = await session.execute(sa.select(tl.lending_items.c.status, sa.func.count())
                                     .group_by(tl.lending_items.c.status))
        statuses: dict[str, int] = {str(status): int(n) for status, n in rows}
    assert statuses.get("on_loan", 0) >= 4 and statuses.get("on_hold_shelf", 0) == 1
    done = _check_cli(db)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"{len(found)} of {len(found)} invariants hold." in done.stdout


async def test_the_check_finds_what_was_planted_past_the_services(db: Database) -> None:
    assert await seed_demo(db, FAST_HASHER, FixedClock(QUIET_DAY))
    async with db.write_sessions() as session, session.begin():
        item = (await session.execute(sa.select(tl.lending_items.c.id)
                                      .where(tl.lending_items.c.status == "available").limit(1))).scalar_one()
        await session.execute(sa.update(tl.lending_items).where(tl.lending_items.c.id == item)
                              .values(status="on_loan"))
        session_id = (await session.execute(sa.select(ta.activity_sessions.c.id)
                                            .where(ta.activity_sessions.c.capacity > 0).limit(1))).scalar_one()
        await session.execute(sa.update(ta.activity_sessions).where(ta.activity_sessions.c.id == session_id)
                              .values(confirmed=ta.activity_sessions.c.confirmed + 1))
        if db.dialect == "sqlite":  # PostgreSQL's exclusion constraint refuses this one itself
            taken = (await session.execute(sa.select(t.occupancy).where(t.occupancy.c.active).limit(1))).one()
            await session.execute(sa.insert(t.occupancy).values(
                {**taken._mapping, "id": uuid.uuid4()}))
    found = await invariants.check(db)
    planted = {"lending.on_loan_has_loan": 1, "activities.confirmed_counter": 1}
    if db.dialect == "sqlite":
        planted["premises.no_double_booking"] = 1
    assert {name: n for name, n in found.items() if n} == planted
    assert [e["id"] for e in await invariants.examples(db, "lending.on_loan_has_loan")] == [item]
    done = _check_cli(db)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "FAIL lending.on_loan_has_loan" in done.stdout and "FAIL activities.confirmed_counter" in done.stdout
    assert f"{len(planted)} of {len(found)} invariants are broken." in done.stdout
