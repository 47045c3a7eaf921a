"""Signing in and out: every demo role, wrong passwords, the rate limit, keyboard only,
returning to the page that asked, and dates in the municipality's time zone."""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, Page, expect

from booking.seed import DEMO_ACCOUNTS, DemoAccount
from tests.browser.support import (
    ConsoleWatch,
    LiveServer,
    console,
    open_page,
    path_of,
    ready,
    sign_in_via_api,
    sign_in_with_form,
)

pytestmark = pytest.mark.browser

# What a Swedish user reads for each role on "Mitt konto".
ROLE_NAMES_SV = {
    "admin": "Administratör",
    "premises_staff": "Lokalbokare",
    "activities_staff": "Fritidsledare",
    "lending_staff": "Personal på Fritidsbanken",
    "association_rep": "Föreningsföreträdare för Nacksta IF",
    "guardian": "Vårdnadshavare",
    "borrower": "Låntagare",
}


def me_status(page: Page) -> int:
    return page.request.get("/api/auth/me").status


@pytest.mark.parametrize("demo", DEMO_ACCOUNTS, ids=[a.role for a in DEMO_ACCOUNTS])
def test_each_demo_role_signs_in_and_sees_their_account(page: Page, demo: DemoAccount) -> None:
    page.goto("/account.html")
    # Signed out, "Mitt konto" sends you to sign in, and back again afterwards.
    expect(page).to_have_url(re.compile(r"/login\.html\?next=%2Faccount\.html$"))
    ready(page)
    sign_in_with_form(page, demo.email)
    expect(page).to_have_url(re.compile(r"/account\.html$"))
    ready(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Mitt konto")
    details = page.locator("#account-details")
    expect(details).to_contain_text(demo.name)
    expect(details).to_contain_text(demo.email)
    expect(details).to_contain_text("Sundsvalls kommun")
    expect(page.locator("#account-roles li")).to_have_text([ROLE_NAMES_SV[demo.role]])

    header = page.get_by_role("banner")
    expect(header).to_contain_text(f"Inloggad som {demo.name}")
    expect(header.get_by_role("button", name="Logga ut")).to_be_visible()
    nav = header.get_by_role("navigation", name="Huvudmeny")
    decides = demo.role in ("admin", "premises_staff")  # premises staff (and admins) decide on requests
    staff_pages = ["Att godkänna", "Lokalkalender", "Stängda tider", "Avgifter", "Checka in"]
    expected = ["Hem", "Lokaler", "Mina bokningar", "Mitt konto"]
    expect(nav.get_by_role("link", name="Mitt konto")).to_be_visible()
    # The capabilities' own links (nav/*.js) come between; their tests check them.
    shown = nav.get_by_role("link").all_inner_texts()
    assert [text for text in shown if text in {*expected, *staff_pages}] == expected, shown
    expect(nav.get_by_role("link", name="Mitt konto")).to_have_attribute("aria-current", "page")
    # Staff tools wait behind one disclosure, grouped by capability; Escape closes it again.
    staff = nav.get_by_role("button", name="Personal")
    if demo.role not in ("admin", "premises_staff", "activities_staff", "lending_staff"):
        expect(staff).to_have_count(0)
        return
    expect(staff).to_have_attribute("aria-expanded", "false")
    staff.click()
    expect(staff).to_have_attribute("aria-expanded", "true")
    menu = nav.locator("#staff-menu")
    in_menu = menu.get_by_role("link").all_inner_texts()
    assert [text for text in in_menu if text in staff_pages] == (staff_pages if decides else []), in_menu
    page.keyboard.press("Escape")
    expect(staff).to_have_attribute("aria-expanded", "false")
    expect(staff).to_be_focused()
    expect(menu).to_be_hidden()


def test_sign_out_ends_the_session(page: Page) -> None:
    open_page(page, "/login.html")
    sign_in_with_form(page, DEMO_ACCOUNTS[0].email)
    expect(page.get_by_role("button", name="Logga ut")).to_be_visible()
    assert me_status(page) == 200

    page.get_by_role("button", name="Logga ut").click()
    expect(page).to_have_url(re.compile(r"/$"))
    ready(page)
    expect(page.get_by_role("navigation").get_by_role("link", name="Logga in")).to_be_visible()
    expect(page.get_by_role("button", name="Logga ut")).to_have_count(0)
    expect(page.get_by_role("banner")).not_to_contain_text(DEMO_ACCOUNTS[0].name)
    assert me_status(page) == 401
    assert not [c for c in page.context.cookies() if c["name"].startswith("booking_")]

    page.goto("/account.html")  # the account page is closed again
    expect(page).to_have_url(re.compile(r"/login\.html\?next="))


def test_wrong_password_is_explained_and_announced(page: Page) -> None:
    console(page).allow(401, "/api/auth/login")
    open_page(page, "/login.html")
    sign_in_with_form(page, DEMO_ACCOUNTS[1].email, "fel-lösenord")
    alert = page.get_by_role("alert").filter(has_text="Fel")
    expect(alert).to_have_text("Fel e-postadress eller lösenord. Kontrollera stavningen och försök igen.")
    assert path_of(page) == "/login.html"
    expect(page.get_by_label("E-postadress")).to_have_value(DEMO_ACCOUNTS[1].email)  # nothing to retype
    assert me_status(page) == 401

    # The right password after a wrong one works, and the message goes away on the next try.
    page.get_by_label("Lösenord").fill("x")
    page.get_by_role("button", name="Logga in").click()
    expect(alert).to_have_count(1)
    sign_in_with_form(page, DEMO_ACCOUNTS[1].email)
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("banner")).to_contain_text(DEMO_ACCOUNTS[1].name)


