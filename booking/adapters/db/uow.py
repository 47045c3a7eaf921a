"""The SQLAlchemy unit of work: one transaction, committed explicitly, rolled back otherwise."""

from __future__ import annotations

from types import TracebackType

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from booking.adapters.db.activities_repository import SqlActivityRepository
from booking.adapters.db.allocation_repository import SqlAllocationRepository
from booking.adapters.db.booking_repositories import SqlBookings, SqlCalendars
from booking.adapters.db.circulation_repository import SqlCirculationRepository
from booking.adapters.db.database import Database
from booking.adapters.db.lending_repository import SqlLendingRepository
from booking.adapters.db.repositories import (
    SqlAccounts,
    SqlAreas,
    SqlAssociations,
    SqlMunicipalities,
    SqlSites,
    SqlSpaces,
)
from booking.adapters.db.transient import as_transient
from booking.domain.shared.audit import AuditEntry
from booking.domain.shared.errors import Conflict
from booking.domain.shared.notifications import Message

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
    """

    session: AsyncSession

    def __init__(self, db: Database, *, readonly: bool = False) -> None:
        self.db = db
        self._factory: async_sessionmaker[AsyncSession] = db.read_sessions if readonly else db.write_sessions
        self._depth = 0

    async def __aenter__(self) -> SqlUnitOfWork:
        if self._depth == 0:
            self.session = self._factory()
            self.municipalities = SqlMunicipalities(self.session)
            self.areas = SqlAreas(self.session)
            self.sites = SqlSites(self.session)
            self.spaces = SqlSpaces(self.session)
            self.accounts = SqlAccounts(self.session)
            self.associations = SqlAssociations(self.session)
            self.bookings = SqlBookings(self.session)
            self.calendars = SqlCalendars(self.session)
            self.allocation = SqlAllocationRepository(self.session)
            self.lending = SqlLendingRepository(self.session)
            self.circulation = SqlCirculationRepository(self.session)
            self.activities = SqlActivityRepository(self.session)
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
        transient = as_transient(exc) if exc is not None else None
        if transient is not None:
            raise transient from exc

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
