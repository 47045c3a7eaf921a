"""Booking in the browser: a space's week (public), asking for a time once or weekly, the rule
that refuses it shown at the field, the premises officer's decisions, cancelling, and the
association's private calendar link.

The issue's "done" journey is test_weekly_request_is_approved_and_reaches_the_calendar. Dates are
counted from today (at least three days ahead for the 24-hour notice); a weekly series starts a run
of weeks no Swedish holiday or eve touches (support.bookable_day), so it counts the same in December."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from playwright.sync_api import BrowserContext, Locator, Page, expect

from booking.seed import DEMO_ACCOUNTS
from tests.browser.support import (
    UNUSUAL_DAYS,
    ApiClient,
    LiveServer,
    assert_accessible,
    bookable_day,
    console,
    local_today,
    monday_of,
    next_holiday,
    open_page,
    sign_in_via_api,
)
from tests.quiet_days import is_closed

pytestmark = pytest.mark.browser

REP = next(a for a in DEMO_ACCOUNTS if a.role == "association_rep")
STAFF = next(a for a in DEMO_ACCOUNTS if a.role == "premises_staff")
WEEKDAYS_SV = ["måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag"]
MONTHS_SV = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober",
             "november", "december"]


def sv_date(day: date) -> str:
    """A date as the Swedish pages write it: "torsdag 3 december 2026"."""
    return f"{WEEKDAYS_SV[day.weekday()]} {day.day} {MONTHS_SV[day.month - 1]} {day.year}"


def unique(title: str) -> str:
    return f"{title} {uuid.uuid4().hex[:6]}"


@pytest.fixture(scope="module")
def staff_api(live_server: LiveServer) -> Iterator[ApiClient]:
    client = ApiClient(live_server, STAFF.email)
    yield client
    client.close()


@pytest.fixture(scope="module")
def rep_api(live_server: LiveServer) -> Iterator[ApiClient]:
    client = ApiClient(live_server, REP.email)
    yield client
    client.close()


def space_page(page: Page, space_id: str, week_of: date | None = None) -> None:
    path = f"/space.html?id={space_id}"
    open_page(page, path + (f"&week={monday_of(week_of).isoformat()}" if week_of else ""))


def day_cell(page: Page, day: date) -> Locator:
    return page.locator(f"#week-days > li[data-date='{day.isoformat()}']")


def group(page: Page, title: str) -> Locator:
    return page.get_by_role("article", name=title)


# --- the space's week (public) ------------------------------------------------------------------


def test_sites_link_to_the_week_of_a_space_and_its_public_feed(page: Page, staff_api: ApiClient,
                                                              live_server: LiveServer) -> None:
    open_page(page, "/sites.html")
    page.get_by_role("link", name="Lediga tider och bokning för Musiksal 1").click()
    expect(page).to_have_url(re.compile(r"/space\.html\?id="))
    expect(page.get_by_role("heading", level=1)).to_have_text("Musiksal 1")
    expect(page).to_have_title("Musiksal 1 – Bokning")
    expect(page.locator("#space-facts")).to_contain_text("Nackstaskolan")

    label = page.locator("#week-label")
    expect(label).to_have_text(re.compile(r"^Vecka \d+: "))
    week = int(re.search(r"\d+", label.inner_text()).group())  # type: ignore[union-attr]
    expect(page.locator("#week-days > li")).to_have_count(7)
    page.get_by_role("button", name="Nästa vecka").click()
    expect(label).not_to_have_text(re.compile(rf"^Vecka {week}:"))
    expect(page.get_by_role("status").filter(has_text="Visar vecka")).to_have_text(re.compile(r"^Visar vecka \d+, "))
    expect(page).to_have_url(re.compile(r"[?&]week=\d{4}-\d{2}-\d{2}"))
    page.get_by_role("button", name="Föregående vecka").click()
    expect(label).to_have_text(re.compile(rf"^Vecka {week}:"))

    # Signed out there is no form, only the way to sign in.
    expect(page.locator("#booking-form")).to_be_hidden()
    expect(page.get_by_role("link", name="Logga in för att ansöka om en tid")).to_be_visible()

    # The public feed: a link to copy, and it answers with a calendar.
    space_id = staff_api.space_id("Musiksal 1")
    feed = page.get_by_label("Kalenderlänk för lokalen")
    expect(feed).to_have_value(live_server(f"/feeds/spaces/{space_id}.ics"))
    expect(page.get_by_role("link", name="Öppna i kalenderprogrammet")).to_have_attribute(
        "href", re.compile(rf"^webcal://.+/feeds/spaces/{space_id}\.ics$"))
    response = page.request.get(feed.input_value())
    assert response.status == 200 and response.headers["content-type"].startswith("text/calendar")


def test_holidays_show_their_name_and_booked_times_no_booker(page: Page, staff_api: ApiClient) -> None:
    holiday, name = next_holiday(days_ahead=2)
    space_id = staff_api.space_id("Gymnastiksalen")
    day = bookable_day(2, days_ahead=2)  # a Wednesday evening, booked by staff (approved at once)
    title = unique("Skolans föräldramöte")
    staff_api.request_booking(space_id, title, day, "18:00", "19:00")

    space_page(page, space_id, holiday)
    expect(day_cell(page, holiday)).to_contain_text(f"Stängt: {name}")

    space_page(page, space_id, day)
    cell = day_cell(page, day)
    expect(cell.locator(".slot-busy")).to_have_text(re.compile(r"18:00–19:00\s*Bokat"))
    expect(cell.locator(".slot-free")).to_have_text([re.compile(r"17:00–18:00"), re.compile(r"19:00–22:00")])
    expect(page.locator("main")).not_to_contain_text(title)  # public: no names, no titles


def test_an_unknown_space_says_so(page: Page) -> None:
    console(page).allow(404, "/api/spaces/00000000-0000-7000-8000-000000000000")
    open_page(page, "/space.html?id=00000000-0000-7000-8000-000000000000")
    expect(page.get_by_role("heading", level=1)).to_have_text("Lokalen finns inte")
    expect(page.locator("#calendar-section")).to_be_hidden()
    open_page(page, "/space.html?id=inte-ett-id")
    expect(page.get_by_role("heading", level=1)).to_have_text("Lokalen finns inte")
    page.get_by_role("main").get_by_role("link", name="Alla skolor och lokaler").first.click()
    expect(page).to_have_url(re.compile(r"/sites\.html$"))


# --- asking for a time --------------------------------------------------------------------------


def test_weekly_request_is_approved_and_reaches_the_calendar(page: Page, second_page: Page, context: BrowserContext,
                                                             live_server: LiveServer, staff_api: ApiClient) -> None:
    """The representative asks for a weekly time, the premises officer approves it, the
    representative sees it approved and takes the association's calendar link."""
    title = unique("Innebandy P12")
    first = bookable_day(3, weeks=4)  # a Thursday, and three more no holiday takes
    until = first + timedelta(weeks=3)
    space_id = staff_api.space_id("Klassrum B12")

    # The representative picks a free evening in the week view and asks for it weekly.
    sign_in_via_api(page, REP.email)
    space_page(page, space_id, first)
    expect(page.get_by_role("heading", name="Ansök om tid")).to_be_visible()
    expect(page.get_by_label("Förening")).to_have_value(staff_api.association_id())
    day_cell(page, first).get_by_role("button", name=re.compile(r"17:00–22:00")).click()
    expect(page.get_by_label("Aktivitet")).to_be_focused()
    expect(page.get_by_label("Datum", exact=True)).to_have_value(first.isoformat())
    page.get_by_label("Aktivitet").fill(title)
    page.get_by_label("Från klockan").fill("18:00")
    page.get_by_label("Till klockan").fill("19:30")
    page.get_by_label("Samma tid varje vecka").check()
    expect(page.get_by_role("checkbox", name="torsdag")).to_be_checked()  # the date's weekday
    page.get_by_label("Till och med datum").fill(until.isoformat())
    with page.expect_response(lambda r: r.url.endswith("/api/bookings") and r.request.method == "POST") as sent:
        page.get_by_role("button", name="Skicka ansökan").click()
    answer = sent.value.json()
    count = len(answer["bookings"])
    assert count >= 3 and answer["series_id"], answer
    result = page.locator("#request-result")
    expect(result).to_be_focused()
    expect(result.get_by_role("heading")).to_have_text("Ansökan är skickad")
    expect(result).to_contain_text(f"{title}: {count} tillfällen, varje torsdag 18:00–19:30")
    expect(result).to_contain_text("Väntar på beslut")

    # The premises officer approves the whole series at once.
    sign_in_via_api(second_page, STAFF.email)
    open_page(second_page, "/")
    second_page.get_by_role("navigation").get_by_role("button", name="Personal").click()
    second_page.get_by_role("navigation").get_by_role("link", name="Att godkänna").click()
    second_page.wait_for_url(re.compile(r"/approvals\.html$"))
    request = group(second_page, title)
    expect(request).to_contain_text("Nacksta IF")
    expect(request).to_contain_text("Klassrum B12, Nackstaskolan")
    expect(request).to_contain_text(f"{count} tillfällen")
    request.get_by_role("button", name=f"Godkänn alla lediga tillfällen {title}").click()
    outcome = request.locator(".outcome")
    expect(outcome).to_be_focused()
    expect(outcome.get_by_role("heading")).to_have_text("Godkänd")
    expect(outcome).to_contain_text(f"{count} tillfällen är godkända.")

    # The representative sees it approved under "Mina bokningar".
    page.get_by_role("navigation").get_by_role("link", name="Mina bokningar").click()
    page.wait_for_url(re.compile(r"/bookings\.html$"))
    mine = group(page, title)
    expect(mine).to_contain_text(f"{count} godkända")
    expect(mine.locator(".occurrence .badge")).to_have_text(["Godkänd"] * count)
    expect(mine.locator(".occurrence-date").first).to_have_text(sv_date(first))

    # ... and takes the association's private calendar link, which lists the approved times.
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    feeds = page.get_by_role("region", name="Föreningens kalender")
    expect(feeds).to_contain_text("När du skapar en ny länk slutar den gamla att fungera")
    feeds.get_by_role("button", name="Skapa kalenderlänk").click()
    link = feeds.get_by_label("Kalenderlänk för Nacksta IF")
    expect(link).to_be_focused()
    expect(link).to_have_value(re.compile(r"^http://127\.0\.0\.1:\d+/feeds/associations/[\w-]+\.ics$"))
    feeds.get_by_role("button", name="Kopiera länken").click()
    expect(feeds.get_by_role("status")).to_have_text("Länken är kopierad.")
    url = link.input_value()
    assert page.evaluate("() => navigator.clipboard.readText()") == url
    calendar = page.request.get(url)
    assert calendar.status == 200
    assert calendar.headers["content-type"].startswith("text/calendar")
    body = calendar.text().replace("\r\n ", "")  # unfold
    events = [e for e in body.split("BEGIN:VEVENT")[1:] if f"SUMMARY:{title}" in e]
    assert len(events) == count and all("STATUS:CONFIRMED" in e for e in events), body

    # A new link stops the old one.
    feeds.get_by_role("button", name="Skapa en ny länk (den här slutar fungera)").click()
    expect(link).not_to_have_value(url)
    assert page.request.get(url).status == 404


