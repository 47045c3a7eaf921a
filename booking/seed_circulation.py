"""Demo data of lending circulation for `make demo` and the browser tests, on the catalogue's demo
Fritidsbanken: its opening days (Monday to Friday), a PIN for the demo borrower's self-service, two loans
of the demo borrower (one overdue), and a hold of the guardian."""

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
from booking.domain.ports import PasswordHasher
from booking.domain.shared.clock import Clock, FixedClock

log = logging.getLogger("booking.seed")

DEMO_SITE = "Nackstaskolan"
DESK_EMAIL = "fritidsbanken@demo.booking.se"
DEMO_PIN = "1234"


async def seed(db: Database, hasher: PasswordHasher, clock: Clock, municipality_id: UUID) -> None:
    """Runs after the catalogue's demo data is committed; does nothing without it."""
    now = clock.now()
    async with db.read_sessions() as session:
        site_id = await session.scalar(sa.select(t.sites.c.id).where(
            t.sites.c.municipality_id == municipality_id, t.sites.c.name == DEMO_SITE))
        desk = await session.scalar(sa.select(t.accounts.c.id).where(t.accounts.c.email == DESK_EMAIL))
        borrowers = dict((await session.execute(
            sa.select(tl.borrowers.c.name, tl.lending_cards.c.number)
            .join(tl.lending_cards, tl.lending_cards.c.borrower_id == tl.borrowers.c.id)
            .where(tl.borrowers.c.municipality_id == municipality_id, tl.lending_cards.c.active))).all())
        items = (await session.execute(
            sa.select(tl.lending_items.c.label_code, tl.lending_items.c.article_id)
            .where(tl.lending_items.c.site_id == site_id, tl.lending_items.c.status == ItemStatus.AVAILABLE.value,
                   tl.lending_items.c.label_code.is_not(None))
            .order_by(tl.lending_items.c.label_code))).all()
    me, guardian = borrowers.get("Linus Låntagare"), borrowers.get("Maria Nilsson")
    if site_id is None or desk is None or me is None or len(items) < 3:
        return
    uow = SqlUnitOfWork(db)
    async with uow:
        await uow.circulation.set_site_weekdays(municipality_id, site_id, frozenset(range(5)))
        found = await uow.lending.borrower_by_card(municipality_id, me)
        if found is not None:
            found[0].pin_hash = await hasher.hash(DEMO_PIN)
        account = await uow.accounts.get(desk)
        await uow.commit()
    assert account is not None
    staff = account.actor()
    overdue_code, current_code = items[0].label_code, items[1].label_code
    await svc.lend(svc.Lend(me, [overdue_code], site_id), SqlUnitOfWork(db), staff,
                   FixedClock(now - timedelta(days=20)))
    await svc.lend(svc.Lend(me, [current_code], site_id), SqlUnitOfWork(db), staff,
                   FixedClock(now - timedelta(days=3)))
    if guardian is not None:
        await svc.place_hold(guardian, items[0].article_id, site_id, SqlUnitOfWork(db), staff, clock)
    log.info("circulation demo: %s lends %s (overdue) and %s; self-service PIN %s", "Linus Låntagare",
             overdue_code, current_code, DEMO_PIN)
