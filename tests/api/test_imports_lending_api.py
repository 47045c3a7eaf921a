"""Imports of lending articles and borrowers over HTTP, on SQLite and PostgreSQL: a dry run writes nothing,
the import writes every row or none, the exports read back unchanged, who may, and the NDJSON progress."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from booking.adapters.db.database import Database
from booking.adapters.db.queries import Queries
from booking.domain.lending.labels import luhn_digit
from tests.conftest import PASSWORD, World, build_world, make_app, random_ref

ARTICLES = ("namn;storlek;kategori;överkategori;lånetid_dagar;min_ålder;max_ålder;samtycke_krävs;självbetjäning;"
            "beskrivning;bild\r\n"
            "Slalomskidor;150 cm;Skidor;Vintersport;7;8;;ja;nej;Carvingskidor;\r\n"
            "Slalomskidor;170 cm;Skidor;Vintersport;7;12;;ja;nej;Carvingskidor;\r\n"
            "Skridskor;38;Skridskor;;;;;nej;ja;\"Hockeyskridskor; slipade\";\r\n")
HEADER = "namn;födelseår;mobil;epost;kön;område;kortnummer;vårdnadshavare_kortnummer;samtycken"
NDJSON = "application/x-ndjson"


def card(i: int) -> str:
    body = f"7{i:08d}"
    return body + luhn_digit(body)


def borrowers(count: int = 3) -> str:
    rows = [f"Per Ek;1980;070-123 45 67;per@example.se;man;Nacksta;{card(0)};;Vintersport",
            f"Tove Ek;2016;;;flicka;;;{card(0)};Vintersport"]
    rows += [f"Person {i};{1950 + i % 50};070{i:07d};;;;{card(i)};;" for i in range(1, count - 1)]
    return "\r\n".join((HEADER, *rows)) + "\r\n"


@pytest.fixture
async def api(db: Database) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=make_app(db)),
                                 base_url="http://testserver") as client:
        yield client


@pytest.fixture
async def world(db: Database, api: httpx.AsyncClient) -> World:
    return await build_world(db, api)


async def _import(api: httpx.AsyncClient, world: World, kind: str, text: str, dry_run: bool,
                  role: str = "lending_staff", **headers: str) -> httpx.Response:
    return await api.post(f"/api/imports/{kind}", headers={**world[role].headers, **headers},
                          json={"csv": text, "dry_run": dry_run})


def lines(response: httpx.Response) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(NDJSON)
    return [json.loads(line) for line in response.text.splitlines()]


async def test_a_dry_run_writes_nothing_and_the_import_writes_every_row(db: Database, api: httpx.AsyncClient,
                                                                       world: World) -> None:
    before = await Queries(db).table_counts()
    dry = await _import(api, world, "lending_articles", ARTICLES, dry_run=True)
    assert dry.status_code == 200, dry.text
    assert (dry.json()["applied"], dry.json()["created"], dry.json()["errors"]) == (False, 6, [])
    assert await Queries(db).table_counts() == before
    assert (await _import(api, world, "lending_articles", ARTICLES, dry_run=False)).json()["created"] == 6
    middle = await Queries(db).table_counts()
    dry = await _import(api, world, "borrowers", borrowers(), dry_run=True)
    assert (dry.json()["applied"], dry.json()["created"], dry.json()["errors"]) == (False, 3, []), dry.text
    assert await Queries(db).table_counts() == middle
    done = await _import(api, world, "borrowers", borrowers(), dry_run=False)
    assert (done.json()["applied"], done.json()["created"]) == (True, 3), done.text
    after = await Queries(db).table_counts()
    assert {t: after[t] - before[t] for t in ("lending_categories", "lending_articles", "borrowers", "lending_cards",
                                              "borrower_consents", "audit_log")} == {
        "lending_categories": 3, "lending_articles": 3, "borrowers": 3, "lending_cards": 3, "borrower_consents": 2,
        "audit_log": 9}
    found = await api.get("/api/lending/borrowers", headers=world["lending_staff"].headers, params={"q": "Tove"})
    [tove] = found.json()["items"]
    assert tove["card_number"] != card(0) and tove["registered_via"] == "import"


async def test_a_bad_row_writes_nothing(db: Database, api: httpx.AsyncClient, world: World) -> None:
    assert (await _import(api, world, "lending_articles", ARTICLES, dry_run=False)).status_code == 200
    before = await Queries(db).table_counts()
    bad = borrowers(5).replace("Person 2;1952;", "Person 2;1852;")
    refused = await _import(api, world, "borrowers", bad, dry_run=False)
    assert refused.status_code == 422 and refused.headers["content-type"].startswith("application/problem+json")
    [error] = refused.json()["errors"]
    assert (error["field"], error["line"], error["column"], error["code"]) == ("csv", 5, "födelseår", "out-of-range")
    assert await Queries(db).table_counts() == before


async def test_both_exports_read_back_unchanged_and_the_borrowers_export_is_audited(
        db: Database, api: httpx.AsyncClient, world: World) -> None:
    assert (await _import(api, world, "lending_articles", ARTICLES, dry_run=False)).status_code == 200
    assert (await _import(api, world, "borrowers", borrowers(), dry_run=False)).status_code == 200
    for kind in ("lending_articles", "borrowers"):
        audit = (await Queries(db).table_counts())["audit_log"]
        response = await api.get(f"/api/exports/{kind}.csv", headers=world["lending_staff"].headers)
        assert response.status_code == 200 and response.content.startswith(b"\xef\xbb\xbf"), response.text
        assert response.headers["cache-control"] == "no-store"
        text = response.content.decode("utf-8")
        assert (await Queries(db).table_counts())["audit_log"] == audit + (kind == "borrowers")
        plan = (await _import(api, world, kind, text, dry_run=True)).json()
        assert plan["errors"] == [] and {r["action"] for r in plan["rows"]} == {"unchanged"}, (kind, text)
    other = await build_world(db, api)
    assert (await api.get("/api/exports/borrowers.csv", headers=other["admin"].headers)).text.count("\r\n") == 1


async def test_only_lending_staff_and_admins_import_and_export_lending(db: Database, api: httpx.AsyncClient,
                                                                     world: World) -> None:
    assert (await _import(api, world, "lending_articles", ARTICLES, dry_run=False)).status_code == 200
    before = await Queries(db).table_counts()
    for role in ("premises_staff", "borrower"):
        refused = await _import(api, world, "borrowers", borrowers(), dry_run=False, role=role)
        assert refused.status_code == 403, refused.text
        assert (await api.get("/api/exports/borrowers.csv", headers=world[role].headers)).status_code == 403
    areas = await _import(api, world, "areas", "namn\nNytt område\n", dry_run=False)
    assert areas.status_code == 403 and areas.json()["type"] == "urn:booking:problem:forbidden", areas.text
    assert (await api.get("/api/exports/areas.csv", headers=world["lending_staff"].headers)).status_code == 403
    assert await Queries(db).table_counts() == before
    admin = await _import(api, world, "borrowers", borrowers(), dry_run=True, role="admin")
    assert admin.status_code == 200 and admin.json()["created"] == 3
    email = f"{random_ref('desk-')}@example.se"  # lending staff narrowed to one site: not the whole register
    made = await api.post("/api/accounts", headers=world["admin"].headers, json={
        "email": email, "display_name": "Desk A", "password": PASSWORD,
        "roles": [{"role": "lending_staff", "scope_id": world.site_id}]})
    assert made.status_code == 201, made.text
    token = (await api.post("/api/auth/tokens", json={"email": email, "password": PASSWORD})).json()["token"]
    narrowed = {"Authorization": f"Bearer {token}"}
    before = await Queries(db).table_counts()
    for kind, text in (("borrowers", borrowers()), ("lending_articles", ARTICLES)):
        refused = await api.post(f"/api/imports/{kind}", headers=narrowed, json={"csv": text, "dry_run": False})
        assert refused.status_code == 403 and refused.json()["type"] == "urn:booking:problem:forbidden", refused.text
        assert (await api.get(f"/api/exports/{kind}.csv", headers=narrowed)).status_code == 403
    assert await Queries(db).table_counts() == before


async def test_the_import_streams_its_progress_and_ends_in_the_result(db: Database, api: httpx.AsyncClient,
                                                                      world: World) -> None:
    assert (await _import(api, world, "lending_articles", ARTICLES, dry_run=False)).status_code == 200
    text = borrowers(120)
    dry = lines(await _import(api, world, "borrowers", text, dry_run=True, accept=NDJSON))
    assert dry[:-1] == [{"stage": "check", "done": n, "total": 120} for n in (50, 100, 120)]
    assert (dry[-1]["applied"], dry[-1]["created"], dry[-1]["errors"]) == (False, 120, [])
    done = lines(await _import(api, world, "borrowers", text, dry_run=False, accept=NDJSON))
    assert [(x["stage"], x["done"]) for x in done[:-1]] == [("check", 50), ("check", 100), ("check", 120),
                                                            ("write", 50), ("write", 100), ("write", 120)]
    assert (done[-1]["applied"], done[-1]["created"]) == (True, 120)
    assert (await Queries(db).table_counts())["borrowers"] >= 120


async def test_a_streamed_import_ends_in_the_problem_and_what_needs_no_rows_is_a_plain_4xx(
        db: Database, api: httpx.AsyncClient, world: World) -> None:
    assert (await _import(api, world, "lending_articles", ARTICLES, dry_run=False)).status_code == 200
    before = await Queries(db).table_counts()
    bad = borrowers(60).replace("Person 2;1952;", "Person 2;1852;")
    streamed = lines(await _import(api, world, "borrowers", bad, dry_run=False, accept=NDJSON))
    assert streamed[0] == {"stage": "check", "done": 50, "total": 60}
    problem = streamed[-1]
    assert (problem["status"], problem["type"]) == (422, "urn:booking:problem:validation")
    assert [(e["line"], e["column"]) for e in problem["errors"]] == [(5, "födelseår")]
    assert await Queries(db).table_counts() == before
    for text, status in (("inte;rätt;huvud\n1;2;3\n", 422), ("", 422)):
        plain = await _import(api, world, "borrowers", text, dry_run=False, accept=NDJSON)
        assert plain.status_code == status and plain.headers["content-type"].startswith("application/problem+json")
        assert plain.json()["errors"][0]["field"] == "csv"
    unknown = await _import(api, world, "planets", "namn\nx\n", dry_run=True, accept=NDJSON)
    assert unknown.status_code == 404
    not_theirs = await _import(api, world, "areas", "namn\nx\n", dry_run=True, accept=NDJSON)
    assert not_theirs.status_code == 403 and not_theirs.headers["content-type"].startswith("application/problem")
    too_large = await _import(api, world, "borrowers", HEADER + "\r\n" + "Per Ek;1980;;;;;;;\r\n" * 120_000,
                              dry_run=True, accept=NDJSON)
    assert too_large.status_code == 413 and too_large.json()["errors"][0]["field"] == "body"
    assert await Queries(db).table_counts() == before


async def test_the_schema_documents_both_answers() -> None:
    from tests.api.test_authorization_matrix import DOCUMENT
    content = DOCUMENT["paths"]["/api/imports/{kind}"]["post"]["responses"]["200"]["content"]
    assert set(content) == {"application/json", NDJSON}