def test_empty_fields_are_pointed_out_before_anything_is_sent(page: Page) -> None:
    open_page(page, "/login.html")
    sent: list[str] = []
    page.on("request", lambda request: sent.append(request.url) if "/api/auth/login" in request.url else None)
    page.get_by_role("button", name="Logga in").click()

    email = page.get_by_label("E-postadress")
    expect(email).to_be_focused()
    expect(email).to_have_attribute("aria-invalid", "true")
    expect(email).to_have_accessible_description("Fyll i din e-postadress.")
    expect(page.get_by_label("Lösenord")).to_have_accessible_description("Fyll i ditt lösenord.")

    email.fill("inte-en-adress")
    page.get_by_label("Lösenord").fill("något")
    page.get_by_role("button", name="Logga in").click()
    expect(email).to_have_accessible_description("Skriv e-postadressen så här: namn@exempel.se.")
    expect(page.get_by_label("Lösenord")).not_to_have_attribute("aria-invalid", "true")
    assert sent == []


def test_too_many_failures_tell_how_long_to_wait(page: Page) -> None:
    email = f"gissning-{uuid.uuid4().hex[:8]}@example.se"  # an account of its own: locks out no one else
    watch = console(page)
    watch.allow(401, "/api/auth/login")
    watch.allow(429, "/api/auth/login")
    statuses = []
    while len(statuses) < 30 and 429 not in statuses:  # the default limit is 10 failures per account
        response = page.request.post("/api/auth/login", data={"email": email, "password": "gissning"})
        statuses.append(response.status)
    assert set(statuses) == {401, 429}, statuses
    open_page(page, "/login.html")
    sign_in_with_form(page, email, "gissning")
    expect(page.get_by_role("alert").filter(has_text="För många")).to_have_text(
        re.compile(r"^För många misslyckade inloggningar\. Vänta \d+ minuter? och försök sedan igen\.$"))


def test_keyboard_alone_reaches_the_form_and_signs_in(page: Page) -> None:
    open_page(page, "/login.html")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Hoppa till innehållet")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()  # hidden until focused, then on screen
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "the focused skip link shows no focus ring"

    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()
    page.keyboard.press("Tab")
    email = page.get_by_label("E-postadress")
    expect(email).to_be_focused()
    assert page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle") != "none"
    page.keyboard.type(DEMO_ACCOUNTS[2].email)
    page.keyboard.press("Tab")
    expect(page.get_by_label("Lösenord")).to_be_focused()
    page.keyboard.type("demo-lösenord-2026")
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/$"))
    ready(page)
    expect(page.get_by_role("banner")).to_contain_text(DEMO_ACCOUNTS[2].name)


