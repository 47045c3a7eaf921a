"""The SQLAlchemy unit of work: one transaction, committed explicitly, rolled back otherwise."""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import Generic, TypeVar, overload

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from booking.adapters.db.activities_repository import SqlActivityRepository
from booking.adapters.db.allocation_repository import SqlAllocationRepository
from booking.adapters.db.booking_repositories import SqlBookings, SqlCalendars
from booking.adapters.db.circulation_repository import SqlCirculationRepository
from booking.adapters.db.database import Database
from booking.adapters.db.draw_repository import SqlDrawRepository
from booking.adapters.db.imports_repository import SqlImports
from booking.adapters.db.lending_repository import SqlLendingRepository
from booking.adapters.db.oidc_store import SqlSignInConfigs
from booking.adapters.db.repositories import (
    SqlAccounts,
    SqlAreas,
    SqlAssociations,
    SqlMunicipalities,
    SqlOneTimeLinks,
    SqlSites,
    SqlSpaces,
)
from booking.adapters.db.transient import as_transient
from booking.domain.shared.audit import AuditEntry
from booking.domain.shared.errors import Conflict
from booking.domain.shared.notifications import Message

R = TypeVar("R")


class PerTransaction(Generic[R]):
    """A repository of the unit of work, built from the transaction's session the first time the
    transaction uses it: a transaction builds only the repositories it touches.

    A non-data descriptor: the first read stores the repository in the instance's `__dict__`, which
    then answers every later read directly (as `functools.cached_property` does); the unit of work
    drops those entries when the transaction ends, so the next transaction builds its own."""

    def __init__(self, build: Callable[[AsyncSession], R]) -> None:
        self.build = build
        self.name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, uow: None, owner: type) -> PerTransaction[R]: ...

    @overload
    def __get__(self, uow: SqlUnitOfWork, owner: type) -> R: ...

    def __get__(self, uow: SqlUnitOfWork | None, owner: type) -> PerTransaction[R] | R:
        if uow is None:
            return self
        repository = self.build(uow.session)
        uow.__dict__[self.name] = repository
        return repository


# Unique constraints -> the field a person would fix, and what to tell them.
_UNIQUE: list[tuple[str, tuple[str, ...], str, str]] = [
    ("accounts", ("email",), "email", "An account with this e-mail address already exists."),
    ("associations", ("municipality_id", "org_number"), "org_number", "This organisationsnummer is registered."),
    ("areas", ("municipality_id", "name"), "name", "An area with this name exists."),
    ("municipalities", ("slug",), "slug", "A municipality with this slug exists."),
]


def integrity_to_conflict(exc: IntegrityError) -> Conflict:
    message = str(exc.orig)
    for table, columns, field, text in _UNIQUE:
        pg_name = f"uq_{table}_{'_'.join(columns)}"
        sqlite_text = "UNIQUE constraint failed: " + ", ".join(f"{table}.{c}" for c in columns)
        if f'"{pg_name}"' in message or sqlite_text in message:
            return Conflict(text, [{"field": field}])
    if "foreign key" in message.lower():
        return Conflict("Something else still refers to this, or a reference points nowhere.")
    return Conflict("The change conflicts with data stored meanwhile; reload and try again.")


class SqlUnitOfWork:
    """`async with uow:` opens a transaction; `await uow.commit()` makes it durable.

    Leaving the block without commit rolls back. A failed commit raises (and is
    never turned into a success answer); a unique violation becomes a Conflict; a lock
    conflict the database settled by refusing this transaction (deadlock, serialization
    failure, lock timeout, SQLite busy) leaves the block as TransientDatabaseError.

    The repositories are `PerTransaction`: each is built on its first use in a transaction, from
    that transaction's session, and forgotten when the transaction ends.
    """

    session: AsyncSession
    municipalities = PerTransaction(SqlMunicipalities)
    areas = PerTransaction(SqlAreas)
    sites = PerTransaction(SqlSites)
    spaces = PerTransaction(SqlSpaces)
    accounts = PerTransaction(SqlAccounts)
    associations = PerTransaction(SqlAssociations)
    links = PerTransaction(SqlOneTimeLinks)
    bookings = PerTransaction(SqlBookings)
    calendars = PerTransaction(SqlCalendars)
    allocation = PerTransaction(SqlAllocationRepository)
    lending = PerTransaction(SqlLendingRepository)
    circulation = PerTransaction(SqlCirculationRepository)
    activities = PerTransaction(SqlActivityRepository)
    draws = PerTransaction(SqlDrawRepository)
    imports = PerTransaction(SqlImports)
    sign_in_configs = PerTransaction(SqlSignInConfigs)

    def __init__(self, db: Database, *, readonly: bool = False) -> None:
        self.db = db
        self._factory: async_sessionmaker[AsyncSession] = db.read_sessions if readonly else db.write_sessions
        self._depth = 0

    async def __aenter__(self) -> SqlUnitOfWork:
        if self._depth == 0:
            self._forget_repositories()  # any built outside a transaction belong to the last session
            self.session = self._factory()
        self._depth += 1
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._depth -= 1
        if self._depth == 0:
            # close() ends the transaction (rolling back whatever was not committed) and detaches
            # the loaded objects without expiring them, so a service may return what it read.
            await self.session.close()
            self._forget_repositories()
        transient = as_transient(exc) if exc is not None else None
        if transient is not None:
            raise transient from exc

    def _forget_repositories(self) -> None:
        for name in _REPOSITORIES:
            self.__dict__.pop(name, None)

    def audit(self, entry: AuditEntry) -> None:
        self.session.add(entry)

    def notify(self, message: Message) -> None:
        self.session.add(message)

    async def commit(self) -> None:
        try:
            await self.session.commit()
        except IntegrityError as exc:
            await self.session.rollback()
            raise integrity_to_conflict(exc) from exc

    async def rollback(self) -> None:
        await self.session.rollback()


_REPOSITORIES = tuple(name for name, value in vars(SqlUnitOfWork).items() if isinstance(value, PerTransaction))
