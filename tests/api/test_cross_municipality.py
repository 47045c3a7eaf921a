"""Every read and write by id is scoped to the caller's municipality.

Two municipalities share one deployment. Municipality B gets one of each object (built with the
authorization matrix's own steps: bookings, closed periods, allocation rounds, the lending
catalogue, loans and holds, activities with sessions and registrations). Then EVERY operation
with a path parameter is called by the staff of municipality A (the admin, and each of premises,
activities and lending staff and an association representative the route lets in) with B's ids
in the path, and, where a path names two objects, with one of them B's and the rest A's.

- A route closed to the public answers 404 (or 403), the answer carries none of B's data (B's
  marked names, slug, e-mail addresses, ids not in the path), and a write changes nothing.
- A public route answers A's staff exactly what it answers an anonymous caller: another
  municipality's staff are the public to B.

Routes whose path parameters name no object (a day, a year) act on the caller's own municipality
are listed in NOT_WALKED. Known bugs are strict xfails in KNOWN_BUGS, so the mark must go when
the fix lands. The walk runs once per database engine, on a world built once per engine.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
import pytest_asyncio

from booking.adapters.db.database import Database, connect
from booking.adapters.db.migrate import upgrade
from booking.adapters.db.queries import Queries
from booking.api.access import Access
from tests.api.test_authorization_matrix import (
    FEEDS,
    OPERATIONS,
    PARTS,
    POLICIES,
    REQUESTS,
    SAFE,
    _allowed,
    _booking_ids,
    _change_id,
    _closed_id,
    _path_ids,
)
from tests.conftest import World, build_world, make_app, random_ref, truncate_all

pytestmark = pytest.mark.asyncio(loop_scope="module")

STAFF = ("admin", "premises_staff", "activities_staff", "lending_staff", "association_rep")
NOT_OBJECTS = {"day", "year", "kind"}  # path parameters that name no object of a municipality
# Operations whose path parameters all name no object: they act on the caller's own municipality.
NOT_WALKED = {
    "overrideHoliday": "{day} is a date; the override is written in the caller's municipality",
    "resetHoliday": "{day} is a date; the override is removed in the caller's municipality",
    "setHolidayPeriod": "{year}/{kind} name a holiday of the caller's municipality",
    "importCsv": "{kind} names a kind of import; the rows are matched in the caller's municipality",
    "exportCsv": "{kind} names a kind of export; it lists the caller's municipality",
}
# (operationId, variant) -> reason; strict, so the mark must go once the fix lands. A 422 naming the
# path's parameter leaks nothing (an id that does not exist gets the same answer), but the rule for
# a path's object is 404 (docs/architecture.md, Access); these routes belong to other parts' owners.
KNOWN_BUGS: dict[tuple[str, str], str] = {
    ("lookUpCard", "b"): "circulation: another municipality's card number in the path answers 422 naming "
                         "card_number (\"No active card has this number\") instead of 404",
}
PARAM = re.compile(r"\{(\w+)\}")


@dataclass
class Tenants:
    client: httpx.AsyncClient
    db: Database
    a: World
    b: World
    ids: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)  # world -> part -> ids
    marker: str = ""

    def world(self, side: str) -> World:
        return self.a if side == "a" else self.b


def _part_of(operation_id: str) -> Any:
    return next((part for part in PARTS if operation_id in part.REQUESTS), None)


async def _objects(client: httpx.AsyncClient, world: World) -> dict[str, dict[str, str]]:
    """One of each object in the world, by the part of the API that names it in paths."""
    found: dict[str, dict[str, str]] = {"base": _path_ids(world)}
    found["base"].update(await _booking_ids(client, world))
    found["base"]["change_id"] = await _change_id(client, world, found["base"])
    found["base"]["closed_id"] = await _closed_id(client, world)
    generic = "{round_id}{activity_id}{session_id}{registration_id}{period_id}{year}{request_id}"
    for part in PARTS:
        found[part.__name__] = {k: str(v) for k, v in (await part.path_ids(client, world, generic, "")).items()}
    return found


async def _mark(client: httpx.AsyncClient, world: World, marker: str) -> None:
    """B's names carry a marker, so that an answer showing them is caught."""
    admin = world["admin"].headers
    for url, body in ((f"/api/areas/{world.area_id}", {"name": f"{marker} område"}),
                      (f"/api/sites/{world.site_id}", {"name": f"{marker} skola"}),
                      (f"/api/spaces/{world.space_id}", {"name": f"{marker} sal"}),
                      (f"/api/associations/{world.association_id}", {"name": f"{marker} IF"})):
        response = await client.patch(url, headers=admin, json=body)
        assert response.status_code == 200, response.text


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def tenant_database(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('tenants') / 'booking.db'}"
        upgrade(url)
        yield url
        return
    yield request.getfixturevalue("postgresql_database").url  # migrated; emptied below


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def tenants(tenant_database: str) -> AsyncIterator[Tenants]:
    db = connect(tenant_database, pool_size=5)
    await truncate_all(db)
    app = make_app(db)
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as client:
            a, b = await build_world(db, client), await build_world(db, client)
            found = Tenants(client, db, a, b, marker=random_ref("Bortby"))
            found.ids = {"a": await _objects(client, a), "b": await _objects(client, b)}
            await _mark(client, b, found.marker)
            yield found
    finally:
        await db.dispose()


