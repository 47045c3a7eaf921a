"""A storm of mixed circulation on shared cards and items, on both engines: lends at the desk and by phone,
returns at two sites, renewals, returns reported by phone, holds placed and cancelled, stock-count scans.

48 clients with their own connections are released together by a barrier, several rounds. What a desk
would notice: no request fails with a server error (PostgreSQL answered some with `deadlock detected`
when lend and return took the borrower and article locks in different orders), and after every round the
database holds every lending invariant (one open loan per item, an item on loan iff it has an open loan,
the hold shelf agrees with the holds, nobody over the loan limit)."""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from collections.abc import Awaitable, Callable
from uuid import UUID

import pytest
import sqlalchemy as sa

from booking.adapters.db import invariants
from booking.adapters.db import tables_circulation as tc
from booking.adapters.db.database import Database, connect
from booking.adapters.db.uow import SqlUnitOfWork
from booking.domain.lending import circulation_services as svc
from booking.domain.lending import intake_services as intake
from booking.domain.lending.circulation import Condition
from booking.domain.shared.clock import FixedClock
from booking.domain.shared.errors import DomainError
from tests.integration.circulation_bank import NOW, Bank, make_bank

CLIENTS = 48
ROUNDS = 4
ACTIONS_PER_ROUND = 3  # each client, back to back after the barrier
CARDS = 6  # shared by all clients

LENDING_INVARIANTS = [i.name for i in invariants.INVARIANTS if i.name.startswith("lending.")]


async def _open(db: Database) -> tuple[list[tuple[UUID, UUID]], list[UUID]]:
    """(open loans as (loan, borrower), open holds) right now."""
    async with db.read_sessions() as session:
        loans = (await session.execute(sa.select(tc.lending_loans.c.id, tc.lending_loans.c.borrower_id)
                                       .where(tc.lending_loans.c.returned_at.is_(None)))).all()
        holds = (await session.execute(sa.select(tc.lending_holds.c.id)
                                       .where(tc.lending_holds.c.status.in_(["waiting", "ready"])))).scalars().all()
    return [(loan_id, borrower_id) for loan_id, borrower_id in loans], list(holds)


def _plan(bank: Bank, rng: random.Random, loans: list[tuple[UUID, UUID]], holds: list[UUID], count_ids: list[UUID],
          client: Database, clock: FixedClock) -> Callable[[], Awaitable[object]]:
    """One random circulation request, as a desk or a phone would send it."""
    codes = [i.label_code or "" for key in ("skates", "kayak") for i in bank.items[key]]
    cards = [f"adult{n}" for n in range(CARDS)]
    site = rng.choice([bank.site.id, bank.other_site.id])
    kind = rng.choices(["lend", "self", "return", "renew", "report", "hold", "cancel", "scan"],
                       [6, 2, 6, 1, 1, 2, 1, 1])[0]

    def uow() -> SqlUnitOfWork:
        return SqlUnitOfWork(client)

    if kind == "lend":
        picked, card = rng.sample(codes, rng.choice([1, 1, 2])), bank.cards[rng.choice(cards)]
        return lambda: svc.lend(svc.Lend(card, picked, site), uow(), bank.staff, clock)
    if kind == "self":
        key = rng.choice(cards)
        code = rng.choice([i.label_code or "" for i in bank.items["skates"]])
        return lambda: svc.lend_self_service(bank.borrowers[key].id, bank.card_ids[key], code, uow(), clock)
    if kind == "return":
        code = rng.choice(codes)
        condition = rng.choice([Condition.OK, Condition.OK, Condition.OK, Condition.CHECK])
        return lambda: svc.return_item(svc.Return(code, site, condition), uow(), bank.staff, clock)
    if kind in ("renew", "report") and loans:
        loan_id, borrower_id = rng.choice(loans)
        if kind == "renew":
            return lambda: svc.renew(loan_id, uow(), bank.staff, clock)
        return lambda: svc.report_return(borrower_id, loan_id, uow(), clock)
    if kind == "cancel" and holds:
        hold_id = rng.choice(holds)
        return lambda: svc.cancel_hold(hold_id, uow(), clock, actor=bank.staff)
    if kind == "scan":
        count_id, code = rng.choice(count_ids), rng.choice(codes)
        return lambda: intake.scan(count_id, code, uow(), bank.staff, clock.now())
    article = rng.choice([bank.skates.id, bank.kayak.id])
    card = bank.cards[rng.choice(cards)]
    return lambda: svc.place_hold(card, article, site, uow(), bank.staff, clock)


@pytest.mark.slow
async def test_storm_of_mixed_circulation_on_shared_cards_and_items_no_server_error_no_broken_invariant(
        db: Database) -> None:
    bank = await make_bank(db, items_per_article=10, adults=CARDS)
    clock = FixedClock(NOW)
    rng = random.Random(20270312)
    # Half the items start on loan, so returns and renewals have something to work on.
    for n, item in enumerate(bank.items["skates"][:5] + bank.items["kayak"][:5]):
        await svc.lend(svc.Lend(bank.cards[f"adult{n % CARDS}"], [item.label_code or ""], bank.site.id),
                       SqlUnitOfWork(db), bank.staff, clock)
    count_ids = [(await intake.start_count(s, SqlUnitOfWork(db), bank.staff, NOW)).id
                 for s in (bank.site.id, bank.other_site.id)]
    clients = [connect(db.url, pool_size=1) for _ in range(CLIENTS)]
    outcomes: Counter[str] = Counter()
    errors: list[str] = []

    async def run(client: Database, barrier: asyncio.Barrier, plans: list[Callable[[], Awaitable[object]]]) -> None:
        await barrier.wait()
        for plan in plans:
            try:
                await plan()
            except DomainError as refused:  # a 4xx the desk shows: on loan, limit, not on loan, ...
                outcomes[type(refused).__name__] += 1
            except Exception as exc:  # what would be a 5xx
                errors.append(f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}")
            else:
                outcomes["ok"] += 1

    try:
        for _ in range(ROUNDS):
            loans, holds = await _open(db)
            barrier = asyncio.Barrier(CLIENTS)
            await asyncio.gather(*(run(c, barrier, [_plan(bank, rng, loans, holds, count_ids, c, clock)
                                                    for _ in range(ACTIONS_PER_ROUND)]) for c in clients))
            assert errors == [], errors
            broken = {k: n for k, n in (await invariants.check(db, LENDING_INVARIANTS)).items() if n}
            assert broken == {}, {k: await invariants.examples(db, k) for k in broken}
    finally:
        await asyncio.gather(*(c.dispose() for c in clients))
    assert sum(outcomes.values()) == CLIENTS * ROUNDS * ACTIONS_PER_ROUND
    assert outcomes["ok"] >= CLIENTS, outcomes  # not a storm of refusals only
