"""Fritidsbanken's settings page (lending-admin.html) in a real Chromium: an administrator of a fresh
municipality (nothing the other tests count on the shared demo server) sets a lending site's opening days,
makes categories and an article in three sizes with its loan period, meets the API's field errors at their
fields and in the summary, and fixes them; axe-core on the page in Swedish and English, desktop and phone."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from booking.seed import DEMO_ACCOUNTS, DEMO_PASSWORD
from tests.browser.support import (
    LiveServer,
    assert_accessible,
    assert_no_horizontal_scroll,
    console,
    new_municipality,
    open_page,
    ready,
    sign_in_via_api,
    switch_language,
)

pytestmark = [pytest.mark.browser, pytest.mark.new_municipality]

LENDING = next(a for a in DEMO_ACCOUNTS if a.role == "lending_staff")
PREMISES = next(a for a in DEMO_ACCOUNTS if a.role == "premises_staff")


def _fresh_admin(server: LiveServer) -> str:
    """What `booking admin create --municipality <slug> ...` makes, on the live server's database: the e-mail."""
    return new_municipality(server, "fb", "Frida Fritid")[1]


def _send(page: Page, method: str, path: str, body: Any = None) -> Any:
    csrf = next(c["value"] for c in page.context.cookies() if c["name"] == "booking_csrf")
    answer = page.request.fetch(path, method=method, headers={"X-CSRF-Token": csrf}, data=body)
    assert answer.ok, answer.text()
    return answer.json() if answer.status != 204 else None


