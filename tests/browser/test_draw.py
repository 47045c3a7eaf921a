"""A holiday whose places are drawn, in the browser (issue 13): the staff put the holiday in draw mode on the
draw page; two guardians rank wishes for three children on the wish list (one on a phone: adding from the
activities listing, reordering by the buttons and by dragging, a favourite, a group code; the other, from an
activity's page, typing that code for a friend, and adding and removing a child); the staff run the draw with a
seed, read the figures and each child's outcome, adjust by hand (a refused grant says what is in the way at its
row) and publish; the guardians then see each wish's outcome and why. axe-core on both pages in Swedish and
English, on a desktop and on a phone, and no sideways scrolling. And a holiday taken back to first come.

The live server runs on the real clock. The holiday is one of our own, three years ahead, on weekdays no
holiday touches (tests/quiet_days.py), so the demo's holidays and their first-come sign-ups stay as they are.
The wish deadline: the API accepts only a deadline in the future and runs the draw only after it, so the staff
set it a day ahead on the page (the guardians take their time), and once the wishes are in, move it to two
seconds ahead through the API (changing the settings keeps the wishes) and the test waits until it has passed.
A deadline set a few seconds ahead from the start would race the guardians on a slow machine."""

from __future__ import annotations

import re
import time
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from playwright.sync_api import Browser, Page, expect

from booking.seed import DEMO_ACCOUNTS, DEMO_PASSWORD
from tests.browser.conftest import PHONE
from tests.browser.support import (
    ApiClient,
    LiveServer,
    assert_accessible,
    assert_no_horizontal_scroll,
    console,
    local_today,
    new_context,
    open_page,
    sign_in_via_api,
    switch_language,
)
from tests.quiet_days import quiet_run

pytestmark = pytest.mark.browser

STAFF = next(a for a in DEMO_ACCOUNTS if a.role == "activities_staff")
ADMIN = next(a for a in DEMO_ACCOUNTS if a.role == "admin")


def _both_languages(page: Page, what: str) -> None:
    assert_accessible(page, f"{what} in Swedish")
    switch_language(page, "English")
    assert_accessible(page, f"{what} in English")
    switch_language(page, "Svenska")


def _holiday(staff: ApiClient, tag: str) -> tuple[dict[str, str], dict[str, dict[str, object]], int]:
    """Our own höstlov three years ahead (Monday-Friday, no holiday or eve in it) with three activities:
    Ridning (one place) and Keramik at the same time on the first day, Fotboll on the second. Returns the
    period, the sessions by activity name, and the year."""
    year = local_today().year + 3
    first = quiet_run(date(year, 10, 5), 5, weekday=0)
    period = staff.send("PUT", f"/api/holiday-periods/{year}/hostlov",
                        {"first_day": first.isoformat(), "last_day": (first + timedelta(days=4)).isoformat()})
    sessions: dict[str, dict[str, object]] = {}
    second = first + timedelta(days=1)
    for name, capacity, day in (("Ridning", 1, first), ("Keramik", 3, first), ("Fotboll", 3, second)):
        title = f"{name} {tag}"
        activity = staff.send("POST", "/api/activities", {
            "title": title, "category": "idrott", "organiser": "Fritid Sundsvall", "age_min": 7, "age_max": 12,
            "place": "Fritidsgården", "capacity": capacity}, expect=201)
        made = staff.send("POST", f"/api/activities/{activity['id']}/sessions",
                          {"date": day.isoformat(), "start": "10:00", "end": "12:00"}, expect=201)
        assert len(made["sessions"]) == 1, made
        staff.send("POST", f"/api/activities/{activity['id']}/publication", None)
        sessions[name] = {"title": title, **made["sessions"][0]}
    return period, sessions, year


def _guardian(server: LiveServer, name: str) -> str:
    """A family of its own: a guardian's account made by the administrator (the demo's one guardian keeps
    its registrations to the other tests)."""
    admin = ApiClient(server, ADMIN.email)
    email = f"familj-{uuid.uuid4().hex[:8]}@example.se"
    try:
        admin.send("POST", "/api/accounts", {"email": email, "display_name": name, "password": DEMO_PASSWORD,
                                             "roles": [{"role": "guardian"}]}, expect=201)
    finally:
        admin.close()
    return email


