"""The outbox over real SMTP: an aiosmtpd server on loopback receives what the worker sends;
while the server is down the worker retries with growing pauses and loses nothing."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Iterator
from datetime import date, time, timedelta
from email import message_from_bytes
from email.message import Message as EmailMessage
from email.policy import default

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller

from booking.adapters.db import tables as t
from booking.adapters.db.database import Database, connect
from booking.adapters.db.uow import SqlUnitOfWork
from booking.adapters.mail import CLAIM_LEASE, OutboxWorker, Outgoing, SmtpSender, SmtpSettings, backoff
from booking.domain.premises import booking_services as bookings
from booking.domain.shared.clock import FixedClock
from booking.domain.shared.notifications import Message
from tests.integration.test_bookings import NOW, make_town
from tests.ports import free_port


class Inbox:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        self.messages.append(message_from_bytes(envelope.content, policy=default))  # type: ignore[attr-defined]
        return "250 OK"


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def sender(port: int) -> SmtpSender:
    return SmtpSender(SmtpSettings("127.0.0.1", port, starttls=False, sender="bokning@sundsvall.example"))


async def outbox_rows(db: Database) -> list[sa.Row]:
    async with db.read_sessions() as session:
        return list((await session.execute(sa.select(t.outbox).order_by(t.outbox.c.created_at))).all())


async def test_a_request_and_its_approval_reach_the_booker_by_smtp(db: Database, smtp: tuple[Inbox, int]) -> None:
    inbox, port = smtp
    town = await make_town(db)
    clock = FixedClock(NOW)
    outcome = await bookings.request_booking(bookings.RequestBooking(
        town.gym.id, "Innebandy P12", date(2027, 1, 14), time(18, 0), time(19, 30),
        association_id=town.association.id,
        recurrence=bookings.Recurrence(weekdays=(3,), count=3)), SqlUnitOfWork(db), town.rep, clock)
    assert len(outcome.bookings) == 3
    rows = await outbox_rows(db)
    assert [(r.kind, r.status) for r in rows] == [("booking.requested", "pending")]  # one per request, not per date
    worker = OutboxWorker(db, sender(port), clock)
    assert await worker.run_once() == 1
    assert await worker.run_once() == 0  # nothing sent twice
    received = inbox.messages[0]
    assert received["To"] == rows[0].recipient
    assert received["Subject"] == "Vi har tagit emot din bokningsförfrågan: Innebandy P12"
    body = received.get_content()
    assert "2027-01-14 18:00-19:30" in body and "2027-01-28 18:00-19:30" in body

    series_id = outcome.series.id if outcome.series else None
    assert series_id is not None
    ids = await bookings.series_booking_ids(series_id, SqlUnitOfWork(db), town.staff)
    await bookings.decide(ids, True, None, SqlUnitOfWork(db), town.staff, clock)
    assert await worker.run_once() == 1
    assert inbox.messages[1]["Subject"] == "Bokning godkänd: Innebandy P12"
    assert [r.status for r in await outbox_rows(db)] == ["sent", "sent"]


async def test_delivery_is_retried_while_the_server_is_down(db: Database) -> None:
    town = await make_town(db)
    clock = FixedClock(NOW)
    await bookings.request_booking(bookings.RequestBooking(
        town.gym.id, "Schack", date(2027, 1, 14), time(18, 0), time(19, 0)), SqlUnitOfWork(db), town.staff, clock)
    port = free_port()  # nothing listens here yet
    worker = OutboxWorker(db, sender(port), clock)
    assert await worker.run_once() == 0
    (row,) = await outbox_rows(db)
    assert (row.status, row.attempts) == ("pending", 1)
    assert row.next_attempt_at == NOW + backoff(1)
    assert "Connect" in row.last_error or "refused" in row.last_error.lower()
    assert await worker.run_once() == 0  # not due yet: no new attempt
    assert (await outbox_rows(db))[0].attempts == 1

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        clock.move_to(NOW + timedelta(minutes=1, seconds=1))
        assert await worker.run_once() == 1
    finally:
        controller.stop()
    (row,) = await outbox_rows(db)
    assert (row.status, row.attempts) == ("sent", 2)
    assert inbox.messages[0]["Subject"] == "Bokning bekräftad: Schack"


def test_backoff_grows_and_is_capped() -> None:
    assert [backoff(n) for n in (1, 2, 3)] == [timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=4)]
    assert backoff(30) == timedelta(hours=6)


async def test_the_mail_worker_leaves_sms_to_the_sms_delivery(db: Database, smtp: tuple[Inbox, int]) -> None:
    """An SMS reminder in the outbox is never sent as e-mail to a phone number."""
    inbox, port = smtp
    town = await make_town(db)
    uow = SqlUnitOfWork(db)
    async with uow:
        uow.notify(Message(town.municipality.id, "lending.overdue", "+46701234567", "Försenat lån",
                           "Lämna tillbaka bollen.", channel="sms"))
        await uow.commit()
    worker = OutboxWorker(db, sender(port), FixedClock(NOW))
    assert await worker.run_once() == 0
    assert inbox.messages == []
    (row,) = await outbox_rows(db)
    assert (row.channel, row.status, row.attempts) == ("sms", "pending", 0)


class Recorder:
    """A sender that keeps what it sent."""

    def __init__(self) -> None:
        self.sent: list[str] = []

    async def send(self, message: Outgoing) -> None:
        self.sent.append(message.subject)
        await asyncio.sleep(0)  # let the other worker in


async def queue_mail(db: Database, count: int) -> None:
    town = await make_town(db)
    uow = SqlUnitOfWork(db)
    async with uow:
        for i in range(count):
            uow.notify(Message(town.municipality.id, "test", f"p{i}@example.se", f"Meddelande {i}", "Hej."))
        await uow.commit()


async def test_two_workers_at_the_same_moment_send_each_message_once(db: Database) -> None:
    await queue_mail(db, 60)
    other = connect(db.url, pool_size=5)  # the second worker has connections of its own
    try:
        clock = FixedClock(NOW)
        senders = [Recorder(), Recorder()]
        workers = [OutboxWorker(db, senders[0], clock, batch=7), OutboxWorker(other, senders[1], clock, batch=7)]
        for _ in range(12):
            await asyncio.gather(*(w.run_once() for w in workers))
        sent = senders[0].sent + senders[1].sent
        assert Counter(sent) == Counter(f"Meddelande {i}" for i in range(60))  # each once, none lost
        assert senders[0].sent and senders[1].sent  # both took part
        assert {r.status for r in await outbox_rows(db)} == {"sent"}
    finally:
        await other.dispose()


async def test_a_message_taken_over_after_the_lease_is_not_sent_again_by_its_first_worker(db: Database) -> None:
    """Worker A claims a batch of three and stalls after the first: its lease runs out, worker B claims
    the other two and sends them. A, going on, finds them no longer its own and skips them, instead of
    sending them a second time."""
    await queue_mail(db, 3)
    other = connect(db.url, pool_size=5)
    try:
        clock = FixedClock(NOW)
        b_sender = Recorder()
        b = OutboxWorker(other, b_sender, clock)

        class Stalling(OutboxWorker):
            stalled = False

            async def _record(self, message: Outgoing, error: str | None) -> None:
                await super()._record(message, error)
                if not self.stalled:
                    self.stalled = True
                    clock.move_to(NOW + CLAIM_LEASE + timedelta(seconds=1))
                    assert await b.run_once() == 2  # the two A has not reached yet

        a_sender = Recorder()
        assert await Stalling(db, a_sender, clock).run_once() == 1
        assert a_sender.sent == ["Meddelande 0"]
        assert sorted(b_sender.sent) == ["Meddelande 1", "Meddelande 2"]
        assert [r.status for r in await outbox_rows(db)] == ["sent"] * 3
    finally:
        await other.dispose()
