"""The SQL repository of lending circulation (loans, returns, renewals, holds)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession


class SqlCirculationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
