"""Housekeeping: forget what has served its purpose (old sign-in failures, expired sessions and
idempotency keys, delivered mail). Runs hourly in the web process and as `booking maintenance`."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

import sqlalchemy as sa

from booking.adapters.db import tables as t
from booking.adapters.db.database import Database
from booking.config import Settings
from booking.domain.shared.clock import Clock

log = logging.getLogger("booking.maintenance")

KEEP_LOGIN_FAILURES = timedelta(days=1)
KEEP_EXPIRED_SESSIONS = timedelta(days=7)
KEEP_SENT_MAIL = timedelta(days=30)


async def prune(db: Database, clock: Clock) -> dict[str, int]:
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


async def run_jobs(db: Database, clock: Clock, settings: Settings | None) -> dict[str, int]:
    """The capabilities' scheduled work (reminders, anonymisation); each job is idempotent."""
    from booking.adapters import jobs_activities, jobs_lending, jobs_lending_privacy
    done: dict[str, int] = {}
    for job in (jobs_lending.run, jobs_lending_privacy.run, jobs_activities.run):
        try:
            done.update(await job(db, clock, settings))
        except Exception:  # one failing job must not stop the others
            log.exception("scheduled job %s failed", job.__module__)
    return done


async def prune_forever(db: Database, clock: Clock, settings: Settings | None = None,
                        interval: float = 3600.0) -> None:
    while True:
        try:
            removed = await prune(db, clock)
            if any(removed.values()):
                log.info("pruned %s", removed)
            done = await run_jobs(db, clock, settings)
            if any(done.values()):
                log.info("scheduled jobs did %s", done)
        except Exception:  # keep going; the next round tries again
            log.exception("maintenance round failed")
        await asyncio.sleep(interval)
