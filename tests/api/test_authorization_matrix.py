"""The authorization matrix: every operation of the OpenAPI document, every role.

For each operation the route's declared Access policy is the specification. A
non-public operation answers 401 to an anonymous caller and to invalid, expired
or malformed credentials, 403 to every role the policy leaves out, and
something other than 401/403 to every role it lets in. Cookie-authenticated
writes need the X-CSRF-Token header. A route added without an entry here fails
`test_the_matrix_covers_every_operation`.
"""

from __future__ import annotations

import re
import tempfile
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from litestar.routes import HTTPRoute
from stdnum import luhn

from booking.adapters.db.auth_store import AuthStore
from booking.adapters.db.database import Database, connect
from booking.adapters.db.queries import Queries
from booking.api.access import CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE, Access
from booking.domain.people.roles import Role
from tests.api import (
    matrix_activities,
    matrix_allocation,
    matrix_associations,
    matrix_circulation,
    matrix_draw,
    matrix_imports,
    matrix_lending,
    matrix_people,
    matrix_postcodes,
    matrix_setup,
    matrix_sign_in,
)
from tests.conftest import PASSWORD, ROLES, World, make_app, random_ref

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
ROLE_NOT_ALLOWED = "urn:booking:problem:role-not-allowed"
SAFE = {"GET", "HEAD", "OPTIONS"}

# An app built only to read its OpenAPI document and route table; its database is never opened.
_SPEC_APP = make_app(connect(f"sqlite+aiosqlite:///{Path(tempfile.mkdtemp()) / 'spec-only.db'}"))
DOCUMENT: dict[str, Any] = _SPEC_APP.openapi_schema.to_schema()
OPERATIONS: list[tuple[str, str, str]] = [
    (method.upper(), path, op.get("operationId", ""))
    for path, item in DOCUMENT["paths"].items()
    for method, op in item.items()
    if method in HTTP_METHODS
]


def _doc_path(route_path: str) -> str:
    """Litestar's `/api/sites/{site_id:uuid}` is the document's `/api/sites/{site_id}`."""
    return re.sub(r"\{(\w+):[^}]+\}", r"{\1}", route_path)


def _policies(app: Any) -> dict[tuple[str, str], Any]:
    found: dict[tuple[str, str], Any] = {}
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            for method in handler.http_methods:
                found[(method, _doc_path(route.path))] = handler.opt.get("access")
    return found


POLICIES = _policies(_SPEC_APP)


def _org_number() -> str:
    """A fresh, valid organisationsnummer (Luhn check digit)."""
    base = f"80{uuid.uuid4().int % 10**7:07d}"
    number = base + luhn.calc_check_digit(base)
    return f"{number[:6]}-{number[6:]}"


def _email() -> str:
    return f"{random_ref('ny-')}@example.se"


Body = Callable[[World], dict[str, Any]]
NO_BODY: Body = lambda w: {}  # noqa: E731

