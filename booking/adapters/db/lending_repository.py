"""The SQL repository of equipment lending (Fritidsbanken): catalogue, labels, borrowers, cards, intake."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from booking.adapters.db import lock_order
from booking.adapters.db import tables_circulation as tc
from booking.adapters.db import tables_lending as t
from booking.adapters.db.lock_order import Level
from booking.domain.lending.borrowers import Borrower, Card
from booking.domain.lending.intake import Donation, StockCount, StockScan
from booking.domain.lending.labels import Label, LabelPrint
from booking.domain.lending.model import Article, Category, Item, ItemEvent


class SqlLendingRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    @property
    def _postgres(self) -> bool:
        return self.session.bind.dialect.name == "postgresql"  # type: ignore[union-attr]

    async def flush(self) -> None:
        await self.session.flush()

    # --- catalogue ---------------------------------------------------------------------------

    async def get_category(self, ident: UUID) -> Category | None:
        return await self.session.get(Category, ident)

    def add_category(self, category: Category) -> None:
        self.session.add(category)

    async def delete_category(self, category: Category) -> None:
        await self.session.delete(category)

    async def category_in_use(self, category_id: UUID) -> bool:
        sub = sa.select(t.lending_categories.c.id).where(t.lending_categories.c.parent_id == category_id).limit(1)
        art = sa.select(t.lending_articles.c.id).where(t.lending_articles.c.category_id == category_id).limit(1)
        return (await self.session.scalar(sub)) is not None or (await self.session.scalar(art)) is not None

    async def get_article(self, ident: UUID) -> Article | None:
        return await self.session.get(Article, ident)

    def add_article(self, article: Article) -> None:
        self.session.add(article)

    async def article_in_use(self, article_id: UUID) -> bool:
        items = sa.select(t.lending_items.c.id).where(t.lending_items.c.article_id == article_id).limit(1)
        holds = sa.select(tc.lending_holds.c.id).where(tc.lending_holds.c.article_id == article_id).limit(1)
        return (await self.session.scalar(items)) is not None or (await self.session.scalar(holds)) is not None

    async def delete_article(self, article: Article) -> None:
        await self.session.delete(article)

    async def get_item(self, ident: UUID) -> Item | None:
        return await self.session.get(Item, ident)

    async def item_by_code(self, municipality_id: UUID, code: str) -> Item | None:
        query = sa.select(Item).where(t.lending_items.c.municipality_id == municipality_id,
                                      t.lending_items.c.label_code == code)
        return (await self.session.execute(query)).scalar_one_or_none()

    def add_item(self, item: Item) -> None:
        self.session.add(item)

    async def lock_item(self, item_id: UUID) -> None:
        await self.lock_items([item_id])

    async def lock_items(self, item_ids: Sequence[UUID]) -> None:
        new = lock_order.take(self.session, Level.ITEM, item_ids)
        if new and self._postgres:
            # In id order (the global lock order); a locked row may have changed since it was loaded
            # into this session, so it is read again.
            i = t.lending_items
            await self.session.execute(sa.select(Item).where(i.c.id.in_(new)).order_by(i.c.id)
                                       .with_for_update(key_share=True).execution_options(populate_existing=True))

    def add_item_event(self, event: ItemEvent) -> None:
        self.session.add(event)

    async def item_events(self, item_id: UUID, limit: int = 200) -> Sequence[ItemEvent]:
        e = t.lending_item_events
        query = sa.select(ItemEvent).where(e.c.item_id == item_id).order_by(e.c.at.desc(), e.c.id.desc()).limit(limit)
        return (await self.session.execute(query)).scalars().all()

    async def items_at_site(self, site_id: UUID) -> Sequence[Item]:
        query = sa.select(Item).where(t.lending_items.c.site_id == site_id)
        return (await self.session.execute(query)).scalars().all()

    # --- labels ------------------------------------------------------------------------------

    async def label(self, code: str) -> Label | None:
        query = sa.select(Label).where(t.lending_labels.c.code == code)
        return (await self.session.execute(query)).scalar_one_or_none()

    def add_label(self, label: Label) -> None:
        self.session.add(label)

    async def existing_codes(self, codes: Sequence[str]) -> set[str]:
        found: set[str] = set()
        for start in range(0, len(codes), 500):
            chunk = list(codes[start:start + 500])
            query = sa.select(t.lending_labels.c.code).where(t.lending_labels.c.code.in_(chunk))
            rows = await self.session.scalars(query)
            found.update(rows)
        return found

    async def labels(self, municipality_id: UUID, codes: Sequence[str]) -> Sequence[Label]:
        result: list[Label] = []
        for start in range(0, len(codes), 500):
            chunk = list(codes[start:start + 500])
            query = sa.select(Label).where(t.lending_labels.c.municipality_id == municipality_id,
                                           t.lending_labels.c.code.in_(chunk))
            result.extend((await self.session.execute(query)).scalars().all())
        return result

    async def label_sites(self, municipality_id: UUID, codes: Sequence[str]) -> dict[str, UUID | None]:
        lab, i = t.lending_labels, t.lending_items
        found: dict[str, UUID | None] = {}
        for start in range(0, len(codes), 500):
            rows = await self.session.execute(
                sa.select(lab.c.code, i.c.site_id).outerjoin(i, i.c.id == lab.c.item_id)
                .where(lab.c.municipality_id == municipality_id, lab.c.code.in_(list(codes[start:start + 500]))))
            found.update({code: site for code, site in rows})
        return found

    def add_label_print(self, entry: LabelPrint) -> None:
        self.session.add(entry)

    # --- borrowers and cards -------------------------------------------------------------------

    async def get_borrower(self, ident: UUID) -> Borrower | None:
        return await self.session.get(Borrower, ident)

    async def lock_borrower(self, ident: UUID) -> Borrower | None:
        new = lock_order.take(self.session, Level.BORROWER, [ident])
        if new and self._postgres:
            query = sa.select(Borrower).where(t.borrowers.c.id == ident).with_for_update(key_share=True)
            await self.session.execute(query.execution_options(populate_existing=True))
        return await self.session.get(Borrower, ident)

    async def borrower_by_account(self, account_id: UUID) -> Borrower | None:
        query = sa.select(Borrower).where(t.borrowers.c.account_id == account_id)
        return (await self.session.execute(query)).scalar_one_or_none()

    def add_borrower(self, borrower: Borrower) -> None:
        self.session.add(borrower)

    async def borrower_by_card(self, municipality_id: UUID, number: str) -> tuple[Borrower, Card] | None:
        query = sa.select(Card).where(t.lending_cards.c.number == number, t.lending_cards.c.active,
                                      t.lending_cards.c.municipality_id == municipality_id)
        card = (await self.session.execute(query)).scalar_one_or_none()
        if card is None:
            return None
        borrower = await self.session.get(Borrower, card.borrower_id)
        if borrower is None or borrower.anonymised_at is not None:
            return None
        return borrower, card

    async def active_card(self, borrower_id: UUID) -> Card | None:
        query = sa.select(Card).where(t.lending_cards.c.borrower_id == borrower_id, t.lending_cards.c.active)
        # fresh: after the borrower's lock, a card blocked meanwhile must not look active
        return (await self.session.execute(query.execution_options(populate_existing=True))).scalar_one_or_none()

    async def cards_of(self, borrower_id: UUID) -> Sequence[Card]:
        query = sa.select(Card).where(t.lending_cards.c.borrower_id == borrower_id).order_by(
            t.lending_cards.c.issued_at.desc())
        return (await self.session.execute(query)).scalars().all()

    async def card_number_taken(self, number: str) -> bool:
        query = sa.select(t.lending_cards.c.id).where(t.lending_cards.c.number == number)
        return (await self.session.scalar(query)) is not None

    def add_card(self, card: Card) -> None:
        self.session.add(card)

    async def inactive_borrowers(self, municipality_id: UUID | None, before: datetime,
                                 limit: int) -> Sequence[Borrower]:
        b = t.borrowers
        last = sa.func.coalesce(b.c.last_active_at, b.c.created_at)
        query = sa.select(Borrower).where(b.c.anonymised_at.is_(None), last < before).order_by(b.c.id).limit(limit)
        loans = tc.lending_loans  # an open loan, or one lent or returned since, is activity
        recent = sa.select(loans.c.id).where(loans.c.borrower_id == b.c.id, sa.or_(
            loans.c.returned_at.is_(None), loans.c.returned_at >= before, loans.c.lent_at >= before))
        query = query.where(~recent.exists())
        if municipality_id is not None:
            query = query.where(b.c.municipality_id == municipality_id)
        if self._postgres:  # borrowers a desk holds right now are left for the next run
            query = query.with_for_update(key_share=True, skip_locked=True, of=b)
        found = (await self.session.execute(query)).scalars().all()
        lock_order.take(self.session, Level.BORROWER, [x.id for x in found])
        return found

    async def wards_of(self, guardian_id: UUID) -> Sequence[Borrower]:
        query = sa.select(Borrower).where(t.borrowers.c.guardian_id == guardian_id)
        return (await self.session.execute(query)).scalars().all()

    # --- intake and stock count ------------------------------------------------------------------

    def add_donation(self, donation: Donation) -> None:
        self.session.add(donation)

    async def get_donation(self, ident: UUID) -> Donation | None:
        return await self.session.get(Donation, ident)

    def add_stock_count(self, count: StockCount) -> None:
        self.session.add(count)

    async def get_stock_count(self, ident: UUID) -> StockCount | None:
        return await self.session.get(StockCount, ident)

    async def add_stock_scan(self, scan: StockScan) -> bool:
        try:
            async with self.session.begin_nested():
                self.session.add(scan)
                await self.session.flush()
        except IntegrityError:
            return False
        return True

    async def stock_scans(self, count_id: UUID) -> Sequence[StockScan]:
        query = sa.select(StockScan).where(t.lending_stock_scans.c.count_id == count_id)
        return (await self.session.execute(query)).scalars().all()
