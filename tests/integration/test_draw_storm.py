"""A storm on a holiday's draw, on both engines: staff publish the draw while guardians withdraw children
from it, cancel fresh registrations (first-come ones with a waiting list, and the draw's own as soon as
they appear) and try first-come sign-up on the draw's sessions.

Clients with their own connections are released together by a barrier. What a guardian or the staff
would notice: no request fails with a server error (a lock conflict the database settles by refusing a
transaction is run again, as the API's retry middleware does); no session ends over its capacity and
every session's counter equals its confirmed registrations; a child withdrawn without a refusal never
ends up with a place from the draw (no lost withdrawal); a registration cancelled without a refusal stays
cancelled (no lost cancellation); the draw ends published exactly once."""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, time
from typing import Any
from uuid import UUID

import pytest
import sqlalchemy as sa

from booking.adapters.db import invariants
from booking.adapters.db import tables_activities as ta
from booking.adapters.db.database import Database, connect
from booking.adapters.db.transient import TransientDatabaseError
from booking.adapters.db.uow import SqlUnitOfWork
from booking.domain.activities import services as act
from booking.domain.activities.draw_model import DrawStatus, HolidayDraw
from booking.domain.activities.lov import LovKind
from booking.domain.activities.model import Category, child_key
from booking.domain.activities.sign_up_rules import Child
from booking.domain.municipalities.model import Municipality
from booking.domain.people.model import Account
from booking.domain.people.roles import Actor, Role
from booking.domain.shared.clock import FixedClock
from booking.domain.shared.errors import DomainError
from tests.conftest import random_ref

WISHING = datetime(2027, 1, 5, 9, 0, tzinfo=UTC)
DEADLINE = datetime(2027, 1, 15, 11, 0, tzinfo=UTC)
PUBLISHING = datetime(2027, 1, 20, 9, 0, tzinfo=UTC)
DRAW_DAYS = [date(2027, 2, 16), date(2027, 2, 17), date(2027, 2, 18), date(2027, 2, 19)]  # sportlov, week 7
LATER_DAY = date(2027, 2, 24)  # after the holiday: first come as ever
GUARDIANS = 24
CAPACITY = 4
ATTEMPTS = 3  # as booking/api/retry.py
LINKS = act.Links("http://testserver")
ACTIVITIES = [Role.ACTIVITIES_STAFF]
ACTIVITY_INVARIANTS = [i.name for i in invariants.INVARIANTS if i.name.startswith("activities.")]


