"""Premises staff narrowed to one site (`roles: [{"role": "premises_staff", "scope_id": <site>}]`):
every premises staff route, acting on the other site's things, answers 403 (problem+json, nothing
changed) or leaves them out of its lists, and on its own site's things works as for any staff
member; on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
import time_machine

from booking.adapters.db.database import Database
from booking.adapters.db.queries import Queries
from tests.api.test_allocation_api import EVENINGS, ROUND, _application
from tests.api.test_bookings_api import WEEKDAY_EVENINGS
from tests.conftest import PASSWORD, World, build_world, make_app, random_ref

SETUP_AT = "2026-12-01T09:00:00+01:00"
DAY = "2027-02-04"  # a Thursday no holiday touches
DURING = "2027-02-04T18:20:00+01:00"  # within the 18:00-19:30 bookings


@pytest.fixture
async def api(db: Database) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=make_app(db)),
                                 base_url="http://testserver") as client:
        yield client


@dataclass
class Site:
    site_id: str
    space_id: str
    pending: str = ""  # a single request by the association
    series: str = ""  # a pending weekly series by the association
    approved: str = ""  # an approved booking (staff), DAY 18:00-19:30
    extra: dict[str, str] = field(default_factory=dict)


@dataclass
class Town:
    world: World
    narrowed: dict[str, str]  # headers of the staff member narrowed to site A
    a: Site
    b: Site


async def _post(api: httpx.AsyncClient, path: str, headers: dict[str, str], body: dict[str, Any]) -> dict[str, Any]:
    answer = await api.post(path, headers=headers, json=body)
    assert answer.status_code in (200, 201), (path, answer.text)
    return answer.json()  # type: ignore[no-any-return]


async def _two_sites(api: httpx.AsyncClient, db: Database) -> Town:
    """The world's site (A) and another (B), and a premises staff member narrowed to A."""
    world = await build_world(db, api)
    admin, staff = world["admin"].headers, world["premises_staff"].headers
    site_b = await _post(api, "/api/sites", admin, {"name": "Bergsskolan", "address": {
        "street": "Bergsvägen 3", "postal_code": "852 30", "city": "Sundsvall"}})
    space_b = await _post(api, "/api/spaces", admin, {"site_id": site_b["id"], "name": "Bergshallen", "kind": "gym",
                                                      "capacity": 30})
    a, b = Site(world.site_id, world.space_id), Site(site_b["id"], space_b["id"])
    await _post(api, f"/api/associations/{world.association_id}/verification", staff, {"verified": True})
    email = f"lokal.{random_ref()}@example.se"
    await _post(api, "/api/accounts", admin, {"email": email, "display_name": "Skolans bokare", "password": PASSWORD,
                                              "roles": [{"role": "premises_staff", "scope_id": a.site_id}]})
    token = await _post(api, "/api/auth/tokens", {}, {"email": email, "password": PASSWORD})
    return Town(world, {"Authorization": f"Bearer {token['token']}"}, a, b)


