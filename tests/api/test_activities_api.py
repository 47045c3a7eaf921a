"""Holiday activities over HTTP: publishing with sessions in a holiday, the public listing and its
feeds (parsed with icalendar, equal to the JSON list), sign-ups with the waiting list, tickets,
cancellation by link, attendance, and the follow-up report."""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import icalendar
import pytest
import time_machine

from tests.conftest import World

STOCKHOLM = ZoneInfo("Europe/Stockholm")
EVERY_DAY = {"general": [{"weekday": d, "opens": "08:00", "closes": "20:00"} for d in range(7)]}


@pytest.fixture(autouse=True)
def before_the_sessions() -> Iterator[None]:
    """The sessions below lie in February and March 2027: the clock stands before them on any run."""
    with time_machine.travel("2026-12-01T09:00:00+01:00", tick=True):
        yield


async def _activity(client: httpx.AsyncClient, world: World, **changes: Any) -> dict[str, Any]:
    body = {"title": "Prova på klättring", "category": "idrott", "organiser": "Fritid Sundsvall", "age_min": 6,
            "age_max": 15, "capacity": 12, "description": "Klättring för alla.", "area_id": world.area_id,
            "translations": {"en": {"title": "Try climbing", "description": "Climbing for all."}}, **changes}
    created = await client.post("/api/activities", headers=world["activities_staff"].headers, json=body)
    assert created.status_code == 201, created.text
    return dict(created.json())


async def _publish(client: httpx.AsyncClient, world: World, activity_id: str) -> None:
    done = await client.post(f"/api/activities/{activity_id}/publication", headers=world["activities_staff"].headers)
    assert done.status_code == 200, done.text
    assert done.json()["status"] == "published"


async def _pasklov(client: httpx.AsyncClient, world: World) -> str:
    staff = world["activities_staff"].headers
    generated = await client.post("/api/holiday-periods/generated", headers=staff,
                                  json={"year": 2027, "sportlov_week": 7})
    assert generated.status_code == 201, generated.text
    assert {p["kind"] for p in generated.json()} == {"sportlov", "pasklov", "sommarlov", "hostlov", "jullov"}
    moved = await client.put("/api/holiday-periods/2027/pasklov", headers=staff,
                             json={"first_day": "2027-03-25", "last_day": "2027-04-01"})
    assert moved.status_code == 200, moved.text
    return str(moved.json()["id"])


def _feed_events(body: bytes) -> dict[str, Any]:
    calendar = icalendar.Calendar.from_ical(body)
    assert calendar.walk("VTIMEZONE"), "a VTIMEZONE for the TZID"
    return {str(e["UID"]).split("@")[0].removeprefix("activity-"): e for e in calendar.walk("VEVENT")}


