"""An association moving an approved (allocated) time: the move waits for staff, the old time holds
until they decide, feeds keep it, and the association is told the decision; on both engines."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import icalendar
import pytest
import sqlalchemy as sa
import time_machine

from booking.adapters.db import tables as t
from booking.adapters.db.database import Database
from tests.api.test_bookings_api import _open_and_verify
from tests.conftest import World, build_world, make_app

TUESDAY, SATURDAY = "2027-02-09", "2027-02-13"


@pytest.fixture
async def api(db: Database) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=make_app(db)),
                                 base_url="http://testserver") as client:
        yield client


async def _messages(db: Database, recipient: str, kind: str = "") -> list[tuple[str, str]]:
    """(kind, body) of the outbox messages to `recipient` whose kind starts with `kind`, in order."""
    async with db.read_sessions() as s:
        rows = (await s.execute(sa.select(t.outbox.c.kind, t.outbox.c.body)
                                .where(t.outbox.c.recipient == recipient).order_by(t.outbox.c.created_at))).all()
    return [(r[0], r[1]) for r in rows if r[0].startswith(kind)]


async def _move_messages(db: Database, world: World) -> list[str]:
    return [k for k, _ in await _messages(db, world["association_rep"].email, "booking.move")]


async def _busy(api: httpx.AsyncClient, world: World, day: str) -> list[tuple[str, str]]:
    plan = (await api.get(f"/api/spaces/{world.space_id}/availability", params={"from": day, "to": day})).json()
    return [(i["local_start"], i["local_end"]) for i in plan["days"][0]["busy"]]


async def _feed_starts(api: httpx.AsyncClient, path: str) -> set[str]:
    feed = await api.get(path)
    assert feed.status_code == 200, feed.text
    return {e.decoded("DTSTART").date().isoformat() for e in icalendar.Calendar.from_ical(feed.content).walk("VEVENT")}


async def _allocated_tuesdays(api: httpx.AsyncClient, world: World) -> list[dict[str, Any]]:
    """The association's approved Tuesday evenings (as the allocation round publishes them)."""
    await _open_and_verify(api, world)
    series = await api.post("/api/bookings", headers=world["premises_staff"].headers, json={
        "space_id": world.space_id, "title": "Innebandy P12", "association_id": world.association_id,
        "date": "2027-02-02", "start": "18:00", "end": "19:30", "recurrence": {"weekdays": [1], "count": 4}})
    assert series.status_code == 201, series.text
    bookings = sorted(series.json()["bookings"], key=lambda b: b["starts_at"])
    assert {b["status"] for b in bookings} == {"approved"}
    return bookings


