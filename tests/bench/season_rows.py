"""Rows on the season's calendar: free times, public feeds, booking writes and the race.

Registered after the rows of rows.py (which imports this module at its end). They need the
season of datagen.py: opening hours on every space, ~100,000 occurrences, a busy site whose
public feed has ~2,000 events, and free slots to book.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import icalendar
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from booking.adapters.db import tables as t
from booking.api.controllers.feeds import feed_window
from booking.domain.people.roles import Role
from booking.domain.premises.bookings import BookingStatus
from booking.domain.shared.clock import SystemClock
from tests.bench.datagen import USER_PASSWORD, ZONE, Slot, overlapping_occupancy
from tests.bench.loadgen import LoadResult, Req, Response
from tests.bench.rows import BenchContext, Target, Workload, cycle, json_check, row

CREATE_TITLE = "Benchbokning"  # the bookings of "create a booking"
RACE_TITLE = "Benchkapplöpning"  # the bookings of "double-booking race"


async def staff_auth(ctx: BenchContext) -> tuple[tuple[str, str], ...]:
    """A bearer token of the bench's premises staff account: its bookings are approved at once."""
    _, email = ctx.data.staff[Role.PREMISES_STAFF]
    return (("Authorization", f"Bearer {await ctx.token(email, USER_PASSWORD)}"),)


def booking_request(slot: Slot, title: str, auth: tuple[tuple[str, str], ...]) -> Req:
    return Req("POST", "/api/bookings", json.dumps(slot.request(title)).encode(), headers=auth)


def approved_one(body: Any) -> str | None:
    bookings = body.get("bookings") or []
    if len(bookings) != 1 or bookings[0].get("status") != "approved":
        return f"wanted one approved booking, got {bookings!r}"[:300]
    return None


async def slot_taken(ctx: BenchContext, slot: Slot, auth: tuple[tuple[str, str], ...]) -> str | None:
    """Requesting an occupied time must answer 409 naming the booking in the way."""
    r = await ctx.http.post("/api/bookings", json=slot.request("Benchprov"), headers=dict(auth))
    if r.status_code != 409:
        return f"{slot} should be taken, but POST answered {r.status_code}: {r.text[:200]}"
    return None


@dataclass
class Stored:
    approved: int  # approved bookings with the row's title
    held: int  # their active occupancy rows
    units: int  # the leaf units they should occupy (2 for a whole divisible hall, else 1)
    overlaps: int  # overlapping active occupancy rows anywhere

    def problems(self, answered_201: int) -> list[str]:
        out = []
        if self.approved != answered_201:
            out.append(f"{answered_201} answered 201, {self.approved} approved bookings stored")
        if self.held != self.units:
            out.append(f"{self.held} active occupancy rows for them, {self.units} wanted")
        if self.overlaps:
            out.append(f"{self.overlaps} overlapping occupancy rows")
        return out


async def stored(ctx: BenchContext, title: str) -> Stored:
    parts = {whole: len(ps) for whole, ps in ctx.data.divisible_halls}

    async def query(conn: AsyncConnection) -> Stored:
        b, o = t.bookings, t.occupancy
        where = (b.c.title == title, b.c.status == BookingStatus.APPROVED)
        per_space = (await conn.execute(sa.select(b.c.space_id, sa.func.count()).where(*where)
                                        .group_by(b.c.space_id))).all()
        held = (await conn.execute(sa.select(sa.func.count()).select_from(o.join(b, b.c.id == o.c.booking_id))
                                   .where(o.c.active, *where))).scalar_one()
        return Stored(sum(n for _, n in per_space), int(held), sum(n * parts.get(s, 1) for s, n in per_space),
                      await overlapping_occupancy(conn))

    return await ctx.db(query)


def count(statuses: dict[str, int], status: int) -> int:
    return statuses.get(str(status), 0)


# --- free times ------------------------------------------------------------------------------------


@row("free times of one space, 4 weeks", concurrency=16,
     measures="GET /api/spaces/{id}/availability?from=...&to=... (28 days) of the busy site's divisible "
              "hall (both halves' occupancy), start dates rotating weekly over the season ahead. Public.",
     target=Target(">= 30 % of ceiling, p95 <= 15 ms", min_ratio=0.30, max_p95_ms=15))
async def free_times(ctx: BenchContext) -> Workload:
    data = ctx.data
    assert data.today is not None and data.busy_space_id is not None
    starts = [data.today + timedelta(days=1 + 7 * k) for k in range(8)]
    requests = [Req("GET", f"/api/spaces/{data.busy_space_id}/availability?from={d}&to={d + timedelta(days=27)}")
                for d in starts]

    def test(body: Any) -> str | None:
        days = body.get("days", [])
        busy = sum(len(d["busy"]) for d in days)
        if len(days) != 28 or busy == 0 or not any(d["free"] for d in days):
            return f"wanted 28 days with busy and free times, got {len(days)} days, {busy} busy intervals"
        return None

    return Workload(cycle(requests), check=json_check(test))


# --- the busy site's public feed -------------------------------------------------------------------


def expected_feed_events(ctx: BenchContext) -> int:
    """The busy site's events the feed shows today (its window is the server's, from today's date)."""
    _, _, start, end = feed_window(SystemClock(), ZONE)
    return sum(1 for s, e in ctx.data.busy_site_events if e > start and s < end)


