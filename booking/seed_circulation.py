"""Demo data of lending circulation for `make demo` and the browser tests, on the catalogue's demo
Fritidsbanken: its opening days (Monday to Friday), a PIN for the demo borrower's self-service, two loans
of the demo borrower (one overdue), loans of the guardian and her child, and a hold of the guardian that
waits on the hold shelf. Lent and held through the circulation services."""

from __future__ import annotations

import logging
from datetime import timedelta
from uuid import UUID

import sqlalchemy as sa

from booking.adapters.db import tables as t
from booking.adapters.db import tables_lending as tl
from booking.adapters.db.database import Database
from booking.adapters.db.uow import SqlUnitOfWork
from booking.domain.lending import circulation_services as svc
from booking.domain.lending.model import ItemStatus
from booking.domain.shared.clock import Clock, FixedClock
from booking.domain.shared.errors import expect
from booking.domain.shared.ports import PasswordHasher

log = logging.getLogger("booking.seed")

DEMO_SITE = "Nackstaskolan"
DESK_EMAIL = "fritidsbanken@demo.booking.se"
DEMO_PIN = "1234"


async def seed(db: Database, hasher: PasswordHasher, clock: Clock, municipality_id: UUID) -> None:
    """Runs after the catalogue's demo data is committed; does nothing without it. Loans and holds go
    through the circulation services (at the times they would have happened), so every item on loan has its
    loan and every item on the hold shelf its hold."""
    now = clock.now()
    async with db.read_sessions() as session:
        site_id = await session.scalar(sa.select(t.sites.c.id).where(
            t.sites.c.municipality_id == municipality_id, t.sites.c.name == DEMO_SITE))
        desk = await session.scalar(sa.select(t.accounts.c.id).where(t.accounts.c.email == DESK_EMAIL))
        cards = dict((await session.execute(
            sa.select(tl.borrowers.c.name, tl.lending_cards.c.number)
            .join(tl.lending_cards, tl.lending_cards.c.borrower_id == tl.borrowers.c.id)
            .where(tl.borrowers.c.municipality_id == municipality_id, tl.lending_cards.c.active))).all())
        shelf = (await session.execute(
            sa.select(tl.lending_items.c.label_code, tl.lending_items.c.article_id, tl.lending_articles.c.name)
            .join(tl.lending_articles, tl.lending_articles.c.id == tl.lending_items.c.article_id)
            .where(tl.lending_items.c.site_id == site_id, tl.lending_items.c.status == ItemStatus.AVAILABLE.value,
                   tl.lending_items.c.label_code.is_not(None))
            .order_by(tl.lending_articles.c.name, tl.lending_articles.c.variant, tl.lending_items.c.label_code)
        )).all()
    me, guardian, child = (cards.get(n) for n in ("Linus Låntagare", "Maria Nilsson", "Elsa Nilsson"))
    if site_id is None or desk is None or me is None or len(shelf) < 3:
        return
    uow = SqlUnitOfWork(db)
    async with uow:
        account = expect(await uow.accounts.get(desk), "the demo lending staff")
        found = await uow.lending.borrower_by_card(municipality_id, me)
        if found is not None:  # the desk sets a PIN for the phone (there is no PIN route yet)
            found[0].pin_hash = await hasher.hash(DEMO_PIN)
        await uow.commit()
    staff = account.actor()
    await svc.set_site_weekdays(site_id, frozenset(range(5)), SqlUnitOfWork(db), staff)

    def first(article: str, taken: set[str]) -> str | None:
        return next((r.label_code for r in shelf if r.name == article and r.label_code not in taken), None)

    lent: set[str] = set()

    async def lend(card: str | None, articles: list[str], days_ago: int) -> None:
        codes = [c for c in (first(a, lent) for a in articles) if c is not None]
        if card is None or not codes:
            return
        await svc.lend(svc.Lend(card, codes, site_id), SqlUnitOfWork(db), staff,
                       FixedClock(now - timedelta(days=days_ago)))
        lent.update(codes)

    await lend(me, ["Fotboll"], 20)  # overdue
    await lend(me, ["Badmintonracket"], 3)
    await lend(guardian, ["Tält 2 personer", "Sovsäck"], 5)
    await lend(child, ["Hockeyskridskor"], 2)  # her guardian consented to winter sports
    football = next(r.article_id for r in shelf if r.name == "Fotboll")
    if guardian is not None:  # a football is still on the shelf: it goes to her hold at once
        await svc.place_hold(guardian, football, site_id, SqlUnitOfWork(db), staff, clock)
    log.info("circulation demo: %d loans at %s (one overdue); self-service PIN %s", len(lent), DEMO_SITE, DEMO_PIN)
