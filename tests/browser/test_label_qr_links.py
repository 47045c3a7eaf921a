"""A label's QR code holds its URL in capitals (`HTTP://HOST:PORT/Q/CODE`, QR alphanumeric mode):
a browser opens it like any URL, since scheme and host are case-insensitive and /Q/ is served; a
scanner that types it on the labels page links the label. The URLs come from the API as printed."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from booking.seed import DEMO_ACCOUNTS
from tests.browser.support import ApiClient, LiveServer, assert_accessible, ready, sign_in_via_api

pytestmark = pytest.mark.browser

STAFF = next(a for a in DEMO_ACCOUNTS if a.role == "lending_staff")


def test_a_phone_opens_the_upper_case_label_url_on_the_item_page(phone_page: Page, live_server: LiveServer) -> None:
    staff = ApiClient(live_server, STAFF.email)
    try:
        label = staff.get("/api/lending/labels", linked="true", limit=1)["items"][0]
        item = staff.get(f"/api/lending/items/{label['item_id']}")
    finally:
        staff.close()
    assert label["url"] == live_server.url.upper() + f"/Q/{label['code']}"
    phone_page.goto(label["url"])  # what the camera opens: the printed text itself
    expect(phone_page).to_have_url(re.compile(rf"/item\.html\?code={label['code']}$"))
    ready(phone_page)
    expect(phone_page.get_by_role("heading", level=1)).to_contain_text(item["article_name"])
    assert_accessible(phone_page, "the item page opened from an upper-case label URL")


def test_staff_link_a_label_by_scanning_its_upper_case_url(page: Page, live_server: LiveServer) -> None:
    staff = ApiClient(live_server, STAFF.email)
    try:
        code = staff.send("POST", "/api/lending/labels", {"count": 1}, expect=201)["codes"][0]
        some = staff.get("/api/lending/items", limit=1)["items"][0]
        bare = staff.send("POST", "/api/lending/items", {"article_id": some["article_id"],
                                                         "site_id": some["site_id"], "with_labels": False},
                          expect=201)["items"][0]
        url = live_server.url.upper() + f"/Q/{code}"  # as printed (the test above holds the API to it)
        sign_in_via_api(page, STAFF.email)
        page.goto("/labels.html")
        ready(page)
        page.get_by_label("Etikettkod").fill(url)  # a keyboard-mode scanner types the whole URL
        page.get_by_label("Utrustning utan etikett").select_option(bare["id"])
        page.get_by_role("button", name="Koppla").click()
        expect(page.locator("#link-status")).to_contain_text(code)
        assert staff.get(f"/api/lending/items/{bare['id']}")["label_code"] == code
    finally:
        staff.close()
