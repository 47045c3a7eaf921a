"""The set-up checklist over HTTP, on both engines: a fresh municipality misses everything; what its admin
sets up is done; another municipality's admin does not find it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from booking.adapters.db.database import Database
from booking.adapters.db.uow import SqlUnitOfWork
from booking.domain.municipalities.services import CreateMunicipality, create_municipality
from booking.domain.people.roles import Actor, Grant, Role
from booking.domain.people.services import CreateAccount, create_account
from tests.conftest import FAST_HASHER, PASSWORD, build_world, make_app, random_ref

EVENINGS = {"general": [{"weekday": d, "opens": "17:00", "closes": "22:00"} for d in range(5)]}
STEPS = ["areas", "sites", "spaces", "opening_hours", "booking_rules", "prices", "staff", "lending_hours",
         "holiday_periods"]


@pytest.fixture
async def api(db: Database) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=make_app(db)),
                                 base_url="http://testserver") as client:
        yield client


async def fresh_admin(db: Database, client: httpx.AsyncClient) -> tuple[str, dict[str, str]]:
    """A municipality as `booking admin create` leaves it: the municipality and its admin, nothing else."""
    slug = random_ref("ny-")
    municipality = await create_municipality(CreateMunicipality(name="Nyköping", slug=slug), SqlUnitOfWork(db))
    bootstrap = Actor(municipality.id, municipality.id, frozenset({Grant(Role.ADMIN)}))
    email = f"admin.{slug}@example.se"
    await create_account(CreateAccount(email=email, display_name="Ny Admin", password=PASSWORD,
                                       grants=(Grant(Role.ADMIN),)), SqlUnitOfWork(db), FAST_HASHER,
                         municipality.id, bootstrap)
    token = await client.post("/api/auth/tokens", json={"email": email, "password": PASSWORD})
    assert token.status_code == 201, token.text
    return str(municipality.id), {"Authorization": f"Bearer {token.json()['token']}"}


async def checklist(client: httpx.AsyncClient, municipality_id: str, headers: dict[str, str]) -> dict[str, Any]:
    answer = await client.get(f"/api/municipalities/{municipality_id}/setup", headers=headers)
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    assert [i["step"] for i in body["items"]] == STEPS
    return body


def step(body: dict[str, Any], name: str) -> tuple[bool, int, int]:
    item = next(i for i in body["items"] if i["step"] == name)
    return item["done"], item["count"], item["lacking"]


async def created(client: httpx.AsyncClient, url: str, headers: dict[str, str], body: dict[str, Any]) -> str:
    answer = await client.post(url, headers=headers, json=body)
    assert answer.status_code == 201, answer.text
    return str(answer.json()["id"])


async def test_a_fresh_municipality_misses_everything_and_each_page_is_named(api: httpx.AsyncClient,
                                                                             db: Database) -> None:
    await build_world(db, api)  # another municipality with everything: none of it counts here
    municipality_id, admin = await fresh_admin(db, api)
    body = await checklist(api, municipality_id, admin)
    assert body["municipality_id"] == municipality_id and body["complete"] is False
    assert all(not i["done"] and i["count"] == 0 and i["lacking"] == 0 for i in body["items"]), body
    pages = {i["step"]: i["page"] for i in body["items"]}
    assert pages["areas"] == "/areas.html" and pages["spaces"] == "/premises-admin.html"
    assert pages["prices"] == "/fees.html"


async def test_what_the_admin_sets_up_is_done(api: httpx.AsyncClient, db: Database) -> None:
    municipality_id, admin = await fresh_admin(db, api)
    area = await created(api, "/api/areas", admin, {"name": "Brandkärr", "population_0_17": 1200})
    site = await created(api, "/api/sites", admin, {"name": "Brandkärrsskolan", "area_id": area, "address": {
        "street": "Skolgatan 2", "postal_code": "611 38", "city": "Nyköping"}})
    space = await created(api, "/api/spaces", admin, {"site_id": site, "name": "Idrottshallen", "kind": "gym",
                                                      "capacity": 40})
    hours = await api.put(f"/api/spaces/{space}/opening-hours", headers=admin, json=EVENINGS)
    assert hours.status_code == 200, hours.text
    body = await checklist(api, municipality_id, admin)
    assert step(body, "areas") == (True, 1, 0)
    assert step(body, "sites") == (True, 1, 0)
    assert step(body, "spaces") == (True, 1, 0)
    assert step(body, "opening_hours") == (True, 1, 0)
    for missing in ("booking_rules", "prices", "staff", "lending_hours", "holiday_periods"):
        assert step(body, missing) == (False, 0, 0), missing
    assert body["complete"] is False

    # an area without its population, and a space without hours, make their steps missing again
    await created(api, "/api/areas", admin, {"name": "Arnö"})
    await created(api, "/api/spaces", admin, {"site_id": site, "name": "Matsalen", "kind": "hall",
                                              "capacity": 80})
    rules = await api.patch(f"/api/spaces/{space}", headers=admin, json={"rules": {"min_notice_hours": 48}})
    assert rules.status_code == 200, rules.text
    body = await checklist(api, municipality_id, admin)
    assert step(body, "areas") == (False, 2, 1)
    assert step(body, "spaces") == (True, 2, 0)
    assert step(body, "opening_hours") == (False, 1, 1)
    assert step(body, "booking_rules") == (True, 1, 0)


async def test_another_municipalitys_admin_finds_no_checklist(api: httpx.AsyncClient, db: Database) -> None:
    municipality_id, admin = await fresh_admin(db, api)
    other = await build_world(db, api)
    foreign = await api.get(f"/api/municipalities/{municipality_id}/setup", headers=other["admin"].headers)
    assert foreign.status_code == 404 and foreign.headers["content-type"].startswith("application/problem+json")
    staff = await api.get(f"/api/municipalities/{other.municipality_id}/setup",
                          headers=other["premises_staff"].headers)
    assert staff.status_code == 403
    own = await checklist(api, other.municipality_id, other["admin"].headers)
    assert step(own, "staff") == (True, 3, 0)  # premises, activities and lending staff
    assert step(own, "areas") == (False, 1, 1)  # the world's area has no population
    unknown = await api.get("/api/municipalities/00000000-0000-7000-8000-000000000000/setup", headers=admin)
    assert unknown.status_code == 404
