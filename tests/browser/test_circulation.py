"""Circulation in the browser: the desk with a keyboard-mode scanner (card number and label codes typed
into the scan field, each ended by Enter), lending and a return; on a phone, a borrower scans a label
(/q/{CODE}), signs in with card number and PIN, and borrows a self-service item. axe-core on each page."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from booking.seed import DEMO_ACCOUNTS
from tests.browser.support import (
    LiveServer,
    assert_accessible,
    assert_no_horizontal_scroll,
    console,
    open_page,
    sign_in_via_api,
    switch_language,
)

pytestmark = pytest.mark.browser

DESK = next(a for a in DEMO_ACCOUNTS if a.role == "lending_staff")
PIN = "2468"


@dataclass
class Shelf:
    site_name: str
    card_number: str  # at the desk
    phone_card_number: str  # on the phone
    codes: list[str]  # self-service skates
    desk_only: str  # a tent lent at the desk only
    away: str  # skates on loan to the desk borrower since before the tests


def _stock(server: LiveServer) -> Shelf:
    """A lending site's shelf and a borrower with a card and PIN, written into the live server's database."""
    from booking.adapters.db import tables as t
    from booking.adapters.db.database import connect
    from booking.adapters.db.uow import SqlUnitOfWork
    from booking.adapters.passwords import Argon2Hasher
    from booking.domain.lending.borrowers import Borrower, Card
    from booking.domain.lending.circulation import Loan
    from booking.domain.lending.labels import Label, new_card_number, new_label_code
    from booking.domain.lending.model import Article, Category, Item, ItemStatus

    async def insert() -> Shelf:
        db = connect(f"sqlite+aiosqlite:///{server.log.parent / 'booking.db'}")
        try:
            uow = SqlUnitOfWork(db)
            async with uow:
                municipality_id = (await uow.session.execute(sa.select(t.municipalities.c.id)
                                                             .where(t.municipalities.c.slug == "sundsvall"))
                                   ).scalar_one()
                site = (await uow.session.execute(sa.select(t.sites.c.id, t.sites.c.name)
                                                  .where(t.sites.c.municipality_id == municipality_id)
                                                  .order_by(t.sites.c.name).limit(1))).one()
                category = Category(municipality_id, "Webbtest vinter")
                uow.lending.add_category(category)
                skates = Article(municipality_id, category.id, "Webbtestskridskor", variant="41", self_service=True)
                tent = Article(municipality_id, category.id, "Webbtesttält")
                uow.lending.add_article(skates)
                uow.lending.add_article(tent)
                items = [Item(municipality_id, skates.id, site.id, label_code=new_label_code()) for _ in range(3)]
                tent_item = Item(municipality_id, tent.id, site.id, label_code=new_label_code())
                now = datetime.now(UTC)
                for item in [*items, tent_item]:
                    uow.lending.add_item(item)
                    uow.lending.add_label(Label(municipality_id, item.label_code or "", item.id, now, now))
                borrower = Borrower(municipality_id, "Wilma Webbtest", "0701234567", 2008,
                                    pin_hash=await Argon2Hasher(time_cost=1, memory_cost=8 * 1024).hash(PIN))
                uow.lending.add_borrower(borrower)
                card = Card(borrower.id, new_card_number(), municipality_id, issued_at=now)
                uow.lending.add_card(card)
                phone_borrower = Borrower(municipality_id, "Melker Mobil", "0701234568", 2010,
                                          pin_hash=borrower.pin_hash)
                uow.lending.add_borrower(phone_borrower)
                phone_card = Card(phone_borrower.id, new_card_number(), municipality_id, issued_at=now)
                uow.lending.add_card(phone_card)
                away = Item(municipality_id, skates.id, site.id, status=ItemStatus.ON_LOAN, label_code=new_label_code())
                uow.lending.add_item(away)
                uow.lending.add_label(Label(municipality_id, away.label_code or "", away.id, now, now))
                await uow.lending.flush()
                uow.circulation.add_loan(Loan(municipality_id, away.id, skates.id, borrower.id, site.id, now,
                                              now.date() + timedelta(days=14)))
                await uow.commit()
            return Shelf(site.name, card.number, phone_card.number, [i.label_code or "" for i in items],
                         tent_item.label_code or "", away.label_code or "")
        finally:
            await db.dispose()

    with ThreadPoolExecutor(max_workers=1) as pool:  # Playwright's sync API runs an event loop in this thread
        return pool.submit(asyncio.run, insert()).result()


@pytest.fixture(scope="module")
def shelf(live_server: LiveServer) -> Iterator[Shelf]:
    yield _stock(live_server)


def scan(page: Page, text: str) -> None:
    """As a keyboard-mode scanner does: the characters into the focused field, then Enter."""
    page.keyboard.type(text, delay=5)
    page.keyboard.press("Enter")


def test_the_desk_lends_two_items_on_a_scanned_card_and_takes_one_back(page: Page, shelf: Shelf,
                                                                       live_server: LiveServer) -> None:
    sign_in_via_api(page, DESK.email)
    open_page(page, "/desk.html")
    page.get_by_label("Utlåningsställe").select_option(label=shelf.site_name)
    scan_field = page.get_by_label("Skanna kort eller sak")
    expect(scan_field).to_be_focused()
    scan(page, "Wilma Webb")  # no card at hand: the name finds the borrower
    page.get_by_role("button", name="Välj Wilma Webbtest").click()
    expect(page.get_by_role("status")).to_contain_text("Kort: Wilma Webbtest")
    page.get_by_role("button", name="Avbryt").click()
    expect(scan_field).to_be_focused()
    scan(page, shelf.card_number)
    expect(page.get_by_role("status")).to_contain_text("Kort: Wilma Webbtest")
    expect(scan_field).to_be_focused()
    scan(page, shelf.codes[0])
    scan(page, f"{live_server.url}/q/{shelf.codes[1]}")  # a scanner types the label's whole URL
    expect(page.get_by_role("status")).to_contain_text(f"Tillagd: {shelf.codes[1]}")
    scan(page, "12345")
    expect(page.locator("#desk-error")).to_contain_text("varken ett kortnummer eller en etikettkod")
    expect(scan_field).to_be_focused()
    expect(scan_field).to_be_focused()
    assert_accessible(page, "the desk with a transaction open")
    page.get_by_role("button", name="Låna ut", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Utlånat: Webbtestskridskor (41), Webbtestskridskor (41)")
    expect(scan_field).to_be_focused()
    loans = page.locator("#loans li")
    expect(loans).to_have_count(3)  # and the one lent before
    expect(loans.first).to_contain_text("Åter senast")

    page.get_by_label("Ta emot återlämning").check()
    expect(page.get_by_role("heading", name="Reservationshyllan")).to_be_visible()
    page.get_by_label("Skick vid återlämning").select_option("repair")
    scan_field.focus()
    scan(page, shelf.codes[0])
    expect(page.get_by_role("status")).to_contain_text(f"Återlämnad: Webbtestskridskor (41) ({shelf.codes[0]})")
    expect(page.get_by_role("status")).to_contain_text("repareras")
    expect(scan_field).to_be_focused()
    console(page).allow(409, "/api/lending/returns")
    scan(page, shelf.codes[0])  # the same item again: not on loan any more
    expect(page.locator("#desk-error")).to_contain_text("Den är inte utlånad")
    assert_accessible(page, "the desk in return mode")

    # A phone's camera (or a scanner in URL mode) reading the card's QR code opens the desk with the card read.
    page.goto(f"{live_server.url}/k/{shelf.card_number}")
    expect(page).to_have_url(re.compile(r"/desk\.html$"))
    expect(page.get_by_role("status")).to_contain_text("Kort: Wilma Webbtest")
    expect(page.get_by_label("Skanna kort eller sak")).to_be_focused()


def test_a_borrower_scans_a_label_signs_in_and_borrows_on_the_phone(phone_page: Page, shelf: Shelf) -> None:
    page = phone_page
    page.goto(f"/q/{shelf.codes[2]}")
    expect(page.locator("main")).not_to_have_attribute("aria-busy", "true")
    expect(page.get_by_role("heading", level=1)).to_have_text("Webbtestskridskor (41)")
    expect(page.get_by_text("Finns att låna")).to_be_visible()
    expect(page.get_by_text(f"Finns hos: {shelf.site_name}")).to_be_visible()
    assert_accessible(page, "the item page, signed out, on a phone")
    assert_no_horizontal_scroll(page, "the item page")
    page.get_by_label("Lånekortets nummer").fill(shelf.phone_card_number)
    page.get_by_label("PIN-kod").fill(PIN)
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_text("Inloggad som Melker Mobil.").first).to_be_visible()
    page.get_by_role("button", name="Låna Webbtestskridskor (41)").click()
    expect(page.get_by_role("status")).to_contain_text("Du har lånat Webbtestskridskor (41)")
    expect(page.get_by_text("Utlånad eller inte på hyllan just nu")).to_be_visible()
    assert_accessible(page, "the item page after borrowing")

    # a desk-only article: told to ask at the desk
    open_page(page, f"/item.html?code={shelf.desk_only}")
    expect(page.get_by_text("Fråga personalen i disken")).to_be_visible()
    expect(page.get_by_text("Den här saken lånas i disken.")).to_be_visible()

    # on loan to someone else: the borrower queues for it
    open_page(page, f"/item.html?code={shelf.away}")
    page.get_by_role("button", name="Reservera Webbtestskridskor (41)").click()
    expect(page.get_by_role("status")).to_contain_text("Du är nummer 1 i kön")

    open_page(page, "/loans.html")
    expect(page.locator("#my-loans li")).to_have_count(1)
    expect(page.locator("#my-loans li")).to_contain_text("Webbtestskridskor (41)")
    expect(page.locator("#my-holds li")).to_contain_text("Du är nummer 1 i kön")
    assert_accessible(page, "the borrower's loans on a phone")
    assert_no_horizontal_scroll(page, "the borrower's loans")


def test_the_circulation_pages_in_english_and_the_desk_at_phone_size(phone_page: Page, shelf: Shelf) -> None:
    page = phone_page
    sign_in_via_api(page, DESK.email)
    open_page(page, "/desk.html")
    switch_language(page, "English")
    expect(page.get_by_label("Scan card or item")).to_be_visible()
    page.get_by_label("Take returns").check()
    expect(page.get_by_role("heading", name="The hold shelf")).to_be_visible()
    assert_accessible(page, "the desk in English on a phone")
    assert_no_horizontal_scroll(page, "the desk")
    open_page(page, f"/item.html?code={shelf.desk_only}")
    expect(page.get_by_text("Borrowed at the desk, from the staff")).to_be_visible()
    assert_accessible(page, "the item page in English")
    open_page(page, "/loans.html")
    expect(page.get_by_role("heading", name="Sign in with your lending card")).to_be_visible()
    assert_accessible(page, "the borrower's loans in English, signed out")
