"""Publishing an allocation round against real databases: a storm of clients publishing the same
round while others book single times on the granted slots. The round is published once (one series
per granted application, every publish answers the same report), and no unit is ever double-booked."""

from __future__ import annotations

import asyncio
from datetime import date, time, timedelta
from typing import Any

import sqlalchemy as sa

from booking.adapters.db import tables as t
from booking.adapters.db.database import Database, connect
from booking.adapters.db.uow import SqlUnitOfWork
from booking.domain.premises import allocation_services as allocation
from booking.domain.premises import booking_services as bookings
from booking.domain.premises.allocation import AgeBand, AllocationRound, Application, RoundState
from booking.domain.shared.clock import FixedClock
from booking.domain.shared.errors import Conflict
from tests.integration.test_bookings import NOW, active_overlaps, make_town

FIRST, LAST = date(2027, 1, 11), date(2027, 3, 7)  # 8 weeks, no public holiday on Tue-Thu


async def _allocated_round(db: Database) -> tuple[Any, AllocationRound]:
    town = await make_town(db)
    m = town.municipality.id
    uow = SqlUnitOfWork(db)
    async with uow:
        round_ = AllocationRound(m, "Vårsäsongen", FIRST, LAST, NOW - timedelta(hours=1), state=RoundState.OPEN)
        uow.allocation.add_round(round_)
        await uow.session.flush()
        for title, space, weekday in (("Hela hallen", town.hall, 1), ("Halva A", town.part_a, 2),
                                      ("Gympa", town.gym, 3)):
            uow.allocation.add_application(Application(
                m, round_.id, town.association.id, title, AgeBand.TEENS, 20, 90,
                [{"space_id": str(space.id), "weekday": weekday, "start": "18:00"}], town.staff.account_id,
                NOW - timedelta(days=3)))
        await uow.commit()
    allocated = await allocation.run_allocation(round_.id, SqlUnitOfWork(db), town.staff, FixedClock(NOW))
    assert [d["outcome"] for d in allocated.proposal or []] == ["granted"] * 3
    return town, allocated


async def test_storm_of_publishers_and_bookers_publishes_once_and_never_double_books(db: Database) -> None:
    town, round_ = await _allocated_round(db)
    clock = FixedClock(NOW)
    clients = [connect(db.url, pool_size=1) for _ in range(12)]
    # single bookings by staff (approved at once) on two of the granted Tuesdays: whole hall and a half
    targets = [(town.hall, date(2027, 1, 19)), (town.part_a, date(2027, 1, 19)), (town.part_a, date(2027, 2, 2))]
    try:
        barrier = asyncio.Barrier(len(clients))

        async def publisher(client: Database) -> Any:
            await barrier.wait()
            return await allocation.publish(round_.id, SqlUnitOfWork(client), town.staff, clock)

        async def booker(client: Database, i: int) -> str:
            space, day = targets[i % len(targets)]
            await barrier.wait()
            try:
                await bookings.request_booking(bookings.RequestBooking(
                    space.id, "Prova på", day, time(18, 30), time(19, 30)), SqlUnitOfWork(client), town.staff, clock)
                return "booked"
            except Conflict:
                return "taken"

        results = await asyncio.gather(*(publisher(c) if i % 2 == 0 else booker(c, i)
                                         for i, c in enumerate(clients)))
    finally:
        await asyncio.gather(*(c.dispose() for c in clients))

    reports = [r.report for r in results[0::2]]
    assert all(r == reports[0] for r in reports), "every publish answers the one report"
    assert {r.state for r in results[0::2]} == {RoundState.PUBLISHED}
    async with db.read_sessions() as session:
        series = (await session.execute(sa.select(sa.func.count()).select_from(t.booking_series))).scalar_one()
        approved = (await session.execute(sa.select(sa.func.count()).select_from(t.bookings).where(
            t.bookings.c.status == "approved", t.bookings.c.series_id.is_not(None)))).scalar_one()
    assert series == 3
    booked_report = sum(item["booked"] for item in reports[0] or [])
    assert approved == booked_report
    skipped = sum(len(item["skipped"]) for item in reports[0] or [])
    assert booked_report + skipped == 3 * 8  # every date either booked or reported
    assert await active_overlaps(db) == 0