async def _town(api: httpx.AsyncClient, db: Database) -> Town:
    """Two sites, each with a pending request, a pending series, approved bookings, a closed period and
    an association's move waiting for staff."""
    town = await _two_sites(api, db)
    world, a, b = town.world, town.a, town.b
    staff, rep = world["premises_staff"].headers, world["association_rep"].headers
    for site, title in ((a, "Innebandy"), (b, "Basket")):
        hours = await api.put(f"/api/spaces/{site.space_id}/opening-hours", headers=staff, json=WEEKDAY_EVENINGS)
        assert hours.status_code == 200, hours.text
        site.pending = (await _post(api, "/api/bookings", rep, {
            "space_id": site.space_id, "title": title, "association_id": world.association_id,
            "date": "2027-02-05", "start": "18:00", "end": "19:00"}))["bookings"][0]["id"]
        site.series = (await _post(api, "/api/bookings", rep, {
            "space_id": site.space_id, "title": title, "association_id": world.association_id,
            "date": "2027-02-08", "start": "18:00", "end": "19:00",
            "recurrence": {"weekdays": [0], "count": 2}}))["series_id"]
        site.approved = (await _post(api, "/api/bookings", staff, {
            "space_id": site.space_id, "title": title, "association_id": world.association_id,
            "date": DAY, "start": "18:00", "end": "19:30"}))["bookings"][0]["id"]
        site.extra["moving"] = (await _post(api, "/api/bookings", staff, {
            "space_id": site.space_id, "title": title, "association_id": world.association_id,
            "date": "2027-02-10", "start": "18:00", "end": "19:00"}))["bookings"][0]["id"]
        site.extra["cancelling"] = (await _post(api, "/api/bookings", staff, {
            "space_id": site.space_id, "title": title, "association_id": world.association_id,
            "date": "2027-02-11", "start": "18:00", "end": "19:00"}))["bookings"][0]["id"]
        site.extra["closed"] = (await _post(api, "/api/closed-periods", staff, {
            "reason": "Städning", "first_day": "2027-03-01", "last_day": "2027-03-01", "site_id": site.site_id}))["id"]
        changed = await _post(api, f"/api/bookings/{site.extra['moving']}/move", rep,
                              {"date": "2027-02-10", "start": "20:00", "end": "21:00"})
        site.extra["change"] = changed["pending_change"]["id"]
    return town


def _refused(answer: httpx.Response, what: str) -> None:
    assert answer.status_code == 403, (what, answer.status_code, answer.text)
    assert answer.headers["content-type"].startswith("application/problem+json"), what


