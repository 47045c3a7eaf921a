"""The lending catalogue's tables and repository on both engines."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from booking.adapters.db.database import Database
from booking.adapters.db.uow import SqlUnitOfWork
from booking.domain.lending.borrowers import Borrower, Card
from booking.domain.lending.labels import Label, new_card_number, new_label_code
from booking.domain.lending.model import Article, Category, Item, ItemStatus
from booking.domain.municipalities.model import Municipality
from booking.domain.premises.model import Site
from booking.domain.shared.errors import Conflict
from tests.conftest import random_ref

AT = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


async def _catalogue(db: Database) -> tuple[Municipality, Site, Article]:
    uow = SqlUnitOfWork(db)
    async with uow:
        municipality = Municipality("Testkommun", random_ref("m-"))
        uow.municipalities.add(municipality)
        site = Site(municipality.id, "Fritidsbanken", "Storgatan 1", "85230", "Sundsvall")
        uow.sites.add(site)
        winter = Category(municipality.id, "Vintersport")
        skates = Category(municipality.id, "Skridskor", parent_id=winter.id)
        uow.lending.add_category(winter)
        uow.lending.add_category(skates)
        article = Article(municipality.id, skates.id, "Hockeyskridskor", variant="38", self_service=True)
        uow.lending.add_article(article)
        await uow.commit()
    return municipality, site, article


async def test_items_labels_and_history_round_trip(db: Database) -> None:
    municipality, site, article = await _catalogue(db)
    code = new_label_code()
    uow = SqlUnitOfWork(db)
    async with uow:
        item = Item(municipality.id, article.id, site.id, condition_note="Repa på vänster sko")
        uow.lending.add_item(item)
        uow.lending.add_item_event(item.created(at=AT, by=None))
        label = Label(municipality.id, code)
        uow.lending.add_label(label)
        label.link(item.id, AT)
        uow.lending.add_item_event(item.link_label(code, at=AT, by=None))
        await uow.commit()
    async with uow:
        found = await uow.lending.item_by_code(municipality.id, code)
        assert found is not None and found.id == item.id and found.status is ItemStatus.AVAILABLE
        assert await uow.lending.item_by_code(municipality.id, new_label_code()) is None
        await uow.lending.lock_item(item.id)
        uow.lending.add_item_event(found.change_status(ItemStatus.ON_LOAN, at=AT, by=None))
        await uow.commit()
    async with uow:
        again = await uow.lending.get_item(item.id)
        assert again is not None and again.status is ItemStatus.ON_LOAN
        kinds = [(e.kind, e.to_status) for e in await uow.lending.item_events(item.id)]
        assert sorted(kinds, key=str) == sorted([("created", "available"), ("label_linked", None),
                                                 ("status", "on_loan")], key=str)
        stored = await uow.lending.label(code)
        assert stored is not None and stored.item_id == item.id


async def test_two_items_cannot_carry_the_same_label_code(db: Database) -> None:
    municipality, site, article = await _catalogue(db)
    uow = SqlUnitOfWork(db)
    async with uow:
        uow.lending.add_item(Item(municipality.id, article.id, site.id, label_code="ABCDEFGH2"))
        uow.lending.add_item(Item(municipality.id, article.id, site.id, label_code="ABCDEFGH2"))
        with pytest.raises(Conflict):
            await uow.commit()


async def test_a_borrower_is_found_by_the_active_card_only_and_has_one_active_card(db: Database) -> None:
    municipality, _, article = await _catalogue(db)
    uow = SqlUnitOfWork(db)
    old_number, new_number = new_card_number(), new_card_number()
    async with uow:
        guardian = Borrower(municipality.id, "Anna Andersson", "0701234567", 1985)
        uow.lending.add_borrower(guardian)
        child = Borrower(municipality.id, "Alva Andersson", None, 2015, guardian_id=guardian.id)
        uow.lending.add_borrower(child)
        child.give_consent(article.category_id, by=guardian.id, at=AT)
        uow.lending.add_card(Card(child.id, old_number, municipality.id, issued_at=AT))
        await uow.commit()
    async with uow:
        found = await uow.lending.borrower_by_card(municipality.id, old_number)
        assert found is not None and found[0].id == child.id and found[0].guardian_id == guardian.id
        assert found[0].has_consent(article.category_id)
        assert await uow.lending.borrower_by_card(uuid.uuid4(), old_number) is None
        card = found[1]
        card.block(AT)
        await uow.lending.flush()
        uow.lending.add_card(Card(child.id, new_number, municipality.id, issued_at=AT))
        await uow.commit()
    async with uow:
        assert await uow.lending.borrower_by_card(municipality.id, old_number) is None
        replaced = await uow.lending.borrower_by_card(municipality.id, new_number)
        assert replaced is not None and replaced[0].id == child.id
        # the database itself refuses a second active card
        uow.lending.add_card(Card(child.id, new_card_number(), municipality.id, issued_at=AT))
        with pytest.raises(Conflict):
            await uow.commit()



async def test_storm_linking_labels_each_label_on_one_item_and_each_item_one_label(db: Database) -> None:
    """16 clients with their own connections, released together: first all link the same label to different
    items, then different labels to the same item. Exactly one wins each time; the rest are 409s."""
    import asyncio

    from booking.adapters.db.database import connect
    from booking.domain.lending import services
    from booking.domain.people.model import Account
    from booking.domain.people.roles import Role

    municipality, site, article = await _catalogue(db)
    uow = SqlUnitOfWork(db)
    async with uow:
        staff = Account(municipality.id, f"staff.{random_ref()}@example.se", "Personal")
        staff.grant(Role.LENDING_STAFF)
        uow.accounts.add(staff)
        items = [Item(municipality.id, article.id, site.id) for _ in range(17)]
        for item in items:
            uow.lending.add_item(item)
        labels = [Label(municipality.id, new_label_code()) for _ in range(17)]
        for label in labels:
            uow.lending.add_label(label)
        await uow.commit()
    actor = staff.actor()
    clients = [connect(db.url, pool_size=1) for _ in range(16)]

    async def attempt(client: Database, barrier: asyncio.Barrier, code: str, item_id: object) -> str:
        await barrier.wait()
        try:
            await services.link_label(code, item_id, SqlUnitOfWork(client), actor, AT)  # type: ignore[arg-type]
        except Conflict:
            return "conflict"
        return "linked"

    try:
        barrier = asyncio.Barrier(16)
        same_label = await asyncio.gather(*(attempt(c, barrier, labels[0].code, items[i].id)
                                            for i, c in enumerate(clients)))
        assert sorted(same_label) == ["conflict"] * 15 + ["linked"], same_label
        barrier = asyncio.Barrier(16)
        same_item = await asyncio.gather(*(attempt(c, barrier, labels[i + 1].code, items[16].id)
                                           for i, c in enumerate(clients)))
        assert sorted(same_item) == ["conflict"] * 15 + ["linked"], same_item
    finally:
        await asyncio.gather(*(c.dispose() for c in clients))
    async with uow:
        carried = [await uow.lending.item_by_code(municipality.id, label.code) for label in labels]
        assert sum(1 for found in carried if found is not None) == 2
        first = await uow.lending.label(labels[0].code)
        assert first is not None and first.item_id is not None
        owner = await uow.lending.get_item(first.item_id)
        assert owner is not None and owner.label_code == labels[0].code
        item16 = await uow.lending.get_item(items[16].id)
        assert item16 is not None and item16.label_code is not None
        linked16 = await uow.lending.label(item16.label_code)
        assert linked16 is not None and linked16.item_id == items[16].id
