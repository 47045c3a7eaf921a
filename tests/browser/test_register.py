"""Creating an account in a real Chromium ("Skapa konto", register.html): reached from the sign-in
page; the page's own checks and an e-mail address the API refuses land at their fields and in the
summary; then the account is created, the person is signed in and lands on "Mitt konto", from where
"Registrera din förening" leads on. An address that already has an account is not told apart by the
API; the page says what to do. axe-core on the page in Swedish and English, on a desktop and a phone.

The browser tests share one live demo server: every address made here is new ("ny.<random>@example.se")
and no other test counts it."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.browser.support import (
    LiveServer,
    assert_accessible,
    assert_no_horizontal_scroll,
    console,
    open_page,
    switch_language,
)

pytestmark = pytest.mark.browser

PASSWORD = "mitt eget långa lösenord"


def new_address() -> str:
    return f"ny.{uuid.uuid4().hex[:10]}@example.se"


def test_a_person_creates_an_account_after_fixing_what_the_page_and_the_api_refuse(
        page: Page, live_server: LiveServer) -> None:
    console(page).allow(422, "/api/auth/register")
    open_page(page, "/login.html")
    page.get_by_role("link", name="Har du inget konto? Skapa konto").click()
    expect(page).to_have_url(re.compile(r"/register\.html$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Skapa konto")

    # Nothing filled in: each field says what is missing, and the summary links to them.
    page.get_by_role("button", name="Skapa konto").click()
    expect(page.locator("#reg-municipality-error")).to_have_text("Välj din kommun.")
    expect(page.locator("#reg-name-error")).to_have_text("Skriv ditt namn.")
    expect(page.locator("#reg-email-error")).to_have_text("Skriv din e-postadress.")
    expect(page.locator("#reg-password-error")).to_have_text("Välj ett lösenord.")
    expect(page.get_by_label("Kommun")).to_be_focused()
    expect(page.locator("#register-alert").get_by_role("link", name="Skriv ditt namn.")).to_have_attribute(
        "href", "#reg-name")

    # An address the browser accepts but the API does not (no top-level domain): the API's error at its field.
    page.get_by_label("Kommun").select_option(label="Sundsvalls kommun")
    page.get_by_label("Ditt namn").fill("Nora Nykomling")
    page.get_by_label("E-postadress").fill("nora@foreningen")
    page.get_by_label("Lösenord", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Skapa konto").click()
    wrong = "Skriv en giltig e-postadress, till exempel namn@exempel.se."
    expect(page.locator("#reg-email-error")).to_have_text(wrong)
    expect(page.get_by_label("E-postadress")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("E-postadress")).to_be_focused()
    expect(page.locator("#register-alert").get_by_role("link", name=wrong)).to_have_attribute("href", "#reg-email")
    expect(page.locator("#reg-name-error")).to_have_text("")
    assert_accessible(page, "the register page with an error at the e-mail address")

    address = new_address()
    page.get_by_label("E-postadress").fill(address)
    page.get_by_role("button", name="Skapa konto").click()
    expect(page).to_have_url(re.compile(r"/account\.html$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Mitt konto")
    expect(page.locator("main")).to_contain_text("Nora Nykomling")
    expect(page.locator("main")).to_contain_text(address)
    page.get_by_role("link", name="Registrera din förening").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Min förening")
    expect(page.locator("#my-associations-none")).to_have_text("Du företräder ingen förening ännu.")

    # Signed in, the page says so instead of offering a second account.
    open_page(page, "/register.html")
    expect(page.locator("#register-signed-in")).to_contain_text("Du är inloggad som Nora Nykomling")
    expect(page.locator("#register-form")).to_be_hidden()


def test_an_address_that_has_an_account_is_not_signed_in_and_is_told_what_to_do(
        page: Page, live_server: LiveServer) -> None:
    address = new_address()
    made = page.request.post("/api/auth/register", data={
        "municipality": "sundsvall", "email": address, "display_name": "Första Försöket", "password": PASSWORD})
    assert made.status == 201, made.text()
    console(page).allow(401, "/api/auth/login")
    open_page(page, "/register.html")
    page.get_by_label("Kommun").select_option(label="Sundsvalls kommun")
    page.get_by_label("Ditt namn").fill("Andra Försöket")
    page.get_by_label("E-postadress").fill(address)
    page.get_by_label("Lösenord", exact=True).fill("ett helt annat lösenord")
    page.get_by_role("button", name="Skapa konto").click()
    notice = page.locator("#register-not-signed-in")
    expect(notice).to_be_focused()
    expect(notice).to_contain_text("Om e-postadressen redan hade ett konto har vi skickat ett e-postmeddelande")
    expect(notice.get_by_role("link", name="Glömt lösenordet?")).to_have_attribute("href", "/forgot-password.html")
    expect(page).to_have_url(re.compile(r"/register\.html$"))
    assert_accessible(page, "the register page after an address that had an account")


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_the_register_page_is_accessible(page: Page, phone_page: Page, live_server: LiveServer, size: str) -> None:
    page = phone_page if size == "phone" else page
    open_page(page, "/register.html")
    expect(page.get_by_label("Kommun").locator("option")).not_to_have_count(0)
    assert_accessible(page, f"the register page ({size}) in Swedish")
    assert_no_horizontal_scroll(page, f"the register page ({size})")
    switch_language(page, "English")
    expect(page.get_by_role("heading", level=1)).to_have_text("Create an account")
    expect(page.get_by_label("Language of the service's e-mails")).to_have_value("en")
    page.get_by_role("button", name="Create account").click()
    expect(page.locator("#reg-name-error")).to_have_text("Enter your name.")
    assert_accessible(page, f"the register page with errors ({size}) in English")
    assert_no_horizontal_scroll(page, f"the register page with errors ({size})")
    switch_language(page, "Svenska")
    expect(page.locator("#reg-name-error")).to_have_text("Skriv ditt namn.")
    assert_accessible(page, f"the register page with errors ({size}) in Swedish")