def test_keyboard_reaches_every_header_link_and_the_language_switch(page: Page) -> None:
    sign_in_via_api(page, DEMO_ACCOUNTS[0].email)
    open_page(page, "/")
    reached = []
    for _ in range(80):
        page.keyboard.press("Tab")
        reached.append(page.evaluate("() => document.activeElement.textContent.trim()"))
        if reached[-1] == "Personal" and "Att godkänna" not in reached:
            page.keyboard.press("Enter")  # opens the staff tools; Tab goes on through them
            expect(page.locator("#staff-menu")).to_be_visible()
        if reached[-1] == "English":
            break
    expect(page.locator("#staff-menu")).to_be_hidden()  # tabbing out of the staff tools closed them
    for name in ("Hoppa till innehållet", "Bokning", "Hem", "Lokaler", "Mina bokningar", "Personal", "Att godkänna",
                 "Fritidsbanken", "Utlåningsdisk", "Uppföljning", "Mitt konto", "Logga ut", "Svenska", "English"):
        assert name in reached, f"Tab never reached {name!r}: {reached}"
    page.keyboard.press("Enter")  # the language switch works from the keyboard too
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


@pytest.mark.parametrize("next_value", ["https://example.org/", "//example.org/", "/\\example.org"])
def test_sign_in_never_redirects_to_another_site(page: Page, live_server: LiveServer, next_value: str) -> None:
    page.goto(f"/login.html?next={next_value}")
    ready(page)
    sign_in_with_form(page, DEMO_ACCOUNTS[3].email)
    expect(page).to_have_url(live_server("/"))


def test_sign_in_returns_to_the_page_that_asked(page: Page) -> None:
    open_page(page, "/sites.html?q=piano")
    page.get_by_role("navigation").get_by_role("link", name="Logga in").click()
    expect(page).to_have_url(re.compile(r"/login\.html\?next="))
    ready(page)
    sign_in_with_form(page, DEMO_ACCOUNTS[4].email)
    expect(page).to_have_url(re.compile(r"/sites\.html\?q=piano$"))
    ready(page)
    expect(page.get_by_role("searchbox")).to_have_value("piano")


def test_signed_in_visitor_of_the_login_page_is_told_so(page: Page) -> None:
    sign_in_via_api(page, DEMO_ACCOUNTS[5].email)
    open_page(page, "/login.html")
    expect(page.get_by_text(f"Du är redan inloggad som {DEMO_ACCOUNTS[5].name}.")).to_be_visible()
    expect(page.locator("#login-form")).to_be_hidden()
    page.get_by_role("link", name="Fortsätt").click()
    expect(page).to_have_url(re.compile(r"/account\.html$"))


def test_ended_session_leftovers_lead_to_sign_in(page: Page, live_server: LiveServer) -> None:
    """A browser whose session ended on the server (cookie expired or revoked) is treated as signed out."""
    console(page).allow(401, "/api/auth/me")
    page.context.add_cookies([
        {"name": "booking_csrf", "value": "stale", "url": live_server.url},
        {"name": "booking_session", "value": "revoked-session-token", "url": live_server.url},
    ])
    page.goto("/account.html")
    expect(page).to_have_url(re.compile(r"/login\.html\?next=%2Faccount\.html$"))
    ready(page)
    expect(page.get_by_role("navigation").get_by_role("link", name="Logga in")).to_be_visible()
    assert "booking_csrf" not in {c["name"] for c in page.context.cookies()}


def test_times_are_shown_in_the_municipality_time_zone(browser: Browser, live_server: LiveServer) -> None:
    """A visitor whose computer is set to New York still sees Swedish time for Swedish events."""
    context = browser.new_context(base_url=live_server.url, timezone_id="America/New_York", locale="en-US")
    try:
        page = context.new_page()
        watch = ConsoleWatch(page)
        sign_in_via_api(page, DEMO_ACCOUNTS[6].email)
        last_login = page.request.get("/api/auth/me").json()["account"]["last_login_at"]
        open_page(page, "/account.html")
        shown = page.locator("time").first
        expect(shown).to_have_attribute("datetime", last_login)
        local = datetime.fromisoformat(last_login.replace("Z", "+00:00")).astimezone(ZoneInfo("Europe/Stockholm"))
        expect(shown).to_contain_text(f"{local.day} {_MONTHS_SV[local.month - 1]} {local.year}")
        expect(shown).to_contain_text(local.strftime("%H:%M"))
        watch.assert_clean()
    finally:
        context.close()


_MONTHS_SV = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober",
              "november", "december"]
