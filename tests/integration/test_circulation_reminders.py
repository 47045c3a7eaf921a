"""Reminders through the outbox, each sent once however often the job runs: due soon (two days before),
overdue (the day after, then weekly), hold ready; SMS for borrowers without e-mail; the hold shelf expires."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from booking.adapters import jobs_lending, sms
from booking.adapters.db import tables as t
from booking.adapters.db import tables_lending as tl
from booking.adapters.db.database import Database
from booking.adapters.db.uow import SqlUnitOfWork
from booking.domain.lending import circulation_services as svc
from booking.domain.lending.circulation import Policy
from booking.domain.lending.reminders import loan_reminder
from booking.domain.shared.clock import FixedClock
from tests.integration.circulation_bank import NOW, make_bank


def test_which_reminder_is_due_when() -> None:
    due, policy = date(2027, 3, 27), Policy()
    assert loan_reminder(due, date(2027, 3, 24), policy) is None
    assert loan_reminder(due, date(2027, 3, 25), policy) == ("due_soon", 0)
    assert loan_reminder(due, date(2027, 3, 27), policy) == ("due_soon", 0)
    assert loan_reminder(due, date(2027, 3, 28), policy) == ("overdue", 0)
    assert loan_reminder(due, date(2027, 4, 3), policy) == ("overdue", 0)
    assert loan_reminder(due, date(2027, 4, 4), policy) == ("overdue", 1)
    assert loan_reminder(due, date(2027, 4, 11), policy) == ("overdue", 2)


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 8, 0, tzinfo=UTC)


async def outbox(db: Database) -> list[tuple[str, str, str, str]]:
    async with db.read_sessions() as session:
        rows = (await session.execute(sa.select(t.outbox.c.kind, t.outbox.c.channel, t.outbox.c.recipient,
                                                t.outbox.c.status).order_by(t.outbox.c.created_at))).all()
    return [tuple(r) for r in rows]  # type: ignore[misc]


async def test_reminders_go_out_once_each_by_email_or_sms_and_the_hold_shelf_expires(
        db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    bank = await make_bank(db, items_per_article=2, adults=2)
    sender = sms.LogSmsSender()
    monkeypatch.setattr(jobs_lending, "SMS_SENDER", sender)
    clock = FixedClock(NOW)
    async with db.write_sessions() as session, session.begin():  # the teen has a mobile number only
        await session.execute(sa.update(tl.borrowers).where(tl.borrowers.c.id == bank.borrowers["teen"].id)
                              .values(email=None))
    for who, index in (("adult0", 0), ("teen", 1)):
        await svc.lend(svc.Lend(bank.cards[who], [bank.items["skates"][index].label_code or ""], bank.site.id),
                       SqlUnitOfWork(db), bank.staff, clock)
    held = await svc.place_hold(bank.cards["adult1"], bank.kayak.id, bank.site.id, SqlUnitOfWork(db), bank.staff,
                                clock)
    assert held.hold.expires_on == date(2027, 3, 19)
    # due 2027-03-30 (Tuesday: the site opens every day, but långfredagen, påskafton, påskdagen and annandag
    # påsk are closed days of the municipality)
    counts = []
    for day in (date(2027, 3, 27), date(2027, 3, 28), date(2027, 3, 28), date(2027, 3, 30), date(2027, 3, 31),
                date(2027, 4, 1), date(2027, 4, 7), date(2027, 4, 7)):
        clock.move_to(at(day))
        counts.append((await jobs_lending.run(db, clock, None))["lending_reminders"])
    assert counts == [0, 2, 0, 0, 2, 0, 2, 0]
    sent = await outbox(db)
    adult = bank.borrowers["adult0"].email or ""
    assert [(k, c, r) for k, c, r, _ in sent if r == adult] == [
        ("lending.due_soon", "email", adult), ("lending.overdue", "email", adult), ("lending.overdue", "email", adult)]
    texts = [(k, s) for k, c, r, s in sent if c == "sms"]
    assert [k for k, _ in texts] == ["lending.due_soon", "lending.overdue", "lending.overdue"]
    assert all(s == "sent" for _, s in texts) and len(sender.sent) == 3
    assert sender.sent[0][0] == "+46701234567" and "Skridskor (38)" in sender.sent[0][1]
    # the hold was told once (when the item went to the shelf), and has expired: the kayak is back
    assert [k for k, _, r, _ in sent if r == bank.borrowers["adult1"].email] == ["lending.hold_ready"]
    async with db.read_sessions() as session:
        hold_status = (await session.execute(sa.text("SELECT status FROM lending_holds"))).scalar_one()
        kayak = (await session.execute(sa.select(tl.lending_items.c.status).where(
            tl.lending_items.c.id == bank.items["kayak"][0].id))).scalar_one()
    assert (hold_status, str(kayak)) == ("expired", "available")


async def test_a_return_reported_by_phone_is_not_reminded(db: Database) -> None:
    bank = await make_bank(db)
    clock = FixedClock(NOW)
    lent = await svc.lend(svc.Lend(bank.cards["adult0"], [bank.items["skates"][0].label_code or ""], bank.site.id),
                          SqlUnitOfWork(db), bank.staff, clock)
    await svc.report_return(bank.borrowers["adult0"].id, lent.loans[0][0].id, SqlUnitOfWork(db), clock)
    clock.move_to(at(date(2027, 3, 30)))
    assert (await jobs_lending.run(db, clock, None))["lending_reminders"] == 0
    clock.move_to(at(date(2027, 3, 30)) + timedelta(days=1))
    assert await outbox(db) == []


async def test_a_run_with_nothing_to_send_finds_nothing_to_write(db: Database) -> None:
    """The job reads which loans owe a reminder first; only those get a (short) write transaction."""
    bank = await make_bank(db, items_per_article=2, adults=2)
    clock = FixedClock(NOW)
    for who, index in (("adult0", 0), ("adult1", 1)):
        await svc.lend(svc.Lend(bank.cards[who], [bank.items["skates"][index].label_code or ""], bank.site.id),
                       SqlUnitOfWork(db), bank.staff, clock)
    clock.move_to(at(date(2027, 3, 27)))  # due 2027-03-30 (after Easter's closed days): not yet in the window
    assert await jobs_lending._due_loans(db, clock) == []
    clock.move_to(at(date(2027, 3, 28)))
    assert len(await jobs_lending._due_loans(db, clock)) == 2
    assert (await jobs_lending.run(db, clock, None))["lending_reminders"] == 2
    assert await jobs_lending._due_loans(db, clock) == []  # told already: nothing left to write
    clock.move_to(at(date(2027, 3, 31)))
    assert len(await jobs_lending._due_loans(db, clock)) == 2  # overdue is the next reminder