@time_machine.travel("2026-12-01T09:00:00+01:00", tick=True)
async def test_an_associations_move_waits_for_staff_and_the_old_time_holds(api: httpx.AsyncClient,
                                                                          db: Database) -> None:
    world = await build_world(db, api)
    rep, staff = world["association_rep"].headers, world["premises_staff"].headers
    tuesdays = await _allocated_tuesdays(api, world)
    tuesday = next(b for b in tuesdays if b["local_date"] == TUESDAY)
    feed_token = (await api.post(f"/api/associations/{world.association_id}/feed-token", headers=rep)).json()["url"]
    private_feed = feed_token.removeprefix("http://testserver")

    asked = await api.post(f"/api/bookings/{tuesday['id']}/move", headers=rep,
                           json={"date": SATURDAY, "start": "10:00", "end": "11:30"})
    assert asked.status_code == 200, asked.text
    waiting = asked.json()
    assert waiting["status"] == "approved" and (waiting["local_date"], waiting["local_start"]) == (TUESDAY, "18:00")
    change = waiting["pending_change"]
    assert (change["local_date"], change["local_start"], change["local_end"]) == (SATURDAY, "10:00", "11:30")
    assert change["space_id"] == world.space_id
    # the old time still holds; the Saturday is not taken; every feed keeps the Tuesday
    assert await _busy(api, world, TUESDAY) == [("18:00", "19:30")]
    assert await _busy(api, world, SATURDAY) == []
    for path in (f"/feeds/spaces/{world.space_id}.ics", f"/feeds/sites/{world.site_id}.ics", private_feed):
        starts = await _feed_starts(api, path)
        assert TUESDAY in starts and SATURDAY not in starts, path
    # the association sees the waiting move; staff find it among the changes to decide
    seen = (await api.get(f"/api/bookings/{tuesday['id']}", headers=rep)).json()
    assert seen["pending_change"]["id"] == change["id"]
    queue = (await api.get("/api/bookings", headers=staff, params={"pending_change": "true"})).json()
    assert [b["id"] for b in queue["items"]] == [tuesday["id"]]
    assert await _move_messages(db, world) == ["booking.move_requested"]
    # only staff decide, and only their municipality's
    assert (await api.post(f"/api/booking-changes/{change['id']}/decision", headers=rep,
                           json={"approve": True})).status_code == 403
    other = await build_world(db, api)
    assert (await api.post(f"/api/booking-changes/{change['id']}/decision", headers=other["premises_staff"].headers,
                           json={"approve": True})).status_code == 404

    # the Saturday is taken meanwhile: approving answers 409 and nothing moves
    taken = await api.post("/api/bookings", headers=staff, json={
        "space_id": world.space_id, "title": "Kommunens dag", "date": SATURDAY, "start": "11:00", "end": "12:00"})
    assert taken.status_code == 201, taken.text
    clash = await api.post(f"/api/booking-changes/{change['id']}/decision", headers=staff, json={"approve": True})
    assert clash.status_code == 409, clash.text
    assert clash.json()["conflicts"][0]["booking_id"] == taken.json()["bookings"][0]["id"]
    assert await _busy(api, world, TUESDAY) == [("18:00", "19:30")]
    still = (await api.get(f"/api/bookings/{tuesday['id']}", headers=rep)).json()
    assert still["local_date"] == TUESDAY and still["pending_change"]["id"] == change["id"]
    await api.post(f"/api/bookings/{taken.json()['bookings'][0]['id']}/cancellation", headers=staff, json={})

    approved = await api.post(f"/api/booking-changes/{change['id']}/decision", headers=staff, json={"approve": True})
    assert approved.status_code == 200, approved.text
    moved = approved.json()["bookings"][0]
    assert approved.json()["approved"] is True
    assert (moved["local_date"], moved["local_start"], moved["local_end"]) == (SATURDAY, "10:00", "11:30")
    assert moved["status"] == "approved" and moved["pending_change"] is None
    assert moved["sequence"] == tuesday["sequence"] + 1
    assert await _busy(api, world, TUESDAY) == []
    assert await _busy(api, world, SATURDAY) == [("10:00", "11:30")]
    starts = await _feed_starts(api, f"/feeds/spaces/{world.space_id}.ics")
    assert SATURDAY in starts and TUESDAY not in starts
    told = await _messages(db, world["association_rep"].email, "booking.move")
    assert [k for k, _ in told] == ["booking.move_requested", "booking.move_approved"]
    assert "2027-02-13 10:00-11:30" in told[1][1]
    again = await api.post(f"/api/booking-changes/{change['id']}/decision", headers=staff, json={"approve": True})
    assert again.status_code == 404  # decided: no longer waiting


