"""A leisure staff grant narrowed to one site (`roles: [{"role": "activities_staff", "scope_id": <site>}]`)
covers the activities and sessions in that site's rooms only: rosters (children's names and needs),
attendance, registrations and tickets, editing, approving and cancelling activities and sessions answer
403 elsewhere and change nothing; the lists (activities with their drafts, the follow-up) leave the
other sites out. The municipality-wide staff and the admin keep every site. Both engines."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import httpx
import pytest

from booking.adapters.db.database import Database
from booking.adapters.db.uow import SqlUnitOfWork
from booking.api.app import create_app
from booking.domain.premises.model import Site, Space, SpaceKind
from booking.domain.shared.clock import FixedClock
from tests import conftest
from tests.conftest import FAST_HASHER, PASSWORD, Caller, World, build_world

NOW = datetime(2027, 1, 11, 9, 0, tzinfo=UTC)  # pinned: the sessions below lie ahead, on no holiday
DAY = "2027-02-17"  # a Wednesday in no holiday or eve
EVERY_DAY = {"general": [{"weekday": d, "opens": "08:00", "closes": "20:00"} for d in range(7)]}


@pytest.fixture
async def app(db: Database) -> Any:
    return create_app(conftest.test_settings(), db=db, hasher=FAST_HASHER, clock=FixedClock(NOW))


@pytest.fixture
async def client(app: Any) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as c:
        yield c


@pytest.fixture
async def world(db: Database, client: httpx.AsyncClient) -> World:
    return await build_world(db, client)


@dataclass
class Town:
    world: World
    here: Caller  # activities staff narrowed to the world's site (Testskolan)
    other_space_id: str  # a room at another site (Norra skolan)
    activity_here: dict[str, Any]
    activity_there: dict[str, Any]
    session_here: str
    session_there: str
    registration_here: dict[str, Any]
    registration_there: dict[str, Any]


async def _activity(client: httpx.AsyncClient, headers: dict[str, str], space_id: str | None,
                    title: str) -> httpx.Response:
    body: dict[str, Any] = {"title": title, "category": "idrott", "organiser": "Fritid", "age_min": 6,
                            "age_max": 15, "capacity": 10}
    body.update({"space_id": space_id} if space_id else {"place": "Sidsjön"})
    return await client.post("/api/activities", headers=headers, json=body)


async def _published_session(client: httpx.AsyncClient, world: World, space_id: str, title: str
                             ) -> tuple[dict[str, Any], str]:
    staff = world["activities_staff"].headers
    created = await _activity(client, staff, space_id, title)
    assert created.status_code == 201, created.text
    added = await client.post(f"/api/activities/{created.json()['id']}/sessions", headers=staff,
                              json={"date": DAY, "start": "10:00", "end": "12:00"})
    assert added.status_code == 201, added.text
    published = await client.post(f"/api/activities/{created.json()['id']}/publication", headers=staff)
    assert published.status_code == 200, published.text
    return published.json(), str(added.json()["sessions"][0]["id"])


@pytest.fixture
async def town(db: Database, client: httpx.AsyncClient, world: World) -> Town:
    uow = SqlUnitOfWork(db)
    async with uow:
        site = Site(UUID(world.municipality_id), "Norra skolan", "Norra vägen 2", "85351", "Sundsvall")
        space = Space(UUID(world.municipality_id), site.id, "Matsalen", SpaceKind.GYM, 40)
        uow.sites.add(site)
        uow.spaces.add(space)
        await uow.commit()
    for space_id in (world.space_id, str(space.id)):
        hours = await client.put(f"/api/spaces/{space_id}/opening-hours", headers=world["admin"].headers,
                                 json=EVERY_DAY)
        assert hours.status_code == 200, hours.text
    email = f"fritid.testskolan.{world.slug}@example.se"
    made = await client.post("/api/accounts", headers=world["admin"].headers, json={
        "email": email, "display_name": "Fritidsledare Testskolan", "password": PASSWORD,
        "roles": [{"role": "activities_staff", "scope_id": world.site_id}]})
    assert made.status_code == 201, made.text
    token = await client.post("/api/auth/tokens", json={"email": email, "password": PASSWORD})
    assert token.status_code == 201, token.text
    here = Caller("activities_staff@site", made.json()["id"], email, token.json()["token"])

    activity_here, session_here = await _published_session(client, world, world.space_id, "Klättring")
    activity_there, session_there = await _published_session(client, world, str(space.id), "Parkour")
    guardian = world["guardian"].headers
    signed_here = await client.post(f"/api/activity-sessions/{session_here}/registrations", headers=guardian,
                                    json={"children": [{"first_name": "Bo", "birth_year": 2017}]})
    assert signed_here.status_code == 201, signed_here.text
    signed_there = await client.post(f"/api/activity-sessions/{session_there}/registrations", headers=guardian,
                                     json={"children": [{"first_name": "Alva", "birth_year": 2016,
                                                         "needs": "Nötallergi"}]})
    assert signed_there.status_code == 201, signed_there.text
    return Town(world, here, str(space.id), activity_here, activity_there, session_here, session_there,
                signed_here.json()["registrations"][0], signed_there.json()["registrations"][0])


def _refused(response: httpx.Response) -> None:
    assert response.status_code == 403, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "Alva" not in response.text and "Nötallergi" not in response.text


async def test_the_roster_and_tickets_of_another_site_are_closed_to_a_narrowed_grant(
        client: httpx.AsyncClient, town: Town) -> None:
    here = town.here.headers
    mine = await client.get(f"/api/activity-sessions/{town.session_here}/registrations", headers=here)
    assert mine.status_code == 200, mine.text
    assert [p["first_name"] for p in mine.json()["participants"]] == ["Bo"]
    _refused(await client.get(f"/api/activity-sessions/{town.session_there}/registrations", headers=here))
    _refused(await client.get(f"/api/registrations/{town.registration_there['id']}/ticket.svg", headers=here))
    ticket = await client.get(f"/api/registrations/{town.registration_here['id']}/ticket.svg", headers=here)
    assert ticket.status_code == 200 and ticket.content.startswith(b"<?xml")
    # the municipality-wide staff and the admin see every site's roster
    for role in ("activities_staff", "admin"):
        wide = await client.get(f"/api/activity-sessions/{town.session_there}/registrations",
                                headers=town.world[role].headers)
        assert wide.status_code == 200, wide.text
        assert [(p["first_name"], p["needs"]) for p in wide.json()["participants"]] == [("Alva", "Nötallergi")]


async def test_writes_at_another_site_answer_403_and_change_nothing(client: httpx.AsyncClient, town: Town) -> None:
    here, world = town.here.headers, town.world
    activity, session, registration = town.activity_there["id"], town.session_there, town.registration_there
    roster_before = (await client.get(f"/api/activity-sessions/{session}/registrations",
                                      headers=world["activities_staff"].headers)).json()
    activity_before = (await client.get(f"/api/activities/{activity}")).json()
    submitted_there = await _activity(client, world["activities_staff"].headers, town.other_space_id, "Dans")
    assert submitted_there.status_code == 201, submitted_there.text
    draft = submitted_there.json()["id"]

    writes = [
        ("PATCH", f"/api/activities/{activity}", {"title": "Annat"}),
        ("POST", f"/api/activities/{draft}/publication", None),
        ("POST", f"/api/activities/{draft}/return", {"reason": "Ändra tiden"}),
        ("POST", f"/api/activities/{activity}/cancellation", {"reason": "Sjukdom"}),
        ("POST", f"/api/activities/{activity}/sessions", {"date": "2027-02-18", "start": "10:00", "end": "12:00"}),
        ("PUT", f"/api/activity-sessions/{session}/capacity", {"capacity": 30}),
        ("PUT", f"/api/activity-sessions/{session}/time", {"date": "2027-02-18", "start": "13:00", "end": "14:00"}),
        ("POST", f"/api/activity-sessions/{session}/cancellation", {"reason": "Sjukdom"}),
        ("POST", f"/api/activity-sessions/{session}/check-ins", {"ticket": registration["ticket_url"]}),
        ("PUT", f"/api/activity-sessions/{session}/registrations/{registration['id']}/attendance",
         {"present": True}),
        ("PUT", f"/api/activity-sessions/{session}/visitors",
         {"visitors": [{"gender": "female", "age_group": "10-12", "count": 3}]}),
        ("POST", f"/api/registrations/{registration['id']}/cancellation", None),
    ]
    for method, path, body in writes:
        response = await client.request(method, path, headers=here, json=body)
        assert response.status_code == 403, (method, path, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")

    assert (await client.get(f"/api/activity-sessions/{session}/registrations",
                             headers=world["activities_staff"].headers)).json() == roster_before
    assert (await client.get(f"/api/activities/{activity}")).json() == activity_before
    untouched = (await client.get(f"/api/activities/{draft}", headers=world["activities_staff"].headers)).json()
    assert untouched["activity"]["status"] == "draft" and len(untouched["sessions"]) == 0


async def test_at_its_own_site_a_narrowed_grant_does_the_staff_work(client: httpx.AsyncClient, town: Town) -> None:
    here, session = town.here.headers, town.session_here
    edited = await client.patch(f"/api/activities/{town.activity_here['id']}", headers=here,
                                json={"title": "Klättring för nybörjare"})
    assert edited.status_code == 200, edited.text
    assert (await client.put(f"/api/activity-sessions/{session}/capacity", headers=here,
                             json={"capacity": 12})).status_code == 200
    present = await client.put(f"/api/activity-sessions/{session}/registrations/{town.registration_here['id']}"
                               "/attendance", headers=here, json={"present": True})
    assert present.status_code == 200 and present.json()["attended"] is True
    # the room moves and is freed through premises, as premises staff of the same site only
    moved = await client.put(f"/api/activity-sessions/{session}/time", headers=here,
                             json={"date": "2027-02-18", "start": "13:00", "end": "15:00"})
    assert moved.status_code == 200, moved.text
    assert moved.json()["local_date"] == "2027-02-18"
    cancelled = await client.post(f"/api/activity-sessions/{session}/cancellation", headers=here,
                                  json={"reason": "Sjukdom"})
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["status"] == "cancelled"


async def test_creating_needs_a_room_at_one_of_the_grants_sites(client: httpx.AsyncClient, town: Town) -> None:
    here = town.here.headers
    assert (await _activity(client, here, town.world.space_id, "Fotboll")).status_code == 201
    _refused(await _activity(client, here, town.other_space_id, "Fotboll"))
    _refused(await _activity(client, here, None, "Paddling"))  # at no site: a municipality-wide grant
    # the municipality's holidays are no site's either
    _refused(await client.put("/api/holiday-periods/2027/sportlov", headers=here,
                              json={"first_day": "2027-02-15", "last_day": "2027-02-21"}))
    wide = await client.put("/api/holiday-periods/2027/sportlov", headers=town.world["activities_staff"].headers,
                            json={"first_day": "2027-02-15", "last_day": "2027-02-21"})
    assert wide.status_code == 200, wide.text


async def test_lists_leave_the_other_sites_out(client: httpx.AsyncClient, town: Town) -> None:
    here, world = town.here.headers, town.world
    wide = world["activities_staff"].headers
    draft_here = (await _activity(client, wide, world.space_id, "Bordtennis")).json()["id"]
    draft_there = (await _activity(client, wide, town.other_space_id, "Schack")).json()["id"]
    draft_nowhere = (await _activity(client, wide, None, "Paddling")).json()["id"]

    listed = await client.get("/api/activities", headers=here, params={"limit": 100})
    assert listed.status_code == 200, listed.text
    ids = {a["id"] for a in listed.json()["items"]}
    # published ones are public; drafts only of the grant's site
    assert ids == {town.activity_here["id"], town.activity_there["id"], draft_here}
    assert listed.json()["total"] == 3
    drafts = await client.get("/api/activities", headers=here, params={"status": "draft"})
    assert {a["id"] for a in drafts.json()["items"]} == {draft_here}
    everything = await client.get("/api/activities", headers=wide, params={"limit": 100})
    assert {a["id"] for a in everything.json()["items"]} == ids | {draft_there, draft_nowhere}
    assert (await client.get(f"/api/activities/{draft_there}", headers=here)).status_code == 404
    assert (await client.get(f"/api/activities/{draft_here}", headers=here)).status_code == 200

    params = {"from": "2027-02-01", "to": "2027-02-28"}
    report = await client.get("/api/activity-follow-up", headers=here, params=params)
    assert report.status_code == 200, report.text
    r = report.json()
    assert (r["activities"], r["sessions"], r["sign_ups"]) == (1, 1, 1)  # Bo at Testskolan, not Alva
    csv = await client.get("/api/activity-follow-up/report.csv", headers=here, params=params)
    assert "totals;sign_ups;1" in csv.text
    full = (await client.get("/api/activity-follow-up", headers=wide, params=params)).json()
    assert (full["activities"], full["sessions"], full["sign_ups"]) == (2, 2, 2)