async def test_pasklov_2027_across_dst_in_api_and_feed_and_the_feed_equals_the_list(
        client: httpx.AsyncClient, world: World) -> None:
    hours = await client.put(f"/api/spaces/{world.space_id}/opening-hours", headers=world["premises_staff"].headers,
                             json=EVERY_DAY)
    assert hours.status_code == 200, hours.text
    period_id = await _pasklov(client, world)
    activity = await _activity(client, world, space_id=world.space_id)
    added = await client.post(f"/api/activities/{activity['id']}/sessions", headers=world["activities_staff"].headers,
                              json={"start": "10:00", "end": "12:00", "period_id": period_id})
    assert added.status_code == 201, added.text
    sessions = added.json()["sessions"]
    # every day the school is open: not långfredagen, påskafton, påskdagen, annandag påsk
    assert [x["local_date"] for x in sessions] == ["2027-03-25", "2027-03-30", "2027-03-31", "2027-04-01"]
    assert {x["date"] for x in added.json()["skipped"]} == {"2027-03-26", "2027-03-27", "2027-03-28", "2027-03-29"}
    await _publish(client, world, activity["id"])

    listed = await client.get("/api/activity-sessions", params={"municipality": world.slug, "period_id": period_id,
                                                                "limit": 200})
    assert listed.status_code == 200, listed.text
    items = listed.json()["items"]
    assert len(items) == 4
    for item in items:
        start = datetime.fromisoformat(item["starts_at"]).astimezone(STOCKHOLM)
        assert (item["local_start"], start.hour, start.minute) == ("10:00", 10, 0)
    feed = await client.get(f"/feeds/activities/{world.slug}.ics", params={"period_id": period_id})
    assert feed.status_code == 200, feed.text
    assert feed.headers["content-type"].startswith("text/calendar")
    events = _feed_events(feed.content)
    assert set(events) == {x["id"] for x in items}
    for item in items:
        event = events[item["id"]]
        start = event.decoded("DTSTART")
        assert start.tzinfo is not None and start.astimezone(STOCKHOLM).hour == 10
        assert start.astimezone(UTC) == datetime.fromisoformat(item["starts_at"]).astimezone(UTC)
        assert str(event["SUMMARY"]) == item["title"]
    # conditional request
    again = await client.get(f"/feeds/activities/{world.slug}.ics", params={"period_id": period_id},
                             headers={"If-None-Match": feed.headers["etag"]})
    assert again.status_code == 304

    # cancel one: it stays in the list and the feed, cancelled, with a higher SEQUENCE
    first = items[0]
    cancelled = await client.post(f"/api/activity-sessions/{first['id']}/cancellation",
                                  headers=world["activities_staff"].headers, json={"reason": "Sjukdom"})
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["status"] == "cancelled"
    events = _feed_events((await client.get(f"/feeds/activities/{world.slug}.ics",
                                            params={"period_id": period_id})).content)
    listed_after = (await client.get("/api/activity-sessions", params={"municipality": world.slug,
                                                                       "period_id": period_id})).json()["items"]
    assert set(events) == {x["id"] for x in listed_after}
    assert str(events[first["id"]]["STATUS"]) == "CANCELLED"
    assert int(str(events[first["id"]]["SEQUENCE"])) > int(str(_feed_events(feed.content)[first["id"]]["SEQUENCE"]))
    assert all(str(events[x["id"]]["STATUS"]) == "CONFIRMED" for x in listed_after[1:])
    # the feed never carries personal data
    assert b"Vera" not in feed.content


async def _one_session(client: httpx.AsyncClient, world: World, capacity: int, **changes: Any) -> dict[str, Any]:
    activity = await _activity(client, world, place="Sidsjön", capacity=capacity, **changes)
    added = await client.post(f"/api/activities/{activity['id']}/sessions", headers=world["activities_staff"].headers,
                              json={"start": "13:00", "end": "15:00", "date": "2027-02-17"})
    assert added.status_code == 201, added.text
    await _publish(client, world, activity["id"])
    return dict(added.json()["sessions"][0])


async def test_guardian_signs_up_two_children_for_the_last_place_and_the_waiting_one_is_promoted(
        client: httpx.AsyncClient, world: World) -> None:
    session = await _one_session(client, world, capacity=2)
    guardian = world["guardian"].headers
    other = await client.post(f"/api/activity-sessions/{session['id']}/registrations", headers=guardian,
                              json={"children": [{"first_name": "Ester", "birth_year": 2015}]})
    assert other.status_code == 201, other.text
    signed = await client.post(f"/api/activity-sessions/{session['id']}/registrations", headers=guardian, json={
        "children": [{"first_name": "Alva", "birth_year": 2016, "gender": "female", "needs": "Nötallergi"},
                     {"first_name": "Bo", "birth_year": 2018, "gender": "male"}]})
    assert signed.status_code == 201, signed.text
    alva, bo = signed.json()["registrations"]
    assert (alva["status"], bo["status"]) == ("confirmed", "waiting")
    # public views show counts, never children
    public = (await client.get("/api/activity-sessions", params={"municipality": world.slug})).json()["items"]
    mine = next(x for x in public if x["id"] == session["id"])
    assert (mine["free_places"], mine["waiting"]) == (0, 1)
    assert "Alva" not in str(public)
    # needs: only to the activity's staff (and the guardian's own account)
    roster = await client.get(f"/api/activity-sessions/{session['id']}/registrations",
                              headers=world["activities_staff"].headers)
    assert [p["needs"] for p in roster.json()["participants"] if p["first_name"] == "Alva"] == ["Nötallergi"]
    denied = await client.get(f"/api/activity-sessions/{session['id']}/registrations", headers=guardian)
    assert denied.status_code == 403
    # the ticket is a real QR code of the ticket URL
    ticket = await client.get(f"/api/registrations/{alva['id']}/ticket.svg", headers=guardian)
    assert ticket.status_code == 200 and ticket.content.startswith(b"<?xml")
    assert (await client.get(f"/api/registrations/{alva['id']}/ticket.svg",
                             headers=world["borrower"].headers)).status_code == 404
    # staff cancel the confirmed child: the waiting child gets the place
    cancelled = await client.post(f"/api/registrations/{alva['id']}/cancellation",
                                  headers=world["activities_staff"].headers)
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["promoted"] == 1
    mine = (await client.get("/api/registrations", headers=guardian)).json()["items"]
    assert {r["first_name"]: r["status"] for r in mine} == {"Ester": "confirmed", "Alva": "cancelled",
                                                            "Bo": "confirmed"}
    # the outbox told Bo's guardian
    async with client._transport.app.state.db.read_sessions() as s:  # type: ignore[attr-defined]
        import sqlalchemy as sa

        from booking.adapters.db import tables as t
        kinds = Counter((await s.execute(sa.select(t.outbox.c.kind).where(
            t.outbox.c.recipient == world["guardian"].email))).scalars().all())
    assert kinds["activity.promoted"] == 1 and kinds["activity.waiting"] == 1
    # cancel by link (no sign-in): Ester's link from the answer
    link = other.json()["cancel_urls"][0]
    token = link.split("cancel=")[1]
    by_link = await client.post("/api/registration-cancellations", json={"token": token})
    assert by_link.status_code == 200, by_link.text
    assert by_link.json()["registration"]["needs"] is None
    again = await client.post("/api/registration-cancellations", json={"token": token})
    assert again.status_code == 409


