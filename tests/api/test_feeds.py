"""Calendar feeds load in a real parser and list exactly what the JSON API lists."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import httpx
import icalendar
import pytest
import time_machine

from booking.adapters.db.database import Database
from tests.api.test_bookings_api import WEEKDAY_EVENINGS, _open_and_verify
from tests.conftest import World, build_world, make_app

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def _events(body: bytes) -> list[icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(body)
    return [c for c in calendar.walk("VEVENT") if isinstance(c, icalendar.Event)]


def _as_tuples(events: list[icalendar.Event]) -> list[tuple[str, datetime, datetime, str]]:
    return sorted((str(e["UID"]), e.decoded("DTSTART").astimezone(UTC), e.decoded("DTEND").astimezone(UTC),
                   str(e["STATUS"]).lower()) for e in events)


async def _weekly_series(client: httpx.AsyncClient, world: World) -> dict:
    rep = world["association_rep"].headers
    requested = await client.post("/api/bookings", headers=rep, json={
        "space_id": world.space_id, "title": "Innebandy P12", "association_id": world.association_id,
        "date": "2027-01-14", "start": "18:00", "end": "19:30",
        "recurrence": {"weekdays": [3], "until": "2027-06-10"}})
    assert requested.status_code == 201, requested.text
    approved = await client.post(f"/api/booking-series/{requested.json()['series_id']}/decision",
                                 headers=world["premises_staff"].headers, json={"approve": True})
    assert approved.status_code == 200
    return requested.json()


@time_machine.travel("2026-12-20T09:00:00+01:00", tick=True)
async def test_site_feed_equals_the_api_and_keeps_1800_local_across_dst(client: httpx.AsyncClient,
                                                                         world: World) -> None:
    await _open_and_verify(client, world)
    await _weekly_series(client, world)
    feed = await client.get(f"/feeds/sites/{world.site_id}.ics")
    assert feed.status_code == 200
    assert feed.headers["content-type"] == "text/calendar; charset=utf-8"
    body = feed.content
    assert b"\r\n" in body and b"\n" not in body.replace(b"\r\n", b"")  # CRLF only
    assert all(len(line) <= 75 for line in body.split(b"\r\n"))
    for line in body.split(b"\r\n"):
        line.decode("utf-8")  # folding never splits a UTF-8 character
    calendar = icalendar.Calendar.from_ical(body)
    assert str(calendar["X-WR-CALNAME"]).startswith("Testskolan")
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Stockholm"]
    # How often subscribers refetch, as RFC 7986 and the X-PUBLISHED-TTL that Outlook reads: ISO 8601 durations.
    assert b"\r\nREFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in body
    assert b"\r\nX-PUBLISHED-TTL:PT1H\r\n" in body
    events = _events(body)
    assert len(events) == 21
    for event in events:
        start = event.decoded("DTSTART")
        assert event["DTSTART"].params["TZID"] == "Europe/Stockholm"
        assert start.astimezone(STOCKHOLM).time() == time(18, 0)
        assert str(event["SUMMARY"]) == "Bokad"  # the association did not choose to be public
    api = (await client.get(f"/api/sites/{world.site_id}/calendar")).json()
    assert _as_tuples(events) == sorted(
        (i["uid"], datetime.fromisoformat(i["starts_at"]), datetime.fromisoformat(i["ends_at"]), i["status"])
        for i in api["items"])
    assert "Test IF" not in feed.text


@time_machine.travel("2026-12-20T09:00:00+01:00", tick=True)
async def test_conditional_requests_and_cancellation(client: httpx.AsyncClient, world: World) -> None:
    await _open_and_verify(client, world)
    outcome = await _weekly_series(client, world)
    url = f"/feeds/spaces/{world.space_id}.ics"
    first = await client.get(url)
    etag = first.headers["etag"]
    assert first.headers["last-modified"]
    again = await client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    booking_id = outcome["bookings"][0]["id"]
    await client.post(f"/api/bookings/{booking_id}/cancellation", headers=world["association_rep"].headers, json={})
    changed = await client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag
    by_uid = {str(e["UID"]): e for e in _events(changed.content)}
    cancelled = next(e for uid, e in by_uid.items() if uid.startswith(booking_id))
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert int(str(cancelled["SEQUENCE"])) > 1  # approved (1), then cancelled (2)
    assert len(by_uid) == 21  # a cancelled occurrence stays so calendars remove it


@time_machine.travel("2026-12-20T09:00:00+01:00", tick=True)
async def test_association_feed_is_private_rotatable_and_equals_my_bookings(client: httpx.AsyncClient,
                                                                            world: World) -> None:
    await _open_and_verify(client, world)
    await _weekly_series(client, world)
    rep = world["association_rep"].headers
    refused = await client.post(f"/api/associations/{world.association_id}/feed-token",
                                headers=world["guardian"].headers)
    assert refused.status_code == 404
    link = (await client.post(f"/api/associations/{world.association_id}/feed-token", headers=rep)).json()["url"]
    assert link.startswith("http://testserver/feeds/associations/")
    token = link.rsplit("/", 1)[1].removesuffix(".ics")
    assert len(token) >= 43  # 256 bits
    feed = await client.get(link.removeprefix("http://testserver"))
    assert feed.status_code == 200
    events = _events(feed.content)
    assert {str(e["SUMMARY"]) for e in events} == {"Innebandy P12"}
    mine = (await client.get("/api/bookings", headers=rep,
                             params={"association_id": world.association_id, "limit": 200})).json()
    assert _as_tuples(events) == sorted(
        (f"{b['id']}@testserver", datetime.fromisoformat(b["starts_at"]), datetime.fromisoformat(b["ends_at"]),
         {"approved": "confirmed", "pending": "tentative"}.get(b["status"], "cancelled")) for b in mine["items"])
    await client.post(f"/api/associations/{world.association_id}/feed-token", headers=rep)
    assert (await client.get(link.removeprefix("http://testserver"))).status_code == 404  # rotated away


@time_machine.travel("2026-12-20T09:00:00+01:00", tick=True)
async def test_public_feeds_show_only_what_was_approved(client: httpx.AsyncClient, world: World) -> None:
    """Pending, rejected and cancelled-while-pending requests never reach the public; an approval
    does, and its later cancellation stays (CANCELLED)."""
    await _open_and_verify(client, world)
    rep, staff = world["association_rep"].headers, world["premises_staff"].headers
    made = []
    for day in ("2027-01-11", "2027-01-12", "2027-01-13", "2027-01-14"):
        r = await client.post("/api/bookings", headers=rep, json={
            "space_id": world.space_id, "title": "Styrelsemöte", "association_id": world.association_id,
            "date": day, "start": "18:00", "end": "19:00"})
        assert r.status_code == 201, r.text
        made.append(r.json()["bookings"][0]["id"])
    pending, rejected, withdrawn, approved = made
    assert (await client.post(f"/api/bookings/{rejected}/decision", headers=staff,
                              json={"approve": False, "reason": "Skolan använder salen."})).status_code == 200
    assert (await client.post(f"/api/bookings/{withdrawn}/cancellation", headers=rep, json={})).status_code == 200
    assert (await client.post(f"/api/bookings/{approved}/decision", headers=staff,
                              json={"approve": True})).status_code == 200

    async def public() -> tuple[dict[str, str], dict[str, str]]:
        feed = await client.get(f"/feeds/sites/{world.site_id}.ics")
        assert feed.status_code == 200
        api = (await client.get(f"/api/spaces/{world.space_id}/calendar")).json()
        return ({str(e["UID"]).split("@")[0]: str(e["STATUS"]) for e in _events(feed.content)},
                {i["id"]: i["status"] for i in api["items"]})

    assert await public() == ({approved: "CONFIRMED"}, {approved: "confirmed"})
    assert pending  # still pending: not public
    assert (await client.post(f"/api/bookings/{approved}/cancellation", headers=rep, json={})).status_code == 200
    assert await public() == ({approved: "CANCELLED"}, {approved: "cancelled"})


@time_machine.travel("2026-12-20T09:00:00+01:00", tick=True)
async def test_feed_follows_a_change_of_the_municipalitys_zone(client: httpx.AsyncClient, world: World) -> None:
    """The feed remembers a site's zone between requests; a new zone is seen at once."""
    await _open_and_verify(client, world)
    await _weekly_series(client, world)
    url = f"/feeds/sites/{world.site_id}.ics"
    before = await client.get(url)
    assert [str(tz["TZID"]) for tz in icalendar.Calendar.from_ical(before.content).walk("VTIMEZONE")] == [
        "Europe/Stockholm"]
    changed = await client.patch(f"/api/municipalities/{world.municipality_id}", headers=world["admin"].headers,
                                 json={"timezone": "Europe/Helsinki"})
    assert changed.status_code == 200, changed.text
    after = await client.get(url, headers={"If-None-Match": before.headers["etag"]})
    assert after.status_code == 200
    events = _events(after.content)
    assert {e["DTSTART"].params["TZID"] for e in events} == {"Europe/Helsinki"}
    assert {e.decoded("DTSTART").astimezone(ZoneInfo("Europe/Helsinki")).hour for e in events} == {19}
    missing = await client.get("/feeds/sites/019e86ea-df64-7385-a272-8c93c4f27000.ics")
    assert missing.status_code == 404


