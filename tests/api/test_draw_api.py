"""A holiday's wish phase and draw over HTTP: staff set the draw, guardians of two families put children
with ranked wishes (a group, a postcode's home area), first-come sign-up is refused while the draw is
open, the seeded run is repeatable, a hand-made grant that clashes says why, publishing confirms the
grants without overfilling and tells each child's guardian once, guardians read the outcomes with their
reasons, and afterwards the places left open first come with the waiting list. Both engines."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
import time_machine

from booking.adapters.db import tables as t
from booking.adapters.db import tables_activities as ta
from booking.adapters.db.database import Database
from booking.domain.people.roles import Role
from tests.api.draw_support import AFTER_DEADLINE, POSTCODE, DrawWorld, add_account, child, draw_world
from tests.conftest import PASSWORD, World, build_world, make_app


@pytest.fixture(autouse=True)
def before_the_deadline() -> Iterator[None]:
    """The wish phase closes 2027-01-15; the sessions lie in sportlov 2027: the clock stands before both."""
    with time_machine.travel("2026-12-01T09:00:00+01:00", tick=True):
        yield


@pytest.fixture
async def app(db: Database) -> Any:
    """Both engines: the draw's locks are real on PostgreSQL."""
    return make_app(db)


@pytest.fixture
async def world(db: Database, client: httpx.AsyncClient) -> World:
    return await build_world(db, client)


@pytest.fixture
async def dw(db: Database, client: httpx.AsyncClient, world: World) -> DrawWorld:
    return await draw_world(db, client, world)


async def _outbox(client: httpx.AsyncClient, kind: str) -> list[Any]:
    async with client._transport.app.state.db.read_sessions() as s:  # type: ignore[attr-defined]
        return list((await s.execute(sa.select(t.outbox.c.recipient, t.outbox.c.subject, t.outbox.c.body)
                                     .where(t.outbox.c.kind == kind))).all())


async def _confirmed(client: httpx.AsyncClient) -> dict[str, tuple[int, int]]:
    async with client._transport.app.state.db.read_sessions() as s:  # type: ignore[attr-defined]
        rows = (await s.execute(sa.select(ta.activity_sessions.c.id, ta.activity_sessions.c.confirmed,
                                          ta.activity_sessions.c.capacity))).all()
    return {str(r.id): (r.confirmed, r.capacity) for r in rows}


