"""Benchmark rows of the CSV imports of lending (docs/imports.md); importing this module registers them.

The issue's "an import of 2,000 borrowers and 500 articles with a dry run first": four rows, in the
order the page sends them, each request on a fresh municipality of its own (made in `prepare`, with a
lending staff account and, for the borrowers, the categories their consents name and an area), streamed
as the page asks for it (`Accept: application/x-ndjson`: the progress lines, then the plan):

- "import 500 articles (dry run)" / "import 500 articles": 500 articles in 5 sizes of 100 names, in 25
  subcategories of 5 top categories that the import creates (525 rows planned);
- "import 2000 borrowers (dry run)" / "import 2000 borrowers": 1,600 adults (half with a card number of
  their own, half given a new one), 400 children naming an adult's card as their guardian's, consents.

One client; a request is a whole file (a row's p50 is one import's time, its CPU ms/req one import's CPU).
"""

from __future__ import annotations

import json
import random
import uuid
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from booking.adapters.db import tables_lending as tl
from booking.adapters.db.database import connect
from booking.adapters.db.uow import SqlUnitOfWork
from booking.adapters.passwords import Argon2Hasher
from booking.domain.lending.labels import luhn_digit
from booking.domain.municipalities.model import Area
from booking.domain.municipalities.services import CreateMunicipality, create_municipality
from booking.domain.people.roles import Actor, Grant, Role
from booking.domain.people.services import CreateAccount, create_account
from tests.bench.loadgen import LoadResult, Req, Response
from tests.bench.rows import BenchContext, Workload, row

ARTICLES, BORROWERS, CHILDREN = 500, 2_000, 400
IMPORTS = 3  # files per row (each on a municipality of its own)
PASSWORD = "bench-import-lösenord-2026"
TOPS = ("Vintersport", "Bollsport", "Friluftsliv", "Vattensport", "Cykel")
NDJSON = (("Accept", "application/x-ndjson"),)
_made: dict[str, list[tuple[str, str]]] = {}  # row -> (municipality id, lending staff token) per request


