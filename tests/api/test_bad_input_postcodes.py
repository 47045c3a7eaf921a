"""Bad input to the postcode table, its lookup and import, and to a sign-up's home area gets a clear 4xx
problem naming the field and changes nothing, on SQLite and PostgreSQL (the style of test_bad_input.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import time_machine

from booking.adapters.db.database import Database
from booking.adapters.db.queries import Queries
from tests.api.bad_input_support import assert_refused, assert_rows_unchanged, run_catalogue, send
from tests.conftest import World, build_world, make_app

TABLE = "/api/postcode-areas"
IMPORT = "/api/imports/postcode_areas"
HEADER = "postnummer;område\n"


@dataclass(frozen=True)
class Context:
    world: World
    other_area_id: str  # an area of another municipality
    session_id: str


@dataclass(frozen=True)
class Case:
    id: str
    method: str
    path: Callable[[Context], str]
    body: Callable[[Context], Any] | bytes | None
    field: str  # a regex when it starts with ^
    status: int = 422
    params: Callable[[Context], dict[str, Any]] | None = None
    role: str | None = "activities_staff"  # None: anonymous


def _table(*items: dict[str, Any]) -> Callable[[Context], Any]:
    return lambda c: {"items": [{"area_id": c.world.area_id, **item} for item in items]}


def _sign_up(**changes: Any) -> Callable[[Context], Any]:
    return lambda c: {"children": [{"first_name": "Alva", "birth_year": 2016, **changes}]}


def _import(text: str, dry_run: bool = False) -> Callable[[Context], Any]:
    return lambda c: {"csv": text, "dry_run": dry_run}


def T(c: Context) -> str:
    return TABLE


def SIGN_UP(c: Context) -> str:
    return f"/api/activity-sessions/{c.session_id}/registrations"


def LOOKUP(code: str) -> Callable[[Context], str]:
    return lambda c: f"{TABLE}/{code}"


def I(c: Context) -> str:  # noqa: E743 - the import's path, as short as the others
    return IMPORT


SLUG: Callable[[Context], dict[str, Any]] = lambda c: {"municipality": c.world.slug}  # noqa: E731

CATALOGUE = [
    Case("items-missing", "PUT", T, lambda c: {}, "items"),
    Case("items-not-a-list", "PUT", T, lambda c: {"items": "85231"}, "items"),
    Case("postcode-four-digits", "PUT", T, _table({"postcode": "8523"}), "items[0].postcode"),
    Case("postcode-letters", "PUT", T, _table({"postcode": "8523X"}), "items[0].postcode"),
    Case("postcode-empty", "PUT", T, _table({"postcode": ""}), "items[0].postcode"),
    Case("postcode-too-long", "PUT", T, _table({"postcode": "8" * 200}), "^items\\[0\\]\\.postcode"),
    Case("postcode-not-text", "PUT", T, _table({"postcode": 85231}), "^items\\[0\\]\\.postcode"),
    Case("postcode-control", "PUT", T, _table({"postcode": "852\x0031"}), "items[0].postcode"),
    Case("postcode-twice-once-cleaned", "PUT", T, _table({"postcode": "85231"}, {"postcode": "852 31"}),
         "items[1].postcode"),
    Case("area-missing", "PUT", T, lambda c: {"items": [{"postcode": "85231"}]}, "^items\\[0\\]\\.area_id"),
    Case("area-not-a-uuid", "PUT", T, _table({"postcode": "85231", "area_id": "Nacksta"}), "^items\\[0\\]\\.area_id"),
    Case("area-unknown", "PUT", T, _table({"postcode": "85231", "area_id": "00000000-0000-4000-8000-000000000000"}),
         "items[0].area_id"),
    Case("area-of-another-municipality", "PUT", T,
         lambda c: {"items": [{"postcode": "85231", "area_id": c.other_area_id}]}, "items[0].area_id"),
    Case("unknown-field", "PUT", T, _table({"postcode": "85231", "address": "Storgatan 1"}), "^items\\[0\\]"),
    Case("body-not-json", "PUT", T, b'{"items": [', "body", 400),
    Case("lookup-without-municipality", "GET", LOOKUP("85231"), None, "municipality", role=None),
    Case("lookup-unknown-municipality", "GET", LOOKUP("85231"), None, "municipality",
         params=lambda c: {"municipality": "finns-inte"}, role=None),
    Case("lookup-four-digits", "GET", LOOKUP("8523"), None, "postcode", params=SLUG, role=None),
    Case("lookup-letters", "GET", LOOKUP("abcde"), None, "postcode", params=SLUG, role=None),
    Case("lookup-too-long", "GET", LOOKUP("8" * 40), None, "postcode", params=SLUG, role=None),
    Case("sign-up-postcode-unknown", "POST", SIGN_UP, _sign_up(postcode="85299"), "children[0].postcode",
         role="guardian"),
    Case("sign-up-postcode-four-digits", "POST", SIGN_UP, _sign_up(postcode="8523"), "children[0].postcode",
         role="guardian"),
    Case("sign-up-postcode-too-long", "POST", SIGN_UP, _sign_up(postcode="8" * 100), "^children\\[0\\]\\.postcode",
         role="guardian"),
    Case("sign-up-area-and-postcode", "POST", SIGN_UP, lambda c: _sign_up(postcode="85231",
                                                                         home_area_id=c.world.area_id)(c),
         "children[0].postcode", role="guardian"),
    Case("sign-up-area-not-a-uuid", "POST", SIGN_UP, _sign_up(home_area_id="Nacksta"),
         "^children\\[0\\]\\.home_area_id", role="guardian"),
    Case("sign-up-area-of-another-municipality", "POST", SIGN_UP,
         lambda c: _sign_up(home_area_id=c.other_area_id)(c), "children[0].home_area_id", role="guardian"),
    Case("import-unknown-area", "POST", I, _import(HEADER + "85231;Ingenstans\n"), "csv"),
    Case("import-bad-postcode", "POST", I, _import(HEADER + "8523;Nacksta\n"), "csv"),
    Case("import-postcode-twice", "POST", I, _import(HEADER + "85231;Nacksta\n852 31;Nacksta\n"), "csv"),
    Case("import-missing-area-column", "POST", I, _import("postnummer\n85231\n", dry_run=True), "csv"),
    Case("import-empty-area", "POST", I, _import(HEADER + "85231;\n"), "csv"),
]


@pytest.fixture(autouse=True)
def before_the_session() -> Iterator[None]:
    """The session is on 2027-02-17: the clock stands before it on any run."""
    with time_machine.travel("2026-12-01T09:00:00+01:00", tick=True):
        yield


@pytest.fixture
async def api(db: Database) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=make_app(db)),
                                 base_url="http://testserver") as client:
        yield client


async def _context(db: Database, api: httpx.AsyncClient) -> Context:
    world, other = await build_world(db, api), await build_world(db, api)
    staff = world["activities_staff"].headers
    kept = await api.put(TABLE, headers=staff, json={"items": [{"postcode": "85231", "area_id": world.area_id}]})
    assert kept.status_code == 200, kept.text
    activity = await api.post("/api/activities", headers=staff, json={
        "title": "Prova på", "category": "idrott", "organiser": "Fritid", "age_min": 6, "age_max": 15,
        "capacity": 10, "place": "Parken"})
    assert activity.status_code == 201, activity.text
    added = await api.post(f"/api/activities/{activity.json()['id']}/sessions", headers=staff,
                           json={"start": "13:00", "end": "15:00", "date": "2027-02-17"})
    assert added.status_code == 201, added.text
    assert (await api.post(f"/api/activities/{activity.json()['id']}/publication", headers=staff)).status_code == 200
    return Context(world, other.area_id, str(added.json()["sessions"][0]["id"]))


async def test_bad_postcode_input_is_refused_naming_the_field_and_changes_nothing(
        db: Database, api: httpx.AsyncClient) -> None:
    context = await _context(db, api)
    queries = Queries(db)

    async def check(case: Case) -> None:
        before = await queries.table_counts()
        headers = context.world[case.role].headers if case.role else {}
        body = case.body if isinstance(case.body, bytes) else case.body(context) if case.body else None
        response = await send(api, case.method, case.path(context), headers, body,
                              case.params(context) if case.params else None)
        assert_refused(response, case.status, case.field)
        assert len(response.content) < 10_000, "a large input is echoed back"
        await assert_rows_unchanged(queries, before)

    await run_catalogue(CATALOGUE, check, db.dialect)
    table = await api.get(TABLE, headers=context.world["admin"].headers)
    assert [(r["postcode"], r["area_id"]) for r in table.json()["items"]] == [("85231", context.world.area_id)]
