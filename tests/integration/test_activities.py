"""Holiday activities against real databases: sessions across the DST change, and storms of
sign-ups and cancellations that must never confirm more than the places there are."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from uuid import UUID
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from booking.adapters.db import tables as t
from booking.adapters.db import tables_activities as ta
from booking.adapters.db.database import Database, connect
from booking.adapters.db.uow import SqlUnitOfWork
from booking.domain.activities import services as act
from booking.domain.activities.lov import LovKind
from booking.domain.activities.model import Category, RegistrationStatus
from booking.domain.municipalities.model import Area, Municipality
from booking.domain.people.model import Account
from booking.domain.people.roles import Actor, Role
from booking.domain.premises import booking_services as premises
from booking.domain.premises.attendance import Gender
from booking.domain.premises.calendar import OpeningHours, Window
from booking.domain.premises.model import Site, Space, SpaceKind
from booking.domain.shared.clock import FixedClock
from booking.domain.shared.errors import Conflict
from tests.conftest import random_ref

STOCKHOLM = ZoneInfo("Europe/Stockholm")
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
CLOCK = FixedClock(NOW)
LINKS = act.Links("http://testserver")
EVERY_DAY = [OpeningHours(tuple(Window(d, time(8, 0), time(22, 0)) for d in range(7)))]


@dataclass
class Place:
    municipality: Municipality
    staff: Actor
    space: Space
    guardians: list[Actor]


async def make_place(db: Database, guardians: int = 2) -> Place:
    uow = SqlUnitOfWork(db)
    async with uow:
        municipality = Municipality("Lovkommun", random_ref("m-"))
        uow.municipalities.add(municipality)
        m = municipality.id
        area = Area(m, "Nacksta", population_0_17=1200)
        uow.areas.add(area)
        site = Site(m, "Fritidsgården", "Vägen 2", "85350", "Sundsvall", area.id)
        uow.sites.add(site)
        space = Space(m, site.id, "Stora salen", SpaceKind.HALL, 60)
        uow.spaces.add(space)
        staff = Account(m, f"fritid.{m.hex[:6]}@example.se", "Fritidsledare")
        staff.grant(Role.ACTIVITIES_STAFF)
        uow.accounts.add(staff)
        parents = []
        for i in range(guardians):
            parent = Account(m, f"vh{i}.{m.hex[:6]}@example.se", f"Vårdnadshavare {i}")
            parent.grant(Role.GUARDIAN)
            uow.accounts.add(parent)
            parents.append(parent)
        await uow.commit()
    await premises.set_opening_hours(space.id, EVERY_DAY, SqlUnitOfWork(db), staff.actor())
    return Place(municipality, staff.actor(), space, [p.actor() for p in parents])


async def published_activity(db: Database, place: Place, space: bool = True, capacity: int = 30) -> UUID:
    activity = await act.create_activity(act.ActivityDraft(
        title="Prova på parkour", category=Category.SPORT, organiser="Fritid Sundsvall", age_min=6, age_max=15,
        space_id=place.space.id if space else None, capacity=capacity), SqlUnitOfWork(db), place.staff)
    await act.publish_activity(activity.id, SqlUnitOfWork(db), place.staff)
    return activity.id


async def test_pasklov_2027_sessions_stay_at_ten_local_time_across_the_change(db: Database) -> None:
    place = await make_place(db)
    period = await act.set_period(LovKind.PASKLOV, 2027, date(2027, 3, 25), date(2027, 4, 1), SqlUnitOfWork(db),
                                  place.staff)
    activity_id = await published_activity(db, place)
    outcome = await act.add_sessions(act.NewSessions(activity_id, time(10), time(12), period_id=period.id),
                                     SqlUnitOfWork(db), place.staff, CLOCK)
    # Långfredagen (26th), påskafton (27th), påskdagen (28th) and annandag påsk (29th) the school is closed
    days = [s.starts_at.astimezone(STOCKHOLM).date() for s in outcome.sessions]
    assert days == [date(2027, 3, 25), date(2027, 3, 30), date(2027, 3, 31), date(2027, 4, 1)]
    assert {s["date"] for s in outcome.skipped} == {"2027-03-26", "2027-03-27", "2027-03-28", "2027-03-29"}
    async with db.read_sessions() as session:
        rows = (await session.execute(
            sa.select(ta.activity_sessions.c.starts_at, ta.activity_sessions.c.booking_id)
            .order_by(ta.activity_sessions.c.starts_at))).all()
        booked = (await session.execute(sa.select(t.bookings.c.id, t.bookings.c.status))).all()
    assert [(r.starts_at.astimezone(STOCKHOLM).hour, r.starts_at.hour) for r in rows] == [
        (10, 9), (10, 8), (10, 8), (10, 8)]
    # each session holds its room through an approved premises booking
    assert {r.booking_id for r in rows} == {b.id for b in booked}
    assert {str(b.status) for b in booked} == {"approved"}
    # the room is taken now: another booking at that time is a conflict premises reports
    with pytest.raises(Conflict):
        await act.add_sessions(act.NewSessions(activity_id, time(11), time(13), day=date(2027, 3, 25)),
                               SqlUnitOfWork(db), place.staff, CLOCK)


async def _confirmed_in_db(db: Database, session_id: UUID) -> tuple[int, int, list[int]]:
    r = ta.registrations
    async with db.read_sessions() as session:
        counter = (await session.execute(sa.select(ta.activity_sessions.c.confirmed)
                                         .where(ta.activity_sessions.c.id == session_id))).scalar_one()
        confirmed = (await session.execute(sa.select(r.c.queue_no).where(
            r.c.session_id == session_id, r.c.status == "confirmed").order_by(r.c.queue_no))).scalars().all()
    return counter, len(confirmed), list(confirmed)


@pytest.mark.slow
async def test_storm_200_sign_ups_for_30_places_and_cancellations_promote_in_order(db: Database) -> None:
    place = await make_place(db, guardians=200)
    activity_id = await published_activity(db, place, space=False, capacity=30)
    outcome = await act.add_sessions(act.NewSessions(activity_id, time(10), time(12), day=date(2027, 2, 22)),
                                     SqlUnitOfWork(db), place.staff, CLOCK)
    session_id = outcome.sessions[0].id
    clients = [connect(db.url, pool_size=1) for _ in range(32)]

    async def sign(i: int, barrier: asyncio.Barrier) -> act.SignedUp:
        await barrier.wait()
        signed = await act.sign_up(act.SignUp(session_id, (act.Child(f"Barn{i}", 2016),)),
                                   SqlUnitOfWork(clients[i % len(clients)]), place.guardians[i], CLOCK, LINKS)
        return signed[0]

    try:
        barrier = asyncio.Barrier(200)
        results = await asyncio.gather(*(sign(i, barrier) for i in range(200)))
        statuses = [r.registration.status for r in results]
        assert statuses.count(RegistrationStatus.CONFIRMED) == 30
        assert statuses.count(RegistrationStatus.WAITING) == 170
        counter, confirmed, queue = await _confirmed_in_db(db, session_id)
        assert (counter, confirmed) == (30, 30)
        assert queue == list(range(1, 31))  # the first 30 to reach the locked session got the places
        assert sorted(r.registration.queue_no for r in results) == list(range(1, 201))

        # ten confirmed children cancel at once: the ten first on the waiting list move up, no more
        leaving = [r for r in results if r.registration.status is RegistrationStatus.CONFIRMED][:10]

        async def cancel(k: int, signed: act.SignedUp, barrier: asyncio.Barrier) -> list[int]:
            await barrier.wait()
            _, promoted = await act.cancel_registration(SqlUnitOfWork(clients[k]), CLOCK, LINKS,
                                                        token=signed.cancel_token)
            return [p.queue_no for p in promoted]

        barrier = asyncio.Barrier(len(leaving))
        promoted = await asyncio.gather(*(cancel(k, s, barrier) for k, s in enumerate(leaving)))
        assert sorted(q for p in promoted for q in p) == list(range(31, 41))
        counter, confirmed, queue = await _confirmed_in_db(db, session_id)
        assert (counter, confirmed) == (30, 30)
        left = {s.registration.queue_no for s in leaving}
        assert queue == sorted(set(range(1, 41)) - left)
        async with db.read_sessions() as session:
            told = (await session.execute(sa.select(sa.func.count()).select_from(t.outbox)
                                          .where(t.outbox.c.kind == "activity.promoted"))).scalar_one()
        assert told == 10
    finally:
        await asyncio.gather(*(c.dispose() for c in clients))


async def test_the_database_refuses_more_confirmed_than_places(db: Database) -> None:
    place = await make_place(db)
    activity_id = await published_activity(db, place, space=False, capacity=2)
    outcome = await act.add_sessions(act.NewSessions(activity_id, time(10), time(12), day=date(2027, 2, 22)),
                                     SqlUnitOfWork(db), place.staff, CLOCK)
    with pytest.raises(sa.exc.IntegrityError):
        async with db.write_engine.begin() as conn:
            await conn.execute(sa.update(ta.activity_sessions).where(
                ta.activity_sessions.c.id == outcome.sessions[0].id).values(confirmed=3))


async def test_a_child_cannot_hold_two_overlapping_sessions(db: Database) -> None:
    place = await make_place(db)
    first = await published_activity(db, place, space=False)
    second = await published_activity(db, place, space=False)
    a = await act.add_sessions(act.NewSessions(first, time(10), time(12), day=date(2027, 2, 22)),
                               SqlUnitOfWork(db), place.staff, CLOCK)
    b = await act.add_sessions(act.NewSessions(second, time(11), time(13), day=date(2027, 2, 22)),
                               SqlUnitOfWork(db), place.staff, CLOCK)
    guardian = place.guardians[0]
    await act.sign_up(act.SignUp(a.sessions[0].id, (act.Child("Alva", 2016),)), SqlUnitOfWork(db), guardian,
                      CLOCK, LINKS)
    with pytest.raises(Conflict):
        await act.sign_up(act.SignUp(b.sessions[0].id, (act.Child("alva", 2016),)), SqlUnitOfWork(db), guardian,
                          CLOCK, LINKS)
    # a sibling may
    signed = await act.sign_up(act.SignUp(b.sessions[0].id, (act.Child("Bo", 2014),)), SqlUnitOfWork(db),
                               guardian, CLOCK, LINKS)
    assert signed[0].registration.status is RegistrationStatus.CONFIRMED


async def test_storm_one_child_signed_up_for_overlapping_sessions_at_once_gets_one(db: Database) -> None:
    """16 sign-ups of the same child for 16 overlapping sessions, released together (own connections):
    each locks a different session, so only the guardian's lock keeps the child to one of them."""
    place = await make_place(db)
    sessions = []
    for i in range(16):  # 16 activities whose sessions all overlap each other (10:00-12:00 to 10:45-12:45)
        activity_id = await published_activity(db, place, space=False)
        outcome = await act.add_sessions(act.NewSessions(activity_id, time(10, 3 * i), time(12, 3 * i),
                                                         day=date(2027, 2, 23)), SqlUnitOfWork(db), place.staff, CLOCK)
        sessions.append(outcome.sessions[0].id)
    clients = [connect(db.url, pool_size=1) for _ in range(len(sessions))]
    guardian = place.guardians[0]

    async def sign(i: int, barrier: asyncio.Barrier) -> bool:
        await barrier.wait()
        try:
            await act.sign_up(act.SignUp(sessions[i], (act.Child("Alva", 2016),)), SqlUnitOfWork(clients[i]),
                              guardian, CLOCK, LINKS)
        except Conflict:
            return False
        return True

    try:
        for _ in range(2):  # the second round: all refused, she holds one already
            barrier = asyncio.Barrier(len(sessions))
            await asyncio.gather(*(sign(i, barrier) for i in range(len(sessions))))
        async with db.read_sessions() as session:
            held = (await session.execute(sa.select(ta.registrations.c.session_id).where(
                ta.registrations.c.account_id == guardian.account_id,
                ta.registrations.c.status != RegistrationStatus.CANCELLED.value))).scalars().all()
        assert len(held) == 1, held
    finally:
        await asyncio.gather(*(c.dispose() for c in clients))


