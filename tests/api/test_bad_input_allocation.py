"""Bad input to the allocation round gets a clear 4xx problem naming the field and changes
nothing, on SQLite and PostgreSQL (the style of test_bad_input.py)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
import time_machine

from booking.adapters.db.database import Database
from booking.adapters.db.queries import Queries
from tests.api.test_bad_input import PINNED
from tests.conftest import World, build_world, make_app

EVENINGS = {"general": [{"weekday": d, "opens": "17:00", "closes": "22:00"} for d in range(7)]}


@dataclass
class Seeded:
    world: World
    round_id: str
    application_id: str
    big_space_id: str


@pytest.fixture
async def api(db: Database) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=make_app(db)),
                                 base_url="http://testserver") as client:
        yield client


@pytest.fixture(autouse=True)
def pinned_clock() -> Iterator[None]:
    """The rounds' dates count from today: the same today on every run."""
    with time_machine.travel(PINNED, tick=True):
        yield


def _day(n: int) -> str:
    """`n` days after the pinned today (the catalogue is built at import, outside the pinned clock)."""
    return (datetime.fromisoformat(PINNED).date() + timedelta(days=n)).isoformat()


def _round(**changes: Any) -> Callable[[Seeded], Any]:
    return lambda s: {"name": "Hösten", "first_day": _day(60), "last_day": _day(150), "deadline_date": _day(30),
                      **changes}


def _app(pref: dict[str, Any] | None = None, prefs: list[dict[str, Any]] | None = None,
         **changes: Any) -> Callable[[Seeded], Any]:
    def body(s: Seeded) -> dict[str, Any]:
        first = {"space_id": s.world.space_id, "weekday": 1, "start": "18:00", **(pref or {})}
        return {"association_id": s.world.association_id, "title": "Innebandy P12", "age_band": "0-12",
                "participants": 12, "duration_minutes": 60, "preferences": prefs if prefs is not None else [first],
                **changes}
    return body


@dataclass(frozen=True)
class Case:
    id: str
    method: str
    path: str  # {round} and {application} are filled in
    body: Callable[[Seeded], Any] | None
    field: str  # a regex when it starts with ^
    status: int = 422


ROUNDS = "/api/allocation-rounds"
APPS = "/api/allocation-rounds/{round}/applications"
CATALOGUE = [
    Case("round-without-name", "POST", ROUNDS, lambda s: {k: v for k, v in _round()(s).items() if k != "name"},
         "name"),
    Case("round-name-bidi-override", "POST", ROUNDS, _round(name="Hösten\u202e"), "name"),
    Case("round-ends-before-it-starts", "POST", ROUNDS, _round(last_day=_day(40)), "last_day"),
    Case("round-longer-than-a-year", "POST", ROUNDS, _round(last_day=_day(500)), "last_day"),
    Case("round-deadline-after-start", "POST", ROUNDS, _round(deadline_date=_day(70)), "deadline_date"),
    Case("round-deadline-time-25", "POST", ROUNDS, _round(deadline_time="25:00"), "deadline_time"),
    Case("round-date-not-a-date", "POST", ROUNDS, _round(first_day="2027-02-30"), "first_day"),
    Case("round-far-year", "POST", ROUNDS, _round(first_day="9999-01-01", last_day="9999-06-01",
                                                   deadline_date="9998-12-01"), "^(first_day|deadline)"),
    Case("round-unknown-rule", "POST", ROUNDS, _round(rules=[{"key": "richest", "weight": 10}]), "^rules"),
    Case("round-rule-weight-101", "POST", ROUNDS, _round(rules=[{"key": "youth", "weight": 101}]), "^rules"),
    Case("round-rule-twice", "POST", ROUNDS, _round(rules=[{"key": "youth", "weight": 1}, {"key": "youth",
                                                                                           "weight": 2}]),
         "rules[1].key"),
    Case("round-update-ends-before", "PUT", ROUNDS + "/{round}", _round(last_day=_day(40)), "last_day"),
    Case("round-malformed-json", "POST", ROUNDS, lambda s: b'{"name": "H', "body", 400),
    Case("rules-weight-negative", "PUT", "/api/allocation-rules",
         lambda s: {"rules": [{"key": "local", "weight": -1}]}, "^rules"),
    Case("app-no-participants", "POST", APPS, _app(participants=0), "participants"),
    Case("app-duration-10", "POST", APPS, _app(duration_minutes=10), "duration_minutes"),
    Case("app-duration-not-in-5s", "POST", APPS, _app(duration_minutes=62), "duration_minutes"),
    Case("app-duration-beyond-space-rules", "POST", APPS, _app({"start": "10:00"}, duration_minutes=500),
         "duration_minutes"),
    Case("app-no-preferences", "POST", APPS, _app(prefs=[]), "preferences"),
    Case("app-six-preferences", "POST", APPS, lambda s: _app(prefs=[
        {"space_id": s.world.space_id, "weekday": d, "start": "18:00"} for d in range(6)])(s), "preferences"),
    Case("app-weekday-7", "POST", APPS, _app({"weekday": 7}), "^preferences\\[0\\]\\.weekday"),
    Case("app-start-not-a-time", "POST", APPS, _app({"start": "18:7"}), "^preferences\\[0\\]\\.start"),
    Case("app-unknown-space", "POST", APPS, _app({"space_id": "01900000-0000-7000-8000-000000000000"}),
         "preferences[0].space_id"),
    Case("app-too-many-for-the-space", "POST", APPS, _app(participants=31), "preferences[0].space_id"),
    Case("app-outside-opening-hours", "POST", APPS, _app({"start": "08:00"}), "preferences[0].start"),
    Case("app-past-midnight", "POST", APPS, _app({"start": "23:30"}), "^preferences\\[0\\]\\.start"),
    Case("app-same-preference-twice", "POST", APPS, lambda s: _app(prefs=[
        {"space_id": s.world.space_id, "weekday": 1, "start": "18:00"}] * 2)(s), "preferences[1]"),
    Case("app-unknown-age-band", "POST", APPS, _app(age_band="baby"), "age_band"),
    Case("app-unknown-association", "POST", APPS, _app(association_id="01900000-0000-7000-8000-000000000000"),
         "association_id"),
    Case("app-title-emoji", "POST", APPS, _app(title="Innebandy 🏑"), "title"),
    Case("app-flex-500", "POST", APPS, _app(flex_minutes=500), "flex_minutes"),
    Case("app-update-bad-weekday", "PUT", APPS + "/{application}", _app({"weekday": -1}),
         "^preferences\\[0\\]\\.weekday"),
    Case("app-update-too-big", "PUT", APPS + "/{application}", _app(participants=31), "preferences[0].space_id"),
    Case("adjust-weekday-9", "POST", ROUNDS + "/{round}/adjustments",
         lambda s: {"application_id": s.application_id, "space_id": s.world.space_id, "weekday": 9,
                    "start": "18:00"}, "weekday"),
    Case("adjust-start-not-a-time", "POST", ROUNDS + "/{round}/adjustments",
         lambda s: {"application_id": s.application_id, "space_id": s.world.space_id, "weekday": 1,
                    "start": "kväll"}, "start"),
    Case("adjust-no-application", "POST", ROUNDS + "/{round}/adjustments", lambda s: {"deny": True},
         "application_id"),
]


