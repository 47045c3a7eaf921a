"""A small Fritidsbanken for circulation tests: a municipality with two sites, articles, labelled items (each
with its linked label row), borrowers with cards and a desk account. Built through the domain and the unit
of work."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from uuid import UUID

from booking.adapters.db.database import Database
from booking.adapters.db.uow import SqlUnitOfWork
from booking.domain.lending.borrowers import Borrower, Card
from booking.domain.lending.labels import Label, new_card_number, new_label_code
from booking.domain.lending.model import Article, Category, Item
from booking.domain.municipalities.model import Municipality
from booking.domain.people.model import Account
from booking.domain.people.roles import Actor, Role
from booking.domain.premises.model import Site
from tests.conftest import random_ref

NOW = datetime(2027, 3, 12, 9, 0, tzinfo=UTC)


@dataclass
class Bank:
    municipality_id: UUID
    site: Site
    other_site: Site
    staff: Actor
    skates: Article  # self-service
    kayak: Article  # desk only, guardian consent for minors
    items: dict[str, list[Item]] = field(default_factory=dict)  # article key -> items
    cards: dict[str, str] = field(default_factory=dict)  # borrower key -> card number
    card_ids: dict[str, UUID] = field(default_factory=dict)
    borrowers: dict[str, Borrower] = field(default_factory=dict)


async def make_bank(db: Database, *, items_per_article: int = 3, adults: int = 1,
                    pins: dict[str, str] | None = None) -> Bank:
    """Borrowers: "adult0".."adultN", "teen" (born 2013), "blocked". `pins` maps borrower key -> PIN hash."""
    uow = SqlUnitOfWork(db)
    async with uow:
        municipality = Municipality("Testkommun", random_ref("m-"))
        uow.municipalities.add(municipality)
        m = municipality.id
        site = Site(m, "Fritidsbanken Centrum", "Storgatan 1", "85230", "Sundsvall")
        other = Site(m, "Lilla Fritidsbanken Nacksta", "Nackstavägen 2", "85350", "Sundsvall")
        uow.sites.add(site)
        uow.sites.add(other)
        staff_account = Account(m, f"desk.{m.hex[:8]}@example.se", "Desk")
        staff_account.grant(Role.LENDING_STAFF)
        uow.accounts.add(staff_account)
        category = Category(m, "Vintersport")
        uow.lending.add_category(category)
        skates = Article(m, category.id, "Skridskor", variant="38", self_service=True)
        kayak = Article(m, category.id, "Kajak", needs_guardian_consent=True, loan_period_days=7)
        uow.lending.add_article(skates)
        uow.lending.add_article(kayak)
        bank = Bank(m, site, other, staff_account.actor(), skates, kayak)
        for key, article in (("skates", skates), ("kayak", kayak)):
            bank.items[key] = []
            for _ in range(items_per_article):
                item = Item(m, article.id, site.id, label_code=new_label_code())
                uow.lending.add_item(item)
                label = Label(m, item.label_code or "")
                label.link(item.id, NOW)
                uow.lending.add_label(label)
                bank.items[key].append(item)
            bank.items[key].sort(key=lambda i: i.id)  # oldest first, as a hold takes them from the shelf
        people = [(f"adult{i}", 1990, None) for i in range(adults)] + [("teen", 2013, None),
                                                                        ("blocked", 1985, "Lost a tent")]
        for key, year, blocked in people:
            borrower = Borrower(m, f"Låntagare {key}", "0701234567", year, email=f"{key}.{m.hex[:6]}@example.se",
                                blocked_reason=blocked, pin_hash=(pins or {}).get(key))
            uow.lending.add_borrower(borrower)
            card = Card(borrower.id, new_card_number(), m, issued_at=NOW)
            uow.lending.add_card(card)
            bank.cards[key] = card.number
            bank.card_ids[key] = card.id
            bank.borrowers[key] = borrower
        await uow.commit()
    return bank
