"""QUALITY.md's bad-input catalogue against the wish phase and draw of a holiday period: each case
answers 4xx problem+json naming the field, and no table changes (both engines)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import date, datetime, time
from typing import Any
from uuid import UUID

import httpx
import pytest
import time_machine

from booking.adapters.db.database import Database
from booking.adapters.db.uow import SqlUnitOfWork
from booking.domain.activities import services as act
from booking.domain.activities.lov import LovKind
from booking.domain.activities.model import Category
from booking.domain.people.roles import Actor, Grant, Role
from booking.domain.shared.clock import SystemClock
from tests.api.test_bad_input import HTML, MB, PINNED, RTL_OVERRIDE, SQL, ZALGO, Case, Seeded, _check, _seed
from tests.conftest import make_app

SESSION_DAY = date(2027, 2, 10)  # a Wednesday a month after the pinned clock; no holiday that week
YEAR = SESSION_DAY.year
DEADLINE = "2027-02-01T12:00:00+01:00"
NOBODY = "00000000-0000-7000-8000-000000000000"


@pytest.fixture(autouse=True)
def pinned_clock() -> Iterator[None]:
    with time_machine.travel(PINNED, tick=True):
        yield


@dataclasses.dataclass
class Ids:
    seeded: Seeded
    period_id: str
    draw_id: str
    session_id: str
    child_id: str


@pytest.fixture
async def app(db: Database) -> Any:
    return make_app(db)


@pytest.fixture
async def ids(db: Database) -> Ids:
    seeded = await _seed(db)
    async with db.read_sessions() as session:
        import sqlalchemy as sa

        from booking.adapters.db import tables as t
        row = (await session.execute(sa.select(t.accounts.c.id, t.accounts.c.municipality_id).where(
            t.accounts.c.email.like("admin.%")))).first()
    assert row is not None
    admin = Actor(row.id, row.municipality_id, frozenset({Grant(Role.ADMIN)}))
    activity = await act.create_activity(act.ActivityDraft(
        title="Prova på", category=Category.SPORT, organiser="Fritid", age_min=6, age_max=15, place="Parken",
        capacity=10), SqlUnitOfWork(db), admin)
    added = await act.add_sessions(act.NewSessions(activity.id, time(10), time(12), day=SESSION_DAY),
                                   SqlUnitOfWork(db), admin, SystemClock())
    await act.publish_activity(activity.id, SqlUnitOfWork(db), admin)
    period = await act.set_period(LovKind.SPORTLOV, YEAR, date(YEAR, 2, 8), date(YEAR, 2, 14), SqlUnitOfWork(db),
                                  admin)
    draw = await act.draw_settings.set_draw(period.id, act.draw_settings.DrawSettings(
        datetime.fromisoformat(DEADLINE), 3), SqlUnitOfWork(db), admin, SystemClock())
    session_id = added.sessions[0].id
    child = await act.draw_wishes.put_child(draw.id, act.draw_wishes.PutChild(
        "Alva", YEAR - 9, 1, ((session_id, False),)), SqlUnitOfWork(db), admin, SystemClock())
    return Ids(seeded, str(period.id), str(draw.id), str(session_id), str(child.child.id))


S: dict[str, str] = {}  # the session id of the running test (the bodies need it)


def _settings(**changes: Any) -> Any:
    return lambda s: {"wishes_close_at": DEADLINE, "max_per_child": 3, **changes}


def _child(**changes: Any) -> Any:
    return lambda s: {"first_name": "Bo", "birth_year": YEAR - 9, "max_activities": 1,
                      "wishes": [{"session_id": S["session"]}], **changes}


def _grant(**changes: Any) -> Any:
    return lambda s: {"child_id": S["child"], "session_id": S["session"], "granted": True, **changes}


P = "/api/holiday-periods/{period_id}/draw"
D = "/api/holiday-draws/{draw_id}"
C = D + "/children"

CATALOGUE: list[Case] = [
    Case("draw-malformed-json", "PUT", P, lambda s: b'{"wishes_close_at": "', "body", 400),
    Case("draw-array", "PUT", P, lambda s: [1], "body"),
    Case("draw-deadline-missing", "PUT", P, lambda s: {"max_per_child": 3}, "wishes_close_at"),
    Case("draw-deadline-naive", "PUT", P, _settings(wishes_close_at="2027-02-02T12:00:00"), "wishes_close_at"),
    Case("draw-deadline-past", "PUT", P, _settings(wishes_close_at="2020-01-01T00:00:00Z"), "wishes_close_at"),
    Case("draw-deadline-word", "PUT", P, _settings(wishes_close_at="imorgon"), "wishes_close_at"),
    Case("draw-deadline-1mb", "PUT", P, _settings(wishes_close_at="2" * MB), "wishes_close_at"),
    Case("draw-max-zero", "PUT", P, _settings(max_per_child=0), "max_per_child"),
    Case("draw-max-21", "PUT", P, _settings(max_per_child=21), "max_per_child"),
    Case("draw-max-huge", "PUT", P, _settings(max_per_child=10**30), "max_per_child"),
    Case("draw-travel-negative", "PUT", P, _settings(travel_minutes=-1), "travel_minutes"),
    Case("draw-travel-241", "PUT", P, _settings(travel_minutes=241), "travel_minutes"),
    Case("draw-weight-101", "PUT", P, _settings(weights={"rank": 101}), "weights.rank"),
    Case("draw-weight-negative", "PUT", P, _settings(weights={"group": -1}), "weights.group"),
    Case("draw-weight-word", "PUT", P, _settings(weights={"favourite": "mycket"}), "weights.favourite"),
    Case("draw-weight-unknown", "PUT", P, _settings(weights={"luck": 5}), "^weights"),
    Case("draw-priority-unknown", "PUT", P, _settings(priority_areas=[NOBODY]), "priority_areas[0]"),
    Case("draw-priority-not-uuid", "PUT", P, _settings(priority_areas=["Nacksta"]), "^priority_areas"),
    Case("draw-priority-other-municipality", "PUT", P, lambda s: {"wishes_close_at": DEADLINE,
                                                                  "priority_areas": [s.other_site_id]},
         "priority_areas[0]"),
    Case("draw-unknown-field", "PUT", P, _settings(lottery="yes"), "lottery"),
    Case("run-seed-empty", "POST", D + "/runs", lambda s: {"seed": ""}, "seed"),
    Case("run-seed-65", "POST", D + "/runs", lambda s: {"seed": "s" * 65}, "seed"),
    Case("run-seed-number", "POST", D + "/runs", lambda s: {"seed": 42}, "seed"),
    Case("grant-child-missing", "PUT", D + "/preview/grants", lambda s: {"session_id": S["session"], "granted": True},
         "child_id"),
    Case("grant-child-not-uuid", "PUT", D + "/preview/grants", _grant(child_id="Alva"), "child_id"),
    Case("grant-granted-word", "PUT", D + "/preview/grants", _grant(granted="ja"), "granted"),
    Case("child-malformed-json", "PUT", C, lambda s: b'{"first_name": ', "body", 400),
    Case("child-name-empty", "PUT", C, _child(first_name=""), "first_name"),
    Case("child-name-1mb", "PUT", C, _child(first_name="a" * MB), "first_name"),
    Case("child-name-rtl", "PUT", C, _child(first_name=f"Al{RTL_OVERRIDE}va"), "first_name"),
    Case("child-name-sql", "PUT", C, _child(first_name=SQL[:60]), "first_name"),
    Case("child-name-html", "PUT", C, _child(first_name=HTML[:60]), "first_name"),
    Case("child-name-zalgo", "PUT", C, _child(first_name=ZALGO[:60]), "first_name"),
    Case("child-name-emoji", "PUT", C, _child(first_name="Bo 🦄"), "first_name"),
    Case("child-birth-year-1800", "PUT", C, _child(birth_year=1800), "birth_year"),
    Case("child-birth-year-9999", "PUT", C, _child(birth_year=9999), "birth_year"),
    Case("child-birth-year-word", "PUT", C, _child(birth_year="tjugo"), "birth_year"),
    Case("child-too-old", "PUT", C, _child(birth_year=YEAR - 30), "birth_year"),
    Case("child-no-wishes", "PUT", C, _child(wishes=[]), "wishes"),
    Case("child-31-wishes", "PUT", C, _child(wishes=[{"session_id": NOBODY}] * 31), "wishes"),
    Case("child-wish-twice", "PUT", C, lambda s: {"first_name": "Bo", "birth_year": YEAR - 9, "wishes": [
        {"session_id": S["session"]}, {"session_id": S["session"]}]}, "wishes[1].session_id"),
    Case("child-wish-unknown", "PUT", C, _child(wishes=[{"session_id": NOBODY}]), "wishes[0].session_id"),
    Case("child-wish-not-uuid", "PUT", C, _child(wishes=[{"session_id": "klättring"}]), "^wishes"),
    Case("child-wish-favourite-word", "PUT", C, _child(wishes=[{"session_id": NOBODY, "favourite": "ja"}]),
         "^wishes"),
    Case("child-age", "PUT", C, _child(birth_year=YEAR - 3), "wishes[0].session_id"),
    Case("child-max-zero", "PUT", C, _child(max_activities=0), "max_activities"),
    Case("child-max-over-the-draw", "PUT", C, _child(max_activities=4), "max_activities"),
    Case("child-postcode-letters", "PUT", C, _child(postcode="ABCDE"), "postcode"),
    Case("child-postcode-unknown", "PUT", C, _child(postcode="99999"), "postcode"),
    Case("child-postcode-and-area", "PUT", C, lambda s: {**_child(postcode="85231")(s), "home_area_id": s.area_id},
         "postcode"),
    Case("child-area-unknown", "PUT", C, _child(home_area_id=NOBODY), "home_area_id"),
    Case("child-area-not-uuid", "PUT", C, _child(home_area_id="Nacksta"), "home_area_id"),
    Case("child-group-code-odd", "PUT", C, _child(group_code="ÅÄÖ!!"), "group_code"),
    Case("child-group-code-1mb", "PUT", C, _child(group_code="G" * MB), "group_code"),
    Case("child-gender-unknown", "PUT", C, _child(gender="x"), "gender"),
    Case("child-needs-1mb", "PUT", C, _child(needs="n" * MB), "needs"),
    Case("child-unknown-field", "PUT", C, _child(personnummer="20160101-1234"), "personnummer"),
]


async def test_bad_input_against_the_draw_is_refused_naming_the_field_and_changes_nothing(
        db: Database, ids: Ids, client: httpx.AsyncClient) -> None:
    S.update(session=ids.session_id, child=ids.child_id)
    headers = {"Authorization": f"Bearer {ids.seeded.admin_token}"}
    draw_before = (await client.get(f"/api/holiday-periods/{ids.period_id}/draw")).json()
    wishes_before = (await client.get(f"/api/holiday-draws/{ids.draw_id}/wishes", headers=headers)).json()
    failures: list[str] = []
    for case in CATALOGUE:
        path = case.path.format(period_id=ids.period_id, draw_id=ids.draw_id)
        try:
            await _check(dataclasses.replace(case, path=path), db, ids.seeded, client)
        except AssertionError as exc:
            failures.append(f"{case.id}: {str(exc).splitlines()[0][:300]}")
    assert not failures, f"{len(failures)} of {len(CATALOGUE)} cases failed on {db.dialect}:\n" + "\n".join(failures)
    assert (await client.get(f"/api/holiday-periods/{ids.period_id}/draw")).json() == draw_before
    assert (await client.get(f"/api/holiday-draws/{ids.draw_id}/wishes", headers=headers)).json() == wishes_before
    assert UUID(ids.child_id) and len(CATALOGUE) >= 50