def _add_child(page: Page, name: str, birth_year: int, area: str | None) -> None:
    page.get_by_role("button", name="Lägg till ett barn").click()
    expect(page.get_by_role("heading", name="Nytt barn")).to_be_focused()
    page.get_by_label("Förnamn").fill(name)
    page.get_by_label("Födelseår").fill(str(birth_year))
    if area:
        page.get_by_label("Område", exact=True).select_option(label=area)


def _pick(page: Page, title: str) -> None:
    page.locator("#pick-list li").filter(has_text=title).get_by_role("button", name="Lägg till").click()


def _wish_titles(page: Page) -> list[str]:
    return page.locator("#wish-list .wish-title").all_inner_texts()


def _child(page: Page, name: str):  # type: ignore[no-untyped-def]
    return page.locator("#child-list > li").filter(has=page.get_by_role("heading", name=name, exact=True))


def _outcome_row(page: Page, child: str, session: dict[str, object]):  # type: ignore[no-untyped-def]
    card = page.locator("#outcome-list > li").filter(has=page.get_by_role("heading", name=child, exact=True))
    return card.locator(f"tbody tr[data-session='{session['id']}']")


def test_two_families_wish_the_staff_draw_adjust_and_publish_and_each_wish_says_why(
        browser: Browser, live_server: LiveServer, page: Page, phone_page: Page, second_page: Page) -> None:
    tag = uuid.uuid4().hex[:4]
    staff_api = ApiClient(live_server, STAFF.email)
    try:
        period, sessions, year = _holiday(staff_api, tag)
        areas = {a["name"]: a["id"] for a in staff_api.get("/api/areas", municipality="sundsvall", limit=200)["items"]}
        staff_api.send("PUT", "/api/postcode-areas", {"items": [{"postcode": "85231", "area_id": areas["Skönsberg"]}]})
    finally:
        staff_api.close()
    ridning, keramik, fotboll = (str(sessions[n]["title"]) for n in ("Ridning", "Keramik", "Fotboll"))

    # --- the staff put the holiday in draw mode ----------------------------------------------------------
    staff = page
    sign_in_via_api(staff, STAFF.email)
    open_page(staff, "/draw.html")
    staff.get_by_role("link", name=f"Höstlov {year}").click()
    expect(staff.get_by_role("heading", level=2, name=f"Höstlov {year}")).to_be_visible()
    expect(staff.get_by_label("Först till kvarn")).to_be_checked()
    staff.get_by_label("Önskemål och lottning").check()
    tomorrow = local_today() + timedelta(days=1)
    staff.get_by_label("Sista tid för önskemål").fill(f"{tomorrow.isoformat()}T12:00")
    staff.get_by_label("Max antal aktiviteter per barn").fill("3")
    expect(staff.get_by_label("Favorit")).to_have_value("5")  # the weights start at their defaults
    staff.get_by_label("Favorit").fill("150")
    staff.get_by_role("button", name="Spara", exact=True).click()
    expect(staff.get_by_label("Favorit")).to_have_attribute("aria-invalid", "true")
    expect(staff.get_by_label("Favorit")).to_be_focused()
    expect(staff.locator("#settings-alert")).to_contain_text("Ange ett heltal från 0 till 100.")
    assert_accessible(staff, "the draw's settings with an error")
    staff.get_by_label("Favorit").fill("5")
    staff.get_by_role("button", name="Spara", exact=True).click()
    expect(staff.locator("#draw-notice")).to_have_text("Inställningarna för lottningen är sparade.")
    expect(staff.locator("#overview-state")).to_have_text("Önskemål tas emot")
    expect(staff.locator("#overview-facts")).to_contain_text("kl. 12:00")  # Swedish time there and back
    expect(staff.locator("#session-table")).to_contain_text(ridning)
    # the follow-up suggests the two areas with the lowest reach as priority areas
    expect(staff.locator("#priority-areas .suggested")).to_have_count(2)
    _both_languages(staff, "the draw page in the wish phase")

    # --- the first family, on a phone: from the listing to the wish list ---------------------------------
    vera = phone_page
    sign_in_via_api(vera, _guardian(live_server, "Vera Andersson"))
    open_page(vera, f"/activities.html?period_id={period['id']}")
    card = vera.locator("#results li.activity-card").filter(has_text=fotboll)
    expect(card).to_contain_text("Platserna lottas")
    assert_no_horizontal_scroll(vera, "the listing of a drawn holiday on a phone")
    _both_languages(vera, "the listing of a drawn holiday on a phone")
    card.get_by_role("link", name="Lägg till i önskelistan").click()
    expect(vera.locator("#draw-deadline")).to_contain_text("Önskemål till och med")
    expect(vera.locator("#draw-deadline")).to_contain_text("kl. 12:00")
    expect(vera.locator("#wishes-status")).to_contain_text(fotboll)
    _add_child(vera, "Elsa", year - 9, "Nacksta")
    assert _wish_titles(vera) == [fotboll]  # the session she came from
    _pick(vera, keramik)
    assert _wish_titles(vera) == [fotboll, keramik]
    vera.get_by_role("button", name=f"Flytta upp {keramik}").click()
    assert _wish_titles(vera) == [keramik, fotboll]
    expect(vera.locator("#wishes-live")).to_have_text(f"{keramik} är flyttad till plats 1 av 2.")
    expect(vera.get_by_role("button", name=f"Flytta upp {keramik}")).to_be_disabled()
    vera.get_by_role("button", name=f"Flytta ned {keramik}").click()  # by the keyboard's buttons, back again
    assert _wish_titles(vera) == [fotboll, keramik]
    expect(vera.locator("#wishes-live")).to_have_text(f"{keramik} är flyttad till plats 2 av 2.")
    vera.get_by_role("button", name=f"Favorit {fotboll}").click()
    expect(vera.get_by_role("button", name=f"Favorit {fotboll}")).to_have_attribute("aria-pressed", "true")
    vera.get_by_role("button", name="Skapa gruppkod").click()
    expect(vera.locator("#child-group-note")).to_contain_text("Gruppkoden är")
    code = vera.get_by_label("Gruppkod (valfritt)").input_value()
    assert len(code) == 8, code
    assert_no_horizontal_scroll(vera, "the wish list's form on a phone")
    _both_languages(vera, "the wish list's form on a phone")
    vera.get_by_role("button", name="Spara barnet").click()
    expect(vera.locator("#wishes-notice")).to_have_text("Önskelistan för Elsa är sparad.")
    expect(_child(vera, "Elsa")).to_contain_text(f"gruppkod {code}")

    _add_child(vera, "Måns", year - 10, None)
    vera.get_by_label("Postnummer (valfritt)").fill("852 31")  # the home area from the municipality's table
    vera.get_by_label("Postnummer (valfritt)").press("Tab")
    expect(vera.locator("#child-postcode-found")).to_have_text("Hemområde: Skönsberg")
    expect(vera.get_by_label("Område", exact=True)).to_have_value(areas["Skönsberg"])
    vera.get_by_label("Max antal aktiviteter", exact=True).select_option("2")
    _pick(vera, keramik)
    _pick(vera, ridning)
    assert _wish_titles(vera) == [keramik, ridning]
    # dragged by the handle: Ridning to the top
    handle = vera.locator("#wish-list li").filter(has_text=ridning).locator(".wish-handle").bounding_box()
    target = vera.locator("#wish-list li").filter(has_text=keramik).bounding_box()
    assert handle and target
    vera.mouse.move(handle["x"] + handle["width"] / 2, handle["y"] + handle["height"] / 2)
    vera.mouse.down()
    vera.mouse.move(handle["x"] + handle["width"] / 2, target["y"] + 4, steps=8)
    vera.mouse.up()
    assert _wish_titles(vera) == [ridning, keramik]
    expect(vera.locator("#wishes-live")).to_have_text(f"{ridning} är flyttad till plats 1 av 2.")
    vera.get_by_role("button", name="Spara barnet").click()
    expect(vera.locator("#wishes-notice")).to_have_text("Önskelistan för Måns är sparad.")
    expect(_child(vera, "Måns").locator("ol > li .wish-title")).to_have_text([ridning, keramik])
    expect(_child(vera, "Måns")).to_contain_text("Hemområde: Skönsberg")
    assert_no_horizontal_scroll(vera, "the wish list on a phone")
    _both_languages(vera, "the wish list on a phone")

    # --- the second family, on a desktop: the friend goes with Elsa --------------------------------------
    gustav = second_page
    sign_in_via_api(gustav, _guardian(live_server, "Gustav Berg"))
    open_page(gustav, f"/activity.html?id={sessions['Fotboll']['activity_id']}")
    gustav.get_by_role("link", name="Lägg till i önskelistan").click()
    expect(gustav.get_by_role("heading", level=1, name="Önskelista")).to_be_visible()
    _add_child(gustav, "Cleo", year - 9, "Nacksta")
    _pick(gustav, ridning)
    gustav.get_by_label("Gruppkod (valfritt)").fill(code)
    gustav.get_by_label("Födelseår").fill(str(year - 15))  # too old for these activities: the API says so
    console(gustav).allow(422, "/children")
    gustav.get_by_role("button", name="Spara barnet").click()
    alert = gustav.locator("#child-alert")
    expect(alert).to_contain_text(f"Önskan 1 ({fotboll}) passar inte barnets ålder.")
    expect(gustav.locator("#wish-0-error")).to_contain_text("passar inte barnets ålder")
    _both_languages(gustav, "the wish list with errors")
    gustav.get_by_label("Födelseår").fill(str(year - 9))
    gustav.get_by_role("button", name="Spara barnet").click()
    expect(gustav.locator("#wishes-notice")).to_have_text("Önskelistan för Cleo är sparad.")
    expect(_child(gustav, "Cleo").locator("ol > li .wish-title")).to_have_text([fotboll, ridning])
    # a second child added, then taken off again before the deadline
    _add_child(gustav, "Dag", year - 11, "Centrum")
    _pick(gustav, keramik)
    gustav.get_by_role("button", name="Spara barnet").click()
    expect(gustav.locator("#wishes-notice")).to_have_text("Önskelistan för Dag är sparad.")
    _child(gustav, "Dag").get_by_role("button", name="Ta bort Dag").click()
    expect(gustav.get_by_role("group", name="Ta bort Dag och alla önskemål?")).to_be_visible()
    _both_languages(gustav, "the wish list on a desktop, asking before a child is removed")
    gustav.get_by_role("button", name="Ja", exact=True).click()
    expect(gustav.locator("#wishes-notice")).to_have_text("Dag är borttagen från önskelistan.")
    expect(_child(gustav, "Dag")).to_have_count(0)

    # --- the deadline passes; the staff run, adjust and publish -------------------------------------------
    api = ApiClient(live_server, STAFF.email)
    try:
        settings = api.get(f"/api/holiday-periods/{period['id']}/draw")
        closes = datetime.now(UTC) + timedelta(seconds=2)
        api.send("PUT", f"/api/holiday-periods/{period['id']}/draw", {
            "wishes_close_at": closes.isoformat(), "max_per_child": settings["max_per_child"],
            "travel_minutes": settings["travel_minutes"], "weights": settings["weights"],
            "priority_areas": settings["priority_areas"]})
    finally:
        api.close()
    time.sleep(max(0.0, (closes - datetime.now(UTC)).total_seconds()) + 0.5)
    staff.reload()
    expect(staff.locator("#overview-children")).to_have_text("3")
    expect(staff.locator("#overview-wishes")).to_have_text("6")
    staff.get_by_label("Frö (valfritt)").fill(f"hostlov-{tag}")
    staff.get_by_role("button", name="Kör lottningen").click()
    expect(staff.locator("#preview-heading")).to_be_focused()
    expect(staff.locator("#preview-seed")).to_have_text(f"Frö: hostlov-{tag}")
    expect(staff.locator("#figure-children")).to_have_text("3")
    expect(staff.locator("#figure-with-place")).to_have_text("3 (100 %)")
    expect(staff.locator("#figure-mean-rank")).to_have_text("1,25")  # wishes 1, 2, 1 and 1 granted
    # per home area: children, with a place, share with a place (Elsa and Cleo live in Nacksta, Måns in Skönsberg)
    nacksta = staff.locator("#area-table tbody tr").filter(has_text="Nacksta").locator("td")
    expect(nacksta.nth(0)).to_have_text("2")
    expect(nacksta.nth(1)).to_have_text("2")
    expect(nacksta.nth(2)).to_have_text("100 %")
    expect(staff.locator("#area-table tbody tr").filter(has_text="Skönsberg").locator("td").nth(0)).to_have_text("1")
    # One place on Ridning: Måns's first wish against Cleo's second; the rank weight decides, not the lottery.
    expect(_outcome_row(staff, "Måns", sessions["Ridning"])).to_contain_text("Beviljad som önskan 1")
    expect(_outcome_row(staff, "Måns", sessions["Keramik"])).to_contain_text("Krockar med en beviljad önskan")
    expect(_outcome_row(staff, "Cleo", sessions["Ridning"])).to_contain_text(
        "Önskan 2 var full; lägre poäng än de barn som fick plats")
    expect(_outcome_row(staff, "Elsa", sessions["Fotboll"])).to_contain_text("Beviljad som önskan 1")
    # the friends together, as a group
    expect(_outcome_row(staff, "Cleo", sessions["Fotboll"])).to_contain_text("Beviljad som önskan 1")

    # the same seed again gives the same draw
    before = staff.locator("#outcome-list").inner_text()
    staff.get_by_label("Frö (valfritt)").fill(f"hostlov-{tag}")
    staff.get_by_role("button", name="Kör lottningen").click()
    expect(staff.locator("#preview-heading")).to_be_focused()
    assert staff.locator("#outcome-list").inner_text() == before

    # by hand: Keramik for Måns clashes with his Ridning; take Ridning away, then Keramik goes
    console(staff).allow(409, "/preview/grants")
    _outcome_row(staff, "Måns", sessions["Keramik"]).get_by_role("button", name=f"Bevilja Måns: {keramik}").click()
    refusal = _outcome_row(staff, "Måns", sessions["Keramik"]).get_by_role("alert")
    expect(refusal).to_have_text(f"Går inte: krockar med {ridning}, som barnet redan har fått.")
    expect(refusal).to_be_focused()
    _both_languages(staff, "the draw's preview with a refused hand grant")
    _outcome_row(staff, "Måns", sessions["Ridning"]).get_by_role("button", name=f"Ta bort Måns: {ridning}").click()
    expect(_outcome_row(staff, "Måns", sessions["Ridning"])).to_contain_text("Borttagen av personal")
    _outcome_row(staff, "Måns", sessions["Keramik"]).get_by_role("button", name=f"Bevilja Måns: {keramik}").click()
    expect(_outcome_row(staff, "Måns", sessions["Keramik"])).to_contain_text("Beviljad av personal")
    expect(staff.locator("#figure-mean-rank")).to_have_text("1,5")  # the figures follow: now wishes 1, 2, 2, 1

    # the staff's page on a phone too
    phone = new_context(browser, live_server, **PHONE)
    try:
        staff_phone = phone.new_page()
        sign_in_via_api(staff_phone, STAFF.email)
        open_page(staff_phone, f"/draw.html?period={period['id']}")
        expect(staff_phone.locator("#preview-seed")).to_have_text(f"Frö: hostlov-{tag}")
        assert_no_horizontal_scroll(staff_phone, "the draw's preview on a phone")
        _both_languages(staff_phone, "the draw's preview on a phone")
    finally:
        phone.close()

    staff.get_by_role("button", name="Publicera", exact=True).click()
    staff.get_by_role("button", name="Ja, publicera").click()
    # Elsa: Fotboll and Keramik; Måns: Keramik; Cleo: Fotboll. One message per child.
    expect(staff.locator("#draw-notice")).to_have_text(
        "Lottningen är publicerad: 4 platser, 3 besked till vårdnadshavare.")
    expect(staff.locator("#overview-state")).to_have_text("Publicerad")
    expect(staff.get_by_role("button", name="Kör lottningen")).to_have_count(0)

    # --- the families see what each wish gave, and why ---------------------------------------------------
    vera.reload()
    expect(vera.locator("#draw-deadline")).to_have_text("Lottningen är klar.")
    elsa, mans = _child(vera, "Elsa"), _child(vera, "Måns")
    expect(elsa.locator("li").filter(has_text=fotboll)).to_contain_text("Beviljad som önskan 1")
    expect(elsa.locator("li").filter(has_text=keramik)).to_contain_text("Beviljad som önskan 2")
    expect(mans.locator("li").filter(has_text=ridning)).to_contain_text("Borttagen av personal")
    expect(mans.locator("li").filter(has_text=keramik)).to_contain_text("Beviljad av personal")
    expect(elsa.get_by_role("link", name="Biljetten finns under Mina anmälningar").first).to_be_visible()
    _both_languages(vera, "the wish list's outcomes on a phone")
    # from the menu: the page finds the holiday in draw mode (the only one of the municipality) by itself
    gustav.get_by_role("navigation").get_by_role("link", name="Önskelista").click()
    expect(gustav).to_have_url(re.compile(r"/wishes\.html$"))
    cleo = _child(gustav, "Cleo")
    expect(cleo.locator("li").filter(has_text=fotboll)).to_contain_text("Beviljad som önskan 1")
    expect(cleo.locator("li").filter(has_text=ridning)).to_contain_text(
        "Önskan 2 var full; lägre poäng än de barn som fick plats")
    switch_language(gustav, "English")
    expect(cleo.locator("li").filter(has_text=ridning)).to_contain_text(
        "Wish 2 full, lower score than the children granted")
    assert_accessible(gustav, "the wish list's outcomes in English")


