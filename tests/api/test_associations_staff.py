"""Associations from the staff side, on both engines: a representative registers their own association
(self-registered account, then `registerAssociation`), which waits unverified in the staff's queue
(`verified=false`) and cannot book until premises staff verify it; activities staff see and edit but do
not verify or change the organisationsnummer; staff who register one for others do not become its
representative; a new organisationsnummer needs verifying again; another municipality's association
does not exist for them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import time_machine

from booking.adapters.db.database import Database
from tests.conftest import PASSWORD, World, build_world, make_app, random_ref

OPEN = {"general": [{"weekday": d, "opens": "08:00", "closes": "22:00"} for d in range(7)]}
ORG_NUMBER = "802012-3454"  # no other association of a fresh world has it (the world's is 802479-4565)
OTHER_ORG_NUMBER = "556036-0793"


@pytest.fixture
async def api(db: Database) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=make_app(db)),
                                 base_url="http://testserver") as client:
        yield client


@pytest.fixture
async def world(db: Database, api: httpx.AsyncClient) -> World:
    return await build_world(db, api)


async def _self_registered(api: httpx.AsyncClient, world: World) -> dict[str, str]:
    """A person who registered an account on the public pages (no roles), signed in with a token."""
    email = f"{random_ref('ordforande-')}@example.se"
    registered = await api.post("/api/auth/register", json={
        "municipality": world.slug, "email": email, "display_name": "Ordförande Olsson", "password": PASSWORD})
    assert registered.status_code == 201, registered.text
    token = await api.post("/api/auth/tokens", json={"email": email, "password": PASSWORD})
    assert token.status_code == 201, token.text
    return {"Authorization": f"Bearer {token.json()['token']}"}


async def _queue(api: httpx.AsyncClient, headers: dict[str, str], **params: Any) -> list[str]:
    listed = await api.get("/api/associations", headers=headers, params={"verified": "false", **params})
    assert listed.status_code == 200, listed.text
    return [a["name"] for a in listed.json()["items"]]


def _booking(world: World, association_id: str) -> dict[str, Any]:
    return {"space_id": world.space_id, "title": "Styrelsemöte", "association_id": association_id,
            "date": "2027-01-14", "start": "18:00", "end": "19:00"}


@time_machine.travel("2026-12-01T09:00:00+01:00", tick=True)
async def test_a_representatives_own_association_waits_in_the_queue_and_books_once_verified(
        api: httpx.AsyncClient, world: World) -> None:
    staff, activities = world["premises_staff"].headers, world["activities_staff"].headers
    assert (await api.put(f"/api/spaces/{world.space_id}/opening-hours", headers=staff, json=OPEN)).status_code == 200
    rep = await _self_registered(api, world)

    registered = await api.post("/api/associations", headers=rep, json={
        "name": "Kvartersföreningen Granen", "org_number": "8020123454", "category": "youth",
        "area_id": world.area_id, "contacts": [{"name": "Ordförande Olsson", "phone": "070-123 45 67"}]})
    assert registered.status_code == 201, registered.text
    association = registered.json()
    assert association["verified"] is False and association["verified_at"] is None
    assert association["org_number"] == ORG_NUMBER  # the canonical form
    me = (await api.get("/api/auth/me", headers=rep)).json()["account"]
    assert me["roles"] == [{"role": "association_rep", "scope_id": association["id"]}]

    # Waiting: in both staff's queue, not among the verified; the representative sees only their own.
    assert await _queue(api, staff) == ["Kvartersföreningen Granen", "Test IF"]
    assert await _queue(api, activities, q="granen") == ["Kvartersföreningen Granen"]
    verified = await api.get("/api/associations", headers=staff, params={"verified": "true"})
    assert verified.json()["items"] == []
    assert await _queue(api, rep) == ["Kvartersföreningen Granen"]

    # It cannot book yet, and nothing is stored.
    refused = await api.post("/api/bookings", headers=rep, json=_booking(world, association["id"]))
    assert refused.status_code == 403, refused.text
    assert "not verified" in refused.json()["detail"]
    assert (await api.get("/api/bookings", headers=rep)).json()["total"] == 0

    # Activities staff may not verify (the route's role), nor may the representative.
    for headers in (activities, rep):
        assert (await api.post(f"/api/associations/{association['id']}/verification", headers=headers,
                               json={"verified": True})).status_code == 403
    done = await api.post(f"/api/associations/{association['id']}/verification", headers=staff,
                          json={"verified": True})
    assert done.status_code == 200, done.text
    assert done.json()["verified"] is True and done.json()["verified_at"]
    assert await _queue(api, staff) == ["Test IF"]

    booked = await api.post("/api/bookings", headers=rep, json=_booking(world, association["id"]))
    assert booked.status_code == 201, booked.text
    assert (await api.get("/api/bookings", headers=rep)).json()["total"] == 1


async def test_staff_register_and_edit_associations_and_a_new_orgnr_is_verified_again(
        api: httpx.AsyncClient, world: World) -> None:
    staff, activities = world["premises_staff"].headers, world["activities_staff"].headers
    made = await api.post("/api/associations", headers=activities, json={
        "name": "Schackklubben Löparen", "org_number": ORG_NUMBER, "is_local": False})
    assert made.status_code == 201, made.text
    association_id = made.json()["id"]
    me = (await api.get("/api/auth/me", headers=activities)).json()["account"]
    assert me["roles"] == [{"role": "activities_staff", "scope_id": None}]  # not its representative
    assert "Schackklubben Löparen" in await _queue(api, staff)
    assert (await api.get("/api/associations", headers=world["association_rep"].headers)).json()["total"] == 1

    edited = await api.patch(f"/api/associations/{association_id}", headers=activities, json={
        "name": "Schackklubben Löparen Sundsvall", "public_name": True, "area_id": world.area_id,
        "contacts": [{"name": "Kassör Karlsson", "email": "kassor@example.se", "role": "Kassör"}]})
    assert edited.status_code == 200, edited.text
    assert edited.json()["contacts"] == [{"name": "Kassör Karlsson", "email": "kassor@example.se",
                                          "phone": None, "role": "Kassör"}]
    for field, value in (("org_number", OTHER_ORG_NUMBER), ("tariff_category", "reduced")):
        refused = await api.patch(f"/api/associations/{association_id}", headers=activities, json={field: value})
        assert refused.status_code == 403, (field, refused.text)

    assert (await api.post(f"/api/associations/{association_id}/verification", headers=staff,
                           json={"verified": True})).json()["verified"] is True
    tariff = await api.patch(f"/api/associations/{association_id}", headers=staff,
                             json={"tariff_category": "reduced"})
    assert tariff.json()["tariff_category"] == "reduced" and tariff.json()["verified"] is True
    renumbered = await api.patch(f"/api/associations/{association_id}", headers=staff,
                                 json={"org_number": OTHER_ORG_NUMBER})
    assert renumbered.status_code == 200, renumbered.text
    assert renumbered.json()["verified"] is False  # a new number is checked again
    assert "Schackklubben Löparen Sundsvall" in await _queue(api, staff)

    taken = await api.patch(f"/api/associations/{association_id}", headers=staff, json={"org_number": "802479-4565"})
    assert taken.status_code == 409
    assert [c["field"] for c in taken.json()["conflicts"]] == ["org_number"]
    assert (await api.get(f"/api/associations/{association_id}", headers=staff)).json()["org_number"] == \
        OTHER_ORG_NUMBER


async def test_another_municipalitys_staff_neither_see_nor_verify_an_association(
        db: Database, api: httpx.AsyncClient, world: World) -> None:
    other = await build_world(db, api)
    foreign = other["premises_staff"].headers
    path = f"/api/associations/{world.association_id}"
    assert (await api.get(path, headers=foreign)).status_code == 404
    assert (await api.patch(path, headers=foreign, json={"name": "Kapad"})).status_code == 404
    assert (await api.post(f"{path}/verification", headers=foreign, json={"verified": True})).status_code == 404
    assert await _queue(api, foreign) == ["Test IF"]  # their own world's association only
    assert (await api.get(path, headers=world["premises_staff"].headers)).json()["verified"] is False