# A minimal valid request per operation, so that what is checked is access, not validation.
REQUESTS: dict[str, Body] = {
    "createToken": lambda w: {"json": {"email": w["admin"].email, "password": PASSWORD}},
    "login": lambda w: {"json": {"email": w["admin"].email, "password": PASSWORD}},
    "logout": NO_BODY,
    "getMe": NO_BODY,
    "register": lambda w: {"json": {"municipality": w.slug, "email": _email(), "display_name": "Ny Person",
                                    "password": PASSWORD}},
    "listMunicipalities": NO_BODY,
    "getMunicipality": NO_BODY,
    "updateMunicipality": lambda w: {"json": {"name": "Testkommun"}},
    "listAreas": NO_BODY,
    "getArea": NO_BODY,
    "createArea": lambda w: {"json": {"name": f"Område {random_ref()}"}},
    "updateArea": lambda w: {"json": {"population_0_17": 1200}},
    "deleteArea": NO_BODY,
    "listSites": NO_BODY,
    "getSite": NO_BODY,
    "createSite": lambda w: {"json": {"name": f"Skola {random_ref()}", "address": {
        "street": "Skolgatan 2", "postal_code": "852 30", "city": "Sundsvall"}}},
    "updateSite": lambda w: {"json": {"description": "Entré från skolgården."}},
    "deleteSite": NO_BODY,
    "listSpaces": NO_BODY,
    "getSpace": NO_BODY,
    "createSpace": lambda w: {"json": {"site_id": w.site_id, "name": f"Klassrum {random_ref()}",
                                       "kind": "classroom", "capacity": 30}},
    "updateSpace": lambda w: {"json": {"capacity": 32}},
    "deleteSpace": NO_BODY,
    "listAccounts": NO_BODY,
    "getAccount": NO_BODY,
    "createAccount": lambda w: {"json": {"email": _email(), "display_name": "Ny Personal", "password": PASSWORD}},
    "updateAccount": lambda w: {"json": {"display_name": "Byter Namn"}},
    "listAssociations": NO_BODY,
    "getAssociation": NO_BODY,
    "registerAssociation": lambda w: {"json": {"name": f"Förening {random_ref()}", "org_number": _org_number()}},
    "updateAssociation": lambda w: {"json": {"public_name": True}},
    "verifyAssociation": lambda w: {"json": {"verified": True}},
    "getHealth": NO_BODY,
    "ping": NO_BODY,
    "requestBooking": lambda w: {"json": {"space_id": w.space_id, "title": "Prova på", "date": _day(21).isoformat(),
                                          "start": "10:00", "end": "11:00"}},
    "listBookings": NO_BODY,
    "getBooking": NO_BODY,
    "decideBooking": lambda w: {"json": {"approve": True}},
    "cancelBooking": lambda w: {"json": {"reason": "Sjukdom"}},
    "decideSeries": lambda w: {"json": {"approve": True}},
    "decideBookingChange": lambda w: {"json": {"approve": True}},
    "getOpeningHours": NO_BODY,
    "setOpeningHours": lambda w: {"json": OPEN_ALL_WEEK},
    "getAvailability": lambda w: {"params": {"from": _day(1).isoformat(), "to": _day(7).isoformat()}},
    "moveBooking": lambda w: {"json": {"date": _day(15).isoformat(), "start": "10:00", "end": "11:00"}},
    "rotateAssociationFeed": NO_BODY,
    "getSiteCalendar": NO_BODY,
    "getSpaceCalendar": NO_BODY,
    "getSiteFeed": NO_BODY,
    "getSpaceFeed": NO_BODY,
    "getAssociationFeed": NO_BODY,
    "listClosedPeriods": NO_BODY,
    "createClosedPeriod": lambda w: {"json": {"reason": "Skolavslutning", "first_day": _day(30).isoformat(),
                                              "last_day": _day(30).isoformat(), "site_id": w.site_id}},
    "deleteClosedPeriod": NO_BODY,
    "listClosedDays": lambda w: {"params": {"municipality": w.slug, "year": _day(0).year}},
    "overrideHoliday": lambda w: {"json": {"closed": True, "name": "Studiedag"}},
    "resetHoliday": NO_BODY,
    "recordAttendance": lambda w: {"json": {"leader_name": "Sara Ledare", "participants": []}},
    "getAttendanceReport": lambda w: {"params": {"from": _day(0).isoformat(), "to": _day(30).isoformat()}},
    "getAttendanceCsv": lambda w: {"params": {"from": _day(0).isoformat(), "to": _day(30).isoformat()}},
    "getPrices": lambda w: {"params": {"municipality": w.slug}},
    "setPrices": lambda w: {"json": {"items": [{"category": "standard", "space_kind": "gym", "hourly": "150"}]}},
    "getFeeBasis": lambda w: {"params": {"from": _day(0).isoformat(), "to": _day(30).isoformat()}},
    "getFeeBasisCsv": lambda w: {"params": {"from": _day(0).isoformat(), "to": _day(30).isoformat()}},
    "getBookingAccess": NO_BODY,
    "getCheckInQr": NO_BODY,
    "markNoShow": NO_BODY,
    "checkIn": lambda w: {"json": {"code": "not-a-code"}},
    "getNoShows": NO_BODY,
    "getSpaceAccess": NO_BODY,
    "setSpaceAccess": lambda w: {"json": {"mode": "key", "instructions": "Nyckel i receptionen."}},
    "findFreeSlots": lambda w: {"params": {"municipality": w.slug, "from": _day(1).isoformat(),
                                           "to": _day(7).isoformat(), "kind": "gym"}},
}

# The other capabilities keep their matrix entries in modules of their own.
PARTS = (matrix_allocation, matrix_lending, matrix_circulation, matrix_activities, matrix_setup, matrix_people,
         matrix_imports, matrix_associations, matrix_sign_in,
         matrix_postcodes, matrix_draw)