def test_the_staff_take_a_holiday_back_to_first_come_after_a_confirmation(live_server: LiveServer, page: Page) -> None:
    staff_api = ApiClient(live_server, STAFF.email)
    try:
        year = local_today().year + 4
        first = quiet_run(date(year, 10, 5), 5, weekday=0)
        period = staff_api.send("PUT", f"/api/holiday-periods/{year}/hostlov", {
            "first_day": first.isoformat(), "last_day": (first + timedelta(days=4)).isoformat()})
    finally:
        staff_api.close()
    sign_in_via_api(page, STAFF.email)
    open_page(page, f"/draw.html?period={period['id']}")
    page.get_by_label("Önskemål och lottning").check()
    page.get_by_label("Sista tid för önskemål").fill(f"{(local_today() + timedelta(days=2)).isoformat()}T09:00")
    page.get_by_role("button", name="Spara", exact=True).click()
    expect(page.locator("#overview-state")).to_have_text("Önskemål tas emot")

    page.get_by_label("Först till kvarn").check()
    expect(page.get_by_label("Sista tid för önskemål")).to_be_hidden()
    page.get_by_role("button", name="Spara", exact=True).click()
    question = page.get_by_role("group", name="Gå tillbaka till först till kvarn? Alla önskemål för lovet tas bort.")
    expect(question.get_by_role("button", name="Ja, först till kvarn")).to_be_focused()
    assert_accessible(page, "the question before going back to first come")
    question.get_by_role("button", name="Ja, först till kvarn").click()
    expect(page.locator("#draw-notice")).to_have_text("Lovet ges nu efter först till kvarn. Önskemålen är borttagna.")
    expect(page.get_by_label("Först till kvarn")).to_be_checked()
    expect(page.locator("#overview-state")).to_have_count(0)
    assert page.request.get(f"/api/holiday-periods/{period['id']}/draw").status == 404