async def _retried(call: Callable[[], Awaitable[Any]]) -> Any:
    """Run again what the database refused as a lock conflict, as the API's retry middleware does."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return await call()
        except TransientDatabaseError:
            if attempt == ATTEMPTS:
                raise
            await asyncio.sleep(0.05 * attempt)
    return None


async def _world(db: Database, clock: FixedClock) -> tuple[Actor, list[Actor], list[UUID], UUID, HolidayDraw]:
    uow = SqlUnitOfWork(db)
    async with uow:
        municipality = Municipality("Testkommun", random_ref("m-"))
        uow.municipalities.add(municipality)
        m = municipality.id
        staff = Account(m, f"staff.{m.hex[:8]}@example.se", "Fritid")
        staff.grant(Role.ACTIVITIES_STAFF)
        uow.accounts.add(staff)
        guardians = []
        for i in range(GUARDIANS):
            guardian = Account(m, f"guardian{i}.{m.hex[:8]}@example.se", f"Vårdnadshavare {i}")
            guardian.grant(Role.GUARDIAN)
            uow.accounts.add(guardian)
            guardians.append(guardian)
        await uow.commit()
    admin = staff.actor()
    sessions: list[UUID] = []
    for n, day in enumerate([*DRAW_DAYS, LATER_DAY]):
        activity = await act.create_activity(act.ActivityDraft(
            title=f"Aktivitet {n}", category=Category.SPORT, organiser="Fritid", age_min=6, age_max=15,
            place=f"Plats {n}", capacity=CAPACITY if day != LATER_DAY else 3), SqlUnitOfWork(db), admin)
        added = await act.add_sessions(act.NewSessions(activity.id, time(10), time(12), day=day), SqlUnitOfWork(db),
                                       admin, clock)
        await act.publish_activity(activity.id, SqlUnitOfWork(db), admin)
        sessions.append(added.sessions[0].id)
    period = await act.set_period(LovKind.SPORTLOV, 2027, date(2027, 2, 15), date(2027, 2, 21), SqlUnitOfWork(db),
                                  admin)
    draw = await act.draw_settings.set_draw(period.id, act.draw_settings.DrawSettings(DEADLINE, 2),
                                            SqlUnitOfWork(db), admin, clock)
    return admin, [g.actor() for g in guardians], sessions, sessions[-1], draw


@pytest.mark.slow
async def test_guardians_cancel_while_staff_publish_the_draw_nothing_lost_nothing_overfilled(db: Database) -> None:
    clock = FixedClock(WISHING)
    staff, guardians, sessions, later, draw = await _world(db, clock)
    draw_sessions = sessions[:-1]
    rng = random.Random(20270120)
    for g in guardians:  # two children each, two or three wishes: 48 children for 16 places
        for name in ("Alva", "Bo"):
            wished = rng.sample(draw_sessions, rng.choice([2, 3]))
            await act.draw_wishes.put_child(draw.id, act.draw_wishes.PutChild(
                name, 2017, 2, tuple((s, False) for s in wished)), SqlUnitOfWork(db), g, clock)
    fresh: dict[UUID, UUID] = {}  # guardian -> their fresh first-come registration (3 confirmed, the rest waiting)
    for g in guardians[:12]:
        signed = await act.sign_up(act.SignUp(later, (Child("Cleo", 2016),)), SqlUnitOfWork(db), g, clock, LINKS)
        fresh[g.account_id] = signed[0].registration.id
    clock.move_to(PUBLISHING)
    await act.draw_run.run(draw.id, "storm", SqlUnitOfWork(db), staff, clock)

    clients = [connect(db.url, pool_size=1) for _ in range(GUARDIANS + 2)]
    outcomes: Counter[str] = Counter()
    errors: list[str] = []
    withdrawn: list[tuple[UUID, str]] = []  # (account, child key) withdrawn without a refusal
    cancelled: list[UUID] = []  # registrations cancelled without a refusal
    published: list[Any] = []

    async def attempt(what: str, call: Callable[[], Awaitable[Any]]) -> Any:
        try:
            result = await _retried(call)
        except DomainError as refused:  # a 4xx the page shows: published, already cancelled, a draw is open
            outcomes[f"{what}:{type(refused).__name__}"] += 1
            return None
        except Exception as exc:  # what would be a 5xx
            errors.append(f"{what}: {type(exc).__name__}: {str(exc).splitlines()[0][:200]}")
            return None
        outcomes[f"{what}:ok"] += 1
        return result if result is not None else True

    # Guardians come spread over the moments before and after the publishing (which starts a little
    # after the barrier), so withdrawals and sign-ups meet the draw both open and published.
    delays = [rng.uniform(0, 0.4) for _ in range(GUARDIANS)]

    async def publisher(client: Database, barrier: asyncio.Barrier) -> None:
        await barrier.wait()
        await asyncio.sleep(0.1)
        done = await attempt("publish", lambda: act.draw_publish.publish(draw.id, SqlUnitOfWork(client), staff,
                                                                          clock, LINKS))
        if done:
            published.append(done)

    async def guardian(i: int, client: Database, barrier: asyncio.Barrier) -> None:
        g = guardians[i]
        mine = [v.child for v in (await act.draw_wishes.my_children(draw.id, SqlUnitOfWork(client), g))[1]]
        await barrier.wait()
        await asyncio.sleep(delays[i])
        if i % 3 != 2:  # two in three withdraw a child at the moment of publishing
            child = mine[i % 2]
            if await attempt("withdraw", lambda: act.draw_wishes.withdraw_child(draw.id, child.id,
                                                                              SqlUnitOfWork(client), g, clock)):
                withdrawn.append((g.account_id, child.child_key))
        if g.account_id in fresh:  # cancel the fresh first-come registration: the waiting list moves up
            registration_id = fresh[g.account_id]
            if await attempt("cancel-fresh", lambda: act.cancel_registration(
                    SqlUnitOfWork(client), clock, LINKS, actor=g, registration_id=registration_id)):
                cancelled.append(registration_id)
        if i % 3 == 2:  # the others cancel their draw places the moment they appear, or sign up late
            for _ in range(40):
                async with client.read_sessions() as s:
                    ids = (await s.execute(sa.select(ta.registrations.c.id).where(
                        ta.registrations.c.account_id == g.account_id,
                        ta.registrations.c.session_id.in_(draw_sessions),
                        ta.registrations.c.status != "cancelled"))).scalars().all()
                if ids:
                    for registration_id in ids:
                        if await attempt("cancel-drawn", lambda r=registration_id: act.cancel_registration(
                                SqlUnitOfWork(client), clock, LINKS, actor=g, registration_id=r)):
                            cancelled.append(registration_id)
                    break
                late = await attempt("sign-up-late", lambda: act.sign_up(act.SignUp(
                    rng.choice(draw_sessions), (Child(f"Sen{i}", 2015),)), SqlUnitOfWork(client), g, clock, LINKS))
                if late:
                    break
                await asyncio.sleep(0.02)

    barrier = asyncio.Barrier(GUARDIANS + 2)
    try:
        await asyncio.gather(publisher(clients[0], barrier), publisher(clients[1], barrier),
                             *(guardian(i, clients[i + 2], barrier) for i in range(GUARDIANS)))
    finally:
        await asyncio.gather(*(c.dispose() for c in clients))

    assert errors == [], errors
    assert len(published) == 1, outcomes  # the second publisher is refused: already published
    broken = {k: n for k, n in (await invariants.check(db, ACTIVITY_INVARIANTS)).items() if n}
    assert broken == {}, {k: await invariants.examples(db, k) for k in broken}
    async with db.read_sessions() as s:
        regs = (await s.execute(sa.select(ta.registrations.c.id, ta.registrations.c.account_id,
                                          ta.registrations.c.child_key, ta.registrations.c.session_id,
                                          ta.registrations.c.status))).all()
        rows = (await s.execute(sa.select(ta.activity_sessions.c.id, ta.activity_sessions.c.confirmed,
                                          ta.activity_sessions.c.capacity))).all()
    assert all(0 <= r.confirmed <= r.capacity for r in rows)
    drawn = {(r.account_id, r.child_key) for r in regs if r.session_id in draw_sessions}
    assert not drawn & set(withdrawn), "a child withdrawn before publishing got a place"
    status = {r.id: r.status for r in regs}
    assert all(status[r] == "cancelled" for r in cancelled), "a cancellation was lost"
    assert outcomes["publish:ok"] == 1 and outcomes["withdraw:ok"] + outcomes["withdraw:Conflict"] == 16, outcomes
    assert published[0].registrations > 0 and child_key("Alva") == "alva"
    async with SqlUnitOfWork(db) as uow:
        final = await uow.draws.get(draw.id)
        assert final is not None and final.status is DrawStatus.PUBLISHED
