"""The premises pages beyond booking a time: attendance and the LOK-stöd export for associations;
the site's week, closed periods and the fee basis for premises staff; free times per site for
everyone. Each test is a journey a user makes, ending in what the user would check."""

from __future__ import annotations

import csv
import io
import re
import uuid
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from booking.seed import DEMO_ACCOUNTS
from tests.browser.support import (
    ZONE,
    ApiClient,
    LiveServer,
    bookable_day,
    console,
    local_today,
    monday_of,
    open_page,
    past_booking,
    sign_in_via_api,
)

pytestmark = pytest.mark.browser

REP = next(a for a in DEMO_ACCOUNTS if a.role == "association_rep")
STAFF = next(a for a in DEMO_ACCOUNTS if a.role == "premises_staff")


def _csv_rows(path: str | Path) -> list[dict[str, str]]:
    text = Path(path).read_text(encoding="utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def test_a_representative_records_attendance_and_downloads_the_lok_report(page: Page,
                                                                         live_server: LiveServer) -> None:
    booking_id = past_booking(live_server, "Gymnastiksalen", f"Träning {uuid.uuid4().hex[:6]}", days_ago=2)
    day = local_today() - timedelta(days=2)
    sign_in_via_api(page, REP.email)
    open_page(page, "/bookings.html")
    section = page.get_by_role("region", name="Närvaro och LOK-stöd")
    occasion = section.locator(f"[data-attendance='{booking_id}']")
    expect(occasion).to_contain_text("Ingen närvaro registrerad.")
    occasion.get_by_role("button", name="Registrera närvaro").click()
    dialog = page.get_by_role("dialog", name="Registrera närvaro")
    dialog.get_by_role("button", name="Spara närvaron").click()
    leader = dialog.get_by_label("Ledarens namn")
    expect(leader).to_have_attribute("aria-invalid", "true")
    expect(leader).to_be_focused()
    expect(dialog.get_by_role("alert")).to_contain_text("Skriv ledarens namn.")

    leader.fill("Sara Ledare")
    dialog.get_by_label("Ledarens födelseår").fill("1990")
    dialog.locator("#att-p-0-birth_year").fill("2014")
    dialog.locator("#att-p-0-gender").select_option("female")
    dialog.locator("#att-p-0-count").fill("5")
    dialog.get_by_role("button", name="Lägg till en rad").click()
    expect(dialog.locator("#att-p-1-birth_year")).to_be_focused()
    dialog.locator("#att-p-1-birth_year").fill("2013")
    dialog.locator("#att-p-1-gender").select_option("male")
    dialog.locator("#att-p-1-count").fill("3")
    dialog.get_by_role("button", name="Spara närvaron").click()
    expect(dialog).to_be_hidden()
    expect(occasion).to_contain_text("8 deltagare.")
    expect(occasion).to_contain_text("Räknas för LOK-stöd (8 deltagare räknas).")

    with page.expect_download() as download:
        section.get_by_role("link", name="Ladda ner LOK-underlag (CSV)").click()
    rows = [r for r in _csv_rows(download.value.path()) if r["datum"] == day.isoformat()]
    assert len(rows) == 1, rows
    row = rows[0]
    assert (row["starttid"], row["minuter"], row["lokal"]) == ("18:00", "90", "Gymnastiksalen")
    assert (row["ledare"], row["ledarens_fodelsear"], row["antal_deltagare"]) == ("Sara Ledare", "1990", "8")
    assert row["deltagare_fodelsear_kon"] == "2013Mx3,2014Kx5"
    assert row["lok_raknas"] == "ja" and row["lok_deltagare"] == "8"