async def test_the_whole_draw_from_settings_to_first_come_afterwards(client: httpx.AsyncClient,
                                                                     dw: DrawWorld) -> None:
    w, s = dw.world, dw.sessions
    g1, g2 = w["guardian"].headers, dw.other_guardian.headers
    public = await client.get(f"/api/holiday-periods/{dw.period_id}/draw")
    assert public.status_code == 200, public.text
    assert public.json()["status"] == "wishing" and public.json()["max_per_child"] == 2
    # the public holiday list says which holidays are drawn, so pages need not ask each one
    listed = {p["id"]: p["draw"] for p in (await client.get(
        "/api/holiday-periods", params={"municipality": w.slug})).json()}
    assert listed[str(dw.period_id)]["id"] == str(dw.draw_id)
    assert listed[str(dw.period_id)]["wishes_close_at"] == public.json()["wishes_close_at"]

    # first come is shut while the draw is open, and says until when
    refused = await client.post(f"/api/activity-sessions/{s['climbing']}/registrations", headers=g1,
                                json={"children": [{"first_name": "Ester", "birth_year": 2016}]})
    assert refused.status_code == 409, refused.text
    assert refused.json()["draw_id"] == dw.draw_id and "draw" in refused.json()["detail"]

    # family 1: Alva and Bo go together (a group code), Bo from a postcode's home area
    code = await client.post(f"/api/holiday-draws/{dw.draw_id}/groups", headers=g1)
    assert code.status_code == 201, code.text
    group = code.json()["code"]
    assert len(group) == 8
    alva = await client.put(f"/api/holiday-draws/{dw.draw_id}/children", headers=g1, json=child(
        "Alva", 2018, [s["climbing"], s["crafts"]], group_code=group, home_area_id=dw.areas["Nacksta"]))
    assert alva.status_code == 200, alva.text
    bo = await client.put(f"/api/holiday-draws/{dw.draw_id}/children", headers=g1, json=child(
        "Bo", 2019, [s["climbing"], s["swimming"]], group_code=group.lower(), postcode="852 31"))
    assert bo.status_code == 200, bo.text
    assert bo.json()["home_area_id"] == dw.areas["Skönsberg"] and bo.json()["group_code"] == group
    assert [x["rank"] for x in bo.json()["wishes"]] == [1, 2]
    # family 2: Cleo wants climbing, then swimming; Dan only crafts; Eir will withdraw
    for name, year, wishes in (("Cleo", 2016, [s["climbing"], s["swimming"]]), ("Dan", 2018, [s["crafts"]]),
                               ("Eir", 2017, [s["climbing"]])):
        put = await client.put(f"/api/holiday-draws/{dw.draw_id}/children", headers=g2,
                               json=child(name, year, wishes, home_area_id=dw.areas["Nacksta"]))
        assert put.status_code == 200, put.text
    # putting the same child again replaces its wishes (same name, case-folded, and birth year)
    again = await client.put(f"/api/holiday-draws/{dw.draw_id}/children", headers=g2,
                             json=child("cleo", 2016, [s["swimming"], s["climbing"]], home_area_id=dw.areas["Nacksta"]))
    assert again.status_code == 200, again.text
    mine = (await client.get(f"/api/holiday-draws/{dw.draw_id}/wishes", headers=g2)).json()
    assert [c["first_name"] for c in mine["children"]] == ["cleo", "Dan", "Eir"], "the last spelling is kept"
    assert [x["session_id"] for x in mine["children"][0]["wishes"]] == [s["swimming"], s["climbing"]]
    # each guardian sees only their own children
    assert {c["first_name"] for c in (await client.get(f"/api/holiday-draws/{dw.draw_id}/wishes",
                                                       headers=g1)).json()["children"]} == {"Alva", "Bo"}
    eir = next(c for c in mine["children"] if c["first_name"] == "Eir")
    # a run before the deadline is refused
    early = await client.post(f"/api/holiday-draws/{dw.draw_id}/runs", headers=dw.staff, json={"seed": "lov"})
    assert early.status_code == 409, early.text

    with time_machine.travel(AFTER_DEADLINE, tick=True):
        late = await client.put(f"/api/holiday-draws/{dw.draw_id}/children", headers=g1,
                                json=child("Fia", 2016, [s["climbing"]]))
        assert late.status_code == 409 and "closed" in late.json()["detail"]
        withdrawn = await client.delete(f"/api/holiday-draws/{dw.draw_id}/children/{eir['child_id']}", headers=g2)
        assert withdrawn.status_code == 204, withdrawn.text
        overview = (await client.get(f"/api/holiday-draws/{dw.draw_id}", headers=dw.staff)).json()
        assert (overview["children"], overview["withdrawn"]) == (4, 1)
        assert {x["session_id"]: x["wishes"] for x in overview["sessions"]} == {
            s["climbing"]: 3, s["swimming"]: 2, s["crafts"]: 2}
        assert {a["name"] for a in overview["suggested_priority_areas"]} == {"Nacksta", "Skönsberg"}

        first = await client.post(f"/api/holiday-draws/{dw.draw_id}/runs", headers=dw.staff, json={"seed": "lov"})
        assert first.status_code == 201, first.text
        second = await client.post(f"/api/holiday-draws/{dw.draw_id}/runs", headers=dw.staff, json={"seed": "lov"})
        assert second.status_code == 201, second.text
        assert first.json() == second.json(), "the same seed and inputs give the same preview"
        preview = second.json()
        assert preview["seed"] == "lov"
        names = {c["first_name"]: c for c in preview["children"]}
        assert set(names) == {"Alva", "Bo", "cleo", "Dan"}, "the withdrawn child is left out"
        granted = Counter(x["session_id"] for c in preview["children"] for x in c["wishes"] if x["granted"])
        assert all(n <= 2 for n in granted.values()), "never more grants than places"
        for c in preview["children"]:
            assert all(x["reason"] in {"granted", "full", "age", "overlap", "max", "gone"} for x in c["wishes"])
        figures = preview["figures"]
        assert figures["children"] == 4
        assert {a["area_name"] for a in figures["per_area"]} == {"Nacksta", "Skönsberg"}
        skonsberg = next(a for a in figures["per_area"] if a["area_name"] == "Skönsberg")
        assert skonsberg["per_1000_before"] == 0.0
        assert skonsberg["per_1000_after"] == round(
            sum(1 for x in names["Bo"]["wishes"] if x["granted"]) * 1000 / 500, 1)

        # by hand: Bo cannot have both climbing and swimming (they overlap): 409 naming the reason
        bo_wishes = {x["session_id"]: x for x in names["Bo"]["wishes"]}
        bo_had_climbing = bo_wishes[s["climbing"]]["granted"]
        if not bo_had_climbing:
            put_back = await client.put(f"/api/holiday-draws/{dw.draw_id}/preview/grants", headers=dw.staff, json={
                "child_id": names["Bo"]["child_id"], "session_id": s["swimming"], "granted": False})
            assert put_back.status_code == 200, put_back.text
            # make room on climbing: take it from whoever has it
            holder = next(c for c in put_back.json()["children"] for x in c["wishes"]
                          if x["session_id"] == s["climbing"] and x["granted"])
            await client.put(f"/api/holiday-draws/{dw.draw_id}/preview/grants", headers=dw.staff, json={
                "child_id": holder["child_id"], "session_id": s["climbing"], "granted": False})
            given = await client.put(f"/api/holiday-draws/{dw.draw_id}/preview/grants", headers=dw.staff, json={
                "child_id": names["Bo"]["child_id"], "session_id": s["climbing"], "granted": True})
            assert given.status_code == 200, given.text
        clash = await client.put(f"/api/holiday-draws/{dw.draw_id}/preview/grants", headers=dw.staff, json={
            "child_id": names["Bo"]["child_id"], "session_id": s["swimming"], "granted": True})
        assert clash.status_code == 409, clash.text
        assert [{k: e[k] for k in ("field", "reason", "session_id")} for e in clash.json()["errors"]] == [
            {"field": "session_id", "reason": "overlap", "session_id": s["climbing"]}]
        assert "time" in clash.json()["errors"][0]["message"]
        # Dan (born 2018) asked for crafts only; a session he never wished for is refused as such
        not_wished = await client.put(f"/api/holiday-draws/{dw.draw_id}/preview/grants", headers=dw.staff, json={
            "child_id": names["Dan"]["child_id"], "session_id": s["climbing"], "granted": True})
        assert not_wished.status_code == 409 and not_wished.json()["errors"][0]["reason"] == "not_wished"
        removed = await client.put(f"/api/holiday-draws/{dw.draw_id}/preview/grants", headers=dw.staff, json={
            "child_id": names["Dan"]["child_id"], "session_id": s["crafts"], "granted": False})
        assert removed.status_code == 200, removed.text
        dan = next(c for c in removed.json()["children"] if c["first_name"] == "Dan")
        assert dan["wishes"][0]["reason"] == "removed_by_staff" and not dan["wishes"][0]["granted"]
        regiven = await client.put(f"/api/holiday-draws/{dw.draw_id}/preview/grants", headers=dw.staff, json={
            "child_id": names["Dan"]["child_id"], "session_id": s["crafts"], "granted": True})
        assert regiven.status_code == 200, regiven.text
        final = regiven.json()
        assert (await client.get(f"/api/holiday-draws/{dw.draw_id}/preview", headers=dw.staff)).json() == final

        published = await client.post(f"/api/holiday-draws/{dw.draw_id}/publication", headers=dw.staff)
        assert published.status_code == 200, published.text
        grants = [(c["first_name"], x["session_id"]) for c in final["children"] for x in c["wishes"] if x["granted"]]
        assert published.json() == {"registrations": len(grants), "notified": 4}
        assert (await client.post(f"/api/holiday-draws/{dw.draw_id}/publication",
                                  headers=dw.staff)).status_code == 409
        # once published nothing changes: settings, back to first come, runs, adjustments
        for method, url, body in (
                ("PUT", f"/api/holiday-periods/{dw.period_id}/draw", {"wishes_close_at": "2027-01-15T12:00:00+01:00"}),
                ("DELETE", f"/api/holiday-periods/{dw.period_id}/draw", None),
                ("POST", f"/api/holiday-draws/{dw.draw_id}/runs", {"seed": "lov"}),
                ("PUT", f"/api/holiday-draws/{dw.draw_id}/preview/grants",
                 {"child_id": names["Dan"]["child_id"], "session_id": s["crafts"], "granted": False})):
            late_change = await client.request(method, url, headers=dw.staff, json=body)
            assert late_change.status_code == 409, (method, url, late_change.text)
        for confirmed, capacity in (await _confirmed(client)).values():
            assert 0 <= confirmed <= capacity
        told = await _outbox(client, "activity.draw_outcome")
        assert Counter(r.recipient for r in told) == {w["guardian"].email: 2, dw.other_guardian.email: 2}
        assert all("Lottningen" in r.subject for r in told)
        # the guardians see the outcomes with reasons; the granted ones are confirmed registrations
        seen = (await client.get(f"/api/holiday-draws/{dw.draw_id}/wishes", headers=g1)).json()
        assert seen["draw"]["status"] == "published"
        regs = {r["id"]: r for r in (await client.get("/api/registrations", headers=g1)).json()["items"]}
        for c in seen["children"]:
            for x in c["wishes"]:
                assert x["outcome"] is not None
                if x["outcome"]["granted"]:
                    assert regs[x["outcome"]["registration_id"]]["status"] == "confirmed"
                    assert x["outcome"]["reason"] in {"granted", "by_staff"}
                else:
                    assert x["outcome"]["registration_id"] is None
        bo_seen = next(c for c in seen["children"] if c["first_name"] == "Bo")
        assert [x["outcome"]["reason"] for x in bo_seen["wishes"]][1] == (
            "overlap" if bo_had_climbing else "removed_by_staff")
        bo_told = next(r.body for r in told if "Bo" in r.subject)
        why = "Krockar med en beviljad önskan" if bo_had_climbing else "Borttagen av personal"
        assert why in bo_told and "registrations.html?ticket=" in bo_told
        # withdrawing after publishing is refused: cancel the registrations instead
        theirs = (await client.get(f"/api/holiday-draws/{dw.draw_id}/wishes", headers=g2)).json()["children"]
        cleo = next(c for c in theirs if c["first_name"] == "cleo")
        assert (await client.delete(f"/api/holiday-draws/{dw.draw_id}/children/{cleo['child_id']}",
                                    headers=g2)).status_code == 409
        # Eir (withdrawn) got nothing and was not told
        assert not any("Eir" in r.subject for r in told)

        # first come opens: a full session puts the newcomer on the waiting list
        full = next(sid for sid, (n, cap) in (await _confirmed(client)).items() if sid in s.values() and n == cap)
        waiting = await client.post(f"/api/activity-sessions/{full}/registrations", headers=g2,
                                    json={"children": [{"first_name": "Gus", "birth_year": 2015}]})
        assert waiting.status_code == 201, waiting.text
        assert waiting.json()["registrations"][0]["status"] == "waiting"


