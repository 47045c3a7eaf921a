"""Outbox delivery: a worker claims due messages and sends them over SMTP (aiosmtplib), or to
the log in development. Failed sends are retried with growing pauses; after MAX_ATTEMPTS the
message is marked failed and stays visible to staff.

Claiming: PostgreSQL `FOR UPDATE SKIP LOCKED`, so several workers never send one message twice;
SQLite's BEGIN IMMEDIATE gives one claimer at a time. A claimed message is pushed forward
(`next_attempt_at` = the claim's lease) before sending, so a worker that dies mid-send leaves it due
again later rather than lost. A worker still busy with a batch when its lease nears its end renews
the lease of the next message before sending it, and only while `next_attempt_at` is still its own
lease: a message another worker has taken over meanwhile is left to that worker, not sent twice."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Protocol

import aiosmtplib
import sqlalchemy as sa

from booking.adapters.db import tables as t
from booking.adapters.db.database import Database
from booking.domain.shared.clock import Clock

log = logging.getLogger("booking.mail")
MAX_ATTEMPTS = 8
CLAIM_LEASE = timedelta(minutes=5)
RENEW_WITHIN = timedelta(minutes=2)  # a lease ending sooner than this is renewed before sending


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8 ... minutes, at most six hours."""
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), timedelta(hours=6))


@dataclass(frozen=True)
class Outgoing:
    id: object
    recipient: str
    subject: str
    body: str
    attempts: int
    lease: datetime | None = None  # the claim's next_attempt_at, as this worker wrote it


class Sender(Protocol):
    async def send(self, message: Outgoing) -> None: ...


class LogSender:
    """Development: messages go to the log."""

    async def send(self, message: Outgoing) -> None:
        log.info("mail to %s: %s\n%s", message.recipient, message.subject, message.body)


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int = 587
    username: str | None = None
    password: str | None = None
    starttls: bool = True
    sender: str = "bokning@localhost"
    timeout: float = 20.0


class SmtpSender:
    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings

    async def send(self, message: Outgoing) -> None:
        email = EmailMessage()
        email["From"] = self.settings.sender
        email["To"] = message.recipient
        email["Subject"] = message.subject
        email["Message-ID"] = f"<{message.id}@{self.settings.sender.rpartition('@')[2] or 'booking'}>"
        email.set_content(message.body)
        await aiosmtplib.send(
            email, hostname=self.settings.host, port=self.settings.port, username=self.settings.username,
            password=self.settings.password, start_tls=self.settings.starttls if self.settings.username else None,
            timeout=self.settings.timeout,
        )


class OutboxWorker:
    """Delivers the outbox's e-mail; other channels (SMS) have their own delivery."""

    channel = "email"

    def __init__(self, db: Database, sender: Sender, clock: Clock, batch: int = 20) -> None:
        self.db, self.sender, self.clock, self.batch = db, sender, clock, batch

    async def _claim(self, now: datetime) -> list[Outgoing]:
        o = t.outbox
        due = sa.and_(o.c.status == "pending", o.c.channel == self.channel,
                      sa.or_(o.c.next_attempt_at.is_(None), o.c.next_attempt_at <= now))
        query = sa.select(o.c.id, o.c.recipient, o.c.subject, o.c.body, o.c.attempts).where(due) \
            .order_by(o.c.created_at).limit(self.batch)
        if self.db.dialect == "postgresql":
            query = query.with_for_update(skip_locked=True)
        lease = now + CLAIM_LEASE
        async with self.db.write_sessions() as session, session.begin():
            rows = (await session.execute(query)).all()
            if rows:
                await session.execute(sa.update(o).where(o.c.id.in_([r.id for r in rows]))
                                      .values(next_attempt_at=lease, updated_at=now))
        return [Outgoing(r.id, r.recipient, r.subject, r.body, r.attempts, lease) for r in rows]

    async def _still_ours(self, message: Outgoing) -> Outgoing | None:
        """The message with its lease renewed when it ends soon; None when it is no longer this worker's
        (the lease ran out and another worker claimed it, or it was sent meanwhile)."""
        now = self.clock.now()
        if message.lease is None or message.lease - now > RENEW_WITHIN:
            return message  # nobody can have claimed it: it is not due for anyone before the lease ends
        o = t.outbox
        lease = now + CLAIM_LEASE
        async with self.db.write_sessions() as session, session.begin():
            renewed = (await session.execute(
                sa.update(o).where(o.c.id == message.id, o.c.status == "pending", o.c.next_attempt_at == message.lease)
                .values(next_attempt_at=lease, updated_at=now).returning(o.c.id))).first()
        return replace(message, lease=lease) if renewed is not None else None

    async def _record(self, message: Outgoing, error: str | None) -> None:
        now = self.clock.now()
        o = t.outbox
        attempts = message.attempts + 1
        if error is None:
            values = {"status": "sent", "sent_at": now, "attempts": attempts, "last_error": None}
        elif attempts >= MAX_ATTEMPTS:
            values = {"status": "failed", "attempts": attempts, "last_error": error[:2000]}
        else:
            values = {"attempts": attempts, "last_error": error[:2000], "next_attempt_at": now + backoff(attempts)}
        async with self.db.write_sessions() as session, session.begin():
            await session.execute(sa.update(o).where(o.c.id == message.id).values(updated_at=now, **values))

    async def run_once(self) -> int:
        """Deliver what is due now; returns how many were sent."""
        sent = 0
        for claimed in await self._claim(self.clock.now()):
            message = await self._still_ours(claimed)
            if message is None:
                log.info("mail %s was taken over by another worker; not sent twice", claimed.id)
                continue
            try:
                await self.sender.send(message)
            except Exception as exc:  # any failure to deliver: retried later
                log.warning("mail to %s failed (attempt %d): %s", message.recipient, message.attempts + 1, exc)
                await self._record(message, f"{type(exc).__name__}: {exc}")
            else:
                await self._record(message, None)
                sent += 1
        return sent

    async def run_forever(self, interval: float = 5.0) -> None:
        while True:
            try:
                await self.run_once()
            except Exception:  # keep the worker alive; the next round retries
                log.exception("outbox round failed")
            await asyncio.sleep(interval)