for _part in PARTS:
    assert not set(_part.REQUESTS) & set(REQUESTS), f"{_part.__name__} repeats an operationId"
    REQUESTS.update(_part.REQUESTS)

# `{feed}` means a different thing per feed route.
FEEDS: dict[str, Callable[[World], str]] = {
    "getSiteFeed": lambda w: f"{w.site_id}.ics",
    "getSpaceFeed": lambda w: f"{w.space_id}.ics",
    "getAssociationFeed": lambda w: "A" * 43 + ".ics",  # an unknown private token: 404, never 401/403
}


OPEN_ALL_WEEK = {"general": [{"weekday": d, "opens": "08:00", "closes": "22:00"} for d in range(7)]}


def _day(days_ahead: int) -> date:
    """A day counted from today where the demo municipality is (not where the test machine is)."""
    return datetime.now(ZoneInfo("Europe/Stockholm")).date() + timedelta(days=days_ahead)


async def _booking_ids(client: httpx.AsyncClient, world: World) -> dict[str, str]:
    """A pending weekly series requested by the association's representative."""
    staff = world["premises_staff"].headers
    opened = await client.put(f"/api/spaces/{world.space_id}/opening-hours", headers=staff, json=OPEN_ALL_WEEK)
    assert opened.status_code == 200, opened.text
    verified = await client.post(f"/api/associations/{world.association_id}/verification", headers=staff,
                                 json={"verified": True})
    assert verified.status_code == 200, verified.text
    first = _day(14)
    requested = await client.post("/api/bookings", headers=world["association_rep"].headers, json={
        "space_id": world.space_id, "title": "Innebandy P12", "association_id": world.association_id,
        "date": first.isoformat(), "start": "18:00", "end": "19:00",
        "recurrence": {"weekdays": [first.weekday()], "count": 6}})
    assert requested.status_code == 201, requested.text
    outcome = requested.json()
    return {"booking_id": outcome["bookings"][0]["id"], "series_id": outcome["series_id"]}


async def _change_id(client: httpx.AsyncClient, world: World, booking: dict[str, str]) -> str:
    """A move the representative asked for of an approved booking (of `_booking_ids`), waiting for staff."""
    decided = await client.post(f"/api/booking-series/{booking['series_id']}/decision",
                                headers=world["premises_staff"].headers, json={"approve": True})
    assert decided.status_code == 200, decided.text
    asked = await client.post(f"/api/bookings/{booking['booking_id']}/move", headers=world["association_rep"].headers,
                              json={"date": _day(14).isoformat(), "start": "20:00", "end": "21:00"})
    assert asked.status_code == 200 and asked.json()["pending_change"], asked.text
    return str(asked.json()["pending_change"]["id"])


async def _closed_id(client: httpx.AsyncClient, world: World) -> str:
    """A closed period of the site, made by premises staff."""
    made = await client.post("/api/closed-periods", headers=world["premises_staff"].headers, json={
        "reason": "Underhåll", "first_day": _day(40).isoformat(), "last_day": _day(41).isoformat(),
        "space_id": world.space_id})
    assert made.status_code == 201, made.text
    return str(made.json()["id"])


def _path_ids(world: World) -> dict[str, str]:
    return {
        "municipality_id": world.municipality_id, "area_id": world.area_id, "site_id": world.site_id,
        "space_id": world.space_id, "association_id": world.association_id,
        "account_id": world["no_role"].account_id,
    }


def _allowed(policy: Access, role: str) -> bool:
    """The policy's meaning: no roles listed = any signed-in account; the admin may do everything."""
    if not policy.roles:
        return True
    return role == "admin" or (role != "no_role" and Role(role) in policy.roles)


def _assert_problem(response: httpx.Response, status: int) -> None:
    assert response.status_code == status, (response.request.method, response.request.url, response.text)
    assert response.headers["content-type"].startswith("application/problem+json"), response.headers
    body = response.json()
    assert body["status"] == status
    assert body["type"].startswith("urn:booking:problem:")
    assert body["title"] and body["detail"]


async def _expired_token(db: Database, world: World) -> str:
    """A real admin API token whose lifetime ended yesterday."""
    token, _ = await AuthStore(db).create(uuid.UUID(world["admin"].account_id), "api",
                                          datetime.now(UTC) - timedelta(days=2), lifetime=timedelta(days=1),
                                          idle=None)
    return token


