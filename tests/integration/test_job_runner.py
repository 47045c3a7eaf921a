"""The hourly jobs run once per due time however many workers run them: several job runners (each
with connections of its own, as uvicorn workers have) at the same moment run each job once; two
create_app instances on one database, started together, run each job once and send each message
once. Both engines."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta

import pytest
import sqlalchemy as sa

from booking.adapters.db import tables as t
from booking.adapters.db.database import Database, connect
from booking.adapters.db.job_runner import Job, JobRunner, last_runs
from booking.adapters.db.maintenance import job_runner, scheduled_jobs
from booking.adapters.db.tables_jobs import job_runs
from booking.adapters.db.uow import SqlUnitOfWork
from booking.adapters.mail import Outgoing
from booking.api.app import create_app
from booking.config import Settings
from booking.domain.activities import services as act
from booking.domain.activities.model import Category
from booking.domain.municipalities.services import CreateMunicipality, create_municipality
from booking.domain.people.model import Account
from booking.domain.people.roles import Actor, Grant, Role
from booking.domain.shared.clock import Clock, FixedClock
from tests import conftest
from tests.conftest import FAST_HASHER, random_ref

NOW = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)  # Monday 13:00 in Stockholm: tomorrow's reminders are due
JOBS = {"prune", "lending", "lending_privacy", "activities", "matching_privacy"}


async def a_reminder_due(db: Database) -> None:
    """A guardian's child signed up for a session tomorrow: the activities job owes one reminder."""
    municipality = await create_municipality(CreateMunicipality("Testkommun", random_ref("m-")), SqlUnitOfWork(db))
    uow = SqlUnitOfWork(db)
    async with uow:
        admin = Account(municipality.id, f"admin.{municipality.slug}@example.se", "Admin")
        admin.grant(Role.ADMIN)
        guardian = Account(municipality.id, f"guardian.{municipality.slug}@example.se", "Vårdnadshavare")
        guardian.grant(Role.GUARDIAN)
        uow.accounts.add(admin)
        uow.accounts.add(guardian)
        await uow.commit()
    clock = FixedClock(NOW - timedelta(days=7))
    staff = Actor(admin.id, municipality.id, frozenset({Grant(Role.ADMIN)}))
    activity = await act.create_activity(act.ActivityDraft(
        title="Klättring", category=Category.SPORT, organiser="Fritid", age_min=6, age_max=15, place="Parken"),
        SqlUnitOfWork(db), staff)
    added = await act.add_sessions(act.NewSessions(activity.id, time(10), time(12), day=date(2027, 3, 2)),
                                   SqlUnitOfWork(db), staff, clock)
    await act.publish_activity(activity.id, SqlUnitOfWork(db), staff)
    parent = Actor(guardian.id, municipality.id, frozenset({Grant(Role.GUARDIAN)}))
    await act.sign_up(act.SignUp(added.sessions[0].id, (act.Child("Alva", 2016),)), SqlUnitOfWork(db), parent,
                      clock, act.Links("http://testserver"))


async def outbox_kinds(db: Database) -> Counter[str]:
    async with db.read_sessions() as session:
        return Counter((await session.execute(sa.select(t.outbox.c.kind))).scalars().all())


async def runs(db: Database) -> list[sa.Row]:
    async with db.read_sessions() as session:
        return list((await session.execute(sa.select(job_runs).order_by(job_runs.c.due_at, job_runs.c.job))).all())


async def test_workers_at_the_same_moment_run_each_job_once_per_hour(db: Database) -> None:
    await a_reminder_due(db)
    clock = FixedClock(NOW)
    workers = [db, *(connect(db.url, pool_size=2) for _ in range(3))]  # four workers, own connections
    try:
        runners = [job_runner(w, clock, None, worker=f"worker-{i}") for i, w in enumerate(workers)]
        done = await asyncio.gather(*(r.run_due() for r in runners))
        ran = Counter(job for d in done for job in d)
        assert ran == Counter(JOBS)  # each job by exactly one worker
        assert all(outcome is not None for d in done for outcome in d.values())  # and none failed
        assert (await outbox_kinds(db))["activity.reminder"] == 1
        rows = await runs(db)
        assert sorted(r.job for r in rows) == sorted(JOBS)
        assert all(r.due_at == NOW and r.finished_at == NOW and r.error is None for r in rows)
        activities = next(r for r in rows if r.job == "activities")
        assert activities.outcome["activity_reminders"] == 1

        # the same hour again: nobody runs anything
        assert [await r.run_due() for r in runners] == [{}, {}, {}, {}]
        # the next hour: each job once more, and the reminder, already sent, is not sent again
        clock.move_to(NOW + timedelta(hours=1, minutes=3))
        again = await asyncio.gather(*(r.run_due() for r in runners))
        assert Counter(job for d in again for job in d) == Counter(JOBS)
        assert (await outbox_kinds(db))["activity.reminder"] == 1
        latest = await last_runs(db)
        assert set(latest) == JOBS and {v["due_at"] for v in latest.values()} == {NOW + timedelta(hours=1)}
    finally:
        for w in workers[1:]:
            await w.dispose()