@row("site feed, full render", concurrency=1,
     measures="GET /feeds/sites/{id}.ics of the busy site (~2,000 events in the default window, 30 days back "
              "to 365 ahead): site, municipality, version query, occurrence query, iCalendar rendering. One "
              "client: the target is the time of one render (with more clients p95 is mostly queueing; try "
              "-c 'site feed, full render=4').",
     target=Target("p95 <= 150 ms", max_p95_ms=150))
async def site_feed(ctx: BenchContext) -> Workload:
    path = f"/feeds/sites/{ctx.data.busy_site_id}.ics"
    r = await ctx.http.get(path)
    if r.status_code != 200:
        raise AssertionError(f"GET {path} answered {r.status_code}: {r.text[:200]}")
    calendar = icalendar.Calendar.from_ical(r.content)  # once: the body is real iCalendar
    events = len(calendar.walk("VEVENT"))
    wanted = expected_feed_events(ctx)
    if events != wanted:
        raise AssertionError(f"GET {path}: {events} VEVENTs, the season has {wanted} in the window")
    size = len(r.content)

    def check(response: Response) -> str | None:
        if response.status != 200 or not response.body.startswith(b"BEGIN:VCALENDAR"):
            return f"status {response.status}: {response.body[:200]!r}"
        if abs(len(response.body) - size) > size // 100:
            return f"body of {len(response.body):,} bytes, the first one had {size:,}"
        return None

    return Workload(cycle([Req("GET", path)]), check=check)


@row("site feed, 304", concurrency=16,
     measures="GET /feeds/sites/{id}.ics of the busy site with If-None-Match (the ETag of a first answer): "
              "answered 304 from a count and a max, without rendering.",
     target=Target(">= 50 % of ceiling", min_ratio=0.50))
async def site_feed_304(ctx: BenchContext) -> Workload:
    path = f"/feeds/sites/{ctx.data.busy_site_id}.ics"
    r = await ctx.http.get(path)
    etag = r.headers.get("etag")
    if r.status_code != 200 or not etag:
        raise AssertionError(f"GET {path} answered {r.status_code} with ETag {etag!r}")

    def check(response: Response) -> str | None:
        if response.status != 304 or response.body:
            return f"wanted an empty 304, got {response.status} with {len(response.body):,} bytes"
        return None

    return Workload(cycle([Req("GET", path, headers=(("If-None-Match", etag),))]), ok=lambda s: s == 304,
                    check=check)


# --- writes ----------------------------------------------------------------------------------------


@row("create a booking", concurrency=16,
     measures="POST /api/bookings as premises staff (bearer token): one occurrence of 60 min in a free cell "
              "of the season (neighbours often booked), approved at once: rules, lock, conflict check, "
              "occupancy, audit, outbox message, commit. Each request a different free slot (space, date, time).",
     target=Target(">= 20 % of ceiling, p95 <= 25 ms", min_ratio=0.20, max_p95_ms=25))
async def create_booking(ctx: BenchContext) -> Workload:
    auth = await staff_auth(ctx)
    data = ctx.data
    assert data.taken_slot is not None
    complaint = await slot_taken(ctx, data.taken_slot, auth)  # the conflict check sees the season
    if complaint:
        raise AssertionError(complaint)
    slots = data.free_slots
    used: list[Slot] = []

    def make(i: int) -> Req:
        slot = slots[i % len(slots)]  # past the end they repeat, and answer 409 (as errors)
        used.append(slot)
        return booking_request(slot, CREATE_TITLE, auth)

    async def after(ctx: BenchContext, result: LoadResult) -> str | None:
        created = count(result.statuses, 201) + count(result.warmup_statuses, 201)
        problems = (await stored(ctx, CREATE_TITLE)).problems(created)
        for slot in used[:3]:  # booked now: the same time again must be refused
            refused = await slot_taken(ctx, slot, auth)
            if refused:
                problems.append(refused)
        return "; ".join(problems) or None

    return Workload(make, check=json_check(approved_one, status=201), after=after)


RACERS = 32


@row("double-booking race", concurrency=RACERS, max_requests=RACERS,
     measures=f"{RACERS} clients POST /api/bookings for the same free slot at once (premises staff, approved "
              "at once): exactly one 201, the rest 409; afterwards one booking holds the time.",
     target=Target("exactly one 201, the rest 409, no overlap"))
async def double_booking_race(ctx: BenchContext) -> Workload:
    auth = await staff_auth(ctx)
    slot = ctx.data.race_slot
    assert slot is not None
    request = booking_request(slot, RACE_TITLE, auth)

    async def after(ctx: BenchContext, result: LoadResult) -> str | None:
        won, lost = count(result.statuses, 201), count(result.statuses, 409)
        problems = (await stored(ctx, RACE_TITLE)).problems(won)
        if (won, lost) != (1, RACERS - 1):
            problems.insert(0, f"{won} answered 201 and {lost} 409 of {result.requests}: {result.statuses}")
        return "; ".join(problems) or None

    ok: Callable[[int], bool] = lambda s: s in (201, 409)  # noqa: E731
    return Workload(lambda i: request, ok=ok, warmup=False, after=after)
