"""Read models of circulation: loans and holds with their item, article and borrower, for the desk and the
borrower's own pages. One query per list (joins, no lazy loading)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any
from uuid import UUID

import sqlalchemy as sa

from booking.adapters.db import tables_circulation as tc
from booking.adapters.db import tables_lending as tl
from booking.adapters.db.circulation_repository import weekdays_of
from booking.adapters.db.database import Database
from booking.domain.lending.circulation import OPEN_HOLD, HoldStatus


@dataclass(frozen=True, slots=True)
class LoanRow:
    id: UUID
    item_id: UUID
    label_code: str | None
    article_id: UUID
    article: str
    variant: str | None
    site_id: UUID
    lent_at: datetime
    due_on: date
    renewals: int
    self_service: bool
    returned_at: datetime | None
    returned_site_id: UUID | None
    return_reported_at: datetime | None
    borrower_id: UUID | None
    borrower_name: str | None


@dataclass(frozen=True, slots=True)
class HoldRow:
    id: UUID
    article_id: UUID
    article: str
    variant: str | None
    site_id: UUID
    status: HoldStatus
    placed_at: datetime
    position: int | None
    item_id: UUID | None
    label_code: str | None
    expires_on: date | None
    borrower_id: UUID
    borrower_name: str


_l, _i, _a, _b, _h = tc.lending_loans, tl.lending_items, tl.lending_articles, tl.borrowers, tc.lending_holds


def _loan_select() -> sa.Select[Any]:
    return (sa.select(_l.c.id, _l.c.item_id, _i.c.label_code, _l.c.article_id, _a.c.name.label("article"),
                      _a.c.variant, _l.c.site_id, _l.c.lent_at, _l.c.due_on, _l.c.renewals, _l.c.self_service,
                      _l.c.returned_at, _l.c.returned_site_id, _l.c.return_reported_at, _l.c.borrower_id,
                      _b.c.name.label("borrower_name"))
            .select_from(_l.join(_i, _i.c.id == _l.c.item_id).join(_a, _a.c.id == _l.c.article_id)
                         .outerjoin(_b, _b.c.id == _l.c.borrower_id)))


class CirculationQueries:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def loans(self, municipality_id: UUID, *, borrower_id: UUID | None = None, site_id: UUID | None = None,
                    overdue_on: date | None = None, reported: bool | None = None, open_only: bool = True,
                    limit: int = 50, offset: int = 0, sites: frozenset[UUID] | None = None
                    ) -> tuple[list[LoanRow], int]:
        """`sites`: only loans lent at these sites (a staff grant narrowed to sites); None: all."""
        where = [_l.c.municipality_id == municipality_id]
        if sites is not None:
            where.append(_l.c.site_id.in_(list(sites)))
        if open_only:
            where.append(_l.c.returned_at.is_(None))
        if borrower_id is not None:
            where.append(_l.c.borrower_id == borrower_id)
        if site_id is not None:
            where.append(_l.c.site_id == site_id)
        if overdue_on is not None:
            where.append(_l.c.due_on < overdue_on)
        if reported is not None:
            where.append(_l.c.return_reported_at.is_not(None) if reported else _l.c.return_reported_at.is_(None))
        async with self.db.read_sessions() as session:
            total = (await session.execute(sa.select(sa.func.count()).select_from(_l).where(*where))).scalar_one()
            rows = (await session.execute(_loan_select().where(*where)
                                          .order_by(_l.c.due_on, _l.c.lent_at, _l.c.id).limit(limit).offset(offset)
                                          )).all()
        return [LoanRow(**r._mapping) for r in rows], int(total)

    async def loans_by_id(self, ids: list[UUID]) -> list[LoanRow]:
        if not ids:
            return []
        async with self.db.read_sessions() as session:
            rows = (await session.execute(_loan_select().where(_l.c.id.in_(ids)))).all()
        found = {r.id: LoanRow(**r._mapping) for r in rows}
        return [found[i] for i in ids if i in found]

    async def holds(self, municipality_id: UUID, *, borrower_id: UUID | None = None, site_id: UUID | None = None,
                    status: HoldStatus | None = None, limit: int = 200,
                    sites: frozenset[UUID] | None = None) -> list[HoldRow]:
        """`sites`: only holds picked up at these sites; None: all."""
        where = [_h.c.municipality_id == municipality_id]
        if sites is not None:
            where.append(_h.c.site_id.in_(list(sites)))
        where.append(_h.c.status == status.value if status else _h.c.status.in_([s.value for s in OPEN_HOLD]))
        if borrower_id is not None:
            where.append(_h.c.borrower_id == borrower_id)
        if site_id is not None:
            where.append(_h.c.site_id == site_id)
        earlier = _h.alias("earlier")
        position = (sa.select(sa.func.count()).where(
            earlier.c.article_id == _h.c.article_id, earlier.c.site_id == _h.c.site_id,
            earlier.c.status == HoldStatus.WAITING.value,
            sa.or_(earlier.c.placed_at < _h.c.placed_at,
                   sa.and_(earlier.c.placed_at == _h.c.placed_at, earlier.c.id <= _h.c.id)))
            .scalar_subquery())
        query = (sa.select(_h.c.id, _h.c.article_id, _a.c.name.label("article"), _a.c.variant, _h.c.site_id,
                           _h.c.status, _h.c.placed_at, position.label("position"), _h.c.item_id, _i.c.label_code,
                           _h.c.expires_on, _h.c.borrower_id, _b.c.name.label("borrower_name"))
                 .select_from(_h.join(_a, _a.c.id == _h.c.article_id).join(_b, _b.c.id == _h.c.borrower_id)
                              .outerjoin(_i, _i.c.id == _h.c.item_id))
                 .where(*where).order_by(_h.c.status, _h.c.expires_on, _h.c.placed_at).limit(limit))
        async with self.db.read_sessions() as session:
            rows = (await session.execute(query)).all()
        return [HoldRow(**{**r._mapping, "status": HoldStatus(r.status),
                           "position": r.position if r.status == HoldStatus.WAITING.value else None})
                for r in rows]

    async def site_opening(self, site_id: UUID) -> tuple[frozenset[int], time | None, time | None] | None:
        """The site's open weekdays and its hours on them; None when nothing is set (open every day)."""
        sh = tc.lending_site_hours
        async with self.db.read_sessions() as session:
            row = (await session.execute(sa.select(sh.c.weekdays, sh.c.opens, sh.c.closes).where(
                sh.c.site_id == site_id))).one_or_none()
        return None if row is None else (weekdays_of(row.weekdays), row.opens, row.closes)

    async def card_municipality(self, number: str) -> UUID | None:
        """The municipality of an active card (card numbers are unique across municipalities)."""
        c = tl.lending_cards
        async with self.db.read_sessions() as session:
            return (await session.execute(sa.select(c.c.municipality_id).where(c.c.number == number, c.c.active)
                                          )).scalar_one_or_none()
