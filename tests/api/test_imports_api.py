"""CSV imports and exports over HTTP, on SQLite and PostgreSQL: a dry run writes nothing, an import
writes every row or none (with audit entries), an export reads back unchanged."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from booking.adapters.db.database import Database
from booking.adapters.db.queries import Queries
from tests.conftest import World, build_world, make_app

HEADER = "anläggning;gatuadress;postnummer;ort;område;lokal;typ;kapacitet;del_av"
SITES = (f"{HEADER}\r\n"
         "Testskolan;Skolvägen 1;853 50;Sundsvall;Nacksta;Gympasalen;gym;30;\r\n"
         "Bergsåkersskolan;Bergsvägen 2;85654;Sundsvall;Nacksta;Idrottshallen;idrottshall;120;\r\n"
         "Bergsåkersskolan;Bergsvägen 2;85654;Sundsvall;Nacksta;Idrottshallen A;idrottshall;60;Idrottshallen\r\n"
         "Bergsåkersskolan;Bergsvägen 2;85654;Sundsvall;Nacksta;Idrottshallen B;idrottshall;60;Idrottshallen\r\n")


@pytest.fixture
async def api(db: Database) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=make_app(db)),
                                 base_url="http://testserver") as client:
        yield client


@pytest.fixture
async def world(db: Database, api: httpx.AsyncClient) -> World:
    return await build_world(db, api)


async def _import(api: httpx.AsyncClient, world: World, kind: str, text: str, dry_run: bool) -> httpx.Response:
    return await api.post(f"/api/imports/{kind}", headers=world["admin"].headers,
                          json={"csv": text, "dry_run": dry_run})


async def test_a_dry_run_answers_the_plan_and_writes_nothing(db: Database, api: httpx.AsyncClient,
                                                             world: World) -> None:
    before = await Queries(db).table_counts()
    response = await _import(api, world, "sites", SITES, dry_run=True)
    assert response.status_code == 200, response.text
    plan = response.json()
    assert (plan["kind"], plan["applied"], plan["created"], plan["changed"], plan["unchanged"]) == \
        ("sites", False, 4, 0, 2)
    assert [(r["line"], r["action"], r["entity"], r["name"]) for r in plan["rows"]][:3] == [
        (2, "unchanged", "site", "Testskolan"), (2, "unchanged", "space", "Gympasalen"),
        (3, "create", "site", "Bergsåkersskolan")]
    assert plan["errors"] == []
    assert await Queries(db).table_counts() == before


async def test_the_import_writes_every_row_with_audit_entries(db: Database, api: httpx.AsyncClient,
                                                             world: World) -> None:
    before = await Queries(db).table_counts()
    response = await _import(api, world, "sites", SITES, dry_run=False)
    assert response.status_code == 200, response.text
    assert (response.json()["applied"], response.json()["created"]) == (True, 4)
    after = await Queries(db).table_counts()
    assert (after["sites"] - before["sites"], after["spaces"] - before["spaces"]) == (1, 3)
    assert after["audit_log"] - before["audit_log"] == 4
    sites = (await api.get("/api/sites", params={"municipality": world.slug})).json()["items"]
    site = next(s for s in sites if s["name"] == "Bergsåkersskolan")
    assert (site["address"]["postal_code"], site["area_name"], site["space_count"]) == ("856 54", "Nacksta", 3)
    spaces = (await api.get("/api/spaces", params={"site_id": site["id"]})).json()["items"]
    whole = next(s for s in spaces if s["name"] == "Idrottshallen")
    assert sorted(whole["part_ids"]) == sorted(s["id"] for s in spaces if s["parent_id"] == whole["id"])
    assert len(whole["part_ids"]) == 2
    again = await _import(api, world, "sites", SITES, dry_run=False)
    assert (again.json()["created"], again.json()["changed"], again.json()["unchanged"]) == (0, 0, 6)
    assert await Queries(db).table_counts() == after


async def test_one_bad_row_refuses_the_file_naming_its_line_and_column(db: Database, api: httpx.AsyncClient,
                                                                      world: World) -> None:
    bad = SITES.replace("Idrottshallen B;idrottshall;60", "Idrottshallen B;idrottshall;sextio")
    before = await Queries(db).table_counts()
    dry = await _import(api, world, "sites", bad, dry_run=True)
    assert dry.status_code == 200
    assert [(e["line"], e["column"], e["code"]) for e in dry.json()["errors"]] == [(5, "kapacitet", "not-a-number")]
    refused = await _import(api, world, "sites", bad, dry_run=False)
    assert refused.status_code == 422
    assert refused.headers["content-type"].startswith("application/problem+json")
    [error] = refused.json()["errors"]
    assert (error["field"], error["line"], error["column"], error["code"]) == ("csv", 5, "kapacitet", "not-a-number")
    assert "Line 5" in error["message"]
    assert await Queries(db).table_counts() == before


async def test_each_export_is_excel_csv_and_reads_back_unchanged(api: httpx.AsyncClient, world: World) -> None:
    assert (await _import(api, world, "sites", SITES, dry_run=False)).status_code == 200
    assert (await _import(api, world, "areas", "namn;befolkning_0_17\nSkönsberg;450\n", dry_run=False)
            ).status_code == 200
    for kind in ("areas", "sites", "associations"):
        response = await api.get(f"/api/exports/{kind}.csv", headers=world["admin"].headers)
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith("text/csv")
        assert f'filename="{kind}.csv"' in response.headers["content-disposition"]
        assert response.content.startswith(b"\xef\xbb\xbf")
        text = response.content.decode("utf-8")
        assert ";" in text.splitlines()[0] and text.endswith("\r\n")
        plan = (await _import(api, world, kind, text, dry_run=True)).json()
        assert plan["errors"] == [] and plan["rows"], (kind, plan)
        assert {r["action"] for r in plan["rows"]} == {"unchanged"}, (kind, text)


async def test_another_municipality_exports_none_of_this_ones_rows(db: Database, api: httpx.AsyncClient,
                                                                  world: World) -> None:
    assert (await _import(api, world, "sites", SITES, dry_run=False)).status_code == 200
    assert (await _import(api, world, "areas", "namn\nBara i A\n", dry_run=False)).status_code == 200
    other = await build_world(db, api)
    for kind in ("areas", "sites", "associations"):
        text = (await api.get(f"/api/exports/{kind}.csv", headers=other["admin"].headers)).text
        assert "Bergsåkersskolan" not in text and "Bara i A" not in text
    exported = (await api.get("/api/exports/sites.csv", headers=world["admin"].headers)).text
    plan = (await _import(api, other, "sites", exported, dry_run=True)).json()
    actions = {(r["entity"], r["name"]): r["action"] for r in plan["rows"]}
    assert actions[("site", "Bergsåkersskolan")] == actions[("space", "Idrottshallen A")] == "create"
    assert actions[("site", "Testskolan")] == "unchanged"  # B's own school of the same name and address


async def test_associations_and_areas_import_by_their_keys(db: Database, api: httpx.AsyncClient,
                                                          world: World) -> None:
    areas = await _import(api, world, "areas", "namn,befolkning_0_17\nNacksta,1250\nHaga,800\n", dry_run=False)
    assert (areas.json()["created"], areas.json()["changed"]) == (1, 1)
    text = ("\ufeffnamn;organisationsnummer;kategori;område;lokal_förening;offentligt_namn\r\n"
            "Test IF;8024794565;ungdom;Haga;ja;ja\r\n"
            "Haga PRO;802012-3454;pensionärer;Haga;ja;nej\r\n")
    response = await _import(api, world, "associations", text, dry_run=False)
    assert response.status_code == 200, response.text
    assert [(r["action"], r["changes"]) for r in response.json()["rows"]] == [
        ("change", ["område", "offentligt_namn"]), ("create", [])]
    queue = (await api.get("/api/associations", headers=world["admin"].headers,
                           params={"verified": "false"})).json()["items"]
    assert "Haga PRO" in [a["name"] for a in queue]
