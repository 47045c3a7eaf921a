"""Bad input to the staff's association edits and to the operator's municipality creation gets a 4xx
problem naming the field and changes nothing, on SQLite and PostgreSQL (the style of
test_bad_input.py; creating an association with bad input is in its catalogue)."""

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

KEY = "operator-" + "q" * 40
MUNICIPALITIES = "/api/municipalities"


def _association(w: World) -> str:
    return f"/api/associations/{w.association_id}"


def _municipality(**changes: Any) -> Callable[[World], Any]:
    return lambda w: {"name": "Nya kommunen", "slug": "nya-kommunen", "admin_email": "forsta@example.se",
                      "admin_display_name": "Första Admin", **changes}


@dataclass(frozen=True)
class Case:
    id: str
    method: str
    path: str | Callable[[World], str]
    body: Callable[[World], Any]
    field: str  # a regex when it starts with ^
    status: int = 422
    role: str = "premises_staff"  # None: the operator key


def _edit(case_id: str, body: dict[str, Any], field: str, status: int = 422, role: str = "premises_staff") -> Case:
    return Case(case_id, "PATCH", _association, lambda w: body, field, status, role)


def _found(case_id: str, body: Callable[[World], Any], field: str, status: int = 422) -> Case:
    return Case(case_id, "POST", MUNICIPALITIES, body, field, status, "operator")


CATALOGUE = [
    _edit("edit-orgnr-check-digit", {"org_number": "802479-4566"}, "org_number"),
    _edit("edit-orgnr-short", {"org_number": "802479-456"}, "org_number"),
    _edit("edit-orgnr-letters", {"org_number": "80247A-4565"}, "org_number"),
    _edit("edit-orgnr-empty", {"org_number": ""}, "org_number"),
    _edit("edit-orgnr-over-20", {"org_number": "8" * 21}, "org_number"),
    _edit("edit-orgnr-number", {"org_number": 8024794565}, "org_number"),
    _edit("edit-orgnr-null-byte", {"org_number": "802479-4565\x00"}, "org_number"),
    _edit("edit-unknown-area", {"area_id": str(uuid.uuid4())}, "area_id"),
    _edit("edit-area-not-a-uuid", {"area_id": "Nacksta"}, "area_id"),
    _edit("edit-unknown-category", {"category": "choir"}, "category"),
    _edit("edit-unknown-tariff", {"tariff_category": "gratis"}, "tariff_category"),
    _edit("edit-empty-name", {"name": ""}, "name"),
    _edit("edit-name-control", {"name": "Test\x07IF"}, "name"),
    _edit("edit-local-not-bool", {"is_local": "ja"}, "is_local"),
    _edit("edit-contact-bad-email", {"contacts": [{"name": "Ada", "email": "ingen-adress"}]}, "^contacts"),
    _edit("edit-unknown-field", {"verified": True}, "verified"),
    Case("verify-not-bool", "POST", lambda w: f"/api/associations/{w.association_id}/verification",
         lambda w: {"verified": "ja"}, "verified"),
    Case("verify-missing", "POST", lambda w: f"/api/associations/{w.association_id}/verification",
         lambda w: {}, "verified"),
    _found("found-bad-slug", _municipality(slug="Nya Kommunen"), "slug"),
    _found("found-slug-hyphen-end", _municipality(slug="nya-"), "slug"),
    _found("found-slug-too-long", _municipality(slug="a" * 65), "slug"),
    _found("found-slug-empty", _municipality(slug=""), "slug"),
    _found("found-bad-timezone", _municipality(timezone="Europe/Sundsvall"), "timezone"),
    _found("found-timezone-empty", _municipality(timezone=""), "timezone"),
    _found("found-timezone-null-byte", _municipality(timezone="Europe/Stock\x00holm"), "timezone"),
    _found("found-empty-name", _municipality(name=""), "name"),
    _found("found-admin-not-an-email", _municipality(admin_email="inte-en-adress"), "admin_email"),
    _found("found-admin-without-name", lambda w: {"name": "Ny", "slug": "ny", "admin_email": "a@example.se"},
           "admin_display_name"),
    _found("found-admin-locale", _municipality(admin_locale="fi"), "admin_locale"),
    _found("found-unknown-field", _municipality(admin_password="hemligt-lösenord"), "admin_password"),
    _found("found-not-json", lambda w: b'{"name": ', "body", 400),
]


@pytest.fixture
async def api(db: Database) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=make_app(db, operator_key=KEY)),
                                 base_url="http://testserver") as client:
        yield client


async def test_bad_association_and_municipality_input_is_refused_naming_the_field_and_changes_nothing(
        db: Database, api: httpx.AsyncClient) -> None:
    world = await build_world(db, api)
    queries = Queries(db)
    staff = world["premises_staff"].headers

    async def check(case: Case) -> None:
        before = await queries.table_counts()
        association = (await api.get(_association(world), headers=staff)).json()
        headers = {"Authorization": f"Bearer {KEY}"} if case.role == "operator" else world[case.role].headers
        path = case.path(world) if callable(case.path) else case.path
        response = await send(api, case.method, path, headers, case.body(world))
        assert_refused(response, case.status, case.field)
        await assert_rows_unchanged(queries, before)
        assert (await api.get(_association(world), headers=staff)).json() == association, "the association changed"

    await run_catalogue(CATALOGUE, check, db.dialect)


async def test_another_municipalitys_area_is_unknown_to_a_staff_edit(db: Database, api: httpx.AsyncClient) -> None:
    world = await build_world(db, api)
    other = await build_world(db, api)
    staff = world["premises_staff"].headers
    before = (await api.get(_association(world), headers=staff)).json()
    refused = await api.patch(_association(world), headers=staff, json={"area_id": other.area_id})
    assert refused.status_code == 422, refused.text
    assert [e["field"] for e in refused.json()["errors"]] == ["area_id"]
    assert (await api.get(_association(world), headers=staff)).json() == before
