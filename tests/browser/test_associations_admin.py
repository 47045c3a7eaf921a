"""Associations in a real Chromium: a person with a self-registered account registers their association
on "Min förening", which then waits ("Väntar på granskning") in the staff's queue on "Föreningar", where
premises staff approve it; staff change one with a wrong organisationsnummer and see the error at the
field and in the summary; axe-core on both pages in Swedish and English, on a desktop and a phone.

The browser tests share one live demo server: every association made here has a name no other test
counts ("Testförening <random>")."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import Page, expect
from stdnum import luhn

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

pytestmark = pytest.mark.browser

STAFF = next(a for a in DEMO_ACCOUNTS if a.role == "premises_staff")
ACTIVITIES = next(a for a in DEMO_ACCOUNTS if a.role == "activities_staff")
PASSWORD = "en förening i kvarteret"


def org_number() -> str:
    """A fresh, valid organisationsnummer (the demo's associations have others)."""
    base = f"80{uuid.uuid4().int % 10**7:07d}"
    number = base + luhn.calc_check_digit(base)
    return f"{number[:6]}-{number[6:]}"


def name() -> str:
    return f"Testförening {uuid.uuid4().hex[:8]}"


def self_registered(page: Page) -> str:
    """A person who registered an account through the API (`POST /api/auth/register`), signed in."""
    email = f"ordforande.{uuid.uuid4().hex[:8]}@example.se"
    response = page.request.post("/api/auth/register", data={
        "municipality": "sundsvall", "email": email, "display_name": "Olle Ordförande", "password": PASSWORD})
    assert response.status == 201, response.text()
    sign_in_via_api(page, email, PASSWORD)
    return email


def registered_by_staff(server: LiveServer, association: str) -> str:
    api = ApiClient(server, ACTIVITIES.email)
    try:
        return str(api.send("POST", "/api/associations", {"name": association, "org_number": org_number()},
                            expect=201)["id"])
    finally:
        api.close()


def test_a_representative_registers_and_premises_staff_approve_from_the_queue(
        page: Page, live_server: LiveServer) -> None:
    self_registered(page)
    association, number = name(), org_number()
    open_page(page, "/account.html")
    page.get_by_role("link", name="Registrera din förening").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Min förening")
    expect(page.locator("#my-associations-none")).to_have_text("Du företräder ingen förening ännu.")

    page.get_by_role("button", name="Registrera föreningen").click()  # nothing filled in
    expect(page.locator("#as-name-error")).to_have_text("Skriv föreningens namn.")
    expect(page.locator("#as-alert")).to_contain_text("Skriv organisationsnumret.")

    page.get_by_label("Föreningens namn", exact=True).fill(association)
    page.get_by_label("Organisationsnummer", exact=True).fill(number.replace("-", ""))
    page.get_by_label("Typ av förening").select_option("youth")
    page.get_by_label("Område").select_option(label="Nacksta")
    page.get_by_role("button", name="Lägg till kontaktperson").click()
    page.get_by_label("Namn", exact=True).fill("Olle Ordförande")
    page.get_by_label("Telefon").fill("070-123 45 67")
    page.get_by_role("button", name="Registrera föreningen").click()
    expect(page.locator("#association-status")).to_have_text(f"{association} är registrerad och väntar på granskning.")
    mine = page.locator("#my-associations li")
    expect(mine).to_have_count(1)
    expect(mine).to_contain_text(f"{association} – Väntar på granskning")
    expect(mine).to_contain_text(number)  # the canonical form, with its hyphen

    # The same organisationsnummer again is refused at its field.
    console(page).allow(409, "/api/associations")
    page.get_by_label("Föreningens namn", exact=True).fill(f"{association} igen")
    page.get_by_label("Organisationsnummer", exact=True).fill(number)
    page.get_by_role("button", name="Registrera föreningen").click()
    expect(page.locator("#as-org-error")).to_contain_text("redan registrerad")

    page.context.clear_cookies()
    sign_in_via_api(page, STAFF.email)
    open_page(page, "/")
    page.get_by_role("navigation").get_by_role("button", name="Personal").click()
    page.locator("#staff-menu").get_by_role("link", name="Föreningar").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Föreningar")
    queued = page.locator("#queue-list li").filter(has_text=association)
    expect(queued).to_contain_text(number)
    expect(queued).to_contain_text("Barn- och ungdomsförening · Nacksta")
    queued.get_by_role("button", name="Godkänn").click()
    expect(page.locator("#associations-status")).to_have_text(f"{association} är godkänd och kan boka.")
    expect(page.locator("#queue-list li").filter(has_text=association)).to_have_count(0)
    page.get_by_label("Sök på föreningens namn").fill(association)
    page.get_by_role("button", name="Sök", exact=True).click()
    expect(page.locator("#association-list li")).to_have_count(1)
    expect(page.locator("#association-list li")).to_contain_text(f"{association} – Godkänd")


def test_staff_change_an_association_and_see_a_wrong_organisationsnummer_at_its_field(
        page: Page, live_server: LiveServer) -> None:
    association = name()
    association_id = registered_by_staff(live_server, association)
    console(page).allow(422, f"/api/associations/{association_id}")
    sign_in_via_api(page, STAFF.email)
    open_page(page, "/associations-admin.html")
    page.get_by_label("Sök på föreningens namn").fill(association)
    page.get_by_role("button", name="Sök", exact=True).click()
    expect(page.locator("#association-list li")).to_have_count(1)  # the search's answer, not the first list
    row = page.locator("#association-list li").filter(has_text=association)
    expect(row).to_contain_text("Väntar på granskning")
    row.get_by_role("button", name="Ändra").click()
    expect(page.locator("#form-heading")).to_have_text(f"Ändra {association}")
    expect(page.locator("#form-heading")).to_be_focused()

    page.get_by_label("Organisationsnummer", exact=True).fill("802479-4566")  # the check digit is wrong
    page.get_by_role("button", name="Spara").click()
    wrong = "Kontrollsiffran i organisationsnumret stämmer inte. Kontrollera numret."
    expect(page.locator("#as-org-error")).to_have_text(wrong)
    expect(page.get_by_label("Organisationsnummer", exact=True)).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Organisationsnummer", exact=True)).to_be_focused()
    summary = page.locator("#as-alert")
    expect(summary.get_by_role("link", name=wrong)).to_have_attribute("href", "#as-org")
    assert_accessible(page, "the associations page with an error at the organisationsnummer")

    renamed = f"{association} Sundsvall"
    page.get_by_label("Organisationsnummer", exact=True).fill(org_number())
    page.get_by_label("Föreningens namn", exact=True).fill(renamed)
    page.get_by_label("Taxa").select_option("reduced")
    page.get_by_role("button", name="Spara").click()
    expect(page.locator("#associations-status")).to_have_text(f"{renamed} är sparad.")
    expect(page.locator("#form-heading")).to_have_text("Registrera en förening")
    expect(page.locator("#as-org-error")).to_have_text("")


def test_activities_staff_change_but_neither_approve_nor_renumber(page: Page, live_server: LiveServer) -> None:
    association = name()
    registered_by_staff(live_server, association)
    sign_in_via_api(page, ACTIVITIES.email)
    open_page(page, "/associations-admin.html")
    queued = page.locator("#queue-list li").filter(has_text=association)
    expect(queued).to_be_visible()
    expect(queued.get_by_role("button", name="Godkänn")).to_have_count(0)
    expect(page.get_by_text("Lokalbokare och administratörer godkänner föreningar.")).to_be_visible()
    queued.get_by_role("button", name="Ändra").click()
    expect(page.get_by_label("Organisationsnummer", exact=True)).to_have_attribute("readonly", "")
    expect(page.get_by_label("Taxa")).to_have_count(0)
    page.get_by_label("Föreningen är lokal (verksam i kommunen)").uncheck()
    page.get_by_role("button", name="Spara").click()
    expect(page.locator("#associations-status")).to_have_text(f"{association} är sparad.")
    expect(page.locator("#queue-list li").filter(has_text=association)).to_contain_text("Inte lokal")


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_the_associations_pages_are_accessible(page: Page, phone_page: Page, live_server: LiveServer,
                                               size: str) -> None:
    page = phone_page if size == "phone" else page
    registered_by_staff(live_server, name())  # the queue is never empty
    sign_in_via_api(page, STAFF.email)
    open_page(page, "/associations-admin.html")
    expect(page.locator("#queue-list li").first).to_be_visible()
    page.locator("#queue-list li").first.get_by_role("button", name="Ändra").click()
    page.get_by_role("button", name="Lägg till kontaktperson").click()
    assert_accessible(page, f"the associations page with the form open ({size}) in Swedish")
    assert_no_horizontal_scroll(page, f"the associations page ({size})")
    switch_language(page, "English")
    expect(page.get_by_role("heading", level=1)).to_have_text("Associations")
    assert_accessible(page, f"the associations page ({size}) in English")

    page.context.clear_cookies()
    self_registered(page)
    open_page(page, "/association.html")
    page.get_by_role("button", name="Register the association").click()
    expect(page.locator("#as-name")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page, f"my association with errors ({size}) in English")
    assert_no_horizontal_scroll(page, f"my association ({size})")
    switch_language(page, "Svenska")
    expect(page.get_by_role("heading", level=1)).to_have_text("Min förening")
    assert_accessible(page, f"my association ({size}) in Swedish")
