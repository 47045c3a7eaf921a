"""The SMS channel: a Sender protocol, a logging default (no SMS provider is wired by default), and delivery
of the outbox's `channel = 'sms'` messages, claimed like the e-mail worker claims its own.

A provider (e.g. an HTTP SMS gateway) implements `SmsSender.send(number, text)`; swap it in where
`deliver` is called. Messages are written in the transaction of the change (jobs_lending), so none is
lost while the gateway is down; failed sends are retried with the e-mail worker's back-off."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol

import sqlalchemy as sa

from booking.adapters.db import tables as t
from booking.adapters.db.database import Database
from booking.adapters.mail import MAX_ATTEMPTS, backoff
from booking.domain.shared.clock import Clock

log = logging.getLogger("booking.sms")
CHANNEL = "sms"
CLAIM_LEASE = timedelta(minutes=5)


@dataclass(frozen=True)
class Sms:
    id: object
    number: str
    text: str
    attempts: int


class SmsSender(Protocol):
    async def send(self, number: str, text: str) -> None: ...


class LogSmsSender:
    """The default: the message goes to the log (and the outbox row is marked sent)."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []

    async def send(self, number: str, text: str) -> None:
        self.sent.append((number, text))
        log.info("sms to %s: %s", number, text)


def sms_text(subject: str, body: str, limit: int = 480) -> str:
    """An SMS is short: the body without greeting lines, cut at three SMS segments."""
    text = " ".join(line.strip() for line in body.splitlines() if line.strip())
    return (text if text else subject)[:limit]


async def deliver(db: Database, sender: SmsSender, clock: Clock, batch: int = 50) -> int:
    """Send the due SMS messages of the outbox; answer how many were sent."""
    o = t.outbox
    now = clock.now()
    due = sa.and_(o.c.channel == CHANNEL, o.c.status == "pending",
                  sa.or_(o.c.next_attempt_at.is_(None), o.c.next_attempt_at <= now))
    query = sa.select(o.c.id, o.c.recipient, o.c.subject, o.c.body, o.c.attempts).where(due) \
        .order_by(o.c.created_at).limit(batch)
    if db.dialect == "postgresql":
        query = query.with_for_update(skip_locked=True)
    async with db.write_sessions() as session, session.begin():
        rows = (await session.execute(query)).all()
        if rows:
            await session.execute(sa.update(o).where(o.c.id.in_([r.id for r in rows]))
                                  .values(next_attempt_at=now + CLAIM_LEASE, updated_at=now))
    sent = 0
    for r in rows:
        values: dict[str, object]
        try:
            await sender.send(r.recipient, sms_text(r.subject, r.body))
        except Exception as exc:  # any failure: retried later
            attempts = r.attempts + 1
            values = {"attempts": attempts, "last_error": f"{type(exc).__name__}: {exc}"[:2000]}
            values.update({"status": "failed"} if attempts >= MAX_ATTEMPTS else
                          {"next_attempt_at": now + backoff(attempts)})
        else:
            values = {"status": "sent", "sent_at": now, "attempts": r.attempts + 1, "last_error": None}
            sent += 1
        async with db.write_sessions() as session, session.begin():
            await session.execute(sa.update(o).where(o.c.id == r.id).values(updated_at=now, **values))
    return sent
