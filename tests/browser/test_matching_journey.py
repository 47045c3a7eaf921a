"""Föreningsmatchning from the profile to the follow-up, in a real Chromium against a server of its own on an
empty database (tests/browser/empty_server.py: mail goes over SMTP to aiosmtpd through the outbox worker).

The scene (a municipality's area, a school, an association with its representative and contact person, staff
and a 12-year-old's lending card) is set through the API, as the profile steps are (filled in by the
representative, submitted, verified by staff, then found in the public directory). At the Fritidsbanken
counter, lending staff start the matching from the child's card on matcha.html?counter=1: the association
comes first with its reasons; the staff member sends an interest request with the guardian's contact details
and consent (asked for because the child is under 13). The contact person gets the request by e-mail; the
representative follows the e-mail's link, signs in and answers on the association's requests page; the
guardian gets the answer by e-mail; the staff's follow-up counts the request and the answer. axe-core finds
nothing on the new pages, in Swedish and English, on a desktop and on a phone."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import PHONE
from tests.browser.empty_server import EmptyServer, empty_server
from tests.browser.support import (
    ApiClient,
    ConsoleWatch,
    assert_accessible,
    assert_no_horizontal_scroll,
    local_today,
    new_context,
    open_page,
    ready,
    sign_in_with_form,
    switch_language,
)

pytestmark = pytest.mark.browser

MUNICIPALITY = "sandviken"
ADMIN_EMAIL = "admin@sandviken.example.se"
ADMIN_PASSWORD = "ett långt lösenord för admin"
PASSWORD = "ett långt lösenord för alla"
REP_EMAIL = "ordforande@sandvikenibk.example.se"
DESK_EMAIL = "disken@fritidsbanken.sandviken.example.se"
STAFF_EMAIL = "fritidsledare@sandviken.example.se"
CONTACT_EMAIL = "ungdom@sandvikenibk.example.se"
GUARDIAN_EMAIL = "vardnadshavare@hem.example.se"
CLUB = "Sandvikens IBK"


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory, chromium_path: Path) -> Iterator[EmptyServer]:
    with empty_server(tmp_path_factory.mktemp("matching"), municipality=MUNICIPALITY,
                      admin_email=ADMIN_EMAIL, admin_password=ADMIN_PASSWORD) as server:
        yield server


def _org_number() -> str:
    from stdnum import luhn

    base = f"80{uuid.uuid4().int % 10**7:07d}"
    number = base + luhn.calc_check_digit(base)
    return f"{number[:6]}-{number[6:]}"


def _scene(fresh: EmptyServer) -> dict[str, str]:
    admin = ApiClient(fresh.server, ADMIN_EMAIL, ADMIN_PASSWORD)
    try:
        area = admin.send("POST", "/api/areas", {"name": "Nacksta", "population_0_17": 400}, expect=201)["id"]
        club = admin.send("POST", "/api/associations", {"name": CLUB, "org_number": _org_number(), "area_id": area},
                          expect=201)["id"]
        admin.send("POST", f"/api/associations/{club}/verification", {"verified": True})
        admin.send("PATCH", f"/api/associations/{club}", {"contacts": [
            {"name": "Ulla Ungdomsansvarig", "email": CONTACT_EMAIL, "phone": "070-123 45 67"}]})
        for email, name, role, scope in ((REP_EMAIL, "Olle Ordförande", "association_rep", club),
                                         (DESK_EMAIL, "Disa Disk", "lending_staff", None),
                                         (STAFF_EMAIL, "Fia Fritidsledare", "activities_staff", None)):
            admin.send("POST", "/api/accounts", {"email": email, "display_name": name, "password": PASSWORD,
                                                 "roles": [{"role": role, "scope_id": scope}]}, expect=201)
        categories = {c["name"]: c["id"] for c in admin.get("/api/interest-categories",
                                                             municipality=MUNICIPALITY)["items"]}
        contact = admin.get(f"/api/associations/{club}/profile")["contacts"][0]["id"]
    finally:
        admin.close()
    # the representative fills in the profile and submits it; staff verify it
    rep = ApiClient(fresh.server, REP_EMAIL, PASSWORD)
    rep.send("PUT", f"/api/associations/{club}/profile", {
        "interests": [categories["innebandy"]], "age_min": 10, "age_max": 12, "for_whom": ["all"], "areas": [area],
        "languages": ["sv"], "membership_fee": 200, "free_to_try": True, "contact_id": contact,
        "description": "Innebandy för barn och unga i Nacksta. Kom och prova!"})
    rep.send("POST", f"/api/associations/{club}/profile/submission", None)
    rep.close()
    staff = ApiClient(fresh.server, STAFF_EMAIL, PASSWORD)
    staff.send("POST", f"/api/associations/{club}/profile/verification", {"approve": True})
    listed = staff.get("/api/association-directory", municipality=MUNICIPALITY)
    assert [i["name"] for i in listed["items"]] == [CLUB]  # it is in the public directory
    staff.close()
    desk = ApiClient(fresh.server, DESK_EMAIL, PASSWORD)
    child = desk.send("POST", "/api/lending/borrowers", {
        "name": "Tolv Tolvsson", "mobile": "070-765 43 21", "birth_year": local_today().year - 12, "area_id": area},
        expect=201)
    desk.close()
    return {"club": club, "area": area, "card": child["card_number"], "innebandy": categories["innebandy"]}


def _checked(page: Page, what: str) -> None:
    assert_accessible(page, f"{what} (Swedish)")
    switch_language(page, "English")
    assert_accessible(page, f"{what} (English)")
    switch_language(page, "Svenska")


def test_a_child_at_the_counter_finds_a_club_that_answers(browser: Browser, fresh: EmptyServer) -> None:
    scene = _scene(fresh)
    desktop = {"viewport": {"width": 1280, "height": 900}}
    desk_ctx, rep_ctx, staff_ctx = (new_context(browser, fresh.server, **desktop) for _ in range(3))
    phone_ctx = new_context(browser, fresh.server, **PHONE)
    try:
        desk, rep, staff, phone = (c.new_page() for c in (desk_ctx, rep_ctx, staff_ctx, phone_ctx))
        watches = [ConsoleWatch(p) for p in (desk, rep, staff, phone)]

        # the published profile is in the public directory, and its page offers the interest request form
        open_page(phone, f"/foreningar.html?kommun={MUNICIPALITY}")
        phone.get_by_role("link", name=CLUB).first.click()
        expect(phone).to_have_url(re.compile(r"/forening\.html\?id="))
        ready(phone)
        section = phone.locator("#interest-request")
        expect(section.get_by_role("heading", level=2)).to_have_text("Intresseanmälan")
        expect(section.get_by_role("checkbox", name="innebandy")).to_be_checked()
        _checked(phone, "an association's public page with the request form, on a phone")
        assert_no_horizontal_scroll(phone, "an association's public page on a phone")

        # a young person on a phone finds the public matching page
        open_page(phone, f"/matcha.html?kommun={MUNICIPALITY}")
        phone.get_by_role("checkbox", name="innebandy").check()
        phone.get_by_label("Ålder").fill("11")
        phone.get_by_role("button", name="Visa föreningar").click()
        expect(phone.locator("#status")).to_have_text("1 förening passar.")
        _checked(phone, "the matching page on a phone")
        assert_no_horizontal_scroll(phone, "the matching page on a phone")

        # the desk: signed in, the counter mode starts from the lending card
        open_page(desk, "/login.html")
        sign_in_with_form(desk, DESK_EMAIL, PASSWORD)
        expect(desk).not_to_have_url(re.compile(r"/login\.html"))
        open_page(desk, f"/matcha.html?counter=1&kommun={MUNICIPALITY}")
        expect(desk.get_by_role("heading", level=1)).to_have_text("Föreningsmatchning vid disken")
        desk.get_by_label("Lånekortets nummer").fill(scene["card"])
        desk.get_by_role("checkbox", name="innebandy").check()
        desk.get_by_role("button", name="Visa föreningar").click()
        expect(desk.locator("#status")).to_have_text("Låntagaren är 12 år. 1 förening passar.")
        result = desk.locator(".match-card").first
        expect(result.get_by_role("heading", level=2)).to_have_text(CLUB)
        expect(result.locator(".reasons li")).to_have_text(["innebandy", "10-12 år", "i ditt område", "prova gratis"])
        _checked(desk, "the counter's matching results")
        result.get_by_role("button", name="Skicka intresseanmälan").click()
        form = result.locator("form.interest-request")
        expect(form.get_by_label("Ålder")).to_have_value("12")
        form.get_by_label("Ditt namn (eller vårdnadshavarens)").fill("Vera Vårdnadshavare")
        form.get_by_label("E-post").fill(GUARDIAN_EMAIL)
        form.get_by_label("Jag samtycker till att föreningen får mina kontaktuppgifter.").check()
        guardian = form.get_by_label("Jag är vårdnadshavare och samtycker till att föreningen får kontaktuppgifterna.")
        expect(guardian).to_be_visible()  # under 13: the guardian's consent is asked for
        watches[0].allow(422, "/api/interest-requests")  # refused on purpose: no guardian's consent yet
        form.get_by_role("button", name="Skicka intresseanmälan").click()
        alert = form.get_by_role("alert")
        expect(alert).to_contain_text("Under 13 år måste en vårdnadshavare samtycka")  # named at its field
        _checked(desk, "the interest request form with an error")
        guardian.check()
        form.get_by_role("button", name="Skicka intresseanmälan").click()
        expect(result.locator(".alert-success")).to_contain_text(f"Intresseanmälan är skickad till {CLUB}")

        # the association's contact person gets it by e-mail, with the link to answer
        mail = fresh.inbox.wait_for(CONTACT_EMAIL, "Ny intresseanmälan")
        body = mail.get_content()
        assert "Vera Vårdnadshavare" in body and GUARDIAN_EMAIL in body and "12 år" in body, body
        link = re.search(r"https?://\S+/association-requests\.html\?association=[0-9a-f-]+", body)
        assert link is not None, body
        rep.goto(link.group(0))
        expect(rep).to_have_url(re.compile(r"/login\.html"))
        ready(rep)
        sign_in_with_form(rep, REP_EMAIL, PASSWORD)
        expect(rep).to_have_url(re.compile(r"/association-requests\.html\?association="))
        ready(rep)
        card = rep.locator(".request-card").first
        expect(card).to_contain_text("Vera Vårdnadshavare")
        expect(card).to_contain_text("Via Fritidsbanken")
        _checked(rep, "the association's interest requests")
        card.get_by_label("Svar").fill("Välkommen på prova-på tisdag kl 18 i Nacksta idrottshall!")
        card.get_by_role("button", name="Skicka svar").click()
        expect(rep.locator("#status")).to_have_text("Svaret är skickat.")
        expect(rep.locator(".request-card").first).to_contain_text("Besvarad")
        answer = fresh.inbox.wait_for(GUARDIAN_EMAIL, f"Svar från {CLUB}")
        assert "prova-på tisdag" in answer.get_content()

        # the staff's follow-up counts the request and its answer
        open_page(staff, "/login.html")
        sign_in_with_form(staff, STAFF_EMAIL, PASSWORD)
        expect(staff).not_to_have_url(re.compile(r"/login\.html"))
        open_page(staff, "/matching-follow-up.html")
        expect(staff.locator("#status")).to_have_text("1 anmälningar, 1 besvarade, 1 via Fritidsbanken.")
        area_row = staff.get_by_role("table", name="Per område").get_by_role("row", name=re.compile("Nacksta"))
        expect(area_row).to_contain_text("2,5")  # 1 request per 400 children: 2.5 per 1,000
        _checked(staff, "the matching follow-up")

        # the phone pages of the representative and the staff
        for ctx, email, path in ((phone_ctx, REP_EMAIL, f"/association-requests.html?association={scene['club']}"),
                                 (phone_ctx, STAFF_EMAIL, "/matching-follow-up.html")):
            page = ctx.new_page()
            watches.append(ConsoleWatch(page))
            page.request.post("/api/auth/login", data={"email": email, "password": PASSWORD})
            open_page(page, path)
            _checked(page, f"{path} on a phone")
            assert_no_horizontal_scroll(page, f"{path} on a phone")
            page.close()
        for watch in watches:
            watch.assert_clean()
    finally:
        for c in (desk_ctx, rep_ctx, staff_ctx, phone_ctx):
            c.close()
