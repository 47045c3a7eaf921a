"""Demo data of lending circulation (loans, returns, renewals, holds) for `make demo` and the browser tests."""

from __future__ import annotations

from uuid import UUID

from booking.adapters.db.database import Database
from booking.domain.ports import PasswordHasher
from booking.domain.shared.clock import Clock


async def seed(db: Database, hasher: PasswordHasher, clock: Clock, municipality_id: UUID) -> None:
    """Runs after the catalogue's demo data is committed."""
