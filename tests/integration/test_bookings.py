"""Bookings against real databases: daylight saving, rules, approval, and storms that try to
double-book (the same slot, and a whole hall against its halves)."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from booking.adapters.db import tables as t
from booking.adapters.db.database import Database, connect
from booking.adapters.db.uow import SqlUnitOfWork
from booking.domain.municipalities.model import Municipality
from booking.domain.people.model import Account, Association, AssociationCategory
from booking.domain.people.roles import Actor, Role
from booking.domain.premises import booking_services as bookings
from booking.domain.premises.bookings import Booking, BookingStatus
from booking.domain.premises.calendar import OpeningHours, Window
from booking.domain.premises.model import Site, Space, SpaceKind
from booking.domain.shared.clock import FixedClock
from booking.domain.shared.errors import Conflict, ValidationError
from booking.domain.shared.timespan import TimeSpan
from tests.conftest import EmptyDatabase, random_ref, truncate_all

STOCKHOLM = ZoneInfo("Europe/Stockholm")
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
EVERY_DAY = [OpeningHours(tuple(Window(d, time(6, 0), time(23, 0)) for d in range(7)))]


class Town:
    def __init__(self, municipality: Municipality, staff: Actor, rep: Actor, association: Association,
                 hall: Space, part_a: Space, part_b: Space, gym: Space) -> None:
        self.municipality, self.staff, self.rep, self.association = municipality, staff, rep, association
        self.hall, self.part_a, self.part_b, self.gym = hall, part_a, part_b, gym


async def make_town(db: Database) -> Town:
    uow = SqlUnitOfWork(db)
    async with uow:
        municipality = Municipality("Testkommun", random_ref("m-"))
        uow.municipalities.add(municipality)
        m = municipality.id
        site = Site(m, "Skolan", "Vägen 1", "85350", "Sundsvall")
        uow.sites.add(site)
        hall = Space(m, site.id, "Hallen", SpaceKind.HALL, 120, buffer_minutes=15)
        gym = Space(m, site.id, "Gympasalen", SpaceKind.GYM, 30, min_notice_hours=0)
        uow.spaces.add(hall)
        uow.spaces.add(gym)
        await uow.session.flush()
        part_a = Space(m, site.id, "Hallen A", SpaceKind.HALL, 60, parent_id=hall.id, buffer_minutes=15)
        part_b = Space(m, site.id, "Hallen B", SpaceKind.HALL, 60, parent_id=hall.id, buffer_minutes=15)
        uow.spaces.add(part_a)
        uow.spaces.add(part_b)
        association = Association(m, "Test IF", "802479-4565", AssociationCategory.YOUTH)
        association.verified_at = NOW
        uow.associations.add(association)
        staff_account = Account(m, f"staff.{m.hex[:6]}@example.se", "Staff")
        staff_account.grant(Role.PREMISES_STAFF)
        rep_account = Account(m, f"rep.{m.hex[:6]}@example.se", "Rep")
        rep_account.grant(Role.ASSOCIATION_REP, association.id)
        uow.accounts.add(staff_account)
        uow.accounts.add(rep_account)
        await uow.commit()
    for space in (hall, part_a, part_b, gym):
        await bookings.set_opening_hours(space.id, EVERY_DAY, SqlUnitOfWork(db), staff_account.actor())
    return Town(municipality, staff_account.actor(), rep_account.actor(), association, hall, part_a, part_b, gym)


async def active_overlaps(db: Database) -> int:
    """Pairs of active occupancies of one unit that overlap: must always be zero."""
    a, b = t.occupancy.alias("a"), t.occupancy.alias("b")
    query = sa.select(sa.func.count()).select_from(a.join(b, sa.and_(
        a.c.unit_id == b.c.unit_id, a.c.id < b.c.id, a.c.active, b.c.active,
        a.c.starts_at < b.c.ends_at, b.c.starts_at < a.c.ends_at)))
    async with db.read_sessions() as session:
        return int((await session.execute(query)).scalar_one())


async def test_weekly_series_keeps_its_local_time_across_daylight_saving(db: Database) -> None:
    town = await make_town(db)
    outcome = await bookings.request_booking(bookings.RequestBooking(
        town.gym.id, "Innebandy P12", date(2027, 1, 14), time(18, 0), time(19, 30),
        association_id=town.association.id,
        recurrence=bookings.Recurrence(weekdays=(3,), until=date(2027, 6, 10))),
        SqlUnitOfWork(db), town.rep, FixedClock(NOW))
    stored = sorted(outcome.bookings, key=lambda b: b.starts_at)
    # Thursdays 2027-01-14 .. 2027-06-10, less Kristi himmelsfärdsdag (2027-05-06), which is closed
    assert {s["date"] for s in outcome.skipped} == {"2027-05-06"}
    assert len(stored) == 21
    async with db.read_sessions() as session:
        rows = (await session.execute(sa.select(t.bookings.c.starts_at, t.bookings.c.ends_at)
                                      .order_by(t.bookings.c.starts_at))).all()
    assert len(rows) == 21
    for start, end in rows:
        local = start.astimezone(STOCKHOLM)
        assert (local.hour, local.minute) == (18, 0)
        assert end - start == timedelta(minutes=90)
        expected_utc = 17 if start < datetime(2027, 3, 28, tzinfo=UTC) else 16
        assert start.hour == expected_utc
    assert all(b.status is BookingStatus.PENDING for b in stored)


async def test_a_booking_in_the_spring_gap_is_refused(db: Database) -> None:
    town = await make_town(db)
    with pytest.raises(ValidationError) as caught:
        await bookings.request_booking(bookings.RequestBooking(
            town.gym.id, "Nattpass", date(2027, 3, 28), time(2, 30), time(4, 0)),
            SqlUnitOfWork(db), town.staff, FixedClock(NOW))
    assert caught.value.problems[0].field == "start"
    assert caught.value.problems[0].code == "nonexistent-local-time"
    async with db.read_sessions() as session:
        assert (await session.execute(sa.select(sa.func.count()).select_from(t.bookings))).scalar() == 0


async def test_rules_say_which_rule_and_which_date(db: Database) -> None:
    town = await make_town(db)
    with pytest.raises(ValidationError) as caught:
        await bookings.request_booking(bookings.RequestBooking(
            town.gym.id, "Sent", date(2027, 1, 14), time(22, 0), time(23, 30)),
            SqlUnitOfWork(db), town.staff, FixedClock(NOW))
    problem = caught.value.problems[0]
    assert (problem.field, problem.code) == ("start", "opening-hours")
    assert problem.message.startswith("2027-01-14: Outside opening hours on Thursday (06:00-23:00)")
    with pytest.raises(ValidationError) as caught:
        await bookings.request_booking(bookings.RequestBooking(
            town.gym.id, "Långfredag", date(2027, 3, 26), time(10, 0), time(11, 0)),
            SqlUnitOfWork(db), town.staff, FixedClock(NOW))
    assert caught.value.problems[0].code == "holiday"
    assert "Långfredagen" in caught.value.problems[0].message


async def test_approval_holds_the_time_and_a_second_approval_is_refused(db: Database) -> None:
    town = await make_town(db)
    clock = FixedClock(NOW)
    requests = []
    for title in ("Först", "Sen"):
        outcome = await bookings.request_booking(bookings.RequestBooking(
            town.part_a.id, title, date(2027, 2, 4), time(18, 0), time(19, 0), association_id=town.association.id),
            SqlUnitOfWork(db), town.rep, clock)
        requests.append(outcome.bookings[0])  # pending requests do not hold time
    approved = await bookings.decide([requests[0].id], True, None, SqlUnitOfWork(db), town.staff, clock)
    assert approved.bookings[0].status is BookingStatus.APPROVED
    with pytest.raises(Conflict) as caught:
        await bookings.decide([requests[1].id], True, None, SqlUnitOfWork(db), town.staff, clock)
    assert caught.value.conflicts[0]["booking_id"] == str(requests[0].id)
    # the buffer: 19:00-20:00 collides with 18:00-19:00 plus 15 minutes of changeover
    with pytest.raises(Conflict):
        await bookings.request_booking(bookings.RequestBooking(
            town.hall.id, "Direkt efter", date(2027, 2, 4), time(19, 0), time(20, 0)),
            SqlUnitOfWork(db), town.staff, clock)
    # the other half is free
    free = await bookings.request_booking(bookings.RequestBooking(
        town.part_b.id, "Andra halvan", date(2027, 2, 4), time(18, 0), time(19, 0)),
        SqlUnitOfWork(db), town.staff, clock)
    assert free.bookings[0].status is BookingStatus.APPROVED
    # cancelling frees the time
    await bookings.cancel_booking(requests[0].id, "Inställt", SqlUnitOfWork(db), town.rep, clock)
    again = await bookings.decide([requests[1].id], True, None, SqlUnitOfWork(db), town.staff, clock)
    assert again.bookings[0].status is BookingStatus.APPROVED
    assert await active_overlaps(db) == 0


async def test_approving_a_series_takes_the_free_dates_and_reports_the_rest(db: Database) -> None:
    town = await make_town(db)
    clock = FixedClock(NOW)
    taken = await bookings.request_booking(bookings.RequestBooking(
        town.gym.id, "Kommunens event", date(2027, 2, 18), time(18, 0), time(20, 0)),
        SqlUnitOfWork(db), town.staff, clock)
    assert taken.bookings[0].status is BookingStatus.APPROVED
    series = await bookings.request_booking(bookings.RequestBooking(
        town.gym.id, "Basket", date(2027, 2, 4), time(18, 0), time(19, 0), association_id=town.association.id,
        recurrence=bookings.Recurrence(weekdays=(3,), count=4)), SqlUnitOfWork(db), town.rep, clock)
    # requested dates 02-04, 02-11, 02-18 (taken: left out and reported), 02-25
    assert [s["date"] for s in series.skipped] == ["2027-02-18"]
    assert series.series is not None
    ids = await bookings.series_booking_ids(series.series.id, SqlUnitOfWork(db), town.staff)
    # meanwhile 02-25 is taken too
    await bookings.request_booking(bookings.RequestBooking(
        town.gym.id, "Konsert", date(2027, 2, 25), time(17, 30), time(18, 30)), SqlUnitOfWork(db), town.staff, clock)
    decided = await bookings.decide(ids, True, None, SqlUnitOfWork(db), town.staff, clock)
    assert [b.starts_at.astimezone(STOCKHOLM).date().isoformat() for b in decided.bookings] == [
        "2027-02-04", "2027-02-11"]
    assert [s["date"] for s in decided.skipped] == ["2027-02-25"]
    assert await active_overlaps(db) == 0


@pytest.mark.slow
async def test_storm_same_slot_and_whole_hall_against_its_halves(db: Database) -> None:
    """32 clients with their own connections, released together, several rounds: zero overlaps."""
    town = await make_town(db)
    clock = FixedClock(NOW)
    clients = [connect(db.url, pool_size=1) for _ in range(32)]
    spaces = [town.hall, town.part_a, town.part_b]

    async def attempt(client: Database, barrier: asyncio.Barrier, space: Space, day: date) -> str:
        await barrier.wait()
        try:
            outcome = await bookings.request_booking(bookings.RequestBooking(
                space.id, f"Storm {uuid.uuid4().hex[:6]}", day, time(18, 0), time(19, 0)),
                SqlUnitOfWork(client), town.staff, clock)
        except Conflict:
            return "conflict"
        return f"won:{space.name}" if outcome.bookings[0].status is BookingStatus.APPROVED else "pending"

    try:
        for round_no in range(4):
            day = date(2027, 2, 1) + timedelta(days=round_no)
            barrier = asyncio.Barrier(len(clients))
            if round_no % 2 == 0:
                targets = [town.part_a] * len(clients)  # everyone wants the same half
            else:
                targets = [spaces[i % 3] for i in range(len(clients))]  # whole hall against its halves
            outcomes = await asyncio.gather(*(attempt(c, barrier, s, day) for c, s in zip(clients, targets,
                                                                                         strict=True)))
            winners = [o for o in outcomes if o.startswith("won")]
            assert "pending" not in outcomes
            if round_no % 2 == 0:
                assert winners == ["won:Hallen A"], outcomes
            else:
                # either the whole hall won, or each half went to one client
                assert sorted(winners) in (["won:Hallen"], ["won:Hallen A", "won:Hallen B"]), outcomes
            assert await active_overlaps(db) == 0
    finally:
        await asyncio.gather(*(c.dispose() for c in clients))


async def test_postgresql_itself_refuses_overlapping_occupancy(postgresql_database: EmptyDatabase) -> None:
    """The exclusion constraint is the last line: even a write that skips the services is refused.
    (SQLite has no exclusion constraints; there the serialized writers carry the rule.)"""
    db = connect(postgresql_database.url, pool_size=2)
    await truncate_all(db)
    try:
        await _overlap_is_refused(db)
    finally:
        await db.dispose()


async def _overlap_is_refused(db: Database) -> None:
    town = await make_town(db)
    outcome = await bookings.request_booking(bookings.RequestBooking(
        town.part_a.id, "Först", date(2027, 2, 4), time(18, 0), time(19, 0)), SqlUnitOfWork(db), town.staff,
        FixedClock(NOW))
    first = outcome.bookings[0]
    now = datetime.now(UTC)
    async with db.write_sessions() as session:
        with pytest.raises(sa.exc.IntegrityError, match="ex_occupancy_no_overlap"):
            async with session.begin():
                await session.execute(sa.insert(t.occupancy).values(
                    id=uuid.uuid4(), municipality_id=town.municipality.id, booking_id=first.id, unit_id=town.part_a.id,
                    starts_at=first.starts_at + timedelta(minutes=30), ends_at=first.ends_at + timedelta(hours=1),
                    active=True, created_at=now, updated_at=now))


async def test_storm_of_weekly_series_over_the_hall_and_its_halves(db: Database) -> None:
    """16 clients at once, each a staff series of three weeks on the hall or one of its halves,
    starting in different weeks: every requested date ends with a holder, each approved occurrence
    holds its units, nothing overlaps; what a series could not get is reported as skipped."""
    town = await make_town(db)
    clock = FixedClock(NOW)
    clients = [connect(db.url, pool_size=1) for _ in range(16)]
    spaces = [town.hall, town.part_a, town.part_b]
    first = date(2027, 2, 1)  # a Monday; no holiday in the six weeks

    async def attempt(i: int, client: Database, barrier: asyncio.Barrier) -> tuple[Space, bookings.Outcome | None]:
        space, start = spaces[i % 3], first + timedelta(weeks=i % 4)
        await barrier.wait()
        try:
            return space, await bookings.request_booking(bookings.RequestBooking(
                space.id, f"Serie {i}", start, time(18, 0), time(19, 30),
                recurrence=bookings.Recurrence(weekdays=(0,), count=3)), SqlUnitOfWork(client), town.staff, clock)
        except Conflict:  # every date taken already
            return space, None

    try:
        barrier = asyncio.Barrier(len(clients))
        results = await asyncio.gather(*(attempt(i, c, barrier) for i, c in enumerate(clients)))
    finally:
        await asyncio.gather(*(c.dispose() for c in clients))
    assert await active_overlaps(db) == 0
    got = [(space, b) for space, outcome in results if outcome for b in outcome.bookings]
    assert got and all(b.status is BookingStatus.APPROVED for _, b in got)
    for _, outcome in results:
        if outcome:
            assert len(outcome.bookings) + len(outcome.skipped) == 3
            assert {s["rule"] for s in outcome.skipped} <= {"conflict"}
    b, o = t.bookings, t.occupancy
    async with db.read_sessions() as session:
        rows = (await session.execute(sa.select(o.c.booking_id, sa.func.count()).where(o.c.active)
                                      .group_by(o.c.booking_id))).all()
        held: dict[uuid.UUID, int] = {r[0]: int(r[1]) for r in rows}
        stored = (await session.execute(sa.select(sa.func.count()).select_from(b)
                                        .where(b.c.status == BookingStatus.APPROVED))).scalar_one()
    assert stored == len(got)
    for space, booking in got:
        assert held[booking.id] == (2 if space is town.hall else 1)
    taken = {booking.starts_at.astimezone(STOCKHOLM).date() for _, booking in got}
    assert taken == {first + timedelta(weeks=w) for w in range(6)}  # every requested Monday has a holder


async def test_free_times_see_opening_hours_closed_periods_and_holiday_overrides(db: Database) -> None:
    """The availability of a space (read in one statement) on both engines: a period variation of the
    opening hours, a closed period of the site, a holiday kept open, an extra closed day."""
    town = await make_town(db)
    staff = town.staff
    hours = [*EVERY_DAY, OpeningHours((Window(2, time(10, 0), time(12, 0)),), date(2027, 1, 13), date(2027, 1, 13),
                                      "Kort dag")]
    await bookings.set_opening_hours(town.gym.id, hours, SqlUnitOfWork(db), staff)
    await bookings.close_time(bookings.CloseTime("Skolavslutning", date(2027, 1, 12), date(2027, 1, 12),
                                                 time(18, 0), time(20, 0), site_id=town.gym.site_id),
                              SqlUnitOfWork(db), staff)
    await bookings.override_holiday(date(2027, 1, 6), False, None, SqlUnitOfWork(db), staff)  # trettondedag: open
    await bookings.override_holiday(date(2027, 1, 14), True, "Personaldag", SqlUnitOfWork(db), staff)
    _, zone, plans = await bookings.availability_plan(town.gym.id, date(2027, 1, 5), date(2027, 1, 14),
                                                      SqlUnitOfWork(db, readonly=True))
    by_day = {plan.day: plan for plan, _ in plans}

    def local(spans: list[TimeSpan]) -> list[tuple[str, str]]:
        return [(f"{s.start.astimezone(zone):%H:%M}", f"{s.end.astimezone(zone):%H:%M}") for s in spans]

    assert local(by_day[date(2027, 1, 5)].free) == [("06:00", "23:00")]
    assert by_day[date(2027, 1, 6)].closed_reason is None  # the holiday kept open
    assert local(by_day[date(2027, 1, 6)].free) == [("06:00", "23:00")]
    assert local(by_day[date(2027, 1, 12)].free) == [("06:00", "18:00"), ("20:00", "23:00")]
    assert local(by_day[date(2027, 1, 13)].open) == [("10:00", "12:00")]  # the variation replaces the week
    assert by_day[date(2027, 1, 14)].closed_reason == "Personaldag"
    assert by_day[date(2027, 1, 14)].free == []
    ok = await bookings.request_booking(bookings.RequestBooking(town.gym.id, "Träning", date(2027, 1, 6), time(18, 0),
                                                                time(19, 0)), SqlUnitOfWork(db), staff, FixedClock(NOW))
    assert ok.bookings[0].status is BookingStatus.APPROVED
    with pytest.raises(ValidationError):
        await bookings.request_booking(bookings.RequestBooking(town.gym.id, "Träning", date(2027, 1, 14), time(18, 0),
                                                               time(19, 0)), SqlUnitOfWork(db), staff, FixedClock(NOW))


async def test_a_check_that_left_a_booking_out_does_not_let_another_take_its_time(db: Database) -> None:
    """hold() trusts an earlier clash check of its transaction only for what that check covered: a
    check that left booking X out (moving X) must not let booking Y onto X's time."""
    town = await make_town(db)
    held = (await bookings.request_booking(bookings.RequestBooking(
        town.gym.id, "Först", date(2027, 2, 8), time(18, 0), time(19, 0)), SqlUnitOfWork(db), town.staff,
        FixedClock(NOW))).bookings[0]
    units, buffer = frozenset({town.gym.id}), bookings.space_buffer(town.gym)
    uow = SqlUnitOfWork(db)
    async with uow:
        await uow.bookings.lock_units(units)
        assert await uow.bookings.clashes(units, held.span, buffer, held.id) == []  # X left out: free
        other = Booking(municipality_id=town.gym.municipality_id, space_id=town.gym.id, starts_at=held.starts_at,
                        ends_at=held.ends_at, booked_by=town.staff.account_id, title="Andra")
        uow.bookings.add(other)
        assert not await uow.bookings.hold(other, units, buffer)
        free_span = TimeSpan(held.starts_at + timedelta(hours=2), held.ends_at + timedelta(hours=2))
        assert await uow.bookings.clashes(units, free_span, buffer) == []
        third = Booking(municipality_id=town.gym.municipality_id, space_id=town.gym.id, starts_at=free_span.start,
                        ends_at=free_span.end, booked_by=town.staff.account_id, title="Tredje")
        uow.bookings.add(third)
        assert await uow.bookings.hold(third, units, buffer)
        fourth = Booking(municipality_id=town.gym.municipality_id, space_id=town.gym.id, starts_at=free_span.start,
                         ends_at=free_span.end, booked_by=town.staff.account_id, title="Fjärde")
        uow.bookings.add(fourth)
        assert not await uow.bookings.hold(fourth, units, buffer)  # the remembered check died with the hold
    assert await active_overlaps(db) == 0


