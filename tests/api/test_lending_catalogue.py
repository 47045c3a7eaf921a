"""The public catalogue and the staff side of items: counts per site, filters, status changes with history."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from booking.adapters.db import invariants
from booking.adapters.db.database import Database
from tests.api.lending_helpers import borrower, catalogue
from tests.conftest import World, build_world, make_app


@pytest.fixture
async def app(db: Database) -> Any:
    """Both engines: the catalogue's grouped counts and window total are SQL that differs per engine."""
    return make_app(db)


@pytest.fixture
async def world(db: Database, client: httpx.AsyncClient) -> World:
    return await build_world(db, client)


async def test_the_public_catalogue_counts_what_is_on_the_shelf_and_hides_what_is_gone(
    client: httpx.AsyncClient, world: World
) -> None:
    staff = world["lending_staff"].headers
    made = await catalogue(client, world, items=3)
    first, second, third = (i["id"] for i in made["items"])
    card = (await borrower(client, world))["card_number"]
    lent = await client.post("/api/lending/loans", headers=staff, json={
        "card_number": card, "site_id": world.site_id, "codes": [made["codes"][0]]})
    assert lent.status_code == 201, lent.text
    assert (await client.get(f"/api/lending/items/{first}", headers=staff)).json()["status"] == "on_loan"
    retired = await client.patch(f"/api/lending/items/{second}", headers=staff, json={"status": "retired",
                                                                                   "note": "Trasig"})
    assert retired.status_code == 200
    again = await client.patch(f"/api/lending/items/{second}", headers=staff, json={"status": "on_loan"})
    assert again.status_code == 409 and again.json()["conflicts"][0]["field"] == "status"

    public = (await client.get("/api/lending/catalogue", params={"site_id": world.site_id})).json()
    [entry] = public["items"]
    assert (entry["name"], entry["variant"], entry["available"], entry["total"], entry["availability"]) == (
        "Hockeyskridskor", "38", 1, 2, "available")
    assert not {"borrower", "borrower_id", "label_code", "code"} & set(entry)
    await client.patch(f"/api/lending/items/{third}", headers=staff, json={"status": "in_repair"})
    [entry] = (await client.get("/api/lending/catalogue", params={"site_id": world.site_id})).json()["items"]
    assert (entry["available"], entry["availability"]) == (0, "on_loan")
    only_in = await client.get("/api/lending/catalogue", params={"site_id": world.site_id, "available": "true"})
    assert only_in.json()["total"] == 0

    by_slug = {"municipality": world.slug}
    top = await client.get("/api/lending/catalogue", params={**by_slug, "category_id": made["category_id"]})
    assert top.json()["total"] == 1  # a top category finds its subcategories' articles
    assert (await client.get("/api/lending/catalogue", params={**by_slug, "q": "HOCKEY"})).json()["total"] == 1
    assert (await client.get("/api/lending/catalogue", params={**by_slug, "q": "%"})).json()["total"] == 0
    assert (await client.get("/api/lending/catalogue", params={**by_slug, "variant": "42"})).json()["total"] == 0
    assert (await client.get("/api/lending/catalogue/variants", params=by_slug)).json() == ["38"]
    other_site = await client.get("/api/lending/catalogue", params={"site_id": str(uuid.uuid4())})
    assert other_site.status_code == 422 and other_site.json()["errors"][0]["field"] == "site_id"

    history = (await client.get(f"/api/lending/items/{second}", headers=staff)).json()["history"]
    assert [(e["kind"], e["from_status"], e["to_status"]) for e in history] == [
        ("status", "available", "retired"), ("created", None, "available")]
    assert history[0]["note"] == "Trasig" and history[0]["actor_id"] == world["lending_staff"].account_id
    gone = await client.get(f"/api/lending/items/by-code/{made['codes'][1]}")
    assert gone.status_code == 404  # a retired item's label no longer shows it


async def test_on_loan_and_the_hold_shelf_follow_loans_and_holds_never_a_hand_edit(
    client: httpx.AsyncClient, world: World, db: Database
) -> None:
    """An item showed on loan with nobody borrowing it (and a lent item showed available with its loan
    still open) when staff set the status by hand; the demo data had three such items."""
    staff = world["lending_staff"].headers
    made = await catalogue(client, world, items=2)
    shelf, lent = made["items"][0]["id"], made["items"][1]["id"]
    card = (await borrower(client, world))["card_number"]
    loan = await client.post("/api/lending/loans", headers=staff, json={
        "card_number": card, "site_id": world.site_id, "codes": [made["codes"][1]]})
    assert loan.status_code == 201, loan.text
    for item_id, status in ((shelf, "on_loan"), (shelf, "on_hold_shelf"), (lent, "available"), (lent, "lost")):
        refused = await client.patch(f"/api/lending/items/{item_id}", headers=staff, json={"status": status})
        assert refused.status_code == 409, refused.text
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert refused.json()["conflicts"][0]["field"] == "status"
        assert refused.json()["conflicts"][0]["reason"] == "circulation"
    statuses = {i["id"]: i["status"] for i in (await client.get("/api/lending/items", headers=staff)).json()["items"]}
    assert statuses == {shelf: "available", lent: "on_loan"}
    assert {k: n for k, n in (await invariants.check(db)).items() if n} == {}
    back = await client.post("/api/lending/returns", headers=staff, json={"code": made["codes"][1],
                                                                          "site_id": world.site_id})
    assert back.status_code == 200 and back.json()["item_status"] == "available"
    repaired = await client.patch(f"/api/lending/items/{lent}", headers=staff, json={"status": "in_repair"})
    assert repaired.status_code == 200 and repaired.json()["status"] == "in_repair"


async def test_another_municipalitys_staff_cannot_touch_the_items(client: httpx.AsyncClient, world: World,
                                                                   db: Database) -> None:
    made = await catalogue(client, world, items=1)
    other = await build_world(db, client)
    item_id = made["items"][0]["id"]
    seen = await client.get(f"/api/lending/items/{item_id}", headers=other["lending_staff"].headers)
    assert seen.status_code == 404
    changed = await client.patch(f"/api/lending/items/{item_id}", headers=other["lending_staff"].headers,
                                 json={"status": "lost"})
    assert changed.status_code == 404
    assert (await client.get(f"/api/lending/items/{item_id}", headers=world["lending_staff"].headers)).json()[
        "status"] == "available"
