"""What the imports need from storage: the unit of work of the contexts whose objects they write.

Sites and spaces, areas and associations are reached through the premises unit of work (it extends the
people and municipalities ones); lending articles and borrowers through the lending one. `imports` reads
a municipality's lending objects in bulk (a file of thousands of rows is planned against them at once,
not one query per row). The write stage flushes in batches (the transaction's `lending.flush`, whatever
the kind), so that it can report its progress."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol
from uuid import UUID

from booking.domain.lending.borrowers import Borrower, Card
from booking.domain.lending.model import Article, Category
from booking.domain.lending.ports import LendingRepository
from booking.domain.premises.ports import PremisesUnitOfWork


class ImportsRepository(Protocol):
    async def categories(self, municipality_id: UUID) -> Sequence[Category]: ...

    async def articles(self, municipality_id: UUID) -> Sequence[Article]: ...

    async def borrowers(self, municipality_id: UUID) -> Sequence[Borrower]:
        """Every borrower not anonymised, with their consents."""
        ...

    async def active_cards(self, municipality_id: UUID) -> Sequence[Card]: ...

    async def taken_card_numbers(self, numbers: Sequence[str]) -> set[str]:
        """Those of `numbers` that any card has (of any municipality, blocked ones too: numbers are unique)."""
        ...


class ImportsUnitOfWork(PremisesUnitOfWork, Protocol):
    """Every repository the kinds of import read and write, in one transaction."""

    @property
    def lending(self) -> LendingRepository: ...

    @property
    def imports(self) -> ImportsRepository: ...
