"""The ports every context shares: a transaction, the shape of a repository, a page of results, hashing.

Each context declares its own unit of work in its own `ports.py`, naming only the repositories
its services use; they all extend `Transaction`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Generic, Protocol, Self, TypeVar, runtime_checkable
from uuid import UUID

from booking.domain.shared.audit import AuditEntry
from booking.domain.shared.notifications import Message

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: Sequence[T]
    total: int
    limit: int
    offset: int


class Lookup(Protocol[T_co]):
    """Read one object by id: what a context needs of another context's objects."""

    async def get(self, ident: UUID) -> T_co | None: ...


class Repository(Protocol[T]):
    async def get(self, ident: UUID) -> T | None: ...

    def add(self, entity: T) -> None: ...

    async def delete(self, entity: T) -> None: ...


class Owned(Protocol):
    """Anything that belongs to one municipality."""

    @property
    def id(self) -> UUID: ...

    @property
    def municipality_id(self) -> UUID: ...


class Named(Owned, Protocol):
    @property
    def name(self) -> str: ...


class Transaction(Protocol):
    """One transaction. Leaving the block without commit() rolls back."""

    async def __aenter__(self) -> Self: ...

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None: ...

    def audit(self, entry: AuditEntry) -> None:
        """Record who changed what, in this transaction."""
        ...

    def notify(self, message: Message) -> None:
        """Queue a message in the outbox, in this transaction; it is delivered after commit."""
        ...

    async def commit(self) -> None: ...

    async def rollback(self) -> None: ...


@runtime_checkable
class PasswordHasher(Protocol):
    async def hash(self, password: str) -> str: ...

    async def verify(self, password_hash: str, password: str) -> bool: ...

    def needs_rehash(self, password_hash: str) -> bool: ...