def test_refused_request_names_the_rule_at_the_field_and_is_announced(page: Page, staff_api: ApiClient) -> None:
    console(page).allow(422, "/api/bookings")
    day = bookable_day(1)  # a Tuesday: open 17:00-22:00
    sign_in_via_api(page, REP.email)
    space_page(page, staff_api.space_id("Musiksal 1"), day)
    page.get_by_label("Aktivitet").fill(unique("Morgonkör"))
    page.get_by_label("Datum", exact=True).fill(day.isoformat())
    page.get_by_label("Från klockan").fill("08:00")
    page.get_by_label("Till klockan").fill("09:00")
    page.get_by_role("button", name="Skicka ansökan").click()

    message = f"{sv_date(day)}: Tiden ligger utanför öppettiderna, som är 17:00–22:00 den dagen."
    start = page.get_by_label("Från klockan")
    expect(page.locator("#booking-start-error")).to_have_text(message)
    expect(start).to_have_attribute("aria-invalid", "true")
    expect(start).to_have_accessible_description(message)
    expect(start).to_be_focused()
    alert = page.get_by_role("alert").filter(has_text="Tiden går inte att boka")
    expect(alert).to_contain_text(message)
    expect(page.locator("#request-result")).to_be_empty()
    assert_accessible(page, "the request form with a refused time")

    # In English the same refusal reads in English.
    page.get_by_role("contentinfo").get_by_role("button", name="English").click()
    expect(page.locator("#booking-start-error")).to_contain_text(
        "The time is outside the opening hours, which are 17:00–22:00 that day.")


