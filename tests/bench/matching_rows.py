"""Benchmark row of föreningsmatchning; importing this module registers it (see rows.py).

- "association matching request": POST /api/association-matches (public) over 2,000 associations with
  published profiles: interests (1-3 of 20 categories), an age range, areas, free to try; a quarter of them
  train weekly in the municipality's spaces on approved bookings shown on the profile (12 weeks ahead). Each
  request asks for one or two interests, an age, an area and a day or two; the answer ranks the fitting
  associations with their reasons and training times.

The profiles come from the data set's generator (datagen_profiles.py: 2,000 published profiles, the data set's
own associations' weekly series as their public training times); without it, `prepare` writes its own
(2,000 associations, a quarter training weekly on approved public bookings, 12 weeks ahead)."""

from __future__ import annotations

import json
import random
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine

from booking.adapters.db import tables as t
from booking.adapters.db import tables_matching as tm
from booking.domain.matching.categories import DEFAULTS
from tests.bench.datagen import SLUG
from tests.bench.loadgen import Req
from tests.bench.rows import BenchContext, Workload, json_check, row

ASSOCIATIONS = 2_000
WEEKS = 12


async def _published(conn: AsyncConnection, municipality_id: uuid.UUID) -> int:
    p = tm.association_profiles
    return int((await conn.execute(sa.select(sa.func.count()).select_from(p).where(
        p.c.municipality_id == municipality_id, p.c.published_at.is_not(None)))).scalar_one())


async def _categories(conn: AsyncConnection, m: uuid.UUID, now: datetime) -> list[uuid.UUID]:
    c = tm.interest_categories
    found = list((await conn.execute(sa.select(c.c.id).where(c.c.municipality_id == m)
                                     .order_by(c.c.position))).scalars())
    if found:
        return found
    rows = [{"id": uuid.uuid4(), "municipality_id": m, "name": name, "name_en": name_en, "position": i,
             "created_at": now, "updated_at": now} for i, (name, name_en) in enumerate(DEFAULTS)]
    await conn.execute(c.insert(), rows)
    return [r["id"] for r in rows]


async def _generate(ctx: BenchContext) -> list[uuid.UUID]:
    """The 2,000 published associations (or those already there); answers the interest category ids."""
    data = ctx.data
    m = data.municipality_id
    assert m is not None and data.admin_id is not None
    rng = random.Random(data.seed + 12)
    now = datetime.now(UTC)
    engine = create_async_engine(ctx.db_url)
    try:
        async with engine.begin() as conn:
            categories = await _categories(conn, m, now)
            if await _published(conn, m) > 0:  # the data set's generator (datagen_profiles.py) made them
                return categories
            associations, profiles, bookings = [], [], []
            start = (now + timedelta(days=2)).replace(minute=0, second=0, microsecond=0)
            for n in range(ASSOCIATIONS):
                a = uuid.uuid4()
                associations.append({
                    "id": a, "municipality_id": m, "name": f"Benchföreningen {n:04d}",
                    "org_number": f"{700000 + n:06d}-{n % 10000:04d}", "category": "youth",
                    "area_id": rng.choice(data.area_ids), "is_local": True, "public_name": True,
                    "verified_at": now, "created_at": now, "updated_at": now})
                low = rng.randrange(6, 15)
                fields = {"interests": [str(i) for i in rng.sample(categories, rng.randint(1, 3))],
                          "age_min": low, "age_max": low + rng.randrange(2, 8), "for_whom": ["all"],
                          "areas": [str(x) for x in rng.sample(data.area_ids, min(2, len(data.area_ids)))],
                          "languages": ["sv"], "membership_fee": 300, "free_to_try": rng.random() < 0.4,
                          "try_out_text": None, "description": "Bench", "website": None,
                          "accessibility": {"step_free": True, "accessible_toilet": False, "hearing_loop": False,
                                            "notes": None}}
                profiles.append({
                    "id": uuid.uuid4(), "municipality_id": m, "association_id": a, "draft": fields,
                    "status": "published", "published": fields, "published_at": now, "age_min": fields["age_min"],
                    "age_max": fields["age_max"], "free_to_try": fields["free_to_try"], "accessible": True,
                    "interests": fields["interests"], "areas": fields["areas"], "languages": ["sv"],
                    "for_whom": ["all"], "requests_paused": False, "created_at": now, "updated_at": now})
                if n % 4 == 0:
                    space = rng.choice(data.space_ids)
                    first = start + timedelta(days=rng.randrange(7), hours=rng.randrange(8))
                    for week in range(WEEKS):
                        at = first + timedelta(weeks=week)
                        bookings.append({
                            "id": uuid.uuid4(), "municipality_id": m, "space_id": space, "association_id": a,
                            "booked_by": data.admin_id, "title": "Träning", "starts_at": at,
                            "ends_at": at + timedelta(minutes=90), "status": "approved", "sequence": 0,
                            "public_on_profile": True, "was_approved": True, "created_at": now, "updated_at": now})
            await conn.execute(t.associations.insert(), associations)
            await conn.execute(tm.association_profiles.insert(), profiles)
            await conn.execute(t.bookings.insert(), bookings)
            return categories
    finally:
        await engine.dispose()


@row("association matching request", concurrency=16,
     measures=f"POST /api/association-matches (public) over {ASSOCIATIONS:,} published association profiles: "
              "1-2 interests, an age, an area and 1-2 days; the fitting associations ranked with their reasons "
              "and public training times (approved bookings shown on the profile).")
async def association_matching(ctx: BenchContext) -> Workload:
    categories = await _generate(ctx)
    rng = random.Random(ctx.data.seed + 13)
    requests = []
    for _ in range(64):
        body = {"municipality": SLUG, "interests": [str(i) for i in rng.sample(categories, rng.randint(1, 2))],
                "age": rng.randrange(8, 16), "area_id": str(rng.choice(ctx.data.area_ids)),
                "days": sorted(rng.sample(range(1, 8), rng.randint(1, 2)))}
        requests.append(Req("POST", "/api/association-matches", json.dumps(body).encode()))
    first = requests[0]
    probe = await ctx.http.post(first.path, content=first.body, headers={"Content-Type": "application/json"})
    if probe.status_code != 200:
        raise RuntimeError(f"matching answered {probe.status_code}: {probe.text[:300]}")
    return Workload(lambda i: requests[i % len(requests)], check=json_check(_any_answer))


def _any_answer(body: Any) -> str | None:
    return None if isinstance(body.get("items"), list) else f"not a match answer: {str(body)[:200]}"