async def test_a_failing_job_is_recorded_and_the_others_run(db: Database) -> None:
    async def broken(_db: Database, _clock: Clock, _settings: Settings | None) -> dict[str, int]:
        raise RuntimeError("the mail server said no")

    async def fine(_db: Database, _clock: Clock, _settings: Settings | None) -> dict[str, int]:
        return {"fine": 1}

    hour = timedelta(hours=1)
    runner = JobRunner(db, FixedClock(NOW), None, [Job("broken", hour, broken), Job("fine", hour, fine)], "w")
    assert await runner.run_due() == {"broken": None, "fine": {"fine": 1}}
    rows = {r.job: r for r in await runs(db)}
    assert rows["broken"].error == "RuntimeError: the mail server said no"
    assert rows["fine"].outcome == {"fine": 1}


async def test_a_dead_workers_claim_is_taken_over_after_the_lease(db: Database) -> None:
    calls: list[str] = []

    def job(name: str) -> Job:
        async def run(_db: Database, _clock: Clock, _settings: Settings | None) -> dict[str, int]:
            calls.append(name)
            return {}
        return Job("reminders", timedelta(hours=1), run)

    clock = FixedClock(NOW)
    dead = JobRunner(db, clock, None, [job("dead")], "dead", lease=timedelta(minutes=30))
    assert await dead.claim(dead.jobs[0], NOW)  # claimed, then the worker died: never finished
    alive = JobRunner(db, clock, None, [job("alive")], "alive", lease=timedelta(minutes=30))
    clock.move_to(NOW + timedelta(minutes=10))
    assert await alive.run_due() == {}  # still within the dead worker's lease
    clock.move_to(NOW + timedelta(minutes=31))
    assert await alive.run_due() == {"reminders": {}}
    assert calls == ["alive"]
    (row,) = await runs(db)
    assert (row.claimed_by, row.finished_at) == ("alive", NOW + timedelta(minutes=31))


async def test_two_apps_started_together_run_each_job_once_and_send_each_message_once(
        db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two create_app on one database (two uvicorn workers), both with the outbox worker and the job
    runner, started at the same moment."""
    await a_reminder_due(db)
    mailed: list[tuple[str, str]] = []

    class Sent:  # the development sender each app builds without SMTP, recording instead of logging
        async def send(self, message: Outgoing) -> None:
            mailed.append((message.recipient, message.subject))
            await asyncio.sleep(0)

    monkeypatch.setattr("booking.adapters.db.maintenance.LogSender", Sent)
    other = connect(db.url, pool_size=5)
    try:
        settings = conftest.test_settings(outbox_worker=True)
        apps = [create_app(settings, db=d, hasher=FAST_HASHER, clock=FixedClock(NOW)) for d in (db, other)]
        async with apps[0].lifespan(), apps[1].lifespan():
            for _ in range(300):
                finished = [r for r in await runs(db) if r.finished_at is not None]
                async with db.read_sessions() as session:
                    pending = (await session.execute(sa.select(sa.func.count()).select_from(t.outbox)
                                                     .where(t.outbox.c.status == "pending"))).scalar_one()
                if len(finished) == len(scheduled_jobs()) and pending == 0 and (await outbox_kinds(db))[
                        "activity.reminder"]:
                    break
                await asyncio.sleep(0.1)
        rows = await runs(db)
        assert sorted(r.job for r in rows) == sorted(JOBS)  # one run of each job, by one of the two
        kinds = await outbox_kinds(db)
        assert (kinds["activity.confirmed"], kinds["activity.reminder"]) == (1, 1)
        assert len(mailed) == 2 and len(set(mailed)) == 2  # the confirmation and the reminder, each once
    finally:
        await other.dispose()