async def test_attendance_by_ticket_and_list_and_drop_in_counts_feed_the_follow_up(
        client: httpx.AsyncClient, world: World) -> None:
    staff = world["activities_staff"].headers
    generated = await client.post("/api/holiday-periods/generated", headers=staff, json={"year": 2027,
                                                                                        "sportlov_week": 7})
    sportlov = next(p for p in generated.json() if p["kind"] == "sportlov")
    session = await _one_session(client, world, capacity=3)
    children = [("Alva", 2018, "female"), ("Bo", 2015, "male"), ("Cleo", 2013, "female"), ("Dan", 2012, None)]
    signed = (await client.post(f"/api/activity-sessions/{session['id']}/registrations",
                                headers=world["guardian"].headers,
                                json={"children": [{"first_name": n, "birth_year": y, "gender": g}
                                                   for n, y, g in children]})).json()["registrations"]
    assert [r["status"] for r in signed] == ["confirmed"] * 3 + ["waiting"]
    scanned = await client.post(f"/api/activity-sessions/{session['id']}/check-ins", headers=staff,
                                json={"ticket": signed[0]["ticket_url"]})
    assert scanned.status_code == 200 and scanned.json()["attended"] is True
    listed = await client.put(f"/api/activity-sessions/{session['id']}/registrations/{signed[1]['id']}/attendance",
                              headers=staff, json={"present": True})
    assert listed.status_code == 200
    wrong = await client.post(f"/api/activity-sessions/{session['id']}/check-ins", headers=staff,
                              json={"ticket": "http://testserver/registrations.html?ticket=" + "x" * 22})
    assert wrong.status_code == 422
    drop_in = await _one_session(client, world, capacity=50, signup_required=False)
    counted = await client.put(f"/api/activity-sessions/{drop_in['id']}/visitors", headers=staff, json={
        "visitors": [{"gender": "female", "age_group": "10-12", "count": 7},
                     {"gender": "male", "age_group": "13-15", "count": 5}]})
    assert counted.status_code == 200, counted.text

    report = await client.get("/api/activity-follow-up", headers=staff, params={"period_id": sportlov["id"]})
    assert report.status_code == 200, report.text
    r = report.json()
    # independently: 3 confirmed children + 12 drop-in visitors, by their groups in 2027
    confirmed = children[:3]
    expect_gender = Counter(g or "unknown" for _, _, g in confirmed) + Counter({"female": 7, "male": 5})
    ages = {2018: "6-9", 2015: "10-12", 2013: "13-15"}
    expect_groups = Counter(ages[y] for _, y, _ in confirmed) + Counter({"10-12": 7, "13-15": 5})
    assert (r["activities"], r["sessions"], r["sign_ups"], r["waiting"], r["attended"], r["drop_in_visitors"]) == (
        2, 2, 3, 1, 2, 12)
    assert r["places"] == 3  # drop-in sessions offer no counted places
    assert r["participants_by_gender"] == dict(expect_gender)
    assert r["participants_by_age_group"] == dict(expect_groups)
    # by home area: these sign-ups gave none (unknown), and drop-in visitors are never given to an area
    nacksta = next(a for a in r["equity"] if a["area_id"] == world.area_id)
    assert nacksta["participants"] == 0 and r["participants_unknown_home_area"] == 3
    csv_answer = await client.get("/api/activity-follow-up/report.csv", headers=staff,
                                  params={"period_id": sportlov["id"]})
    assert csv_answer.status_code == 200
    rows = list(csv.reader(io.StringIO(csv_answer.content.decode("utf-8-sig")), delimiter=";"))
    values = {(sec, key): val for sec, key, val in rows[1:]}
    assert values[("totals", "sign_ups")] == "3" and values[("totals", "drop_in_visitors")] == "12"
    for group, n in expect_groups.items():
        assert values[("age_group", group)] == str(n)
    for gender, n in expect_gender.items():
        assert values[("gender", gender)] == str(n)


