"""The postcode table against real databases: replacements of one municipality's table take turns, so
several at once leave exactly one of the tables sent (no unique violation, no mixture), and the
postcode lookup reads it."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from uuid import UUID

from booking.adapters.db.database import Database, connect
from booking.adapters.db.uow import SqlUnitOfWork
from booking.domain.municipalities import postcodes
from booking.domain.municipalities.model import Area, Municipality
from tests.conftest import random_ref


@dataclass(frozen=True)
class Staff:
    account_id: UUID | None
    municipality_id: UUID


async def test_replacements_at_once_take_turns_and_one_table_wins(db: Database) -> None:
    uow = SqlUnitOfWork(db)
    async with uow:
        municipality = Municipality("Testkommun", random_ref("m-"))
        uow.municipalities.add(municipality)
        areas = [Area(municipality.id, f"Område {i}") for i in range(4)]
        for area in areas:
            uow.areas.add(area)
        await uow.commit()
    staff = Staff(None, municipality.id)
    # each table: the same postcodes (they collide if two replacements interleave), another area each
    tables = [[postcodes.PostcodeItem(f"852{n:02d}", areas[i % 4].id) for n in range(40)] for i in range(8)]
    clients = [connect(db.url, pool_size=1) for _ in tables]

    async def replace(i: int, barrier: asyncio.Barrier) -> int:
        await barrier.wait()
        return await postcodes.set_postcode_areas(tables[i], SqlUnitOfWork(clients[i]), staff)

    try:
        barrier = asyncio.Barrier(len(tables))
        counts = await asyncio.gather(*(replace(i, barrier) for i in range(len(tables))))
    finally:
        await asyncio.gather(*(c.dispose() for c in clients))
    assert counts == [40] * len(tables)
    stored = await postcodes.postcode_table(SqlUnitOfWork(db), municipality.id)
    assert len(stored) == 40
    assert len({line.area_id for line in stored}) == 1  # one table whole, not a mixture
    found = await postcodes.area_of_postcode(SqlUnitOfWork(db), municipality.id, "852 07")
    assert (found.postcode, found.area_id) == ("85207", stored[0].area_id)