@time_machine.travel("2026-12-01T09:00:00+01:00", tick=True)
async def test_staff_refuse_a_move_with_a_reason_and_the_booking_stays(api: httpx.AsyncClient, db: Database) -> None:
    world = await build_world(db, api)
    rep, staff = world["association_rep"].headers, world["premises_staff"].headers
    first, second, third, _ = await _allocated_tuesdays(api, world)
    asked = (await api.post(f"/api/bookings/{first['id']}/move", headers=rep,
                            json={"date": first["local_date"], "start": "20:00", "end": "21:30"})).json()
    change_id = asked["pending_change"]["id"]
    no_reason = await api.post(f"/api/booking-changes/{change_id}/decision", headers=staff, json={"approve": False})
    assert no_reason.status_code == 422 and no_reason.json()["errors"][0]["field"] == "reason"
    refused = await api.post(f"/api/booking-changes/{change_id}/decision", headers=staff,
                             json={"approve": False, "reason": "Hallen städas då."})
    assert refused.status_code == 200, refused.text
    kept = refused.json()["bookings"][0]
    assert (kept["local_start"], kept["status"], kept["pending_change"]) == ("18:00", "approved", None)
    assert await _busy(api, world, first["local_date"]) == [("18:00", "19:30")]
    told = await _messages(db, world["association_rep"].email, "booking.move")
    assert told[-1][0] == "booking.move_refused" and "Hallen städas då." in told[-1][1]

    # a move that clashes now is refused at once; a second request replaces the first
    clash = await api.post(f"/api/bookings/{second['id']}/move", headers=rep,
                           json={"date": third["local_date"], "start": "18:30", "end": "19:00"})
    assert clash.status_code == 409
    one = (await api.post(f"/api/bookings/{second['id']}/move", headers=rep,
                          json={"date": second["local_date"], "start": "20:00", "end": "21:00"})).json()
    two = (await api.post(f"/api/bookings/{second['id']}/move", headers=rep,
                          json={"date": second["local_date"], "start": "20:30", "end": "21:30"})).json()
    assert two["pending_change"]["local_start"] == "20:30"
    assert two["pending_change"]["id"] != one["pending_change"]["id"]
    stale = await api.post(f"/api/booking-changes/{one['pending_change']['id']}/decision", headers=staff,
                           json={"approve": True})
    assert stale.status_code == 404
    # cancelling drops the waiting change
    await api.post(f"/api/bookings/{second['id']}/cancellation", headers=rep, json={})
    gone = await api.post(f"/api/booking-changes/{two['pending_change']['id']}/decision", headers=staff,
                          json={"approve": True})
    assert gone.status_code == 404
    assert (await api.get("/api/bookings", headers=staff, params={"pending_change": "true"})).json()["total"] == 0


@time_machine.travel("2026-12-01T09:00:00+01:00", tick=True)
async def test_auto_approvable_and_staff_moves_apply_at_once(api: httpx.AsyncClient, db: Database) -> None:
    world = await build_world(db, api)
    rep, staff, admin = world["association_rep"].headers, world["premises_staff"].headers, world["admin"].headers
    first, second, *_ = await _allocated_tuesdays(api, world)
    by_staff = await api.post(f"/api/bookings/{first['id']}/move", headers=staff,
                              json={"date": first["local_date"], "start": "20:00", "end": "21:00"})
    assert by_staff.status_code == 200
    assert (by_staff.json()["local_start"], by_staff.json()["pending_change"]) == ("20:00", None)
    # the space auto-approves youth associations (the world's is one): the association's move applies too
    rules = await api.patch(f"/api/spaces/{world.space_id}", headers=admin,
                            json={"rules": {"auto_approve_categories": ["youth"]}})
    assert rules.status_code == 200, rules.text
    by_rep = await api.post(f"/api/bookings/{second['id']}/move", headers=rep,
                            json={"date": SATURDAY, "start": "10:00", "end": "11:00"})
    assert by_rep.status_code == 200, by_rep.text
    assert (by_rep.json()["local_date"], by_rep.json()["pending_change"]) == (SATURDAY, None)
    assert await _busy(api, world, SATURDAY) == [("10:00", "11:00")]
    # to another space that does not auto-approve them, it waits again
    gym = await api.post("/api/spaces", headers=admin, json={
        "site_id": world.site_id, "name": "Lilla salen", "kind": "gym", "capacity": 20})
    await api.put(f"/api/spaces/{gym.json()['id']}/opening-hours", headers=staff, json={
        "general": [{"weekday": d, "opens": "09:00", "closes": "22:00"} for d in range(7)]})
    elsewhere = await api.post(f"/api/bookings/{second['id']}/move", headers=rep,
                               json={"date": SATURDAY, "start": "12:00", "end": "13:00", "space_id": gym.json()["id"]})
    assert elsewhere.status_code == 200, elsewhere.text
    assert elsewhere.json()["space_id"] == world.space_id
    assert elsewhere.json()["pending_change"]["space_id"] == gym.json()["id"]
    decided = await api.post(f"/api/booking-changes/{elsewhere.json()['pending_change']['id']}/decision",
                             headers=staff, json={"approve": True})
    assert decided.status_code == 200, decided.text
    assert decided.json()["bookings"][0]["space_id"] == gym.json()["id"]
    assert await _busy(api, world, SATURDAY) == []
    unknown = await api.post(f"/api/bookings/{second['id']}/move", headers=rep,
                             json={"date": SATURDAY, "start": "12:00", "end": "13:00",
                                   "space_id": "00000000-0000-7000-8000-000000000000"})
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "space_id"