async def test_young_people_sign_themselves_up_from_13_and_associations_need_approval(
        client: httpx.AsyncClient, world: World) -> None:
    session = await _one_session(client, world, capacity=5)
    youth = world["borrower"].headers
    this_year = 2027  # the session's year
    too_young = await client.post(f"/api/activity-sessions/{session['id']}/registrations", headers=youth, json={
        "children": [{"first_name": "Sam", "birth_year": 2027 - 12}], "self_sign_up": True})
    assert too_young.status_code == 422, too_young.text
    assert too_young.json()["errors"][0]["field"] == "children[0].birth_year"
    ok = await client.post(f"/api/activity-sessions/{session['id']}/registrations", headers=youth, json={
        "children": [{"first_name": "Sam", "birth_year": 2027 - 14}], "self_sign_up": True})
    assert ok.status_code == 201, ok.text
    not_guardian = await client.post(f"/api/activity-sessions/{session['id']}/registrations", headers=youth,
                                     json={"children": [{"first_name": "Lillebror", "birth_year": this_year - 8}]})
    assert not_guardian.status_code == 403
    # an association's activity waits for the staff's approval
    rep = world["association_rep"].headers
    created = await client.post("/api/activities", headers=rep, json={
        "title": "Schack för nybörjare", "category": "spel", "organiser": "Test IF", "age_min": 8, "age_max": 14,
        "association_id": world.association_id, "place": "Klubblokalen"})
    assert created.status_code == 201, created.text
    submitted = await client.post(f"/api/activities/{created.json()['id']}/publication", headers=rep)
    assert submitted.json()["status"] == "submitted"
    public = (await client.get("/api/activities", params={"municipality": world.slug})).json()["items"]
    assert created.json()["id"] not in {a["id"] for a in public}
    await _publish(client, world, created.json()["id"])


async def test_a_guardians_private_feed_lists_their_childrens_sessions(client: httpx.AsyncClient,
                                                                        world: World) -> None:
    session = await _one_session(client, world, capacity=5)
    guardian = world["guardian"].headers
    await client.post(f"/api/activity-sessions/{session['id']}/registrations", headers=guardian,
                      json={"children": [{"first_name": "Alva", "birth_year": 2016}]})
    token = await client.post("/api/registrations/feed-token", headers=guardian)
    assert token.status_code == 201
    path = token.json()["url"].removeprefix("http://testserver")
    feed = await client.get(path)
    assert feed.status_code == 200
    assert set(_feed_events(feed.content)) == {session["id"]}
    rotated = await client.post("/api/registrations/feed-token", headers=guardian)
    assert (await client.get(path)).status_code == 404
    assert (await client.get(rotated.json()["url"].removeprefix("http://testserver"))).status_code == 200


