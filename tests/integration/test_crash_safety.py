"""Crash safety (QUALITY.md): under a write load the server is killed with SIGKILL and started
again on the same database. Every booking or series whose POST got a 2xx is there with all its
occurrences, no series is half-written, nothing overlaps.

The real server (uvicorn subprocess on loopback, as the benchmark runs it) on a file SQLite
database and on PostgreSQL, with the benchmark's quick data set. Single bookings and weekly
series go to cells nothing else in the load touches, so a series that was written at all must
have every one of its dates.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import secrets
import signal
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from booking.adapters.db import tables as t
from booking.adapters.db.migrate import upgrade
from booking.domain.people.roles import Role
from booking.domain.premises.bookings import BookingStatus
from tests.bench import datagen
from tests.bench.server import Server
from tests.conftest import _pg_admin_url, _pg_create_database, _pg_drop_database, require

WEEKS = 3  # occurrences per series
CLIENTS = 8
MIN_ANSWERED = 4  # 201s of each kind before the kill
MAX_LOAD_SECONDS = 15.0
TITLE = "Kraschprov"


@dataclass
class Sent:
    """What the clients sent and what they were told."""

    singles: dict[str, list[str]] = field(default_factory=dict)  # 201: key -> booking ids
    series: dict[str, tuple[str, list[str]]] = field(default_factory=dict)  # 201: key -> (series id, booking ids)
    unanswered: list[str] = field(default_factory=list)  # in flight when the server died
    refused: list[tuple[str, int, str]] = field(default_factory=list)  # any other answer
    enough: asyncio.Event = field(default_factory=asyncio.Event)  # MIN_ANSWERED 201s of each kind


def _work(data: datagen.BenchData) -> list[tuple[str, dict[str, Any]]]:
    """Requests on cells no other request touches: series on (space, weekday, time) cells free for
    WEEKS weeks in a row, singles on the remaining free cells. Divisible halls are left out (a
    whole hall and its parts share units)."""
    halls = {whole for whole, _ in data.divisible_halls} | {p for _, parts in data.divisible_halls for p in parts}
    free = {(s.space_id, s.day, s.start): s for s in data.free_slots if s.space_id not in halls}
    used: set[tuple[Any, ...]] = set()
    series: list[tuple[str, dict[str, Any]]] = []
    singles: list[tuple[str, dict[str, Any]]] = []
    for key in sorted(free, key=lambda k: (k[1], str(k[0]), k[2])):
        space, day, start = key
        run = [(space, day + timedelta(weeks=w), start) for w in range(WEEKS)]
        if len(series) < 200 and all(k in free and k not in used for k in run):
            used.update(run)
            body = free[key].request(f"{TITLE} serie {len(series)}")
            body["recurrence"] = {"weekdays": [day.weekday()], "count": WEEKS}
            series.append((f"series-{len(series)}", body))
    for key, slot in free.items():
        if key not in used:
            singles.append((f"single-{len(singles)}", slot.request(f"{TITLE} {len(singles)}")))
    random.Random(7).shuffle(singles)
    work = []
    for i in range(min(len(series), len(singles))):  # interleaved: both kinds in flight at the kill
        work += [series[i], singles[i]]
    return work


async def _load(base_url: str, token: str, work: list[tuple[str, dict[str, Any]]], sent: Sent,
                stop: asyncio.Event) -> None:
    queue = list(reversed(work))

    async def client() -> None:
        async with httpx.AsyncClient(base_url=base_url, timeout=10.0,
                                     headers={"Authorization": f"Bearer {token}"}) as http:
            while queue and not stop.is_set():
                key, body = queue.pop()
                try:
                    r = await http.post("/api/bookings", json=body)
                except httpx.TransportError:
                    sent.unanswered.append(key)
                    return
                if r.status_code != 201:
                    sent.refused.append((key, r.status_code, r.text[:300]))
                    continue
                answer = r.json()
                ids = [b["id"] for b in answer["bookings"]]
                if key.startswith("series"):
                    sent.series[key] = (answer["series_id"], ids)
                else:
                    sent.singles[key] = ids
                if len(sent.singles) >= MIN_ANSWERED and len(sent.series) >= MIN_ANSWERED:
                    sent.enough.set()

    await asyncio.gather(*(client() for _ in range(CLIENTS)))


async def _stored(url: str) -> dict[str, Any]:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as conn:
            b, o, s = t.bookings, t.occupancy, t.booking_series
            rows = (await conn.execute(sa.select(b.c.id, b.c.series_id, b.c.status, b.c.title)
                                       .where(b.c.title.like(f"{TITLE}%")))).all()
            held: dict[Any, int] = dict((await conn.execute(
                sa.select(o.c.booking_id, sa.func.count()).join(b, b.c.id == o.c.booking_id)
                .where(o.c.active, b.c.title.like(f"{TITLE}%")).group_by(o.c.booking_id))).all())
            series_ids = set((await conn.execute(sa.select(s.c.id))).scalars())
            overlaps = await datagen.overlapping_occupancy(conn)
    finally:
        await engine.dispose()
    return {"bookings": {str(r.id): r for r in rows}, "held": {str(k): v for k, v in held.items()},
            "series": {str(i) for i in series_ids}, "overlaps": overlaps}


async def _crash_and_check(url: str, workdir: Path) -> None:
    await asyncio.to_thread(upgrade, url)
    engine = create_async_engine(url)
    try:
        async with engine.begin() as conn:
            data = await datagen.generate(conn, datagen.QUICK, seed=20261122, progress=lambda _: None)
    finally:
        await engine.dispose()
    work = _work(data)
    assert len(work) >= 200, f"only {len(work)} independent requests in the data set"
    secret = secrets.token_urlsafe(48)  # the same key after the restart: the token stays valid
    server = Server(url, workdir, extra_env={"BOOKING_SECRET_KEY": secret})
    server.launch()
    sent = Sent()
    try:
        await server.wait_ready()
        _, email = data.staff[Role.PREMISES_STAFF]
        async with httpx.AsyncClient(base_url=server.base_url, timeout=10.0) as http:
            r = await http.post("/api/auth/tokens",
                                json={"email": email, "password": datagen.USER_PASSWORD, "name": "crash"})
            assert r.status_code == 201, r.text
            token = r.json()["token"]
        stop = asyncio.Event()
        load = asyncio.create_task(_load(server.base_url, token, work, sent, stop))
        # kill once enough was answered of both kinds (a busy machine is slow), while clients still send
        enough = asyncio.create_task(sent.enough.wait())
        await asyncio.wait({enough, load}, timeout=MAX_LOAD_SECONDS, return_when=asyncio.FIRST_COMPLETED)
        enough.cancel()
        await asyncio.sleep(random.uniform(0.05, 0.3))
        assert not load.done(), "the load ended before the kill: give it more work"
        assert server.process is not None
        os.kill(server.process.pid, signal.SIGKILL)  # no shutdown, no flush, no rollback
        server.process.wait()
        stop.set()
        await load
    finally:
        if server.process is not None and server.process.poll() is None:
            server.process.kill()
            server.process.wait()

    assert not sent.refused, sent.refused[:5]
    assert sent.unanswered, "the kill should have caught requests in flight"
    assert len(sent.singles) >= MIN_ANSWERED and len(sent.series) >= MIN_ANSWERED, (len(sent.singles),
                                                                                     len(sent.series))

    again = Server(url, workdir / "again", extra_env={"BOOKING_SECRET_KEY": secret})
    again.launch()
    try:
        await again.wait_ready()
        stored = await _stored(url)
        bookings, held = stored["bookings"], stored["held"]

        # every 201 is there, approved, holding its unit
        for key, ids in sent.singles.items():
            for ident in ids:
                assert ident in bookings, f"{key}: booking {ident} answered 201 but is gone"
                assert bookings[ident].status == BookingStatus.APPROVED
                assert held.get(ident) == 1, f"{key}: booking {ident} holds {held.get(ident)} units"
        by_series: dict[str, set[str]] = defaultdict(set)
        for ident, row in bookings.items():
            if row.series_id is not None:
                by_series[str(row.series_id)].add(ident)
        for key, (series_id, ids) in sent.series.items():
            assert len(ids) == WEEKS, f"{key}: the answer listed {len(ids)} occurrences"
            assert series_id in stored["series"], f"{key}: series {series_id} answered 201 but is gone"
            assert by_series[series_id] == set(ids), f"{key}: stored occurrences differ from the answer"

        # all or nothing, answered or not: a stored series has all its dates, each holding its unit;
        # no occurrence without its series; nothing stored beyond what was sent
        for series_id, members in by_series.items():
            assert series_id in stored["series"]
            assert len(members) == WEEKS, f"series {series_id} has {len(members)} of {WEEKS} occurrences"
        for ident, row in bookings.items():
            assert row.status == BookingStatus.APPROVED and held.get(ident) == 1, (ident, row.status, held.get(ident))
        answered = sum(len(ids) for ids in sent.singles.values()) + WEEKS * len(sent.series)
        in_flight = sum(WEEKS if k.startswith("series") else 1 for k in sent.unanswered)
        assert answered <= len(bookings) <= answered + in_flight
        assert stored["overlaps"] == 0

        # and the restarted server takes writes again
        key, body = work[-1]
        async with httpx.AsyncClient(base_url=again.base_url, timeout=10.0,
                                     headers={"Authorization": f"Bearer {token}"}) as http:
            r = await http.post("/api/bookings", json=body)
            assert r.status_code == 201, r.text
    finally:
        again.stop()


async def test_sigkill_under_write_load_loses_no_answered_write_on_sqlite(tmp_path: Path) -> None:
    await _crash_and_check(f"sqlite+aiosqlite:///{tmp_path / 'crash.db'}", tmp_path)


async def test_sigkill_under_write_load_loses_no_answered_write_on_postgresql(tmp_path: Path) -> None:
    admin = _pg_admin_url()
    name = f"booking_crash_{os.getpid()}_{secrets.token_hex(3)}"
    try:
        await _pg_create_database(admin, name)
    except Exception as exc:  # unreachable server, refused login, ...
        if require("BOOKING_REQUIRE_POSTGRES"):
            pytest.fail(f"PostgreSQL not reachable: {exc} (BOOKING_REQUIRE_POSTGRES=1)")
        pytest.skip(reason=f"PostgreSQL not reachable: {exc}")
    try:
        await _crash_and_check(str(make_url(admin).set(database=name).render_as_string(hide_password=False)),
                               tmp_path)
    finally:
        with contextlib.suppress(Exception):
            await _pg_drop_database(admin, name)
