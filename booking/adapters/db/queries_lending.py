"""Read models of the lending catalogue: the public catalogue, item pages, staff lists, statistics.

Public answers never carry personal data: availability is counted, never who has an item."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

import sqlalchemy as sa

from booking.adapters.db import tables as t
from booking.adapters.db import tables_circulation as tc
from booking.adapters.db import tables_lending as tl
from booking.adapters.db.circulation_repository import active_at, weekdays_of
from booking.adapters.db.database import Database
from booking.adapters.db.types import escape_like
from booking.domain.lending.model import ItemStatus
from booking.domain.lending.statistics import LoanRow

SHOWN = [s.value for s in ItemStatus if s not in (ItemStatus.RETIRED, ItemStatus.LOST)]


@dataclass(frozen=True)
class Page:
    items: list[dict[str, Any]]
    total: int
    limit: int
    offset: int


def _within(column: Any, sites: frozenset[UUID] | None) -> list[Any]:
    """The condition of a list narrowed to `sites` (a staff grant narrowed to sites); none for None."""
    return [] if sites is None else [column.in_(list(sites))]


def _like(q: str) -> str:
    return "%" + escape_like(q).lower() + "%"


class LendingQueries:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def _page(self, query: sa.Select[Any], order: Sequence[Any], limit: int, offset: int) -> Page:
        async with self.db.read_sessions() as s:
            total = (await s.execute(sa.select(sa.func.count()).select_from(query.order_by(None).subquery())))
            rows = (await s.execute(query.order_by(*order).limit(limit).offset(offset))).mappings().all()
            return Page([dict(r) for r in rows], int(total.scalar_one()), limit, offset)

    async def categories(self, municipality_id: UUID) -> list[dict[str, Any]]:
        c = tl.lending_categories
        async with self.db.read_sessions() as s:
            rows = await s.execute(sa.select(c.c.id, c.c.name, c.c.parent_id).where(
                c.c.municipality_id == municipality_id).order_by(c.c.name, c.c.id))
            return [dict(r) for r in rows.mappings()]

    async def site_municipality(self, site_id: UUID) -> UUID | None:
        async with self.db.read_sessions() as s:
            return await s.scalar(sa.select(t.sites.c.municipality_id).where(t.sites.c.id == site_id))

    async def catalogue(self, municipality_id: UUID, *, site_id: UUID | None, category_id: UUID | None,
                        q: str | None, variant: str | None, available_only: bool, limit: int, offset: int) -> Page:
        """Articles with how many items are available and how many exist (at the site, or everywhere)."""
        a, c, i = tl.lending_articles, tl.lending_categories, tl.lending_items
        # one pass over the items: per article, how many are shown (not retired/lost) and how many available
        counts = sa.select(i.c.article_id, sa.func.count().label("total"),
                           sa.func.sum(sa.case((i.c.status == ItemStatus.AVAILABLE.value, 1), else_=0))
                           .label("available")).where(i.c.municipality_id == municipality_id, i.c.status.in_(SHOWN))
        if site_id is not None:
            counts = counts.where(i.c.site_id == site_id)
        stock = counts.group_by(i.c.article_id).subquery()
        query = (sa.select(a.c.id, a.c.name, a.c.description, a.c.variant, a.c.min_age, a.c.max_age,
                           a.c.loan_period_days, a.c.self_service, a.c.needs_guardian_consent, a.c.photo_url,
                           a.c.category_id, c.c.name.label("category_name"), c.c.parent_id.label("category_parent_id"),
                           stock.c.available, stock.c.total)
                 .join(stock, stock.c.article_id == a.c.id).join(c, c.c.id == a.c.category_id)
                 .where(a.c.municipality_id == municipality_id))
        available = stock.c.available
        if category_id is not None:
            query = query.where(sa.or_(a.c.category_id == category_id, c.c.parent_id == category_id))
        if q:
            query = query.where(sa.or_(sa.func.lower(a.c.name).like(_like(q), escape="\\"),
                                       sa.func.lower(c.c.name).like(_like(q), escape="\\")))
        if variant:
            query = query.where(sa.func.lower(a.c.variant) == variant.strip().lower())
        if available_only:
            query = query.where(available > 0)
        # the total rides along as a window count: one pass over the items instead of two
        paged = query.add_columns(sa.func.count().over().label("full_count")).order_by(
            a.c.name, a.c.variant, a.c.id).limit(limit).offset(offset)
        async with self.db.read_sessions() as s:
            rows = [dict(r) for r in (await s.execute(paged)).mappings()]
            if rows:
                total = int(rows[0]["full_count"])
            else:  # past the end: count on its own
                total = int((await s.execute(sa.select(sa.func.count()).select_from(query.subquery()))).scalar_one())
        return Page([{k: v for k, v in r.items() if k != "full_count"} for r in rows], total, limit, offset)

    async def articles(self, municipality_id: UUID) -> list[dict[str, Any]]:
        a = tl.lending_articles
        async with self.db.read_sessions() as s:
            rows = await s.execute(sa.select(a).where(a.c.municipality_id == municipality_id)
                                   .order_by(a.c.name, a.c.variant, a.c.id))
            return [dict(r) for r in rows.mappings()]

    async def sites(self, municipality_id: UUID, sites: frozenset[UUID] | None) -> list[dict[str, Any]]:
        """Every site (or those of a grant narrowed to sites) with its lending opening days (`weekdays`, a set of
        numbers, 0 = Monday; None: not set), its hours on them, and how many items it keeps (not retired or lost)."""
        i, sh = tl.lending_items, tc.lending_site_hours
        stock = (sa.select(sa.func.count()).select_from(i)
                 .where(i.c.site_id == t.sites.c.id, i.c.status.in_(SHOWN)).scalar_subquery())
        query = (sa.select(t.sites.c.id, t.sites.c.name, sh.c.weekdays, sh.c.opens, sh.c.closes, stock.label("items"))
                 .outerjoin(sh, sh.c.site_id == t.sites.c.id)
                 .where(t.sites.c.municipality_id == municipality_id, *_within(t.sites.c.id, sites))
                 .order_by(t.sites.c.name, t.sites.c.id))
        async with self.db.read_sessions() as s:
            rows = (await s.execute(query)).mappings()
            return [{**r, "weekdays": None if r["weekdays"] is None else weekdays_of(r["weekdays"])} for r in rows]

    async def variants(self, municipality_id: UUID, site_id: UUID | None, category_id: UUID | None) -> list[str]:
        a, c, i = tl.lending_articles, tl.lending_categories, tl.lending_items
        query = (sa.select(a.c.variant).distinct().join(c, c.c.id == a.c.category_id).join(i, i.c.article_id == a.c.id)
                 .where(a.c.municipality_id == municipality_id, a.c.variant.is_not(None), i.c.status.in_(SHOWN)))
        if site_id is not None:
            query = query.where(i.c.site_id == site_id)
        if category_id is not None:
            query = query.where(sa.or_(a.c.category_id == category_id, c.c.parent_id == category_id))
        async with self.db.read_sessions() as s:
            return sorted((await s.scalars(query)).all(), key=lambda v: (len(v), v))  # type: ignore[arg-type]

    async def public_item(self, code: str) -> dict[str, Any] | None:
        """What a scanned label shows anyone: the article, its site and Tillgänglig/Utlånad."""
        i, a, c, st = tl.lending_items, tl.lending_articles, tl.lending_categories, t.sites
        query = (sa.select(i.c.id.label("item_id"), i.c.label_code.label("code"), i.c.status, i.c.municipality_id,
                           a.c.id.label("article_id"), a.c.name, a.c.description, a.c.variant, a.c.min_age,
                           a.c.max_age, a.c.loan_period_days, a.c.self_service, a.c.needs_guardian_consent,
                           a.c.photo_url, c.c.name.label("category_name"), st.c.id.label("site_id"),
                           st.c.name.label("site_name"))
                 .join(a, a.c.id == i.c.article_id).join(c, c.c.id == a.c.category_id).join(st, st.c.id == i.c.site_id)
                 .where(i.c.label_code == code))
        async with self.db.read_sessions() as s:
            row = (await s.execute(query)).mappings().first()
            return dict(row) if row else None

    async def label_state(self, code: str) -> tuple[UUID, UUID | None] | None:
        """(municipality, linked item or None) of a label code, or None when no such label exists."""
        lab = tl.lending_labels
        async with self.db.read_sessions() as s:
            row = (await s.execute(sa.select(lab.c.municipality_id, lab.c.item_id).where(lab.c.code == code))).first()
            return (row[0], row[1]) if row else None

    async def items(self, municipality_id: UUID, *, site_id: UUID | None, status: str | None,
                    article_id: UUID | None, q: str | None, limit: int, offset: int,
                    labelled: bool | None = None, sites: frozenset[UUID] | None = None) -> Page:
        i, a, st = tl.lending_items, tl.lending_articles, t.sites
        query = (sa.select(i.c.id, i.c.label_code, i.c.status, i.c.condition_note, i.c.site_id,
                           st.c.name.label("site_name"), i.c.article_id, a.c.name.label("article_name"),
                           a.c.variant, i.c.created_at, i.c.updated_at, i.c.last_counted_at)
                 .join(a, a.c.id == i.c.article_id).join(st, st.c.id == i.c.site_id)
                 .where(i.c.municipality_id == municipality_id, *_within(i.c.site_id, sites)))
        if site_id is not None:
            query = query.where(i.c.site_id == site_id)
        if status is not None:
            query = query.where(i.c.status == status)
        if article_id is not None:
            query = query.where(i.c.article_id == article_id)
        if labelled is not None:
            query = query.where(i.c.label_code.is_not(None) if labelled else i.c.label_code.is_(None))
        if q:
            query = query.where(sa.or_(sa.func.lower(a.c.name).like(_like(q), escape="\\"),
                                       i.c.label_code == q.strip().upper()))
        return await self._page(query, [a.c.name, a.c.variant, i.c.id], limit, offset)

    async def item(self, municipality_id: UUID, item_id: UUID) -> dict[str, Any] | None:
        i, a, st = tl.lending_items, tl.lending_articles, t.sites
        query = (sa.select(i.c.id, i.c.label_code, i.c.status, i.c.condition_note, i.c.site_id,
                           st.c.name.label("site_name"), i.c.article_id, a.c.name.label("article_name"),
                           a.c.variant, i.c.created_at, i.c.updated_at, i.c.last_counted_at)
                 .join(a, a.c.id == i.c.article_id).join(st, st.c.id == i.c.site_id)
                 .where(i.c.municipality_id == municipality_id, i.c.id == item_id))
        e = tl.lending_item_events
        async with self.db.read_sessions() as s:
            row = (await s.execute(query)).mappings().first()
            if row is None:
                return None
            events = await s.execute(sa.select(e.c.kind, e.c.from_status, e.c.to_status, e.c.at, e.c.actor_id,
                                               e.c.site_id, e.c.note).where(e.c.item_id == item_id)
                                     .order_by(e.c.at.desc(), e.c.id.desc()).limit(200))
            return {**dict(row), "history": [dict(r) for r in events.mappings()]}

    async def label_contents(self, municipality_id: UUID, codes: Sequence[str]) -> dict[str, tuple[str, str]]:
        """code -> (article title, site name) of the linked labels among `codes`."""
        i, a, st = tl.lending_items, tl.lending_articles, t.sites
        found: dict[str, tuple[str, str]] = {}
        async with self.db.read_sessions() as s:
            for start in range(0, len(codes), 500):
                rows = await s.execute(
                    sa.select(i.c.label_code, a.c.name, a.c.variant, st.c.name.label("site"))
                    .join(a, a.c.id == i.c.article_id).join(st, st.c.id == i.c.site_id)
                    .where(i.c.municipality_id == municipality_id, i.c.label_code.in_(list(codes[start:start + 500]))))
                for r in rows:
                    found[r.label_code] = (f"{r.name} {r.variant}" if r.variant else r.name, r.site)
        return found

    async def labels(self, municipality_id: UUID, *, linked: bool | None, printed: bool | None, limit: int,
                     offset: int, sites: frozenset[UUID] | None = None) -> Page:
        """`sites`: only labels on items at these sites (labels not yet on an item are at no site)."""
        lab, i = tl.lending_labels, tl.lending_items
        query = sa.select(lab.c.code, lab.c.item_id, lab.c.printed_at, lab.c.linked_at, lab.c.created_at).where(
            lab.c.municipality_id == municipality_id)
        if sites is not None:
            query = query.join(i, i.c.id == lab.c.item_id).where(i.c.site_id.in_(list(sites)))
        if linked is not None:
            query = query.where(lab.c.item_id.is_not(None) if linked else lab.c.item_id.is_(None))
        if printed is not None:
            query = query.where(lab.c.printed_at.is_not(None) if printed else lab.c.printed_at.is_(None))
        return await self._page(query, [lab.c.created_at.desc(), lab.c.code], limit, offset)

    async def label_prints(self, municipality_id: UUID, limit: int, offset: int,
                           printed_by: UUID | None = None) -> Page:
        p = tl.lending_label_prints
        query = sa.select(p.c.id, p.c.template, p.c.codes, p.c.printed_at, p.c.printed_by,
                          t.accounts.c.display_name.label("printed_by_name")).outerjoin(
            t.accounts, t.accounts.c.id == p.c.printed_by).where(p.c.municipality_id == municipality_id)
        if printed_by is not None:
            query = query.where(p.c.printed_by == printed_by)
        return await self._page(query, [p.c.printed_at.desc(), p.c.id], limit, offset)

    async def borrowers(self, municipality_id: UUID, q: str | None, limit: int, offset: int,
                        contact_sites: frozenset[UUID] | None = None) -> Page:
        """Borrowers by name, mobile number or card number. `contact_sites` (a staff grant narrowed to
        sites): each row's `contact_visible` says whether the borrower is active at one of them (a loan
        lent or returned there, an open hold there), and a mobile number finds only those borrowers."""
        b, card = tl.borrowers, tl.lending_cards
        visible: sa.ColumnElement[bool] = sa.true() if contact_sites is None else \
            active_at(b.c.id, contact_sites) if contact_sites else sa.false()
        query = (sa.select(b.c.id, b.c.name, b.c.mobile, b.c.email, b.c.birth_year, b.c.gender, b.c.area_id,
                           b.c.guardian_id, b.c.blocked_reason, b.c.anonymised_at, b.c.last_active_at,
                           b.c.registered_via, b.c.created_at, card.c.number.label("card_number"),
                           visible.label("contact_visible"))
                 .outerjoin(card, sa.and_(card.c.borrower_id == b.c.id, card.c.active))
                 .where(b.c.municipality_id == municipality_id, b.c.anonymised_at.is_(None)))
        if q:
            digits = "".join(ch for ch in q if ch.isdigit())
            conditions: list[sa.ColumnElement[bool]] = [sa.func.lower(b.c.name).like(_like(q), escape="\\")]
            if len(digits) >= 4:
                conditions.append(sa.and_(b.c.mobile.like("%" + digits[-9:] + "%"), visible))
                conditions.append(card.c.number == digits)
            query = query.where(sa.or_(*conditions))
        return await self._page(query, [b.c.name, b.c.id], limit, offset)

    async def donations(self, municipality_id: UUID, limit: int, offset: int,
                        sites: frozenset[UUID] | None = None) -> Page:
        d = tl.lending_donations
        query = sa.select(d.c.id, d.c.site_id, t.sites.c.name.label("site_name"), d.c.received_at, d.c.note,
                          d.c.item_count).join(t.sites, t.sites.c.id == d.c.site_id).where(
            d.c.municipality_id == municipality_id, *_within(d.c.site_id, sites))
        return await self._page(query, [d.c.received_at.desc(), d.c.id], limit, offset)

    async def donation_codes(self, municipality_id: UUID, donation_id: UUID) -> list[str] | None:
        d, i = tl.lending_donations, tl.lending_items
        async with self.db.read_sessions() as s:
            found = await s.scalar(sa.select(d.c.id).where(d.c.id == donation_id,
                                                           d.c.municipality_id == municipality_id))
            if found is None:
                return None
            rows = await s.scalars(sa.select(i.c.label_code).where(i.c.donation_id == donation_id,
                                                                   i.c.label_code.is_not(None))
                                   .order_by(i.c.created_at, i.c.id))
            return [r for r in rows if r]

    # --- statistics --------------------------------------------------------------------------

    async def items_per_status(self, municipality_id: UUID, site_id: UUID | None,
                               sites: frozenset[UUID] | None = None) -> list[dict[str, Any]]:
        i = tl.lending_items
        query = sa.select(i.c.site_id, i.c.status, sa.func.count().label("items")).where(
            i.c.municipality_id == municipality_id, *_within(i.c.site_id, sites)).group_by(i.c.site_id, i.c.status)
        if site_id is not None:
            query = query.where(i.c.site_id == site_id)
        async with self.db.read_sessions() as s:
            return [dict(r) for r in (await s.execute(query.order_by(i.c.site_id, i.c.status))).mappings()]

    async def donation_stats(self, municipality_id: UUID, since: datetime, until: datetime) -> list[dict[str, Any]]:
        d = tl.lending_donations
        async with self.db.read_sessions() as s:
            rows = await s.execute(sa.select(d.c.site_id, d.c.received_at, d.c.item_count).where(
                d.c.municipality_id == municipality_id, d.c.received_at >= since, d.c.received_at < until))
            return [dict(r) for r in rows.mappings()]

    async def personal_data(self, borrower_id: UUID) -> dict[str, Any]:
        """Everything stored about one borrower: the row, cards, consents, loans and holds (if circulation's
        tables exist), and the guardian's name."""
        b, card, consent, cat = tl.borrowers, tl.lending_cards, tl.borrower_consents, tl.lending_categories
        async with self.db.read_sessions() as s:
            row = (await s.execute(sa.select(b).where(b.c.id == borrower_id))).mappings().one()
            person = {k: v for k, v in dict(row).items() if k not in ("pin_hash", "municipality_id")}
            person["has_pin"] = row["pin_hash"] is not None
            cards = await s.execute(sa.select(card.c.number, card.c.active, card.c.issued_at, card.c.blocked_at)
                                    .where(card.c.borrower_id == borrower_id).order_by(card.c.issued_at))
            consents = await s.execute(sa.select(cat.c.name.label("category"), consent.c.given_at)
                                       .join(cat, cat.c.id == consent.c.category_id)
                                       .where(consent.c.borrower_id == borrower_id))
            data: dict[str, Any] = {"borrower": person, "cards": [dict(r) for r in cards.mappings()],
                                    "consents": [dict(r) for r in consents.mappings()]}
            a, loans, holds = tl.lending_articles, tc.lending_loans, tc.lending_holds
            for name, table, order in (("loans", loans, "lent_at"), ("holds", holds, "placed_at")):
                rows = await s.execute(sa.select(table, a.c.name.label("article_name"))
                                       .join(a, a.c.id == table.c.article_id)
                                       .where(table.c.borrower_id == borrower_id).order_by(table.c[order]))
                data[name] = [dict(r) for r in rows.mappings()]
            return data

    async def loan_rows(self, municipality_id: UUID, since: datetime, until: datetime,
                        site_id: UUID | None, sites: frozenset[UUID] | None = None) -> list[LoanRow]:
        """The loans lent in [since, until) with what the statistics group by (no names)."""
        loans = tc.lending_loans
        a, c, top, b, st, ar = (tl.lending_articles, tl.lending_categories, tl.lending_categories.alias("top"),
                                tl.borrowers, t.sites, t.areas)
        query = (sa.select(loans.c.lent_at, st.c.name.label("site"),
                           sa.func.coalesce(top.c.name, c.c.name).label("category"), a.c.name.label("article"),
                           a.c.variant, loans.c.borrower_id, b.c.birth_year, b.c.gender, ar.c.name.label("area"))
                 .join(a, a.c.id == loans.c.article_id).join(c, c.c.id == a.c.category_id)
                 .outerjoin(top, top.c.id == c.c.parent_id).join(st, st.c.id == loans.c.site_id)
                 .outerjoin(b, b.c.id == loans.c.borrower_id).outerjoin(ar, ar.c.id == b.c.area_id)
                 .where(loans.c.municipality_id == municipality_id, loans.c.lent_at >= since, loans.c.lent_at < until))
        if site_id is not None:
            query = query.where(loans.c.site_id == site_id)
        query = query.where(*_within(loans.c.site_id, sites))
        async with self.db.read_sessions() as s:
            rows = await s.execute(query)
            return [LoanRow(r.lent_at, r.site, r.category, f"{r.article} {r.variant}" if r.variant else r.article,
                            r.borrower_id, r.birth_year, r.gender, r.area) for r in rows]