def test_staff_approve_a_pending_request_from_the_site_calendar(page: Page, live_server: LiveServer) -> None:
    rep = ApiClient(live_server, REP.email)
    try:
        title = f"Bakning {uuid.uuid4().hex[:6]}"
        day = bookable_day(2)
        made = rep.request_booking(rep.space_id("Hemkunskapssalen"), title, day, "19:00", "20:30",
                                   association_id=rep.association_id())
        booking_id = made["bookings"][0]["id"]
        assert made["bookings"][0]["status"] == "pending"
        site_id = next(s["id"] for s in rep.get("/api/sites", municipality="sundsvall")["items"]
                       if s["name"] == "Skönsbergsskolan")
    finally:
        rep.close()
    sign_in_via_api(page, STAFF.email)
    open_page(page, "/approvals.html")  # from the queue to the request's week at its school
    page.get_by_role("article", name=title).get_by_role("link", name=f"se veckan i lokalkalendern {title}").click()
    expect(page).to_have_url(re.compile(rf"/site-calendar\.html\?id={site_id}&week={monday_of(day).isoformat()}$"))
    expect(page.locator("main")).not_to_have_attribute("aria-busy", "true")
    expect(page.get_by_role("heading", level=1)).to_have_text("Lokalkalender: Skönsbergsskolan")
    space = page.get_by_role("region", name="Hemkunskapssalen")
    entry = space.locator(f"[data-booking='{booking_id}']")
    expect(entry).to_contain_text(title)
    expect(entry).to_contain_text("Nacksta IF")
    expect(entry.locator(".slot")).to_have_class(re.compile(r"\bslot-pending\b"))
    entry.get_by_role("button", name=re.compile(f"^Godkänn {title}")).click()
    expect(page.get_by_role("status").first).to_have_text(re.compile(f"^Godkänd: {title}"))
    expect(entry.locator(".slot")).to_have_class(re.compile(r"\bslot-approved\b"))
    expect(entry.get_by_role("button")).to_have_count(0)
    staff = ApiClient(live_server, STAFF.email)
    try:
        assert staff.get(f"/api/bookings/{booking_id}")["status"] == "approved"
    finally:
        staff.close()


def test_staff_close_a_space_for_a_day_and_its_week_shows_it_closed(page: Page, live_server: LiveServer) -> None:
    day = bookable_day(0, days_ahead=7) + timedelta(days=1)  # a Tuesday in a week no holiday touches
    reason = f"Golvslipning {uuid.uuid4().hex[:6]}"
    sign_in_via_api(page, STAFF.email)
    open_page(page, "/closed.html")
    form = page.locator("#cp-form")
    form.get_by_role("button", name="Stäng tiden").click()
    expect(form.get_by_label("Anledning")).to_have_attribute("aria-invalid", "true")
    expect(form.get_by_role("alert")).to_contain_text("Skriv en anledning.")
    form.get_by_label("Anledning").fill(reason)
    form.get_by_label("Lokal", exact=True).select_option(label="Skolgården")
    form.get_by_label("Första dagen").fill(day.isoformat())
    form.get_by_role("button", name="Stäng tiden").click()
    expect(page.locator("#closed-status")).to_have_text(f"Stängt: {reason}, Skolgården, Skönsbergsskolan.")
    expect(page.locator("#closed-periods")).to_contain_text(reason)

    staff = ApiClient(live_server, STAFF.email)
    try:
        space_id = staff.space_id("Skolgården")
        site_id = staff.get(f"/api/spaces/{space_id}")["site_id"]
    finally:
        staff.close()
    open_page(page, f"/site-calendar.html?id={site_id}&week={monday_of(day).isoformat()}")
    yard = page.get_by_role("region", name="Skolgården")
    expect(yard.locator(f"li[data-date='{day.isoformat()}']")).to_contain_text("Stängt 17:00–22:00")
    expect(yard.locator(f"li[data-date='{(day - timedelta(days=1)).isoformat()}']")).not_to_contain_text("Stängt 17")

    open_page(page, f"/space.html?id={space_id}&week={monday_of(day).isoformat()}")
    closed_day = page.locator(f"#week-days > li[data-date='{day.isoformat()}']")
    expect(closed_day.locator(".slot-closed")).to_contain_text("17:00–22:00")
    expect(closed_day.locator(".slot-free")).to_have_count(0)
    next_day = day + timedelta(days=1)  # a Wednesday, as ordinary as the Monday before
    other_day = page.locator(f"#week-days > li[data-date='{next_day.isoformat()}']")
    expect(other_day.locator(".slot-free")).not_to_have_count(0)