async def test_a_staff_member_narrowed_to_a_site_acts_there_and_nowhere_else(api: httpx.AsyncClient,
                                                                            db: Database) -> None:
    with time_machine.travel(SETUP_AT, tick=True):
        town = await _town(api, db)
        me, a, b, world = town.narrowed, town.a, town.b, town.world
        counts = await Queries(db).table_counts()

        # --- writes about site B: 403, nothing changed ----------------------------------------------
        refusals = {
            "decide a request": ("POST", f"/api/bookings/{b.pending}/decision", {"approve": True}),
            "reject a request": ("POST", f"/api/bookings/{b.pending}/decision", {"approve": False, "reason": "Nej"}),
            "decide a series": ("POST", f"/api/booking-series/{b.series}/decision", {"approve": True}),
            "decide a change": ("POST", f"/api/booking-changes/{b.extra['change']}/decision", {"approve": True}),
            "move": ("POST", f"/api/bookings/{b.extra['cancelling']}/move",
                     {"date": "2027-02-11", "start": "20:00", "end": "21:00"}),
            "move to site B": ("POST", f"/api/bookings/{a.extra['cancelling']}/move",
                               {"date": "2027-02-11", "start": "20:00", "end": "21:00", "space_id": b.space_id}),
            "cancel": ("POST", f"/api/bookings/{b.extra['cancelling']}/cancellation", {}),
            "opening hours": ("PUT", f"/api/spaces/{b.space_id}/opening-hours", WEEKDAY_EVENINGS),
            "close site B": ("POST", "/api/closed-periods",
                             {"reason": "Lov", "first_day": "2027-04-01", "last_day": "2027-04-01",
                              "site_id": b.site_id}),
            "close a space of B": ("POST", "/api/closed-periods",
                                   {"reason": "Lov", "first_day": "2027-04-01", "last_day": "2027-04-01",
                                    "space_id": b.space_id}),
            "close every site": ("POST", "/api/closed-periods",
                                 {"reason": "Lov", "first_day": "2027-04-01", "last_day": "2027-04-01"}),
            "reopen B": ("DELETE", f"/api/closed-periods/{b.extra['closed']}", None),
            "close a day for all": ("PUT", "/api/holidays/2027-04-02", {"closed": True, "name": "Studiedag"}),
            "reopen a holiday for all": ("DELETE", "/api/holidays/2027-03-26", None),
            "set access": ("PUT", f"/api/spaces/{b.space_id}/access", {"mode": "open"}),
            "read access": ("GET", f"/api/spaces/{b.space_id}/access", None),
            "door code": ("GET", f"/api/bookings/{b.approved}/access", None),
            "check-in QR": ("GET", f"/api/bookings/{b.approved}/check-in.svg", None),
            "read a booking": ("GET", f"/api/bookings/{b.approved}", None),
        }
        for what, (method, path, body) in refusals.items():
            _refused(await api.request(method, path, headers=me, json=body), what)
        assert await Queries(db).table_counts() == counts, "a refused write changed data"

        # --- the same on site A: allowed ------------------------------------------------------------
        assert (await api.post(f"/api/bookings/{a.pending}/decision", headers=me,
                               json={"approve": True})).json()["bookings"][0]["status"] == "approved"
        series = await api.post(f"/api/booking-series/{a.series}/decision", headers=me, json={"approve": True})
        assert series.status_code == 200 and len(series.json()["bookings"]) == 2
        change = await api.post(f"/api/booking-changes/{a.extra['change']}/decision", headers=me,
                                json={"approve": True})
        assert change.status_code == 200 and change.json()["bookings"][0]["local_start"] == "20:00"
        moved = await api.post(f"/api/bookings/{a.extra['cancelling']}/move", headers=me,
                               json={"date": "2027-02-11", "start": "20:00", "end": "21:00"})
        assert moved.status_code == 200 and moved.json()["pending_change"] is None
        assert (await api.post(f"/api/bookings/{a.extra['cancelling']}/cancellation", headers=me,
                               json={})).status_code == 200
        assert (await api.put(f"/api/spaces/{a.space_id}/opening-hours", headers=me,
                              json=WEEKDAY_EVENINGS)).status_code == 200
        for target in ({"site_id": a.site_id}, {"space_id": a.space_id}):
            closed = await api.post("/api/closed-periods", headers=me, json={
                "reason": "Lov", "first_day": "2027-04-01", "last_day": "2027-04-01", **target})
            assert closed.status_code == 201, closed.text
        assert (await api.delete(f"/api/closed-periods/{a.extra['closed']}", headers=me)).status_code == 204
        assert (await api.put(f"/api/spaces/{a.space_id}/access", headers=me,
                              json={"mode": "door_code"})).status_code == 200
        assert (await api.get(f"/api/spaces/{a.space_id}/access", headers=me)).json()["mode"] == "door_code"
        door = await api.get(f"/api/bookings/{a.approved}/access", headers=me)
        assert door.status_code == 200 and door.json()["door_code"]
        assert (await api.get(f"/api/bookings/{a.approved}/check-in.svg", headers=me)).status_code == 200
        assert (await api.get(f"/api/bookings/{a.approved}", headers=me)).status_code == 200

        # --- requests: approved at once at site A, an ordinary request at site B ---------------------
        own = await api.post("/api/bookings", headers=me, json={
            "space_id": a.space_id, "title": "Skolans kväll", "date": "2027-02-16", "start": "18:00", "end": "19:00"})
        assert own.json()["bookings"][0]["status"] == "approved"
        there = await api.post("/api/bookings", headers=me, json={
            "space_id": b.space_id, "title": "Skolans kväll", "date": "2027-02-16", "start": "18:00", "end": "19:00"})
        assert there.status_code == 201 and there.json()["bookings"][0]["status"] == "pending"
        for_them = await api.post("/api/bookings", headers=me, json={
            "space_id": b.space_id, "title": "För föreningen", "association_id": world.association_id,
            "date": "2027-02-17", "start": "18:00", "end": "19:00"})
        _refused(for_them, "book site B for an association it does not represent")
        # their own request at site B is theirs to cancel, but not theirs to approve
        _refused(await api.post(f"/api/bookings/{there.json()['bookings'][0]['id']}/decision", headers=me,
                                json={"approve": True}), "approve one's own request at site B")

        # --- lists keep to site A ---------------------------------------------------------------------
        listed = (await api.get("/api/bookings", headers=me, params={"limit": 200})).json()["items"]
        spaces = {x["space_id"] for x in listed if x["id"] != there.json()["bookings"][0]["id"]}
        assert spaces == {a.space_id}
        assert there.json()["bookings"][0]["id"] in {x["id"] for x in listed}  # their own request is theirs
        # the approval queue: B's requests are not theirs; only their own request there is listed
        queue = (await api.get("/api/bookings", headers=me, params={"status": "pending"})).json()["items"]
        assert [x["id"] for x in queue] == [there.json()["bookings"][0]["id"]]
        waiting = (await api.get("/api/bookings", headers=me, params={"pending_change": "true"})).json()["items"]
        assert waiting == []  # B's waiting change is not theirs to see
        calendar_b = (await api.get("/api/bookings", headers=me, params={"space_id": b.space_id})).json()["items"]
        assert [x["id"] for x in calendar_b] == [there.json()["bookings"][0]["id"]]
        everything = (await api.get("/api/bookings", headers=world["premises_staff"].headers,
                                    params={"space_id": b.space_id})).json()["total"]
        assert everything > 1  # the municipality-wide staff member sees site B's

    # --- at the door: check-in, no-show, attendance ----------------------------------------------------
    with time_machine.travel(DURING, tick=True):
        codes = {}
        for site in (a, b):
            access = await api.get(f"/api/bookings/{site.approved}/access", headers=world["premises_staff"].headers)
            codes[site.site_id] = access.json()["check_in_url"]
        _refused(await api.post("/api/check-ins", headers=me, json={"code": codes[b.site_id]}), "check in at B")
        checked = await api.post("/api/check-ins", headers=me, json={"code": codes[a.site_id]})
        assert checked.status_code == 200 and checked.json()["checked_in_at"]
        _refused(await api.post(f"/api/bookings/{b.approved}/no-show", headers=me), "no-show at B")
        no_show_b = await api.post(f"/api/bookings/{b.approved}/no-show", headers=world["premises_staff"].headers)
        assert no_show_b.status_code == 200
        attendance = {"leader_name": "Sara Ledare", "leader_birth_year": 1990,
                      "participants": [{"birth_year": 2015, "gender": "female", "count": 5}]}
        _refused(await api.put(f"/api/bookings/{b.approved}/attendance", headers=me, json=attendance),
                 "attendance at B")
        for site in (a, b):
            recorded = await api.put(f"/api/bookings/{site.approved}/attendance",
                                     headers=world["association_rep"].headers, json=attendance)
            assert recorded.status_code == 200, recorded.text
        assert (await api.put(f"/api/bookings/{a.approved}/attendance", headers=me,
                              json=attendance)).status_code == 200

        period = {"from": "2027-02-01", "to": "2027-02-28"}
        mine = (await api.get(f"/api/associations/{world.association_id}/attendance", headers=me,
                              params=period)).json()["items"]
        assert {x["space_name"] for x in mine} == {"Gympasalen"}
        whole = (await api.get(f"/api/associations/{world.association_id}/attendance",
                               headers=world["premises_staff"].headers, params=period)).json()["items"]
        assert {x["space_name"] for x in whole} == {"Gympasalen", "Bergshallen"}
        csv = await api.get(f"/api/associations/{world.association_id}/attendance.csv", headers=me, params=period)
        assert csv.status_code == 200 and "Bergshallen" not in csv.text and "Gympasalen" in csv.text
        assert (await api.get("/api/no-shows", headers=me, params={"since": "2027-01-01"})).json()["items"] == []
        counted = (await api.get("/api/no-shows", headers=world["premises_staff"].headers,
                                 params={"since": "2027-01-01"})).json()["items"]
        assert [x["count"] for x in counted] == [1]
        fees = (await api.get("/api/fees", headers=me, params=period)).json()
        lines = [line for association in fees["associations"] for line in association["lines"]]
        assert lines and {line["space_id"] for line in lines} == {a.space_id}
        fees_csv = await api.get("/api/fees.csv", headers=me, params=period)
        assert fees_csv.status_code == 200 and b.approved not in fees_csv.text and a.approved in fees_csv.text


