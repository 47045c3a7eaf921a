"""Demo data of equipment lending (Fritidsbanken) for `make demo` and the browser tests: a Fritidsbanken at
the first demo site with categories, about twenty articles (some for self-service), sixty labelled items,
a few printed labels not yet linked, and two borrowers with cards, one of them the demo borrower account."""

from __future__ import annotations

import logging
from uuid import UUID

import sqlalchemy as sa

from booking.adapters.db import tables as t
from booking.adapters.db.database import Database
from booking.adapters.db.uow import SqlUnitOfWork
from booking.domain.lending.borrowers import Borrower, Card, Gender
from booking.domain.lending.labels import Label, format_card_number, new_card_number, new_label_code
from booking.domain.lending.model import Article, Category, Item, ItemStatus
from booking.domain.ports import PasswordHasher
from booking.domain.shared.clock import Clock

log = logging.getLogger("booking.seed")

DEMO_SITE = "Nackstaskolan"
BORROWER_EMAIL = "lantagare@demo.booking.se"

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


async def seed(db: Database, hasher: PasswordHasher, clock: Clock, municipality_id: UUID) -> None:
    """Runs after the premises demo data is committed."""
    now = clock.now()
    uow = SqlUnitOfWork(db)
    async with uow:
        session = uow.session
        site_id = await session.scalar(sa.select(t.sites.c.id).where(
            t.sites.c.municipality_id == municipality_id, t.sites.c.name == DEMO_SITE))
        area_id = await session.scalar(sa.select(t.sites.c.area_id).where(t.sites.c.id == site_id))
        account_id = await session.scalar(sa.select(t.accounts.c.id).where(t.accounts.c.email == BORROWER_EMAIL))
        if site_id is None:
            return
        count = 0
        categories: list[Category] = []
        for top_name, subs in CATALOGUE.items():
            top = Category(municipality_id, top_name)
            uow.lending.add_category(top)
            categories.append(top)
            for sub_name, articles in subs.items():
                sub = Category(municipality_id, sub_name, top.id)
                uow.lending.add_category(sub)
                for name, variants, self_service, consent, min_age in articles:
                    for variant in variants:
                        article = Article(municipality_id, sub.id, name, variant=variant, self_service=self_service,
                                          needs_guardian_consent=consent, min_age=min_age,
                                          description=f"{name} att låna gratis i två veckor.")
                        uow.lending.add_article(article)
                        for n in range(3):
                            status = ItemStatus.ON_LOAN if (count % 7 == 3 and n == 0) else ItemStatus.AVAILABLE
                            item = Item(municipality_id, article.id, site_id, status=status)
                            uow.lending.add_item(item)
                            uow.lending.add_item_event(item.created(at=now, by=None, note="demo"))
                            label = Label(municipality_id, new_label_code(), printed_at=now)
                            uow.lending.add_label(label)
                            label.link(item.id, now)
                            item.label_code = label.code
                            count += 1
        for _ in range(6):  # printed in advance, not yet stuck on anything
            uow.lending.add_label(Label(municipality_id, new_label_code(), printed_at=now))
        guardian = Borrower(municipality_id, "Maria Nilsson", "070-555 12 34", 1984, email="maria@example.se",
                            gender=Gender.GIRL, area_id=area_id, last_active_at=now)
        uow.lending.add_borrower(guardian)
        await session.flush()
        child = Borrower(municipality_id, "Elsa Nilsson", None, now.year - 11, gender=Gender.GIRL, area_id=area_id,
                         guardian_id=guardian.id, last_active_at=now)
        child.give_consent(categories[0].id, by=guardian.id, at=now)
        uow.lending.add_borrower(child)
        me = Borrower(municipality_id, "Linus Låntagare", "073-123 45 67", 2005, email=BORROWER_EMAIL,
                      gender=Gender.BOY, area_id=area_id, account_id=account_id, registered_via="self",
                      last_active_at=now)
        uow.lending.add_borrower(me)
        cards = {}
        for borrower in (guardian, child, me):
            number = new_card_number()
            uow.lending.add_card(Card(borrower.id, number, municipality_id, issued_at=now))
            cards[borrower.name] = number
        await uow.commit()
    log.info("lending demo: %d items at %s; demo borrower %s has card %s (child Elsa: %s)", count, DEMO_SITE,
             BORROWER_EMAIL, format_card_number(cards["Linus Låntagare"]), format_card_number(cards["Elsa Nilsson"]))