async def test_moving_a_session_moves_its_room_tells_those_signed_up_and_raises_the_sequence(
        client: httpx.AsyncClient, world: World) -> None:
    staff = world["activities_staff"].headers
    await client.put(f"/api/spaces/{world.space_id}/opening-hours", headers=world["premises_staff"].headers,
                     json=EVERY_DAY)
    activity = await _activity(client, world, space_id=world.space_id)
    added = await client.post(f"/api/activities/{activity['id']}/sessions", headers=staff,
                              json={"start": "10:00", "end": "12:00", "date": "2027-02-15"})
    assert added.status_code == 201, added.text
    session = added.json()["sessions"][0]
    await _publish(client, world, activity["id"])
    await client.post(f"/api/activity-sessions/{session['id']}/registrations", headers=world["guardian"].headers,
                      json={"children": [{"first_name": "Alva", "birth_year": 2016}]})
    # someone else holds the room on the 16th at 10-11
    other = await client.post("/api/bookings", headers=world["premises_staff"].headers, json={
        "space_id": world.space_id, "title": "Möte", "date": "2027-02-16", "start": "10:00", "end": "11:00"})
    assert other.status_code == 201, other.text
    taken = await client.put(f"/api/activity-sessions/{session['id']}/time", headers=staff,
                             json={"date": "2027-02-16", "start": "10:00", "end": "12:00"})
    assert taken.status_code == 409, taken.text
    unchanged = (await client.get(f"/api/activities/{activity['id']}")).json()["sessions"][0]
    assert (unchanged["local_date"], unchanged["sequence"]) == ("2027-02-15", 0)
    moved = await client.put(f"/api/activity-sessions/{session['id']}/time", headers=staff,
                             json={"date": "2027-02-17", "start": "13:00", "end": "15:00"})
    assert moved.status_code == 200, moved.text
    assert (moved.json()["local_date"], moved.json()["local_start"], moved.json()["sequence"]) == (
        "2027-02-17", "13:00", 1)
    events = _feed_events((await client.get(f"/feeds/activities/{world.slug}.ics")).content)
    event = events[session["id"]]
    assert int(str(event["SEQUENCE"])) == 1
    assert event.decoded("DTSTART").astimezone(STOCKHOLM).hour == 13
    # the room moved with it: the old time is free again, the new one is taken
    again = await client.post("/api/bookings", headers=world["premises_staff"].headers, json={
        "space_id": world.space_id, "title": "Möte", "date": "2027-02-15", "start": "10:00", "end": "11:00"})
    assert again.status_code == 201, again.text
    clash = await client.post("/api/bookings", headers=world["premises_staff"].headers, json={
        "space_id": world.space_id, "title": "Möte", "date": "2027-02-17", "start": "13:00", "end": "14:00"})
    assert clash.status_code == 409
    async with client._transport.app.state.db.read_sessions() as s:  # type: ignore[attr-defined]
        import sqlalchemy as sa

        from booking.adapters.db import tables as t
        told = (await s.execute(sa.select(t.outbox.c.body).where(
            t.outbox.c.kind == "activity.changed", t.outbox.c.recipient == world["guardian"].email))).scalars().all()
    assert len(told) == 1 and "2027-02-17 13:00-15:00" in told[0]


async def _lending_article(client: httpx.AsyncClient, world: World, name: str) -> str:
    lending = world["lending_staff"].headers
    category = await client.post("/api/lending/categories", headers=lending, json={"name": "Klättring"})
    assert category.status_code == 201, category.text
    article = await client.post("/api/lending/articles", headers=lending,
                                json={"category_id": category.json()["id"], "name": name, "variant": "M"})
    assert article.status_code == 201, article.text
    return str(article.json()["id"])


async def _told(client: httpx.AsyncClient, kind: str, email: str) -> list[str]:
    async with client._transport.app.state.db.read_sessions() as s:  # type: ignore[attr-defined]
        import sqlalchemy as sa

        from booking.adapters.db import tables as t
        return list((await s.execute(sa.select(t.outbox.c.body).where(
            t.outbox.c.kind == kind, t.outbox.c.recipient == email))).scalars().all())


