"""Housekeeping removes what has served its purpose and nothing else."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from booking.adapters.db import tables as t
from booking.adapters.db.auth_store import AuthStore
from booking.adapters.db.database import Database
from booking.adapters.db.maintenance import prune
from booking.adapters.db.uow import SqlUnitOfWork
from booking.domain.municipalities.model import Municipality
from booking.domain.people.model import Account
from booking.domain.shared.clock import FixedClock

NOW = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)


async def test_prune_forgets_old_rows_and_keeps_current_ones(db: Database) -> None:
    uow = SqlUnitOfWork(db)
    async with uow:
        municipality = Municipality("Testkommun", "prune")
        uow.municipalities.add(municipality)
        account = Account(municipality.id, "prune@example.se", "Prune")
        uow.accounts.add(account)
        await uow.commit()
    store = AuthStore(db)
    await store.create(account.id, "api", NOW - timedelta(days=30), lifetime=timedelta(days=10), idle=None)
    await store.create(account.id, "api", NOW, lifetime=timedelta(days=10), idle=None)
    await store.record_failure(["login:old"], NOW - timedelta(days=2))
    await store.record_failure(["login:new"], NOW - timedelta(minutes=5))
    async with db.write_sessions() as session, session.begin():
        for sent_at, status in ((NOW - timedelta(days=40), "sent"), (NOW - timedelta(days=1), "sent"),
                                (None, "pending")):
            await session.execute(sa.insert(t.outbox).values(
                id=uuid.uuid4(), kind="test", channel="email", recipient="a@example.se", subject="s", body="b",
                status=status, attempts=0, sent_at=sent_at, created_at=NOW - timedelta(days=41),
                updated_at=NOW))
    removed = await prune(db, FixedClock(NOW))
    assert removed == {"login_failures": 1, "auth_sessions": 1, "idempotency_keys": 0, "outbox": 1}
    async with db.read_sessions() as session:
        assert (await session.execute(sa.select(sa.func.count()).select_from(t.auth_sessions))).scalar() == 1
        assert (await session.execute(sa.select(sa.func.count()).select_from(t.login_failures))).scalar() == 1
        assert (await session.execute(sa.select(sa.func.count()).select_from(t.outbox))).scalar() == 2