async def test_reminders_go_out_once_the_day_before_from_eight(db: Database) -> None:
    from booking.adapters import jobs_activities

    place = await make_place(db)
    activity_id = await published_activity(db, place, space=False)
    outcome = await act.add_sessions(act.NewSessions(activity_id, time(10), time(12), day=date(2027, 2, 22)),
                                     SqlUnitOfWork(db), place.staff, CLOCK)
    await act.sign_up(act.SignUp(outcome.sessions[0].id, (act.Child("Alva", 2016), act.Child("Bo", 2017))),
                      SqlUnitOfWork(db), place.guardians[0], CLOCK, LINKS)
    early = FixedClock(datetime(2027, 2, 21, 6, 30, tzinfo=UTC))  # 07:30 in Stockholm
    assert (await jobs_activities.run(db, early, None))["activity_reminders"] == 0
    two_days_before = FixedClock(datetime(2027, 2, 20, 12, 0, tzinfo=UTC))
    assert (await jobs_activities.run(db, two_days_before, None))["activity_reminders"] == 0
    morning = FixedClock(datetime(2027, 2, 21, 8, 0, tzinfo=UTC))
    assert (await jobs_activities.run(db, morning, None))["activity_reminders"] == 2
    assert (await jobs_activities.run(db, morning, None))["activity_reminders"] == 0  # once only
    async with db.read_sessions() as session:
        bodies = (await session.execute(sa.select(t.outbox.c.body).where(
            t.outbox.c.kind == "activity.reminder"))).scalars().all()
    assert len(bodies) == 2 and all("2027-02-22 10:00-12:00" in b for b in bodies)


