"""People in a real Chromium: an admin invites a premises staff member, the link in the e-mail (read
from the outbox in the live server's database) is opened, a password is chosen, and the staff member
signs in; "Glömt lösenordet?" from the sign-in page; axe-core on the new pages in Swedish and English,
on a desktop and a phone, with their errors shown."""

from __future__ import annotations

import re
import sqlite3
import uuid

import pytest
from playwright.sync_api import Page, expect

from booking.seed import DEMO_ACCOUNTS
from tests.browser.support import (
    ApiClient,
    LiveServer,
    assert_accessible,
    assert_no_horizontal_scroll,
    console,
    open_page,
    ready,
    sign_in_via_api,
    sign_in_with_form,
    switch_language,
)

pytestmark = pytest.mark.browser

ADMIN = next(a for a in DEMO_ACCOUNTS if a.role == "admin")
NEW_PASSWORD = "en mening som lösenord"


def mailed_link(server: LiveServer, email: str, kind: str) -> str:
    """The path of the set-password link in the last message of `kind` to `email`, read from the outbox."""
    with sqlite3.connect(server.log.parent / "booking.db") as db:
        rows = db.execute("SELECT body FROM outbox WHERE recipient = ? AND kind = ? ORDER BY created_at",
                          (email, kind)).fetchall()
    assert rows, f"no {kind} message to {email}"
    found = re.search(re.escape(server.url) + r"(/set-password\.html\?token=[A-Za-z0-9_-]+)", rows[-1][0])
    assert found, rows[-1][0]
    return found.group(1)


def invite_staff_on_the_accounts_page(page: Page, email: str) -> None:
    """The admin fills in "Bjud in en person" on the accounts page: a premises staff member of one site."""
    sign_in_via_api(page, ADMIN.email)
    open_page(page, "/accounts.html")
    page.get_by_label("E-postadress").fill(email)
    page.get_by_label("Namn").fill("Nora Nyanställd")
    page.get_by_label("Roll", exact=True).select_option("premises_staff")
    page.get_by_label("Var", exact=True).select_option(index=1)
    page.get_by_role("button", name="Skicka inbjudan").click()
    expect(page.locator("#accounts-status")).to_have_text(f"Inbjudan är skickad till {email}.")
    expect(page.locator("#account-list")).to_contain_text(email)
    page.context.clear_cookies()  # the admin signs out of this browser