@time_machine.travel("2026-12-01T09:00:00+01:00", tick=True)
async def test_bad_input_to_a_move_and_a_change_decision_names_the_field_and_changes_nothing(
        api: httpx.AsyncClient, db: Database) -> None:
    world = await build_world(db, api)
    rep, staff = world["association_rep"].headers, world["premises_staff"].headers
    tuesday = (await _allocated_tuesdays(api, world))[0]
    asked = (await api.post(f"/api/bookings/{tuesday['id']}/move", headers=rep,
                            json={"date": SATURDAY, "start": "10:00", "end": "11:00"})).json()
    change = f"/api/booking-changes/{asked['pending_change']['id']}/decision"
    async with db.read_sessions() as s:
        before = (await s.execute(sa.select(t.bookings.c.id, t.bookings.c.starts_at, t.bookings.c.change_id,
                                            t.bookings.c.updated_at).order_by(t.bookings.c.id))).all()
    for path, body, field in (
            (change, {}, "approve"),
            (change, {"approve": "yes"}, "approve"),
            (change, {"approve": False, "reason": "x" * 1001}, "reason"),
            (change, {"approve": False, "reason": "\u202eomvänd"}, "reason"),
            (change, {"approve": True, "extra": 1}, "extra"),
            (f"/api/bookings/{tuesday['id']}/move", {"date": SATURDAY, "start": "10:00", "end": "11:00",
                                                     "space_id": "not-a-uuid"}, "space_id"),
            (f"/api/bookings/{tuesday['id']}/move", {"date": SATURDAY, "start": "11:00", "end": "10:00"}, "end"),
            (f"/api/bookings/{tuesday['id']}/move", {"date": "9999-01-01", "start": "10:00", "end": "11:00"},
             "date")):
        answer = await api.post(path, headers=staff if "decision" in path else rep, json=body)
        assert answer.status_code in (400, 422), (body, answer.text)
        assert answer.headers["content-type"].startswith("application/problem+json")
        assert field in {e["field"] for e in answer.json()["errors"]}, (body, answer.text)
    malformed = await api.post(change, headers={**staff, "Content-Type": "application/json"}, content=b"{")
    assert malformed.status_code == 400 and malformed.json()["errors"][0]["field"] == "body"
    unknown = await api.post("/api/booking-changes/00000000-0000-7000-8000-000000000000/decision", headers=staff,
                             json={"approve": True})
    assert unknown.status_code == 404
    async with db.read_sessions() as s:
        after = (await s.execute(sa.select(t.bookings.c.id, t.bookings.c.starts_at, t.bookings.c.change_id,
                                           t.bookings.c.updated_at).order_by(t.bookings.c.id))).all()
    assert after == before
