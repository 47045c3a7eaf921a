"""Sites and spaces over HTTP: admins write, everyone reads, divisible halls have parts."""

from __future__ import annotations

import httpx

from tests.conftest import World


async def test_public_reads_sites_and_spaces_without_signing_in(client: httpx.AsyncClient, world: World) -> None:
    sites = await client.get("/api/sites", params={"municipality": world.slug})
    assert sites.status_code == 200
    body = sites.json()
    assert body["total"] == 1
    assert body["items"][0]["name"] == "Testskolan"
    assert body["items"][0]["area_name"] == "Nacksta"
    assert body["items"][0]["address"] == {"street": "Skolvägen 1", "postal_code": "853 50", "city": "Sundsvall"}
    spaces = await client.get("/api/spaces", params={"site_id": world.site_id})
    assert [s["name"] for s in spaces.json()["items"]] == ["Gympasalen"]


async def test_admin_creates_updates_and_deletes_a_space(client: httpx.AsyncClient, world: World) -> None:
    admin = world["admin"].headers
    created = await client.post("/api/spaces", headers=admin, json={
        "site_id": world.site_id, "name": "Musiksal 2", "kind": "music_room", "capacity": 25,
        "accessibility": {"step_free": True, "hearing_loop": True, "notes": "Hörslinga vid scenen."},
        "equipment": ["Piano", "Trumset", "piano"],
    })
    assert created.status_code == 201, created.text
    space = created.json()
    assert created.headers["location"] == f"/api/spaces/{space['id']}"
    assert space["equipment"] == ["Piano", "Trumset"]  # duplicates (any case) dropped
    assert space["accessibility"]["hearing_loop"] is True

    updated = await client.patch(f"/api/spaces/{space['id']}", headers=admin, json={"capacity": 28})
    assert updated.status_code == 200, updated.text
    assert updated.json()["capacity"] == 28
    assert updated.json()["name"] == "Musiksal 2"  # untouched fields stay

    fetched = await client.get(f"/api/spaces/{space['id']}")
    assert fetched.json()["capacity"] == 28

    deleted = await client.delete(f"/api/spaces/{space['id']}", headers=admin)
    assert deleted.status_code == 204
    assert (await client.get(f"/api/spaces/{space['id']}")).status_code == 404


async def test_divisible_hall_lists_its_parts_and_cannot_be_deleted_before_them(
    client: httpx.AsyncClient, world: World
) -> None:
    admin = world["admin"].headers
    hall = (await client.post("/api/spaces", headers=admin, json={
        "site_id": world.site_id, "name": "Idrottshallen", "kind": "hall", "capacity": 120})).json()
    part_ids = []
    for half in ("A", "B"):
        part = await client.post("/api/spaces", headers=admin, json={
            "site_id": world.site_id, "name": f"Idrottshallen {half}", "kind": "hall", "capacity": 60,
            "parent_id": hall["id"]})
        assert part.status_code == 201, part.text
        assert part.json()["parent_id"] == hall["id"]
        part_ids.append(part.json()["id"])
    whole = (await client.get(f"/api/spaces/{hall['id']}")).json()
    assert sorted(whole["part_ids"]) == sorted(part_ids)

    nested = await client.post("/api/spaces", headers=admin, json={
        "site_id": world.site_id, "name": "Idrottshallen A1", "kind": "hall", "capacity": 30,
        "parent_id": part_ids[0]})
    assert nested.status_code == 422
    assert nested.json()["errors"][0]["field"] == "parent_id"

    refused = await client.delete(f"/api/spaces/{hall['id']}", headers=admin)
    assert refused.status_code == 409
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert {c["space_id"] for c in refused.json()["conflicts"]} == set(part_ids)


async def test_site_with_spaces_cannot_be_deleted(client: httpx.AsyncClient, world: World) -> None:
    response = await client.delete(f"/api/sites/{world.site_id}", headers=world["admin"].headers)
    assert response.status_code == 409
    assert (await client.get(f"/api/sites/{world.site_id}")).status_code == 200


async def test_staff_cannot_create_spaces(client: httpx.AsyncClient, world: World) -> None:
    response = await client.post("/api/spaces", headers=world["premises_staff"].headers, json={
        "site_id": world.site_id, "name": "Klassrum", "kind": "classroom", "capacity": 30})
    assert response.status_code == 403
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_admin_of_another_municipality_sees_no_site_to_write(
    client: httpx.AsyncClient, world: World, sqlite_db: object
) -> None:
    from tests.conftest import build_world

    other = await build_world(sqlite_db, client)  # type: ignore[arg-type]
    response = await client.patch(f"/api/sites/{world.site_id}", headers=other["admin"].headers,
                                  json={"name": "Kapad skola"})
    assert response.status_code == 404
    assert (await client.get(f"/api/sites/{world.site_id}")).json()["name"] == "Testskolan"


async def test_lists_are_paginated(client: httpx.AsyncClient, world: World) -> None:
    admin = world["admin"].headers
    for i in range(5):
        r = await client.post("/api/spaces", headers=admin, json={
            "site_id": world.site_id, "name": f"Klassrum {i}", "kind": "classroom", "capacity": 30})
        assert r.status_code == 201
    first = (await client.get("/api/spaces", params={"site_id": world.site_id, "limit": 4})).json()
    second = (await client.get("/api/spaces", params={"site_id": world.site_id, "limit": 4, "offset": 4})).json()
    assert first["total"] == second["total"] == 6
    assert len(first["items"]) == 4 and len(second["items"]) == 2
    assert not {s["id"] for s in first["items"]} & {s["id"] for s in second["items"]}
    too_big = await client.get("/api/spaces", params={"limit": 1000})
    assert too_big.status_code in (400, 422)
    assert too_big.json()["errors"][0]["field"] == "limit"