def test_an_invited_staff_member_chooses_a_password_and_signs_in(page: Page, live_server: LiveServer) -> None:
    email = f"nora.{uuid.uuid4().hex[:8]}@demo.booking.se"
    invite_staff_on_the_accounts_page(page, email)
    link = mailed_link(live_server, email, "account.invited")

    open_page(page, link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Välj lösenord")
    expect(page).to_have_url(re.compile(r"/set-password\.html$"))  # the token left the address bar
    page.get_by_label("Nytt lösenord").fill(NEW_PASSWORD)
    page.get_by_label("Skriv lösenordet igen").fill(NEW_PASSWORD + "x")
    page.get_by_role("button", name="Spara lösenordet").click()
    expect(page.locator("#repeat-error")).to_have_text("Lösenorden är inte likadana.")
    page.get_by_label("Skriv lösenordet igen").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Spara lösenordet").click()
    expect(page.locator("#done-notice")).to_be_visible()
    assert page.request.get("/api/auth/me").status == 401  # choosing a password signed nothing in

    page.get_by_role("link", name="Logga in").last.click()
    ready(page)
    sign_in_with_form(page, email, NEW_PASSWORD)
    expect(page).not_to_have_url(re.compile(r"/login\.html"))
    ready(page)
    me = page.request.get("/api/auth/me").json()["account"]
    assert me["email"] == email and [r["role"] for r in me["roles"]] == ["premises_staff"]

    # The link is spent: opened again, it says so and offers a new one.
    console(page).allow(422, "/api/auth/password")
    open_page(page, link)
    page.get_by_label("Nytt lösenord").fill(NEW_PASSWORD)
    page.get_by_label("Skriv lösenordet igen").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Spara lösenordet").click()
    expect(page.locator("#password-alert")).to_contain_text("Länken har redan använts")
    expect(page.get_by_role("link", name="Be om en ny länk")).to_be_visible()


def test_forgot_password_from_the_sign_in_page(page: Page, live_server: LiveServer) -> None:
    open_page(page, "/login.html")
    page.get_by_role("link", name="Glömt lösenordet?").click()
    ready(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Glömt lösenordet")
    page.get_by_role("button", name="Skicka länk").click()
    expect(page.locator("#email-error")).to_have_text("Skriv din e-postadress.")
    page.get_by_label("E-postadress").fill("ingen.alls@example.se")
    page.get_by_role("button", name="Skicka länk").click()
    expect(page.locator("#sent-notice")).to_be_visible()
    expect(page.locator("#sent-notice")).to_contain_text("Om adressen har ett konto")


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_the_password_pages_are_accessible(page: Page, phone_page: Page, live_server: LiveServer,
                                           size: str) -> None:
    tab = page if size == "desktop" else phone_page
    for path, fill in (("/forgot-password.html", None), ("/set-password.html?token=" + "A" * 43, "#password")):
        open_page(tab, path)
        assert_accessible(tab, f"{path} in Swedish ({size})")
        tab.locator("form button[type=submit]").click()  # the page's own errors shown
        if fill:
            expect(tab.locator("#password-error")).not_to_be_empty()
        else:
            expect(tab.locator("#email-error")).not_to_be_empty()
        assert_accessible(tab, f"{path} with errors in Swedish ({size})")
        switch_language(tab, "English")
        assert_accessible(tab, f"{path} with errors in English ({size})")
        if size == "phone":
            assert_no_horizontal_scroll(tab, path)
        switch_language(tab, "Svenska")
    open_page(tab, "/set-password.html")  # no token: the alert and the link to a new one
    expect(tab.locator("#password-alert")).not_to_be_empty()
    assert_accessible(tab, f"set-password without a token ({size})")


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_the_accounts_and_audit_pages_are_accessible(page: Page, phone_page: Page, live_server: LiveServer,
                                                     size: str) -> None:
    tab = page if size == "desktop" else phone_page
    admin = ApiClient(live_server, ADMIN.email)
    try:  # something in the audit log
        admin.send("POST", "/api/accounts/invitations", {"email": f"logg.{uuid.uuid4().hex[:8]}@demo.booking.se",
                                                         "display_name": "Loggad"}, expect=201)
    finally:
        admin.close()
    sign_in_via_api(tab, ADMIN.email)
    open_page(tab, "/accounts.html")
    tab.get_by_role("button", name="Skicka inbjudan").click()  # the page's own errors
    expect(tab.locator("#inv-email-error")).not_to_be_empty()
    tab.locator("#account-list button").first.click()  # an account's change form open
    expect(tab.locator("#edit-form")).to_be_visible()
    assert_accessible(tab, f"the accounts page in Swedish ({size})")
    switch_language(tab, "English")
    assert_accessible(tab, f"the accounts page in English ({size})")
    if size == "phone":
        assert_no_horizontal_scroll(tab, "the accounts page")
    open_page(tab, "/audit.html?entity=account")
    expect(tab.locator("#audit-table tbody tr").first).to_be_visible()
    assert_accessible(tab, f"the audit log in English ({size})")
    switch_language(tab, "Svenska")
    assert_accessible(tab, f"the audit log in Swedish ({size})")
    if size == "phone":
        assert_no_horizontal_scroll(tab, "the audit log")


def test_an_admin_deactivates_and_reactivates_an_account_and_reads_it_in_the_log(
        page: Page, live_server: LiveServer) -> None:
    email = f"tillfallig.{uuid.uuid4().hex[:8]}@demo.booking.se"
    admin = ApiClient(live_server, ADMIN.email)
    try:
        admin.send("POST", "/api/accounts/invitations", {"email": email, "display_name": "Tillfällig"}, expect=201)
    finally:
        admin.close()
    sign_in_via_api(page, ADMIN.email)
    open_page(page, "/accounts.html")
    row = page.locator("#account-list > li", has_text=email)

    def is_active() -> bool:
        items = page.request.get("/api/accounts", params={"q": email}).json()["items"]
        return bool(items[0]["is_active"])

    row.get_by_role("button", name="Ändra").click()
    page.get_by_label("Kontot är aktivt").uncheck()
    page.get_by_role("button", name="Spara", exact=True).click()
    expect(page.locator("#accounts-status")).to_contain_text("är sparade")
    expect(row).to_contain_text("avstängt")
    assert not is_active()
    row.get_by_role("button", name="Ändra").click()
    page.get_by_label("Kontot är aktivt").check()
    page.get_by_role("button", name="Spara", exact=True).click()
    expect(row).not_to_contain_text("avstängt")
    assert is_active()
    page.get_by_role("link", name="Visa ändringarna av konton i ändringsloggen").click()
    ready(page)
    expect(page.locator("#audit-table")).to_contain_text("account.updated")
