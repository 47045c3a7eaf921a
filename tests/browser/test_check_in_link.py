"""The booking's check-in QR code as a phone camera at the door opens it: the printed URL
(`{BASE_URL}/c/<code>`). Premises staff check the booking in with one press; anyone else learns
what the code is and that the staff scan it, and staff who are not signed in get there by signing
in. axe-core finds zero violations on each page, in Swedish and in English."""

from __future__ import annotations

import re
import uuid
from datetime import datetime, timedelta

import pytest
from playwright.sync_api import Page, expect

from booking.seed import DEMO_ACCOUNTS
from tests.browser.support import (
    ZONE,
    ApiClient,
    LiveServer,
    assert_accessible,
    assert_no_horizontal_scroll,
    console,
    past_booking,
    ready,
    sign_in_via_api,
    sign_in_with_form,
    switch_language,
)

pytestmark = pytest.mark.browser

REP = next(a for a in DEMO_ACCOUNTS if a.role == "association_rep")
STAFF = next(a for a in DEMO_ACCOUNTS if a.role == "premises_staff")
CODE_FIELD = "Kod eller länk från QR-koden"


# Spaces no other browser test holds at the current time; the demo's own bookings may hold one.
SPACES = ("Nacksta idrottshall B", "Hemkunskapssalen", "Skolgården", "Klassrum B12")


@pytest.fixture(scope="module")
def check_in_url(live_server: LiveServer) -> str:
    """The check-in URL (what the QR code holds) of a booking that began ten minutes ago."""
    now = datetime.now(ZONE)
    starts = now - timedelta(minutes=10)
    booking_id = None
    for space in SPACES:
        try:
            booking_id = past_booking(live_server, space, f"Basket {uuid.uuid4().hex[:6]}",
                                      days_ago=(now.date() - starts.date()).days, start=starts.strftime("%H:%M"),
                                      minutes=120)
            break
        except AssertionError:  # that space is taken now: try the next
            continue
    assert booking_id is not None, f"all of {SPACES} are booked now"
    rep = ApiClient(live_server, REP.email)
    try:
        url = str(rep.get(f"/api/bookings/{booking_id}/access")["check_in_url"])
    finally:
        rep.close()
    assert url.startswith(live_server("/c/"))
    return url


def test_staff_open_the_printed_check_in_url_and_check_the_booking_in(page: Page, live_server: LiveServer,
                                                                      check_in_url: str) -> None:
    url = check_in_url
    code = url.removeprefix(live_server("/c/"))
    sign_in_via_api(page, STAFF.email)
    page.goto(url)  # what the phone's camera opens
    expect(page).to_have_url(re.compile(r"/check-in\.html\?code="))
    ready(page)
    expect(page.get_by_label(CODE_FIELD)).to_have_value(code)
    assert_accessible(page, "the check-in page opened from the QR code")
    page.get_by_role("button", name="Checka in").click()
    expect(page.locator("#check-in-result")).to_contain_text("Incheckad")
    expect(page.locator("#check-in-result")).to_contain_text(re.compile("|".join(SPACES)))
    assert_accessible(page, "the check-in page after checking in")


def test_anyone_else_learns_what_the_code_is_and_staff_sign_in_from_there(page: Page, live_server: LiveServer,
                                                                         check_in_url: str) -> None:
    url = check_in_url
    code = url.removeprefix(live_server("/c/"))
    page.goto(url)  # a visitor, not signed in, scans the code on the association's phone
    expect(page).to_have_url(re.compile(r"/check-in-code\.html\?code="))
    ready(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Incheckningskod för en bokning")
    expect(page.locator("main")).to_contain_text("personalen skannar den för att checka in bokningen")
    assert page.get_by_label(CODE_FIELD).count() == 0  # nothing to check in with here
    assert_accessible(page, "the check-in code's explanation")
    switch_language(page, "English")
    expect(page.get_by_role("heading", level=1)).to_have_text("Check-in code of a booking")
    expect(page.locator("main")).to_contain_text("the staff scan it to check the booking in")
    assert_accessible(page, "the check-in code's explanation in English")
    switch_language(page, "Svenska")

    # a member of staff who is not signed in: sign in, and the code's link opens the check-in
    page.get_by_role("link", name="Logga in för att checka in bokningen").click()
    expect(page).to_have_url(re.compile(r"/login\.html\?next="))
    sign_in_with_form(page, STAFF.email)
    expect(page).to_have_url(re.compile(r"/check-in\.html\?code="))
    ready(page)
    expect(page.get_by_label(CODE_FIELD)).to_have_value(code)


def test_a_signed_in_non_staff_phone_sees_who_checks_in(phone_page: Page, check_in_url: str) -> None:
    url = check_in_url
    sign_in_via_api(phone_page, REP.email)
    phone_page.goto(url)
    expect(phone_page).to_have_url(re.compile(r"/check-in-code\.html\?code="))
    ready(phone_page)
    expect(phone_page.locator("#check-in-code-staff")).to_have_text(
        "Bara personalen för lokalerna kan checka in en bokning.")
    assert_accessible(phone_page, "the check-in code's explanation on a phone")
    assert_no_horizontal_scroll(phone_page, "the check-in code's explanation on a phone")


def test_a_code_we_did_not_issue_gets_a_page_that_says_so(page: Page, live_server: LiveServer,
                                                           check_in_url: str) -> None:
    url = check_in_url
    forged = url[:-1] + ("1" if url[-1] != "1" else "2")
    console(page).allow(404, forged.removeprefix(live_server.url))
    response = page.goto(forged)
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Vi känner inte igen den här incheckningskoden")
    assert_accessible(page, "the unknown check-in code page")