async def test_old_sign_ups_lose_names_and_needs_but_the_statistics_stay(db: Database) -> None:
    from booking.adapters import jobs_activities
    from booking.adapters.db.queries_activities import ActivityQueries

    place = await make_place(db)
    activity_id = await published_activity(db, place, space=False)
    outcome = await act.add_sessions(act.NewSessions(activity_id, time(10), time(12), day=date(2027, 2, 22)),
                                     SqlUnitOfWork(db), place.staff, CLOCK)
    signed = await act.sign_up(act.SignUp(outcome.sessions[0].id, (
        act.Child("Alva", 2016, Gender.FEMALE, "Nötallergi"), act.Child("Bo", 2014, Gender.MALE))),
        SqlUnitOfWork(db), place.guardians[0], CLOCK, LINKS)
    queries = ActivityQueries(db)
    before = await queries.follow_up(place.municipality.id, date(2027, 2, 1), date(2027, 2, 28), STOCKHOLM)
    soon = FixedClock(datetime(2028, 2, 1, 12, tzinfo=UTC))  # a year later: kept
    assert (await jobs_activities.run(db, soon, None))["activity_registrations_anonymised"] == 0
    later = FixedClock(datetime(2029, 3, 1, 12, tzinfo=UTC))  # two years later: anonymised, once
    assert (await jobs_activities.run(db, later, None))["activity_registrations_anonymised"] == 2
    assert (await jobs_activities.run(db, later, None))["activity_registrations_anonymised"] == 0
    after = await queries.follow_up(place.municipality.id, date(2027, 2, 1), date(2027, 2, 28), STOCKHOLM)
    assert after == before
    rows = await queries.registrations_of_account(place.guardians[0].account_id)
    assert {(v.registration.first_name, v.registration.needs) for v in rows} == {("Anonym", None)}
    assert {v.registration.birth_year for v in rows} == {2016, 2014}
    assert {v.registration.id for v in rows} == {s.registration.id for s in signed}


