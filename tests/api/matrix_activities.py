"""The authorization matrix's requests for the operations of holiday activities (lovaktiviteter).

`REQUESTS` maps operationId -> a minimal valid request (see test_authorization_matrix);
`path_ids` supplies the ids of this part's path parameters."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import httpx

from tests.conftest import World
from tests.quiet_days import ordinary_day, stockholm_today


def _day(days_ahead: int) -> date:
    """`days_ahead` days on, moved past a holiday or eve: no session is ever put on those."""
    return ordinary_day(stockholm_today() + timedelta(days=days_ahead))


def _this_year() -> int:
    return stockholm_today().year


def _none(w: World) -> dict[str, Any]:
    return {}


REQUESTS: dict[str, Any] = {
    "listHolidayPeriods": lambda w: {"params": {"municipality": w.slug}},
    "generateHolidayPeriods": lambda w: {"json": {"year": _this_year() + 1, "sportlov_week": 8}},
    "setHolidayPeriod": lambda w: {"json": {"first_day": f"{_this_year() + 1}-10-31",
                                            "last_day": f"{_this_year() + 1}-11-06"}},
    "deleteHolidayPeriod": _none,
    "createActivity": lambda w: {"json": {"title": "Prova på dans", "category": "kultur", "organiser": "Test IF",
                                          "age_min": 7, "age_max": 12, "association_id": w.association_id,
                                          "place": "Klubblokalen"}},
    "listActivities": lambda w: {"params": {"municipality": w.slug}},
    "getActivity": _none,
    "publishActivity": _none,
    "updateActivity": lambda w: {"json": {"title": "Prova på parkour och dans", "place": "Parken vid ån"}},
    "sendBackActivity": lambda w: {"json": {"reason": "Lägg till en kontakt."}},
    "cancelActivity": lambda w: {"json": {"reason": "Ledaren är sjuk"}},
    "addActivitySessions": lambda w: {"json": {"date": _day(31).isoformat(), "start": "10:00", "end": "11:00"}},
    "listActivitySessions": lambda w: {"params": {"municipality": w.slug}},
    "signUpForSession": lambda w: {"json": {"children": [{"first_name": "Sam", "birth_year": _day(30).year - 14}],
                                            "self_sign_up": True}},
    "getSessionRoster": _none,
    "setSessionCapacity": lambda w: {"json": {"capacity": 25}},
    "moveActivitySession": lambda w: {"json": {"date": _day(32).isoformat(), "start": "11:00", "end": "12:00"}},
    "cancelActivitySession": lambda w: {"json": {"reason": "Regn"}},
    "checkInTicket": lambda w: {"json": {"ticket": "x" * 22}},
    "markAttendance": lambda w: {"json": {"present": True}},
    "recordDropInVisitors": lambda w: {"json": {"visitors": [{"gender": "female", "age_group": "6-9",
                                                              "count": 3}]}},
    "listMyRegistrations": _none,
    "cancelRegistration": _none,
    "cancelRegistrationByLink": lambda w: {"json": {"token": "A" * 22}},
    "getRegistrationTicket": _none,
    "rotateRegistrationFeedToken": _none,
    "getActivitiesFeed": _none,
    "getRegistrationsFeed": _none,
    "getActivityFollowUp": lambda w: {"params": {"from": _day(0).isoformat(), "to": _day(60).isoformat()}},
    "getActivityFollowUpCsv": lambda w: {"params": {"from": _day(0).isoformat(), "to": _day(60).isoformat()}},
}


async def path_ids(client: httpx.AsyncClient, world: World, path: str, operation_id: str) -> dict[str, str]:
    ids: dict[str, str] = {}
    staff = world["activities_staff"].headers
    if "{year}" in path:
        ids.update(year=str(_this_year() + 1), kind="hostlov")
    if "{period_id}" in path:
        made = await client.put(f"/api/holiday-periods/{_this_year() + 1}/jullov", headers=staff,
                                json={"first_day": f"{_this_year() + 1}-12-21",
                                      "last_day": f"{_this_year() + 2}-01-07"})
        assert made.status_code == 200, made.text
        ids["period_id"] = made.json()["id"]
    if "{activity_id}" in path or "{session_id}" in path or "{registration_id}" in path:
        created = await client.post("/api/activities", headers=staff, json={
            "title": "Prova på parkour", "category": "idrott", "organiser": "Fritid", "age_min": 6, "age_max": 15,
            "place": "Parken", "capacity": 10})
        assert created.status_code == 201, created.text
        activity_id = created.json()["id"]
        ids["activity_id"] = activity_id
        added = await client.post(f"/api/activities/{activity_id}/sessions", headers=staff,
                                  json={"date": _day(30).isoformat(), "start": "10:00", "end": "12:00"})
        assert added.status_code == 201, added.text
        ids["session_id"] = added.json()["sessions"][0]["id"]
        if operation_id != "publishActivity":
            published = await client.post(f"/api/activities/{activity_id}/publication", headers=staff)
            assert published.status_code == 200, published.text
        if "{registration_id}" in path:
            signed = await client.post(f"/api/activity-sessions/{ids['session_id']}/registrations",
                                       headers=world["guardian"].headers,
                                       json={"children": [{"first_name": "Alva", "birth_year": _day(30).year - 9}]})
            assert signed.status_code == 201, signed.text
            ids["registration_id"] = signed.json()["registrations"][0]["id"]
    if operation_id == "getActivitiesFeed":
        ids["feed"] = f"{world.slug}.ics"
    elif operation_id == "getRegistrationsFeed":
        ids["feed"] = "A" * 22 + ".ics"  # an unknown private token: 404, never 401/403
    return ids
