"""The closed periods of one municipality (`?municipality=slug`): its own, those closing all its
sites included, never another municipality's."""

from __future__ import annotations

import httpx

from booking.adapters.db.database import Database
from tests.conftest import World, build_world


async def test_the_list_keeps_to_the_municipality_asked_for(client: httpx.AsyncClient, world: World,
                                                            sqlite_db: Database) -> None:
    other = await build_world(sqlite_db, client)
    for w, reason in ((world, "Inventering"), (other, "Annans städdag")):
        made = await client.post("/api/closed-periods", headers=w["premises_staff"].headers, json={
            "reason": reason, "first_day": "2027-03-01", "last_day": "2027-03-02"})  # every site
        assert made.status_code == 201, made.text
    mine = (await client.get("/api/closed-periods", params={"municipality": world.slug})).json()
    assert [c["reason"] for c in mine["items"]] == ["Inventering"] and mine["total"] == 1
    theirs = (await client.get("/api/closed-periods", params={"municipality": other.slug})).json()
    assert [c["reason"] for c in theirs["items"]] == ["Annans städdag"]
    unknown = await client.get("/api/closed-periods", params={"municipality": "finns-inte"})
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["field"] == "municipality"
    before = (await client.get("/api/closed-periods")).json()["total"]
    assert before == 2
