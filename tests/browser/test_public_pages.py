"""What an anonymous visitor sees: the Swedish home page, the demo schools and their premises,
the filter, the English version, the 404 page, and the security headers on the pages."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.support import console, open_page, path_of, switch_language

pytestmark = pytest.mark.browser

DEMO_SITES = ["Bredsandsskolan", "Nackstaskolan", "Skönsbergsskolan"]


def site(page: Page, name: str) -> Locator:
    return page.get_by_role("article", name=name)


def space(scope: Locator, name: str) -> Locator:
    """The card of one space, found by its heading (the innermost one: a hall's card holds its parts)."""
    return scope.locator("li.space").filter(has=scope.page.get_by_role("heading", name=name, exact=True)).last


def fact(scope: Locator, term: str) -> Locator:
    """The value (<dd>) given for a term (<dt>) in a description list."""
    return scope.locator(f"xpath=.//dt[normalize-space()='{term}']/following-sibling::dd[1]").first


def test_home_is_swedish_and_says_what_is_live(page: Page) -> None:
    response = page.goto("/")
    assert response is not None and response.status == 200
    expect(page.locator("main")).not_to_have_attribute("aria-busy", "true")
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    expect(page).to_have_title("Hem – Bokning")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Fritid i skolans lokaler, på lovet och med lånad utrustning")
    for part in ("Skolans lokaler efter skoltid", "Lovaktiviteter", "Fritidsbanken"):
        expect(page.get_by_role("heading", name=part, level=3)).to_be_visible()
    # All three parts are live, each card leading to its public page.
    cards = page.locator(".card")
    for part, href in (("Skolans lokaler efter skoltid", None), ("Lovaktiviteter", "/activities.html"),
                       ("Fritidsbanken", "/catalogue.html")):
        card = cards.filter(has_text=part)
        expect(card).to_contain_text("Finns nu")
        expect(card).not_to_contain_text("Under utveckling")
        if href:
            expect(card.get_by_role("link")).to_have_attribute("href", href)

    nav = page.get_by_role("navigation", name="Huvudmeny")
    expect(nav.get_by_role("link")).to_have_text(["Hem", "Lokaler", "Fritidsbanken", "Lovaktiviteter", "Hitta förening",
                                                  "Föreningsmatchning", "Logga in"])
    expect(nav.get_by_role("link", name="Hem")).to_have_attribute("aria-current", "page")
    expect(page.get_by_role("button", name="Logga ut")).to_have_count(0)

    page.get_by_role("link", name="Se skolor och lokaler", exact=True).click()
    expect(page).to_have_url(re.compile(r"/sites\.html$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Skolor och lokaler")


def test_pages_carry_the_content_security_policy(page: Page) -> None:
    for path in ("/", "/sites.html", "/login.html", "/account.html"):
        response = page.goto(path)
        assert response is not None
        csp = response.headers.get("content-security-policy", "")
        assert "script-src 'self'" in csp, f"{path}: {csp!r}"
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, f"{path}: {csp!r}"
        assert "frame-ancestors 'none'" in csp, f"{path}: {csp!r}"
        expect(page.locator("main")).not_to_have_attribute("aria-busy", "true")
    # and the pages keep to it: the page fixture fails on any CSP report in the console.


def test_sites_lists_the_demo_schools_and_their_premises(page: Page) -> None:
    open_page(page, "/sites.html")
    expect(page.get_by_role("status")).to_have_text("Visar 3 av 3 anläggningar.")
    expect(page.locator(".site-name")).to_have_text(DEMO_SITES)  # sorted by name

    nacksta = site(page, "Nackstaskolan")
    expect(nacksta).to_contain_text("Nackstavägen 20, 856 53 Sundsvall")
    expect(fact(nacksta, "Område")).to_have_text("Nacksta")

    hall = space(nacksta, "Nacksta idrottshall")
    expect(fact(hall, "Typ")).to_have_text("Hall")
    expect(fact(hall, "Rymmer")).to_have_text("120 personer")
    expect(hall).to_contain_text("Utrustning: Basketkorgar, Innebandysarg, Ljudanläggning")
    # The divisible hall shows its halves inside it, and they are not listed again on their own.
    parts = hall.get_by_role("list", name="Kan delas i 2 delar:")
    expect(parts.get_by_role("heading")).to_have_text(["Nacksta idrottshall A", "Nacksta idrottshall B"])
    expect(parts).to_contain_text("Halvan närmast entrén.")
    expect(page.get_by_role("heading", name="Nacksta idrottshall A")).to_have_count(1)

    music = space(nacksta, "Musiksal 1")
    expect(fact(music, "Typ")).to_have_text("Musiksal")
    expect(fact(music, "Rymmer")).to_have_text("25 personer")
    access = music.get_by_role("list", name="Tillgänglighet")
    expect(access.get_by_role("listitem")).to_have_text(
        ["Steglöst tillträde", "Ingen tillgänglighetsanpassad toalett", "Hörslinga"])
    expect(access.locator("img")).to_have_count(3)  # an icon by each text

    classroom = space(nacksta, "Klassrum B12")
    expect(classroom.get_by_role("list", name="Tillgänglighet")).to_contain_text("Inte steglöst tillträde")
    expect(classroom).to_contain_text("Andra våningen, ingen hiss.")

    skonsberg = site(page, "Skönsbergsskolan")
    expect(fact(space(skonsberg, "Hemkunskapssalen"), "Typ")).to_have_text("Hemkunskapssal")
    expect(fact(space(skonsberg, "Skolgården"), "Typ")).to_have_text("Utomhusyta")
    expect(fact(space(skonsberg, "Gymnastiksalen"), "Typ")).to_have_text("Gymnastiksal")


def test_sites_filter_by_area_and_by_text(page: Page) -> None:
    open_page(page, "/sites.html")
    status = page.get_by_role("status")
    area = page.get_by_label("Område")
    expect(area.locator("option")).to_have_text(["Alla områden", "Bredsand", "Nacksta", "Skönsberg"])

    area.select_option(label="Skönsberg")
    expect(status).to_have_text("Visar 1 av 3 anläggningar.")
    expect(page.locator(".site-name")).to_have_text(["Skönsbergsskolan"])
    expect(page).to_have_url(re.compile(r"[?&]area="))
    page.reload()  # the filter is part of the address: a reload or a shared link keeps it
    expect(page.get_by_label("Område")).to_have_value(re.compile(".+"))
    expect(page.locator(".site-name")).to_have_text(["Skönsbergsskolan"])

    page.get_by_role("button", name="Visa alla").click()
    expect(status).to_have_text("Visar 3 av 3 anläggningar.")

    search = page.get_by_role("searchbox", name="Sök")
    search.fill("piano")  # equipment: only the school with the piano, and only that room
    expect(status).to_have_text("Visar 1 av 3 anläggningar.")
    expect(page.locator(".site-name")).to_have_text(["Nackstaskolan"])
    expect(page.locator(".site .space-name")).to_have_text(["Musiksal 1"])

    search.fill("skonsberg")  # without the ö, as typed on a foreign keyboard
    expect(page.locator(".site-name")).to_have_text(["Skönsbergsskolan"])

    search.fill("finns inte någonstans")
    expect(status).to_have_text("Visar 0 av 3 anläggningar.")
    expect(page.get_by_text("Inga anläggningar matchar filtret.")).to_be_visible()


def test_switching_to_english_translates_and_is_remembered(page: Page) -> None:
    open_page(page, "/sites.html")
    switch_language(page, "English")
    expect(page).to_have_title("Schools and premises – Booking")
    expect(page.get_by_role("heading", level=1)).to_have_text("Schools and premises")
    nav = page.get_by_role("navigation", name="Main menu")
    expect(nav.get_by_role("link")).to_have_text(["Home", "Premises", "Fritidsbanken", "Holiday activities",
                                                  "Find a club", "Club matching", "Sign in"])
    expect(page.get_by_role("status")).to_have_text("Showing 3 of 3 sites.")
    music = space(site(page, "Nackstaskolan"), "Musiksal 1")
    expect(fact(music, "Type")).to_have_text("Music room")
    expect(fact(music, "Holds")).to_have_text("25 people")
    expect(music.get_by_role("list", name="Accessibility")).to_contain_text("Hearing loop")
    english = page.get_by_role("button", name="English")
    expect(english).to_have_attribute("aria-pressed", "true")
    expect(english).to_be_focused()  # the switch keeps the keyboard where it was

    page.get_by_role("link", name="Home").click()  # another page, and a reload: still English
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Leisure in school premises, in the holidays and with borrowed equipment")
    page.reload()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("navigation").get_by_role("link", name="Sign in")).to_be_visible()

    switch_language(page, "Svenska")
    expect(page.get_by_role("navigation").get_by_role("link", name="Logga in")).to_be_visible()


def test_unknown_address_shows_the_404_page(page: Page) -> None:
    console(page).allow(404, "/lokaler/finns/inte")
    response = page.goto("/lokaler/finns/inte")
    assert response is not None and response.status == 404
    expect(page.locator("main")).not_to_have_attribute("aria-busy", "true")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sidan finns inte")
    expect(page).to_have_title("Sidan finns inte – Bokning")
    # Styles and scripts load from a nested path too (the page works, it is not bare HTML).
    assert page.evaluate("() => getComputedStyle(document.querySelector('.site-header')).backgroundColor") \
        != "rgba(0, 0, 0, 0)"
    page.get_by_role("main").get_by_role("link", name="Skolor och lokaler").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Skolor och lokaler")
    assert path_of(page) == "/sites.html"


def test_a_deployment_with_several_municipalities_lets_you_choose(page: Page) -> None:
    open_page(page, "/sites.html")
    municipality = page.get_by_label("Kommun")
    expect(municipality.locator("option")).to_have_text(["Sundsvalls kommun", "Timrå kommun"])
    expect(page.locator(".site-name")).to_have_text(DEMO_SITES)  # the first one, until you choose

    municipality.select_option(label="Timrå kommun")
    expect(page.get_by_role("status")).to_have_text("Visar 1 av 1 anläggning.")
    expect(page.locator(".site-name")).to_have_text(["Vivstaskolan"])
    expect(page.get_by_label("Område").locator("option")).to_have_text(["Alla områden", "Vivsta"])
    expect(page).to_have_url(re.compile(r"[?&]kommun=timra"))
    page.reload()
    expect(page.get_by_label("Kommun")).to_have_value("timra")
    expect(page.locator(".site-name")).to_have_text(["Vivstaskolan"])
