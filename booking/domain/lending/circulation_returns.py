"""Circulation use cases after the loan: returns at the desk, returns reported by phone, renewals.

Locks follow the global order of circulation_services: the article's hold queue, then the item, then the
borrower; only then are rows written."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from booking.domain.lending import scope
from booking.domain.lending.circulation import DEFAULT_POLICY, Condition, Hold, Loan, Policy, take_back
from booking.domain.lending.circulation_common import (
    article,
    check_site,
    code_from_scan,
    item_by_scan,
    local_today,
    open_days,
    own,
    require_staff,
)
from booking.domain.lending.circulation_holds import serve_hold
from booking.domain.lending.model import Article, Item, ItemStatus
from booking.domain.lending.ports import LendingUnitOfWork
from booking.domain.people.roles import Actor
from booking.domain.shared.audit import AuditEntry
from booking.domain.shared.clock import Clock
from booking.domain.shared.errors import Conflict, expect
from booking.domain.shared.tenancy import of_municipality

# --- returns ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Return:
    code: str
    site_id: UUID
    condition: Condition = Condition.OK
    note: str | None = None


@dataclass
class ReturnOutcome:
    loan: Loan
    item: Item
    article: Article
    overdue_days: int
    hold: Hold | None = None  # the hold the item now waits on the shelf for
    borrower_name: str | None = None


async def return_item(command: Return, uow: LendingUnitOfWork, actor: Actor, clock: Clock,
                      policy: Policy = DEFAULT_POLICY) -> ReturnOutcome:
    """Take an item back at a desk of the staff's (any site of the municipality may take any item back);
    it is then at that site. A return reported by phone is confirmed the same way. OK items go to the
    first waiting hold at this site."""
    require_staff(actor)
    now, m, by = clock.now(), actor.municipality_id, actor.account_id
    async with uow:
        await check_site(uow, m, command.site_id)
        scope.require_site(actor, command.site_id)
        code = code_from_scan(command.code, "code")
        item = await item_by_scan(uow, m, code, "code")
        to_shelf = Condition(command.condition).status_after_return == ItemStatus.AVAILABLE
        # Locks in the global order: the article's queue (an item for the shelf may go to a hold), the item,
        # the borrower.
        if to_shelf:
            await uow.circulation.lock_article_holds(item.article_id)
        await uow.lending.lock_item(item.id)
        loan = await uow.circulation.open_loan_of_item(item.id)
        if loan is None:
            raise Conflict(f"{code} is not on loan.",
                           [{"field": "code", "status": item.status.value, "reason": "not-on-loan"}])
        borrower = await uow.lending.lock_borrower(loan.borrower_id)
        what = await article(uow, item.article_id)
        today = await local_today(uow, m, now)
        for event in take_back(loan, item, command.condition, site_id=command.site_id, at=now, by=by,
                               note=command.note):
            uow.lending.add_item_event(event)
        hold = await serve_hold(uow, item, what, command.site_id, now, today, by, policy) if to_shelf else None
        if borrower is not None:
            borrower.touch(now)
        uow.audit(AuditEntry(m, by, "loan.returned", "loan", loan.id, {
            "item": item.label_code, "site_id": str(command.site_id), "condition": str(command.condition)}))
        await uow.commit()
        return ReturnOutcome(loan, item, what, loan.overdue_days(today), hold,
                             borrower.name if borrower is not None else None)


async def _locked_loan(uow: LendingUnitOfWork, loan: Loan, *, queue: bool) -> Loan:
    """The loan read again under its item's lock (and first its article's queue when `queue`)."""
    if queue:
        await uow.circulation.lock_article_holds(loan.article_id)
    await uow.lending.lock_item(loan.item_id)
    return expect(await uow.circulation.get_loan(loan.id, fresh=True), f"loan {loan.id}")  # loans stay


async def report_return(borrower_id: UUID, loan_id: UUID, uow: LendingUnitOfWork, clock: Clock) -> Loan:
    """"I have returned it" from the phone: the loan stays open until the desk scans the item."""
    async with uow:
        loan = own(await uow.circulation.get_loan(loan_id), borrower_id, "Loan", loan_id)
        loan = await _locked_loan(uow, loan, queue=False)
        loan.report_return(clock.now())
        await uow.commit()
        return loan


# --- renewals --------------------------------------------------------------------------------------


async def _renew(uow: LendingUnitOfWork, loan: Loan, now: datetime, actor_id: UUID | None, policy: Policy) -> Loan:
    loan = await _locked_loan(uow, loan, queue=True)  # the queue: nobody starts waiting while we look
    what = await article(uow, loan.article_id)
    today = await local_today(uow, loan.municipality_id, now)
    held = await uow.circulation.has_waiting_holds(loan.article_id)
    old = loan.due_on
    loan.renew(today=today, period_days=what.loan_period_days,
               open_days=await open_days(uow, loan.municipality_id, loan.site_id, today), policy=policy, held=held)
    uow.audit(AuditEntry(loan.municipality_id, actor_id, "loan.renewed", "loan", loan.id, {
        "from": old.isoformat(), "to": loan.due_on.isoformat(), "renewals": loan.renewals}))
    await uow.commit()
    return loan


async def renew(loan_id: UUID, uow: LendingUnitOfWork, actor: Actor, clock: Clock, policy: Policy = DEFAULT_POLICY
                ) -> Loan:
    """Staff renew a loan lent at one of their sites."""
    require_staff(actor)
    async with uow:
        loan = of_municipality(await uow.circulation.get_loan(loan_id), actor.municipality_id, "loan", loan_id)
        scope.require_site(actor, loan.site_id)
        return await _renew(uow, loan, clock.now(), actor.account_id, policy)


async def renew_own(borrower_id: UUID, loan_id: UUID, uow: LendingUnitOfWork, clock: Clock,
                    policy: Policy = DEFAULT_POLICY) -> Loan:
    async with uow:
        loan = own(await uow.circulation.get_loan(loan_id), borrower_id, "Loan", loan_id)
        return await _renew(uow, loan, clock.now(), None, policy)