async def test_settings_changes_after_a_run_and_back_to_first_come(client: httpx.AsyncClient,
                                                                   dw: DrawWorld) -> None:
    s = dw.sessions
    put = await client.put(f"/api/holiday-draws/{dw.draw_id}/children", headers=dw.world["guardian"].headers,
                           json=child("Alva", 2016, [s["climbing"]]))
    assert put.status_code == 200, put.text
    with time_machine.travel(AFTER_DEADLINE, tick=True):
        run = await client.post(f"/api/holiday-draws/{dw.draw_id}/runs", headers=dw.staff, json={})
        assert run.status_code == 201, run.text
        assert len(run.json()["seed"]) >= 8, "a new random seed, kept"
        # new weights after the deadline: still previewed, but the result is dropped (run again)
        changed = await client.put(f"/api/holiday-periods/{dw.period_id}/draw", headers=dw.staff, json={
            "wishes_close_at": "2027-01-15T12:00:00+01:00", "max_per_child": 2, "weights": {"rank": 50}})
        assert changed.status_code == 200, changed.text
        assert changed.json()["weights"]["rank"] == 50 and changed.json()["weights"]["favourite"] == 5
        assert (await client.get(f"/api/holiday-draws/{dw.draw_id}/preview", headers=dw.staff)).status_code == 404
        assert (await client.post(f"/api/holiday-draws/{dw.draw_id}/publication",
                                  headers=dw.staff)).status_code == 409
        # a later deadline reopens the wish phase
        reopened = await client.put(f"/api/holiday-periods/{dw.period_id}/draw", headers=dw.staff, json={
            "wishes_close_at": "2027-02-01T12:00:00+01:00", "priority_areas": [dw.areas["Skönsberg"]]})
        assert reopened.status_code == 200, reopened.text
        assert reopened.json()["status"] == "wishing" and reopened.json()["priority_areas"] == [dw.areas["Skönsberg"]]
        # back to first come: the draw and its wishes go, sign-up opens
        dropped = await client.delete(f"/api/holiday-periods/{dw.period_id}/draw", headers=dw.staff)
        assert dropped.status_code == 204, dropped.text
        assert (await client.get(f"/api/holiday-periods/{dw.period_id}/draw")).status_code == 404
        listed = {p["id"]: p["draw"] for p in (await client.get(
            "/api/holiday-periods", params={"municipality": dw.world.slug})).json()}
        assert listed[str(dw.period_id)] is None
        signed = await client.post(f"/api/activity-sessions/{s['climbing']}/registrations",
                                   headers=dw.world["guardian"].headers,
                                   json={"children": [{"first_name": "Alva", "birth_year": 2016}]})
        assert signed.status_code == 201, signed.text


