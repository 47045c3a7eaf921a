"""The lock ledger refuses a lock out of the global order (article queue, items, borrowers; ascending ids),
on both engines, so a new code path that could deadlock on PostgreSQL fails its tests on SQLite too."""

from __future__ import annotations

import pytest

from booking.adapters.db.database import Database
from booking.adapters.db.lock_order import LockOrderError
from booking.adapters.db.uow import SqlUnitOfWork
from tests.integration.circulation_bank import make_bank


async def test_locks_out_of_the_global_order_are_refused(db: Database) -> None:
    bank = await make_bank(db, items_per_article=2)
    first, second = bank.items["skates"]  # ascending ids
    borrower = bank.borrowers["adult0"]
    uow = SqlUnitOfWork(db)
    async with uow:  # the order: queue, items ascending, borrower; a lock held already may be taken again
        await uow.circulation.lock_article_holds(bank.skates.id)
        await uow.lending.lock_items([second.id, first.id])
        await uow.lending.lock_item(first.id)
        assert (await uow.lending.lock_borrower(borrower.id)) is not None
        await uow.circulation.lock_article_holds(bank.skates.id)
    async with uow:
        await uow.lending.lock_borrower(borrower.id)
        with pytest.raises(LockOrderError, match="ITEM"):
            await uow.lending.lock_item(first.id)
    async with uow:
        await uow.lending.lock_item(second.id)
        with pytest.raises(LockOrderError, match="ITEM"):
            await uow.lending.lock_item(first.id)
    async with uow:
        await uow.lending.lock_item(first.id)
        with pytest.raises(LockOrderError, match="ARTICLE"):
            await uow.circulation.lock_article_holds(bank.kayak.id)
    async with uow:  # a new transaction starts a new ledger
        await uow.circulation.lock_article_holds(bank.kayak.id)
        await uow.lending.lock_item(second.id)
        await uow.commit()
        await uow.lending.lock_item(first.id)  # after the commit: a new transaction
