"""The authorization matrix's requests for the wish phase and draw of a holiday period.

`REQUESTS` maps operationId -> a minimal valid request (see test_authorization_matrix); `path_ids`
supplies the ids of this part's path parameters: a holiday of quiet days two months on, with a draw
whose wish phase is open, one session in it and a child of the world's guardian.
The matrix runs on the real clock, so the dates count from today."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx

from tests.conftest import World
from tests.quiet_days import quiet_run, stockholm_today

_NOBODY = "00000000-0000-0000-0000-000000000001"
_SESSIONS: dict[str, str] = {}  # world slug -> the draw's session (the request bodies need it)


def _first_day() -> date:
    return quiet_run(stockholm_today() + timedelta(days=60), 7)


def _deadline() -> str:
    return (datetime.now(UTC) + timedelta(days=30)).isoformat()


def _none(w: World) -> dict[str, Any]:
    return {}


def _child(w: World) -> dict[str, Any]:
    return {"json": {"first_name": "Alva", "birth_year": _first_day().year - 9, "max_activities": 1,
                     "wishes": [{"session_id": _SESSIONS.get(w.slug, _NOBODY)}]}}


REQUESTS: dict[str, Any] = {
    "getHolidayDraw": _none,
    "setHolidayDraw": lambda w: {"json": {"wishes_close_at": _deadline(), "max_per_child": 2}},
    "deleteHolidayDraw": _none,
    "getHolidayDrawOverview": _none,
    "runHolidayDraw": lambda w: {"json": {"seed": "matrix"}},
    "getHolidayDrawPreview": _none,
    "adjustHolidayDraw": lambda w: {"json": {"child_id": _NOBODY, "session_id": _SESSIONS.get(w.slug, _NOBODY),
                                             "granted": True}},
    "publishHolidayDraw": _none,
    "listMyDrawWishes": _none,
    "putDrawChild": _child,
    "withdrawDrawChild": _none,
    "newDrawGroupCode": _none,
}


async def path_ids(client: httpx.AsyncClient, world: World, path: str, operation_id: str) -> dict[str, str]:
    staff = world["activities_staff"].headers
    first = _first_day()
    last = first + timedelta(days=6)
    period = await client.put(f"/api/holiday-periods/{first.year}/hostlov", headers=staff,
                              json={"first_day": first.isoformat(), "last_day": last.isoformat()})
    assert period.status_code == 200, period.text
    ids = {"period_id": period.json()["id"]}
    made = await client.post("/api/activities", headers=staff, json={
        "title": "Prova på klättring", "category": "idrott", "organiser": "Fritid", "age_min": 6, "age_max": 15,
        "place": "Klätterväggen", "capacity": 10})
    assert made.status_code == 201, made.text
    added = await client.post(f"/api/activities/{made.json()['id']}/sessions", headers=staff,
                              json={"date": first.isoformat(), "start": "10:00", "end": "12:00"})
    assert added.status_code == 201, added.text
    _SESSIONS[world.slug] = added.json()["sessions"][0]["id"]
    published = await client.post(f"/api/activities/{made.json()['id']}/publication", headers=staff)
    assert published.status_code == 200, published.text
    draw = await client.put(f"/api/holiday-periods/{ids['period_id']}/draw", headers=staff,
                            json={"wishes_close_at": _deadline()})
    assert draw.status_code == 200, draw.text
    ids["draw_id"] = draw.json()["id"]
    # a child of the world's guardian, always: test_cross_municipality asks once for all the part's objects
    put = await client.put(f"/api/holiday-draws/{ids['draw_id']}/children", headers=world["guardian"].headers,
                           **_child(world))
    assert put.status_code == 200, put.text
    ids["child_id"] = put.json()["child_id"]
    return ids