async def test_wishes_name_the_field_at_fault(client: httpx.AsyncClient, dw: DrawWorld) -> None:
    s, g1 = dw.sessions, dw.world["guardian"].headers
    young = await client.put(f"/api/holiday-draws/{dw.draw_id}/children", headers=g1,
                             json=child("Alva", 2016, [s["climbing"], s["crafts"]]))
    assert young.status_code == 422
    assert young.json()["errors"] == [{"field": "wishes[1].session_id", "message": "The activity is for ages 6-9.",
                                       "code": "age"}]
    unknown = await client.put(f"/api/holiday-draws/{dw.draw_id}/children", headers=g1,
                               json=child("Alva", 2016, [s["climbing"], dw.world.area_id]))
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "wishes[1].session_id"
    twice = await client.put(f"/api/holiday-draws/{dw.draw_id}/children", headers=g1,
                             json=child("Alva", 2016, [s["climbing"], s["climbing"]]))
    assert twice.status_code == 422 and twice.json()["errors"][0]["field"] == "wishes[1].session_id"
    postcode = await client.put(f"/api/holiday-draws/{dw.draw_id}/children", headers=g1,
                                json=child("Alva", 2016, [s["climbing"]], postcode="99999"))
    assert postcode.status_code == 422 and postcode.json()["errors"][0]["field"] == "postcode"
    too_many = await client.put(f"/api/holiday-draws/{dw.draw_id}/children", headers=g1,
                                json=child("Alva", 2016, [s["climbing"]], max_activities=3))
    assert too_many.status_code == 422 and too_many.json()["errors"][0]["field"] == "max_activities"
    assert POSTCODE
    nothing = (await client.get(f"/api/holiday-draws/{dw.draw_id}/wishes", headers=g1)).json()["children"]
    assert nothing == []


