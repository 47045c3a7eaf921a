"""Sign-in with the municipality's own identity provider in the browser, against a REAL OpenID Connect
provider on loopback (tests/oidc/provider.mjs): an administrator configures it on "Inloggning" (a wrong
issuer is shown at its field first), then a member of staff signs in with the login page's button
through the provider's own login form and lands signed in; a person whose groups give no role comes back
to the login page with the reason. The settings page and the login page with the button are accessible
in Swedish and English, on a desktop and a phone. The journey switches the demo municipality's sign-in
off again at the end (other tests share the server)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

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
    sign_in_via_api,
    switch_language,
)
from tests.oidc_provider import CLIENT_SECRET, Provider, running_provider

pytestmark = pytest.mark.browser

ADMIN = next(a for a in DEMO_ACCOUNTS if a.role == "admin")
RUN = uuid.uuid4().hex[:6]
PEOPLE = {
    f"bo-{RUN}": {"email": f"bo.{RUN}@kommun.example", "email_verified": True, "name": "Bo Berg",
                  "groups": ["premises", "all-staff"]},
    f"cecilia-{RUN}": {"email": f"cecilia.{RUN}@kommun.example", "email_verified": True,
                       "name": "Cecilia Carlsson", "groups": ["all-staff"]},
}


@pytest.fixture(scope="module")
def provider(live_server: LiveServer) -> Iterator[Provider]:
    with running_provider([live_server("/api/auth/oidc/callback")], accounts=PEOPLE) as p:
        yield p


@pytest.fixture
def signed_in_settings(live_server: LiveServer, provider: Provider) -> Iterator[str]:
    """The demo municipality's sign-in, enabled through the API for the duration of a test."""
    api = ApiClient(live_server, ADMIN.email)
    municipality = api.get("/api/auth/me")["account"]["municipality_id"]
    path = f"/api/municipalities/{municipality}/sign-in"
    api.send("PUT", path, {"issuer": provider.issuer, "client_id": "booking", "client_secret": CLIENT_SECRET,
                           "scopes": ["openid", "email", "profile", "groups"], "claim": "groups",
                           "mappings": [{"value": "premises", "role": "premises_staff"}],
                           "create_accounts": True, "enabled": True})
    try:
        yield path
    finally:
        _switch_off(api, path)


def _switch_off(api: ApiClient, path: str) -> None:
    settings = api.http.get(path)
    if settings.status_code == 200:
        body = settings.json()
        api.send("PUT", path, {k: body[k] for k in ("issuer", "client_id", "scopes", "claim", "mappings",
                                                     "create_accounts")} | {"enabled": False})
    api.close()


def _sign_in_at_provider(page: Page, login: str) -> None:
    page.locator("input[name=login]").fill(login)
    page.locator("input[name=password]").fill("valfritt")
    page.get_by_role("button", name="Sign-in").click()
    page.get_by_role("button", name="Continue").click()


def test_an_admin_configures_sign_in_and_staff_sign_in_through_the_provider(
        page: Page, second_page: Page, live_server: LiveServer, provider: Provider) -> None:
    api = ApiClient(live_server, ADMIN.email)
    path = f"/api/municipalities/{api.get('/api/auth/me')['account']['municipality_id']}/sign-in"
    try:
        _configure(page, provider)
        _staff_sign_in(second_page, live_server)
    finally:
        _switch_off(api, path)