def test_missing_fields_are_pointed_out_before_sending(page: Page, staff_api: ApiClient) -> None:
    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.url) if r.method == "POST" else None)
    sign_in_via_api(page, REP.email)
    space_page(page, staff_api.space_id("Musiksal 1"))
    page.get_by_label("Samma tid varje vecka").check()
    page.get_by_role("button", name="Skicka ansökan").click()
    title = page.get_by_label("Aktivitet")
    expect(title).to_be_focused()
    expect(title).to_have_accessible_description(re.compile("Skriv vad tiden ska användas till."))
    expect(page.get_by_role("alert").filter(has_text="Något behöver rättas")).to_contain_text("Välj ett datum.")
    expect(page.locator("#booking-weekdays-error")).to_have_text("Välj minst en veckodag.")
    page.get_by_role("link", name="Välj ett datum.").click()
    expect(page.get_by_label("Datum", exact=True)).to_be_focused()
    assert sent == []


def test_a_taken_time_shows_the_conflicting_times(page: Page, staff_api: ApiClient) -> None:
    console(page).allow(409, "/api/bookings")
    day = bookable_day(1, days_ahead=4)
    space_id = staff_api.space_id("Gympasalen")
    staff_api.request_booking(space_id, unique("Kommunens prova-på"), day, "19:00", "20:00")
    sign_in_via_api(page, REP.email)
    space_page(page, space_id, day)
    page.get_by_label("Aktivitet").fill(unique("Basket"))
    page.get_by_label("Datum", exact=True).fill(day.isoformat())
    page.get_by_label("Från klockan").fill("19:30")
    page.get_by_label("Till klockan").fill("21:00")
    page.get_by_role("button", name="Skicka ansökan").click()
    alert = page.get_by_role("alert").filter(has_text="Tiden är redan bokad")
    expect(alert.locator("#booking-conflicts li")).to_have_text([f"{sv_date(day)} 19:00–20:00"])
    expect(page.get_by_label("Från klockan")).to_have_attribute("aria-invalid", "true")