@asynccontextmanager
async def _cookie_session(app: Any, world: World) -> AsyncIterator[httpx.AsyncClient]:
    """A browser-like client signed in as the admin with the session and CSRF cookies."""
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as browser:
        response = await browser.post("/api/auth/login",
                                      json={"email": world["admin"].email, "password": PASSWORD})
        assert response.status_code == 200, response.text
        assert browser.cookies.get(SESSION_COOKIE) and browser.cookies.get(CSRF_COOKIE)
        yield browser


def test_the_matrix_covers_every_operation() -> None:
    """Counted from the document, so a new route without a matrix entry fails here."""
    counted = sum(1 for item in DOCUMENT["paths"].values() for method in item if method in HTTP_METHODS)
    assert len(OPERATIONS) == counted
    ids = [operation_id for _, _, operation_id in OPERATIONS]
    assert all(ids), [op for op in OPERATIONS if not op[2]]
    assert len(set(ids)) == len(ids), "operationIds must be unique"
    assert set(REQUESTS) == set(ids), (
        f"operations without a matrix request: {sorted(set(ids) - set(REQUESTS))}; "
        f"stale matrix entries: {sorted(set(REQUESTS) - set(ids))}")
    for method, path, operation_id in OPERATIONS:
        assert isinstance(POLICIES.get((method, path)), Access), f"{operation_id} ({method} {path}) has no Access"


def test_every_api_route_is_in_the_document() -> None:
    """A route left out of the OpenAPI document would escape the matrix."""
    documented = {(method, path) for method, path, _ in OPERATIONS}
    for (method, path), _policy in POLICIES.items():
        if method in {"OPTIONS", "HEAD"} or not (path.startswith(("/api", "/feeds")) or path == "/health"):
            continue
        assert (method, path) in documented, f"{method} {path} is not in the OpenAPI document"


def test_every_non_public_operation_declares_its_security() -> None:
    for method, path, operation_id in OPERATIONS:
        declared = DOCUMENT["paths"][path][method.lower()].get("security")
        if POLICIES[(method, path)].public:
            assert not declared, operation_id
        else:
            assert declared == [{"sessionCookie": []}, {"bearerToken": []}], operation_id


# Known backend bugs that make an allowed caller's request fail (operationId -> reason); strict xfail,
# so the mark must go once the bug is fixed.
KNOWN_BUGS: dict[str, str] = {}


def _matrix_params() -> list[Any]:
    return [
        pytest.param(*op, id=op[2], marks=[pytest.mark.xfail(strict=True, reason=KNOWN_BUGS[op[2]])]
                     if op[2] in KNOWN_BUGS else [])
        for op in OPERATIONS
    ]


