"""Benchmark rows of associations in the open; importing this module registers them (see rows.py).

The data (datagen_profiles.py): 2,000 associations with published profiles (200 quick), the data set's own
associations among them with their weekly series as public training times."""

from __future__ import annotations

from typing import Any

from tests.bench.datagen import SLUG
from tests.bench.datagen_profiles import PROFILES
from tests.bench.loadgen import Req
from tests.bench.rows import BenchContext, Workload, cycle, json_check, row


def _answered(body: Any) -> str | None:
    if not isinstance(body.get("items"), list) or "total" not in body:
        return f"not a directory page: {str(body)[:200]}"
    if any(not item["why"] for item in body["items"]):
        return "a result without its reasons"
    return None


@row(f"association directory, 3 filters over {PROFILES['full']:,} associations", concurrency=16,
     measures="GET /api/association-directory (public): published profiles filtered by interest, age and area "
              "(age in SQL, the interest and area lists in Python), the first 20 by name with their reasons and "
              "the first three training times of each (derived from their public bookings in the season).")
async def directory(ctx: BenchContext) -> Workload:
    categories = (await ctx.http.get("/api/interest-categories", params={"municipality": SLUG})).json()["items"]
    areas = (await ctx.http.get("/api/areas", params={"municipality": SLUG, "limit": 200})).json()["items"]
    requests = [Req("GET", f"/api/association-directory?municipality={SLUG}&interest={c['id']}&age={age}"
                           f"&area={a['id']}")
                for c, age, a in zip(categories[:10], [8, 10, 11, 12, 13, 14, 9, 15, 16, 10], areas * 10, strict=False)]
    return Workload(cycle(requests), check=json_check(_answered))