def holiday_inside_a_series() -> tuple[date, str]:
    """A coming holiday with an ordinary day of the same weekday a week before and after it."""
    day = local_today() + timedelta(days=9)
    while True:
        holiday, name = next_holiday(days_ahead=(day - local_today()).days)
        if holiday not in UNUSUAL_DAYS and not any(is_closed(holiday + timedelta(weeks=w), UNUSUAL_DAYS)
                                                   for w in (-1, 1)):
            return holiday, name
        day = holiday + timedelta(days=1)


def test_staff_book_at_once_and_a_series_skips_holidays(page: Page, staff_api: ApiClient) -> None:
    holiday, name = holiday_inside_a_series()
    first = holiday - timedelta(weeks=1)
    space_id = staff_api.space_id("Skolgården")
    sign_in_via_api(page, STAFF.email)
    space_page(page, space_id, first)
    expect(page.get_by_role("heading", name="Boka tid")).to_be_visible()
    expect(page.get_by_label("Förening")).to_have_value("")  # staff may book for the municipality itself
    page.get_by_label("Aktivitet").fill(unique("Skolgårdsfest"))
    page.get_by_label("Datum", exact=True).fill(first.isoformat())
    page.get_by_label("Från klockan").fill("18:00")
    page.get_by_label("Till klockan").fill("19:00")
    page.get_by_label("Samma tid varje vecka").check()
    page.get_by_label("Till och med datum").fill((holiday + timedelta(weeks=1)).isoformat())
    page.get_by_role("button", name="Boka", exact=True).click()
    result = page.locator("#request-result")
    expect(result.get_by_role("heading")).to_have_text("Bokningen är klar")
    expect(result).to_contain_text("2 tillfällen")
    expect(result.locator("#request-skipped li")).to_have_text([f"{sv_date(holiday)}: Stängt – {name}."])
    # Approved at once: the week view shows the time as booked.
    # (the day may hold other bookings too: the demo associations train on weekends)
    expect(day_cell(page, first).locator(".slot-busy", has_text=re.compile(r"18:00–19:00"))).to_have_count(1)


# --- deciding and cancelling --------------------------------------------------------------------


def test_rejecting_needs_a_reason_which_the_applicant_gets(page: Page, rep_api: ApiClient,
                                                           staff_api: ApiClient) -> None:
    title = unique("Matlagning")
    first = bookable_day(0, weeks=2)
    made = rep_api.request_booking(staff_api.space_id("Hemkunskapssalen"), title, first, "17:30", "19:00", weeks=1,
                                   association_id=rep_api.association_id())
    sign_in_via_api(page, STAFF.email)
    open_page(page, "/approvals.html")
    request = group(page, title)
    request.get_by_role("button", name=f"Avslå {title}").click()
    reason = request.get_by_label("Anledning till avslaget")
    expect(reason).to_be_focused()
    request.get_by_role("button", name=f"Avslå ansökan {title}").click()
    expect(reason).to_have_accessible_description(re.compile("Skriv varför ansökan avslås."))
    expect(reason).to_be_focused()
    assert_accessible(page, "approvals with a rejection missing its reason")
    reason.fill("Salen renoveras.")
    request.get_by_role("button", name=f"Avslå ansökan {title}").click()
    outcome = request.locator(".outcome")
    expect(outcome.get_by_role("heading")).to_have_text("Avslagen")
    count = len(made["bookings"])
    expect(outcome).to_contain_text(f"{count} tillfällen är avslagna.")
    expect(outcome).to_contain_text("Anledning: Salen renoveras.")
    mine = [b for b in rep_api.get("/api/bookings", limit=200)["items"] if b["title"] == title]
    assert {(b["status"], b["decision_reason"]) for b in mine} == {("rejected", "Salen renoveras.")}


