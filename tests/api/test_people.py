"""Accounts, roles and associations over HTTP."""

from __future__ import annotations

import uuid

import httpx
import sqlalchemy as sa

from booking.adapters.db import tables as t
from booking.adapters.db.database import Database
from tests.conftest import PASSWORD, World


async def test_a_person_registers_an_association_and_staff_verify_it(
    client: httpx.AsyncClient, world: World
) -> None:
    account = await client.post("/api/auth/register", json={
        "municipality": world.slug, "email": "ny.ledare@example.se", "display_name": "Ny Ledare",
        "password": PASSWORD})
    assert account.status_code == 201, account.text
    assert account.json()["roles"] == []
    token = (await client.post("/api/auth/tokens", json={"email": "ny.ledare@example.se",
                                                         "password": PASSWORD})).json()["token"]
    me = {"Authorization": f"Bearer {token}"}

    registered = await client.post("/api/associations", headers=me, json={
        "name": "Skönsbergs Schackklubb", "org_number": "802400-0013", "category": "youth",
        "area_id": world.area_id, "contacts": [{"name": "Ny Ledare", "email": "ny.ledare@example.se",
                                                "phone": "070-765 43 21", "role": "Ordförande"}]})
    assert registered.status_code == 201, registered.text
    association = registered.json()
    assert association["verified"] is False
    assert association["org_number"] == "802400-0013"
    assert association["contacts"][0]["phone"] == "0707654321"

    # the registrant is now its representative
    profile = (await client.get("/api/auth/me", headers=me)).json()["account"]
    assert {"role": "association_rep", "scope_id": association["id"]} in profile["roles"]
    mine = (await client.get("/api/associations", headers=me)).json()
    assert [a["id"] for a in mine["items"]] == [association["id"]]

    # representatives cannot verify; premises staff can
    refused = await client.post(f"/api/associations/{association['id']}/verification", headers=me,
                                json={"verified": True})
    assert refused.status_code == 403
    verified = await client.post(f"/api/associations/{association['id']}/verification",
                                 headers=world["premises_staff"].headers, json={"verified": True})
    assert verified.status_code == 200, verified.text
    assert verified.json()["verified"] is True
    assert verified.json()["verified_at"] is not None

    unverified = (await client.get("/api/associations", headers=world["premises_staff"].headers,
                                   params={"verified": "false"})).json()
    assert association["id"] not in {a["id"] for a in unverified["items"]}


async def test_duplicate_organisation_number_is_a_conflict(client: httpx.AsyncClient, world: World) -> None:
    response = await client.post("/api/associations", headers=world["guardian"].headers, json={
        "name": "Kopia IF", "org_number": "8024794565"})
    assert response.status_code == 409
    assert response.json()["conflicts"] == [{"field": "org_number"}]


async def test_other_representatives_do_not_see_an_association(client: httpx.AsyncClient, world: World) -> None:
    own = await client.post("/api/associations", headers=world["guardian"].headers, json={
        "name": "Vårdnadshavarnas förening", "org_number": "556036-0793"})
    assert own.status_code == 201
    other = await client.get(f"/api/associations/{own.json()['id']}", headers=world["association_rep"].headers)
    assert other.status_code == 404
    listed = (await client.get("/api/associations", headers=world["association_rep"].headers)).json()
    assert [a["id"] for a in listed["items"]] == [world.association_id]


async def test_a_representative_updates_contacts_but_not_the_org_number(
    client: httpx.AsyncClient, world: World
) -> None:
    rep = world["association_rep"].headers
    updated = await client.patch(f"/api/associations/{world.association_id}", headers=rep, json={
        "public_name": True, "contacts": [{"name": "Kassör Karin", "email": "karin@example.se"}]})
    assert updated.status_code == 200, updated.text
    assert updated.json()["public_name"] is True
    assert [c["name"] for c in updated.json()["contacts"]] == ["Kassör Karin"]
    refused = await client.patch(f"/api/associations/{world.association_id}", headers=rep,
                                 json={"org_number": "556036-0793"})
    assert refused.status_code == 403


async def test_admin_gives_and_changes_roles_and_it_is_audited(
    client: httpx.AsyncClient, world: World, sqlite_db: Database
) -> None:
    admin = world["admin"].headers
    created = await client.post("/api/accounts", headers=admin, json={
        "email": "ny.personal@example.se", "display_name": "Ny Personal", "password": PASSWORD,
        "roles": [{"role": "lending_staff", "scope_id": world.site_id}]})
    assert created.status_code == 201, created.text
    account_id = created.json()["id"]
    assert created.json()["roles"] == [{"role": "lending_staff", "scope_id": world.site_id}]

    changed = await client.patch(f"/api/accounts/{account_id}", headers=admin, json={
        "roles": [{"role": "premises_staff"}, {"role": "association_rep", "scope_id": world.association_id}]})
    assert changed.status_code == 200, changed.text
    assert sorted(r["role"] for r in changed.json()["roles"]) == ["association_rep", "premises_staff"]

    bad_scope = await client.patch(f"/api/accounts/{account_id}", headers=admin, json={
        "roles": [{"role": "association_rep", "scope_id": world.site_id}]})
    assert bad_scope.status_code == 422
    assert bad_scope.json()["errors"][0]["field"] == "roles[0].scope_id"

    async with sqlite_db.read_sessions() as session:
        actions = (await session.execute(
            sa.select(t.audit_log.c.action, t.audit_log.c.actor_id, t.audit_log.c.details)
            .where(t.audit_log.c.entity_id == uuid.UUID(account_id)).order_by(t.audit_log.c.created_at)
        )).all()
    assert [a.action for a in actions] == ["account.created", "account.roles_changed"]
    assert str(actions[1].actor_id) == world["admin"].account_id
    assert actions[1].details["after"] == sorted(
        ["premises_staff:", f"association_rep:{world.association_id}"])


async def test_admin_lists_accounts_by_role(client: httpx.AsyncClient, world: World) -> None:
    listed = await client.get("/api/accounts", headers=world["admin"].headers, params={"role": "guardian"})
    assert listed.status_code == 200
    assert [a["email"] for a in listed.json()["items"]] == [world["guardian"].email]


async def test_areas_are_managed_by_the_admin(client: httpx.AsyncClient, world: World) -> None:
    admin = world["admin"].headers
    created = await client.post("/api/areas", headers=admin, json={"name": "Skönsberg", "population_0_17": 1900})
    assert created.status_code == 201
    duplicate = await client.post("/api/areas", headers=admin, json={"name": "skönsberg"})
    assert duplicate.status_code == 409
    listed = (await client.get("/api/areas", params={"municipality": world.slug})).json()
    assert [a["name"] for a in listed["items"]] == ["Nacksta", "Skönsberg"]
    in_use = await client.delete(f"/api/areas/{world.area_id}", headers=admin)
    assert in_use.status_code == 409
    gone = await client.delete(f"/api/areas/{created.json()['id']}", headers=admin)
    assert gone.status_code == 204


async def test_municipality_time_zone_is_validated(client: httpx.AsyncClient, world: World) -> None:
    admin = world["admin"].headers
    bad = await client.patch(f"/api/municipalities/{world.municipality_id}", headers=admin,
                             json={"timezone": "Europe/Sundsvall"})
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "timezone"
    good = await client.patch(f"/api/municipalities/{world.municipality_id}", headers=admin,
                              json={"timezone": "Europe/Stockholm", "name": "Sundsvalls kommun"})
    assert good.status_code == 200
    assert good.json()["name"] == "Sundsvalls kommun"
