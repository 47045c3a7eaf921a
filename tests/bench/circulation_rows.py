"""Benchmark rows of lending circulation; importing this module registers them (see rows.py).

- "lend 3 items on a card": POST /api/lending/loans with a card and three label codes, 16 desks at once.
  Each request uses a card of its own (no loans yet) and three items nobody has lent, so every one is a
  full lend: card look-up, three item locks, rules, due date (site weekdays + holidays), three loans and
  their item events and audit rows, committed. QUALITY.md: p95 <= 25 ms.
- "return an item": POST /api/lending/returns of an item on loan (figures only).
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from booking.adapters.db import tables_lending as tl
from booking.domain.people.roles import Role
from tests.bench.datagen import USER_PASSWORD
from tests.bench.datagen_circulation import BENCH_CATEGORY
from tests.bench.loadgen import Req
from tests.bench.rows import BenchContext, Target, Workload, json_check, row

LEND_REQUESTS = 1_100  # 3 items each: the data set keeps 3,400 items on the shelf for this row
RETURN_REQUESTS = 1_500


async def _stock(ctx: BenchContext, status: str) -> list[tuple[str, str]]:
    """(label code, site id) of the bench articles' items with this status, in id order."""
    async def query(conn: AsyncConnection) -> list[tuple[str, str]]:
        i, a, c = tl.lending_items, tl.lending_articles, tl.lending_categories
        rows = (await conn.execute(sa.select(i.c.label_code, i.c.site_id)
                                   .join(a, a.c.id == i.c.article_id).join(c, c.c.id == a.c.category_id)
                                   .where(c.c.name == BENCH_CATEGORY, i.c.status == status).order_by(i.c.id))).all()
        return [(str(r.label_code), str(r.site_id)) for r in rows]
    return await ctx.db(query)


async def _cards(ctx: BenchContext) -> list[str]:
    """Cards of borrowers without open loans (the first half of the bench borrowers)."""
    async def query(conn: AsyncConnection) -> list[str]:
        cards, b = tl.lending_cards, tl.borrowers
        rows = (await conn.execute(sa.select(cards.c.number).join(b, b.c.id == cards.c.borrower_id)
                                   .where(b.c.email.like("lantagare%@bench.example"), cards.c.active)
                                   .order_by(b.c.id))).scalars().all()
        return [str(n) for n in rows[: len(rows) // 2]]
    return await ctx.db(query)


def _post(path: str, token: str, body: dict[str, Any]) -> Req:
    return Req("POST", path, json.dumps(body).encode(), (("Authorization", f"Bearer {token}"),))


@row("lend 3 items on a card", concurrency=16, max_requests=LEND_REQUESTS,
     target=Target("p95 <= 25 ms", max_p95_ms=25),
     measures="POST /api/lending/loans: a desk lends three items on a card (each request a new card and three "
              "items on the shelf): card, item locks, rules, due date, three loans committed.")
async def lend_three(ctx: BenchContext) -> Workload:
    token = await ctx.token(ctx.data.staff[Role.LENDING_STAFF][1], USER_PASSWORD)
    shelf = await _stock(ctx, "available")
    cards = await _cards(ctx)
    by_site: dict[str, list[str]] = {}
    for code, site in shelf:
        by_site.setdefault(site, []).append(code)
    batches = [(site, codes[k:k + 3]) for site, codes in by_site.items() for k in range(0, len(codes) - 2, 3)]
    count = min(len(batches), len(cards))
    requests = [_post("/api/lending/loans", token, {"card_number": cards[n], "site_id": batches[n][0],
                                                    "codes": batches[n][1]}) for n in range(count)]

    def make(i: int) -> Req:
        return requests[i % count]  # beyond the stock: an honest 409 (counted as an error)

    return Workload(make, check=json_check(lambda b: None if len(b.get("loans", [])) == 3 else f"body {b!r}",
                                           status=201))


@row("return an item", concurrency=16, max_requests=RETURN_REQUESTS,
     measures="POST /api/lending/returns: an item on loan comes back at its site (loan closed, item status and "
              "event, first waiting hold looked up).")
async def return_one(ctx: BenchContext) -> Workload:
    token = await ctx.token(ctx.data.staff[Role.LENDING_STAFF][1], USER_PASSWORD)
    out = await _stock(ctx, "on_loan")
    requests = [_post("/api/lending/returns", token, {"code": code, "site_id": site}) for code, site in out]

    def make(i: int) -> Req:
        return requests[i % len(requests)]

    return Workload(make, check=json_check(lambda b: None if b.get("item_status") == "available" else f"body {b!r}"))