def test_approving_a_series_reports_the_dates_already_taken(page: Page, rep_api: ApiClient,
                                                           staff_api: ApiClient) -> None:
    """The whole hall holds both its halves: approving a weekly request for one half approves
    only the weeks the whole hall is not already booked, and says which and why."""
    first = bookable_day(4, days_ahead=5, weeks=3)  # a Friday, and two more no holiday takes
    association = rep_api.association_id()
    hall = rep_api.request_booking(staff_api.space_id("Nacksta idrottshall"), unique("Hela hallen"), first,
                                   "18:00", "20:00", weeks=1, association_id=association)
    title = unique("Halva hallen")
    half = rep_api.request_booking(staff_api.space_id("Nacksta idrottshall A"), title, first, "19:00", "20:30",
                                   weeks=2, association_id=association)
    # Requests take no time until approved: the whole hall's approval comes between the two.
    staff_api.send("POST", f"/api/booking-series/{hall['series_id']}/decision", {"approve": True})
    taken = [b["local_date"] for b in hall["bookings"]]
    free = len(half["bookings"]) - len(taken)
    assert free >= 1, (hall, half)

    sign_in_via_api(page, STAFF.email)
    open_page(page, "/approvals.html")
    request = group(page, title)
    expect(request).to_contain_text("Nacksta idrottshall A, Nackstaskolan")
    request.get_by_role("button", name=f"Godkänn alla lediga tillfällen {title}").click()
    outcome = request.locator(".outcome")
    expect(outcome).to_contain_text("1 tillfälle är godkänt." if free == 1 else f"{free} tillfällen är godkända.")
    expect(outcome.locator(".skipped li")).to_have_text([
        f"{sv_date(date.fromisoformat(d))}: Tiden är redan bokad. Krockar med {sv_date(date.fromisoformat(d))} "
        "18:00–20:00." for d in taken])
    expect(page.locator("#approvals-status")).not_to_contain_text(title)


def test_cancel_this_and_following_of_a_series(page: Page, rep_api: ApiClient, staff_api: ApiClient) -> None:
    title = unique("Teaterrep")
    first = bookable_day(2, days_ahead=3, weeks=4)
    made = rep_api.request_booking(staff_api.space_id("Aulan"), title, first, "18:00", "19:00", weeks=3,
                                   association_id=rep_api.association_id())
    dates = [b["local_date"] for b in made["bookings"]]
    assert len(dates) >= 3, made
    sign_in_via_api(page, REP.email)
    open_page(page, "/bookings.html")
    mine = group(page, title)
    expect(mine.locator(".occurrence")).to_have_count(len(dates))
    second = date.fromisoformat(dates[1])
    opener = mine.get_by_role("button", name=f"Avboka {title}, {sv_date(second)}")
    opener.click()
    dialog = page.get_by_role("dialog", name="Avboka")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text(f"{title}, {sv_date(second)} 18:00–19:00.")
    # The space's deadline (48 hours by default): cancelling later keeps the fee.
    expect(dialog).to_contain_text("Avbokar du senare än 48 timmar före starten tas avgiften ut ändå.")
    assert_accessible(page, "the cancel dialog")
    dialog.get_by_role("button", name="Behåll bokningen").click()  # changing one's mind
    expect(dialog).to_be_hidden()
    expect(opener).to_be_focused()

    opener.click()
    dialog.get_by_label("Det här och alla följande tillfällen").check()
    dialog.get_by_label("Anledning (frivilligt)").fill("Föreställningen flyttas.")
    dialog.get_by_role("button", name="Avboka", exact=True).click()
    expect(dialog).to_be_hidden()
    status = page.locator("#bookings-status")
    expect(status).to_have_text(f"Avbokat: {len(dates) - 1} tillfällen av {title}.")
    expect(status).to_be_focused()
    expect(mine.locator(".occurrence .badge")).to_have_text(["Väntar på beslut"] + ["Avbokad"] * (len(dates) - 1))
    expect(mine.locator(".occurrence").nth(1)).to_contain_text("Anledning: Föreställningen flyttas.")