async def test_the_allocation_round_for_a_staff_member_narrowed_to_a_site(api: httpx.AsyncClient,
                                                                          db: Database) -> None:
    """The round as a whole decides about every site (403); adjustments about the other site's spaces
    are refused; the proposal and the applications show what concerns the staff member's site."""
    with time_machine.travel("2027-05-03T10:00:00+02:00", tick=True) as traveller:
        town = await _two_sites(api, db)
        me, a, b, world = town.narrowed, town.a, town.b, town.world
        staff = world["premises_staff"].headers
        for space in (a.space_id, b.space_id):
            assert (await api.put(f"/api/spaces/{space}/opening-hours", headers=staff,
                                  json=EVENINGS)).status_code == 200
        _refused(await api.post("/api/allocation-rounds", headers=me, json=ROUND), "create a round")
        _refused(await api.put("/api/allocation-rules", headers=me, json={"rules": []}), "set the rules")
        round_id = (await _post(api, "/api/allocation-rounds", staff, ROUND))["id"]
        base = f"/api/allocation-rounds/{round_id}"
        _refused(await api.put(base, headers=me, json=ROUND), "change the round")
        _refused(await api.post(f"{base}/opening", headers=me), "open the round")
        await _post(api, f"{base}/opening", staff, {})
        rep = world["association_rep"].headers
        here = await _post(api, f"{base}/applications", rep, _application(
            world.association_id, "Innebandy A", [(a.space_id, 1, "18:00")], participants=20))
        there = await _post(api, f"{base}/applications", rep, _application(
            world.association_id, "Basket B", [(b.space_id, 1, "18:00")], participants=20))

        traveller.move_to("2027-06-02T08:00:00+02:00")
        _refused(await api.post(f"{base}/allocation", headers=me), "run the allocation")
        run = await api.post(f"{base}/allocation", headers=staff)
        assert run.status_code == 200, run.text
        assert {d["title"] for d in run.json()["decisions"]} == {"Innebandy A", "Basket B"}

        seen = (await api.get(f"{base}/applications", headers=me)).json()["items"]
        assert [x["title"] for x in seen] == ["Innebandy A"]
        proposal = (await api.get(f"{base}/proposal", headers=me)).json()
        assert [d["title"] for d in proposal["decisions"]] == ["Innebandy A"]
        counts = await Queries(db).table_counts()
        _refused(await api.post(f"{base}/adjustments", headers=me, json={"application_id": there["id"], "deny": True}),
                 "deny an application placed at site B")
        _refused(await api.post(f"{base}/adjustments", headers=me, json={
            "application_id": here["id"], "space_id": b.space_id, "weekday": 2, "start": "18:00"}),
            "move an application to site B")
        assert await Queries(db).table_counts() == counts
        adjusted = await api.post(f"{base}/adjustments", headers=me, json={
            "application_id": here["id"], "space_id": a.space_id, "weekday": 2, "start": "18:00"})
        assert adjusted.status_code == 200, adjusted.text
        assert [(d["title"], d["slot"]["weekday"]) for d in adjusted.json()["decisions"]] == [("Innebandy A", 2)]
        _refused(await api.post(f"{base}/publication", headers=me), "publish the round")
        published = await api.post(f"{base}/publication", headers=staff)
        assert published.status_code == 200, published.text
        assert {p["booked"] > 0 for p in published.json()["items"]} == {True}