@pytest.fixture
async def api(db: Database) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=make_app(db)),
                                 base_url="http://testserver") as client:
        yield client


async def _feed_uids(api: httpx.AsyncClient, space_id: str) -> tuple[set[str], set[str], str]:
    feed = await api.get(f"/feeds/spaces/{space_id}.ics")
    assert feed.status_code == 200, feed.text
    twin = (await api.get(f"/api/spaces/{space_id}/calendar")).json()
    return {str(e["UID"]) for e in _events(feed.content)}, {i["uid"] for i in twin["items"]}, feed.headers["etag"]


@time_machine.travel("2026-12-20T09:00:00+01:00", tick=True)
async def test_a_divisible_halls_feed_shows_its_parts_and_a_parts_feed_the_whole(api: httpx.AsyncClient,
                                                                                 db: Database) -> None:
    """Both halves booked: the whole hall is busy, and its feed (and JSON twin) says by what; a half
    shows the whole hall's bookings but not the other half's; the site feed lists each booking once."""
    world = await build_world(db, api)
    admin, staff = world["admin"].headers, world["premises_staff"].headers
    hall = (await api.post("/api/spaces", headers=admin, json={
        "site_id": world.site_id, "name": "Sporthallen", "kind": "hall", "capacity": 200})).json()
    halves = [(await api.post("/api/spaces", headers=admin, json={
        "site_id": world.site_id, "name": f"Sporthallen {x}", "kind": "hall", "capacity": 100,
        "parent_id": hall["id"]})).json() for x in "AB"]
    for space in (hall, *halves):
        hours = await api.put(f"/api/spaces/{space['id']}/opening-hours", headers=staff, json=WEEKDAY_EVENINGS)
        assert hours.status_code == 200, hours.text
    whole_empty = await api.get(f"/feeds/spaces/{hall['id']}.ics")
    booked = {}
    for space, day in ((halves[0], "2027-02-04"), (halves[1], "2027-02-04"), (hall, "2027-02-05")):
        made = await api.post("/api/bookings", headers=staff, json={
            "space_id": space["id"], "title": "Träning", "date": day, "start": "18:00", "end": "19:30"})
        assert made.status_code == 201, made.text
        booked[(space["name"], day)] = f"{made.json()['bookings'][0]['id']}@testserver"
    half_a, half_b = booked[("Sporthallen A", "2027-02-04")], booked[("Sporthallen B", "2027-02-04")]
    whole = booked[("Sporthallen", "2027-02-05")]

    busy = (await api.get(f"/api/spaces/{hall['id']}/availability",
                          params={"from": "2027-02-04", "to": "2027-02-04"})).json()["days"][0]["busy"]
    assert [(i["local_start"], i["local_end"]) for i in busy] == [("18:00", "19:30")]
    feed, twin, etag = await _feed_uids(api, hall["id"])
    assert feed == twin == {half_a, half_b, whole}
    # the feed changed since it was empty: a conditional request with the old ETag gets the new feed
    stale = await api.get(f"/feeds/spaces/{hall['id']}.ics", headers={"If-None-Match": whole_empty.headers["etag"]})
    assert stale.status_code == 200
    fresh = await api.get(f"/feeds/spaces/{hall['id']}.ics", headers={"If-None-Match": etag})
    assert fresh.status_code == 304
    body = (await api.get(f"/feeds/spaces/{hall['id']}.ics")).content
    locations = {str(e["UID"]): str(e["LOCATION"]) for e in _events(body)}
    assert locations[half_a].startswith("Sporthallen A") and locations[whole].startswith("Sporthallen,")
    for part, own, other in ((halves[0], half_a, half_b), (halves[1], half_b, half_a)):
        feed, twin, _ = await _feed_uids(api, part["id"])
        assert feed == twin == {own, whole}
        assert other not in feed
    site = await api.get(f"/feeds/sites/{world.site_id}.ics")
    uids = [str(e["UID"]) for e in _events(site.content)]
    assert sorted(uids) == sorted({half_a, half_b, whole}) and len(uids) == 3
    site_twin = [i["uid"] for i in (await api.get(f"/api/sites/{world.site_id}/calendar")).json()["items"]]
    assert sorted(site_twin) == sorted(uids)
    # a space that is not divisible shows only its own
    feed, twin, _ = await _feed_uids(api, world.space_id)
    assert feed == twin == set()
