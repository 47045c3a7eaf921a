"""The lending settings that lending-admin.html edits: an article in several sizes at once (all or none),
deleting an article nothing refers to, and the lending sites with their opening days and stock."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from booking.adapters.db.database import Database
from tests.api.lending_helpers import borrower, catalogue
from tests.conftest import World, build_world, make_app


@pytest.fixture
async def app(db: Database) -> Any:
    """Both engines: the sites' stock is a correlated count, the opening days an outer join."""
    return make_app(db)


@pytest.fixture
async def world(db: Database, client: httpx.AsyncClient) -> World:
    return await build_world(db, client)


async def _articles(client: httpx.AsyncClient, world: World) -> list[dict[str, Any]]:
    answer = await client.get("/api/lending/articles", headers=world["lending_staff"].headers)
    assert answer.status_code == 200, answer.text
    return list(answer.json())


async def test_an_article_in_three_sizes_is_three_articles_alike_but_for_the_size(client: httpx.AsyncClient,
                                                                                   world: World) -> None:
    staff = world["lending_staff"].headers
    category = (await client.post("/api/lending/categories", headers=staff, json={"name": "Skridskor"})).json()
    made = await client.post("/api/lending/article-sizes", headers=staff, json={
        "category_id": category["id"], "name": "Hockeyskridskor", "variants": ["36", " 38 ", "40"],
        "loan_period_days": 21, "min_age": 6, "needs_guardian_consent": True})
    assert made.status_code == 201, made.text
    assert [(a["name"], a["variant"], a["loan_period_days"], a["min_age"], a["needs_guardian_consent"])
            for a in made.json()] == [("Hockeyskridskor", v, 21, 6, True) for v in ("36", "38", "40")]
    assert sorted(a["variant"] for a in await _articles(client, world)) == ["36", "38", "40"]

    twice = await client.post("/api/lending/article-sizes", headers=staff, json={
        "category_id": category["id"], "name": "Slalomskidor", "variants": ["150 cm", "160 cm", "150 CM"]})
    assert twice.status_code == 422 and twice.json()["errors"][0]["field"] == "variants[2]"
    assert len(await _articles(client, world)) == 3  # all or none: no 150 cm, no 160 cm


async def test_an_article_is_deleted_only_while_nothing_refers_to_it(client: httpx.AsyncClient, world: World,
                                                                     db: Database) -> None:
    staff = world["lending_staff"].headers
    made = await catalogue(client, world, items=1)
    with_items = await client.delete(f"/api/lending/articles/{made['article_id']}", headers=staff)
    assert with_items.status_code == 409 and with_items.json()["conflicts"][0]["field"] == "article_id"

    held = (await client.post("/api/lending/articles", headers=staff, json={
        "category_id": made["subcategory_id"], "name": "Kanot"})).json()
    card = (await borrower(client, world))["card_number"]
    hold = await client.post("/api/lending/holds", headers=staff, json={
        "card_number": card, "article_id": held["id"], "site_id": world.site_id})
    assert hold.status_code == 201, hold.text
    assert (await client.delete(f"/api/lending/articles/{held['id']}", headers=staff)).status_code == 409

    unused = (await client.post("/api/lending/articles", headers=staff, json={
        "category_id": made["subcategory_id"], "name": "Pulka"})).json()
    other = await build_world(db, client)
    foreign = await client.delete(f"/api/lending/articles/{unused['id']}", headers=other["lending_staff"].headers)
    assert foreign.status_code == 404
    assert (await client.delete(f"/api/lending/articles/{unused['id']}", headers=staff)).status_code == 204
    assert (await client.get(f"/api/lending/articles/{unused['id']}")).status_code == 404
    assert {a["name"] for a in await _articles(client, world)} == {"Hockeyskridskor", "Kanot"}
    audit = await client.get("/api/audit", headers=world["admin"].headers,
                             params={"action": "lending.article_deleted"})
    assert [e["entity_id"] for e in audit.json()["items"]] == [unused["id"]]


async def test_the_lending_sites_show_their_opening_days_and_stock(client: httpx.AsyncClient, world: World,
                                                                   db: Database) -> None:
    staff = world["lending_staff"].headers
    [site] = (await client.get("/api/lending/sites", headers=staff)).json()
    assert (site["id"], site["weekdays"], site["weekdays_set"], site["items"]) == (world.site_id, list(range(7)),
                                                                                  False, 0)
    made = await catalogue(client, world, items=3)
    retired = await client.patch(f"/api/lending/items/{made['items'][0]['id']}", headers=staff,
                                 json={"status": "retired"})
    assert retired.status_code == 200, retired.text
    saved = await client.put(f"/api/lending/opening-days/{world.site_id}", headers=staff,
                             json={"weekdays": [4, 0, 2], "opens": "15:00", "closes": "19:30"})
    assert saved.status_code == 200, saved.text
    assert (saved.json()["opens"], saved.json()["closes"]) == ("15:00", "19:30")
    [site] = (await client.get("/api/lending/sites", headers=staff)).json()
    assert (site["weekdays"], site["weekdays_set"], site["opens"], site["closes"], site["items"]) == (
        [0, 2, 4], True, "15:00", "19:30", 2)
    public = (await client.get(f"/api/lending/opening-days/{world.site_id}")).json()
    assert (public["weekdays"], public["opens"], public["closes"]) == ([0, 2, 4], "15:00", "19:30")
    # a PUT without hours clears them (the days alone, as the desk sent them before)
    again = await client.put(f"/api/lending/opening-days/{world.site_id}", headers=staff, json={"weekdays": [5]})
    assert (again.json()["weekdays"], again.json()["opens"], again.json()["closes"]) == ([5], None, None)
    public = (await client.get(f"/api/lending/opening-days/{world.site_id}")).json()
    assert (public["weekdays"], public["opens"], public["closes"]) == ([5], None, None)

    other = await build_world(db, client)
    [theirs] = (await client.get("/api/lending/sites", headers=other["lending_staff"].headers)).json()
    assert theirs["id"] == other.site_id
    assert (await client.get("/api/lending/sites", headers=world["premises_staff"].headers)).status_code == 403