def test_staff_export_the_fee_basis_of_a_period(page: Page, live_server: LiveServer) -> None:
    day = bookable_day(3, days_ahead=10)
    staff = ApiClient(live_server, STAFF.email)
    try:
        made = staff.request_booking(staff.space_id("Aulan"), f"Årsmöte {uuid.uuid4().hex[:6]}", day, "18:00",
                                     "20:00", association_id=staff.association_id())
        booking_id = made["bookings"][0]["id"]
        assert made["bookings"][0]["status"] == "approved"  # staff book approved at once
    finally:
        staff.close()
    sign_in_via_api(page, STAFF.email)
    open_page(page, "/fees.html")
    form = page.locator("#fee-form")
    form.get_by_label("Från och med").fill(day.isoformat())
    form.get_by_label("Till och med").fill(day.isoformat())
    form.get_by_label("Förening").select_option(label="Nacksta IF")
    form.get_by_role("button", name="Visa underlaget").click()
    row = page.locator(f"#fee-result tr[data-booking='{booking_id}']")
    expect(row).to_contain_text("18:00–20:00")
    expect(row).to_contain_text("Aulan")
    expect(row).to_contain_text("Nolltaxa")  # a youth association pays nothing
    expect(page.locator("#fee-result caption")).to_have_text("Nacksta IF (802479-4565)")

    with page.expect_download() as download:
        page.get_by_role("link", name="Ladda ner underlaget (CSV)").click()
    assert download.value.suggested_filename == f"avgiftsunderlag-{day}-{day}.csv"
    rows = [r for r in _csv_rows(download.value.path()) if r["bokning"] == booking_id]
    assert len(rows) == 1, rows
    assert (rows[0]["forening"], rows[0]["organisationsnummer"], rows[0]["datum"]) == (
        "Nacksta IF", "802479-4565", day.isoformat())
    assert (rows[0]["start"], rows[0]["slut"], rows[0]["timmar"], rows[0]["taxa"]) == ("18:00", "20:00", "2,00", "free")
    assert rows[0]["belopp"] == "0,00" and rows[0]["sen_avbokning"] == "nej"


def test_the_public_sees_free_times_per_site_without_who_booked(page: Page, live_server: LiveServer) -> None:
    day = bookable_day(2, days_ahead=4)
    title = f"Hemlig träning {uuid.uuid4().hex[:6]}"
    staff = ApiClient(live_server, STAFF.email)
    try:
        space_id = staff.space_id("Gympasalen")
        site_id = staff.get(f"/api/spaces/{space_id}")["site_id"]
        made = staff.request_booking(space_id, title, day, "18:00", "19:00", association_id=staff.association_id())
        assert made["bookings"][0]["status"] == "approved"
    finally:
        staff.close()
    open_page(page, "/sites.html")
    page.get_by_role("link", name="Lediga tider på skolan för Bredsandsskolan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lediga tider: Bredsandsskolan")
    page.goto(f"/site.html?id={site_id}&from={day.isoformat()}")
    expect(page.locator("main")).not_to_have_attribute("aria-busy", "true")
    gym = page.get_by_role("article", name="Gympasalen")
    expect(gym.locator(f"[data-date='{day.isoformat()}'] dd")).to_have_text("Ledigt: 17:00–18:00 och 19:00–22:00")
    expect(page.get_by_role("article", name="Aulan")).to_be_visible()
    main = page.get_by_role("main")
    expect(main).not_to_contain_text("Nacksta IF")
    expect(main).not_to_contain_text(title)
    page.get_by_role("button", name="Nästa vecka").click()
    expect(gym.locator(f"[data-date='{(day + timedelta(days=7)).isoformat()}']")).to_be_visible()