def articles_csv() -> str:
    rows = ["namn;storlek;kategori;överkategori;lånetid_dagar;min_ålder;samtycke_krävs;självbetjäning;beskrivning"]
    for n in range(ARTICLES // 5):
        top = TOPS[n % len(TOPS)]
        for size in ("S", "M", "L", "120 cm", "150 cm"):
            rows.append(f"{top} artikel {n + 1};{size};{top} {n // 5 % 5 + 1};{top};{7 + n % 3 * 7};{n % 12};"
                        f"{'ja' if n % 4 == 0 else 'nej'};{'ja' if n % 3 == 0 else 'nej'};Bänkdata {n + 1}")
    return "\r\n".join(rows) + "\r\n"


def borrowers_csv(seed: int, taken: set[str]) -> str:
    """2,000 borrowers; card numbers of this file only (none any stored card has)."""
    rng = random.Random(seed)
    rows = ["namn;födelseår;mobil;epost;kön;område;kortnummer;vårdnadshavare_kortnummer;samtycken"]
    cards: list[str] = []
    serial = seed * 10_000
    for i in range(BORROWERS - CHILDREN):
        card = ""
        if i % 2 == 0:
            while not card or card in taken:
                serial += 1
                body = f"8{serial % 10**8:08d}"
                card = body + luhn_digit(body)
            taken.add(card)
            cards.append(card)
        rows.append(f"Vuxen {i:04d} {rng.choice(('Ek', 'Berg', 'Lind', 'Sjö'))};{rng.randint(1950, 2005)};"
                    f"070{rng.randint(0, 9_999_999):07d};vuxen{i}@bench.example;{rng.choice(('kvinna', 'man', ''))};"
                    f"Centrum;{card};;{'Vintersport' if i % 3 == 0 else ''}")
    for i in range(CHILDREN):
        rows.append(f"Barn {i:04d};{rng.randint(2012, 2020)};;;{rng.choice(('flicka', 'pojke', ''))};Centrum;;"
                    f"{cards[i % len(cards)]};Vintersport|Cykel")
    return "\r\n".join(rows) + "\r\n"


async def _municipalities(ctx: BenchContext, key: str, count: int, borrowers: bool) -> list[tuple[str, str]]:
    """`count` fresh municipalities, each with a lending staff account (and, for borrowers, an area and the
    consents' categories); their ids and the staff's tokens."""
    db = connect(ctx.db_url)
    made = []
    try:
        hasher = Argon2Hasher()
        for n in range(count):
            slug = f"import-{key}-{n}"
            town = await create_municipality(CreateMunicipality(f"Importkommun {key} {n}", slug), SqlUnitOfWork(db))
            bootstrap = Actor(town.id, town.id, frozenset({Grant(Role.ADMIN)}))
            email = f"lending@{slug}.example"
            await create_account(CreateAccount(email, "Importpersonal", PASSWORD, grants=(Grant(Role.LENDING_STAFF),)),
                                 SqlUnitOfWork(db), hasher, town.id, bootstrap)
            if borrowers:
                uow = SqlUnitOfWork(db)
                async with uow:
                    uow.areas.add(Area(town.id, "Centrum", 1000))
                    await uow.commit()
            token = await ctx.token(email, PASSWORD)
            if borrowers:
                for name in ("Vintersport", "Cykel"):
                    r = await ctx.http.post("/api/lending/categories", json={"name": name},
                                            headers={"Authorization": f"Bearer {token}"})
                    r.raise_for_status()
            made.append((str(town.id), token))
    finally:
        await db.dispose()
    return made


def _check(count: int) -> Any:
    def check(response: Response) -> str | None:
        lines = [json.loads(line) for line in response.body.splitlines() if line.strip()]
        if response.status != 200 or not lines:
            return f"status {response.status}: {response.body[:300]!r}"
        last, stages = lines[-1], {line.get("stage") for line in lines[:-1]}
        if last.get("errors") or last.get("created") != count or "check" not in stages:
            return f"wanted {count} created with progress, got {last!r}"[:400]
        return None
    return check


async def _workload(ctx: BenchContext, key: str, kind: str, dry_run: bool, created: int) -> Workload:
    borrowers = kind == "borrowers"
    made = _made.setdefault(key, await _municipalities(ctx, key, IMPORTS, borrowers))
    if borrowers:
        async def cards(conn: AsyncConnection) -> set[str]:
            return set((await conn.execute(sa.select(tl.lending_cards.c.number))).scalars())
        taken = await ctx.db(cards)
        files = [borrowers_csv(n + (0 if dry_run else IMPORTS), taken) for n in range(IMPORTS)]
    else:
        files = [articles_csv()] * IMPORTS
    requests = [Req("POST", f"/api/imports/{kind}", json.dumps({"csv": text, "dry_run": dry_run}).encode(),
                    (*NDJSON, ("Authorization", f"Bearer {token}")))
                for text, (_, token) in zip(files, made, strict=True)]

    async def after(ctx: BenchContext, result: LoadResult) -> str | None:
        """An import stored every row in its own municipality; a dry run stored none."""
        table = tl.borrowers if borrowers else tl.lending_articles

        async def counts(conn: AsyncConnection) -> list[int]:
            return [int(await conn.scalar(sa.select(sa.func.count()).select_from(table).where(
                table.c.municipality_id == uuid.UUID(town))) or 0) for town, _ in made]
        found = await ctx.db(counts)
        sent = result.statuses.get("200", 0)
        stored = 0 if dry_run else (BORROWERS if borrowers else ARTICLES)
        wanted = [stored] * sent + [0] * (IMPORTS - sent)
        return None if found == wanted else f"stored {found}, wanted {wanted}"

    return Workload(lambda i: requests[i % IMPORTS], check=_check(created), warmup=False, after=after)


@row("import 500 articles (dry run)", concurrency=1, max_requests=IMPORTS,
     measures="POST /api/imports/lending_articles (dry run, NDJSON progress) of 500 articles in 5 sizes and 30 new "
              "categories, as lending staff of a fresh municipality: what would be created, nothing written.")
async def articles_dry_run(ctx: BenchContext) -> Workload:
    return await _workload(ctx, "articles-dry", "lending_articles", True, ARTICLES + 30)


@row("import 500 articles", concurrency=1, max_requests=IMPORTS,
     measures="POST /api/imports/lending_articles (NDJSON progress): checked again, then 30 categories and 500 "
              "articles written with their audit entries in one transaction, on a fresh municipality.")
async def articles_import(ctx: BenchContext) -> Workload:
    return await _workload(ctx, "articles", "lending_articles", False, ARTICLES + 30)


@row("import 2000 borrowers (dry run)", concurrency=1, max_requests=IMPORTS,
     measures="POST /api/imports/borrowers (dry run, NDJSON progress) of 2,000 borrowers (400 children with a "
              "guardian in the file, 800 card numbers given, consents), as lending staff of a fresh municipality.")
async def borrowers_dry_run(ctx: BenchContext) -> Workload:
    return await _workload(ctx, "borrowers-dry", "borrowers", True, BORROWERS)


@row("import 2000 borrowers", concurrency=1, max_requests=IMPORTS,
     measures="POST /api/imports/borrowers (NDJSON progress): checked again, then 2,000 borrowers, their cards "
              "(1,200 made), consents and audit entries written in one transaction, on a fresh municipality.")
async def borrowers_import(ctx: BenchContext) -> Workload:
    return await _workload(ctx, "borrowers", "borrowers", False, BORROWERS)
