"""Demo data of lending circulation for `make demo` and the browser tests, on the catalogue's demo
Fritidsbanken: its opening days (Monday to Friday), a PIN for the demo borrower's self-service, two loans
of the demo borrower (one overdue), loans of the guardian and her child, and a hold of the guardian that
waits on the hold shelf. Lent and held through the circulation services."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import NamedTuple
from uuid import UUID

import sqlalchemy as sa

from booking.adapters.db import tables as t
from booking.adapters.db import tables_lending as tl
from booking.adapters.db.database import Database
from booking.adapters.db.uow import SqlUnitOfWork
from booking.domain.lending import circulation_services as svc
from booking.domain.lending.model import ItemStatus
from booking.domain.people.roles import Actor
from booking.domain.shared.clock import Clock, FixedClock
from booking.domain.shared.errors import expect
from booking.domain.shared.ports import PasswordHasher

log = logging.getLogger("booking.seed")

DEMO_SITE = "Nackstaskolan"
DESK_EMAIL = "fritidsbanken@demo.booking.se"
DEMO_PIN = "1234"


class _OnShelf(NamedTuple):
    label_code: str
    article_id: UUID
    name: str


@dataclass(frozen=True)
class _Found:
    """What the catalogue's demo data left: the demo site, the desk's account, the active cards by their
    borrower's name, and the site's labelled items on the shelf (by article name, variant and label)."""
    site_id: UUID | None
    desk: UUID | None
    cards: dict[str, str]
    shelf: list[_OnShelf]


async def _look_up(db: Database, municipality_id: UUID) -> _Found:
    async with db.read_sessions() as session:
        site_id = await session.scalar(sa.select(t.sites.c.id).where(
            t.sites.c.municipality_id == municipality_id, t.sites.c.name == DEMO_SITE))
        desk = await session.scalar(sa.select(t.accounts.c.id).where(t.accounts.c.email == DESK_EMAIL))
        cards = dict((await session.execute(
            sa.select(tl.borrowers.c.name, tl.lending_cards.c.number)
            .join(tl.lending_cards, tl.lending_cards.c.borrower_id == tl.borrowers.c.id)
            .where(tl.borrowers.c.municipality_id == municipality_id, tl.lending_cards.c.active))).all())
        shelf = [_OnShelf(*row) for row in await session.execute(
            sa.select(tl.lending_items.c.label_code, tl.lending_items.c.article_id, tl.lending_articles.c.name)
            .join(tl.lending_articles, tl.lending_articles.c.id == tl.lending_items.c.article_id)
            .where(tl.lending_items.c.site_id == site_id, tl.lending_items.c.status == ItemStatus.AVAILABLE.value,
                   tl.lending_items.c.label_code.is_not(None))
            .order_by(tl.lending_articles.c.name, tl.lending_articles.c.variant, tl.lending_items.c.label_code))]
    return _Found(site_id, desk, cards, shelf)


async def _desk_sets_pin(db: Database, hasher: PasswordHasher, municipality_id: UUID, desk: UUID,
                         card: str) -> Actor:
    """The desk (as whom the demo lends) sets the card's PIN for the phone; answers the desk's actor."""
    uow = SqlUnitOfWork(db)
    async with uow:
        account = expect(await uow.accounts.get(desk), "the demo lending staff")
        found = await uow.lending.borrower_by_card(municipality_id, card)
        if found is not None:  # the desk sets a PIN for the phone (there is no PIN route yet)
            found[0].pin_hash = await hasher.hash(DEMO_PIN)
        await uow.commit()
    return account.actor()


@dataclass
class _Desk:
    """Lends the first items on the shelf of each article not lent yet, as of `days_ago` before `now`."""
    db: Database
    staff: Actor
    site_id: UUID
    shelf: list[_OnShelf]
    now: datetime
    lent: set[str] = field(default_factory=set)

    def _first(self, article: str) -> str | None:
        return next((r.label_code for r in self.shelf if r.name == article and r.label_code not in self.lent), None)

    async def lend(self, card: str | None, articles: list[str], days_ago: int) -> None:
        codes = [c for c in (self._first(a) for a in articles) if c is not None]
        if card is None or not codes:
            return
        await svc.lend(svc.Lend(card, codes, self.site_id), SqlUnitOfWork(self.db), self.staff,
                       FixedClock(self.now - timedelta(days=days_ago)))
        self.lent.update(codes)


async def seed(db: Database, hasher: PasswordHasher, clock: Clock, municipality_id: UUID) -> None:
    """Runs after the catalogue's demo data is committed; does nothing without it. Loans and holds go
    through the circulation services (at the times they would have happened), so every item on loan has its
    loan and every item on the hold shelf its hold."""
    found = await _look_up(db, municipality_id)
    site_id, shelf = found.site_id, found.shelf
    me, guardian, child = (found.cards.get(n) for n in ("Linus Låntagare", "Maria Nilsson", "Elsa Nilsson"))
    if site_id is None or found.desk is None or me is None or len(shelf) < 3:
        return
    staff = await _desk_sets_pin(db, hasher, municipality_id, found.desk, me)
    await svc.set_site_weekdays(site_id, frozenset(range(5)), SqlUnitOfWork(db), staff)
    desk = _Desk(db, staff, site_id, shelf, clock.now())
    await desk.lend(me, ["Fotboll"], 20)  # overdue
    await desk.lend(me, ["Badmintonracket"], 3)
    await desk.lend(guardian, ["Tält 2 personer", "Sovsäck"], 5)
    await desk.lend(child, ["Hockeyskridskor"], 2)  # her guardian consented to winter sports
    football = next(r.article_id for r in shelf if r.name == "Fotboll")
    if guardian is not None:  # a football is still on the shelf: it goes to her hold at once
        await svc.place_hold(guardian, football, site_id, SqlUnitOfWork(db), staff, clock)
    log.info("circulation demo: %d loans at %s (one overdue); self-service PIN %s", len(desk.lent), DEMO_SITE,
             DEMO_PIN)
