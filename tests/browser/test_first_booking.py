"""From install to the first booking, in a real Chromium against a server of its own on an EMPTY
database (tests/browser/empty_server.py: `booking db upgrade` and `booking admin create` run as the
CLI, mail delivered over SMTP to aiosmtpd on loopback by the app's outbox worker).

The administrator signs in and lands on the checklist, adds an area, imports sites and spaces from a
CSV file in which one row is bad (the page names the line; nothing is written), fixes it and imports,
sets booking rules and weekly opening hours, sets prices, and invites a premises staff member, who
follows the link in the e-mail and chooses a password. An association's representative creates an
account from the sign-in page ("Skapa konto") and registers the association on "Min förening", the
administrator approves it from the queue on "Föreningar", the representative asks for a time on a
quiet day, the staff member approves it and finds its fee at the price set, and the representative
sees it approved (and gets the e-mail that says so). axe-core finds nothing on the pages the journey
passes, in Swedish and English on a desktop, and on the administrator's pages of the new municipality
at phone size."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect

from tests.browser.conftest import PHONE
from tests.browser.empty_server import EmptyServer, empty_server
from tests.browser.support import (
    ConsoleWatch,
    assert_accessible,
    assert_no_horizontal_scroll,
    bookable_day,
    new_context,
    open_page,
    ready,
    sign_in_with_form,
    switch_language,
)

pytestmark = pytest.mark.browser

MUNICIPALITY = "hudiksvall"  # `booking admin create` names it "Hudiksvall"
ADMIN_EMAIL = "admin@hudiksvall.example.se"
ADMIN_PASSWORD = "ett långt lösenord för admin"
STAFF_EMAIL = "sam.skotsam@hudiksvall.example.se"
STAFF_PASSWORD = "fritidsgårdens bästa lösenord"
REP_EMAIL = "ordforande@hagaif.example.se"
REP_PASSWORD = "föreningens eget lösenord"
SCHOOL = "Hagaskolan"
HEADER = "anläggning;gatuadress;postnummer;ort;område;lokal;typ;kapacitet"
WEEKDAYS = ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag")
MONTHS = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober",
          "november", "december")


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory, chromium_path: Path) -> Iterator[EmptyServer]:
    with empty_server(tmp_path_factory.mktemp("first-booking"), municipality=MUNICIPALITY,
                      admin_email=ADMIN_EMAIL, admin_password=ADMIN_PASSWORD) as server:
        yield server


class Person:
    """One person's own browser (context), its page, and the page's console watch."""

    def __init__(self, browser: Browser, fresh: EmptyServer) -> None:
        self.context: BrowserContext = new_context(browser, fresh.server, viewport={"width": 1280, "height": 900})
        self.page: Page = self.context.new_page()
        self.console = ConsoleWatch(self.page)


@pytest.fixture
def people(browser: Browser, fresh: EmptyServer) -> Iterator[dict[str, Person]]:
    made = {name: Person(browser, fresh) for name in ("admin", "staff", "rep")}
    try:
        yield made
        for person in made.values():
            person.console.assert_clean()
    finally:
        for person in made.values():
            person.context.close()


def _csv(tmp_path: Path, name: str, music_capacity: str) -> Path:
    rows = [HEADER,
            f"{SCHOOL};Skolgatan 4;82431;Hudiksvall;Haga;Gymnastiksalen;gymnastiksal;40",
            f"{SCHOOL};Skolgatan 4;82431;Hudiksvall;Haga;Musiksalen;musiksal;{music_capacity}"]
    path = tmp_path / name
    path.write_bytes(("\ufeff" + "\r\n".join(rows) + "\r\n").encode("utf-8"))  # Excel's "CSV UTF-8"
    return path


def _checked(page: Page, what: str) -> None:
    """axe-core on the page as it stands, in Swedish and in English (desktop), back in Swedish after."""
    assert_accessible(page, f"{what} (Swedish, desktop)")
    switch_language(page, "English")
    assert_accessible(page, f"{what} (English, desktop)")
    switch_language(page, "Svenska")


def _sv_date(day: date) -> str:
    """A date as the Swedish pages write it: "tisdag 8 december 2026"."""
    return f"{WEEKDAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]} {day.year}"


def _step(page: Page, name: str) -> Locator:
    return page.locator(f'.setup-step[data-step="{name}"]')


def test_from_an_empty_database_to_the_first_approved_booking(people: dict[str, Person], fresh: EmptyServer,
                                                              tmp_path: Path) -> None:
    admin, staff, rep = people["admin"].page, people["staff"].page, people["rep"].page
    _admin_sets_up(admin, tmp_path)
    _admin_invites_staff(admin, staff, fresh)
    title = f"Innebandy F14 {uuid.uuid4().hex[:4]}"
    day = bookable_day(1)  # a Tuesday at least three days ahead that no holiday or eve touches
    _representative_asks(admin, rep, title, day)
    _staff_approves(staff, title)
    _staff_read_the_fee(staff, day)
    _representative_sees_it_approved(rep, fresh, title, day)


def _admin_sets_up(page: Page, tmp_path: Path) -> None:
    open_page(page, "/login.html")
    _checked(page, "the sign-in page")
    sign_in_with_form(page, ADMIN_EMAIL, ADMIN_PASSWORD)
    expect(page).to_have_url(re.compile(r"/setup\.html$"))  # nothing is set up: the checklist
    ready(page)
    expect(page.locator("#setup-progress")).to_have_text("0 av 9 klara")
    _checked(page, "the checklist")

    # An area first: the file's sites name it.
    page.get_by_role("link", name="Gå till områden med antal invånare 0–17 år").click()
    expect(page).to_have_url(re.compile(r"/areas\.html$"))
    ready(page)
    page.get_by_label("Namn", exact=True).fill("Haga")
    page.get_by_label("Invånare 0–17 år").fill("850")
    page.get_by_role("button", name="Lägg till", exact=True).click()
    expect(page.locator("#areas-status")).to_have_text("Området Haga är tillagt.")
    _checked(page, "the areas page")

    # The file with a bad row: reported with its line and column, and nothing of it is written.
    open_page(page, "/import.html")
    page.get_by_label("Vad filen innehåller").select_option(label="Anläggningar och lokaler")
    page.get_by_label("CSV-fil").set_input_files(str(_csv(tmp_path, "lokaler.csv", "tjugofem")))
    page.get_by_role("button", name="Förhandsgranska").click()
    row = page.locator("#import-errors tbody tr")
    expect(row).to_have_count(1)
    expect(row.locator("td").nth(0)).to_have_text("3")
    expect(row.locator("td").nth(1)).to_have_text("kapacitet")
    expect(row).to_contain_text("Skriv ett heltal.")
    expect(page.get_by_text("Rätta raderna i filen och välj den igen. Inget har sparats.")).to_be_visible()
    expect(page.get_by_role("button", name="Bekräfta och importera")).to_have_count(0)
    _checked(page, "the import page with a bad row")
    open_page(page, "/premises-admin.html")
    expect(page.get_by_text("Inga skolor eller anläggningar ännu.")).to_be_visible()

    # Fixed: the dry run plans the site and its two spaces, then the import writes them.
    open_page(page, "/import.html")
    page.get_by_label("Vad filen innehåller").select_option(label="Anläggningar och lokaler")
    page.get_by_label("CSV-fil").set_input_files(str(_csv(tmp_path, "lokaler-rattad.csv", "25")))
    page.get_by_role("button", name="Förhandsgranska").click()
    expect(page.locator("#import-rows tbody tr")).to_have_count(3)
    expect(page.get_by_text("3 nya, 0 ändrade och 0 oförändrade.")).to_be_visible()
    _checked(page, "the import page with its plan")
    page.get_by_role("button", name="Bekräfta och importera").click()
    expect(page.get_by_role("status").filter(has_text="Importen är klar")).to_contain_text("3 nya")

    _rules_and_hours(page)
    _prices(page)

    open_page(page, "/setup.html")
    for name in ("areas", "sites", "spaces", "opening_hours", "booking_rules", "prices"):
        expect(_step(page, name)).to_have_attribute("data-done", "true")
    expect(_step(page, "staff")).to_have_attribute("data-done", "false")
    expect(page.locator("#setup-progress")).to_have_text("6 av 9 klara")


def _rules_and_hours(page: Page) -> None:
    open_page(page, "/premises-admin.html")
    school = page.locator(".setup-spaces")
    expect(school.locator("li")).to_have_count(2)
    editor = page.locator("#place-editor")
    page.get_by_role("button", name="Ändra Gymnastiksalen").click()
    editor.get_by_label("Minsta framförhållning (timmar)").fill("48")
    editor.get_by_label("Längsta bokning (minuter)").fill("180")
    editor.get_by_role("button", name="Spara lokalen").click()
    expect(page.locator("#place-status")).to_have_text("Gymnastiksalen är sparad.")
    for space in ("Gymnastiksalen", "Musiksalen"):
        page.get_by_role("button", name=f"Öppettider för {space}").click()
        for day in WEEKDAYS[:5]:
            editor.get_by_label(f"Öppnar {day}").fill("17:00")
            editor.get_by_label(f"Stänger {day}").fill("22:00")
        editor.get_by_role("button", name="Spara öppettiderna").click()
        expect(page.locator("#place-status")).to_have_text(f"Öppettiderna för {space} är sparade.")
    expect(school.locator("li").filter(has_text="Gymnastiksalen")).to_contain_text("mån 17:00–22:00")
    _checked(page, "the sites and spaces page")


def _prices(page: Page) -> None:
    open_page(page, "/fees.html")
    page.get_by_role("button", name="Ändra prislistan").click()
    page.get_by_label("Gymnastiksal, Normaltaxa, kronor per timme").fill("150")
    page.get_by_label("Gymnastiksal, Reducerad taxa, kronor per timme").fill("75")
    page.get_by_label("Musiksal, Normaltaxa, kronor per timme").fill("120")
    page.get_by_role("button", name="Spara prislistan").click()
    expect(page.get_by_text("Prislistan är sparad.")).to_be_visible()
    expect(page.locator("#price-table tbody tr").filter(has_text="Gymnastiksal")).to_contain_text("150,00 kr")
    _checked(page, "the fees page")


def _admin_invites_staff(admin: Page, staff: Page, fresh: EmptyServer) -> None:
    open_page(admin, "/accounts.html")
    admin.get_by_label("E-postadress").fill(STAFF_EMAIL)
    admin.get_by_label("Namn").fill("Sam Skötsam")
    admin.get_by_label("Roll", exact=True).select_option("premises_staff")
    admin.get_by_label("Var", exact=True).select_option(label=SCHOOL)
    admin.get_by_role("button", name="Skicka inbjudan").click()
    expect(admin.locator("#accounts-status")).to_have_text(f"Inbjudan är skickad till {STAFF_EMAIL}.")
    expect(admin.locator("#account-list")).to_contain_text(STAFF_EMAIL)
    _checked(admin, "the accounts page")

    # The e-mail arrives over SMTP; its link is the server's own address.
    mail = fresh.inbox.wait_for(STAFF_EMAIL, "Du är inbjuden till bokningen i Hudiksvall")
    assert mail["From"] == f"bokning@{MUNICIPALITY}.example.se"
    found = re.search(r"https?://\S+/set-password\.html\?token=[A-Za-z0-9_-]+", mail.get_content())
    assert found, mail.get_content()
    link = found.group(0)
    assert link.startswith(fresh.server.url + "/set-password.html?token="), link

    staff.goto(link)
    ready(staff)
    expect(staff.get_by_role("heading", level=1)).to_have_text("Välj lösenord")
    expect(staff).to_have_url(re.compile(r"/set-password\.html$"))  # the token left the address bar
    _checked(staff, "the set-password page")
    staff.get_by_label("Nytt lösenord").fill(STAFF_PASSWORD)
    staff.get_by_label("Skriv lösenordet igen").fill(STAFF_PASSWORD)
    staff.get_by_role("button", name="Spara lösenordet").click()
    expect(staff.locator("#done-notice")).to_be_visible()

    open_page(admin, "/setup.html")
    expect(_step(admin, "staff")).to_have_attribute("data-done", "true")


def _representative_asks(admin: Page, rep: Page, title: str, day: date) -> None:
    # The representative creates an account from the sign-in page; the only municipality is chosen.
    open_page(rep, "/login.html")
    rep.get_by_role("link", name="Har du inget konto? Skapa konto").click()
    expect(rep).to_have_url(re.compile(r"/register\.html$"))
    ready(rep)
    expect(rep.get_by_label("Kommun")).to_have_value(MUNICIPALITY)
    rep.get_by_label("Ditt namn").fill("Rut Ordförande")
    rep.get_by_label("E-postadress").fill(REP_EMAIL)
    rep.get_by_label("Lösenord", exact=True).fill(REP_PASSWORD)
    _checked(rep, "the register page")
    rep.get_by_role("button", name="Skapa konto").click()
    expect(rep).to_have_url(re.compile(r"/account\.html$"))  # signed in
    ready(rep)
    expect(rep.locator("main")).to_contain_text("Rut Ordförande")

    # Then the association, on "Min förening"; it waits for the municipality's review.
    rep.get_by_role("link", name="Registrera din förening").click()
    expect(rep).to_have_url(re.compile(r"/association\.html$"))
    ready(rep)
    rep.get_by_label("Föreningens namn", exact=True).fill("Haga IF")
    rep.get_by_label("Organisationsnummer", exact=True).fill("802501-2348")
    rep.get_by_label("Typ av förening").select_option(label="Vuxenförening")
    rep.get_by_label("Område").select_option(label="Haga")
    rep.get_by_role("button", name="Registrera föreningen").click()
    expect(rep.locator("#association-status")).to_have_text("Haga IF är registrerad och väntar på granskning.")
    expect(rep.locator("#my-associations li")).to_contain_text("Haga IF – Väntar på granskning")
    _checked(rep, "my association, waiting for review")

    # The space from the public list of schools; until the municipality has verified the
    # association, its page says so instead of offering the form.
    open_page(rep, "/sites.html")
    rep.get_by_role("link", name="Lediga tider och bokning för Gymnastiksalen").click()
    expect(rep).to_have_url(re.compile(r"/space\.html\?id="))
    ready(rep)
    expect(rep.get_by_text("Din förening är inte godkänd av kommunen ännu.")).to_be_visible()
    space_url = rep.url

    # The administrator approves it from the queue on "Föreningar".
    open_page(admin, "/associations-admin.html")
    queued = admin.locator("#queue-list li").filter(has_text="Haga IF")
    expect(queued).to_contain_text("802501-2348")
    expect(queued).to_contain_text("Vuxenförening · Haga")
    _checked(admin, "the associations page with the queue")
    queued.get_by_role("button", name="Godkänn").click()
    expect(admin.locator("#associations-status")).to_have_text("Haga IF är godkänd och kan boka.")
    expect(admin.locator("#queue-list li").filter(has_text="Haga IF")).to_have_count(0)

    open_page(rep, space_url)
    expect(rep.get_by_role("heading", name="Ansök om tid")).to_be_visible()
    expect(rep.get_by_label("Förening").locator("option:checked")).to_have_text("Haga IF")
    rep.get_by_label("Aktivitet").fill(title)
    rep.get_by_label("Datum", exact=True).fill(day.isoformat())
    rep.get_by_label("Från klockan").fill("18:00")
    rep.get_by_label("Till klockan").fill("19:30")
    rep.get_by_role("button", name="Skicka ansökan").click()
    result = rep.locator("#request-result")
    expect(result).to_be_focused()
    expect(result.get_by_role("heading")).to_have_text("Ansökan är skickad")
    expect(result).to_contain_text("Väntar på beslut")
    _checked(rep, "the space's page with the request sent")


def _staff_approves(staff: Page, title: str) -> None:
    open_page(staff, "/login.html")
    sign_in_with_form(staff, STAFF_EMAIL, STAFF_PASSWORD)
    expect(staff).not_to_have_url(re.compile(r"/login\.html"))
    ready(staff)
    staff.get_by_role("navigation").get_by_role("button", name="Personal").click()
    staff.get_by_role("navigation").get_by_role("link", name="Att godkänna").click()
    staff.wait_for_url(re.compile(r"/approvals\.html$"))
    ready(staff)
    request = staff.get_by_role("article", name=title)
    expect(request).to_contain_text("Haga IF")
    expect(request).to_contain_text(f"Gymnastiksalen, {SCHOOL}")
    _checked(staff, "the approvals page")
    request.get_by_role("button", name=f"Godkänn {title}").click()
    outcome = request.locator(".outcome")
    expect(outcome).to_be_focused()
    expect(outcome.get_by_role("heading")).to_have_text("Godkänd")
    expect(outcome).to_contain_text("1 tillfälle är godkänt.")


def _staff_read_the_fee(staff: Page, day: date) -> None:
    """The price list applies: 1.5 hours of the gym at Normaltaxa (an adult association) is 225 kr."""
    open_page(staff, "/fees.html")
    form = staff.locator("#fee-form")
    form.get_by_label("Från och med").fill(day.isoformat())
    form.get_by_label("Till och med").fill(day.isoformat())
    form.get_by_label("Förening").select_option(label="Haga IF")
    form.get_by_role("button", name="Visa underlaget").click()
    row = staff.locator("#fee-result tbody tr").filter(has_text="18:00–19:30")
    expect(row).to_contain_text("Gymnastiksalen")
    expect(row).to_contain_text("Normaltaxa")
    expect(row).to_contain_text("225,00")
    expect(staff.locator("#fee-result caption")).to_have_text("Haga IF (802501-2348)")


def _representative_sees_it_approved(rep: Page, fresh: EmptyServer, title: str, day: date) -> None:
    rep.get_by_role("navigation").get_by_role("link", name="Mina bokningar").click()
    rep.wait_for_url(re.compile(r"/bookings\.html$"))
    ready(rep)
    mine = rep.get_by_role("article", name=title)
    expect(mine.locator(".occurrence .badge")).to_have_text(["Godkänd"])
    expect(mine.locator(".occurrence-date")).to_have_text([_sv_date(day)])
    _checked(rep, "the representative's bookings")
    mail = fresh.inbox.wait_for(REP_EMAIL, f"Bokning godkänd: {title}")
    assert "18:00-19:30" in mail.get_content()


@pytest.mark.parametrize("path", ["/login.html", "/setup.html", "/areas.html", "/import.html",
                                  "/premises-admin.html", "/fees.html", "/accounts.html", "/sites.html"])
def test_the_journeys_pages_are_accessible_on_a_phone(browser: Browser, fresh: EmptyServer, path: str) -> None:
    """The administrator's pages of a new municipality, at phone size in Swedish and English."""
    context = new_context(browser, fresh.server, **PHONE)
    try:
        page = context.new_page()
        watch = ConsoleWatch(page)
        if path != "/login.html":
            signed_in = page.request.post("/api/auth/login", data={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD})
            assert signed_in.status == 200, signed_in.text()
        open_page(page, path)
        assert_accessible(page, f"{path} (Swedish, phone)")
        assert_no_horizontal_scroll(page, path)
        switch_language(page, "English")
        assert_accessible(page, f"{path} (English, phone)")
        watch.assert_clean()
    finally:
        context.close()
