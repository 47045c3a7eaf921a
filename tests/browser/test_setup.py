"""Onboarding in the browser: a municipality fresh from `booking admin create` (the CLI's own function),
whose admin signs in, lands on the set-up checklist and reaches a bookable space from the pages alone;
the settings pages keep WCAG 2.1 AA (axe-core, Swedish and English, desktop and phone)."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from playwright.sync_api import Locator, Page, expect

from booking.seed import DEMO_ACCOUNTS
from tests.browser.support import (
    LiveServer,
    assert_accessible,
    assert_no_horizontal_scroll,
    console,
    new_municipality,
    open_page,
    ready,
    sign_in_via_api,
    sign_in_with_form,
    switch_language,
)

pytestmark = [pytest.mark.browser, pytest.mark.new_municipality]

ADMIN = next(a for a in DEMO_ACCOUNTS if a.role == "admin")
LENDING = next(a for a in DEMO_ACCOUNTS if a.role == "lending_staff")
PAGES = ["/setup.html", "/municipality.html", "/areas.html", "/premises-admin.html"]


@dataclass(frozen=True)
class Fresh:
    slug: str
    email: str


def _fresh_municipality(server: LiveServer) -> Fresh:
    """What `booking admin create --municipality <slug> ...` makes, on the live server's database."""
    return Fresh(*new_municipality(server, "ny", "Nora Ny"))


def municipality_id(page: Page, slug: str) -> str:
    found = page.request.get("/api/municipalities?limit=200").json()["items"]
    return str(next(m["id"] for m in found if m["slug"] == slug))


def step(page: Page, name: str) -> Locator:
    return page.locator(f'.setup-step[data-step="{name}"]')


