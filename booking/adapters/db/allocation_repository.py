"""The SQL repository of the season allocation round (tidsfördelning)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession


class SqlAllocationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