def test_anyone_finds_two_free_hours_in_a_gym_of_an_area(page: Page) -> None:
    day = bookable_day(1, days_ahead=15)
    open_page(page, "/sites.html")
    page.get_by_role("link", name="Sök ledig tid i alla lokaler").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sök ledig tid")
    expect(page.locator("main")).not_to_have_attribute("aria-busy", "true")
    search = page.get_by_role("search")
    search.get_by_label("Typ av lokal").select_option(label="Gymnastiksal")
    search.get_by_label("Område").select_option(label="Skönsberg")
    search.get_by_label("Hur länge?").select_option(label="2 timmar")
    search.get_by_label("Antal personer").fill("trettio")
    search.get_by_label("Från och med").fill(day.isoformat())
    search.get_by_label("Till och med").fill(day.isoformat())
    search.get_by_role("button", name="Sök lediga tider").click()
    expect(search.get_by_label("Antal personer")).to_have_attribute("aria-invalid", "true")
    expect(search.get_by_label("Antal personer")).to_be_focused()
    search.get_by_label("Antal personer").fill("30")
    search.get_by_role("button", name="Sök lediga tider").click()
    expect(page.locator("#find-status")).to_have_text("1 ledig tid hittades.")
    result = page.locator("#free-slots > li")
    expect(result).to_have_count(1)
    expect(result).to_contain_text("Gymnastiksalen, Skönsbergsskolan")  # 40 people; Gympasalen is in Bredsand
    expect(result).to_contain_text("ledigt 17:00–22:00")
    result.get_by_role("link").click()
    expect(page).to_have_url(re.compile(rf"/space\.html\?id=[0-9a-f-]+&week={monday_of(day).isoformat()}$"))


def test_a_representative_sees_the_door_code_and_the_check_in_qr_code(page: Page, live_server: LiveServer) -> None:
    day = bookable_day(0, days_ahead=9)
    title = f"Styrelsemöte {uuid.uuid4().hex[:6]}"
    staff = ApiClient(live_server, STAFF.email)
    try:
        space_id = staff.space_id("Klassrum B12")
        staff.send("PUT", f"/api/spaces/{space_id}/access", {"mode": "door_code", "instructions": "Ingång C."})
        made = staff.request_booking(space_id, title, day, "19:00", "20:00", association_id=staff.association_id())
        booking_id = made["bookings"][0]["id"]
    finally:
        staff.close()
    sign_in_via_api(page, REP.email)
    open_page(page, "/bookings.html")
    occurrence = page.locator(f"li[data-booking='{booking_id}']")
    occurrence.get_by_text("Tillträde och incheckning").click()
    expect(occurrence).to_contain_text(re.compile(r"Dörrkod: \d{4,8} \(gäller 18:45–20:15\)"))
    expect(occurrence).to_contain_text("Ingång C.")
    qr = occurrence.get_by_role("img", name="QR-kod för incheckning")
    expect(qr).to_be_visible()
    # the image has loaded (waiting for it when it is still on its way) and is a real picture
    assert qr.evaluate("img => img.complete ? img.naturalWidth : new Promise((done) => {"
                       " img.addEventListener('load', () => done(img.naturalWidth));"
                       " img.addEventListener('error', () => done(0)); })") > 0
    check_in = occurrence.locator(".access-body a")
    expect(check_in).to_have_attribute("href", re.compile(rf"^{re.escape(live_server.url)}/c/\S+$"))


