"""A child's home area over HTTP: the municipality's postcode table (replaced by staff, imported as CSV,
looked up by anyone without personal data), first-come sign-up carrying the home area (chosen, or from
a postcode), and the follow-up counting participants by the area they live in, not the activity's."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
import time_machine

from booking.adapters.db.database import Database
from booking.adapters.db.queries import Queries
from tests.conftest import PASSWORD, World, build_world, make_app

TABLE = "/api/postcode-areas"


@pytest.fixture(autouse=True)
def before_the_sessions() -> Iterator[None]:
    """The session below is on 2027-02-17 (sportlov): the clock stands before it on any run."""
    with time_machine.travel("2026-12-01T09:00:00+01:00", tick=True):
        yield


async def _area(client: httpx.AsyncClient, world: World, name: str, population: int | None = None) -> str:
    made = await client.post("/api/areas", headers=world["admin"].headers,
                             json={"name": name, "population_0_17": population})
    assert made.status_code == 201, made.text
    return str(made.json()["id"])


async def _table(client: httpx.AsyncClient, world: World) -> list[dict[str, Any]]:
    listed = await client.get(TABLE, headers=world["activities_staff"].headers)
    assert listed.status_code == 200, listed.text
    return list(listed.json()["items"])


def _errors(response: httpx.Response) -> list[str]:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    return [e["field"] for e in response.json()["errors"]]


async def test_staff_replace_the_table_and_anyone_looks_a_postcode_up_without_personal_data(
        client: httpx.AsyncClient, world: World) -> None:
    haga = await _area(client, world, "Haga")
    staff = world["activities_staff"].headers
    put = await client.put(TABLE, headers=staff, json={"items": [
        {"postcode": "852 31", "area_id": world.area_id}, {"postcode": "85232", "area_id": haga},
        {"postcode": "85233", "area_id": haga}]})
    assert put.status_code == 200, put.text
    assert put.json() == {"count": 3}
    assert [(r["postcode"], r["area_name"]) for r in await _table(client, world)] == [
        ("85231", "Nacksta"), ("85232", "Haga"), ("85233", "Haga")]

    # the public lookup: the postcode and its area, nothing else (no account, no child, no address)
    found = await client.get(f"{TABLE}/852%2031", params={"municipality": world.slug})
    assert found.status_code == 200, found.text
    assert found.json() == {"postcode": "85231", "area_id": world.area_id, "area_name": "Nacksta"}
    unknown = await client.get(f"{TABLE}/85299", params={"municipality": world.slug})
    assert unknown.status_code == 404
    assert _errors(await client.get(f"{TABLE}/85231")) == ["municipality"]
    assert _errors(await client.get(f"{TABLE}/8523", params={"municipality": world.slug})) == ["postcode"]

    # replacing again keeps only the new table; the admin may do it too
    again = await client.put(TABLE, headers=world["admin"].headers,
                             json={"items": [{"postcode": "85232", "area_id": world.area_id}]})
    assert again.status_code == 200 and again.json() == {"count": 1}
    assert [(r["postcode"], r["area_id"]) for r in await _table(client, world)] == [("85232", world.area_id)]
    assert (await client.get(f"{TABLE}/85231", params={"municipality": world.slug})).status_code == 404
    audit = await client.get("/api/audit", headers=world["admin"].headers,
                             params={"action": "postcode_areas.replaced"})
    assert audit.status_code == 200, audit.text
    assert [e["details"]["postcodes"] for e in audit.json()["items"]] == [1, 3]  # newest first


async def test_bad_lines_are_named_and_another_municipalitys_area_is_refused(
        sqlite_db: Database, client: httpx.AsyncClient, world: World) -> None:
    other = await build_world(sqlite_db, client)
    staff = world["activities_staff"].headers
    kept = await client.put(TABLE, headers=staff, json={"items": [{"postcode": "85231", "area_id": world.area_id}]})
    assert kept.status_code == 200
    before = await Queries(sqlite_db).table_counts()
    refused = await client.put(TABLE, headers=staff, json={"items": [
        {"postcode": "85231", "area_id": world.area_id},
        {"postcode": "852 31", "area_id": world.area_id},  # the same postcode once cleaned
        {"postcode": "8523", "area_id": world.area_id},
        {"postcode": "85240", "area_id": other.area_id}]})
    assert sorted(_errors(refused)) == ["items[1].postcode", "items[2].postcode", "items[3].area_id"]
    assert await Queries(sqlite_db).table_counts() == before
    assert [r["postcode"] for r in await _table(client, world)] == ["85231"]
    # the other municipality neither sees nor answers for this table
    assert await _table(client, other) == []
    lookup = await client.get(f"{TABLE}/85231", params={"municipality": other.slug})
    assert lookup.status_code == 404


async def test_a_grant_narrowed_to_a_site_may_not_keep_the_table(client: httpx.AsyncClient, world: World) -> None:
    email = f"fritid.smal.{world.slug}@example.se"
    made = await client.post("/api/accounts", headers=world["admin"].headers, json={
        "email": email, "display_name": "Fritidsledare Skolan", "password": PASSWORD,
        "roles": [{"role": "activities_staff", "scope_id": world.site_id}]})
    assert made.status_code == 201, made.text
    token = (await client.post("/api/auth/tokens", json={"email": email, "password": PASSWORD})).json()["token"]
    narrowed = {"Authorization": f"Bearer {token}"}
    put = await client.put(TABLE, headers=narrowed,
                           json={"items": [{"postcode": "85231", "area_id": world.area_id}]})
    assert put.status_code == 403, put.text
    assert (await client.get(TABLE, headers=narrowed)).status_code == 403
    assert await _table(client, world) == []


@pytest.fixture
async def api(db: Database) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=make_app(db)),
                                 base_url="http://testserver") as client:
        yield client


async def test_the_postcode_import_dry_runs_then_imports_by_area_name(db: Database, api: httpx.AsyncClient) -> None:
    """On both engines: the import writes through the mapped table rows, the replacement through SQL."""
    client, world = api, await build_world(db, api)
    haga = await _area(client, world, "Haga")
    staff = world["activities_staff"].headers
    assert (await client.put(TABLE, headers=staff, json={"items": [
        {"postcode": "85231", "area_id": world.area_id}, {"postcode": "85232", "area_id": world.area_id}]})
            ).status_code == 200
    text = "postnummer;område\n852 31;Nacksta\n85232;haga\n85233;Haga\n"
    dry = await client.post("/api/imports/postcode_areas", headers=staff, json={"csv": text})
    assert dry.status_code == 200, dry.text
    plan = dry.json()
    assert (plan["created"], plan["changed"], plan["unchanged"], plan["errors"]) == (1, 1, 1, [])
    assert [(r["action"], r["name"]) for r in plan["rows"]] == [
        ("unchanged", "85231"), ("change", "85232"), ("create", "85233")]
    assert [r["area_id"] for r in await _table(client, world)] == [world.area_id, world.area_id]  # dry: nothing

    done = await client.post("/api/imports/postcode_areas", headers=staff, json={"csv": text, "dry_run": False})
    assert done.status_code == 200, done.text
    assert [(r["postcode"], r["area_id"]) for r in await _table(client, world)] == [
        ("85231", world.area_id), ("85232", haga), ("85233", haga)]
    exported = await client.get("/api/exports/postcode_areas.csv", headers=staff)
    assert exported.status_code == 200
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig")), delimiter=";"))
    assert rows == [["postnummer", "område"], ["85231", "Nacksta"], ["85232", "Haga"], ["85233", "Haga"]]

    bad = "postnummer;område\n85234;Nowhere\n8523;Haga\n85235;Haga\n85235;Nacksta\n"
    refused = await client.post("/api/imports/postcode_areas", headers=staff, json={"csv": bad, "dry_run": False})
    assert refused.status_code == 422, refused.text
    problems = {(e["line"], e["column"]) for e in refused.json()["errors"]}
    assert problems == {(2, "område"), (3, "postnummer"), (5, "postnummer")}
    assert len(await _table(client, world)) == 3
    # lending staff may not import the table; other kinds stay as they were for activities staff
    assert (await client.post("/api/imports/postcode_areas", headers=world["lending_staff"].headers,
                              json={"csv": text})).status_code == 403
    assert (await client.post("/api/imports/areas", headers=staff, json={"csv": "namn\nHaga\n"})).status_code == 403


async def _session(client: httpx.AsyncClient, world: World, area_id: str, capacity: int = 10,
                   signup_required: bool = True) -> dict[str, Any]:
    staff = world["activities_staff"].headers
    activity = await client.post("/api/activities", headers=staff, json={
        "title": "Prova på klättring", "category": "idrott", "organiser": "Fritid Sundsvall", "age_min": 6,
        "age_max": 15, "capacity": capacity, "description": "Klättring för alla.", "area_id": area_id,
        "place": "Sidsjön", "signup_required": signup_required})
    assert activity.status_code == 201, activity.text
    added = await client.post(f"/api/activities/{activity.json()['id']}/sessions", headers=staff,
                              json={"start": "13:00", "end": "15:00", "date": "2027-02-17"})
    assert added.status_code == 201, added.text
    published = await client.post(f"/api/activities/{activity.json()['id']}/publication", headers=staff)
    assert published.status_code == 200, published.text
    return dict(added.json()["sessions"][0])


async def test_sign_up_stores_the_home_area_chosen_or_from_a_postcode(
        sqlite_db: Database, client: httpx.AsyncClient, world: World) -> None:
    other = await build_world(sqlite_db, client)
    haga = await _area(client, world, "Haga")
    assert (await client.put(TABLE, headers=world["admin"].headers,
                             json={"items": [{"postcode": "85232", "area_id": haga}]})).status_code == 200
    session = await _session(client, world, world.area_id)
    url = f"/api/activity-sessions/{session['id']}/registrations"
    guardian = world["guardian"].headers
    signed = await client.post(url, headers=guardian, json={"children": [
        {"first_name": "Alva", "birth_year": 2016, "home_area_id": world.area_id},
        {"first_name": "Bo", "birth_year": 2017, "postcode": "852 32"},
        {"first_name": "Cleo", "birth_year": 2015}]})
    assert signed.status_code == 201, signed.text
    assert [r["home_area_id"] for r in signed.json()["registrations"]] == [world.area_id, haga, None]
    mine = await client.get("/api/registrations", headers=guardian)
    assert mine.status_code == 200, mine.text
    assert {r["first_name"]: r["home_area_id"] for r in mine.json()["items"]} == {
        "Alva": world.area_id, "Bo": haga, "Cleo": None}

    before = await Queries(sqlite_db).table_counts()
    unknown = await client.post(url, headers=guardian, json={"children": [
        {"first_name": "Dan", "birth_year": 2014, "postcode": "85299"}]})
    assert _errors(unknown) == ["children[0].postcode"]
    foreign = await client.post(url, headers=guardian, json={"children": [
        {"first_name": "Dan", "birth_year": 2014}, {"first_name": "Eva", "birth_year": 2014,
                                                   "home_area_id": other.area_id}]})
    assert _errors(foreign) == ["children[1].home_area_id"]
    both = await client.post(url, headers=guardian, json={"children": [
        {"first_name": "Dan", "birth_year": 2014, "postcode": "85232", "home_area_id": haga}]})
    assert _errors(both) == ["children[0].postcode"]
    malformed = await client.post(url, headers=guardian, json={"children": [
        {"first_name": "Dan", "birth_year": 2014, "postcode": "85 2"}]})
    assert _errors(malformed) == ["children[0].postcode"]
    assert await Queries(sqlite_db).table_counts() == before


async def test_the_follow_up_counts_each_child_for_their_home_area(client: httpx.AsyncClient, world: World) -> None:
    staff = world["activities_staff"].headers
    haga = await _area(client, world, "Haga", population=500)
    assert (await client.patch(f"/api/areas/{world.area_id}", headers=world["admin"].headers,
                               json={"population_0_17": 2000})).status_code == 200
    generated = await client.post("/api/holiday-periods/generated", headers=staff,
                                  json={"year": 2027, "sportlov_week": 7})
    sportlov = next(p for p in generated.json() if p["kind"] == "sportlov")
    # the activity is in Haga; two children live in Nacksta, one in Haga, one did not say
    session = await _session(client, world, haga)
    signed = await client.post(f"/api/activity-sessions/{session['id']}/registrations",
                               headers=world["guardian"].headers, json={"children": [
                                   {"first_name": "Alva", "birth_year": 2016, "home_area_id": world.area_id},
                                   {"first_name": "Bo", "birth_year": 2017, "home_area_id": world.area_id},
                                   {"first_name": "Cleo", "birth_year": 2015, "home_area_id": haga},
                                   {"first_name": "Dan", "birth_year": 2014}]})
    assert signed.status_code == 201, signed.text
    drop_in = await _session(client, world, haga, capacity=50, signup_required=False)
    counted = await client.put(f"/api/activity-sessions/{drop_in['id']}/visitors", headers=staff, json={
        "visitors": [{"gender": "female", "age_group": "10-12", "count": 7}]})
    assert counted.status_code == 200, counted.text

    report = await client.get("/api/activity-follow-up", headers=staff, params={"period_id": sportlov["id"]})
    assert report.status_code == 200, report.text
    r = report.json()
    reach = {a["area_name"]: (a["participants"], a["per_1000"]) for a in r["equity"]}
    assert reach == {"Nacksta": (2, 1.0), "Haga": (1, 2.0)}  # 2 of 2,000 and 1 of 500 children
    assert r["participants_by_area"] == {"Haga": 1, "Nacksta": 2}
    assert (r["participants_unknown_home_area"], r["drop_in_visitors"], r["sign_ups"]) == (1, 7, 4)
    assert sum(r["participants_by_gender"].values()) == 11  # the drop-in visitors count by gender and age

    sheet = await client.get("/api/activity-follow-up/report.csv", headers=staff,
                             params={"period_id": sportlov["id"]})
    assert sheet.status_code == 200
    rows = list(csv.reader(io.StringIO(sheet.content.decode("utf-8-sig")), delimiter=";"))
    values = {(sec, key): val for sec, key, val in rows[1:]}
    assert (values[("area", "Nacksta")], values[("area_per_1000", "Nacksta")]) == ("2", "1.0")
    assert (values[("area", "Haga")], values[("area_per_1000", "Haga")]) == ("1", "2.0")
    assert values[("area", "unknown_home_area")] == "1" and values[("area", "drop_in_visitors")] == "7"
