"""Benchmark rows of the lending catalogue (Fritidsbanken); importing this module registers them (see rows.py).

- "public catalogue query": GET /api/lending/catalogue, anonymous, rotating over sites, categories and
  search words (articles with their available/total counts at the site).
- "label sheet of 240 codes": POST /api/lending/label-sheets, a vector A4 PDF of 240 labels (10 pages of
  3 x 8), logged in the print log. One client: the work is CPU (QR mask selection and drawing).
"""

from __future__ import annotations

import json
from urllib.parse import urlencode

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from booking.adapters.db import tables_lending as tl
from booking.domain.people.roles import Role
from tests.bench.datagen import SLUG, USER_PASSWORD
from tests.bench.loadgen import Req, Response
from tests.bench.rows import BenchContext, Workload, json_check, row

WORDS = ["", "", "skridsko", "modell 2", "cykel", "tält", "boll", "hjälm"]


@row("public catalogue query", concurrency=16,
     measures="GET /api/lending/catalogue (anonymous): a site's or the municipality's articles with search, "
              "category filter and available/total counts per article.")
async def public_catalogue(ctx: BenchContext) -> Workload:
    async def query(conn: AsyncConnection) -> list[str]:
        c = tl.lending_categories
        return [str(i) for i in (await conn.execute(sa.select(c.c.id).where(c.c.parent_id.is_(None))
                                                    .order_by(c.c.id))).scalars()]
    categories = await ctx.db(query)
    requests = []
    for n in range(64):
        params = {"municipality": SLUG, "limit": "20"}
        if n % 2:
            params["site_id"] = str(ctx.data.site_ids[n % len(ctx.data.site_ids)])
        if n % 3 == 0 and categories:
            params["category_id"] = categories[n % len(categories)]
        if WORDS[n % len(WORDS)]:
            params["q"] = WORDS[n % len(WORDS)]
        requests.append(Req("GET", f"/api/lending/catalogue?{urlencode(params)}"))

    def make(i: int) -> Req:
        return requests[i % len(requests)]

    return Workload(make, check=json_check(lambda b: None if "items" in b and "total" in b else f"body {b!r}"))


@row("label sheet of 240 codes", concurrency=1, max_requests=40,
     measures="POST /api/lending/label-sheets: 240 labels on ten A4 pages (3 x 8, 70 x 37 mm), every QR module "
              "a vector rectangle, codes under the QRs; the print logged.")
async def label_sheet(ctx: BenchContext) -> Workload:
    token = await ctx.token(ctx.data.staff[Role.LENDING_STAFF][1], USER_PASSWORD)

    async def query(conn: AsyncConnection) -> list[str]:
        lab = tl.lending_labels
        return [str(c) for c in (await conn.execute(sa.select(lab.c.code).where(lab.c.item_id.is_(None))
                                                    .order_by(lab.c.code).limit(240))).scalars()]
    codes = await ctx.db(query)
    body = json.dumps({"template": "a4-3x8", "codes": codes}).encode()
    request = Req("POST", "/api/lending/label-sheets", body, (("Authorization", f"Bearer {token}"),))

    def check(response: Response) -> str | None:
        if response.status != 200 or not response.body.startswith(b"%PDF"):
            return f"status {response.status}: {response.body[:200]!r}"
        return None

    return Workload(lambda i: request, check=check)
