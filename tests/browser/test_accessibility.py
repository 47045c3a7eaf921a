"""WCAG 2.1 AA in a real Chromium: axe-core finds zero violations on every page, in Swedish and
in English, signed out and signed in, with an error shown, and at phone size."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from booking.seed import DEMO_ACCOUNTS
from tests.browser.support import (
    assert_accessible,
    assert_no_horizontal_scroll,
    console,
    open_page,
    sign_in_via_api,
    switch_language,
)

pytestmark = pytest.mark.browser

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


@pytest.mark.parametrize("path", [*ANONYMOUS_PAGES, "/account.html"])
def test_phone_layout_is_accessible_and_reflows(phone_page: Page, path: str) -> None:
    if path == "/account.html":
        sign_in_via_api(phone_page, DEMO_ACCOUNTS[0].email)
    open_page(phone_page, path)
    assert_accessible(phone_page, f"{path} on a phone")
    assert_no_horizontal_scroll(phone_page, path)
