"""WCAG 2.1 AA in a real Chromium: axe-core finds zero violations on every page, in Swedish and
in English, signed out and signed in, with an error shown, and at phone size. The booking pages
are checked with bookings on them (made through the API first)."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import Browser, Page, expect

from booking.seed import DEMO_ACCOUNTS
from tests.browser.conftest import PHONE
from tests.browser.support import (
    ApiClient,
    ConsoleWatch,
    LiveServer,
    assert_accessible,
    assert_no_horizontal_scroll,
    bookable_day,
    console,
    monday_of,
    next_holiday,
    open_page,
    past_booking,
    sign_in_via_api,
    switch_language,
)

pytestmark = pytest.mark.browser

REP = next(a for a in DEMO_ACCOUNTS if a.role == "association_rep")
STAFF = next(a for a in DEMO_ACCOUNTS if a.role == "premises_staff")

ANONYMOUS_PAGES = ["/", "/sites.html", "/login.html"]


def assert_accessible_in_both_languages(page: Page, what: str) -> None:
    """Check the page as it is (Swedish), then switch to English in place and check again."""
    assert_accessible(page, f"{what} in Swedish")
    switch_language(page, "English")
    assert_accessible(page, f"{what} in English")


@pytest.mark.parametrize("path", ANONYMOUS_PAGES)
def test_public_page_is_accessible(page: Page, path: str) -> None:
    open_page(page, path)
    assert_accessible_in_both_languages(page, path)


def test_account_page_is_accessible(page: Page) -> None:
    sign_in_via_api(page, DEMO_ACCOUNTS[4].email)  # association_rep: a role with a scope
    open_page(page, "/account.html")
    expect(page.get_by_role("list").filter(has_text="Nacksta IF")).to_be_visible()
    assert_accessible_in_both_languages(page, "the account page")


def test_signed_in_home_is_accessible(page: Page) -> None:
    sign_in_via_api(page, DEMO_ACCOUNTS[0].email)
    open_page(page, "/")
    expect(page.get_by_role("banner").get_by_text(DEMO_ACCOUNTS[0].name)).to_be_visible()
    assert_accessible_in_both_languages(page, "the signed-in home page")


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_the_open_staff_menu_is_accessible(page: Page, phone_page: Page, size: str) -> None:
    """The admin's staff tools (every capability's group) opened from the header, at both sizes."""
    page = phone_page if size == "phone" else page
    sign_in_via_api(page, DEMO_ACCOUNTS[0].email)
    open_page(page, "/")
    page.get_by_role("navigation").get_by_role("button", name="Personal").click()
    menu = page.locator("#staff-menu")
    expect(menu).to_be_visible()
    expect(menu.locator(".staff-menu-heading")).to_have_text(["Lokaler", "Fritidsbanken", "Lovaktiviteter",
                                                                  "Administration", "Konton"])
    box = menu.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= page.viewport_size["width"], box
    assert_accessible(page, f"the open staff menu ({size})")


def test_not_found_page_is_accessible(page: Page) -> None:
    console(page).allow(404, "/finns-inte")
    open_page(page, "/finns-inte")
    assert_accessible_in_both_languages(page, "the 404 page")


@pytest.mark.parametrize("language", ["Svenska", "English"])
def test_login_page_with_errors_is_accessible(page: Page, language: str) -> None:
    console(page).allow(401, "/api/auth/login")
    open_page(page, "/login.html")
    if language != "Svenska":
        switch_language(page, language)
    page.locator("#email").fill("nobody@example.se")
    page.locator("#password").fill("not the password")
    page.locator("#login-submit").click()
    expect(page.get_by_role("alert")).not_to_be_empty()
    assert_accessible(page, f"the login page with a server error in {language}")
    page.locator("#email").fill("")
    page.locator("#password").fill("")
    page.locator("#login-submit").click()
    expect(page.locator("#email")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page, f"the login page with field errors in {language}")


STAFF_PAGES = ["/site-calendar.html", "/closed.html", "/fees.html", "/check-in.html"]


@pytest.mark.parametrize("path", [*ANONYMOUS_PAGES, "/account.html", "/bookings.html", "/approvals.html",
                                  *STAFF_PAGES])
def test_phone_layout_is_accessible_and_reflows(phone_page: Page, path: str) -> None:
    if path in STAFF_PAGES:
        sign_in_via_api(phone_page, STAFF.email)
    elif path not in ANONYMOUS_PAGES:
        sign_in_via_api(phone_page, DEMO_ACCOUNTS[0].email)
    open_page(phone_page, path)
    assert_accessible(phone_page, f"{path} on a phone")
    assert_no_horizontal_scroll(phone_page, path)


# --- the booking pages ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pending_request(live_server: LiveServer) -> dict[str, object]:
    """A weekly request of the demo association, waiting for a decision."""
    rep = ApiClient(live_server, REP.email)
    try:
        space_id = rep.space_id("Gymnastiksalen")
        made = rep.request_booking(space_id, f"Gympa {uuid.uuid4().hex[:6]}", bookable_day(4), "17:00", "18:30",
                                   weeks=2, association_id=rep.association_id())
        return {"space_id": space_id, "title": made["bookings"][0]["title"]}
    finally:
        rep.close()


def space_path(request: dict[str, object]) -> str:
    holiday, _ = next_holiday(days_ahead=2)  # a week with a holiday in it
    return f"/space.html?id={request['space_id']}&week={monday_of(holiday).isoformat()}"


def test_space_page_is_accessible(page: Page, pending_request: dict[str, object]) -> None:
    open_page(page, space_path(pending_request))
    expect(page.locator(".is-holiday")).not_to_have_count(0)
    # A wide screen shows the week as seven columns side by side.
    tops = page.locator("#week-days > li").evaluate_all("days => days.map(d => d.getBoundingClientRect().top)")
    assert len(tops) == 7 and len(set(tops)) == 1, tops
    assert_accessible_in_both_languages(page, "the space page")


def test_space_page_with_the_request_form_is_accessible(page: Page, pending_request: dict[str, object]) -> None:
    sign_in_via_api(page, REP.email)
    open_page(page, f"/space.html?id={pending_request['space_id']}")
    page.get_by_label("Samma tid varje vecka").check()
    expect(page.get_by_role("button", name="Skicka ansökan")).to_be_visible()
    assert_accessible_in_both_languages(page, "the space page with the request form")


@pytest.mark.parametrize("who", ["anonymous", "representative"])
def test_space_page_on_a_phone(phone_page: Page, pending_request: dict[str, object], who: str) -> None:
    if who == "representative":
        sign_in_via_api(phone_page, REP.email)
    open_page(phone_page, space_path(pending_request))
    # A phone shows the week as a list of days, one under the other.
    tops = phone_page.locator("#week-days > li").evaluate_all("days => days.map(d => d.getBoundingClientRect().top)")
    assert tops == sorted(tops) and len(set(tops)) == 7, tops
    assert_accessible(phone_page, f"the space page on a phone ({who})")
    assert_no_horizontal_scroll(phone_page, "the space page")


def test_bookings_page_is_accessible(page: Page, pending_request: dict[str, object]) -> None:
    sign_in_via_api(page, REP.email)
    open_page(page, "/bookings.html")
    expect(page.get_by_role("article", name=str(pending_request["title"]))).to_be_visible()
    page.get_by_role("button", name="Skapa kalenderlänk").click()
    expect(page.get_by_label("Kalenderlänk för Nacksta IF")).to_be_visible()
    assert_accessible_in_both_languages(page, "the bookings page")


def test_approvals_page_is_accessible(page: Page, pending_request: dict[str, object]) -> None:
    sign_in_via_api(page, STAFF.email)
    open_page(page, "/approvals.html")
    request = page.get_by_role("article", name=str(pending_request["title"]))
    request.locator("summary").click()  # the dates, unfolded
    assert_accessible(page, "the approvals page in Swedish")
    request.get_by_role("button", name=f"Avslå {pending_request['title']}").click()
    switch_language(page, "English")
    expect(request.get_by_label("Reason for rejecting")).to_be_visible()
    assert_accessible(page, "the approvals page with a rejection in English")


def test_approvals_are_for_premises_staff_only(page: Page) -> None:
    sign_in_via_api(page, REP.email)
    open_page(page, "/approvals.html")
    expect(page.get_by_role("navigation").get_by_role("link", name="Att godkänna")).to_have_count(0)
    expect(page.get_by_role("main")).to_contain_text("Den här sidan är för kommunens lokalbokare.")
    assert_accessible(page, "approvals refused to a representative")


# --- the premises pages beyond booking --------------------------------------------------------------


def test_bookings_page_with_attendance_is_accessible(page: Page, live_server: LiveServer) -> None:
    booking_id = past_booking(live_server, "Musiksal 1", f"Kör {uuid.uuid4().hex[:6]}", days_ago=1)
    sign_in_via_api(page, REP.email)
    open_page(page, "/bookings.html")
    occasion = page.locator(f"[data-attendance='{booking_id}']")
    occasion.get_by_role("button", name="Registrera närvaro").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("button", name="Lägg till en rad").click()
    dialog.locator("#att-p-1-birth_year").fill("20x4")
    dialog.get_by_role("button", name="Spara närvaron").click()
    expect(dialog.locator("#att-p-1-birth_year")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page, "the attendance form with errors in Swedish")
    dialog.get_by_role("button", name="Stäng").click()
    assert_accessible_in_both_languages(page, "the bookings page with attendance")


def test_site_calendar_is_accessible(page: Page, pending_request: dict[str, object]) -> None:
    sign_in_via_api(page, STAFF.email)
    holiday, _ = next_holiday(days_ahead=2)
    staff_site = page.request.get(f"/api/spaces/{pending_request['space_id']}").json()["site_id"]
    open_page(page, f"/site-calendar.html?id={staff_site}&week={monday_of(bookable_day(4)).isoformat()}")
    expect(page.locator(".slot-pending")).not_to_have_count(0)
    assert_accessible_in_both_languages(page, "the site calendar")
    open_page(page, f"/site-calendar.html?id={staff_site}&week={monday_of(holiday).isoformat()}")
    assert_accessible(page, "the site calendar in a week with a holiday")


def test_closed_times_page_is_accessible(page: Page) -> None:
    sign_in_via_api(page, STAFF.email)
    open_page(page, "/closed.html")
    page.get_by_role("button", name="Stäng tiden").click()
    expect(page.locator("#cp-reason")).to_have_attribute("aria-invalid", "true")
    page.get_by_label("En hel skola eller anläggning").check()
    assert_accessible_in_both_languages(page, "the closed times page with errors")


def test_fees_page_is_accessible(page: Page) -> None:
    sign_in_via_api(page, DEMO_ACCOUNTS[0].email)  # an administrator: the price list is editable
    open_page(page, "/fees.html")
    page.get_by_role("button", name="Visa underlaget").click()
    expect(page.locator("#fee-status")).not_to_be_empty()
    page.get_by_role("button", name="Ändra prislistan").click()
    page.locator("#price-table input").first.fill("tio kronor")
    page.get_by_role("button", name="Spara prislistan").click()
    expect(page.locator("#price-table input").first).to_have_attribute("aria-invalid", "true")
    assert_accessible_in_both_languages(page, "the fees page")


def test_staff_pages_are_for_premises_staff_only(page: Page) -> None:
    sign_in_via_api(page, REP.email)
    for path in STAFF_PAGES:
        open_page(page, path)
        expect(page.get_by_role("main")).to_contain_text("Den här sidan är för kommunens lokalbokare.")
    assert_accessible(page, "a staff page refused to a representative")


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_free_times_page_is_accessible(browser: Browser, live_server: LiveServer, size: str) -> None:
    options = PHONE if size == "phone" else {"viewport": {"width": 1280, "height": 900}}
    context = browser.new_context(base_url=live_server.url, locale="sv-SE", timezone_id="Europe/Stockholm",
                                  **options)  # type: ignore[arg-type]
    try:
        page = context.new_page()
        watch = ConsoleWatch(page)
        open_page(page, "/sites.html")
        page.get_by_role("link", name="Lediga tider på skolan för Skönsbergsskolan").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Lediga tider: Skönsbergsskolan")
        expect(page.locator("main")).not_to_have_attribute("aria-busy", "true")
        if size == "phone":
            assert_accessible(page, "the free times page on a phone")
            assert_no_horizontal_scroll(page, "the free times page")
        else:
            assert_accessible_in_both_languages(page, "the free times page")
        watch.assert_clean()
    finally:
        context.close()


def test_find_page_with_errors_and_results_is_accessible(page: Page, phone_page: Page) -> None:
    open_page(page, "/find.html")
    page.get_by_label("Antal personer").fill("många")
    page.get_by_role("button", name="Sök lediga tider").click()
    expect(page.get_by_label("Antal personer")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page, "the find page with an error in Swedish")
    page.get_by_label("Antal personer").fill("20")
    page.get_by_role("button", name="Sök lediga tider").click()
    expect(page.locator("#free-slots > li")).not_to_have_count(0)
    assert_accessible_in_both_languages(page, "the find page with results")
    open_page(phone_page, "/find.html")
    phone_page.get_by_role("button", name="Sök lediga tider").click()
    expect(phone_page.locator("#free-slots > li")).not_to_have_count(0)
    assert_accessible(phone_page, "the find page on a phone")
    assert_no_horizontal_scroll(phone_page, "the find page")


def test_check_in_page_with_an_error_is_accessible(page: Page) -> None:
    sign_in_via_api(page, STAFF.email)
    open_page(page, "/check-in.html")
    page.get_by_role("button", name="Checka in").click()
    expect(page.get_by_label("Kod eller länk från QR-koden")).to_have_attribute("aria-invalid", "true")
    assert_accessible_in_both_languages(page, "the check-in page with an error")
