"""Bad input to imports and exports gets a clear 4xx problem naming the field and changes nothing,
on SQLite and PostgreSQL (the style of test_bad_input.py): wrong encodings, a missing column,
100,000 rows, malformed quotes, bad rows on confirm; and every export neutralises formulas."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import httpx
import pytest

from booking.adapters.db.database import Database
from booking.adapters.db.queries import Queries
from tests.conftest import build_world, make_app

AREAS = "/api/imports/areas"
ARTICLES, BORROWERS = "/api/imports/lending_articles", "/api/imports/borrowers"
ARTICLES_HEADER = "namn;storlek;kategori;lånetid_dagar\n"
BORROWERS_HEADER = "namn;födelseår;mobil;kortnummer;vårdnadshavare_kortnummer\n"
SITES_HEADER = "anläggning;gatuadress;postnummer;ort;område;lokal;typ;kapacitet;del_av\n"
LATIN1_AS_UTF8 = b"namn;befolkning_0_17\nV\xe4ster\xe5s;12\n".decode("utf-8", errors="replace")


@pytest.fixture
async def api(db: Database) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=make_app(db)),
                                 base_url="http://testserver") as client:
        yield client


@dataclass(frozen=True)
class Case:
    id: str
    path: str
    body: Any  # a JSON body, or bytes sent as they are
    field: str  # a regex when it starts with ^
    status: int = 422
    content_type: str = "application/json"


def _import(text: str, dry_run: bool = True) -> dict[str, Any]:
    return {"csv": text, "dry_run": dry_run}


CATALOGUE = [
    Case("latin-1-decoded-as-utf-8", AREAS, _import(LATIN1_AS_UTF8), "csv"),
    Case("nul-in-the-text", AREAS, _import("namn\nNacksta\x00\n"), "csv"),
    Case("escape-in-the-text", AREAS, _import("namn\nNack\x1bsta\n"), "csv"),
    Case("utf-16-bytes-as-text", AREAS, _import("namn\n".encode("utf-16").decode("latin-1")), "csv"),
    Case("empty-file", AREAS, _import(""), "csv"),
    Case("missing-column", AREAS, _import("befolkning_0_17\n12\n"), "csv"),
    Case("unknown-column", AREAS, _import("namn;färg\nNacksta;blå\n"), "csv"),
    Case("missing-site-columns", "/api/imports/sites", _import("anläggning;lokal\nSkolan;Salen\n"), "csv"),
    Case("unterminated-quote", AREAS, _import('namn\n"Nacksta\n'), "csv"),
    Case("100000-rows-small", AREAS, _import("namn;befolkning_0_17\n" + "".join(
        f"O{i};{i % 100}\n" for i in range(100_000))), "csv"),
    Case("100000-rows-large", "/api/imports/sites", _import(SITES_HEADER + "".join(
        f"Skolan {i};Skolvägen {i};85350;Sundsvall;Nacksta;Sal {i};gym;30;\n" for i in range(100_000))),
        "body", 413),
    Case("a-bad-row-on-confirm", AREAS, _import("namn;befolkning_0_17\nHaga;12\nVästra;många\n", dry_run=False),
         "csv"),
    Case("a-repeated-row-on-confirm", AREAS, _import("namn\nHaga\nhaga\n", dry_run=False), "csv"),
    Case("csv-missing", AREAS, {"dry_run": True}, "csv"),
    Case("csv-not-text", AREAS, {"csv": 12}, "csv"),
    Case("dry-run-not-a-boolean", AREAS, {"csv": "namn\nHaga\n", "dry_run": "ja"}, "dry_run"),
    Case("unknown-field", AREAS, {"csv": "namn\nHaga\n", "file": "x"}, "file"),
    Case("csv-as-text-plain", AREAS, b"namn\nHaga\n", "Content-Type", 415, "text/plain"),
    Case("csv-as-text-csv", AREAS, b"namn\nHaga\n", "Content-Type", 415, "text/csv"),
    Case("malformed-json", AREAS, b'{"csv": "namn', "body", 400),
    Case("articles-latin-1-decoded-as-utf-8", ARTICLES, _import(
        b"namn;storlek;kategori\nSk\xf6ter;;Vinter\n".decode("utf-8", errors="replace")), "csv"),
    Case("articles-missing-category-column", ARTICLES, _import("namn;storlek\nSkidor;150\n"), "csv"),
    Case("articles-unknown-column", ARTICLES, _import("namn;storlek;kategori;pris\nSkidor;;Vinter;100\n"), "csv"),
    Case("articles-100000-rows", ARTICLES, _import(ARTICLES_HEADER + "".join(
        f"A{i};;K;\n" for i in range(100_000))), "csv"),
    Case("articles-a-bad-loan-period-on-confirm", ARTICLES, _import(
        ARTICLES_HEADER + "Skidor;150 cm;Vintersport;14\nPulka;;Vintersport;400\n", dry_run=False), "csv"),
    Case("articles-a-size-twice-on-confirm", ARTICLES, _import(
        ARTICLES_HEADER + "Skidor;150 cm;Vintersport;\nskidor;150 CM;Vintersport;\n", dry_run=False), "csv"),
    Case("borrowers-nul-in-the-text", BORROWERS, _import(BORROWERS_HEADER + "Per\x00 Ek;1980;0701234567;;\n"),
         "csv"),
    Case("borrowers-missing-birth-year-column", BORROWERS, _import("namn;mobil\nPer Ek;0701234567\n"), "csv"),
    Case("borrowers-a-column-twice", BORROWERS, _import("namn;födelseår;fodelsear\nPer Ek;1980;1980\n"), "csv"),
    Case("borrowers-a-bad-birth-year-on-confirm", BORROWERS, _import(
        BORROWERS_HEADER + "Per Ek;1980;0701234567;;\nAlva Ek;1850;0701234568;;\n", dry_run=False), "csv"),
    Case("borrowers-a-child-without-mobile-or-guardian-on-confirm", BORROWERS, _import(
        BORROWERS_HEADER + "Tove Ek;2018;;;\n", dry_run=False), "csv"),
    Case("borrowers-a-bad-card-number-on-confirm", BORROWERS, _import(
        BORROWERS_HEADER + "Per Ek;1980;0701234567;1234567890;\n", dry_run=False), "csv"),
    Case("borrowers-an-unknown-guardian-on-confirm", BORROWERS, _import(
        BORROWERS_HEADER + "Tove Ek;2018;;;1234567897\n", dry_run=False), "csv"),
    Case("borrowers-csv-not-text", BORROWERS, {"csv": ["namn"]}, "csv"),
]


async def test_bad_import_input_is_refused_naming_the_field_and_changes_nothing(
        db: Database, api: httpx.AsyncClient) -> None:
    world = await build_world(db, api)
    queries = Queries(db)
    failures: list[str] = []
    for case in CATALOGUE:
        before = await queries.table_counts()
        kwargs: dict[str, Any] = {"headers": {**world["admin"].headers}}
        if isinstance(case.body, bytes):
            kwargs["content"] = case.body
            kwargs["headers"]["Content-Type"] = case.content_type
        else:
            kwargs["json"] = case.body
        response = await api.post(case.path, **kwargs)
        try:
            assert response.status_code == case.status, f"{response.status_code}: {response.text[:300]}"
            assert response.headers["content-type"].startswith("application/problem+json")
            fields = [e["field"] for e in response.json().get("errors", [])]
            if case.field.startswith("^"):
                assert any(re.match(case.field, f) for f in fields), f"errors name {fields}, not {case.field}"
            else:
                assert case.field in fields, f"errors name {fields}, not {case.field}"
            after = await queries.table_counts()
            changed = {k: (before[k], after[k]) for k in after if before.get(k) != after[k]}
            assert not changed, f"rows changed: {changed}"
        except AssertionError as exc:
            failures.append(f"{case.id}: {str(exc).splitlines()[0][:300]}")
    assert not failures, f"{len(failures)} of {len(CATALOGUE)} cases failed on {db.dialect}:\n" + "\n".join(failures)


async def test_an_unknown_kind_is_not_found(db: Database, api: httpx.AsyncClient) -> None:
    world = await build_world(db, api)
    admin = world["admin"].headers
    for response in (await api.post("/api/imports/planets", headers=admin, json=_import("namn\nx\n")),
                     await api.get("/api/exports/planets.csv", headers=admin),
                     await api.get("/api/exports/areas.xlsx", headers=admin)):
        assert response.status_code == 404, response.text
        assert response.headers["content-type"].startswith("application/problem+json")


async def test_a_byte_order_mark_and_commas_are_read(db: Database, api: httpx.AsyncClient) -> None:
    world = await build_world(db, api)
    response = await api.post(AREAS, headers=world["admin"].headers,
                              json=_import('\ufeffnamn,befolkning_0_17\r\n"Haga, norra",12\r\n'))
    assert response.status_code == 200, response.text
    assert [(r["action"], r["name"]) for r in response.json()["rows"]] == [("create", "Haga, norra")]


async def test_every_export_neutralises_formulas(db: Database, api: httpx.AsyncClient) -> None:
    world = await build_world(db, api)
    admin = world["admin"].headers
    formulas = "namn;befolkning_0_17\n+SUM(1+1);1\n-2+3;2\n"
    assert (await api.post(AREAS, headers=admin, json=_import(formulas, dry_run=False))).status_code == 200
    sites = (SITES_HEADER + "+HYPERLINK(1);Skolvägen 1;85350;Sundsvall;-2+3;-Salen;gym;30;\n")
    made = await api.post("/api/imports/sites", headers=admin, json=_import(sites, dry_run=False))
    assert made.status_code == 200, made.text
    articles = ("namn;storlek;kategori;beskrivning\n-Skidor;+150;+Vinter;\"=HYPERLINK(\"\"x\"\")\"\n")
    made = await api.post(ARTICLES, headers=admin, json=_import(articles, dry_run=False))
    assert made.status_code == 200, made.text
    made = await api.post(BORROWERS, headers=admin, json=_import("namn;födelseår;mobil\nPer Ek;1980;+46701234567\n",
                                                                   dry_run=False))
    assert made.status_code == 200, made.text
    for kind in ("areas", "sites", "lending_articles", "borrowers"):
        text = (await api.get(f"/api/exports/{kind}.csv", headers=admin)).content.decode()
        cells = [cell for line in text.splitlines() for cell in line.split(";")]
        assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t")], text
        assert "'+" in text and ("'-" in text or kind == "borrowers"), text  # a mobile number starts with +
        plan = (await api.post(f"/api/imports/{kind}", headers=admin, json=_import(text))).json()
        assert {r["action"] for r in plan["rows"]} == {"unchanged"}, plan
    # the other CSV exports use the same writer: the follow-up lists every area by name
    today = date.today().isoformat()  # noqa: DTZ011 - any day will do
    report = await api.get("/api/activity-follow-up/report.csv", headers=admin, params={"from": today, "to": today})
    assert report.status_code == 200, report.text
    assert "area;'+SUM(1+1);" in report.text and "area;'-2+3;" in report.text
