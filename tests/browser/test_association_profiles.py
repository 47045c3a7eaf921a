"""Associations in the open in a real Chromium: a representative fills in the association's public profile
on "Min förening" and chooses its training time, staff publish it on "Föreningsprofiler", and it appears
in the public directory ("Hitta förening") with the reasons it matches and on its public page; axe-core
finds nothing on the directory, the public page, "Min förening" with the profile and the staff's page, in
Swedish and English, on a desktop and a phone. The scene (a fresh association, its representative and a
weekend booking) is set through the API; the journey itself only through the pages."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import pytest
from playwright.sync_api import Page, expect
from stdnum import luhn

from booking.seed import DEMO_ACCOUNTS
from tests.browser.support import (
    ApiClient,
    LiveServer,
    assert_accessible,
    assert_no_horizontal_scroll,
    bookable_day,
    console,
    open_page,
    sign_in_via_api,
    switch_language,
)

pytestmark = pytest.mark.browser

ADMIN = next(a for a in DEMO_ACCOUNTS if a.role == "admin")
STAFF = next(a for a in DEMO_ACCOUNTS if a.role == "premises_staff")
PASSWORD = "schack och kakor varje lördag"


@dataclass
class Club:
    id: str
    name: str
    rep_email: str


def _org_number() -> str:
    base = f"80{uuid.uuid4().int % 10**7:07d}"
    number = base + luhn.calc_check_digit(base)
    return f"{number[:6]}-{number[6:]}"


def _club(server: LiveServer, start: str, end: str) -> Club:
    """A verified association with a contact person, a representative account and an approved Saturday series."""
    name = f"Testförening {uuid.uuid4().hex[:8]}"
    staff, admin = ApiClient(server, STAFF.email), ApiClient(server, ADMIN.email)
    try:
        made = staff.send("POST", "/api/associations", {
            "name": name, "org_number": _org_number(), "category": "youth",
            "contacts": [{"name": "Greta Kontaktsson", "email": "greta@example.se"}]}, expect=201)
        staff.send("POST", f"/api/associations/{made['id']}/verification", {"verified": True})
        email = f"rep.{uuid.uuid4().hex[:8]}@example.se"
        admin.send("POST", "/api/accounts", {"email": email, "display_name": "Rut Representant", "password": PASSWORD,
                                             "roles": [{"role": "association_rep", "scope_id": made["id"]}]},
                   expect=201)
        day = bookable_day(5, days_ahead=3, weeks=3)  # a Saturday: the demo's weekday evenings are others'
        staff.request_booking(staff.space_id("Hemkunskapssalen"), f"Schack {name}", day, start, end, weeks=2,
                              association_id=made["id"])
        return Club(made["id"], name, email)
    finally:
        staff.close()
        admin.close()


def _fill_profile(page: Page, club: Club) -> None:
    open_page(page, "/association.html")
    section = page.locator(f"#profile-{club.id}")
    expect(section.get_by_role("heading", level=2)).to_have_text(f"Offentlig profil: {club.name}")
    expect(section.get_by_role("status")).to_contain_text("Ingen profil ännu")
    section.get_by_role("button", name="Spara utkastet").click()  # nothing chosen yet
    expect(section.locator(".field-error").first).not_to_be_empty()
    expect(section.get_by_role("alert")).to_contain_text("Rätta")  # the summary's introduction
    interests = section.get_by_role("group", name="Intressen (1–5)")
    interests.get_by_label("schack", exact=True).check()
    section.get_by_label("Från ålder").fill("8")
    section.get_by_label("Till ålder").fill("16")
    section.get_by_role("group", name="Områden där ni finns").get_by_label("Skönsberg").check()
    section.get_by_role("group", name="Språk ni pratar").get_by_label("arabiska").check()
    section.get_by_label("Det går att prova gratis").check()
    section.get_by_label("Beskrivning (högst 1000 tecken)").fill("Schack på lördagar för alla som vill lära sig.")
    section.get_by_label("Kontaktperson för intresseanmälningar").select_option(label="Greta Kontaktsson")
    section.get_by_role("button", name="Spara utkastet").click()
    expect(section.get_by_role("status")).to_contain_text("Utkastet är sparat.")
    expect(section.get_by_role("status")).to_contain_text("Status: Utkast")
    times = section.get_by_role("group", name="Träningstider på profilen")
    times.get_by_role("checkbox").first.check()
    section.get_by_role("button", name="Spara träningstiderna").click()
    expect(section.get_by_role("status")).to_contain_text("Träningstiderna är sparade.")
    section.get_by_role("button", name="Skicka till kommunen för granskning").click()
    expect(section.get_by_role("status")).to_contain_text("Väntar på granskning")


def test_a_representative_fills_in_the_profile_staff_publish_it_and_the_directory_shows_it(
        page: Page, live_server: LiveServer) -> None:
    club = _club(live_server, "16:00", "17:30")
    console(page).allow(422, f"/api/associations/{club.id}/profile")  # the empty form, refused on purpose
    sign_in_via_api(page, club.rep_email, PASSWORD)
    _fill_profile(page, club)

    page.context.clear_cookies()
    open_page(page, "/foreningar.html")
    page.get_by_label("Föreningens namn").fill(club.name)
    expect(page.locator("#status")).to_have_text("Ingen förening passar. Prova att ta bort något av valen.")

    sign_in_via_api(page, STAFF.email)
    open_page(page, "/association-profiles.html")
    item = page.locator("#review-list li").filter(has_text=club.name)
    expect(item).to_contain_text("Schack på lördagar för alla som vill lära sig.")
    item.get_by_role("button", name="Publicera").click()
    expect(page.locator("#profiles-status")).to_have_text(f"{club.name} är publicerad.")
    expect(page.locator("#published-list")).to_contain_text(club.name)

    page.context.clear_cookies()
    open_page(page, "/foreningar.html")
    page.get_by_label("Intresse").select_option(label="schack")
    page.get_by_label("Ålder").select_option("12")
    page.get_by_label("Tränar på").select_option(label="lördagar")
    page.get_by_label("Föreningens namn").fill(club.name)
    card = page.locator(".club-card").filter(has_text=club.name)
    expect(card).to_be_visible()
    expect(page.locator("#status")).to_have_text("1 förening")
    expect(card.locator(".club-why li")).to_have_text(["håller på med schack", "för 8-16 år", "tränar lördagar",
                                                       f"namnet innehåller \u201d{club.name}\u201d"])
    expect(card.locator(".club-times")).to_contain_text("lördagar 16:00–17:30, Hemkunskapssalen, Skönsbergsskolan")
    card.get_by_role("link", name=club.name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(club.name)
    expect(page.locator("#regular-times")).to_contain_text("lördagar 16:00–17:30, Hemkunskapssalen")
    expect(page.locator("#club-profile")).to_contain_text("Prova gratis")
    expect(page.locator("#club-profile")).not_to_contain_text("Greta")
    expect(page.locator("section#interest-request")).to_have_count(1)
    assert_accessible(page, "the public page of a published association")


@pytest.fixture(scope="module")
def published(live_server: LiveServer) -> Club:
    """A club whose representative wrote a profile that staff published, for the accessibility checks."""
    club = _club(live_server, "18:00", "19:30")
    rep, staff = ApiClient(live_server, club.rep_email, PASSWORD), ApiClient(live_server, STAFF.email)
    try:
        view = rep.get(f"/api/associations/{club.id}/profile")
        interests = {c["name"]: c["id"] for c in rep.get("/api/interest-categories")["items"]}
        rep.send("PUT", f"/api/associations/{club.id}/profile", {
            "interests": [interests["schack"]], "age_min": 8, "age_max": 16, "for_whom": ["all"],
            "description": "Schack för alla.", "contact_id": view["contacts"][0]["id"]})
        rep.send("PUT", f"/api/associations/{club.id}/public-times",
                 {"series_ids": [c["id"] for c in view["time_choices"] if c["kind"] == "series"]})
        rep.send("POST", f"/api/associations/{club.id}/profile/submission", None)
        staff.send("POST", f"/api/associations/{club.id}/profile/verification", {"approve": True})
        rep.send("PUT", f"/api/associations/{club.id}/profile", {  # a change awaiting review
            "interests": [interests["schack"]], "age_min": 8, "age_max": 18, "for_whom": ["all"],
            "description": "Schack för alla, nu upp till 18 år.", "contact_id": view["contacts"][0]["id"]})
        rep.send("POST", f"/api/associations/{club.id}/profile/submission", None)
        return club
    finally:
        rep.close()
        staff.close()


PAGES = [("/foreningar.html", None), ("/foreningar.html?free_to_try=true&age=11", None), ("forening", None),
         ("/association.html", "rep"), ("/association-profiles.html", "staff")]


@pytest.mark.parametrize(("path", "who"), PAGES)
@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_the_profile_pages_are_accessible(page: Page, phone_page: Page, published: Club, path: str, who: str | None,
                                          size: str) -> None:
    page = phone_page if size == "phone" else page
    if who == "rep":
        sign_in_via_api(page, published.rep_email, PASSWORD)
    elif who == "staff":
        sign_in_via_api(page, STAFF.email)
    open_page(page, f"/forening.html?id={published.id}" if path == "forening" else path)
    expect(page.locator("main")).not_to_be_empty()
    if path.startswith("/foreningar"):
        expect(page.locator(".club-card").first).to_be_visible()
    assert_accessible(page, f"{path} ({size}) in Swedish")
    if size == "phone":
        assert_no_horizontal_scroll(page, f"{path} on a phone")
    switch_language(page, "English")
    assert_accessible(page, f"{path} ({size}) in English")
