"""The SQL repository of lending circulation (loans, returns, renewals, holds)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from booking.adapters.db import lock_order
from booking.adapters.db import tables_circulation as t
from booking.adapters.db import tables_lending as tl
from booking.adapters.db.lock_order import Level
from booking.adapters.db.types import utcnow
from booking.domain.lending.circulation import OPEN_HOLD, Hold, HoldStatus, Loan
from booking.domain.lending.model import Article, Item
from booking.domain.shared.ids import new_id

_OPEN_HOLD_VALUES = [s.value for s in OPEN_HOLD]


def active_at(borrower_id: sa.ColumnElement[UUID], sites: frozenset[UUID]) -> sa.ColumnElement[bool]:
    """Whether the borrower is active at one of `sites`: a loan lent or returned there, or an open hold to
    be picked up there (the rule by which staff narrowed to sites see and change a borrower)."""
    loans, holds, where = t.lending_loans, t.lending_holds, list(sites)
    loan = sa.select(loans.c.id).where(loans.c.borrower_id == borrower_id, sa.or_(
        loans.c.site_id.in_(where), loans.c.returned_site_id.in_(where)))
    hold = sa.select(holds.c.id).where(holds.c.borrower_id == borrower_id, holds.c.site_id.in_(where),
                                       holds.c.status.in_(_OPEN_HOLD_VALUES))
    return sa.or_(loan.exists(), hold.exists())


def weekdays_of(text: str) -> frozenset[int]:
    """A lending site's weekdays as stored ("0134", 0 = Monday) as numbers."""
    return frozenset(int(c) for c in text)


class SqlCirculationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    @property
    def _postgres(self) -> bool:
        return self.session.bind.dialect.name == "postgresql"  # type: ignore[union-attr]

    def _insert(self, table: sa.Table) -> Any:
        return (pg_insert if self._postgres else sqlite_insert)(table)

    # --- loans
    def add_loan(self, loan: Loan) -> None:
        self.session.add(loan)

    async def get_loan(self, ident: UUID, *, fresh: bool = False) -> Loan | None:
        return await self.session.get(Loan, ident, populate_existing=fresh)

    async def open_loan_of_item(self, item_id: UUID) -> Loan | None:
        return (await self.session.execute(sa.select(Loan).where(
            t.lending_loans.c.item_id == item_id, t.lending_loans.c.returned_at.is_(None)))).scalar_one_or_none()

    async def open_loans_of(self, borrower_id: UUID) -> Sequence[Loan]:
        return (await self.session.execute(sa.select(Loan).where(
            t.lending_loans.c.borrower_id == borrower_id, t.lending_loans.c.returned_at.is_(None))
            .order_by(t.lending_loans.c.due_on, t.lending_loans.c.lent_at))).scalars().all()

    async def count_open_loans(self, borrower_id: UUID) -> int:
        return int((await self.session.execute(sa.select(sa.func.count()).select_from(t.lending_loans).where(
            t.lending_loans.c.borrower_id == borrower_id, t.lending_loans.c.returned_at.is_(None)))).scalar_one())

    async def borrower_active_at(self, borrower_id: UUID, sites: frozenset[UUID]) -> bool:
        if not sites:
            return False
        return bool(await self.session.scalar(sa.select(active_at(sa.literal(borrower_id, sa.Uuid()), sites))))

    async def items_and_articles(self, municipality_id: UUID, codes: Sequence[str]
                                 ) -> tuple[dict[str, Item], dict[UUID, Article]]:
        query = sa.select(Item).where(tl.lending_items.c.municipality_id == municipality_id,
                                      tl.lending_items.c.label_code.in_(list(codes)))
        if self._postgres:
            # Locked as read, in id order (the global lock order: lock_order.py), fresh even if loaded before.
            query = query.order_by(tl.lending_items.c.id).with_for_update(key_share=True) \
                .execution_options(populate_existing=True)
        items = (await self.session.execute(query)).scalars().all()
        lock_order.take(self.session, Level.ITEM, [i.id for i in items])
        wanted = {i.article_id for i in items}
        articles = (await self.session.execute(sa.select(Article).where(tl.lending_articles.c.id.in_(wanted)))
                    ).scalars().all() if wanted else []
        return {i.label_code or "": i for i in items}, {a.id: a for a in articles}

    async def municipality_of_code(self, code: str) -> UUID | None:
        found = (await self.session.execute(sa.select(tl.lending_items.c.municipality_id)
                                            .where(tl.lending_items.c.label_code == code).limit(1))).first()
        return None if found is None else found[0]

    # --- holds
    def add_hold(self, hold: Hold) -> None:
        self.session.add(hold)

    async def get_hold(self, ident: UUID, *, fresh: bool = False) -> Hold | None:
        return await self.session.get(Hold, ident, populate_existing=fresh)

    async def open_holds_of_article(self, article_id: UUID) -> Sequence[Hold]:
        h = t.lending_holds
        return (await self.session.execute(sa.select(Hold).where(
            h.c.article_id == article_id, h.c.status.in_(_OPEN_HOLD_VALUES)).order_by(h.c.placed_at))).scalars().all()

    async def open_holds_of(self, borrower_id: UUID) -> Sequence[Hold]:
        h = t.lending_holds
        return (await self.session.execute(sa.select(Hold).where(
            h.c.borrower_id == borrower_id, h.c.status.in_(_OPEN_HOLD_VALUES)).order_by(h.c.placed_at))).scalars().all()

    async def ready_hold_of_item(self, item_id: UUID) -> Hold | None:
        h = t.lending_holds
        return (await self.session.execute(sa.select(Hold).where(
            h.c.item_id == item_id, h.c.status == HoldStatus.READY.value))).scalar_one_or_none()

    async def has_waiting_holds(self, article_id: UUID) -> bool:
        h = t.lending_holds
        found = (await self.session.execute(sa.select(h.c.id).where(
            h.c.article_id == article_id, h.c.status == HoldStatus.WAITING.value).limit(1))).first()
        return found is not None

    async def lock_article_holds(self, article_id: UUID) -> None:
        if lock_order.take(self.session, Level.ARTICLE, [article_id]) and self._postgres:
            await self.session.execute(sa.select(tl.lending_articles.c.id)
                                       .where(tl.lending_articles.c.id == article_id).with_for_update(key_share=True))

    # --- opening days of lending sites
    async def site_weekdays(self, site_id: UUID) -> frozenset[int] | None:
        value = (await self.session.execute(sa.select(t.lending_site_hours.c.weekdays).where(
            t.lending_site_hours.c.site_id == site_id))).scalar_one_or_none()
        return None if value is None else weekdays_of(value)

    async def set_site_weekdays(self, municipality_id: UUID, site_id: UUID, weekdays: frozenset[int],
                                hours: tuple[time, time] | None = None) -> None:
        sh = t.lending_site_hours
        now = utcnow()
        text = "".join(str(d) for d in sorted(weekdays))
        opens, closes = hours if hours is not None else (None, None)
        # one statement: two desks saving a new site's days at once update, never collide on the key
        await self.session.execute(self._insert(sh).values(
            site_id=site_id, municipality_id=municipality_id, weekdays=text, opens=opens, closes=closes,
            created_at=now, updated_at=now)
            .on_conflict_do_update(index_elements=[sh.c.site_id], set_={
                "weekdays": text, "opens": opens, "closes": closes, "updated_at": now}))

    # --- reminders
    async def record_reminder(self, municipality_id: UUID, subject_id: UUID, kind: str, step: int, channel: str,
                              at: datetime) -> bool:
        r = t.lending_reminders
        # a second writer of the same reminder (two job runs) waits for the first, then inserts nothing
        done = await self.session.execute(self._insert(r).values(
            id=new_id(), municipality_id=municipality_id, subject_id=subject_id, kind=kind, step=step,
            channel=channel, sent_at=at, created_at=at, updated_at=at)
            .on_conflict_do_nothing(index_elements=[r.c.subject_id, r.c.kind, r.c.step]))
        return bool(done.rowcount)  # type: ignore[attr-defined]