async def test_the_listing_filters_on_both_engines(db: Database) -> None:
    from booking.adapters.db.queries_activities import ActivityQueries, SessionFilter

    place = await make_place(db)
    sport = await published_activity(db, place, space=False, capacity=1)
    culture = await act.create_activity(act.ActivityDraft(
        title="Teater", category=Category.CULTURE, organiser="Fritid", age_min=12, age_max=15, capacity=5),
        SqlUnitOfWork(db), place.staff)
    draft = await act.create_activity(act.ActivityDraft(
        title="Utkast", category=Category.CULTURE, organiser="Fritid", age_min=6, age_max=15),
        SqlUnitOfWork(db), place.staff)
    await act.publish_activity(culture.id, SqlUnitOfWork(db), place.staff)
    full = await act.add_sessions(act.NewSessions(sport, time(10), time(12), day=date(2027, 2, 22)),
                                  SqlUnitOfWork(db), place.staff, CLOCK)
    for activity_id in (culture.id, draft.id):
        await act.add_sessions(act.NewSessions(activity_id, time(13), time(15), day=date(2027, 2, 23)),
                               SqlUnitOfWork(db), place.staff, CLOCK)
    await act.sign_up(act.SignUp(full.sessions[0].id, (act.Child("Alva", 2016),)), SqlUnitOfWork(db),
                      place.guardians[0], CLOCK, LINKS)
    queries = ActivityQueries(db)
    m = place.municipality.id

    async def titles(**changes: object) -> list[str]:
        views, total = await queries.sessions(SessionFilter(m, **changes), STOCKHOLM)  # type: ignore[arg-type]
        assert total == len(views)
        return [v.activity.title for v in views]

    assert await titles() == ["Prova på parkour", "Teater"]  # the draft is not public
    assert await titles(age=7) == ["Prova på parkour"]
    assert await titles(category="kultur") == ["Teater"]
    assert await titles(free_only=True) == ["Teater"]
    assert await titles(first_day=date(2027, 2, 23)) == ["Teater"]
    assert await titles(last_day=date(2027, 2, 22)) == ["Prova på parkour"]
    views, _ = await queries.sessions(SessionFilter(m), STOCKHOLM)
    assert [(v.free_places, v.waiting) for v in views] == [(0, 0), (5, 0)]
