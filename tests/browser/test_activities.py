"""Holiday activities in the browser: the public listing on a phone, a guardian signing up two
children for a session with one place left (one confirmed, one on the waiting list), the staff
cancelling the confirmed child on the attendance page, the waiting child promoted in the
guardian's registrations; axe-core on every activities page, both languages."""

from __future__ import annotations

from uuid import uuid4

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from booking.seed import DEMO_ACCOUNTS
from booking.seed_activities import NEARLY_FULL
from tests.browser.support import (
    ApiClient,
    LiveServer,
    assert_accessible,
    assert_no_horizontal_scroll,
    local_today,
    open_page,
    sign_in_via_api,
    switch_language,
)

pytestmark = pytest.mark.browser

GUARDIAN = next(a for a in DEMO_ACCOUNTS if a.role == "guardian")
STAFF = next(a for a in DEMO_ACCOUNTS if a.role == "activities_staff")
REP = next(a for a in DEMO_ACCOUNTS if a.role == "association_rep")


def _both_languages(page: Page, what: str) -> None:
    assert_accessible(page, f"{what} in Swedish")
    switch_language(page, "English")
    assert_accessible(page, f"{what} in English")
    switch_language(page, "Svenska")


def test_the_listing_on_a_phone_filters_and_offers_the_feed(phone_page: Page) -> None:
    open_page(phone_page, "/activities.html")
    cards = phone_page.locator("#results li.activity-card")
    expect(cards.first).to_be_visible()
    expect(phone_page.get_by_role("link", name=NEARLY_FULL)).to_be_visible()
    assert_no_horizontal_scroll(phone_page, "the activities listing")
    assert_accessible(phone_page, "the activities listing on a phone")
    phone_page.get_by_label("Kategori").select_option("spel")
    expect(phone_page.get_by_role("link", name="Spelkväll").first).to_be_visible()
    expect(phone_page.get_by_role("link", name=NEARLY_FULL)).to_have_count(0)
    assert "category=spel" in phone_page.url  # shareable
    feed = phone_page.get_by_role("link", name="Prenumerera på kalendern med det här urvalet")
    assert "category=spel" in (feed.get_attribute("href") or "")


def test_two_children_for_the_last_place_then_staff_cancel_and_the_waiting_child_moves_up(
        context: BrowserContext, live_server: LiveServer, page: Page) -> None:
    year = local_today().year
    open_page(page, "/activities.html")
    _both_languages(page, "the activities listing")
    page.get_by_role("link", name=NEARLY_FULL).first.click()
    expect(page.get_by_role("heading", level=1, name=NEARLY_FULL)).to_be_visible()
    expect(page.get_by_text("1 ledig plats").first).to_be_visible()
    # the helmets one can borrow for it, from the lending catalogue, link to the catalogue
    expect(page.get_by_role("link", name="Skidhjälm S")).to_have_attribute(
        "href", "/catalogue.html?q=Skidhj%C3%A4lm%20S")
    sign_in_via_api(page, GUARDIAN.email)
    page.reload()
    expect(page.locator("#child-1-name")).to_be_visible()
    _both_languages(page, "an activity with the sign-up form")
    page.locator("#child-1-name").fill("Alva")
    page.locator("#child-1-year").fill(str(year - 9))
    page.locator("#child-1-gender").select_option("female")
    page.locator("#child-1-needs").fill("Nötallergi")
    page.get_by_role("button", name="Lägg till ett barn").click()
    page.locator("#child-2-name").fill("Bo")
    page.locator("#child-2-year").fill(str(year - 11))
    page.get_by_role("button", name="Anmäl").click()
    result = page.locator("#signup-result")
    expect(result).to_contain_text("Alva: plats bekräftad")
    expect(result).to_contain_text("Bo: på reservlistan")
    assert_accessible(page, "the sign-up answer")

    open_page(page, "/registrations.html")
    alva = page.locator("li[data-registration]").filter(has_text="Alva")
    bo = page.locator("li[data-registration]").filter(has_text="Bo:")
    expect(alva).to_contain_text("Bekräftad")
    expect(alva.get_by_role("img", name="QR-kod: biljett för Alva")).to_be_visible()
    expect(bo).to_contain_text("Reservlista")
    _both_languages(page, "my registrations")

    # the staff cancel Alva on the attendance page
    staff = ApiClient(live_server, STAFF.email)
    try:
        activity = next(a for a in staff.get("/api/activities", limit=100)["items"] if a["title"] == NEARLY_FULL)
        session_id = staff.get(f"/api/activities/{activity['id']}")["sessions"][0]["id"]
    finally:
        staff.close()
    staff_page = context.browser.new_context(base_url=live_server.url, locale="sv-SE",  # type: ignore[union-attr]
                                             timezone_id="Europe/Stockholm").new_page()
    try:
        sign_in_via_api(staff_page, STAFF.email)
        open_page(staff_page, f"/attendance.html?session={session_id}")
        row = staff_page.locator("tr[data-registration]").filter(has_text="Alva")
        expect(row).to_contain_text("Nötallergi")  # needs: visible to the activity's staff
        _both_languages(staff_page, "the attendance page")
        row.get_by_role("button", name="Avanmäl Alva").click()
        expect(staff_page.locator("#notice")).to_contain_text("Alva är avanmäld")
        expect(staff_page.locator("tr[data-registration]").filter(has_text="Bo")).to_contain_text("Bekräftad")
        staff_page.get_by_label("Ny start").fill("11:00")
        staff_page.get_by_label("Nytt slut").fill("13:00")
        staff_page.get_by_role("button", name="Flytta", exact=True).click()
        expect(staff_page.locator("#notice")).to_contain_text("Tillfället är flyttat")
        expect(staff_page.locator("#session-title")).to_contain_text("11:00–13:00")
        open_page(staff_page, "/activity-admin.html")
        expect(staff_page.get_by_role("heading", name=NEARLY_FULL, exact=True)).to_be_visible()
        _both_languages(staff_page, "the staff's activities page")
        open_page(staff_page, "/follow-up.html")
        expect(staff_page.get_by_role("table").first).to_be_visible()
        _both_languages(staff_page, "the follow-up report")
    finally:
        staff_page.context.close()

    page.reload()
    expect(page.locator("li[data-registration]").filter(has_text="Bo:")).to_contain_text("Bekräftad")
    expect(page.locator("li[data-registration]").filter(has_text="Bo:")).to_contain_text("11:00–13:00")
    expect(page.locator("li[data-registration]").filter(has_text="Alva")).to_contain_text("Avanmäld")


