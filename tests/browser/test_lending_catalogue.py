"""The lending catalogue in a real Chromium: the public catalogue on a phone, the borrower's digital
card (self-registration, then the card with its QR code), and the staff label page linking a label
that a phone scan led to. axe-core finds zero violations on each."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from booking.seed import DEMO_ACCOUNTS
from tests.browser.support import (
    ApiClient,
    LiveServer,
    assert_accessible,
    assert_no_horizontal_scroll,
    console,
    open_page,
    sign_in_via_api,
    switch_language,
)
from tests.qr_reading import svg_via_rsvg, zbar

pytestmark = pytest.mark.browser

STAFF = next(a for a in DEMO_ACCOUNTS if a.role == "lending_staff")
GUARDIAN = next(a for a in DEMO_ACCOUNTS if a.role == "guardian")


def test_the_public_catalogue_on_a_phone(phone_page: Page) -> None:
    open_page(phone_page, "/catalogue.html")
    results = phone_page.locator("#catalogue-results > li")
    expect(results.first).to_be_visible()
    expect(phone_page.get_by_role("status")).to_contain_text("hittades")
    assert_accessible(phone_page, "the catalogue on a phone")
    assert_no_horizontal_scroll(phone_page, "the catalogue")
    phone_page.get_by_role("searchbox", name="Sök").fill("hockey")
    expect(results.first).to_contain_text("Hockeyskridskor")
    expect(results).to_have_count(3)  # sizes 34, 38 and 42
    phone_page.get_by_label("Storlek").select_option("38")
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("Tillgänglig")
    assert "q=hockey" in phone_page.url and "size=38" in phone_page.url
    switch_language(phone_page, "English")
    expect(results.first).to_contain_text("Available")
    assert_accessible(phone_page, "the filtered catalogue in English")


def test_self_registration_gives_a_digital_card_whose_qr_decodes(phone_page: Page, live_server: LiveServer) -> None:
    sign_in_via_api(phone_page, GUARDIAN.email)
    console(phone_page).allow(404, "/api/lending/me")  # not a borrower yet: the page offers registration
    open_page(phone_page, "/card.html")
    expect(phone_page.get_by_role("heading", name="Bli låntagare")).to_be_visible()
    console(phone_page).allow(422, "/api/lending/me")
    phone_page.get_by_role("button", name="Skapa lånekort").click()
    expect(phone_page.locator("#register-alert")).to_contain_text("Rätta följande")
    expect(phone_page.get_by_label("Namn")).to_have_attribute("aria-invalid", "true")
    assert_accessible(phone_page, "the registration form with errors")
    phone_page.get_by_label("Namn").fill("Vera Vårdnadshavare")
    phone_page.get_by_label("Mobilnummer").fill("070-765 43 21")
    phone_page.get_by_label("Födelseår").fill("1982")
    phone_page.get_by_role("button", name="Skapa lånekort").click()
    expect(phone_page.locator(".card-number")).to_be_visible()
    number = phone_page.locator(".card-number").inner_text().replace(" ", "")
    assert len(number) == 10
    assert_accessible(phone_page, "the digital card")
    assert_no_horizontal_scroll(phone_page, "the digital card")
    svg = phone_page.request.get(live_server("/api/lending/me/card.svg"))
    drawn = svg_via_rsvg(svg.body(), Path(tempfile.mkdtemp()), "card")  # librsvg, never zbarimg on an SVG
    assert zbar(drawn) == [live_server(f"/k/{number}")]


def test_a_scanned_unlinked_label_is_linked_on_the_labels_page(page: Page, live_server: LiveServer) -> None:
    staff = ApiClient(live_server, STAFF.email)
    code = staff.send("POST", "/api/lending/labels", {"count": 1}, expect=201)["codes"][0]
    articles = staff.get("/api/lending/items", limit=1)["items"]
    bare = staff.send("POST", "/api/lending/items", {"article_id": articles[0]["article_id"],
                                                     "site_id": articles[0]["site_id"], "with_labels": False},
                      expect=201)["items"][0]
    sign_in_via_api(page, STAFF.email)
    page.goto(live_server(f"/q/{code}"))  # what a phone camera opens
    expect(page.get_by_role("heading", name="Etiketter", exact=True)).to_be_visible()
    expect(page.get_by_label("Etikettkod")).to_have_value(code)
    assert_accessible(page, "the labels page")
    page.get_by_label("Utrustning utan etikett").select_option(bare["id"])
    page.get_by_role("button", name="Koppla").click()
    expect(page.locator("#link-status")).to_contain_text(code)
    assert staff.get(f"/api/lending/items/{bare['id']}")["label_code"] == code
    page.get_by_role("button", name="Skapa etiketter").click()
    expect(page.locator("#create-status")).to_contain_text("24 etiketter")
    page.get_by_role("button", name="Skapa PDF").click()
    expect(page.get_by_role("link", name="Öppna PDF (24 etiketter)")).to_be_visible()
    expect(page.locator("#print-log li").first).to_contain_text("24 etiketter")
    assert_accessible(page, "the labels page after printing")


def test_staff_register_a_borrower_block_and_replace_the_card(page: Page, live_server: LiveServer) -> None:
    sign_in_via_api(page, STAFF.email)
    open_page(page, "/borrowers.html")
    assert_accessible(page, "the borrowers page")
    console(page).allow(422, "/api/lending/borrowers")
    page.get_by_role("button", name="Registrera och skapa kort").click()
    expect(page.locator("#register-alert")).to_contain_text("Rätta följande")
    assert_accessible(page, "the registration with errors")
    page.get_by_label("Namn", exact=True).fill("Kim Kortbyte")
    page.get_by_label("Mobilnummer", exact=True).fill("070-222 33 44")
    page.get_by_label("Födelseår").fill("1999")
    page.get_by_role("button", name="Registrera och skapa kort").click()
    expect(page.locator("#register-status")).to_contain_text("Kim Kortbyte är registrerad med kort")
    first_card = page.locator("#detail-body p").first.inner_text()
    page.get_by_label("Anledning till spärr").fill("Förlorad hjälm")
    page.get_by_role("button", name="Spärra låntagaren").click()
    expect(page.locator("#detail-status")).to_have_text("Låntagaren är spärrad.")
    page.get_by_role("button", name="Kortet är borttappat – spärra och skapa nytt").click()
    expect(page.locator("#detail-status")).to_contain_text("Nytt kortnummer")
    assert page.locator("#detail-body p").first.inner_text() != first_card
    page.get_by_label("Namn, mobilnummer eller kortnummer").fill("Kortbyte")
    page.get_by_role("button", name="Sök").click()
    expect(page.get_by_role("status").filter(has_text="1 låntagare")).to_be_visible()
    expect(page.locator("#search-results")).to_contain_text("Spärrad: Förlorad hjälm")
    assert_accessible(page, "the borrowers page with a borrower shown")


@pytest.mark.parametrize("path", ["/donations.html", "/stockcount.html", "/items.html", "/lending-stats.html"])
def test_staff_pages_are_accessible(page: Page, path: str) -> None:
    sign_in_via_api(page, STAFF.email)
    open_page(page, path)
    expect(page.locator("#page-area")).to_be_visible()
    assert_accessible(page, path)


def test_lending_statistics_show_the_reach_by_where_borrowers_live(page: Page) -> None:
    sign_in_via_api(page, STAFF.email)
    open_page(page, "/lending-stats.html")
    reach = page.get_by_role("table", name="Barn som lånar per 1 000 barn som bor i området")
    expect(reach.get_by_role("columnheader")).to_have_text(["Område", "Barn 0-17 som lånat", "Per 1 000 barn"])
    expect(reach.get_by_role("rowheader", name="Nacksta", exact=True)).to_be_visible()
    assert_accessible(page, "the lending statistics with the reach per area")


def test_a_donation_is_registered_and_counted_at_the_stock_count(page: Page, live_server: LiveServer) -> None:
    sign_in_via_api(page, STAFF.email)
    open_page(page, "/donations.html")
    page.get_by_label("Sak och storlek").select_option(label="Fotboll – 5")
    page.get_by_label("Antal").fill("2")
    page.get_by_role("button", name="Registrera gåvan").click()
    expect(page.locator("#donation-status")).to_have_text("2 saker registrerade.")
    expect(page.get_by_role("link", name="Skriv ut etiketterna (PDF) – 3 x 8")).to_be_visible()
    assert_accessible(page, "the donations page after a donation")
    staff = ApiClient(live_server, STAFF.email)
    donation = staff.get("/api/lending/donations", limit=1)["items"][0]
    codes = [i["label_code"] for i in staff.get("/api/lending/items", q="Fotboll", limit=200)["items"]
             if i["label_code"] and i["site_id"] == donation["site_id"]]
    open_page(page, "/stockcount.html")
    page.get_by_label("Fritidsbank").select_option(donation["site_id"])
    page.get_by_role("button", name="Starta inventering").click()
    scan = page.get_by_label("Skanna etikett")
    scan.fill(live_server(f"/q/{codes[0]}"))  # a scanner types the whole URL
    scan.press("Enter")
    expect(page.locator("#scan-status")).to_contain_text(f"{codes[0]}: Fotboll 5")
    scan.fill(codes[0])
    scan.press("Enter")
    expect(page.locator("#scan-status")).to_contain_text("redan skannad")
    assert_accessible(page, "the stock count while scanning")
    page.get_by_role("button", name="Avsluta och jämför").click()
    expect(page.locator("#result-body")).to_contain_text("1 skannad")
    expect(page.locator("#result-body")).to_contain_text("saknas")
    assert_accessible(page, "the stock count's result")