def _ids(t: Tenants, side: str, operation_id: str, path: str) -> dict[str, str]:
    world, objects = t.world(side), t.ids[side]
    ids = dict(objects["base"])
    part = _part_of(operation_id)
    if part is not None:
        ids.update(objects[part.__name__])
    if operation_id in FEEDS:
        ids["feed"] = FEEDS[operation_id](world)
    elif operation_id == "getActivitiesFeed":
        ids["feed"] = f"{world.slug}.ics"
    elif operation_id == "getRegistrationsFeed":
        ids["feed"] = "A" * 22 + ".ics"
    return {name: ids[name] for name in PARAM.findall(path)}


def _variants(path: str) -> list[str]:
    """'b': every object in the path is B's; '<param>': only that one is B's (paths naming two or more)."""
    objects = [p for p in PARAM.findall(path) if p not in NOT_OBJECTS]
    return ["b"] + (objects if len(objects) > 1 else [])


def _cases() -> list[Any]:
    cases = []
    for method, path, operation_id in OPERATIONS:
        if "{" not in path or operation_id in NOT_WALKED:
            continue
        for variant in _variants(path):
            known = KNOWN_BUGS.get((operation_id, variant))
            marks = [pytest.mark.xfail(strict=True, reason=known)] if known else []
            cases.append(pytest.param(method, path, operation_id, variant, marks=marks,
                                      id=f"{operation_id}-{variant}"))
    return cases


async def test_every_operation_with_a_path_parameter_is_walked() -> None:  # async: the module marks every test
    walked = {operation_id for method, path, operation_id in OPERATIONS if "{" in path} - set(NOT_WALKED)
    assert walked, "no operation has a path parameter?"
    for _method, path, operation_id in OPERATIONS:
        objects = [p for p in PARAM.findall(path) if p not in NOT_OBJECTS]
        if "{" in path:
            assert bool(objects) != (operation_id in NOT_WALKED), (operation_id, path)
    assert set(NOT_WALKED) <= {op for _, _, op in OPERATIONS}, "stale NOT_WALKED entries"
    assert {op for op, _ in KNOWN_BUGS} <= walked, "stale KNOWN_BUGS entries"


def _without_stamps(response: httpx.Response) -> Any:
    """An answer's content, minus what differs between two calls a moment apart (iCal DTSTAMP)."""
    if "json" in response.headers.get("content-type", ""):
        return response.json()
    return re.sub(rb"(?m)^DTSTAMP:.*$", b"", response.content)


def _leaks(t: Tenants, response: httpx.Response, in_path: set[str]) -> list[str]:
    """B's data in an answer: its marker, slug, municipality, e-mail addresses, and ids of B's objects
    other than those the request named itself (a problem's detail and instance may echo those)."""
    text = response.content.decode("utf-8", "replace")
    b_ids = {v for part in t.ids["b"].values() for v in part.values()} | {t.b.municipality_id}
    needles = {t.marker, t.b.slug, *(c.email for c in t.b.callers.values()), *(b_ids - in_path)}
    return sorted(n for n in needles if n and n in text)


@pytest.mark.parametrize(("method", "path", "operation_id", "variant"), _cases())
async def test_another_municipalitys_object_is_not_found(
    tenants: Tenants, method: str, path: str, operation_id: str, variant: str
) -> None:
    t = tenants
    policy: Access = POLICIES[(method, path)]
    a_ids, b_ids = _ids(t, "a", operation_id, path), _ids(t, "b", operation_id, path)
    ids = b_ids if variant == "b" else {**a_ids, variant: b_ids[variant]}
    url = path.format(**ids)
    in_path = set(ids.values())

    async def send(headers: dict[str, str] | None) -> httpx.Response:
        response = await t.client.request(method, url, headers=headers, **REQUESTS[operation_id](t.a))
        t.client.cookies.clear()
        assert response.status_code < 500, (operation_id, url, response.text)
        return response

    callers = [role for role in STAFF if policy.public or _allowed(policy, role)]
    before = await Queries(t.db).table_counts() if method not in SAFE else {}
    if policy.public:
        anonymous = await send(None)
        for role in callers:
            answer = await send(t.a[role].headers)
            assert (answer.status_code, _without_stamps(answer)) == \
                (anonymous.status_code, _without_stamps(anonymous)), (operation_id, role, url, answer.text[:400])
    else:
        for role in callers:
            answer = await send(t.a[role].headers)
            assert answer.status_code in (403, 404), (operation_id, role, url, answer.status_code, answer.text[:400])
            assert not _leaks(t, answer, in_path), (operation_id, role, url, _leaks(t, answer, in_path))
            if answer.status_code == 403:
                assert answer.json()["type"] != "urn:booking:problem:role-not-allowed", answer.text
    if method not in SAFE:
        after = await Queries(t.db).table_counts()
        assert after == before, (operation_id, url, {k: (before[k], after[k]) for k in after if after[k] != before[k]})


async def test_the_walk_sees_bs_data_where_it_is_shown(tenants: Tenants) -> None:
    """The leak check is not vacuous: B's own admin reading B's objects gets answers it flags."""
    t = tenants
    for url in (f"/api/associations/{t.b.association_id}", f"/api/bookings/{t.ids['b']['base']['booking_id']}",
                f"/api/accounts/{t.b['no_role'].account_id}"):
        answer = await t.client.get(url, headers=t.b["admin"].headers)
        assert answer.status_code == 200, answer.text
        assert _leaks(t, answer, set()), url