def test_an_association_submits_an_activity_and_the_staff_edit_its_title_and_publish_it(
        context: BrowserContext, live_server: LiveServer, page: Page) -> None:
    title = f"Schackskola {uuid4().hex[:6]}"  # the demo database may be reused
    sign_in_via_api(page, REP.email)
    open_page(page, "/activity-admin.html")
    expect(page.get_by_role("link", name="Föreningens aktiviteter")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lovaktiviteter – förening")
    create = page.locator("#new-form")
    create.get_by_label("Namn", exact=True).fill(title)
    create.get_by_label("Arrangör").fill("Sundsvalls schackklubb")
    create.get_by_label("Plats (om inte en lokal)").fill("Klubblokalen")
    create.get_by_label("Anmälan öppnar").fill("2026-01-01T08:00")
    create.get_by_label("Anmälan stänger").fill("2030-01-01T08:00")
    create.get_by_role("button", name="Spara utkast").click()
    card = page.locator("li.activity-card").filter(has=page.get_by_role("heading", name=title, exact=True))
    expect(card).to_contain_text("Utkast")
    card.get_by_role("button", name=f"Skicka {title} för godkännande").click()
    expect(card).to_contain_text("Väntar på godkännande")

    staff_page = context.browser.new_context(base_url=live_server.url, locale="sv-SE",  # type: ignore[union-attr]
                                             timezone_id="Europe/Stockholm").new_page()
    new_title = f"{title} för nybörjare"
    try:
        sign_in_via_api(staff_page, STAFF.email)
        open_page(staff_page, "/activity-admin.html")
        card = staff_page.locator("li.activity-card").filter(
            has=staff_page.get_by_role("heading", name=title, exact=True))
        expect(card).to_contain_text("Väntar på godkännande")
        card.get_by_text(f"Ändra {title}").click()
        edit = card.locator("form[id^=edit-]")
        expect(edit.get_by_label("Namn", exact=True)).to_have_value(title)  # prefilled
        expect(edit.get_by_label("Plats (om inte en lokal)")).to_have_value("Klubblokalen")
        expect(edit.get_by_label("Anmälan öppnar")).to_have_value("2026-01-01T08:00")  # Swedish time both ways
        edit.get_by_label("Namn", exact=True).fill("")
        edit.get_by_role("button", name="Spara ändringar").click()
        expect(edit.get_by_role("alert")).to_contain_text("Rätta följande")
        expect(edit.get_by_label("Namn", exact=True)).to_have_attribute("aria-invalid", "true")
        expect(edit.get_by_label("Namn", exact=True)).to_be_focused()
        assert_accessible(staff_page, "the edit form with an error")
        edit.get_by_label("Namn", exact=True).fill(new_title)
        edit.get_by_role("button", name="Spara ändringar").click()
        expect(staff_page.locator("#notice")).to_contain_text(f"{new_title} är ändrad")
        staff_page.get_by_role("button", name=f"Godkänn och publicera {new_title}").click()
        expect(staff_page.locator("#notice")).to_contain_text(f"{new_title} är publicerad")
    finally:
        staff_page.context.close()

    page.reload()
    published = page.locator("li.activity-card").filter(has=page.get_by_role("heading", name=new_title, exact=True))
    expect(published).to_contain_text("Publicerad")
    open_page(page, f"/activity.html?id={published.get_attribute('data-activity')}")
    expect(page.get_by_role("heading", level=1)).to_have_text(new_title)
    expect(page.locator("#activity")).to_contain_text("Anmälan stänger 1 januari 2030")
