"""The SQL repository of equipment lending (Fritidsbanken)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession


class SqlLendingRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
