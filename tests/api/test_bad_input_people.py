"""Bad input to invitations, password resets and the audit log gets a clear 4xx problem naming the
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
from tests.conftest import PASSWORD, World, build_world, make_app

INVITE = "/api/accounts/invitations"
RESET = "/api/auth/password-reset"
PASSWORD_SET = "/api/auth/password"
AUDIT = "/api/audit"


def _invite(**changes: Any) -> Callable[[World], Any]:
    return lambda w: {"email": "ny.person@example.se", "display_name": "Ny Person", **changes}


def _set(**changes: Any) -> Callable[[World], Any]:
    return lambda w: {"token": "A" * 43, "password": PASSWORD, **changes}


@dataclass(frozen=True)
class Case:
    id: str
    method: str
    path: str
    body: Callable[[World], Any] | None
    field: str  # a regex when it starts with ^
    status: int = 422
    params: dict[str, Any] | None = None
    auth: bool = True


CATALOGUE = [
    Case("invite-without-email", "POST", INVITE, lambda w: {"display_name": "Ny"}, "email"),
    Case("invite-not-an-email", "POST", INVITE, _invite(email="inte-en-adress"), "email"),
    Case("invite-email-null-byte", "POST", INVITE, _invite(email="n\x00y@example.se"), "email"),
    Case("invite-email-too-long", "POST", INVITE, _invite(email="a" * 250 + "@example.se"), "email"),
    Case("invite-empty-name", "POST", INVITE, _invite(display_name=""), "display_name"),
    Case("invite-name-control", "POST", INVITE, _invite(display_name="Ny\x07Person"), "display_name"),
    Case("invite-locale", "POST", INVITE, _invite(locale="fi"), "locale"),
    Case("invite-unknown-field", "POST", INVITE, _invite(password=PASSWORD), "password"),
    Case("invite-unknown-role", "POST", INVITE, _invite(roles=[{"role": "mayor"}]), "^roles"),
    Case("invite-rep-without-association", "POST", INVITE, _invite(roles=[{"role": "association_rep"}]),
         "roles[0].scope_id"),
    Case("invite-unknown-site", "POST", INVITE,
         _invite(roles=[{"role": "premises_staff", "scope_id": str(uuid.uuid4())}]), "roles[0].scope_id"),
    Case("invite-scope-not-a-uuid", "POST", INVITE, _invite(roles=[{"role": "premises_staff", "scope_id": "x"}]),
         "^roles"),
    Case("invite-too-many-roles", "POST", INVITE, _invite(roles=[{"role": "premises_staff"}] * 21), "roles"),
    Case("invite-not-json", "POST", INVITE, lambda w: b'{"email": ', "body", 400),
    Case("reset-without-email", "POST", RESET, lambda w: {}, "email", auth=False),
    Case("reset-not-an-email", "POST", RESET, lambda w: {"email": "ingen-snabel-a"}, "email", auth=False),
    Case("reset-email-null-byte", "POST", RESET, lambda w: {"email": "a\x00@example.se"}, "email", auth=False),
    Case("reset-email-too-long", "POST", RESET, lambda w: {"email": "a" * 300}, "email", auth=False),
    Case("reset-email-number", "POST", RESET, lambda w: {"email": 46}, "email", auth=False),
    Case("set-without-token", "POST", PASSWORD_SET, lambda w: {"password": PASSWORD}, "token", auth=False),
    Case("set-empty-token", "POST", PASSWORD_SET, _set(token=""), "token", auth=False),
    Case("set-token-too-long", "POST", PASSWORD_SET, _set(token="A" * 201), "token", auth=False),
    Case("set-token-null-byte", "POST", PASSWORD_SET, _set(token="A\x00B"), "token", auth=False),
    Case("set-unknown-token", "POST", PASSWORD_SET, _set(), "token", auth=False),
    Case("set-short-password", "POST", PASSWORD_SET, _set(password="kort"), "password", auth=False),
    Case("set-long-password", "POST", PASSWORD_SET, _set(password="x" * 1025), "password", auth=False),
    Case("audit-entity-id", "GET", AUDIT, None, "entity_id", params={"entity_id": "inte-ett-id"}),
    Case("audit-actor-id", "GET", AUDIT, None, "actor_id", params={"actor_id": "42"}),
    Case("audit-from", "GET", AUDIT, None, "from", params={"from": "igår"}),
    Case("audit-naive-to", "GET", AUDIT, None, "to", params={"to": "2027-01-01T00:00:00"}),
    Case("audit-action-control", "GET", AUDIT, None, "action", params={"action": "account.\x00"}),
    Case("audit-entity-too-long", "GET", AUDIT, None, "entity", params={"entity": "x" * 65}),
    Case("audit-limit", "GET", AUDIT, None, "limit", params={"limit": 0}),
]


@pytest.fixture
async def api(db: Database) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=make_app(db)),
                                 base_url="http://testserver") as client:
        yield client


async def test_bad_people_input_is_refused_naming_the_field_and_changes_nothing(
        db: Database, api: httpx.AsyncClient) -> None:
    world = await build_world(db, api)
    queries = Queries(db)

    async def check(case: Case) -> None:
        before = await queries.table_counts()
        response = await send(api, case.method, case.path, world["admin"].headers if case.auth else {},
                              case.body(world) if case.body else None, case.params)
        assert_refused(response, case.status, case.field)
        assert len(response.content) < 10_000, "a large input is echoed back"
        await assert_rows_unchanged(queries, before)

    await run_catalogue(CATALOGUE, check, db.dialect)
