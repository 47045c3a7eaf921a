"""Housekeeping and the scheduled jobs: forget what has served its purpose (old sign-in failures,
expired sessions and idempotency keys, delivered mail), and the capabilities' hourly work
(reminders, anonymisation). Each job runs once per hour across all workers (job_runner.py): in the
web processes' job runner and in `booking maintenance`."""

from __future__ import annotations

import logging
from datetime import timedelta

import sqlalchemy as sa

from booking.adapters.db import tables as t
from booking.adapters.db.database import Database
from booking.adapters.db.job_runner import Job, JobRunner
from booking.config import Settings
from booking.domain.shared.clock import Clock

log = logging.getLogger("booking.maintenance")

KEEP_LOGIN_FAILURES = timedelta(days=1)
KEEP_EXPIRED_SESSIONS = timedelta(days=7)
KEEP_SENT_MAIL = timedelta(days=30)
HOURLY = timedelta(hours=1)


async def prune(db: Database, clock: Clock, settings: Settings | None = None) -> dict[str, int]:
    now = clock.now()
    statements = {
        "login_failures": sa.delete(t.login_failures).where(t.login_failures.c.created_at < now - KEEP_LOGIN_FAILURES),
        "auth_sessions": sa.delete(t.auth_sessions).where(t.auth_sessions.c.expires_at < now - KEEP_EXPIRED_SESSIONS),
        "idempotency_keys": sa.delete(t.idempotency_keys).where(t.idempotency_keys.c.expires_at < now),
        "outbox": sa.delete(t.outbox).where(t.outbox.c.status == "sent", t.outbox.c.sent_at < now - KEEP_SENT_MAIL),
    }
    removed: dict[str, int] = {}
    async with db.write_sessions() as session, session.begin():
        for name, statement in statements.items():
            removed[name] = int((await session.execute(statement)).rowcount or 0)  # type: ignore[attr-defined]
    return removed


def scheduled_jobs() -> tuple[Job, ...]:
    """Pruning and the capabilities' jobs; each is idempotent and runs once an hour."""
    from booking.adapters import jobs_activities, jobs_lending, jobs_lending_privacy
    return (Job("prune", HOURLY, prune), Job("lending", HOURLY, jobs_lending.run),
            Job("lending_privacy", HOURLY, jobs_lending_privacy.run),
            Job("activities", HOURLY, jobs_activities.run))


def job_runner(db: Database, clock: Clock, settings: Settings | None, worker: str | None = None) -> JobRunner:
    return JobRunner(db, clock, settings, scheduled_jobs(), worker)


async def run_jobs(db: Database, clock: Clock, settings: Settings | None) -> dict[str, int]:
    """Run the jobs due this hour that no worker has run yet; answers the counts of what was done."""
    done: dict[str, int] = {}
    for outcome in (await job_runner(db, clock, settings).run_due()).values():
        done.update(outcome or {})
    return done
