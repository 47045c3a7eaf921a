"""Attendance per occasion and the LOK-stöd export: figures equal what was recorded."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator

import httpx
import pytest
import time_machine

from booking.adapters.db.database import Database
from tests.api.test_bookings_api import _open_and_verify
from tests.conftest import World, build_world, make_app


async def test_attendance_is_recorded_after_the_start_and_exported_for_lok(client: httpx.AsyncClient,
                                                                           world: World) -> None:
    rep = world["association_rep"].headers
    with time_machine.travel("2026-12-01T09:00:00+01:00", tick=True):
        await _open_and_verify(client, world)
        series = (await client.post("/api/bookings", headers=world["premises_staff"].headers, json={
            "space_id": world.space_id, "title": "Innebandy P12", "association_id": world.association_id,
            "date": "2027-02-04", "start": "18:00", "end": "19:30",
            "recurrence": {"weekdays": [3], "count": 3}})).json()
        first, second, _third = sorted(series["bookings"], key=lambda b: b["starts_at"])
        early = await client.put(f"/api/bookings/{first['id']}/attendance", headers=rep, json={
            "leader_name": "Sara Ledare", "leader_birth_year": 1990, "participants": []})
        assert early.status_code == 422  # not begun yet

    with time_machine.travel("2027-02-20T12:00:00+01:00", tick=True):
        recorded = await client.put(f"/api/bookings/{first['id']}/attendance", headers=rep, json={
            "leader_name": "Sara Ledare", "leader_birth_year": 1990, "participants": [
                {"birth_year": 2015, "gender": "female", "count": 4},
                {"birth_year": 2014, "gender": "male", "count": 3},
                {"birth_year": 2015, "gender": "female", "count": 1},  # merged with the first group
                {"birth_year": 1960, "gender": "other", "count": 1}]})  # too old for LOK
        assert recorded.status_code == 200, recorded.text
        too_few = await client.put(f"/api/bookings/{second['id']}/attendance", headers=rep, json={
            "leader_name": "Sara Ledare", "leader_birth_year": 1990,
            "participants": [{"birth_year": 2015, "gender": "male", "count": 2}]})
        assert too_few.status_code == 200
        other = await client.put(f"/api/bookings/{first['id']}/attendance", headers=world["guardian"].headers,
                                 json={"leader_name": "X", "participants": []})
        assert other.status_code == 404

        report = (await client.get(f"/api/associations/{world.association_id}/attendance", headers=rep,
                                   params={"from": "2027-02-01", "to": "2027-02-28"})).json()
        by_date = {i["local_date"]: i for i in report["items"]}
        assert by_date["2027-02-04"]["total"] == 9
        assert by_date["2027-02-04"]["lok_counts"] is True and by_date["2027-02-04"]["lok_participants"] == 8
        assert by_date["2027-02-11"]["lok_counts"] is False
        assert "fewer than 3 participants aged 7-25" in by_date["2027-02-11"]["lok_notes"]
        assert by_date["2027-02-18"]["recorded"] is False

        exported = await client.get(f"/api/associations/{world.association_id}/attendance.csv", headers=rep,
                                    params={"from": "2027-02-01", "to": "2027-02-28"})
        assert exported.status_code == 200
        assert exported.headers["content-type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(exported.text.lstrip("\ufeff")), delimiter=";"))
        assert [r["datum"] for r in rows] == ["2027-02-04", "2027-02-11", "2027-02-18"]
        assert rows[0]["starttid"] == "18:00" and rows[0]["minuter"] == "90"
        assert rows[0]["antal_deltagare"] == "9" and rows[0]["lok_raknas"] == "ja"
        assert rows[0]["deltagare_fodelsear_kon"] == "1960Ax1,2014Mx3,2015Kx5"
        assert rows[2]["lok_raknas"] == "nej"
        stranger = await client.get(f"/api/associations/{world.association_id}/attendance.csv",
                                    headers=world["guardian"].headers,
                                    params={"from": "2027-02-01", "to": "2027-02-28"})
        assert stranger.status_code == 404


@pytest.fixture
async def api(db: Database) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=make_app(db)),
                                 base_url="http://testserver") as client:
        yield client


async def test_another_municipality_never_reads_an_associations_attendance(api: httpx.AsyncClient,
                                                                           db: Database) -> None:
    """The report names the leader and the participants' birth years: another municipality's admin
    and staff find no such association (404, nothing of it in the answer), on both engines."""
    home, away = await build_world(db, api), await build_world(db, api)
    with time_machine.travel("2026-12-01T09:00:00+01:00", tick=True):
        await _open_and_verify(api, home)
        booked = await api.post("/api/bookings", headers=home["premises_staff"].headers, json={
            "space_id": home.space_id, "title": "Innebandy P12", "association_id": home.association_id,
            "date": "2027-02-04", "start": "18:00", "end": "19:30"})
        assert booked.status_code == 201, booked.text
    booking_id = booked.json()["bookings"][0]["id"]
    period = {"from": "2027-02-01", "to": "2027-02-28"}
    with time_machine.travel("2027-02-20T12:00:00+01:00", tick=True):
        recorded = await api.put(f"/api/bookings/{booking_id}/attendance", headers=home["association_rep"].headers,
                                 json={"leader_name": "Sara Ledare", "leader_birth_year": 1990, "participants": [
                                     {"birth_year": 2015, "gender": "female", "count": 4}]})
        assert recorded.status_code == 200, recorded.text
        for role in ("admin", "premises_staff"):
            for path in ("attendance", "attendance.csv"):
                answer = await api.get(f"/api/associations/{home.association_id}/{path}",
                                       headers=away[role].headers, params=period)
                assert answer.status_code == 404, (role, path, answer.text)
                assert answer.headers["content-type"].startswith("application/problem+json")
                assert "Sara Ledare" not in answer.text and "2015" not in answer.text
        for role in ("admin", "premises_staff", "association_rep"):
            own = await api.get(f"/api/associations/{home.association_id}/attendance", headers=home[role].headers,
                                params=period)
            assert own.status_code == 200, (role, own.text)
            assert [i["leader_name"] for i in own.json()["items"]] == ["Sara Ledare"]
        # the other municipality's own representative does not represent this association either
        theirs = await api.get(f"/api/associations/{home.association_id}/attendance",
                               headers=away["association_rep"].headers, params=period)
        assert theirs.status_code == 404
