"""Benchmark rows of the season allocation round; importing this module registers them (rows.py)."""

from __future__ import annotations

from typing import Any

from booking.domain.people.roles import Role
from tests.bench.datagen import USER_PASSWORD
from tests.bench.datagen_allocation import APPLICATIONS, ROUND_NAME
from tests.bench.loadgen import Req
from tests.bench.rows import BenchContext, Workload, cycle, json_check, row


def _all_explained(body: Any) -> str | None:
    decisions = body.get("decisions") or []
    if len(decisions) != APPLICATIONS:
        return f"wanted {APPLICATIONS} decisions, got {len(decisions)}"
    if any(not d.get("reasons") for d in decisions):
        return "a decision without reasons"
    if not 0 <= (body.get("score") or 0) <= 1:
        return f"score {body.get('score')!r}"
    return None


@row("allocation of a round with 300 applications", concurrency=1,
     measures="POST /api/allocation-rounds/{id}/allocation as premises staff: load the round's 300 "
              "applications, every space with its units and opening hours, the approved bookings of the "
              "20-week season (as weekly taken times) and last season's holdings; run the greedy allocator; "
              "store the proposal (300 explained decisions) and answer it with names. Each request re-runs it.")
async def allocation_run(ctx: BenchContext) -> Workload:
    _, email = ctx.data.staff[Role.PREMISES_STAFF]
    auth = (("Authorization", f"Bearer {await ctx.token(email, USER_PASSWORD)}"),)
    rounds = (await ctx.http.get("/api/allocation-rounds", headers=dict(auth))).json()["items"]
    round_id = next(r["id"] for r in rounds if r["name"] == ROUND_NAME)
    return Workload(cycle([Req("POST", f"/api/allocation-rounds/{round_id}/allocation", b"", headers=auth)]),
                    check=json_check(_all_explained))
