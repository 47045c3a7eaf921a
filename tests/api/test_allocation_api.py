"""The season allocation round over HTTP, on SQLite and PostgreSQL: staff open a round,
associations apply until the deadline, staff run, adjust and publish; the series exist, are
approved and never overlap, even with a booking made after the run."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
import time_machine

from booking.adapters.db import tables as t
from booking.adapters.db.database import Database
from tests.conftest import World, build_world, make_app

EVENINGS = {"general": [{"weekday": d, "opens": "17:00", "closes": "22:00"} for d in range(7)]}
ROUND = {"name": "Hösten 2027", "first_day": "2027-08-23", "last_day": "2027-12-19",
         "deadline_date": "2027-06-01", "deadline_time": "23:59"}
TUESDAYS = 17  # 2027-08-24 ... 2027-12-14, no public holiday among them


@pytest.fixture
async def api(db: Database) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=make_app(db)),
                                 base_url="http://testserver") as client:
        yield client


async def _setup(api: httpx.AsyncClient, db: Database) -> tuple[World, str, dict[str, str], str]:
    """The world, an aula, a second association (represented by the guardian) and an open round."""
    world = await build_world(db, api)
    staff = world["premises_staff"].headers
    aula = await api.post("/api/spaces", headers=world["admin"].headers, json={
        "site_id": world.site_id, "name": "Aulan", "kind": "hall", "capacity": 120})
    assert aula.status_code == 201, aula.text
    aula_id = aula.json()["id"]
    for space in (world.space_id, aula_id):
        assert (await api.put(f"/api/spaces/{space}/opening-hours", headers=staff, json=EVENINGS)).status_code == 200
    assert (await api.post(f"/api/associations/{world.association_id}/verification", headers=staff,
                           json={"verified": True})).status_code == 200
    other = await api.post("/api/associations", headers=world["guardian"].headers, json={
        "name": "Vuxenklubben", "org_number": "556036-0793", "is_local": False})
    assert other.status_code == 201, other.text
    created = await api.post("/api/allocation-rounds", headers=staff, json=ROUND)
    assert created.status_code == 201, created.text
    assert created.json()["state"] == "draft"
    round_id = created.json()["id"]
    assert (await api.get(f"/api/allocation-rounds/{round_id}", headers=world["association_rep"].headers)
            ).status_code == 404  # a draft is the staff's own
    opened = await api.post(f"/api/allocation-rounds/{round_id}/opening", headers=staff)
    assert opened.status_code == 200 and opened.json()["state"] == "open"
    assert opened.json()["accepts_applications"] is True
    # an association the municipality has not checked yet may not apply
    unverified = await api.post(f"/api/allocation-rounds/{round_id}/applications", headers=world["guardian"].headers,
                                json=_application(other.json()["id"], "Ej kontrollerad", [(aula_id, 1, "18:00")]))
    assert unverified.status_code == 403, unverified.text
    assert (await api.post(f"/api/associations/{other.json()['id']}/verification", headers=staff,
                           json={"verified": True})).status_code == 200
    return world, aula_id, {"other": other.json()["id"]}, round_id


def _application(association_id: str, title: str, prefs: list[tuple[str, int, str]], **extra: Any) -> dict[str, Any]:
    return {"association_id": association_id, "title": title, "age_band": extra.pop("age_band", "20-64"),
            "participants": extra.pop("participants", 20), "duration_minutes": extra.pop("duration_minutes", 90),
            "preferences": [{"space_id": s, "weekday": d, "start": at} for s, d, at in prefs], **extra}


async def test_a_round_from_opening_to_published_series(api: httpx.AsyncClient, db: Database) -> None:
    with time_machine.travel("2027-05-03T10:00:00+02:00", tick=True) as traveller:
        world, aula_id, ids, round_id = await _setup(api, db)
        rep, guardian, staff = (world["association_rep"].headers, world["guardian"].headers,
                                world["premises_staff"].headers)
        gym = world.space_id
        base = f"/api/allocation-rounds/{round_id}"

        youth = await api.post(f"{base}/applications", headers=rep, json=_application(
            world.association_id, "Innebandy P12", [(gym, 1, "18:00")], age_band="0-12"))
        assert youth.status_code == 201, youth.text
        adults = await api.post(f"{base}/applications", headers=guardian, json=_application(
            ids["other"], "Vuxenträning", [(gym, 1, "18:00"), (aula_id, 1, "18:00")]))
        assert adults.status_code == 201, adults.text
        yoga = await api.post(f"{base}/applications", headers=guardian, json=_application(
            ids["other"], "Yoga", [(gym, 1, "18:30")], duration_minutes=60))
        assert yoga.status_code == 201, yoga.text

        # each representative sees and changes only their own association's applications
        mine = (await api.get(f"{base}/applications", headers=rep)).json()["items"]
        assert [a["title"] for a in mine] == ["Innebandy P12"]
        assert len((await api.get(f"{base}/applications", headers=staff)).json()["items"]) == 3
        hijack = await api.put(f"{base}/applications/{yoga.json()['id']}", headers=rep, json=_application(
            world.association_id, "Kapat", [(gym, 2, "18:00")]))
        assert hijack.status_code == 404
        assert (await api.post(f"{base}/applications/{yoga.json()['id']}/withdrawal", headers=rep)).status_code == 404
        for_other = await api.post(f"{base}/applications", headers=rep, json=_application(
            ids["other"], "I annans namn", [(gym, 3, "18:00")]))
        assert for_other.status_code == 403

        # too early to run
        early = await api.post(f"{base}/allocation", headers=staff)
        assert early.status_code == 409

        traveller.move_to("2027-06-02T08:00:00+02:00")
        late = await api.post(f"{base}/applications", headers=rep, json=_application(
            world.association_id, "För sent", [(gym, 3, "18:00")]))
        assert late.status_code == 409 and "deadline" in late.json()["detail"]
        edit_late = await api.put(f"{base}/applications/{youth.json()['id']}", headers=rep, json=_application(
            world.association_id, "Innebandy P12", [(gym, 2, "18:00")], age_band="0-12"))
        assert edit_late.status_code == 409

        run = await api.post(f"{base}/allocation", headers=staff)
        assert run.status_code == 200, run.text
        proposal = run.json()
        by = {d["title"]: d for d in proposal["decisions"]}
        assert by["Innebandy P12"]["outcome"] == "granted" and by["Innebandy P12"]["rank"] == 1
        assert by["Vuxenträning"]["outcome"] == "moved"
        assert by["Vuxenträning"]["slot"]["space_id"] == aula_id
        assert "Innebandy P12" in by["Vuxenträning"]["explanation"]
        assert by["Yoga"]["outcome"] == "denied"
        cause = by["Yoga"]["reasons"][0]["causes"][0]
        assert cause["code"] == "taken_by_application" and cause["params"]["application_id"] == youth.json()["id"]
        # the score: every application counts with weight priority + 1, granted hours over requested
        weights = {d["title"]: d["priority"] + 1 for d in proposal["decisions"]}
        hours = {"Innebandy P12": 1.5, "Vuxenträning": 1.5, "Yoga": 1.0}
        expected = (weights["Innebandy P12"] * 1.5 + weights["Vuxenträning"] * 1.5) / sum(
            weights[k] * hours[k] for k in hours)
        assert proposal["score"] == pytest.approx(expected, abs=1e-4)
        assert (await api.get(f"{base}/proposal", headers=staff)).json() == proposal
        assert (await api.get(f"{base}/proposal", headers=rep)).status_code == 403

        # staff adjust: onto Innebandy's time is refused naming it; 20:00 is free
        clash = await api.post(f"{base}/adjustments", headers=staff, json={
            "application_id": yoga.json()["id"], "space_id": gym, "weekday": 1, "start": "19:00"})
        assert clash.status_code == 409, clash.text
        assert clash.json()["conflicts"][0]["application_id"] == youth.json()["id"]
        assert clash.json()["conflicts"][0]["title"] == "Innebandy P12"
        moved = await api.post(f"{base}/adjustments", headers=staff, json={
            "application_id": yoga.json()["id"], "space_id": gym, "weekday": 1, "start": "20:00"})
        assert moved.status_code == 200, moved.text
        yoga_now = next(d for d in moved.json()["decisions"] if d["title"] == "Yoga")
        assert yoga_now["outcome"] == "moved" and yoga_now["slot"]["start"] == "20:00"
        assert moved.json()["score"] == 1.0
        # denying lowers the score; putting it back on its alternative restores it
        denied = await api.post(f"{base}/adjustments", headers=staff, json={
            "application_id": adults.json()["id"], "deny": True})
        adults_now = next(d for d in denied.json()["decisions"] if d["title"] == "Vuxenträning")
        assert adults_now["outcome"] == "denied" and adults_now["reasons"][-1]["code"] == "denied_by_staff"
        assert denied.json()["score"] < 1.0
        back = await api.post(f"{base}/adjustments", headers=staff, json={
            "application_id": adults.json()["id"], "space_id": aula_id, "weekday": 1, "start": "18:00"})
        adults_now = next(d for d in back.json()["decisions"] if d["title"] == "Vuxenträning")
        assert (adults_now["outcome"], adults_now["preference"]) == ("moved", 1)
        assert back.json()["score"] == 1.0

        # a booking made after the run, on one of Yoga's Tuesdays
        meanwhile = await api.post("/api/bookings", headers=staff, json={
            "space_id": gym, "title": "Kommunens prova-på", "date": "2027-09-07", "start": "20:30", "end": "21:30"})
        assert meanwhile.status_code == 201 and meanwhile.json()["bookings"][0]["status"] == "approved"

        published = await api.post(f"{base}/publication", headers=staff)
        assert published.status_code == 200, published.text
        report = {i["application_id"]: i for i in published.json()["items"]}
        assert report[youth.json()["id"]]["booked"] == TUESDAYS
        assert report[adults.json()["id"]]["booked"] == TUESDAYS
        yoga_report = report[yoga.json()["id"]]
        assert yoga_report["booked"] == TUESDAYS - 1
        assert [(s["date"], s["rule"]) for s in yoga_report["skipped"]] == [("2027-09-07", "conflict")]
        assert yoga_report["skipped"][0]["conflicts"][0]["booking_id"] == meanwhile.json()["bookings"][0]["id"]

        # publishing again changes nothing and answers the same report
        again = await api.post(f"{base}/publication", headers=staff)
        assert again.status_code == 200 and again.json() == published.json()
        async with db.read_sessions() as s:
            series = (await s.execute(sa.select(sa.func.count()).select_from(t.booking_series))).scalar()
            messages = (await s.execute(sa.select(t.outbox.c.recipient, t.outbox.c.subject)
                                        .where(t.outbox.c.kind.like("allocation.%")))).all()
        assert series == 3
        assert (world["association_rep"].email, "Tid beviljad: Innebandy P12") in {tuple(m) for m in messages}

        # the occurrences are approved bookings the association sees
        theirs = (await api.get("/api/bookings", headers=rep, params={"limit": 100})).json()
        assert theirs["total"] == TUESDAYS
        assert {b["status"] for b in theirs["items"]} == {"approved"}
        assert {(b["local_start"], b["local_end"]) for b in theirs["items"]} == {("18:00", "19:30")}
        assert (await api.get(base, headers=rep)).json()["state"] == "published"

    # never an overlap: the active occupancy of the gym, pairwise
    async with db.read_sessions() as s:
        rows = (await s.execute(sa.select(t.occupancy.c.starts_at, t.occupancy.c.ends_at)
                                .where(t.occupancy.c.active, t.occupancy.c.unit_id == uuid.UUID(world.space_id))
                                .order_by(t.occupancy.c.starts_at))).all()
    assert len(rows) == 2 * TUESDAYS  # Innebandy and Yoga (less the taken date) plus the meanwhile booking
    assert all(a.ends_at <= b.starts_at for a, b in itertools.pairwise(rows))


async def test_application_rules_and_rounds_only_staff_run(api: httpx.AsyncClient, db: Database) -> None:
    with time_machine.travel("2027-05-03T10:00:00+02:00", tick=True):
        world, aula_id, _ids, round_id = await _setup(api, db)
        rep = world["association_rep"].headers
        base = f"/api/allocation-rounds/{round_id}"
        too_big = await api.post(f"{base}/applications", headers=rep, json=_application(
            world.association_id, "Stor grupp", [(aula_id, 1, "18:00"), (world.space_id, 1, "18:00")],
            participants=60))
        assert too_big.status_code == 422
        assert [e["field"] for e in too_big.json()["errors"]] == ["preferences[1].space_id"]
        closed = await api.post(f"{base}/applications", headers=rep, json=_application(
            world.association_id, "Morgon", [(aula_id, 1, "08:00")]))
        assert closed.status_code == 422 and closed.json()["errors"][0]["field"] == "preferences[0].start"
        made = await api.post(f"{base}/applications", headers=rep, json=_application(
            world.association_id, "Innebandy", [(aula_id, 1, "18:00")]))
        assert made.status_code == 201
        changed = await api.put(f"{base}/applications/{made.json()['id']}", headers=rep, json=_application(
            world.association_id, "Innebandy F14", [(aula_id, 2, "19:00")], flex_minutes=30))
        assert changed.status_code == 200 and changed.json()["preferences"][0]["weekday"] == 2
        withdrawn = await api.post(f"{base}/applications/{made.json()['id']}/withdrawal", headers=rep)
        assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
        assert (await api.post(f"{base}/allocation", headers=rep)).status_code == 403
        rules = await api.put("/api/allocation-rules", headers=world["premises_staff"].headers, json={
            "rules": [{"key": "local", "weight": 70}, {"key": "youth", "weight": 30}]})
        assert rules.status_code == 200
        fresh = await api.post("/api/allocation-rounds", headers=world["premises_staff"].headers,
                               json={**ROUND, "name": "Våren 2028"})
        assert fresh.json()["rules"] == [{"key": "local", "weight": 70}, {"key": "youth", "weight": 30}]
