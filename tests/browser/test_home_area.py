"""A child's home area in the browser: staff keep the postcode table (the areas page shows it), a guardian
types a postcode when signing a child up and sees which area it is, and the staff's follow-up shows the
reach per 1,000 children by home area with the unknown and drop-in lines; axe-core on each, Swedish
and English, desktop and phone."""

from __future__ import annotations

from uuid import uuid4

import pytest
from playwright.sync_api import Page, expect

from booking.seed import DEMO_ACCOUNTS
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
ADMIN = next(a for a in DEMO_ACCOUNTS if a.role == "admin")
ACTIVITY = "Pyssel och skapande"  # twelve places a day all the holiday, in Nacksta


def _both_languages(page: Page, what: str) -> None:
    assert_accessible(page, f"{what} in Swedish")
    switch_language(page, "English")
    assert_accessible(page, f"{what} in English")
    switch_language(page, "Svenska")


def test_a_guardian_gives_a_home_area_and_staff_follow_up_by_home_area(
        live_server: LiveServer, page: Page, phone_page: Page) -> None:
    staff = ApiClient(live_server, STAFF.email)
    try:
        areas = {a["name"]: a["id"] for a in staff.get("/api/areas", municipality="sundsvall", limit=200)["items"]}
        staff.send("PUT", "/api/postcode-areas", {"items": [{"postcode": "85240", "area_id": areas["Skönsberg"]},
                                                            {"postcode": "85230", "area_id": areas["Nacksta"]}]})
        activity = next(a for a in staff.get("/api/activities", limit=100)["items"] if a["title"] == ACTIVITY)
        session = staff.get(f"/api/activities/{activity['id']}")["sessions"][0]
        period = next(p for p in staff.get("/api/holiday-periods")
                      if p["first_day"] <= session["local_date"] <= p["last_day"])
    finally:
        staff.close()

    # the guardian signs a child up, typing the postcode: the page says which area it is
    name = f"Hemma{uuid4().hex[:6]}"
    sign_in_via_api(page, GUARDIAN.email)
    open_page(page, f"/activity.html?id={activity['id']}&session={session['id']}")
    _both_languages(page, "the sign-up form with a home area")  # drawn again in each language: check first
    page.locator("#child-1-name").fill(name)
    page.locator("#child-1-year").fill(str(local_today().year - 9))
    page.get_by_label("Eller skriv postnummer").fill("852 40")
    page.get_by_label("Eller skriv postnummer").press("Tab")
    expect(page.locator("#child-1-postcode-result")).to_have_text("Hemområde: Skönsberg")
    expect(page.get_by_label("Hemområde (frivilligt, för statistik)")).to_have_value(areas["Skönsberg"])
    assert_accessible(page, "the sign-up form with the area found")
    page.get_by_role("button", name="Anmäl").click()
    expect(page.locator("#signup-result")).to_contain_text(f"{name}: plats bekräftad")
    guardian = ApiClient(live_server, GUARDIAN.email)
    try:
        mine = [r for r in guardian.get("/api/registrations")["items"] if r["first_name"] == name]
    finally:
        guardian.close()
    assert [r["home_area_id"] for r in mine] == [areas["Skönsberg"]]

    # on a phone, the form offers the same choice and reflows
    sign_in_via_api(phone_page, GUARDIAN.email)
    open_page(phone_page, f"/activity.html?id={activity['id']}")
    expect(phone_page.get_by_label("Hemområde (frivilligt, för statistik)")).to_be_visible()
    assert_no_horizontal_scroll(phone_page, "the sign-up form on a phone")
    _both_languages(phone_page, "the sign-up form on a phone")

    # the staff's follow-up: Skönsberg counts the child (the activity is in Nacksta)
    staff = ApiClient(live_server, STAFF.email)
    try:
        report = staff.get("/api/activity-follow-up", period_id=period["id"])
    finally:
        staff.close()
    skonsberg = next(a for a in report["equity"] if a["area_name"] == "Skönsberg")
    assert skonsberg["participants"] >= 1
    for shown in (page, phone_page):
        shown.context.clear_cookies()
        sign_in_via_api(shown, STAFF.email)
        open_page(shown, "/follow-up.html")
        shown.get_by_label("Lov").select_option(period["id"])
        table = shown.get_by_role("table", name="Deltagare per 1 000 barn, efter hemområde")
        expect(table.get_by_role("row", name="Skönsberg")).to_contain_text(str(skonsberg["participants"]))
        expect(table.get_by_role("row", name="Okänt hemområde")).to_contain_text(
            str(report["participants_unknown_home_area"]))
        expect(table.get_by_role("row", name="Drop-in-besökare (inget hemområde)")).to_be_visible()
        _both_languages(shown, "the follow-up by home area")
    assert_no_horizontal_scroll(phone_page, "the follow-up on a phone")


def test_the_areas_page_shows_the_postcode_table(live_server: LiveServer, page: Page) -> None:
    admin = ApiClient(live_server, ADMIN.email)
    try:
        areas = {a["name"]: a["id"] for a in admin.get("/api/areas", municipality="sundsvall", limit=200)["items"]}
        admin.send("PUT", "/api/postcode-areas", {"items": [{"postcode": "85240", "area_id": areas["Skönsberg"]},
                                                            {"postcode": "85230", "area_id": areas["Nacksta"]}]})
    finally:
        admin.close()
    sign_in_via_api(page, ADMIN.email)
    open_page(page, "/areas.html")
    table = page.locator("#postcodes-table")
    expect(table.locator("tbody tr").filter(has_text="85240")).to_contain_text("Skönsberg")
    expect(table.locator("tbody tr").filter(has_text="85230")).to_contain_text("Nacksta")
    expect(page.get_by_role("link", name="Importera postnummertabellen (CSV)")).to_have_attribute(
        "href", "/import.html?kind=postcode_areas")
    _both_languages(page, "the areas page with the postcode table")
