"""The season allocation page in a real Chromium: premises staff run next spring's round (the
demo data's deadline has just passed), read the proposal with its explanations and score,
publish it; an association's representative applies in the open autumn round. axe-core finds
no violations on the page in either language, with an error shown, and at phone size."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Browser, Page, expect

from booking.seed import DEMO_ACCOUNTS
from tests.browser.conftest import PHONE
from tests.browser.support import (
    LiveServer,
    assert_accessible,
    assert_no_horizontal_scroll,
    console,
    local_today,
    open_page,
    ready,
    sign_in_via_api,
    switch_language,
)

pytestmark = pytest.mark.browser

STAFF = next(a for a in DEMO_ACCOUNTS if a.role == "premises_staff")
REP = next(a for a in DEMO_ACCOUNTS if a.role == "association_rep")


def _open_round(page: Page, name: str) -> None:
    open_page(page, "/allocation.html")
    page.get_by_role("link", name=re.compile(name)).click()
    ready(page)
    expect(page.get_by_role("heading", level=2, name=re.compile(name))).to_be_visible()


def test_staff_run_the_round_read_the_explanations_and_publish(page: Page) -> None:
    watch = console(page)
    sign_in_via_api(page, STAFF.email)
    open_page(page, "/")
    page.get_by_role("navigation").get_by_role("button", name="Personal").click()
    page.get_by_role("navigation").get_by_role("link", name="Tidsfördelning").click()
    ready(page)
    expect(page.get_by_role("heading", level=1, name="Tidsfördelning")).to_be_visible()
    assert_accessible(page, "the rounds list with the create form")

    _open_round(page, "Vårsäsongen")
    expect(page.get_by_role("table").filter(has_text="Innebandy vuxna")).to_be_visible()  # the applications
    page.get_by_role("button", name="Kör fördelning").click()
    expect(page.get_by_role("heading", name="Förslag")).to_be_visible()
    expect(page.locator("#proposal-score")).to_have_text(re.compile(r"^Poäng: \d+(,\d)? %$"))
    proposal = page.locator(".proposal-table")
    expect(proposal.locator(".badge-granted").first).to_have_text("Beviljad")
    expect(proposal.locator(".badge-moved").first).to_have_text("Flyttad")
    expect(proposal.locator(".badge-denied").first).to_have_text("Avslagen")
    # why the adults' floorball was denied: the children's group got the time first
    denied = proposal.locator("tr", has_text="Innebandy vuxna")
    expect(denied).to_contain_text("tiden gick till ”Innebandy P12”")
    expect(denied).to_contain_text("inget av de 1 önskemålen")
    # badminton moved from the whole hall to its second half, and says so
    expect(proposal.locator("tr", has_text="Badminton motion")).to_contain_text("Beviljad med alternativ 1")
    assert_accessible(page, "the proposal")

    # adjusting onto the children's time is refused, naming them
    page.get_by_role("button", name="Justera Innebandy vuxna").click()
    expect(page.get_by_role("heading", name="Justera Innebandy vuxna")).to_be_visible()
    watch.allow(409, "/adjustments")
    page.get_by_role("button", name="Spara", exact=True).click()
    expect(page.locator("#adjust-error")).to_contain_text("krockar med ”Innebandy P12”")
    assert_accessible(page, "the adjust panel with an error")
    page.get_by_role("button", name="Avbryt").click()

    page.get_by_role("button", name="Publicera").click()
    expect(page.get_by_text("Publicera förslaget?")).to_be_visible()
    page.get_by_role("button", name="Ja, publicera").click()
    expect(page.get_by_role("heading", name="Publicerad")).to_be_visible()
    expect(page.get_by_text(re.compile(r"\d+ serier skapade\."))).to_be_visible()
    expect(page.get_by_text("Publicerad", exact=True).first).to_be_visible()
    assert_accessible(page, "the published round")
    switch_language(page, "English")
    expect(page.get_by_role("heading", name="Proposal")).to_be_visible()
    expect(page.locator(".proposal-table tr", has_text="Innebandy vuxna")).to_contain_text("Denied")
    assert_accessible(page, "the published round in English")
    watch.assert_clean()


def test_a_representative_applies_in_the_open_round(page: Page) -> None:
    watch = console(page)
    sign_in_via_api(page, REP.email)
    open_page(page, "/")
    page.get_by_role("navigation").get_by_role("link", name="Ansök om säsongstider").click()
    ready(page)
    _open_round(page, "Höstsäsongen")
    expect(page.get_by_role("heading", name="Mina ansökningar")).to_be_visible()
    page.get_by_label("Verksamhet").fill("")
    page.get_by_role("button", name="Skicka ansökan").click()
    alert = page.locator("#apply-alert")
    expect(alert).to_contain_text("Skriv vad verksamheten heter.")
    expect(alert).to_contain_text("Välj en lokal för förstahandsvalet.")
    expect(page.get_by_label("Verksamhet")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page, "the application form with errors")

    page.get_by_label("Verksamhet").fill("Basket P14")
    page.locator("#apply-preferences-0-space_id").select_option(label="Gymnastiksalen, Skönsbergsskolan")
    page.locator("#apply-preferences-0-start").fill("18:30")
    page.get_by_role("button", name="Skicka ansökan").click()
    expect(page.get_by_text("Ansökan är mottagen.")).to_be_visible()
    expect(page.get_by_role("table").filter(has_text="Basket P14")).to_contain_text("Inskickad")
    watch.assert_clean()


def test_staff_create_and_open_a_round(page: Page) -> None:
    watch = console(page)
    sign_in_via_api(page, STAFF.email)
    open_page(page, "/allocation.html")
    page.get_by_role("button", name="Skapa omgång").click()
    expect(page.locator("#create-alert")).to_contain_text("Rätta följande:")
    expect(page.get_by_label("Namn")).to_have_attribute("aria-invalid", "true")
    today = local_today()  # the page's today is Stockholm's, not the machine's
    page.get_by_label("Namn").fill("Sommarlovet")
    page.get_by_label("Säsongens första dag").fill((today + timedelta(days=60)).isoformat())
    page.get_by_label("Säsongens sista dag").fill((today + timedelta(days=120)).isoformat())
    page.get_by_label("Sista ansökningsdag").fill((today + timedelta(days=30)).isoformat())
    page.get_by_role("button", name="Skapa omgång").click()
    expect(page.get_by_role("heading", level=2, name="Sommarlovet")).to_be_visible()
    expect(page.locator("dl.facts")).to_contain_text("Utkast")
    page.get_by_role("button", name="Öppna för ansökningar").click()
    expect(page.locator("dl.facts")).to_contain_text("Öppen för ansökningar")
    expect(page.get_by_role("heading", name="Ny ansökan")).to_be_visible()  # staff may apply for an association
    page.get_by_label("Barn och unga").fill("101")
    page.get_by_role("button", name="Spara regler").click()
    expect(page.locator("#rules-alert")).to_contain_text("Rätta följande:")
    expect(page.get_by_label("Barn och unga")).to_have_attribute("aria-invalid", "true")
    page.get_by_label("Barn och unga").fill("60")
    page.get_by_role("button", name="Spara regler").click()
    expect(page.get_by_text("Reglerna är sparade.")).to_be_visible()
    expect(page.locator("dl.facts")).to_contain_text("Barn och unga: vikt 60")
    assert_accessible(page, "an open round with its rules form")
    watch.assert_clean()


def test_the_page_fits_a_phone(browser: Browser, live_server: LiveServer) -> None:
    context = browser.new_context(base_url=live_server.url, locale="sv-SE", timezone_id="Europe/Stockholm",
                                  **PHONE)  # type: ignore[arg-type]
    try:
        page = context.new_page()
        sign_in_via_api(page, REP.email)
        _open_round(page, "Höstsäsongen")
        assert_accessible(page, "the round at phone size")
        assert_no_horizontal_scroll(page, "the round at phone size")
    finally:
        context.close()
