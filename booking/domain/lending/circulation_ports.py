"""What the circulation services need from storage (implemented by adapters/db/circulation_repository.py)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time
from typing import Protocol
from uuid import UUID

from booking.domain.lending.circulation import Hold, Loan
from booking.domain.lending.model import Article, Item


class CirculationRepository(Protocol):
    # --- loans
    def add_loan(self, loan: Loan) -> None: ...

    async def get_loan(self, ident: UUID, *, fresh: bool = False) -> Loan | None:
        """`fresh`: read again from the database (after a lock), not from what this unit of work loaded."""
        ...

    async def open_loan_of_item(self, item_id: UUID) -> Loan | None: ...

    async def open_loans_of(self, borrower_id: UUID) -> Sequence[Loan]: ...

    async def count_open_loans(self, borrower_id: UUID) -> int: ...

    async def borrower_active_at(self, borrower_id: UUID, sites: frozenset[UUID]) -> bool:
        """A loan of the borrower lent or returned at one of `sites`, or an open hold to be picked up there."""
        ...

    async def items_and_articles(self, municipality_id: UUID, codes: Sequence[str]
                                 ) -> tuple[dict[str, Item], dict[UUID, Article]]:
        """The items with these label codes (by code) and their articles (by id), in two statements. The items
        are locked until the transaction ends and read fresh (PostgreSQL `FOR NO KEY UPDATE` in id order;
        SQLite's writers are serialised already)."""
        ...

    async def municipality_of_code(self, code: str) -> UUID | None:
        """The municipality of the item carrying this label code (a scanned URL names no municipality)."""
        ...

    # --- holds
    def add_hold(self, hold: Hold) -> None: ...

    async def get_hold(self, ident: UUID, *, fresh: bool = False) -> Hold | None: ...

    async def open_holds_of_article(self, article_id: UUID) -> Sequence[Hold]: ...

    async def open_holds_of(self, borrower_id: UUID) -> Sequence[Hold]: ...

    async def ready_hold_of_item(self, item_id: UUID) -> Hold | None: ...

    async def has_waiting_holds(self, article_id: UUID) -> bool: ...

    async def lock_article_holds(self, article_id: UUID) -> None:
        """Serialise changes to the article's hold queue until the transaction ends: the first lock of the
        global order (articles, items, borrowers)."""
        ...

    # --- opening days of lending sites
    async def site_weekdays(self, site_id: UUID) -> frozenset[int] | None:
        """The weekdays the lending site opens (0 = Monday); None when not set (open every day)."""
        ...

    async def set_site_weekdays(self, municipality_id: UUID, site_id: UUID, weekdays: frozenset[int],
                                hours: tuple[time, time] | None = None) -> None:
        """The site's open weekdays, and its hours on them (None: not given)."""
        ...

    # --- reminders
    async def record_reminder(self, municipality_id: UUID, subject_id: UUID, kind: str, step: int, channel: str,
                              at: datetime) -> bool:
        """Note that this reminder goes out; False when it already went (each one is sent once, also when
        two runs record it at the same moment)."""
        ...
