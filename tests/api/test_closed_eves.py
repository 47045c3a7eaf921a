"""The holiday eves a municipality closes: påskafton, midsommarafton, julafton and nyårsafton by
default; its admin changes the set (`closed_eves`), and availability, requests and series follow,
on both engines."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date

import httpx
import pytest
import time_machine

from booking.adapters.db.database import Database
from booking.adapters.holidays_se import swedish_closed_days
from tests.api.test_bookings_api import _open_and_verify
from tests.conftest import build_world, make_app

EVES_2027 = {"2027-03-27": "Påskafton", "2027-06-25": "Midsommarafton", "2027-12-24": "Julafton",
             "2027-12-31": "Nyårsafton"}


@pytest.fixture
async def api(db: Database) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=make_app(db)),
                                 base_url="http://testserver") as client:
        yield client


def test_the_four_eves_close_by_default_and_each_can_stay_open() -> None:
    days = {d.isoformat(): name for d, name in swedish_closed_days(2027).items()}
    assert {d: days[d] for d in EVES_2027} == EVES_2027
    assert days["2027-03-26"] == "Långfredagen" and days["2027-06-26"] == "Midsommardagen"
    assert swedish_closed_days(2028).get(date(2028, 4, 15)) == "Påskafton"
    only_christmas = {d.isoformat() for d in swedish_closed_days(2027, ["christmas_eve"])}
    assert {d for d in EVES_2027 if d in only_christmas} == {"2027-12-24"}
    assert "2027-03-26" in only_christmas  # public holidays stay


@time_machine.travel("2026-12-01T09:00:00+01:00", tick=True)
async def test_an_admin_opens_paskafton_and_availability_requests_and_series_follow(api: httpx.AsyncClient,
                                                                                    db: Database) -> None:
    world = await build_world(db, api)
    await _open_and_verify(api, world)
    rep, admin = world["association_rep"].headers, world["admin"].headers
    shown = (await api.get(f"/api/municipalities/{world.municipality_id}")).json()
    assert shown["closed_eves"] == ["easter_eve", "midsummer_eve", "christmas_eve", "new_years_eve"]
    listed = {d["date"]: d["name"] for d in (await api.get(
        "/api/holidays", params={"municipality": world.slug, "year": 2027})).json()["items"]}
    assert {d: listed[d] for d in EVES_2027} == EVES_2027

    saturday = {"space_id": world.space_id, "title": "Påskträning", "association_id": world.association_id,
                "date": "2027-03-27", "start": "10:00", "end": "11:00"}
    refused = await api.post("/api/bookings", headers=rep, json=saturday)
    assert refused.status_code == 422 and refused.json()["errors"][0]["code"] == "holiday"
    assert "Påskafton" in refused.json()["errors"][0]["message"]
    series = {**saturday, "date": "2027-03-20", "recurrence": {"weekdays": [5], "count": 3}}
    skipped = await api.post("/api/bookings", headers=rep, json=series)
    assert skipped.status_code == 201, skipped.text
    assert [(s["date"], s["rule"]) for s in skipped.json()["skipped"]] == [("2027-03-27", "holiday")]

    # bad input names the field and changes nothing
    for bad, field in ((["easter_eve", "christmas"], "closed_eves[1]"), ("julafton", "closed_eves"),
                       ([1], "closed_eves[0]")):
        answer = await api.patch(f"/api/municipalities/{world.municipality_id}", headers=admin,
                                 json={"closed_eves": bad})
        assert answer.status_code in (400, 422), answer.text
        assert answer.json()["errors"][0]["field"] == field
    assert (await api.get(f"/api/municipalities/{world.municipality_id}")).json()["closed_eves"] == shown["closed_eves"]
    # only the municipality's admin changes it
    staff = await api.patch(f"/api/municipalities/{world.municipality_id}", headers=world["premises_staff"].headers,
                            json={"closed_eves": []})
    assert staff.status_code == 403
    other = await build_world(db, api)
    foreign = await api.patch(f"/api/municipalities/{world.municipality_id}", headers=other["admin"].headers,
                              json={"closed_eves": []})
    assert foreign.status_code == 404

    changed = await api.patch(f"/api/municipalities/{world.municipality_id}", headers=admin, json={
        "closed_eves": ["new_years_eve", "christmas_eve", "christmas_eve", "midsummer_eve"]})
    assert changed.status_code == 200, changed.text
    assert changed.json()["closed_eves"] == ["midsummer_eve", "christmas_eve", "new_years_eve"]
    listed = {d["date"] for d in (await api.get(
        "/api/holidays", params={"municipality": world.slug, "year": 2027})).json()["items"]}
    assert {d for d in EVES_2027 if d in listed} == {"2027-06-25", "2027-12-24", "2027-12-31"}
    assert "2027-03-26" in listed  # långfredagen is a public holiday: it stays closed
    day = (await api.get(f"/api/spaces/{world.space_id}/availability",
                         params={"from": "2027-03-27", "to": "2027-03-27"})).json()["days"][0]
    assert day["closed_reason"] is None and day["free"]
    assert (await api.post("/api/bookings", headers=rep, json=saturday)).status_code == 201
    fridays = {**series, "date": "2027-06-18", "start": "18:00", "end": "19:00",
               "recurrence": {"weekdays": [4], "count": 3}}
    later = await api.post("/api/bookings", headers=rep, json=fridays)
    assert later.status_code == 201
    assert [b["local_date"] for b in later.json()["bookings"]] == ["2027-06-18", "2027-07-02"]
    assert [(s["date"], s["rule"]) for s in later.json()["skipped"]] == [("2027-06-25", "holiday")]
    christmas = await api.post("/api/bookings", headers=rep, json={**saturday, "date": "2027-12-24"})
    assert christmas.status_code == 422 and "holiday" in {e["code"] for e in christmas.json()["errors"]}
    # the other municipality keeps its default
    theirs = {d["date"] for d in (await api.get(
        "/api/holidays", params={"municipality": other.slug, "year": 2027})).json()["items"]}
    assert set(EVES_2027) <= theirs