@pytest.mark.parametrize(("method", "path", "operation_id"), _matrix_params())
async def test_operation_enforces_its_access_policy(
    method: str, path: str, operation_id: str, app: Any, client: httpx.AsyncClient, world: World,
    sqlite_db: Database,
) -> None:
    policy: Access = POLICIES[(method, path)]
    ids = _path_ids(world)
    if "{booking_id}" in path or "{series_id}" in path or "{change_id}" in path:
        ids.update(await _booking_ids(client, world))
    if "{change_id}" in path:
        ids["change_id"] = await _change_id(client, world, ids)
    if "{day}" in path:
        ids["day"] = _day(50).isoformat()
    if "{closed_id}" in path:
        ids["closed_id"] = await _closed_id(client, world)
    if operation_id in FEEDS:
        ids["feed"] = FEEDS[operation_id](world)
    for part in PARTS:
        if operation_id in part.REQUESTS:
            ids.update(await part.path_ids(client, world, path, operation_id))
    url = path.format(**ids)

    async def send(headers: dict[str, str] | None = None) -> httpx.Response:
        response = await client.request(method, url, headers=headers, **REQUESTS[operation_id](world))
        client.cookies.clear()  # a sign-in answer must not turn later "anonymous" calls into signed-in ones
        assert response.status_code < 500, (operation_id, response.text)
        return response

    if policy.public:
        for headers in (None, {"Authorization": "Bearer not-a-real-token"}, world["no_role"].headers):
            response = await send(headers)
            assert response.status_code not in (401, 403), (operation_id, headers, response.text)
        return

    anonymous = await send()
    _assert_problem(anonymous, 401)
    assert anonymous.headers["www-authenticate"].lower().startswith("bearer")
    for bad in ("Bearer " + "x" * 43, "Bearer " + await _expired_token(sqlite_db, world), "Basic YWRtaW46YWRtaW4=",
                "Bearer "):
        _assert_problem(await send({"Authorization": bad}), 401)

    denied = [role for role in ROLES if not _allowed(policy, role)]
    allowed = [role for role in ROLES if _allowed(policy, role)]
    assert "admin" in allowed
    if policy.roles:
        assert {"no_role", "borrower"} <= set(denied), f"{operation_id} lets {policy.roles} in"
    counts_before = await Queries(sqlite_db).table_counts()
    for role in denied:
        refused = await send(world[role].headers)
        _assert_problem(refused, 403)
        assert refused.json()["type"] == ROLE_NOT_ALLOWED, refused.json()
    if denied and method not in SAFE:
        after = await Queries(sqlite_db).table_counts()
        assert {k: v for k, v in after.items() if k != "auth_sessions"} == \
            {k: v for k, v in counts_before.items() if k != "auth_sessions"}, "a refused write changed data"

    if method not in SAFE:
        async with _cookie_session(app, world) as browser:
            without = await browser.request(method, url, **REQUESTS[operation_id](world))
            _assert_problem(without, 403)
            assert without.json()["type"] == "urn:booking:problem:csrf"
            assert "csrf" in without.json()["detail"].lower()
            wrong = await browser.request(method, url, headers={CSRF_HEADER: "0" * 64},
                                          **REQUESTS[operation_id](world))
            _assert_problem(wrong, 403)
            csrf = browser.cookies[CSRF_COOKIE]
            with_token = await browser.request(method, url, headers={CSRF_HEADER: csrf},
                                               **REQUESTS[operation_id](world))
            assert with_token.status_code not in (401, 403) and with_token.status_code < 500, with_token.text

    # Every role the policy lets in passes the guard (a service may still refuse a particular object:
    # another association's booking is 403 `forbidden`, never `role-not-allowed`); the admin gets through.
    for role in allowed:
        response = await send(world[role].headers)
        assert response.status_code != 401, (operation_id, role, response.text)
        if response.status_code == 403:
            assert response.json()["type"] != ROLE_NOT_ALLOWED, (operation_id, role, response.text)
            assert role != "admin", (operation_id, response.text)


async def test_cookie_writes_succeed_with_the_csrf_token_and_change_nothing_without(
    app: Any, client: httpx.AsyncClient, world: World, sqlite_db: Database,
) -> None:
    async with _cookie_session(app, world) as browser:
        me = await browser.get("/api/auth/me")  # reads need no CSRF token
        assert me.status_code == 200
        assert me.json()["csrf_token"] == browser.cookies[CSRF_COOKIE]
        body = {"site_id": world.site_id, "name": "Slöjdsalen", "kind": "classroom", "capacity": 16}
        before = await Queries(sqlite_db).table_counts()
        refused = await browser.post("/api/spaces", json=body)
        _assert_problem(refused, 403)
        assert (await Queries(sqlite_db).table_counts())["spaces"] == before["spaces"]

        created = await browser.post("/api/spaces", json=body, headers={CSRF_HEADER: browser.cookies[CSRF_COOKIE]})
        assert created.status_code == 201, created.text
        assert (await client.get(created.headers["location"])).json()["name"] == "Slöjdsalen"

        # Logging out is a write too: without the token the session survives.
        _assert_problem(await browser.post("/api/auth/logout"), 403)
        assert (await browser.get("/api/auth/me")).status_code == 200


async def test_a_csrf_token_belongs_to_its_session(app: Any, world: World) -> None:
    """Another session's CSRF token (e.g. an attacker's own) does not pass."""
    async with _cookie_session(app, world) as first, _cookie_session(app, world) as second:
        assert first.cookies[CSRF_COOKIE] != second.cookies[CSRF_COOKIE]
        response = await first.patch(f"/api/sites/{world.site_id}", json={"name": "Kapad skola"},
                                     headers={CSRF_HEADER: second.cookies[CSRF_COOKIE]})
        _assert_problem(response, 403)
        assert (await first.get(f"/api/sites/{world.site_id}")).json()["name"] == "Testskolan"
