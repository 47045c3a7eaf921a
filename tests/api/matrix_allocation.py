"""The authorization matrix's requests for the operations of the season allocation round (tidsfördelning).

`REQUESTS` maps operationId -> a minimal valid request (see test_authorization_matrix);
`path_ids` supplies the ids of this part's path parameters."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import httpx

from tests.conftest import World
from tests.quiet_days import stockholm_today

EVENINGS = {"general": [{"weekday": d, "opens": "17:00", "closes": "22:00"} for d in range(7)]}
NO_BODY: Callable[[World], dict[str, Any]] = lambda w: {}  # noqa: E731


def _day(days_ahead: int) -> str:
    return (stockholm_today() + timedelta(days=days_ahead)).isoformat()


def _round(name: str = "Säsong") -> dict[str, Any]:
    return {"name": name, "first_day": _day(60), "last_day": _day(150), "deadline_date": _day(30)}


def _application(w: World) -> dict[str, Any]:
    return {"association_id": w.association_id, "title": "Innebandy P12", "age_band": "0-12", "participants": 12,
            "duration_minutes": 60, "preferences": [{"space_id": w.space_id, "weekday": 1, "start": "18:00"}]}


REQUESTS: dict[str, Any] = {
    "getAllocationRules": NO_BODY,
    "setAllocationRules": lambda w: {"json": {"rules": [{"key": "youth", "weight": 50}]}},
    "createAllocationRound": lambda w: {"json": _round()},
    "listAllocationRounds": NO_BODY,
    "getAllocationRound": NO_BODY,
    "updateAllocationRound": lambda w: {"json": _round("Ny säsong")},
    "openAllocationRound": NO_BODY,
    "listAllocationApplications": NO_BODY,
    "submitAllocationApplication": lambda w: {"json": _application(w)},
    "updateAllocationApplication": lambda w: {"json": _application(w)},
    "withdrawAllocationApplication": NO_BODY,
    "runAllocation": NO_BODY,
    "getAllocationProposal": NO_BODY,
    "adjustAllocation": lambda w: {"json": {"application_id": "00000000-0000-7000-8000-000000000000", "deny": True}},
    "publishAllocationRound": NO_BODY,
}


async def path_ids(client: httpx.AsyncClient, world: World, path: str, operation_id: str) -> dict[str, str]:
    """An open round with one application of the world's association."""
    if "{round_id}" not in path:
        return {}
    staff = world["premises_staff"].headers
    hours = await client.put(f"/api/spaces/{world.space_id}/opening-hours", headers=staff, json=EVENINGS)
    assert hours.status_code == 200, hours.text
    verified = await client.post(f"/api/associations/{world.association_id}/verification", headers=staff,
                                 json={"verified": True})
    assert verified.status_code == 200, verified.text
    made = await client.post("/api/allocation-rounds", headers=staff, json=_round())
    assert made.status_code == 201, made.text
    round_id = made.json()["id"]
    opened = await client.post(f"/api/allocation-rounds/{round_id}/opening", headers=staff)
    assert opened.status_code == 200, opened.text
    applied = await client.post(f"/api/allocation-rounds/{round_id}/applications", headers=staff,
                                json=_application(world))
    assert applied.status_code == 201, applied.text
    return {"round_id": round_id, "application_id": applied.json()["id"]}