async def test_another_municipality_and_another_guardian_find_nothing(
        db: Database, client: httpx.AsyncClient, dw: DrawWorld) -> None:
    s, g1 = dw.sessions, dw.world["guardian"].headers
    alva = await client.put(f"/api/holiday-draws/{dw.draw_id}/children", headers=g1,
                            json=child("Alva", 2016, [s["climbing"]], home_area_id=dw.areas["Nacksta"]))
    assert alva.status_code == 200, alva.text
    child_id = alva.json()["child_id"]
    there = await build_world(db, client)
    d, p = f"/api/holiday-draws/{dw.draw_id}", f"/api/holiday-periods/{dw.period_id}/draw"
    staff_calls: list[tuple[str, str, dict[str, Any]]] = [
        ("PUT", p, {"json": {"wishes_close_at": "2027-01-10T12:00:00+01:00"}}), ("DELETE", p, {}),
        ("GET", d, {}), ("POST", f"{d}/runs", {"json": {"seed": "x"}}), ("GET", f"{d}/preview", {}),
        ("PUT", f"{d}/preview/grants", {"json": {"child_id": child_id, "session_id": s["climbing"], "granted": True}}),
        ("POST", f"{d}/publication", {})]
    guardian_calls: list[tuple[str, str, dict[str, Any]]] = [
        ("GET", f"{d}/wishes", {}), ("PUT", f"{d}/children", {"json": child("Alva", 2016, [s["climbing"]])}),
        ("DELETE", f"{d}/children/{child_id}", {}), ("POST", f"{d}/groups", {})]
    for method, url, body in staff_calls:
        answer = await client.request(method, url, headers=there["activities_staff"].headers, **body)
        assert answer.status_code == 404, (method, url, answer.text)
    for method, url, body in guardian_calls:
        answer = await client.request(method, url, headers=there["guardian"].headers, **body)
        assert answer.status_code == 404, (method, url, answer.text)
    # the other municipality's area is no home area here, nor a priority area
    foreign = await client.put(f"{d}/children", headers=g1, json=child("Alva", 2016, [s["climbing"]],
                                                                       home_area_id=there.area_id))
    assert foreign.status_code == 422 and foreign.json()["errors"][0]["field"] == "home_area_id"
    foreign = await client.put(p, headers=dw.staff, json={"wishes_close_at": "2027-01-10T12:00:00+01:00",
                                                          "priority_areas": [there.area_id]})
    assert foreign.status_code == 422 and foreign.json()["errors"][0]["field"] == "priority_areas[0]"
    # another guardian of the same municipality: neither sees nor withdraws Alva; their Alva is their own
    g2 = dw.other_guardian.headers
    assert (await client.get(f"{d}/wishes", headers=g2)).json()["children"] == []
    assert (await client.delete(f"{d}/children/{child_id}", headers=g2)).status_code == 404
    theirs = await client.put(f"{d}/children", headers=g2, json=child("Alva", 2016, [s["climbing"]]))
    assert theirs.status_code == 200 and theirs.json()["child_id"] != child_id
    mine = (await client.get(f"{d}/wishes", headers=g1)).json()["children"]
    assert [(c["child_id"], c["home_area_id"]) for c in mine] == [(child_id, dw.areas["Nacksta"])]
    # the municipality's staff narrowed to a site may not run the municipality's draw (403)
    narrowed = await add_account(db, client, dw.world, "narrowed", Role.ACTIVITIES_STAFF,
                                 scope_id=dw.world.site_id)
    for method, url, body in staff_calls:
        answer = await client.request(method, url, headers=narrowed.headers, **body)
        assert answer.status_code == 403, (method, url, answer.text)
    assert (await client.get(d, headers=dw.staff)).status_code == 200


