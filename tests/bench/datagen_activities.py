"""Benchmark data of holiday activities (lovaktiviteter): steps appended to datagen.STEPS.

A holiday ("Benchlov", kind sommarlov) from a week after the run's date, 30 days long; 30
published activities over the areas and categories, each with 10 sessions on days of the holiday
(300 sessions, in the quick set too), capacity 15-30, and a few registrations on each (made by
the borrowers, as guardians would). One more activity, "Benchloppet", has a single session with
30 places and no registrations: the race row signs up 200 children for it at once."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from booking.adapters.db import tables_activities as ta
from booking.domain.activities.model import Category
from booking.domain.shared.localtime import local_instant

LOV_NAME_KIND = "sommarlov"
ACTIVITIES = 30
SESSIONS_EACH = 10
RACE_TITLE = "Benchloppet"
RACE_PLACES = 30
TITLES = ["Prova på parkour", "Pyssel", "Fotboll", "Dans", "Schack", "Bakning", "Klättring", "Teater", "Musik",
          "Friluftsdag"]


async def activities(g: Any) -> None:
    data = g.data
    zone = ZoneInfo("Europe/Stockholm")
    today: date = data.today or datetime.now(zone).date()
    first = today + timedelta(days=7)
    m = data.municipality_id
    created = g.created(10)
    await g.insert(ta.holiday_periods, [{"id": g.new_id(), "municipality_id": m, "kind": LOV_NAME_KIND,
                                         "year": first.year, "first_day": first,
                                         "last_day": first + timedelta(days=29), **created}])
    categories = list(Category)
    staff_id = data.admin_id
    acts: list[dict[str, Any]] = []
    sessions: list[dict[str, Any]] = []
    regs: list[dict[str, Any]] = []

    def activity(title: str, capacity: int, area: Any) -> dict[str, Any]:
        row = {"id": g.new_id(), "municipality_id": m, "title": title, "description": "Benchaktivitet.",
               "translations": {}, "category": categories[len(acts) % len(categories)].value,  # each one used
               "organiser": "Fritid Bench",
               "association_id": None, "age_min": g.rng.choice([6, 8, 10]), "age_max": g.rng.choice([12, 15]),
               "target_group": "all", "area_id": area, "space_id": None, "place": "Fritidsgården",
               "capacity": capacity, "signup_required": True, "signup_opens_at": None, "signup_closes_at": None,
               "cost": 0, "languages": ["sv"], "adapted": False, "wheelchair_access": True, "bring": None,
               "lending_articles": [], "contact": None, "status": "published", "cancel_reason": None,
               "created_by": staff_id, **g.created(10)}
        acts.append(row)
        return row

    def session(act: dict[str, Any], day: date, start: time, capacity: int, confirmed: int) -> dict[str, Any]:
        row = {"id": g.new_id(), "municipality_id": m, "activity_id": act["id"], "space_id": None,
               "booking_id": None, "starts_at": local_instant(day, start, zone),
               "ends_at": local_instant(day, time(start.hour + 2, start.minute), zone), "capacity": capacity,
               "confirmed": confirmed, "next_queue_no": confirmed + 1, "status": "scheduled", "sequence": 0,
               "visitors": [], **g.created(5)}
        sessions.append(row)
        return row

    for i in range(ACTIVITIES):
        capacity = g.rng.randrange(15, 31)
        act = activity(f"{TITLES[i % len(TITLES)]} {i + 1}", capacity, data.area_ids[i % len(data.area_ids)])
        days = sorted(g.rng.sample(range(30), SESSIONS_EACH))
        start = time(g.rng.choice([10, 13, 15]))
        for d in days:
            taken = g.rng.randrange(0, 4)
            s = session(act, first + timedelta(days=d), start, capacity, taken)
            for q in range(taken):
                regs.append({"id": g.new_id(), "municipality_id": m, "session_id": s["id"], "activity_id": act["id"],
                             "account_id": g.rng.choice(data.borrower_ids), "first_name": f"Barn{q}",
                             "child_key": f"barn{q}", "birth_year": today.year - 10, "gender": "female",
                             "needs": None, "self_registered": False, "status": "confirmed", "queue_no": q + 1,
                             "cancel_token_hash": f"{g.rng.getrandbits(256):064x}",
                             "ticket_code": f"{g.rng.getrandbits(128):032x}", "attended_at": None,
                             "cancelled_at": None, "reminded_at": None, **created})
    race = activity(RACE_TITLE, RACE_PLACES, data.area_ids[0])
    session(race, first + timedelta(days=3), time(9), RACE_PLACES, 0)
    await g.insert(ta.activities, acts)
    await g.insert(ta.activity_sessions, sessions)
    await g.insert(ta.registrations, regs)


STEPS: Sequence[tuple[str, Any]] = [("activities", activities)]
