"""The one order in which lending and circulation lock rows, and the ledger that enforces it.

PostgreSQL detects a deadlock when two transactions wait for each other's row locks, and aborts one
(`deadlock detected`, a 500 to the desk). It cannot happen when every transaction takes its locks in one
global order. Lending, returns, renewals, holds, self-service, reported returns, stock counts, the
reminder and privacy jobs and the staff's item and borrower edits all take theirs in this order, and each
level in ascending id order:

  1. ARTICLE   an article's hold queue (`lending_articles` row, FOR NO KEY UPDATE)
  2. ITEM      items (`lending_items` rows, FOR NO KEY UPDATE), ascending ids
  3. BORROWER  borrowers (`borrowers` rows, FOR NO KEY UPDATE), ascending ids

and only then write: loans, holds, item events, labels, stock scans, reminders, audit and outbox rows.
The rows written last are locked implicitly by their own UPDATE/INSERT; nobody waits for one of them
while holding a lock of the list (a loan and a hold are written only by a transaction that holds their
item, or for a waiting hold, their article). `FOR NO KEY UPDATE`, not `FOR UPDATE`: the foreign-key
checks of those inserts take `FOR KEY SHARE` on the article, item and borrower rows, which `NO KEY
UPDATE` does not block, so an insert never waits for another transaction's queue or item lock.

A use case takes its locks before it changes anything: the session flushes pending changes before each
query, and an early UPDATE would take its row lock out of order.

SQLite serialises all writers (BEGIN IMMEDIATE), so the statements are skipped there; the ledger is kept
on both engines, so a path that breaks the order fails its tests on either (`LockOrderError`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import IntEnum
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession


class Level(IntEnum):
    ARTICLE = 1
    ITEM = 2
    BORROWER = 3


class LockOrderError(AssertionError):
    """A lock requested out of the global order: a programming error that could deadlock."""


_KEY = "booking.lock_ledger"


@dataclass
class _Ledger:
    transaction: object
    held: set[tuple[int, UUID]] = field(default_factory=set)
    last: tuple[int, UUID] | None = None


def take(session: AsyncSession, level: Level, keys: Iterable[UUID]) -> list[UUID]:
    """Note that this transaction locks `keys` at `level`; answer those it does not hold yet, ascending.

    Raises LockOrderError when one of them comes before a lock already taken (a lower level after a
    higher one, or a smaller id after a larger one of the same level)."""
    sync = session.sync_session
    transaction = sync.get_transaction() or sync.begin()  # the ledger lives as long as the transaction
    ledger = session.info.get(_KEY)
    if not isinstance(ledger, _Ledger) or ledger.transaction is not transaction:
        ledger = session.info[_KEY] = _Ledger(transaction)
    new = sorted(k for k in set(keys) if (int(level), k) not in ledger.held)
    if new and ledger.last is not None and (int(level), new[0]) < ledger.last:
        raise LockOrderError(f"lock {level.name} {new[0]} taken after {Level(ledger.last[0]).name} {ledger.last[1]}")
    ledger.held.update((int(level), k) for k in new)
    if new:
        ledger.last = (int(level), new[-1])
    return new
