"""Moving an approved time in the browser: the association's representative moves an occasion from
"Mina bokningar", the move waits for the premises staff (the booked time stands meanwhile, and the
page says so), and staff approve it on "Att godkänna"; axe-core finds nothing on either page.

Dates are counted from today and chosen in a week no Swedish holiday or eve touches
(support.bookable_day), so the test counts the same on any day of the year."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

from booking.seed import DEMO_ACCOUNTS
from tests.browser.support import ApiClient, LiveServer, assert_accessible, bookable_day, open_page, sign_in_via_api

pytestmark = pytest.mark.browser

REP = next(a for a in DEMO_ACCOUNTS if a.role == "association_rep")
STAFF = next(a for a in DEMO_ACCOUNTS if a.role == "premises_staff")
WEEKDAYS_SV = ["måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag"]
MONTHS_SV = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober",
             "november", "december"]


def sv_date(day: date) -> str:
    return f"{WEEKDAYS_SV[day.weekday()]} {day.day} {MONTHS_SV[day.month - 1]} {day.year}"


@pytest.fixture(scope="module")
def staff_api(live_server: LiveServer) -> Iterator[ApiClient]:
    client = ApiClient(live_server, STAFF.email)
    yield client
    client.close()


@pytest.fixture(scope="module")
def rep_api(live_server: LiveServer) -> Iterator[ApiClient]:
    client = ApiClient(live_server, REP.email)
    yield client
    client.close()


def test_an_associations_move_goes_to_approval_and_staff_approve_it(page: Page, rep_api: ApiClient,
                                                                     staff_api: ApiClient) -> None:
    title = f"Körövning {uuid.uuid4().hex[:6]}"
    day = bookable_day(1, days_ahead=4)  # a Tuesday in a week no holiday touches
    target = day + timedelta(days=1)
    space_id = staff_api.space_id("Klassrum B12")
    made = staff_api.request_booking(space_id, title, day, "20:05", "20:55",
                                     association_id=staff_api.association_id())
    booking_id = made["bookings"][0]["id"]
    assert made["bookings"][0]["status"] == "approved"

    # the representative moves it
    sign_in_via_api(page, REP.email)
    open_page(page, "/bookings.html")
    mine = page.get_by_role("article", name=title)
    opener = mine.get_by_role("button", name=f"Flytta {title}, {sv_date(day)}")
    opener.click()
    dialog = page.get_by_role("dialog", name="Flytta tillfället")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text(f"{title}, {sv_date(day)} 20:05–20:55.")
    expect(dialog).to_contain_text("går ändringen till lokalbokaren")
    expect(dialog.get_by_label("Nytt datum")).to_be_focused()
    assert_accessible(page, "the move dialog")
    dialog.get_by_label("Ny sluttid").fill("20:00")
    dialog.get_by_role("button", name="Flytta", exact=True).click()
    end = dialog.get_by_label("Ny sluttid")
    expect(end).to_have_accessible_description("Sluttiden måste vara efter starttiden.")
    expect(end).to_be_focused()
    assert_accessible(page, "the move dialog with an error")
    dialog.get_by_label("Nytt datum").fill(target.isoformat())
    dialog.get_by_label("Ny starttid").fill("20:10")
    end.fill("21:00")
    dialog.get_by_role("button", name="Flytta", exact=True).click()
    expect(dialog).to_be_hidden()
    status = page.locator("#bookings-status")
    expect(status).to_have_text(f"Flytten av {title} till {sv_date(target)} 20:10–21:00 väntar på beslut från "
                                "lokalbokaren. Tills dess gäller den bokade tiden.")
    expect(status).to_be_focused()
    occasion = mine.locator(f"[data-booking='{booking_id}']")
    expect(occasion).to_contain_text(sv_date(day))  # the booked time stands
    expect(occasion.locator(".badge")).to_have_text("Godkänd")
    expect(occasion).to_contain_text(f"Flytt till {sv_date(target)} 20:10–21:00 väntar på beslut.")
    assert_accessible(page, "my bookings with a move awaiting a decision")
    waiting = rep_api.get(f"/api/bookings/{booking_id}")
    assert waiting["local_date"] == day.isoformat() and waiting["pending_change"]["local_date"] == target.isoformat()

    # staff approve it
    sign_in_via_api(page, STAFF.email)
    open_page(page, "/approvals.html")
    section = page.get_by_role("region", name="Flyttar som väntar på beslut")
    card = section.get_by_role("article", name=title)
    expect(card).to_contain_text(f"Bokad tid{sv_date(day)} 20:05–20:55")
    expect(card).to_contain_text(f"Önskad tid{sv_date(target)} 20:10–21:00")
    expect(card).to_contain_text("Nacksta IF")
    assert_accessible(page, "approvals with a move awaiting a decision")
    card.get_by_role("button", name=f"Godkänn flytten {title}").click()
    outcome = card.locator(".outcome")
    expect(outcome.get_by_role("heading")).to_have_text("Flytten är godkänd")
    expect(outcome).to_contain_text(f"Ny tid: {sv_date(target)} 20:10–21:00.")
    expect(outcome).to_be_focused()
    assert_accessible(page, "approvals after approving a move")
    moved = rep_api.get(f"/api/bookings/{booking_id}")
    assert (moved["local_date"], moved["local_start"], moved["pending_change"]) == (target.isoformat(), "20:10", None)