async def test_staff_edit_a_published_activity_and_only_a_new_place_is_told_to_those_signed_up(
        client: httpx.AsyncClient, world: World) -> None:
    staff = world["activities_staff"].headers
    session = await _one_session(client, world, capacity=5)
    activity_id = session["activity_id"]
    signed = await client.post(f"/api/activity-sessions/{session['id']}/registrations",
                               headers=world["guardian"].headers,
                               json={"children": [{"first_name": "Alva", "birth_year": 2016}]})
    assert signed.status_code == 201, signed.text
    helmet = await _lending_article(client, world, "Klätterhjälm")
    edited = await client.patch(f"/api/activities/{activity_id}", headers=staff, json={
        "title": "Klättring för alla", "description": "Nu med hjälmar.", "category": "friluftsliv", "age_min": 7,
        "age_max": 14, "target_group": "newcomers", "cost": "20.00", "languages": ["sv", "ar"],
        "wheelchair_access": True, "bring": "Vattenflaska.", "contact": "fritid@example.se",
        "signup_opens_at": "2026-01-01T08:00:00+01:00", "signup_closes_at": "2030-01-01T08:00:00+01:00",
        "lending_articles": [helmet]})
    assert edited.status_code == 200, edited.text
    got = (await client.get(f"/api/activities/{activity_id}")).json()
    a = got["activity"]
    assert (a["title"], a["description"], a["category"], a["age_min"], a["age_max"], a["target_group"]) == (
        "Klättring för alla", "Nu med hjälmar.", "friluftsliv", 7, 14, "newcomers")
    assert (a["cost"], a["languages"], a["wheelchair_access"], a["bring"], a["contact"]) == (
        "20.00", ["sv", "ar"], True, "Vattenflaska.", "fritid@example.se")
    assert datetime.fromisoformat(a["signup_closes_at"]) == datetime(2030, 1, 1, 7, tzinfo=UTC)
    assert got["borrowable"] == [{"id": helmet, "name": "Klätterhjälm M"}]
    # the listing shows the new title; descriptive changes tell nobody
    listed = (await client.get("/api/activity-sessions", params={"municipality": world.slug})).json()["items"]
    assert [x["title"] for x in listed if x["id"] == session["id"]] == ["Klättring för alla"]
    email = world["guardian"].email
    assert await _told(client, "activity.place_changed", email) == []
    moved = await client.patch(f"/api/activities/{activity_id}", headers=staff, json={"place": "Klätterväggen"})
    assert moved.status_code == 200, moved.text
    told = await _told(client, "activity.place_changed", email)
    assert len(told) == 1 and "Klätterväggen" in told[0]
    # the same place again is no change and tells nobody again
    await client.patch(f"/api/activities/{activity_id}", headers=staff, json={"place": "Klätterväggen"})
    assert len(await _told(client, "activity.place_changed", email)) == 1
    # a guardian may not edit; a cancelled activity cannot be edited
    refused = await client.patch(f"/api/activities/{activity_id}", headers=world["guardian"].headers,
                                 json={"title": "Mitt namn"})
    assert refused.status_code == 403
    await client.post(f"/api/activities/{activity_id}/cancellation", headers=staff, json={})
    late = await client.patch(f"/api/activities/{activity_id}", headers=staff, json={"title": "Igen"})
    assert late.status_code == 409, late.text
    assert (await client.get(f"/api/activities/{activity_id}")).json()["activity"]["title"] == "Klättring för alla"


