"""Circulation against real databases: lending, returns at another site, renewals, holds, limits,
and the storm of 32 desks lending one item."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from booking.adapters.db import tables_circulation as tc
from booking.adapters.db import tables_lending as tl
from booking.adapters.db.database import Database, connect
from booking.adapters.db.uow import SqlUnitOfWork
from booking.domain.lending import circulation_services as svc
from booking.domain.lending.circulation import Condition, HoldStatus, Loan, Policy
from booking.domain.lending.model import ItemStatus
from booking.domain.shared.clock import FixedClock
from booking.domain.shared.errors import Conflict, ValidationError
from tests.integration.circulation_bank import NOW, make_bank


async def open_loans_per_item(db: Database) -> dict[str, int]:
    l = tc.lending_loans  # noqa: E741
    async with db.read_sessions() as session:
        rows = (await session.execute(sa.select(l.c.item_id, sa.func.count()).where(l.c.returned_at.is_(None))
                                      .group_by(l.c.item_id))).all()
    return {str(i): n for i, n in rows}


async def item_status(db: Database, item_id: object) -> tuple[str, object]:
    async with db.read_sessions() as session:
        row = (await session.execute(sa.select(tl.lending_items.c.status, tl.lending_items.c.site_id)
                                     .where(tl.lending_items.c.id == item_id))).one()
    return str(row.status), row.site_id


async def test_a_loan_on_12_march_2027_falls_due_after_easter_at_a_weekday_site(db: Database) -> None:
    bank = await make_bank(db)
    clock = FixedClock(NOW)
    await svc.set_site_weekdays(bank.site.id, frozenset(range(5)), SqlUnitOfWork(db), bank.staff)
    outcome = await svc.lend(svc.Lend(bank.cards["adult0"], [bank.items["skates"][0].label_code or ""],
                                      bank.site.id), SqlUnitOfWork(db), bank.staff, clock)
    assert [loan.due_on for loan, _, _ in outcome.loans] == [date(2027, 3, 30)]
    # the other site opens every day: långfredagen is closed, and påskafton (by default) too
    outcome = await svc.lend(svc.Lend(bank.cards["adult0"], [bank.items["skates"][1].label_code or ""],
                                      bank.other_site.id), SqlUnitOfWork(db), bank.staff, clock)
    assert [loan.due_on for loan, _, _ in outcome.loans] == [date(2027, 3, 30)]


async def test_lend_and_return_at_another_site_with_a_condition_check(db: Database) -> None:
    bank = await make_bank(db)
    clock = FixedClock(NOW)
    first, second = bank.items["skates"][0], bank.items["skates"][1]
    lent = await svc.lend(svc.Lend(bank.cards["adult0"], [first.label_code or "",
                                                          f"https://x.example/q/{second.label_code}"],
                                   bank.site.id), SqlUnitOfWork(db), bank.staff, clock)
    assert len(lent.loans) == 2
    assert await item_status(db, first.id) == ("on_loan", bank.site.id)
    with pytest.raises(Conflict, match="already on loan"):
        await svc.lend(svc.Lend(bank.cards["teen"], [first.label_code or ""], bank.site.id),
                       SqlUnitOfWork(db), bank.staff, clock)
    clock.move_to(NOW + timedelta(days=20))
    back = await svc.return_item(svc.Return(first.label_code or "", bank.other_site.id), SqlUnitOfWork(db),
                                 bank.staff, clock)
    assert back.overdue_days > 0 and back.loan.returned_site_id == bank.other_site.id
    assert await item_status(db, first.id) == ("available", bank.other_site.id)
    broken = await svc.return_item(svc.Return(second.label_code or "", bank.site.id, Condition.REPAIR,
                                              "Trasig snörning"), SqlUnitOfWork(db), bank.staff, clock)
    assert broken.item.status == ItemStatus.IN_REPAIR
    assert await item_status(db, second.id) == ("in_repair", bank.site.id)
    with pytest.raises(Conflict, match="not on loan"):
        await svc.return_item(svc.Return(first.label_code or "", bank.site.id), SqlUnitOfWork(db), bank.staff,
                              clock)
    assert await open_loans_per_item(db) == {}


async def test_the_limit_blocks_and_age_rules_refuse_with_the_field_at_fault(db: Database) -> None:
    bank = await make_bank(db, items_per_article=4)
    clock = FixedClock(NOW)
    codes = [i.label_code or "" for i in bank.items["skates"]]
    with pytest.raises(ValidationError) as limit:
        await svc.lend(svc.Lend(bank.cards["adult0"], codes[:3], bank.site.id), SqlUnitOfWork(db), bank.staff,
                       clock, Policy(max_loans=2))
    assert [(p.field, p.code) for p in limit.value.problems] == [("card_number", "limit")]
    with pytest.raises(ValidationError) as blocked:
        await svc.lend(svc.Lend(bank.cards["blocked"], codes[:1], bank.site.id), SqlUnitOfWork(db), bank.staff,
                       clock)
    assert blocked.value.problems[0].code == "blocked"
    with pytest.raises(ValidationError) as consent:
        await svc.lend(svc.Lend(bank.cards["teen"], [codes[0], bank.items["kayak"][0].label_code or ""],
                                bank.site.id), SqlUnitOfWork(db), bank.staff, clock)
    assert [(p.field, p.code) for p in consent.value.problems] == [("codes[1]", "consent-needed")]
    assert await open_loans_per_item(db) == {}  # nothing lent by a refused request
    assert await item_status(db, bank.items["skates"][0].id) == ("available", bank.site.id)


async def test_renewals_up_to_the_limit_and_not_while_someone_holds_the_article(db: Database) -> None:
    bank = await make_bank(db, items_per_article=1, adults=2)
    clock = FixedClock(NOW)
    item = bank.items["skates"][0]
    lent = await svc.lend(svc.Lend(bank.cards["adult0"], [item.label_code or ""], bank.site.id),
                          SqlUnitOfWork(db), bank.staff, clock)
    loan: Loan = lent.loans[0][0]
    clock.move_to(NOW + timedelta(days=13))
    renewed = await svc.renew(loan.id, SqlUnitOfWork(db), bank.staff, clock)
    assert renewed.renewals == 1 and renewed.due_on > loan.due_on
    held = await svc.place_hold(bank.cards["adult1"], bank.skates.id, bank.site.id, SqlUnitOfWork(db), bank.staff,
                                clock)
    assert held.hold.status == HoldStatus.WAITING and held.position == 1
    with pytest.raises(Conflict, match="waiting"):
        await svc.renew(loan.id, SqlUnitOfWork(db), bank.staff, clock)
    # the return puts it on the hold shelf for adult1, who is told
    back = await svc.return_item(svc.Return(item.label_code or "", bank.site.id), SqlUnitOfWork(db), bank.staff,
                                 clock)
    assert back.hold is not None and back.hold.status == HoldStatus.READY
    assert await item_status(db, item.id) == ("on_hold_shelf", bank.site.id)
    with pytest.raises(Conflict, match="someone else"):
        await svc.lend(svc.Lend(bank.cards["adult0"], [item.label_code or ""], bank.site.id), SqlUnitOfWork(db),
                       bank.staff, clock)
    collected = await svc.lend(svc.Lend(bank.cards["adult1"], [item.label_code or ""], bank.site.id),
                               SqlUnitOfWork(db), bank.staff, clock)
    assert len(collected.loans) == 1
    async with db.read_sessions() as session:
        status = (await session.execute(sa.select(tc.lending_holds.c.status))).scalar_one()
        outbox = (await session.execute(sa.text("SELECT kind, recipient FROM outbox"))).all()
    assert status == "collected"
    assert [(k, r) for k, r in outbox] == [("lending.hold_ready", bank.borrowers["adult1"].email)]


@pytest.mark.slow
async def test_storm_32_desks_lend_the_same_item_exactly_one_loan(db: Database) -> None:
    """32 desks with their own connections, released together by a barrier, three rounds, each round
    fighting over one item: exactly one loan wins, the others are told it is on loan."""
    rounds = 3
    bank = await make_bank(db, items_per_article=rounds, adults=32)
    clock = FixedClock(NOW)
    clients = [connect(db.url, pool_size=1) for _ in range(32)]

    async def attempt(client: Database, barrier: asyncio.Barrier, card: str, code: str) -> str:
        await barrier.wait()
        try:
            await svc.lend(svc.Lend(card, [code], bank.site.id), SqlUnitOfWork(client), bank.staff, clock)
        except Conflict:
            return "conflict"
        return "lent"

    try:
        for round_no in range(rounds):
            code = bank.items["skates"][round_no].label_code or ""
            barrier = asyncio.Barrier(len(clients))
            outcomes = await asyncio.gather(*(attempt(c, barrier, bank.cards[f"adult{i}"], code)
                                              for i, c in enumerate(clients)))
            assert outcomes.count("lent") == 1, outcomes
            assert outcomes.count("conflict") == 31
            per_item = await open_loans_per_item(db)
            assert per_item == {str(i.id): 1 for i in bank.items["skates"][:round_no + 1]}
    finally:
        await asyncio.gather(*(c.dispose() for c in clients))


async def test_the_database_itself_refuses_a_second_open_loan_of_an_item(db: Database) -> None:
    bank = await make_bank(db)
    item = bank.items["skates"][0]
    b = bank.borrowers["adult0"]

    def loan() -> Loan:
        return Loan(bank.municipality_id, item.id, bank.skates.id, b.id, bank.site.id, NOW, date(2027, 3, 26))

    uow = SqlUnitOfWork(db)
    async with uow:
        uow.circulation.add_loan(loan())
        await uow.commit()
    uow = SqlUnitOfWork(db)
    async with uow:
        uow.circulation.add_loan(loan())
        with pytest.raises(Conflict):
            await uow.commit()
    assert await open_loans_per_item(db) == {str(item.id): 1}


async def test_a_hold_placed_while_an_item_is_on_the_shelf_takes_it_and_cancelling_frees_it(db: Database) -> None:
    bank = await make_bank(db, items_per_article=1, adults=2)
    clock = FixedClock(NOW)
    item = bank.items["skates"][0]
    first = await svc.place_hold(bank.cards["adult0"], bank.skates.id, bank.site.id, SqlUnitOfWork(db), bank.staff,
                                 clock)
    assert first.hold.status == HoldStatus.READY and first.hold.item_id == item.id
    second = await svc.place_hold(bank.cards["adult1"], bank.skates.id, bank.site.id, SqlUnitOfWork(db),
                                  bank.staff, clock)
    assert second.hold.status == HoldStatus.WAITING and second.position == 1
    with pytest.raises(Conflict, match="already hold"):
        await svc.place_hold(bank.cards["adult1"], bank.skates.id, bank.site.id, SqlUnitOfWork(db), bank.staff,
                             clock)
    await svc.cancel_hold(first.hold.id, SqlUnitOfWork(db), clock, actor=bank.staff)
    async with db.read_sessions() as session:
        rows = dict((await session.execute(sa.select(tc.lending_holds.c.id, tc.lending_holds.c.status))).all())
    assert rows == {first.hold.id: "cancelled", second.hold.id: "ready"}
    assert await item_status(db, item.id) == ("on_hold_shelf", bank.site.id)