async def test_the_next_draw_favours_who_got_nothing_last_time_and_first_timers(
        client: httpx.AsyncClient, dw: DrawWorld) -> None:
    """Within the guardian's account: Alva (her place taken away by staff) got nothing in sportlov's draw,
    Cleo got a place; in påsklov's draw Alva scores nothing_last_time + first_time, Bo (new) first_time,
    Cleo neither (rank 1 = 10 points each, the default weights)."""
    s, g1, g2 = dw.sessions, dw.world["guardian"].headers, dw.other_guardian.headers
    periods = (await client.get("/api/holiday-periods", params={"municipality": dw.world.slug, "year": 2027})).json()
    pasklov = next(p["id"] for p in periods if p["kind"] == "pasklov")
    made = await client.post("/api/activities", headers=dw.staff, json={
        "title": "Påskpyssel", "category": "skapande", "organiser": "Fritid", "age_min": 6, "age_max": 15,
        "capacity": 5, "place": "Biblioteket"})
    later = (await client.post(f"/api/activities/{made.json()['id']}/sessions", headers=dw.staff, json={
        "date": "2027-03-31", "start": "10:00", "end": "12:00"})).json()["sessions"][0]["id"]
    assert (await client.post(f"/api/activities/{made.json()['id']}/publication", headers=dw.staff)).status_code == 200
    second = await client.put(f"/api/holiday-periods/{pasklov}/draw", headers=dw.staff,
                              json={"wishes_close_at": "2027-03-01T12:00:00+01:00"})
    assert second.status_code == 200, second.text
    for headers, name, year in ((g1, "Alva", 2018), (g2, "Cleo", 2016)):
        put = await client.put(f"/api/holiday-draws/{dw.draw_id}/children", headers=headers,
                               json=child(name, year, [s["climbing"]]))
        assert put.status_code == 200, put.text
    with time_machine.travel(AFTER_DEADLINE, tick=True):
        run = await client.post(f"/api/holiday-draws/{dw.draw_id}/runs", headers=dw.staff, json={"seed": "1"})
        alva = next(c for c in run.json()["children"] if c["first_name"] == "Alva")
        taken = await client.put(f"/api/holiday-draws/{dw.draw_id}/preview/grants", headers=dw.staff,
                                 json={"child_id": alva["child_id"], "session_id": s["climbing"], "granted": False})
        assert taken.status_code == 200, taken.text
        assert (await client.post(f"/api/holiday-draws/{dw.draw_id}/publication", headers=dw.staff)).json()[
            "registrations"] == 1
        for headers, name, year in ((g1, "Alva", 2018), (g1, "Bo", 2018), (g2, "Cleo", 2016)):
            put = await client.put(f"/api/holiday-draws/{second.json()['id']}/children", headers=headers,
                                   json=child(name, year, [later]))
            assert put.status_code == 200, put.text
    with time_machine.travel("2027-03-02T09:00:00+01:00", tick=True):
        signed = await client.post("/api/auth/tokens", json={"email": dw.world["activities_staff"].email,
                                                             "password": PASSWORD})  # three months on: sign in again
        staff = {"Authorization": f"Bearer {signed.json()['token']}"}
        preview = await client.post(f"/api/holiday-draws/{second.json()['id']}/runs", headers=staff,
                                    json={"seed": "2"})
        assert preview.status_code == 201, preview.text
    scores = {c["first_name"]: c["wishes"][0]["score"] for c in preview.json()["children"]}
    assert scores == {"Alva": 10 + 6 + 3, "Bo": 10 + 3, "Cleo": 10}
