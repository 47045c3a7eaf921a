"""Scheduled work of lending circulation, run once an hour by the job runner (maintenance.JOBS):
reminders (due soon, overdue, hold ready) through the outbox, expiry of the hold shelf, and delivery of
SMS messages.

Idempotent: each reminder is recorded in `lending_reminders` (unique per loan or hold, kind and step) in
the same transaction as its outbox message, so it goes out once however often the job runs."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from booking.adapters import sms
from booking.adapters.db import tables as t
from booking.adapters.db import tables_circulation as tc
from booking.adapters.db.database import Database
from booking.adapters.db.uow import SqlUnitOfWork
from booking.config import Settings
from booking.domain.lending import circulation_services as svc
from booking.domain.lending.circulation import DEFAULT_POLICY, HoldStatus, Policy
from booking.domain.lending.circulation_holds import lock_hold
from booking.domain.lending.reminders import loan_reminder, texts
from booking.domain.shared.clock import Clock
from booking.domain.shared.notifications import Message

SMS_SENDER: sms.SmsSender = sms.LogSmsSender()


async def _due_loans(db: Database, clock: Clock, policy: Policy = DEFAULT_POLICY) -> list[UUID]:
    """The open loans owing a reminder today that has not gone out yet, found with two reads.

    Only loans due within the reminder window are looked at (the partial index on open loans by
    due date), and those whose current reminder is already in the log are left out, so an hourly
    run with nothing to send opens no write transaction at all (SQLite has one writer)."""
    l, m, r = tc.lending_loans, t.municipalities, tc.lending_reminders  # noqa: E741
    now = clock.now()
    horizon = now.date() + timedelta(days=policy.due_soon_days + 1)  # +1: a zone ahead of UTC
    async with db.read_sessions() as session:
        rows = (await session.execute(
            sa.select(l.c.id, l.c.due_on, m.c.timezone).join(m, m.c.id == l.c.municipality_id)
            .where(l.c.returned_at.is_(None), l.c.borrower_id.is_not(None), l.c.return_reported_at.is_(None),
                   l.c.due_on <= horizon))).all()
        wanted: dict[UUID, tuple[str, int]] = {}
        for row in rows:
            due = loan_reminder(row.due_on, now.astimezone(ZoneInfo(row.timezone)).date(), policy)
            if due is not None:
                wanted[row.id] = due
        ids = list(wanted)
        for first in range(0, len(ids), 500):
            sent = await session.execute(sa.select(r.c.subject_id, r.c.kind, r.c.step)
                                         .where(r.c.subject_id.in_(ids[first:first + 500])))
            for subject_id, kind, step in sent:
                if wanted.get(subject_id) == (kind, step):
                    del wanted[subject_id]
    return list(wanted)


async def _ready_holds(db: Database) -> list[UUID]:
    h = tc.lending_holds
    async with db.read_sessions() as session:
        return list((await session.execute(sa.select(h.c.id).where(h.c.status == HoldStatus.READY.value)))
                    .scalars().all())


async def remind_loan(db: Database, loan_id: UUID, clock: Clock, policy: Policy = DEFAULT_POLICY) -> bool:
    """Queue the reminder this loan is due for today, unless it went out already."""
    uow = SqlUnitOfWork(db)
    async with uow:
        loan = await uow.circulation.get_loan(loan_id)
        if loan is None or not loan.is_open or loan.return_reported_at is not None:
            return False
        now = clock.now()
        today = await svc.local_today(uow, loan.municipality_id, now)
        due = loan_reminder(loan.due_on, today, policy)
        if due is None:
            return False
        kind, step = due
        borrower = await uow.lending.get_borrower(loan.borrower_id)
        article = await uow.lending.get_article(loan.article_id)
        if borrower is None or article is None:
            return False
        channel, recipient = svc.contact(borrower)
        if recipient is None or not await uow.circulation.record_reminder(
                loan.municipality_id, loan.id, kind, step, channel, now):
            return False
        name = article.name + (f" ({article.variant})" if article.variant else "")
        subject, body = texts(kind, borrower.name, name, loan.due_on)
        uow.notify(Message(loan.municipality_id, f"lending.{kind}", recipient, subject, body, channel=channel))
        await uow.commit()
        return True


async def tend_hold(db: Database, hold_id: UUID, clock: Clock, policy: Policy = DEFAULT_POLICY) -> str | None:
    """A hold on the shelf: expire it when its last day has passed (the item goes to the next in line or
    back on the shelf), else make sure its borrower was told."""
    uow = SqlUnitOfWork(db)
    async with uow:
        hold = await uow.circulation.get_hold(hold_id)
        if hold is None or hold.status != HoldStatus.READY:
            return None
        await lock_hold(uow, hold)  # the global lock order: the article's queue, then the item on the shelf
        hold = await uow.circulation.get_hold(hold_id, fresh=True)  # a desk may have lent it meanwhile
        if hold is None or hold.status != HoldStatus.READY:
            return None
        now = clock.now()
        today = await svc.local_today(uow, hold.municipality_id, now)
        if hold.is_expired(today):
            hold.expire(now)
            await svc.release_shelf_item(uow, hold, now, None, policy)
            await uow.commit()
            return "expired"
        borrower = await uow.lending.get_borrower(hold.borrower_id)
        article = await uow.lending.get_article(hold.article_id)
        if borrower is None or article is None:
            return None
        await svc.notify_hold_ready(uow, borrower, hold, article, now)
        await uow.commit()
        return "told"


async def run(db: Database, clock: Clock, settings: Settings | None) -> dict[str, int]:
    """Do what is due now; answer counts of what was done (for the log). Must be idempotent."""
    reminders = 0
    for loan_id in await _due_loans(db, clock):
        reminders += await remind_loan(db, loan_id, clock)  # each its own short write transaction
    expired = 0
    for hold_id in await _ready_holds(db):
        expired += (await tend_hold(db, hold_id, clock)) == "expired"
    sent = await sms.deliver(db, SMS_SENDER, clock)
    return {"lending_reminders": reminders, "lending_holds_expired": expired, "lending_sms_sent": sent}


