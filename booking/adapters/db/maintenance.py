"""Every background job of booking, registered here and nowhere else.

The rule: a job that runs outside a request is listed in this module, and both places that run jobs
read it: the web process's lifespan starts `background_work(...)` (the outbox worker and the job
runner), and `booking maintenance` calls `run_jobs(...)` once. A new job is a line in `JOBS`; nothing
else starts one.

- `JOBS`: the periodic jobs. Each is idempotent and runs once per due time across all workers
  (job_runner.py claims the due time in `job_runs`): pruning what has served its purpose (old sign-in
  failures, expired sessions and idempotency keys, delivered mail) and the capabilities' hourly work
  (reminders, SMS delivery, anonymisation).
- the outbox worker: delivers e-mail continuously (every few seconds), claiming each message, so any
  number of web workers may run it. `booking maintenance` does not deliver mail.
"""
from __future__ import annotations

import logging
from collections.abc import Coroutine
from datetime import timedelta
from typing import Any

import sqlalchemy as sa

from booking.adapters import jobs_activities, jobs_lending, jobs_lending_privacy, jobs_matching
from booking.adapters.db import tables as t
from booking.adapters.db.database import Database
from booking.adapters.db.job_runner import Job, JobRunner
from booking.adapters.mail import LogSender, OutboxWorker, Sender, SmtpSender, SmtpSettings
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


JOBS: tuple[Job, ...] = (
    Job("prune", HOURLY, prune),
    Job("lending", HOURLY, jobs_lending.run),
    Job("lending_privacy", HOURLY, jobs_lending_privacy.run),
    Job("activities", HOURLY, jobs_activities.run),
    Job("matching_privacy", HOURLY, jobs_matching.run),
)


def scheduled_jobs() -> tuple[Job, ...]:
    """`JOBS` (the name older callers use)."""
    return JOBS


def job_runner(db: Database, clock: Clock, settings: Settings | None, worker: str | None = None) -> JobRunner:
    return JobRunner(db, clock, settings, JOBS, worker)


async def run_jobs(db: Database, clock: Clock, settings: Settings | None) -> dict[str, int]:
    """`booking maintenance`: run the jobs due this hour that no worker has run yet; answers the counts of
    what was done."""
    done: dict[str, int] = {}
    for outcome in (await job_runner(db, clock, settings).run_due()).values():
        done.update(outcome or {})
    return done


def mail_sender(settings: Settings) -> Sender:
    """SMTP when a host is configured, else the log (development)."""
    if not settings.smtp_host:
        return LogSender()
    return SmtpSender(SmtpSettings(settings.smtp_host, settings.smtp_port, settings.smtp_username,
                                   settings.smtp_password, sender=settings.mail_sender))


def background_work(db: Database, clock: Clock, settings: Settings) -> list[Coroutine[Any, Any, None]]:
    """What a web process runs beside its requests, for its lifespan to start as tasks (and cancel at
    shutdown): the outbox worker and the job runner. None when `settings.outbox_worker` is off."""
    if not settings.outbox_worker:
        return []
    return [OutboxWorker(db, mail_sender(settings), clock).run_forever(),
            job_runner(db, clock, settings).run_forever()]
