"""Bad input to the OpenID Connect sign-in settings and flow routes gets a clear 4xx problem naming the
field and changes nothing, on SQLite and PostgreSQL (the style of test_bad_input.py)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from booking.adapters.db.database import Database
from booking.adapters.db.queries import Queries
from tests.api.bad_input_support import assert_refused, assert_rows_unchanged, run_catalogue, send
from tests.conftest import World, build_world, make_app

PROVIDERS = "/api/auth/oidc/providers"
CALLBACK = "/api/auth/oidc/callback"


def settings_path(w: World) -> str:
    return f"/api/municipalities/{w.municipality_id}/sign-in"


def start_path(w: World) -> str:
    return f"/api/auth/oidc/{w.slug}/start"


def _body(**changes: Any) -> Callable[[World], Any]:
    return lambda w: {"issuer": "https://login.example.se/realms/kommun", "client_id": "booking",
                      "client_secret": "hemligt", "mappings": [{"value": "booking-admins", "role": "admin"}],
                      **changes}


@dataclass(frozen=True)
class Case:
    id: str
    method: str
    path: Callable[[World], str]
    body: Callable[[World], Any] | None
    field: str  # a regex when it starts with ^
    status: int = 422
    params: dict[str, Any] | None = None
    auth: bool = True


S = settings_path
CATALOGUE = [
    Case("issuer-missing", "PUT", S, lambda w: {"client_id": "booking"}, "issuer"),
    Case("issuer-not-a-url", "PUT", S, _body(issuer="inte en adress"), "issuer"),
    Case("issuer-plain-http", "PUT", S, _body(issuer="http://login.example.se"), "issuer"),
    Case("issuer-with-query", "PUT", S, _body(issuer="https://login.example.se/?x=1"), "issuer"),
    Case("issuer-control", "PUT", S, _body(issuer="https://login.example.se/\x00"), "issuer"),
    Case("issuer-too-long", "PUT", S, _body(issuer="https://e.se/" + "a" * 500), "issuer"),
    Case("client-id-empty", "PUT", S, _body(client_id=""), "client_id"),
    Case("client-id-space", "PUT", S, _body(client_id="boka mera"), "client_id"),
    Case("secret-control", "PUT", S, _body(client_secret="a\x07b"), "client_secret"),
    Case("scopes-without-openid", "PUT", S, _body(scopes=["email"]), "scopes"),
    Case("scopes-empty", "PUT", S, _body(scopes=[]), "scopes"),
    Case("scope-with-space", "PUT", S, _body(scopes=["openid", "e mail"]), "scopes[1]"),
    Case("claim-bad", "PUT", S, _body(claim="grupper och roller"), "claim"),
    Case("mapping-unknown-role", "PUT", S, _body(mappings=[{"value": "x", "role": "mayor"}]), "^mappings"),
    Case("mapping-citizen-role", "PUT", S, _body(mappings=[{"value": "x", "role": "guardian"}]),
         "mappings[0].role"),
    Case("mapping-empty-value", "PUT", S, _body(mappings=[{"value": "", "role": "admin"}]), "^mappings"),
    Case("mapping-admin-at-a-site", "PUT", S,
         lambda w: _body(mappings=[{"value": "x", "role": "admin", "site_id": w.site_id}])(w), "mappings[0].site_id"),
    Case("mapping-unknown-site", "PUT", S,
         _body(mappings=[{"value": "x", "role": "premises_staff", "site_id": str(uuid.uuid4())}]),
         "mappings[0].site_id"),
    Case("mapping-twice", "PUT", S, _body(mappings=[{"value": "x", "role": "admin"}] * 2), "mappings[1]"),
    Case("enabled-without-secret", "PUT", S, _body(client_secret=None, enabled=True), "client_secret"),
    Case("enabled-without-mappings", "PUT", S, _body(mappings=[], enabled=True), "mappings"),
    Case("unknown-field", "PUT", S, _body(secret="x"), "secret"),
    Case("not-json", "PUT", S, lambda w: b'{"issuer": ', "body", 400),
    Case("providers-unknown-municipality", "GET", lambda w: PROVIDERS, None, "municipality",
         params={"municipality": "finns-inte"}, auth=False),
    Case("providers-control", "GET", lambda w: PROVIDERS, None, "municipality",
         params={"municipality": "a\x00b"}, auth=False),
    Case("start-return-elsewhere", "GET", start_path, None, "return_to", params={"return_to": "//evil.example"},
         auth=False),
    Case("start-return-absolute", "GET", start_path, None, "return_to",
         params={"return_to": "https://evil.example/"}, auth=False),
    Case("callback-without-state", "GET", lambda w: CALLBACK, None, "state", params={"code": "abc"}, auth=False),
    Case("callback-state-too-long", "GET", lambda w: CALLBACK, None, "state",
         params={"state": "A" * 201, "code": "abc"}, auth=False),
    Case("callback-without-code", "GET", lambda w: CALLBACK, None, "code", params={"state": "A" * 43}, auth=False),
]


@pytest.fixture
async def api(db: Database) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=make_app(db)),
                                 base_url="http://testserver") as client:
        yield client


async def test_bad_sign_in_input_is_refused_naming_the_field_and_changes_nothing(
        db: Database, api: httpx.AsyncClient) -> None:
    world = await build_world(db, api)
    queries = Queries(db)

    async def check(case: Case) -> None:
        before = await queries.table_counts()
        response = await send(api, case.method, case.path(world), world["admin"].headers if case.auth else {},
                              case.body(world) if case.body else None, case.params)
        assert_refused(response, case.status, case.field)
        assert len(response.content) < 10_000, "a large input is echoed back"
        await assert_rows_unchanged(queries, before)

    await run_catalogue(CATALOGUE, check, db.dialect)