def test_staff_check_in_by_the_qr_link_and_mark_a_no_show(page: Page, live_server: LiveServer) -> None:
    now = datetime.now(ZONE)
    starts = now - timedelta(minutes=10)
    ongoing = past_booking(live_server, "Nacksta idrottshall A", f"Basket {uuid.uuid4().hex[:6]}",
                           days_ago=(now.date() - starts.date()).days, start=starts.strftime("%H:%M"), minutes=120)
    missed_title = f"Innebandy {uuid.uuid4().hex[:6]}"
    missed = past_booking(live_server, "Nacksta idrottshall A", missed_title, days_ago=3, start="17:00", minutes=60)
    rep = ApiClient(live_server, REP.email)
    try:
        link = rep.get(f"/api/bookings/{ongoing}/access")["check_in_url"]
    finally:
        rep.close()
    path = link.removeprefix(live_server.url)
    assert path.startswith("/c/")

    sign_in_via_api(page, STAFF.email)
    console(page).allow(404, path)  # the link has no page of its own: the 404 page sends it on
    page.goto(path)
    expect(page).to_have_url(re.compile(r"/check-in\.html\?code="))
    expect(page.locator("main")).not_to_have_attribute("aria-busy", "true")
    expect(page.get_by_label("Kod eller länk från QR-koden")).to_have_value(path.removeprefix("/c/"))
    page.get_by_role("button", name="Checka in").click()
    expect(page.locator("#check-in-result")).to_contain_text("Incheckad")
    expect(page.locator("#check-in-result")).to_contain_text("Nacksta idrottshall A, Nackstaskolan")
    console(page).allow(422, "/api/check-ins")
    page.get_by_label("Kod eller länk från QR-koden").fill("inte-en-kod")
    page.get_by_role("button", name="Checka in").click()
    expect(page.get_by_label("Kod eller länk från QR-koden")).to_have_attribute("aria-invalid", "true")

    staff = ApiClient(live_server, STAFF.email)
    try:
        assert staff.get(f"/api/bookings/{ongoing}")["checked_in_at"] is not None
        site_id = staff.get(f"/api/spaces/{staff.space_id('Nacksta idrottshall A')}")["site_id"]
        missed_day = local_today() - timedelta(days=3)
        open_page(page, f"/site-calendar.html?id={site_id}&week={monday_of(missed_day).isoformat()}")
        entry = page.locator(f"[data-booking='{missed}']")
        entry.get_by_role("button", name=re.compile(f"^Markera som utebliven {missed_title}")).click()
        expect(entry).to_contain_text("Utebliven")
        assert staff.get(f"/api/bookings/{missed}")["no_show"] is True
        assert any(item["name"] == "Nacksta IF" for item in staff.get("/api/no-shows")["items"])
    finally:
        staff.close()


def test_an_administrator_changes_the_price_list(page: Page) -> None:
    admin = next(a for a in DEMO_ACCOUNTS if a.role == "admin")
    sign_in_via_api(page, admin.email)
    open_page(page, "/fees.html")
    page.get_by_role("button", name="Ändra prislistan").click()
    price = page.get_by_label("Utomhusyta, Kommersiell taxa, kronor per timme")
    price.fill("412,50")
    page.get_by_role("button", name="Spara prislistan").click()
    expect(page.get_by_text("Prislistan är sparad.")).to_be_visible()
    expect(page.locator("#price-table tbody tr").filter(has_text="Utomhusyta")).to_contain_text("412,50 kr")
    prices = page.request.get("/api/tariffs?municipality=sundsvall").json()["items"]
    assert {"category": "commercial", "space_kind": "outdoor", "hourly": "412.50"} in prices, prices


def test_staff_keep_a_holiday_open_and_set_it_back(page: Page) -> None:
    year = local_today().year + 1  # far from the days the other journeys book
    christmas = f"{year}-12-25"
    sign_in_via_api(page, STAFF.email)
    open_page(page, "/closed.html")
    page.get_by_label("År").select_option(str(year))
    expect(page.locator("#closed-status")).to_contain_text(f"Visar {year}:")
    day = page.locator(f"#closed-days li[data-day='{christmas}']")
    expect(day).to_contain_text("Juldagen")
    day.get_by_role("button", name="Håll öppet").click()
    expect(page.locator("#closed-status")).to_have_text(re.compile(rf"^\S+ 25 december {year} är öppen\.$"))
    expect(day).to_have_count(0)
    closed = page.request.get(f"/api/holidays?municipality=sundsvall&year={year}").json()["items"]
    assert christmas not in [d["date"] for d in closed]

    form = page.locator("#day-form")
    form.get_by_label("Datum").fill(christmas)
    form.get_by_label("Som vanligt (ta bort kommunens ändring)").check()
    form.get_by_role("button", name="Spara").click()
    expect(page.locator("#closed-status")).to_have_text(
        re.compile(rf"^\S+ 25 december {year} följer nu kalendern som vanligt\.$"))
    expect(day).to_contain_text("Juldagen")
