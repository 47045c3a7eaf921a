"""The SQL repository of holiday activities (lovaktiviteter)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession


class SqlActivityRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
