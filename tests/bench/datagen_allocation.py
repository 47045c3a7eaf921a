"""Benchmark data of the season allocation round (tidsfördelning): steps appended to datagen.STEPS.

One round, "Benchomgång", whose deadline has passed (open: staff may run it), for a season of
20 weeks that starts two weeks from today, inside the generated season: the allocator meets the
existing approved bookings as taken times. 300 applications (in the quick set too) from the
associations in turn, each with one to three preferences over random spaces, weekdays and evening
times (some too big for the space, some outside opening hours), durations of 60 to 120 minutes
and a little flexibility."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from booking.adapters.db import tables_allocation as ta
from booking.domain.premises.allocation import DEFAULT_RULES, AgeBand, rules_to_json
from booking.domain.shared.localtime import local_instant

ROUND_NAME = "Benchomgång"
APPLICATIONS = 300
TITLES = ["Innebandy P12", "Fotboll F10", "Basket P14", "Kör", "Schack", "Dans 8-10 år", "Seniorgympa",
          "Badminton motion", "Volleyboll", "Judo", "Scoutmöte", "Teater"]


async def allocation_round(g: Any) -> None:
    data = g.data
    zone = ZoneInfo("Europe/Stockholm")
    today = data.today or datetime.now(zone).date()
    first = today + timedelta(days=14 - today.weekday())  # a Monday about two weeks ahead
    round_id = g.new_id()
    created = g.created(20)
    await g.insert(ta.allocation_rounds, [{
        "id": round_id, "municipality_id": data.municipality_id, "name": ROUND_NAME, "first_day": first,
        "last_day": first + timedelta(weeks=20, days=-1),
        "deadline": local_instant(today - timedelta(days=1), time(23, 59), zone),
        "rules": rules_to_json(DEFAULT_RULES), "state": "open", "proposal": None, "score": None,
        "allocated_at": None, "published_at": None, "report": None, **created}])
    rng = g.rng
    bands = list(AgeBand)
    rows = []
    for i in range(APPLICATIONS):
        association = data.association_ids[i % len(data.association_ids)]
        prefs: list[dict[str, Any]] = []
        for _ in range(rng.randrange(1, 4)):
            weekday = rng.randrange(7)
            start = rng.randrange(16 * 4, 20 * 4 + 1) * 15 if weekday < 5 else rng.randrange(9 * 4, 19 * 4) * 15
            pref = {"space_id": str(rng.choice(data.space_ids)), "weekday": weekday,
                    "start": f"{start // 60:02d}:{start % 60:02d}"}
            if pref not in prefs:
                prefs.append(pref)
        rows.append({
            "id": g.new_id(), "municipality_id": data.municipality_id, "round_id": round_id,
            "association_id": association, "title": rng.choice(TITLES), "age_band": str(rng.choice(bands)),
            "participants": rng.randrange(6, 40), "duration_minutes": rng.choice([60, 90, 90, 120]),
            "flex_minutes": rng.choice([0, 0, 15, 30]), "preferences": prefs,
            "submitted_by": data.representatives[association], "submitted_at": created["created_at"]
            + timedelta(minutes=i), "status": "submitted", "note": None, **created})
    await g.insert(ta.allocation_applications, rows)


STEPS: Sequence[tuple[str, Any]] = [("allocation round", allocation_round)]