def test_the_admin_sets_opening_days_categories_and_an_article_in_three_sizes(page: Page,
                                                                              live_server: LiveServer) -> None:
    sign_in_via_api(page, _fresh_admin(live_server))
    site = _send(page, "POST", "/api/sites", {"name": "Fritidsbanken Nyby", "address": {
        "street": "Bankgatan 1", "postal_code": "611 30", "city": "Nyköping"}})
    open_page(page, "/lending-admin.html")
    expect(page.get_by_role("heading", level=1)).to_have_text("Fritidsbanken: inställningar")
    place = page.locator(f'[data-site-id="{site["id"]}"]')
    expect(place).to_contain_text("Inga öppetdagar valda – räknas som öppet alla dagar")
    expect(place).to_contain_text("Ingen utrustning här ännu")

    # the site's opening days: nothing chosen is refused at the first day, then three days saved
    page.get_by_role("button", name="Ändra öppetdagar för Fritidsbanken Nyby").click()
    for day in ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag"):
        page.get_by_label(day, exact=True).uncheck()
    page.get_by_role("button", name="Spara öppetdagarna").click()
    expect(page.get_by_label("måndag", exact=True)).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#days-alert")).to_contain_text("Välj minst en dag.")
    for day in ("tisdag", "torsdag", "lördag"):
        page.get_by_label(day, exact=True).check()
    page.get_by_label("Öppnar").fill("19:00")
    page.get_by_label("Stänger").fill("15:00")  # the API refuses it at its field
    console(page).allow(422, f"/api/lending/opening-days/{site['id']}")
    page.get_by_role("button", name="Spara öppetdagarna").click()
    expect(page.get_by_label("Stänger")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#site-closes-error")).to_have_text("Stället måste stänga efter att det öppnar.")
    expect(page.locator("#days-alert")).to_contain_text("Stället måste stänga efter att det öppnar.")
    expect(page.get_by_label("måndag", exact=True)).not_to_have_attribute("aria-invalid", "true")
    page.get_by_label("Öppnar").fill("15:00")
    page.get_by_label("Stänger").fill("19:30")
    page.get_by_role("button", name="Spara öppetdagarna").click()
    expect(page.locator("#lending-admin-status")).to_have_text("Öppetdagarna för Fritidsbanken Nyby är sparade.")
    expect(place.locator(".lending-site-days")).to_have_text("Öppet tisdag, torsdag och lördag, 15:00–19:30")
    days = page.request.get(f"/api/lending/opening-days/{site['id']}").json()
    assert (days["weekdays"], days["set"], days["opens"], days["closes"]) == ([1, 3, 5], True, "15:00", "19:30")

    open_page(page, "/setup.html")  # the checklist's step is done, and leads to this page
    lending_step = page.locator('.setup-step[data-step="lending_hours"]')
    expect(lending_step).to_have_attribute("data-done", "true")
    lending_step.get_by_role("link", name="Gå till fritidsbankens öppetdagar").click()
    expect(page).to_have_url(re.compile(r"/lending-admin\.html$"))
    ready(page)

    # categories: a top category and a subcategory under it
    page.get_by_label("Kategorins namn").fill("Vintersport")
    page.get_by_role("button", name="Lägg till kategorin").click()
    expect(page.locator("#lending-admin-status")).to_have_text("Kategorin Vintersport är tillagd.")
    page.get_by_label("Kategorins namn").fill("Skridskor")
    page.get_by_label("Ligger under").select_option(label="Vintersport")
    page.get_by_role("button", name="Lägg till kategorin").click()
    expect(page.locator("#lending-admin-status")).to_have_text("Kategorin Skridskor är tillagd.")
    expect(page.locator("#lending-categories > li")).to_have_text([re.compile(r"^Vintersport.*Skridskor")])

    # an article in three sizes; the API refuses the loan period, then a size given twice, at their fields
    page.get_by_label("Kategori", exact=True).select_option(label="Vintersport › Skridskor")
    page.get_by_label("Namn", exact=True).fill("Hockeyskridskor")
    page.get_by_label("Storlekar eller längder").fill("36, 38, 38")
    page.get_by_label("Lånetid (dagar)").fill("400")
    console(page).allow(422, "/api/lending/article-sizes")
    page.get_by_role("button", name="Lägg till artikeln").click()
    expect(page.get_by_label("Lånetid (dagar)")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#art-loan-error")).to_have_text("Lånetiden är 1–365 dagar.")
    expect(page.locator("#article-alert")).to_contain_text("Lånetiden är 1–365 dagar.")
    expect(page.get_by_label("Lånetid (dagar)")).to_be_focused()
    page.get_by_label("Lånetid (dagar)").fill("21")
    page.get_by_role("button", name="Lägg till artikeln").click()
    expect(page.locator("#art-sizes-error")).to_have_text("Storleken 38 står två gånger.")
    expect(page.get_by_label("Storlekar eller längder")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Lånetid (dagar)")).not_to_have_attribute("aria-invalid", "true")
    page.locator("#article-alert").get_by_role("link", name="Storleken 38 står två gånger.").click()
    expect(page.get_by_label("Storlekar eller längder")).to_be_focused()
    page.get_by_label("Storlekar eller längder").fill("36, 38, 40")
    page.get_by_role("button", name="Lägg till artikeln").click()
    expect(page.locator("#lending-admin-status")).to_have_text("Hockeyskridskor är tillagd i 3 storlekar.")
    expect(page.locator("#lending-articles > li")).to_have_text([
        re.compile(rf"^Hockeyskridskor {size}Vintersport › Skridskor · Lånetid 21 dagar")
        for size in ("36", "38", "40")])
    expect(page.locator("#article-alert")).to_be_empty()
    articles = page.request.get("/api/lending/articles").json()
    assert sorted((a["name"], a["variant"], a["loan_period_days"]) for a in articles) == [
        ("Hockeyskridskor", size, 21) for size in ("36", "38", "40")]

    # a size changed, one removed; a category still in use stays
    page.get_by_role("button", name="Ändra Hockeyskridskor 40").click()
    page.get_by_label("Storlek eller längd").fill("42")
    page.get_by_label("Barn under 18 år behöver vårdnadshavarens medgivande").check()
    page.get_by_role("button", name="Spara artikeln").click()
    expect(page.locator("#lending-admin-status")).to_have_text("Hockeyskridskor 42 är sparad.")
    expect(page.locator("#lending-articles > li").last).to_contain_text("Lånetid 21 dagar · Medgivande under 18 år")
    page.get_by_role("button", name="Ta bort Hockeyskridskor 36").click()
    expect(page.locator("#lending-admin-status")).to_have_text("Hockeyskridskor 36 är borttagen.")
    expect(page.locator("#lending-articles > li")).to_have_count(2)
    vinter = next(c for c in page.request.get("/api/lending/categories", params={"site_id": site["id"]}).json()
                  if c["name"] == "Vintersport")
    console(page).allow(409, f"/api/lending/categories/{vinter['id']}")
    page.get_by_role("button", name="Ta bort kategorin Vintersport").click()
    expect(page.locator("#category-alert")).to_contain_text(
        "Kategorin Vintersport har underkategorier eller artiklar och kan inte tas bort.")
    articles = {a["variant"]: a for a in page.request.get("/api/lending/articles").json()}
    assert sorted(articles) == ["38", "42"] and articles["42"]["needs_guardian_consent"] is True
    assert len(page.request.get("/api/lending/categories", params={"site_id": site["id"]}).json()) == 2


def test_staff_of_one_site_set_its_days_and_see_the_catalogue_without_changing_it(page: Page,
                                                                                   live_server: LiveServer) -> None:
    sign_in_via_api(page, _fresh_admin(live_server))
    address = {"street": "Bankgatan 1", "postal_code": "611 30", "city": "Nyköping"}
    mine = _send(page, "POST", "/api/sites", {"name": "Fritidsbanken Öst", "address": address})
    _send(page, "POST", "/api/sites", {"name": "Fritidsbanken Väst", "address": address})
    top = _send(page, "POST", "/api/lending/categories", {"name": "Friluftsliv"})
    _send(page, "POST", "/api/lending/articles", {"category_id": top["id"], "name": "Tält", "variant": "2 personer"})
    email = f"ost.{uuid.uuid4().hex[:8]}@example.se"
    _send(page, "POST", "/api/accounts", {"email": email, "display_name": "Östra disken", "password": DEMO_PASSWORD,
                                          "roles": [{"role": "lending_staff", "scope_id": mine["id"]}]})
    page.context.clear_cookies()

    sign_in_via_api(page, email)
    open_page(page, "/lending-admin.html")
    expect(page.locator("#lending-sites > li h3")).to_have_text(["Fritidsbanken Öst"])  # its own site only
    expect(page.locator("#catalogue-read-only")).to_contain_text("Du kan se katalogen men inte ändra den")
    expect(page.locator("#lending-categories")).to_contain_text("Friluftsliv")
    expect(page.locator("#lending-articles > li")).to_have_text([re.compile(r"^Tält 2 personerFriluftsliv")])
    expect(page.get_by_role("button", name="Lägg till kategorin")).to_have_count(0)
    expect(page.get_by_role("button", name="Lägg till artikeln")).to_have_count(0)
    expect(page.get_by_role("button", name=re.compile("^(Ta bort|Byt namn|Ändra Tält)"))).to_have_count(0)
    page.get_by_role("button", name="Ändra öppetdagar för Fritidsbanken Öst").click()
    for day in ("lördag", "söndag"):
        page.get_by_label(day, exact=True).uncheck()
    page.get_by_role("button", name="Spara öppetdagarna").click()
    expect(page.locator("#lending-admin-status")).to_have_text("Öppetdagarna för Fritidsbanken Öst är sparade.")
    expect(page.locator(".lending-site-days")).to_have_text(
        "Öppet måndag, tisdag, onsdag, torsdag och fredag")


def test_other_staff_are_told_the_page_is_not_theirs(page: Page) -> None:
    page.goto("/lending-admin.html")  # signed out: to the sign-in page, and back here afterwards
    expect(page).to_have_url(re.compile(r"/login\.html\?next=%2Flending-admin\.html$"))
    sign_in_via_api(page, PREMISES.email)
    open_page(page, "/lending-admin.html")
    expect(page.locator("#lending-admin-page")).to_have_text(
        "Den här sidan är för Fritidsbankens personal och kommunens administratörer.")


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_the_lending_settings_page_is_accessible(page: Page, phone_page: Page, size: str) -> None:
    page = phone_page if size == "phone" else page
    sign_in_via_api(page, LENDING.email)
    open_page(page, "/lending-admin.html")
    expect(page.locator("#lending-articles > li").first).to_be_visible()  # the demo's catalogue
    page.locator(".setup-site").first.get_by_role("button", name=re.compile("^Ändra öppetdagar för")).click()
    expect(page.locator("#days-form")).to_be_visible()
    page.get_by_role("button", name="Lägg till artikeln").click()  # the page's own field errors, nothing sent
    expect(page.get_by_label("Namn", exact=True)).to_have_attribute("aria-invalid", "true")
    assert_accessible(page, f"/lending-admin.html in Swedish ({size})")
    if size == "phone":
        assert_no_horizontal_scroll(page, "/lending-admin.html")
        # a phone widens its layout viewport to the widest content, so compare with the screen's own width too
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= page.viewport_size["width"], f"the page is {width} px wide on a phone"  # type: ignore[index]
    switch_language(page, "English")
    expect(page.get_by_role("heading", level=1)).to_have_text("Fritidsbanken: settings")
    assert_accessible(page, f"/lending-admin.html in English ({size})")
