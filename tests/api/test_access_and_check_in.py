"""Access instructions only for the association that booked; check-in by QR at the door;
no-shows visible to staff."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
import time_machine

from tests.api.test_bookings_api import _open_and_verify
from tests.api.test_qr_rendering import assert_reads_everywhere
from tests.conftest import World


async def test_door_code_only_for_the_booker_check_in_by_qr_and_no_shows(client: httpx.AsyncClient, world: World,
                                                                         tmp_path: Path) -> None:
    staff, rep = world["premises_staff"].headers, world["association_rep"].headers
    with time_machine.travel("2026-12-01T09:00:00+01:00", tick=True):
        await _open_and_verify(client, world)
        configured = await client.put(f"/api/spaces/{world.space_id}/access", headers=staff, json={
            "mode": "door_code", "instructions": "Entré B, kodlås till vänster."})
        assert configured.status_code == 200
        assert (await client.get(f"/api/spaces/{world.space_id}")).text.find("kodlås") == -1  # not public
        series = (await client.post("/api/bookings", headers=staff, json={
            "space_id": world.space_id, "title": "Basket", "association_id": world.association_id,
            "date": "2027-02-04", "start": "18:00", "end": "19:00",
            "recurrence": {"weekdays": [3], "count": 2}})).json()
        first, second = sorted(series["bookings"], key=lambda b: b["starts_at"])
        access = await client.get(f"/api/bookings/{first['id']}/access", headers=rep)
        assert access.status_code == 200, access.text
        body = access.json()
        assert len(body["door_code"]) == 6 and body["door_code"].isdigit()
        assert body["valid_from"] == "2027-02-04T16:45:00Z" and body["valid_to"] == "2027-02-04T18:15:00Z"
        assert body["instructions"] == "Entré B, kodlås till vänster."
        other_code = (await client.get(f"/api/bookings/{second['id']}/access", headers=rep)).json()["door_code"]
        assert other_code != body["door_code"]  # one code per booking (a collision is a one-in-a-million chance)
        assert (await client.get(f"/api/bookings/{first['id']}/access",
                                 headers=world["guardian"].headers)).status_code == 404
        qr = await client.get(f"/api/bookings/{first['id']}/check-in.svg", headers=rep)
        assert qr.headers["content-type"].startswith("image/svg+xml")
        assert body["check_in_url"].startswith("http://testserver/c/")
        await assert_reads_everywhere({"check-in": (qr.content, body["check_in_url"])}, tmp_path)
        await _the_link_leads_staff_to_check_in_and_others_to_what_it_is(client, world, body["check_in_url"])

        too_early = await client.post("/api/check-ins", headers=staff, json={"code": body["check_in_url"]})
        assert too_early.status_code == 409

    with time_machine.travel("2027-02-04T17:50:00+01:00", tick=True):
        url = body["check_in_url"]
        forged = await client.post("/api/check-ins", headers=staff,
                                   json={"code": url[:-1] + ("1" if url[-1] != "1" else "2")})
        assert forged.status_code == 422 and forged.json()["errors"][0]["field"] == "code"
        by_rep = await client.post("/api/check-ins", headers=rep, json={"code": body["check_in_url"]})
        assert by_rep.status_code == 403
        checked = await client.post("/api/check-ins", headers=staff, json={"code": body["check_in_url"]})
        assert checked.status_code == 200, checked.text

    with time_machine.travel("2027-02-11T19:30:00+01:00", tick=True):
        refused = await client.post(f"/api/bookings/{first['id']}/no-show", headers=staff)
        assert refused.status_code == 409  # they checked in
        missed = await client.post(f"/api/bookings/{second['id']}/no-show", headers=staff)
        assert missed.status_code == 200
        report = (await client.get("/api/no-shows", headers=staff)).json()
        assert [(i["name"], i["count"]) for i in report["items"]] == [("Test IF", 1)]


async def _the_link_leads_staff_to_check_in_and_others_to_what_it_is(client: httpx.AsyncClient, world: World,
                                                                     url: str) -> None:
    """What a phone camera at the door opens: the printed URL is served (never the 404 page)."""
    path = url.removeprefix("http://testserver")
    code = path.removeprefix("/c/")
    for who, page in (("premises_staff", "/check-in.html"), ("association_rep", "/check-in-code.html"),
                      ("guardian", "/check-in-code.html"), (None, "/check-in-code.html")):
        opened = await client.get(path, headers=world[who].headers if who else {})
        assert opened.status_code == 303, (who, opened.text)
        assert opened.headers["location"] == f"{page}?code={quote(code, safe='')}", who
        assert opened.headers["cache-control"] == "no-store"  # the answer depends on who is signed in
    for page in ("/check-in.html", "/check-in-code.html"):
        assert (await client.get(page)).status_code == 200
    forged = code[:-1] + ("1" if code[-1] != "1" else "2")
    for bad in (forged, "not-a-code", "x" * 300, code.split(".")[0]):
        unknown = await client.get(f"/c/{bad}", headers=world["premises_staff"].headers)
        assert unknown.status_code == 404 and unknown.headers["content-type"].startswith("text/html"), bad
        assert "Vi känner inte igen den här incheckningskoden" in unknown.text
        assert "<script" not in unknown.text


@pytest.mark.parametrize("mode", ["teleport", ""])
async def test_space_access_mode_is_validated(client: httpx.AsyncClient, world: World, mode: str) -> None:
    response = await client.put(f"/api/spaces/{world.space_id}/access", headers=world["premises_staff"].headers,
                                json={"mode": mode})
    assert response.status_code in (400, 422)
    assert response.json()["errors"][0]["field"] == "mode"
