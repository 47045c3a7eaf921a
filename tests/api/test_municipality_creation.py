"""`POST /api/municipalities`, the installation operator's route, on both engines: with the operator key
it creates the municipality and its first administrator, whose invitation goes through the outbox and
whose link leads to a password and a signed-in admin of the new municipality only; no municipality's
people can call it; without BOOKING_OPERATOR_KEY it answers 404 as if absent; a taken slug or address
is 409 naming the field, and nothing is stored."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import httpx
import pytest
import sqlalchemy as sa

from booking.adapters.db import tables as t
from booking.adapters.db.database import Database
from booking.adapters.db.queries import Queries
from booking.cli import create_admin
from tests.conftest import PASSWORD, World, build_world, make_app, random_ref
from tests.conftest import test_settings as settings_of

KEY = "operator-" + "k" * 40
OPERATOR = {"Authorization": f"Bearer {KEY}"}
NEW_PASSWORD = "en-ny-kommuns-lösenord"
LINK = re.compile(r"http://testserver/set-password\.html\?token=([A-Za-z0-9_-]+)")


@pytest.fixture
async def api(db: Database) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=make_app(db, operator_key=KEY)),
                                 base_url="http://testserver") as client:
        yield client


@pytest.fixture
async def world(db: Database, api: httpx.AsyncClient) -> World:
    return await build_world(db, api)


def _body(slug: str, email: str | None = None, **changes: str) -> dict[str, str]:
    return {"name": "Nya kommunen", "slug": slug, "timezone": "Europe/Stockholm",
            "admin_email": email or f"admin.{slug}@example.se", "admin_display_name": "Första Admin",
            **changes}


async def _invitations(db: Database, email: str) -> list[str]:
    async with db.read_sessions() as s:
        return list((await s.execute(sa.select(t.outbox.c.body).where(
            t.outbox.c.recipient == email, t.outbox.c.kind == "account.invited"))).scalars())


async def test_the_operator_creates_a_municipality_whose_admin_is_invited_and_signs_in(
        db: Database, api: httpx.AsyncClient, world: World) -> None:
    slug = random_ref("ny-")
    created = await api.post("/api/municipalities", headers=OPERATOR, json=_body(slug, admin_locale="en"))
    assert created.status_code == 201, created.text
    body = created.json()
    municipality_id = body["municipality"]["id"]
    assert created.headers["location"] == f"/api/municipalities/{municipality_id}"
    assert body["municipality"]["slug"] == slug and body["municipality"]["timezone"] == "Europe/Stockholm"
    assert body["admin"]["municipality_id"] == municipality_id
    assert body["admin"]["roles"] == [{"role": "admin", "scope_id": None}]
    listed = await api.get("/api/municipalities", params={"limit": 100})
    assert slug in [m["slug"] for m in listed.json()["items"]]

    [mail] = await _invitations(db, f"admin.{slug}@example.se")
    assert "Nya kommunen" in mail
    found = LINK.search(mail)
    assert found, mail
    chosen = await api.post("/api/auth/password", json={"token": found.group(1), "password": NEW_PASSWORD})
    assert chosen.status_code == 204, chosen.text
    token = await api.post("/api/auth/tokens", json={"email": f"admin.{slug}@example.se", "password": NEW_PASSWORD})
    assert token.status_code == 201, token.text
    admin = {"Authorization": f"Bearer {token.json()['token']}"}
    own = await api.patch(f"/api/municipalities/{municipality_id}", headers=admin, json={"name": "Nya kommunen 2"})
    assert own.status_code == 200, own.text
    # The new admin is the new municipality's only: the world's municipality does not exist for them.
    other = await api.patch(f"/api/municipalities/{world.municipality_id}", headers=admin, json={"name": "Kapad"})
    assert other.status_code == 404
    accounts = await api.get("/api/accounts", headers=admin)
    assert [a["email"] for a in accounts.json()["items"]] == [f"admin.{slug}@example.se"]


async def test_no_municipality_caller_and_no_wrong_key_creates_one(
        db: Database, api: httpx.AsyncClient, world: World) -> None:
    before = await Queries(db).table_counts()
    slug = random_ref("ny-")
    for headers in (None, world["admin"].headers, {"Authorization": "Bearer " + "x" * 49},
                    {"Authorization": f"Basic {KEY}"}, {"Authorization": f"Bearer {KEY}x"}):
        refused = await api.post("/api/municipalities", headers=headers, json=_body(slug))
        assert refused.status_code == 401, (headers, refused.text)
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert refused.headers["www-authenticate"].lower().startswith("bearer")
        assert [e["field"] for e in refused.json()["errors"]] == ["Authorization"]
    after = await Queries(db).table_counts()
    assert {k: v for k, v in after.items() if k != "auth_sessions"} == \
        {k: v for k, v in before.items() if k != "auth_sessions"}


async def test_without_the_operator_key_setting_the_route_is_absent(db: Database, world: World) -> None:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=make_app(db)),
                                 base_url="http://testserver") as plain:
        for headers in (None, OPERATOR, world["admin"].headers):
            absent = await plain.post("/api/municipalities", headers=headers, json=_body(random_ref("ny-")))
            assert absent.status_code == 404, absent.text
            assert absent.headers["content-type"].startswith("application/problem+json")
        assert (await plain.get("/api/municipalities")).status_code == 200  # the list stays public


async def test_a_taken_slug_or_address_is_a_conflict_naming_it_and_stores_nothing(
        db: Database, api: httpx.AsyncClient, world: World) -> None:
    before = await Queries(db).table_counts()
    taken_slug = await api.post("/api/municipalities", headers=OPERATOR, json=_body(world.slug))
    assert taken_slug.status_code == 409, taken_slug.text
    assert [c["field"] for c in taken_slug.json()["conflicts"]] == ["slug"]
    taken_email = await api.post("/api/municipalities", headers=OPERATOR,
                                 json=_body(random_ref("ny-"), world["admin"].email))
    assert taken_email.status_code == 409, taken_email.text
    assert [c["field"] for c in taken_email.json()["conflicts"]] == ["admin_email"]
    assert await Queries(db).table_counts() == before
    assert await _invitations(db, world["admin"].email) == []


async def test_the_cli_still_creates_a_municipality_and_its_admin_with_the_same_service(
        db: Database, api: httpx.AsyncClient) -> None:
    """`booking admin create` (the CLI's coroutine) makes a new municipality through `add_municipality`,
    as the route does, and then an admin with a password; a second run adds an admin to it."""
    slug = random_ref("cli-")
    settings = settings_of(database_url=db.url)
    await create_admin(settings, slug, f"cli.{slug}@example.se", "Clara CLI", PASSWORD)
    await create_admin(settings, slug, f"cli2.{slug}@example.se", "Carl CLI", PASSWORD)
    listed = (await api.get("/api/municipalities", params={"limit": 100})).json()["items"]
    [made] = [m for m in listed if m["slug"] == slug]
    assert made["name"] == slug.capitalize()
    for email in (f"cli.{slug}@example.se", f"cli2.{slug}@example.se"):
        token = await api.post("/api/auth/tokens", json={"email": email, "password": PASSWORD})
        assert token.status_code == 201, token.text
        me = (await api.get("/api/auth/me", headers={"Authorization": f"Bearer {token.json()['token']}"})).json()
        assert me["account"]["municipality_id"] == made["id"]
        assert me["account"]["roles"] == [{"role": "admin", "scope_id": None}]
    taken = await api.post("/api/municipalities", headers=OPERATOR, json=_body(slug))
    assert taken.status_code == 409 and [c["field"] for c in taken.json()["conflicts"]] == ["slug"]
