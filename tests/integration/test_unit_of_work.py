"""The unit of work and the column types against real databases."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from booking.adapters.db import tables as t
from booking.adapters.db.database import Database, connect
from booking.adapters.db.uow import SqlUnitOfWork
from booking.domain.municipalities.model import Municipality
from booking.domain.people.model import Account
from booking.domain.people.roles import Role
from booking.domain.premises.model import Site, Space, SpaceKind
from booking.domain.shared.errors import Conflict
from tests.conftest import random_ref


async def _municipality(db: Database) -> Municipality:
    uow = SqlUnitOfWork(db)
    async with uow:
        municipality = Municipality("Testkommun", random_ref("m-"))
        uow.municipalities.add(municipality)
        await uow.commit()
    return municipality


async def test_commit_makes_it_durable_and_leaving_without_commit_rolls_back(db: Database) -> None:
    municipality = await _municipality(db)
    uow = SqlUnitOfWork(db)
    async with uow:
        uow.sites.add(Site(municipality.id, "Utan commit", "Vägen 1", "85350", "Sundsvall"))
    async with uow:
        kept = Site(municipality.id, "Med commit", "Vägen 2", "85350", "Sundsvall")
        uow.sites.add(kept)
        await uow.commit()
    async with db.read_sessions() as session:
        names = (await session.execute(sa.select(t.sites.c.name))).scalars().all()
    assert names == ["Med commit"]


async def test_exception_inside_the_block_rolls_back(db: Database) -> None:
    municipality = await _municipality(db)
    uow = SqlUnitOfWork(db)
    with pytest.raises(RuntimeError):
        async with uow:
            uow.sites.add(Site(municipality.id, "Halvfärdig", "Vägen 1", "85350", "Sundsvall"))
            await uow.session.flush()
            raise RuntimeError("boom")
    async with db.read_sessions() as session:
        assert (await session.execute(sa.select(sa.func.count()).select_from(t.sites))).scalar() == 0


async def test_a_unique_violation_at_commit_is_a_conflict_naming_the_field(db: Database) -> None:
    municipality = await _municipality(db)
    for attempt in range(2):
        uow = SqlUnitOfWork(db)
        async with uow:
            uow.accounts.add(Account(municipality.id, "samma@example.se", f"Nr {attempt}"))
            if attempt == 0:
                await uow.commit()
            else:
                with pytest.raises(Conflict) as caught:
                    await uow.commit()
                assert caught.value.conflicts == [{"field": "email"}]
    async with db.read_sessions() as session:
        assert (await session.execute(sa.select(sa.func.count()).select_from(t.accounts))).scalar() == 1


async def test_instants_are_aware_utc_and_naive_ones_are_refused(db: Database) -> None:
    municipality = await _municipality(db)
    stockholm = timezone(timedelta(hours=1))
    uow = SqlUnitOfWork(db)
    async with uow:
        account = Account(municipality.id, "tid@example.se", "Tid")
        account.last_login_at = datetime(2027, 3, 28, 3, 30, tzinfo=stockholm)
        uow.accounts.add(account)
        await uow.commit()
    async with db.read_sessions() as session:
        stored = (await session.execute(sa.select(t.accounts.c.last_login_at, t.accounts.c.created_at,
                                                  t.accounts.c.updated_at))).one()
    assert stored.last_login_at == datetime(2027, 3, 28, 2, 30, tzinfo=UTC)
    assert stored.last_login_at.tzinfo is not None and stored.last_login_at.utcoffset() == timedelta(0)
    assert stored.created_at.tzinfo is not None
    uow = SqlUnitOfWork(db)
    async with uow:
        naive = Account(municipality.id, "naiv@example.se", "Naiv")
        naive.last_login_at = datetime(2027, 3, 28, 3, 30)  # noqa: DTZ001 naive on purpose: it must be refused
        uow.accounts.add(naive)
        with pytest.raises(sa.exc.StatementError, match="naive datetime"):
            await uow.commit()


async def test_updated_at_moves_on_change(db: Database) -> None:
    municipality = await _municipality(db)
    uow = SqlUnitOfWork(db)
    async with uow:
        site = Site(municipality.id, "Skolan", "Vägen 1", "85350", "Sundsvall")
        uow.sites.add(site)
        await uow.commit()
    created = site.created_at
    assert created is not None and site.updated_at is not None
    await asyncio.sleep(0.01)
    async with uow:
        loaded = await uow.sites.get(site.id)
        assert loaded is not None
        loaded.name = "Skolan (ny)"
        await uow.commit()
    async with db.read_sessions() as session:
        row = (await session.execute(sa.select(t.sites).where(t.sites.c.id == site.id))).one()
    assert row.created_at == created
    assert row.updated_at > created


async def test_roles_and_parts_round_trip(db: Database) -> None:
    municipality = await _municipality(db)
    uow = SqlUnitOfWork(db)
    async with uow:
        site = Site(municipality.id, "Skolan", "Vägen 1", "85350", "Sundsvall")
        uow.sites.add(site)
        hall = Space(municipality.id, site.id, "Hallen", SpaceKind.HALL, 100, equipment=["Korgar"])
        uow.spaces.add(hall)
        await uow.session.flush()
        uow.spaces.add(Space(municipality.id, site.id, "Hallen A", SpaceKind.HALL, 50, parent_id=hall.id))
        uow.spaces.add(Space(municipality.id, site.id, "Hallen B", SpaceKind.HALL, 50, parent_id=hall.id))
        account = Account(municipality.id, "staff@example.se", "Staff")
        account.grant(Role.PREMISES_STAFF)
        account.grant(Role.LENDING_STAFF, site.id)
        uow.accounts.add(account)
        await uow.commit()
    fresh = SqlUnitOfWork(db)
    async with fresh:
        parts = await fresh.spaces.parts_of(hall.id)
        assert [p.name for p in parts] == ["Hallen A", "Hallen B"]
        loaded_hall = await fresh.spaces.get(hall.id)
        assert loaded_hall is not None and loaded_hall.kind is SpaceKind.HALL and loaded_hall.equipment == ["Korgar"]
        loaded = await fresh.accounts.by_email("STAFF@example.se")
        assert loaded is not None
        assert {(g.role, g.scope_id) for g in loaded.grants} == {(Role.PREMISES_STAFF, None),
                                                                 (Role.LENDING_STAFF, site.id)}


async def test_the_database_refuses_what_the_domain_refuses(db: Database) -> None:
    """Constraints back the rules even for writes that bypass the domain."""
    municipality = await _municipality(db)
    uow = SqlUnitOfWork(db)
    async with uow:
        site = Site(municipality.id, "Skolan", "Vägen 1", "85350", "Sundsvall")
        uow.sites.add(site)
        await uow.commit()
    now = datetime.now(UTC)
    async with db.write_sessions() as session:
        with pytest.raises(sa.exc.IntegrityError):
            async with session.begin():
                await session.execute(sa.insert(t.spaces).values(
                    id=uuid.uuid4(), municipality_id=municipality.id,
                    site_id=site.id, name="Noll", kind="gym", capacity=0, step_free=False, accessible_toilet=False,
                    hearing_loop=False, equipment=[], created_at=now, updated_at=now))


@pytest.mark.slow
async def test_storm_of_registrations_with_one_email_creates_one_account(db: Database) -> None:
    """32 clients, each with its own connection, released together, each checking then inserting:
    exactly one account (SQLite serializes the writers; PostgreSQL's unique index refuses the rest)."""
    municipality = await _municipality(db)
    clients = [connect(db.url, pool_size=1) for _ in range(32)]
    barrier = asyncio.Barrier(len(clients))

    async def register(client: Database, n: int) -> str:
        uow = SqlUnitOfWork(client)
        await barrier.wait()
        async with uow:
            existing = await uow.accounts.by_email("storm@example.se")
            if existing is not None:
                return "exists"
            uow.accounts.add(Account(municipality.id, "storm@example.se", f"Klient {n}"))
            try:
                await uow.commit()
            except Conflict:
                return "conflict"
            return "created"

    try:
        for _round in range(3):
            async with db.write_engine.begin() as conn:
                await conn.execute(t.accounts.delete())
            barrier = asyncio.Barrier(len(clients))
            outcomes = await asyncio.gather(*(register(c, i) for i, c in enumerate(clients)))
            assert outcomes.count("created") == 1, outcomes
            async with db.read_sessions() as session:
                assert (await session.execute(sa.select(sa.func.count()).select_from(t.accounts))).scalar() == 1
    finally:
        await asyncio.gather(*(c.dispose() for c in clients))