async def test_storm_approving_a_move_against_bookings_of_its_new_time(db: Database) -> None:
    """An association's move waits for staff; while staff approve it, 31 clients try to book the
    wanted time (the whole hall, against the half the move wants). Exactly one side wins: if the move
    did, the old time is free and the new one held; if not, the move still waits and the old time
    holds. Zero overlapping occupancies, several rounds, both engines."""
    from booking.domain.premises import changes

    town = await make_town(db)
    clock = FixedClock(NOW)
    clients = [connect(db.url, pool_size=1) for _ in range(32)]

    async def approve(client: Database, barrier: asyncio.Barrier, change_id: uuid.UUID) -> str:
        await barrier.wait()
        try:
            await changes.decide_change(change_id, True, None, SqlUnitOfWork(client), town.staff, clock)
        except Conflict:
            return "refused"
        return "moved"

    async def book(client: Database, barrier: asyncio.Barrier, space: Space, day: date) -> str:
        await barrier.wait()
        try:
            await bookings.request_booking(bookings.RequestBooking(
                space.id, "Storm", day, time(19, 30), time(20, 30)), SqlUnitOfWork(client), town.staff, clock)
        except Conflict:
            return "conflict"
        return "booked"

    try:
        for round_no in range(3):
            day = date(2027, 3, 1) + timedelta(days=round_no)
            placed = await bookings.request_booking(bookings.RequestBooking(
                town.part_a.id, "Innebandy", day, time(17, 0), time(18, 0), town.association.id),
                SqlUnitOfWork(db), town.staff, clock)
            booking = placed.bookings[0]
            asked = await changes.move_booking(changes.MoveBooking(booking.id, day, time(19, 0), time(20, 0)),
                                               SqlUnitOfWork(db), town.rep, clock)
            assert asked.change_id is not None and asked.starts_at == booking.starts_at
            barrier = asyncio.Barrier(len(clients))
            spaces = [town.hall, town.part_a]
            outcomes = await asyncio.gather(approve(clients[0], barrier, asked.change_id), *(
                book(c, barrier, spaces[i % 2], day) for i, c in enumerate(clients[1:])))
            assert await active_overlaps(db) == 0
            booked = outcomes[1:].count("booked")
            async with db.read_sessions() as session:
                row = (await session.execute(sa.select(t.bookings.c.starts_at, t.bookings.c.change_id)
                                             .where(t.bookings.c.id == booking.id))).one()
                held = (await session.execute(sa.select(t.occupancy.c.starts_at).where(
                    t.occupancy.c.booking_id == booking.id, t.occupancy.c.active))).scalars().all()
            if outcomes[0] == "moved":
                assert booked == 0, outcomes
                assert row.change_id is None and row.starts_at.astimezone(STOCKHOLM).time() == time(19, 0)
                assert {h.astimezone(STOCKHOLM).time() for h in held} == {time(19, 0)}
            else:
                assert booked == 1, outcomes
                assert row.change_id == asked.change_id and row.starts_at == booking.starts_at
                assert {h.astimezone(STOCKHOLM).time() for h in held} == {time(17, 0)}
    finally:
        await asyncio.gather(*(c.dispose() for c in clients))
