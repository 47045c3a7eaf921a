"""The fake of the imports' bulk reads (booking/adapters/db/imports_repository.py), over the lending fake's
tables."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from booking.domain.lending.borrowers import Borrower, Card
from booking.domain.lending.model import Article, Category
from tests.unit.fakes.base import FakeTransaction


class FakeImports:
    def __init__(self, uow: FakeTransaction) -> None:
        self.uow = uow

    async def categories(self, municipality_id: UUID) -> Sequence[Category]:
        rows = self.uow.table("lending_categories").values()
        return sorted((c for c in rows if c.municipality_id == municipality_id), key=lambda c: c.name)

    async def articles(self, municipality_id: UUID) -> Sequence[Article]:
        rows = self.uow.table("lending_articles").values()
        return sorted((a for a in rows if a.municipality_id == municipality_id),
                      key=lambda a: (a.name, a.variant or ""))

    async def borrowers(self, municipality_id: UUID) -> Sequence[Borrower]:
        rows = self.uow.table("borrowers").values()
        return sorted((b for b in rows if b.municipality_id == municipality_id and b.anonymised_at is None),
                      key=lambda b: (b.name, b.birth_year, b.id))

    async def active_cards(self, municipality_id: UUID) -> Sequence[Card]:
        return [c for c in self.uow.table("lending_cards").values()
                if c.municipality_id == municipality_id and c.active]

    async def taken_card_numbers(self, numbers: Sequence[str]) -> set[str]:
        return {c.number for c in self.uow.table("lending_cards").values()} & set(numbers)
