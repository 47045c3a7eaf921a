"""Demo data of equipment lending (Fritidsbanken) for `make demo` and the browser tests: a Fritidsbanken at
the first demo site with categories, about twenty articles (some for self-service), sixty labelled items,
a few printed labels not yet linked, and three borrowers with cards (a guardian, her child with consent for
winter sports, and the demo borrower account, registered by itself). Made through the lending services by
the demo desk account; the loans are circulation's (seed_circulation)."""

from __future__ import annotations

import logging
from datetime import timedelta
from uuid import UUID

import sqlalchemy as sa

from booking.adapters.db import tables as t
from booking.adapters.db.database import Database
from booking.adapters.db.uow import SqlUnitOfWork
from booking.domain.lending import borrower_services as borrowers
from booking.domain.lending import services
from booking.domain.lending.borrowers import Gender
from booking.domain.lending.labels import format_card_number
from booking.domain.lending.model import Category
from booking.domain.people.roles import Actor
from booking.domain.shared.clock import Clock
from booking.domain.shared.errors import expect
from booking.domain.shared.ports import PasswordHasher

log = logging.getLogger("booking.seed")

DEMO_SITE = "Nackstaskolan"
BORROWER_EMAIL = "lantagare@demo.booking.se"
DESK_EMAIL = "fritidsbanken@demo.booking.se"

# category -> subcategory -> [(article, variants, self_service, consent, min_age)]
CATALOGUE: dict[str, dict[str, list[tuple[str, tuple[str | None, ...], bool, bool, int | None]]]] = {
    "Vintersport": {
        "Skridskor": [("Hockeyskridskor", ("34", "38", "42"), False, True, None),
                      ("Konståkningsskridskor", ("32", "36"), False, True, None)],
        "Skidor": [("Längdskidor", ("150 cm", "170 cm"), False, True, 6),
                   ("Slalomskidor", ("120 cm",), False, True, 6)],
        "Hjälmar": [("Skidhjälm", ("S", "M"), True, False, None)],
    },
    "Bollsport": {
        "Bollar": [("Fotboll", ("4", "5"), True, False, None), ("Basketboll", ("7",), True, False, None)],
        "Klubbor och racketar": [("Innebandyklubba", ("80 cm",), True, False, None),
                                 ("Badmintonracket", (None,), True, False, None)],
    },
    "Friluftsliv": {
        "Tält och sovsäckar": [("Tält 2 personer", (None,), False, False, 12),
                               ("Sovsäck", ("M", "L"), False, False, None)],
        "Fiske": [("Fiskespö", (None,), True, False, 8)],
    },
}


async def _actor(db: Database, email: str) -> Actor | None:
    uow = SqlUnitOfWork(db, readonly=True)
    async with uow:
        account_id = await uow.session.scalar(sa.select(t.accounts.c.id).where(t.accounts.c.email == email))
        account = await uow.accounts.get(account_id) if account_id is not None else None
        return account.actor() if account is not None else None


async def seed(db: Database, hasher: PasswordHasher, clock: Clock, municipality_id: UUID) -> None:
    """Runs after the premises demo data is committed. Everything goes through the lending services, as
    the desk would do it, so the demo holds every invariant (`booking check`)."""
    now = clock.now()
    received = now - timedelta(days=30)  # the items came in a month ago: their history starts before any loan
    async with db.read_sessions() as session:
        site_id = await session.scalar(sa.select(t.sites.c.id).where(
            t.sites.c.municipality_id == municipality_id, t.sites.c.name == DEMO_SITE))
        area_id = await session.scalar(sa.select(t.sites.c.area_id).where(t.sites.c.id == site_id))
    staff, me = await _actor(db, DESK_EMAIL), await _actor(db, BORROWER_EMAIL)
    if site_id is None or staff is None or me is None:
        return

    def uow() -> SqlUnitOfWork:
        return SqlUnitOfWork(db)

    count = 0
    codes: list[str] = []
    categories: list[Category] = []
    for top_name, subs in CATALOGUE.items():
        top = await services.create_category(top_name, None, uow(), staff)
        categories.append(top)
        for sub_name, articles in subs.items():
            sub = await services.create_category(sub_name, top.id, uow(), staff)
            for name, variants, self_service, consent, min_age in articles:
                for variant in variants:
                    article = await services.create_article({
                        "category_id": sub.id, "name": name, "variant": variant, "self_service": self_service,
                        "needs_guardian_consent": consent, "min_age": min_age,
                        "description": f"{name} att låna gratis i två veckor."}, uow(), staff)
                    items = await services.create_items(article.id, site_id, 3, None, True, uow(), staff, received)
                    codes += [i.label_code for i in items if i.label_code]
                    count += len(items)
    codes += [label.code for label in await services.create_labels(6, uow(), staff)]  # not yet on anything
    await services.record_print("a4-3x8", codes, uow(), staff, received)
    read = SqlUnitOfWork(db, readonly=True)
    async with read:
        municipality = expect(await read.municipalities.get(municipality_id), "the demo municipality")
    today = now.astimezone(municipality.zone).date()
    guardian, _ = await borrowers.register_borrower(borrowers.Registration(
        "Maria Nilsson", "070-555 12 34", 1984, email="maria@example.se", gender=Gender.GIRL, area_id=area_id),
        uow(), staff, now, today)
    _, child_card = await borrowers.register_borrower(borrowers.Registration(
        "Elsa Nilsson", None, today.year - 11, gender=Gender.GIRL, area_id=area_id, guardian_id=guardian.id,
        consent_category_ids=(categories[0].id,)), uow(), staff, now, today)
    _, my_card = await borrowers.register_self(borrowers.Registration(
        "Linus Låntagare", "073-123 45 67", 2005, email=BORROWER_EMAIL, gender=Gender.BOY, area_id=area_id),
        uow(), me, now, today)
    log.info("lending demo: %d items at %s; demo borrower %s has card %s (child Elsa: %s)", count, DEMO_SITE,
             BORROWER_EMAIL, format_card_number(my_card.number), format_card_number(child_card.number))
