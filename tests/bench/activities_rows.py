"""Benchmark rows of holiday activities (lovaktiviteter); importing this module registers them (see rows.py).

The data (datagen_activities.py): a holiday with 300 sessions of 30 activities, and "Benchloppet",
one session with 30 places for the race."""

from __future__ import annotations

import json
import uuid
from collections import Counter
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from booking.adapters.db import tables_activities as ta
from tests.bench.datagen import ADMIN_EMAIL, ADMIN_PASSWORD, SLUG
from tests.bench.datagen_activities import RACE_PLACES, RACE_TITLE
from tests.bench.loadgen import LoadResult, Req
from tests.bench.rows import BenchContext, Target, Workload, cycle, json_check, row

RACERS = 200


def _listed(body: Any) -> str | None:
    if not isinstance(body.get("items"), list) or body.get("total", 0) < 1:
        return f"an empty listing: {str(body)[:200]}"
    return None


@row("activity listing with filters", concurrency=16,
     measures="GET /api/activity-sessions (public): the holiday's sessions filtered by age, category, "
              "area and free places, 50 a page, counts of free places and waiting list per session.")
async def activity_listing(ctx: BenchContext) -> Workload:
    periods = (await ctx.http.get("/api/holiday-periods", params={"municipality": SLUG})).json()
    period = periods[0]["id"]
    base = f"/api/activity-sessions?municipality={SLUG}&period_id={period}"
    requests = [Req("GET", base), Req("GET", f"{base}&age=10"), Req("GET", f"{base}&free=true"),
                Req("GET", f"{base}&age=12&free=true"), Req("GET", f"{base}&category=idrott")]
    return Workload(cycle(requests), check=json_check(_listed))


@row("activity public feed", concurrency=4,
     measures="GET /feeds/activities/bench.ics: every session of the published activities from today "
              "(~300 events), rendered in full (no conditional request).")
async def activity_feed(ctx: BenchContext) -> Workload:
    def check(response: Any) -> str | None:
        if response.status != 200 or b"BEGIN:VEVENT" not in response.body:
            return f"status {response.status}: {response.body[:200]!r}"
        return None
    return Workload(cycle([Req("GET", f"/feeds/activities/{SLUG}.ics")]), check=check)


@row("activity sign-up race", concurrency=RACERS, max_requests=RACERS,
     measures=f"{RACERS} clients POST a sign-up for the same session with {RACE_PLACES} places at once: every "
              f"one 201, exactly {RACE_PLACES} confirmed and the rest on the waiting list in queue order.",
     target=Target(f"exactly {RACE_PLACES} confirmed; p95 <= 50 ms", max_p95_ms=50))
async def sign_up_race(ctx: BenchContext) -> Workload:
    token = await ctx.token(ADMIN_EMAIL, ADMIN_PASSWORD)  # the admin may act as a guardian
    auth = (("Authorization", f"Bearer {token}"),)
    listed = (await ctx.http.get("/api/activities", params={"municipality": SLUG, "limit": 200})).json()["items"]
    race = next(a for a in listed if a["title"] == RACE_TITLE)
    session_id = (await ctx.http.get(f"/api/activities/{race['id']}")).json()["sessions"][0]["id"]
    session_uuid = uuid.UUID(session_id)
    year = int(race["created_at"][:4])

    def make(i: int) -> Req:
        body = {"children": [{"first_name": f"Racer{i:03d}", "birth_year": year - 10}]}
        return Req("POST", f"/api/activity-sessions/{session_id}/registrations", json.dumps(body).encode(),
                   headers=auth)

    async def after(ctx: BenchContext, result: LoadResult) -> str | None:
        async def counts(conn: AsyncConnection) -> tuple[Counter[str], int, list[int]]:
            r = ta.registrations
            rows = (await conn.execute(sa.select(r.c.status, r.c.queue_no).where(
                r.c.session_id == session_uuid).order_by(r.c.queue_no))).all()
            counter = (await conn.execute(sa.select(ta.activity_sessions.c.confirmed).where(
                ta.activity_sessions.c.id == session_uuid))).scalar_one()
            return Counter(s for s, _ in rows), int(counter), [q for s, q in rows if s == "confirmed"]
        by_status, counter, confirmed = await ctx.db(counts)
        problems = []
        if by_status["confirmed"] != RACE_PLACES or counter != RACE_PLACES:
            problems.append(f"{by_status['confirmed']} confirmed (counter {counter}), wanted {RACE_PLACES}")
        if confirmed != list(range(1, RACE_PLACES + 1)):
            problems.append("the confirmed are not the first in the queue")
        if by_status["waiting"] != result.requests - RACE_PLACES:
            problems.append(f"{by_status['waiting']} waiting of {result.requests} requests")
        return "; ".join(problems) or None

    return Workload(make, ok=lambda s: s == 201, warmup=False, after=after)