async def _seed(db: Database, api: httpx.AsyncClient) -> Seeded:
    world = await build_world(db, api)
    staff = world["premises_staff"].headers
    assert (await api.put(f"/api/spaces/{world.space_id}/opening-hours", headers=staff, json=EVENINGS)
            ).status_code == 200
    made = await api.post(ROUNDS, headers=staff, json=_round()(None))  # type: ignore[arg-type]
    round_id = made.json()["id"]
    assert (await api.post(f"{ROUNDS}/{round_id}/opening", headers=staff)).status_code == 200
    seeded = Seeded(world, round_id, "", "")
    applied = await api.post(APPS.format(round=round_id), headers=staff, json=_app()(seeded))
    assert applied.status_code == 201, applied.text
    seeded.application_id = applied.json()["id"]
    return seeded


async def test_bad_allocation_input_is_refused_naming_the_field_and_changes_nothing(
        db: Database, api: httpx.AsyncClient) -> None:
    seeded = await _seed(db, api)
    staff = seeded.world["premises_staff"].headers
    queries = Queries(db)
    failures: list[str] = []
    for case in CATALOGUE:
        before = await queries.table_counts()
        path = case.path.format(round=seeded.round_id, application=seeded.application_id)
        kwargs: dict[str, Any] = {"headers": dict(staff)}
        body = case.body(seeded) if case.body else None
        if isinstance(body, bytes):
            kwargs["content"] = body
            kwargs["headers"]["Content-Type"] = "application/json"
        elif body is not None:
            kwargs["json"] = body
        response = await api.request(case.method, path, **kwargs)
        try:
            assert response.status_code == case.status, f"{response.status_code}: {response.text[:300]}"
            assert response.headers["content-type"].startswith("application/problem+json")
            fields = [e["field"] for e in response.json().get("errors", [])]
            if case.field.startswith("^"):
                assert any(re.match(case.field, f) for f in fields), f"errors name {fields}, not {case.field}"
            else:
                assert case.field in fields, f"errors name {fields}, not {case.field}"
            after = await queries.table_counts()
            changed = {k: (before[k], after[k]) for k in after if before.get(k) != after[k]}
            assert not changed, f"rows changed: {changed}"
        except AssertionError as exc:
            failures.append(f"{case.id}: {str(exc).splitlines()[0][:300]}")
    assert not failures, f"{len(failures)} of {len(CATALOGUE)} cases failed on {db.dialect}:\n" + "\n".join(failures)
    # the application is as it was
    apps = (await api.get(APPS.format(round=seeded.round_id), headers=staff)).json()["items"]
    assert [(a["participants"], a["preferences"][0]["start"]) for a in apps] == [(12, "18:00")]