async def test_an_association_edits_its_draft_staff_send_it_back_with_a_reason_then_approve(
        client: httpx.AsyncClient, world: World) -> None:
    rep, staff = world["association_rep"].headers, world["activities_staff"].headers
    created = await client.post("/api/activities", headers=rep, json={
        "title": "Schack", "category": "spel", "organiser": "Test IF", "age_min": 8, "age_max": 14,
        "association_id": world.association_id, "place": "Klubblokalen"})
    assert created.status_code == 201, created.text
    activity_id = created.json()["id"]
    edited = await client.patch(f"/api/activities/{activity_id}", headers=rep, json={"title": "Schack för nybörjare"})
    assert edited.status_code == 200, edited.text
    not_submitted = await client.post(f"/api/activities/{activity_id}/return", headers=staff,
                                      json={"reason": "Saknar kontakt"})
    assert not_submitted.status_code == 409
    submitted = await client.post(f"/api/activities/{activity_id}/publication", headers=rep)
    assert submitted.json()["status"] == "submitted"
    # the representative cannot send it back nor approve it
    assert (await client.post(f"/api/activities/{activity_id}/return", headers=rep,
                              json={"reason": "x"})).status_code == 403
    assert (await client.post(f"/api/activities/{activity_id}/publication", headers=rep)).status_code == 409
    returned = await client.post(f"/api/activities/{activity_id}/return", headers=staff,
                                 json={"reason": "Skriv vem man kontaktar."})
    assert returned.status_code == 200, returned.text
    mine = (await client.get("/api/activities", headers=rep, params={"status": "draft"})).json()["items"]
    seen = [a for a in mine if a["id"] == activity_id]
    assert [(a["status"], a["review_note"]) for a in seen] == [("draft", "Skriv vem man kontaktar.")]
    told = await _told(client, "activity.sent_back", world["association_rep"].email)  # with the reason
    assert len(told) == 1 and "Schack för nybörjare" in told[0] and "Skriv vem man kontaktar." in told[0], told
    fixed = await client.patch(f"/api/activities/{activity_id}", headers=rep, json={"contact": "schack@test.se"})
    assert fixed.status_code == 200, fixed.text
    again = await client.post(f"/api/activities/{activity_id}/publication", headers=rep)
    assert (again.json()["status"], again.json()["review_note"]) == ("submitted", None)
    await _publish(client, world, activity_id)
    # published: the association asks the staff to change it
    late = await client.patch(f"/api/activities/{activity_id}", headers=rep, json={"title": "Schack 2"})
    assert late.status_code == 409, late.text
    assert (await client.get(f"/api/activities/{activity_id}")).json()["activity"]["title"] == "Schack för nybörjare"


async def test_moving_a_session_onto_a_childs_other_session_is_refused_naming_the_registration(
        client: httpx.AsyncClient, world: World) -> None:
    staff, guardian = world["activities_staff"].headers, world["guardian"].headers
    ids = []
    for day in ("2027-02-15", "2027-02-16"):
        activity = await _activity(client, world)
        added = await client.post(f"/api/activities/{activity['id']}/sessions", headers=staff,
                                  json={"start": "10:00", "end": "12:00", "date": day})
        assert added.status_code == 201, added.text
        await _publish(client, world, activity["id"])
        session_id = added.json()["sessions"][0]["id"]
        signed = await client.post(f"/api/activity-sessions/{session_id}/registrations", headers=guardian,
                                   json={"children": [{"first_name": "Alva", "birth_year": 2016}]})
        assert signed.status_code == 201, signed.text
        ids.append((session_id, signed.json()["registrations"][0]["id"], activity["id"]))
    (first, first_registration, first_activity), (second, _, _) = ids
    clash = await client.put(f"/api/activity-sessions/{first}/time", headers=staff,
                             json={"date": "2027-02-16", "start": "11:00", "end": "13:00"})
    assert clash.status_code == 409, clash.text
    assert [(c["registration_id"], c["session_id"]) for c in clash.json()["conflicts"]] == [
        (first_registration, second)]
    unmoved = (await client.get(f"/api/activities/{first_activity}")).json()["sessions"][0]
    assert (unmoved["local_date"], unmoved["sequence"]) == ("2027-02-15", 0)
    free = await client.put(f"/api/activity-sessions/{first}/time", headers=staff,
                            json={"date": "2027-02-16", "start": "13:00", "end": "15:00"})
    assert free.status_code == 200, free.text


async def test_an_unknown_feed_is_404_and_a_feed_names_its_charset_once(
        client: httpx.AsyncClient, world: World) -> None:
    unknown = await client.get("/feeds/activities/no-such-municipality.ics")
    assert unknown.status_code == 404, unknown.text
    assert unknown.headers["content-type"].startswith("application/problem+json")
    assert unknown.json()["status"] == 404
    feed = await client.get(f"/feeds/activities/{world.slug}.ics")
    assert feed.status_code == 200, feed.text
    assert feed.headers["content-type"] == "text/calendar; charset=utf-8"
    again = await client.get(f"/feeds/activities/{world.slug}.ics", headers={"If-None-Match": feed.headers["etag"]})
    assert again.status_code == 304
    token = await client.post("/api/registrations/feed-token", headers=world["guardian"].headers)
    assert token.status_code == 201, token.text
    private = await client.get(token.json()["url"].removeprefix("http://testserver"))
    assert private.status_code == 200, private.text
    assert private.headers["content-type"] == "text/calendar; charset=utf-8"
