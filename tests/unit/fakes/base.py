"""The core of the in-memory unit of work: tables of rows, transactions, uniqueness, audit and outbox.

Semantics the domain relies on, as in the SQL adapter:
- what a transaction adds or changes is visible to it at once (read your writes);
- leaving the block without `commit()` puts every table back as it was when the block began;
- `commit()` checks the unique keys and raises `Conflict` naming the field, like the SQL unit of work;
- row locks are no-ops (one task at a time runs in a unit test), but are recorded in `locks`.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Generic, Self, TypeVar
from uuid import UUID

from booking.domain.shared.audit import AuditEntry
from booking.domain.shared.errors import Conflict
from booking.domain.shared.notifications import Message

T = TypeVar("T")


@dataclass(frozen=True)
class Unique:
    """A unique key of a table: rows with equal keys (None never equal) may not both be stored."""

    table: str
    key: Callable[[Any], Hashable | None]
    field: str
    message: str


class FakeTransaction:
    """One in-memory database and a transaction over it. `async with uow:` nests like the SQL one."""

    def __init__(self) -> None:
        self.tables: dict[str, dict[Any, Any]] = {}
        self.uniques: list[Unique] = []
        self.audit_log: list[AuditEntry] = []
        self.outbox: list[Message] = []
        self.locks: list[tuple[str, Any]] = []
        self.committed = 0
        self.rolled_back = 0
        self._depth = 0
        self._snapshot: dict[str, dict[Any, Any]] | None = None
        self._audit: list[AuditEntry] = []
        self._outbox: list[Message] = []

    def table(self, name: str) -> dict[Any, Any]:
        return self.tables.setdefault(name, {})

    def unique(self, table: str, key: Callable[[Any], Hashable | None], field: str, message: str) -> None:
        self.uniques.append(Unique(table, key, field, message))

    def lock(self, what: str, ident: Any) -> None:
        self.locks.append((what, ident))

    async def __aenter__(self) -> Self:
        if self._depth == 0:
            self._snapshot = copy.deepcopy(self.tables)
        self._depth += 1
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        self._depth -= 1
        if self._depth == 0:
            await self.rollback()
            self._snapshot = None

    def audit(self, entry: AuditEntry) -> None:
        self._audit.append(entry)

    def notify(self, message: Message) -> None:
        self._outbox.append(message)

    async def commit(self) -> None:
        self._check_uniques()
        self.audit_log.extend(self._audit)
        self.outbox.extend(self._outbox)
        self._audit.clear()
        self._outbox.clear()
        self._snapshot = copy.deepcopy(self.tables)
        self.committed += 1

    async def rollback(self) -> None:
        if self._snapshot is not None:
            for name, rows in self.tables.items():
                before = self._snapshot.get(name, {})
                for key in [k for k in rows if k not in before]:
                    del rows[key]
                for key, row in before.items():
                    if key not in rows or _fields(rows[key]) != _fields(row):  # changed or deleted: as it was
                        rows[key] = copy.deepcopy(row)
            self.rolled_back += 1
        self._audit.clear()
        self._outbox.clear()

    def _check_uniques(self) -> None:
        for unique in self.uniques:
            seen: set[Hashable] = set()
            for row in self.table(unique.table).values():
                key = unique.key(row)
                if key is None:
                    continue
                if key in seen:
                    raise Conflict(unique.message, [{"field": unique.field}])
                seen.add(key)


def _fields(row: Any) -> Any:
    """What a row holds (entities compare by identity, as the ORM maps them)."""
    if dataclasses.is_dataclass(row) and not isinstance(row, type):
        return tuple(_fields(getattr(row, f.name)) for f in dataclasses.fields(row))
    if isinstance(row, list):  # rows loaded with their parent (a borrower's consents): compared by value
        return [_fields(x) for x in row]
    return row


class FakeRepository(Generic[T]):
    """get/add/delete over one table of rows keyed by their id."""

    table_name = ""

    def __init__(self, uow: FakeTransaction) -> None:
        self.uow = uow
        self.items: dict[UUID, T] = uow.table(self.table_name or type(self).__name__)

    async def get(self, ident: UUID) -> T | None:
        return self.items.get(ident)

    def add(self, entity: T) -> None:
        self.items[entity.id] = entity  # type: ignore[attr-defined]

    async def delete(self, entity: T) -> None:
        self.items.pop(entity.id, None)  # type: ignore[attr-defined]


class FakeHasher:
    async def hash(self, password: str) -> str:
        return "fake$" + password[::-1]

    async def verify(self, password_hash: str, password: str) -> bool:
        return password_hash == "fake$" + password[::-1]

    def needs_rehash(self, password_hash: str) -> bool:
        return False