def test_a_fresh_municipality_reaches_its_first_bookable_space_from_the_pages(page: Page,
                                                                              live_server: LiveServer) -> None:
    fresh = _fresh_municipality(live_server)
    open_page(page, "/login.html")
    sign_in_with_form(page, fresh.email)
    expect(page).to_have_url(re.compile(r"/setup\.html$"))
    ready(page)
    expect(page.locator(".setup-step")).to_have_count(9)
    expect(page.locator('.setup-step[data-done="true"]')).to_have_count(0)
    expect(page.locator("#setup-progress")).to_have_text("0 av 9 klara")

    page.get_by_role("link", name="Gå till områden med antal invånare 0–17 år").click()
    expect(page).to_have_url(re.compile(r"/areas\.html$"))
    ready(page)
    page.get_by_label("Invånare 0–17 år").fill("tolv")
    page.get_by_role("button", name="Lägg till", exact=True).click()
    expect(page.locator("#area-alert")).to_contain_text("Skriv områdets namn.")
    expect(page.get_by_label("Invånare 0–17 år")).to_have_attribute("aria-invalid", "true")
    page.get_by_label("Namn", exact=True).fill("Brandkärr")
    page.get_by_label("Invånare 0–17 år").fill("1 200")
    page.get_by_role("button", name="Lägg till", exact=True).click()
    expect(page.locator("#areas-status")).to_have_text("Området Brandkärr är tillagt.")
    expect(page.locator("#areas-table tbody tr")).to_have_text([re.compile(r"Brandkärr\s*1\s200")])

    open_page(page, "/premises-admin.html")
    page.get_by_role("button", name="Ny skola eller anläggning").click()
    editor = page.locator("#place-editor")
    editor.get_by_label("Namn", exact=True).fill("Brandkärrsskolan")
    editor.get_by_label("Gatuadress").fill("Skolgatan 2")
    editor.get_by_label("Postnummer").fill("6113")
    editor.get_by_label("Ort").fill("Nyköping")
    editor.get_by_label("Område").select_option(label="Brandkärr")
    console(page).allow(422, "/api/sites")
    editor.get_by_role("button", name="Spara skolan").click()
    expect(editor.get_by_label("Postnummer")).to_have_attribute("aria-invalid", "true")  # the API's field error
    editor.get_by_label("Postnummer").fill("611 38")
    editor.get_by_role("button", name="Spara skolan").click()
    expect(page.locator("#place-status")).to_have_text("Brandkärrsskolan är sparad.")

    page.get_by_role("button", name="Ny lokal på Brandkärrsskolan").click()
    editor.get_by_label("Lokalens namn").fill("Idrottshallen")
    editor.get_by_label("Typ av lokal").select_option(label="Gymnastiksal")
    editor.get_by_label("Rymmer (personer)").fill("40")
    editor.get_by_label("Steglöst tillträde").check()
    editor.get_by_label("Utrustning").fill("Bollar\nMålburar")
    editor.get_by_role("button", name="Spara lokalen").click()
    expect(page.locator("#place-status")).to_have_text("Idrottshallen är sparad.")

    page.get_by_role("button", name="Öppettider för Idrottshallen").click()
    for day in ("måndag", "tisdag", "onsdag", "torsdag", "fredag"):
        editor.get_by_label(f"Öppnar {day}").fill("17:00")
        editor.get_by_label(f"Stänger {day}").fill("22:00")
    editor.get_by_label("Öppnar lördag").fill("10:00")
    editor.get_by_role("button", name="Spara öppettiderna").click()
    expect(editor.get_by_label("Stänger lördag")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#editor-alert")).to_contain_text("Fyll i både när lokalen öppnar och stänger.")
    editor.get_by_label("Öppnar lördag").fill("")
    editor.get_by_role("button", name="Spara öppettiderna").click()
    expect(page.locator("#place-status")).to_have_text("Öppettiderna för Idrottshallen är sparade.")
    expect(page.locator(".setup-spaces li")).to_contain_text("mån 17:00–22:00")

    open_page(page, "/setup.html")
    for name in ("areas", "sites", "spaces", "opening_hours"):
        expect(step(page, name)).to_have_attribute("data-done", "true")
    for name in ("booking_rules", "prices", "staff"):
        expect(step(page, name)).to_have_attribute("data-done", "false")
    spaces = page.request.get(f"/api/spaces?municipality={fresh.slug}").json()["items"]
    assert [(s["name"], s["kind"], s["capacity"], s["equipment"]) for s in spaces] == \
        [("Idrottshallen", "gym", 40, ["Bollar", "Målburar"])]
    hours = page.request.get(f"/api/spaces/{spaces[0]['id']}/opening-hours").json()
    assert [w["weekday"] for w in hours["general"]] == [0, 1, 2, 3, 4]


def test_the_admin_divides_a_hall_and_sets_its_booking_rules(page: Page, live_server: LiveServer) -> None:
    fresh = _fresh_municipality(live_server)
    sign_in_via_api(page, fresh.email)
    admin = page.request
    csrf = next(c["value"] for c in page.context.cookies() if c["name"] == "booking_csrf")
    made = admin.post("/api/sites", headers={"X-CSRF-Token": csrf}, data={"name": "Arnöskolan", "address": {
        "street": "Arnövägen 1", "postal_code": "611 60", "city": "Nyköping"}})
    assert made.status == 201, made.text()
    site = made.json()
    open_page(page, "/premises-admin.html")
    editor = page.locator("#place-editor")
    page.get_by_role("button", name="Ny lokal på Arnöskolan").click()
    editor.get_by_label("Lokalens namn").fill("Arnöhallen")
    editor.get_by_label("Typ av lokal").select_option(label="Hall")
    editor.get_by_label("Rymmer (personer)").fill("120")
    editor.get_by_label("Minsta framförhållning (timmar)").fill("48")
    editor.get_by_label("Barn- och ungdomsföreningar").check()
    editor.get_by_role("button", name="Spara lokalen").click()
    expect(page.locator("#place-status")).to_have_text("Arnöhallen är sparad.")
    page.get_by_role("button", name="Ny lokal på Arnöskolan").click()
    editor.get_by_label("Lokalens namn").fill("Arnöhallen A")
    editor.get_by_label("Typ av lokal").select_option(label="Hall")
    editor.get_by_label("Rymmer (personer)").fill("60")
    editor.get_by_label("Del av en delbar hall").select_option(label="Arnöhallen")
    editor.get_by_label("Längsta bokning (minuter)").fill("10")  # below the shortest: refused at its field
    console(page).allow(422, "/api/spaces")
    editor.get_by_role("button", name="Spara lokalen").click()
    expect(editor.get_by_label("Längsta bokning (minuter)")).to_have_attribute("aria-invalid", "true")
    editor.get_by_label("Längsta bokning (minuter)").fill("240")
    editor.get_by_role("button", name="Spara lokalen").click()
    expect(page.locator("#place-status")).to_have_text("Arnöhallen A är sparad.")
    expect(page.locator(".setup-spaces li").filter(has_text="Arnöhallen A")).to_contain_text("Del av Arnöhallen")

    spaces = {s["name"]: s for s in admin.get(f"/api/spaces?site_id={site['id']}").json()["items"]}
    whole, part = spaces["Arnöhallen"], spaces["Arnöhallen A"]
    assert part["parent_id"] == whole["id"] and whole["part_ids"] == [part["id"]]
    assert whole["rules"]["min_notice_hours"] == 48 and whole["rules"]["auto_approve_categories"] == ["youth"]
    assert part["rules"]["max_duration_minutes"] == 240
    open_page(page, "/setup.html")
    expect(step(page, "booking_rules")).to_have_attribute("data-done", "true")
    expect(step(page, "opening_hours")).to_have_attribute("data-done", "false")


def test_the_admin_sets_the_municipalitys_name_zone_and_eves(page: Page, live_server: LiveServer) -> None:
    fresh = _fresh_municipality(live_server)
    sign_in_via_api(page, fresh.email)
    open_page(page, "/municipality.html")
    page.get_by_label("Tidszon").fill("Mars/Olympus")
    console(page).allow(422, f"/api/municipalities/{municipality_id(page, fresh.slug)}")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_label("Tidszon")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#municipality-alert")).to_contain_text("Europe/Stockholm")
    page.get_by_label("Tidszon").fill("Europe/Stockholm")
    page.get_by_label("Namn").fill("Nya kommunen")
    page.get_by_label("Julafton").uncheck()
    page.get_by_role("button", name="Spara").click()
    expect(page.locator("#municipality-status")).to_have_text("Ändringarna är sparade.")
    municipality = next(m for m in page.request.get("/api/municipalities?limit=200").json()["items"]
                        if m["slug"] == fresh.slug)
    assert municipality["name"] == "Nya kommunen"
    assert municipality["closed_eves"] == ["easter_eve", "midsummer_eve", "new_years_eve"]


def test_other_roles_still_land_at_home_and_see_no_set_up_pages(page: Page) -> None:
    open_page(page, "/login.html")
    sign_in_with_form(page, LENDING.email)
    expect(page).to_have_url(re.compile(r"/$"))
    ready(page)
    open_page(page, "/setup.html")
    expect(page.locator("#setup-page")).to_have_text("Den här sidan är för kommunens administratörer.")


@pytest.mark.parametrize("size", ["desktop", "phone"])
@pytest.mark.parametrize("path", PAGES)
def test_the_set_up_pages_are_accessible(page: Page, phone_page: Page, path: str, size: str) -> None:
    page = phone_page if size == "phone" else page
    sign_in_via_api(page, ADMIN.email)
    open_page(page, path)
    if path == "/premises-admin.html":  # the editor open, with the page's own field errors
        page.get_by_role("button", name="Ny skola eller anläggning").click()
        page.get_by_role("button", name="Spara skolan").click()
        expect(page.locator("#place-editor [aria-invalid=true]").first).to_be_visible()
    if path == "/areas.html":
        page.get_by_role("button", name="Lägg till", exact=True).click()
        expect(page.locator("#area-alert")).to_contain_text("Skriv områdets namn.")
    assert_accessible(page, f"{path} in Swedish ({size})")
    if size == "phone":
        assert_no_horizontal_scroll(page, path)
    switch_language(page, "English")
    assert_accessible(page, f"{path} in English ({size})")
