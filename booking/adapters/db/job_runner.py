"""Scheduled jobs run once per due time, however many workers run them.

Every web worker runs `JobRunner.run_forever` (and `booking maintenance` runs `run_due` once). A
job's due times are the multiples of its period since the epoch (hourly: each full hour, UTC). Before
running, a worker claims the due time by inserting the row (job, due_at) into `job_runs`; the unique
key lets exactly one insert through (PostgreSQL and SQLite alike), and the others find the row and
skip. The row records who ran it, when it finished, what it did (counts) or why it failed, so it also
says when each job last ran. A claim left unfinished longer than the lease (its worker died) may be
taken over by the next worker that looks; the jobs are idempotent, so that rare second run is harmless.
"""

from __future__ import annotations

import asyncio
import logging
import os
import random
import socket
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from booking.adapters.db.database import Database
from booking.adapters.db.tables_jobs import job_runs
from booking.config import Settings
from booking.domain.shared.clock import Clock
from booking.domain.shared.ids import new_id

log = logging.getLogger("booking.jobs")

JobFunction = Callable[[Database, Clock, Settings | None], Awaitable[dict[str, int]]]
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
LEASE = timedelta(minutes=30)  # an unfinished claim older than this is taken to be dead


@dataclass(frozen=True)
class Job:
    name: str
    every: timedelta
    run: JobFunction

    def due_at(self, now: datetime) -> datetime:
        """The latest due time at or before `now`."""
        periods = (now - EPOCH) // self.every
        return EPOCH + periods * self.every


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{new_id().hex[-6:]}"


class JobRunner:
    def __init__(self, db: Database, clock: Clock, settings: Settings | None, jobs: Sequence[Job],
                 worker: str | None = None, lease: timedelta = LEASE) -> None:
        self.db, self.clock, self.settings, self.jobs = db, clock, settings, tuple(jobs)
        self.worker = worker or worker_name()
        self.lease = lease

    async def claim(self, job: Job, due_at: datetime) -> bool:
        """Take the due time for this worker; False when another worker has it (or had it)."""
        r = job_runs
        now = self.clock.now()
        async with self.db.read_sessions() as session:  # most looks find it taken: no writer needed
            row = (await session.execute(sa.select(r.c.claimed_at, r.c.finished_at)
                                         .where(r.c.job == job.name, r.c.due_at == due_at))).first()
        if row is not None and (row.finished_at is not None or row.claimed_at > now - self.lease):
            return False
        async with self.db.write_sessions() as session, session.begin():
            if row is None:
                insert = (postgresql.insert(r) if self.db.dialect == "postgresql" else sqlite.insert(r))
                statement: Any = insert.values(
                    id=new_id(), job=job.name, due_at=due_at, claimed_by=self.worker, claimed_at=now,
                    created_at=now, updated_at=now).on_conflict_do_nothing(index_elements=["job", "due_at"])
            else:  # a dead worker's claim: take it over, unless someone else just did
                statement = sa.update(r).where(
                    r.c.job == job.name, r.c.due_at == due_at, r.c.finished_at.is_(None),
                    r.c.claimed_at == row.claimed_at).values(claimed_by=self.worker, claimed_at=now, updated_at=now)
            taken = (await session.execute(statement.returning(r.c.id))).first()
        return taken is not None

    async def _finish(self, job: Job, due_at: datetime, outcome: dict[str, int] | None, error: str | None) -> None:
        r = job_runs
        now = self.clock.now()
        async with self.db.write_sessions() as session, session.begin():
            await session.execute(sa.update(r).where(r.c.job == job.name, r.c.due_at == due_at,
                                                     r.c.claimed_by == self.worker)
                                  .values(finished_at=now, outcome=outcome, error=error, updated_at=now))

    async def run_due(self) -> dict[str, dict[str, int] | None]:
        """Run each job whose current due time this worker claims; answers what each run did (None:
        it failed; a job not in the answer was another worker's)."""
        done: dict[str, dict[str, int] | None] = {}
        for job in self.jobs:
            due_at = job.due_at(self.clock.now())
            try:
                if not await self.claim(job, due_at):
                    continue
            except Exception:  # the database is away: the next round looks again
                log.exception("could not claim job %s", job.name)
                continue
            try:
                outcome = await job.run(self.db, self.clock, self.settings)
            except Exception as exc:  # one failing job must not stop the others
                log.exception("scheduled job %s failed", job.name)
                done[job.name] = None
                await self._finish_quietly(job, due_at, None, f"{type(exc).__name__}: {exc}"[:2000])
            else:
                done[job.name] = outcome
                await self._finish_quietly(job, due_at, outcome, None)
        return done

    async def _finish_quietly(self, job: Job, due_at: datetime, outcome: dict[str, int] | None,
                              error: str | None) -> None:
        try:
            await self._finish(job, due_at, outcome, error)
        except Exception:
            log.exception("could not record the run of job %s", job.name)

    def seconds_to_next_due(self) -> float:
        now = self.clock.now()
        return min((job.due_at(now) + job.every - now).total_seconds() for job in self.jobs)

    async def run_forever(self, tick: float = 300.0) -> None:
        """Look every `tick` seconds at most, and just after each due time (plus a little jitter, so
        the workers do not all knock at once)."""
        while True:
            try:
                done = await self.run_due()
                if any(done.values()):
                    log.info("scheduled jobs did %s", {k: v for k, v in done.items() if v})
            except Exception:  # keep going; the next round tries again
                log.exception("scheduled jobs round failed")
            await asyncio.sleep(min(max(self.seconds_to_next_due(), 1.0), tick) + random.uniform(0, 2))  # noqa: S311 jitter, not a secret


async def last_runs(db: Database) -> dict[str, dict[str, Any]]:
    """When each job last ran, who ran it and what it did (for an operator or a health page)."""
    r = job_runs
    latest = sa.select(r.c.job, sa.func.max(r.c.due_at).label("due_at")).group_by(r.c.job).subquery()
    query = sa.select(r).join(latest, sa.and_(r.c.job == latest.c.job, r.c.due_at == latest.c.due_at))
    async with db.read_sessions() as session:
        rows = (await session.execute(query)).all()
    return {row.job: {"due_at": row.due_at, "claimed_by": row.claimed_by, "finished_at": row.finished_at,
                      "outcome": row.outcome, "error": row.error} for row in rows}
