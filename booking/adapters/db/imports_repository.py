"""The imports' bulk reads of a municipality's lending objects (booking/domain/imports/ports.ImportsRepository)."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from booking.adapters.db import tables_lending as t
from booking.domain.lending.borrowers import Borrower, Card
from booking.domain.lending.model import Article, Category

CHUNK = 500  # numbers per IN (...) list


class SqlImports:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def categories(self, municipality_id: UUID) -> Sequence[Category]:
        query = sa.select(Category).where(t.lending_categories.c.municipality_id == municipality_id)
        return (await self.session.execute(query.order_by(t.lending_categories.c.name))).scalars().all()

    async def articles(self, municipality_id: UUID) -> Sequence[Article]:
        a = t.lending_articles
        query = sa.select(Article).where(a.c.municipality_id == municipality_id).order_by(a.c.name, a.c.variant)
        return (await self.session.execute(query)).scalars().all()

    async def borrowers(self, municipality_id: UUID) -> Sequence[Borrower]:
        b = t.borrowers
        query = sa.select(Borrower).where(b.c.municipality_id == municipality_id, b.c.anonymised_at.is_(None))
        return (await self.session.execute(query.order_by(b.c.name, b.c.birth_year, b.c.id))).scalars().all()

    async def active_cards(self, municipality_id: UUID) -> Sequence[Card]:
        c = t.lending_cards
        query = sa.select(Card).where(c.c.municipality_id == municipality_id, c.c.active)
        return (await self.session.execute(query)).scalars().all()

    async def taken_card_numbers(self, numbers: Sequence[str]) -> set[str]:
        c = t.lending_cards
        taken: set[str] = set()
        wanted = sorted(set(numbers))
        for start in range(0, len(wanted), CHUNK):
            query = sa.select(c.c.number).where(c.c.number.in_(wanted[start:start + CHUNK]))
            taken.update((await self.session.execute(query)).scalars().all())
        return taken