def _configure(page: Page, provider: Provider) -> None:
    console(page).allow(404, "/sign-in")  # nothing configured yet: the page shows an empty form
    console(page).allow(422, "/sign-in")  # the wrong issuer, on purpose
    sign_in_via_api(page, ADMIN.email)
    open_page(page, "/")
    page.get_by_role("navigation").get_by_role("button", name="Personal").click()
    page.locator("#staff-menu").get_by_role("link", name="Inloggning").click()
    expect(page.get_by_role("heading", level=1, name="Inloggning")).to_be_visible()
    expect(page.locator("#s-redirect")).to_have_text(page.url.split("/sign-in")[0] + "/api/auth/oidc/callback")

    page.get_by_label("Utfärdare (issuer)").fill("http://idp.example.se")  # not https: refused by the API
    page.get_by_label("Klient-id").fill("booking")
    page.get_by_label("Klienthemlighet").fill(CLIENT_SECRET)
    page.get_by_label("Scopes").fill("openid email profile groups")
    page.get_by_role("button", name="Lägg till rad").click()
    page.get_by_label("Värde i claimet").fill("premises")
    page.get_by_label("Behörighet", exact=True).select_option(label="Bokningshandläggare (lokaler)")
    page.get_by_label("Skapa konto första gången").check()
    page.get_by_label("Visa knappen").check()
    page.get_by_role("button", name="Spara").click()
    issuer = page.get_by_label("Utfärdare (issuer)")
    expect(issuer).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#s-issuer-error")).to_contain_text("https")
    expect(page.locator("#sign-in-alert")).to_contain_text("https")
    expect(issuer).to_be_focused()

    issuer.fill(provider.issuer)
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("status")).to_have_text("Inställningarna är sparade.")
    expect(page.get_by_text("En hemlighet är sparad.")).to_be_visible()
    expect(page.get_by_label("Klienthemlighet")).to_have_value("")  # the secret never comes back


def _staff_sign_in(page: Page, live_server: LiveServer) -> None:
    open_page(page, "/login.html")
    page.get_by_role("link", name="Logga in med kommunens konto").click()
    _sign_in_at_provider(page, f"bo-{RUN}")
    expect(page).to_have_url(live_server("/"))
    expect(page.get_by_role("banner")).to_contain_text("Bo Berg")
    roles = page.evaluate("async () => (await (await fetch('/api/auth/me')).json()).account.roles")
    assert [r["role"] for r in roles] == ["premises_staff"]


def test_a_person_whose_groups_give_no_role_is_told_why(page: Page, signed_in_settings: str) -> None:
    open_page(page, "/login.html")
    page.get_by_role("link", name="Logga in med kommunens konto").click()
    _sign_in_at_provider(page, f"cecilia-{RUN}")
    expect(page.locator("#login-alert")).to_contain_text("dina grupper ger ingen behörighet")
    expect(page.get_by_role("heading", level=1, name="Logga in")).to_be_visible()


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_the_sign_in_pages_are_accessible(page: Page, phone_page: Page, size: str, signed_in_settings: str) -> None:
    page = phone_page if size == "phone" else page
    open_page(page, "/login.html?oidc_error=no-role")
    expect(page.get_by_role("link", name="Logga in med kommunens konto")).to_be_visible()
    assert_accessible(page, f"the login page with the provider's button and a refusal in Swedish ({size})")
    switch_language(page, "English")
    expect(page.get_by_role("link", name="Sign in with the municipality's account")).to_be_visible()
    assert_accessible(page, f"the login page with the provider's button in English ({size})")
    switch_language(page, "Svenska")

    sign_in_via_api(page, ADMIN.email)
    open_page(page, "/sign-in-settings.html")
    expect(page.get_by_label("Värde i claimet")).to_have_value("premises")
    assert_accessible(page, f"the sign-in settings in Swedish ({size})")
    page.get_by_label("Utfärdare (issuer)").fill("")
    page.get_by_role("button", name="Spara").click()
    expect(page.locator("#s-issuer-error")).to_have_text("Fyll i fältet.")
    assert_accessible(page, f"the sign-in settings with an error in Swedish ({size})")
    if size == "phone":
        assert_no_horizontal_scroll(page, "the sign-in settings")
    switch_language(page, "English")
    expect(page.get_by_role("heading", level=1, name="Sign-in")).to_be_visible()
    assert_accessible(page, f"the sign-in settings in English ({size})")
