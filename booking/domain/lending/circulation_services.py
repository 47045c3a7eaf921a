"""Circulation use cases: lending at the desk and by phone, and the lending sites' opening days. Returns and
renewals are in circulation_returns, holds in circulation_holds, what the phone shows in circulation_phone;
all are re-exported here, the one door to circulation.

**The global lock order.** Every use case that writes circulation's rows takes its locks in one order,
each level in ascending id order, before it changes anything:

  1. the article's hold queue (`uow.circulation.lock_article_holds`),
  2. items (`uow.circulation.items_and_articles`, `uow.lending.lock_item(s)`),
  3. borrowers (`uow.lending.lock_borrower`),

and then writes loans, holds, item events, reminders, audit and outbox rows. A loan is written only
under its item's lock, a hold with an item under that item's lock, the queue of waiting holds under the
article's. Two transactions taking locks in one order cannot wait for each other (PostgreSQL answered
`deadlock detected` when lend took the borrower before the article and return the article before the
borrower). The adapter keeps a ledger per transaction and raises when a lock comes out of order
(`booking/adapters/db/lock_order.py`). SQLite serialises all writers (BEGIN IMMEDIATE).

Lending reads the item rows locked, checks their status under the lock, locks the borrower, counts their
open loans under that lock (so the loan limit holds for two desks lending on one card), and inserts the
loans; the partial unique index on open loans per item is the last line should anything slip past.
Staff grants narrowed to sites act at their own desks only (`booking/domain/lending/scope.py`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any
from uuid import UUID

from booking.domain.lending import scope
from booking.domain.lending.borrowers import Borrower, Card
from booking.domain.lending.circulation import (
    DEFAULT_POLICY,
    BorrowerFacts,
    Hold,
    Loan,
    Policy,
    lend_item,
    raise_refusals,
    refusals,
)
from booking.domain.lending.circulation_common import (
    EventKind,
    article_facts,
    check_site,
    code_from_scan,
    consents,
    find_card,
    local_today,
    open_days,
    require_staff,
)
from booking.domain.lending.circulation_holds import (
    HoldOutcome,
    cancel_hold,
    contact,
    notify_hold_ready,
    place_hold,
    place_own_hold,
    release_shelf_item,
)
from booking.domain.lending.circulation_phone import ItemView, item_for_borrowing
from booking.domain.lending.circulation_returns import (
    Return,
    ReturnOutcome,
    renew,
    renew_own,
    report_return,
    return_item,
)
from booking.domain.lending.due_dates import OpenDays, due_on
from booking.domain.lending.model import Article, Item, ItemStatus
from booking.domain.lending.ports import LendingUnitOfWork
from booking.domain.people.roles import Actor
from booking.domain.shared.audit import AuditEntry
from booking.domain.shared.clock import Clock
from booking.domain.shared.errors import Forbidden, ValidationError

__all__ = ["EventKind", "HoldOutcome", "ItemView", "Lend", "LendOutcome", "Return", "ReturnOutcome", "cancel_hold",
           "check_site", "code_from_scan", "contact", "find_card", "item_for_borrowing", "lend", "lend_self_service",
           "local_today", "notify_hold_ready", "open_days", "place_hold", "place_own_hold", "release_shelf_item",
           "renew", "renew_own", "report_return", "require_staff", "return_item", "set_site_weekdays"]

MAX_ITEMS_PER_LEND = 20


# --- lending ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Lend:
    card_number: str
    codes: Sequence[str]
    site_id: UUID | None = None  # the desk's site; self-service: the item's


@dataclass
class LendOutcome:
    borrower: Borrower
    loans: list[tuple[Loan, Item, Article]] = field(default_factory=list)


def _scanned(codes: Sequence[str], field_of: Callable[[int], str]) -> list[tuple[str, str]]:
    if not codes:
        raise ValidationError("codes", "Scan at least one item.", "required")
    if len(codes) > MAX_ITEMS_PER_LEND:
        raise ValidationError("codes", f"At most {MAX_ITEMS_PER_LEND} items at a time.", "too-many")
    wanted: list[tuple[str, str]] = []
    for i, raw in enumerate(codes):
        code = code_from_scan(raw, field_of(i))
        if any(code == c for c, _ in wanted):
            raise ValidationError(field_of(i), f"{code} is scanned twice.", "duplicate")
        wanted.append((code, field_of(i)))
    return wanted


async def _items_to_lend(uow: LendingUnitOfWork, municipality_id: UUID, wanted: list[tuple[str, str]]
                         ) -> tuple[list[tuple[Item, str]], dict[UUID, Article]]:
    """The scanned items (with the field each was named in) and their articles, the items locked: the first
    locks of lending, in the global order."""
    by_code, by_id = await uow.circulation.items_and_articles(municipality_id, [code for code, _ in wanted])
    for code, f in wanted:
        if code not in by_code:
            raise ValidationError(f, f"No item has the label {code}.", "unknown")
    return [(by_code[code], f) for code, f in wanted], by_id


async def _locked_borrower(uow: LendingUnitOfWork, borrower: Borrower, *, self_service: bool) -> Borrower:
    """The borrower read again under their lock: blocked or anonymised meanwhile?"""
    locked = await uow.lending.lock_borrower(borrower.id)
    if locked is None or locked.is_anonymised:
        if self_service:
            raise Forbidden("Sign in again with your card.")
        raise ValidationError("card_number", "No active card has this number.", "unknown")
    return locked


async def _holds_to_collect(uow: LendingUnitOfWork, items: list[tuple[Item, str]], borrower: Borrower
                            ) -> dict[UUID, Hold]:
    """The borrower's holds waiting on the hold shelf with these items; refuses an item that is not lendable."""
    holds: dict[UUID, Hold] = {}
    for item, f in items:
        hold = await uow.circulation.ready_hold_of_item(item.id) if item.status == ItemStatus.ON_HOLD_SHELF \
            else None  # a hold with an item is written only under the item's lock
        mine = hold is not None and hold.borrower_id == borrower.id
        item.check_lendable(f, held_for_borrower=mine)
        if hold is not None and mine:
            holds[item.id] = hold
    return holds


async def _check_rules(uow: LendingUnitOfWork, borrower: Borrower, card: Card, articles: list[Article],
                       today: date, field_of: Callable[[int], str], *, self_service: bool, policy: Policy) -> None:
    """Every rule of who may borrow what (eligibility.py), the open loans counted under the borrower's lock."""
    current = await uow.lending.active_card(borrower.id)
    facts = BorrowerFacts(borrower.blocked_reason, current is not None and current.id == card.id,
                          borrower.birth_year, await uow.circulation.count_open_loans(borrower.id),
                          await consents(uow, borrower, articles))
    raise_refusals(refusals(facts, [article_facts(a) for a in articles], today=today, policy=policy,
                            self_service=self_service), [a.id for a in articles], field_of)


async def _lend(uow: LendingUnitOfWork, borrower: Borrower, card: Card, codes: Sequence[str], site_id: UUID | None,
                actor_id: UUID | None, now: datetime, *, self_service: bool, policy: Policy) -> LendOutcome:
    """Self-service lends one item, named `code`; the desk a list, `codes[i]`. Locks: the items, the borrower."""
    m = borrower.municipality_id

    def field_of(i: int) -> str:
        return "code" if self_service else f"codes[{i}]"

    items, by_id = await _items_to_lend(uow, m, _scanned(codes, field_of))
    locked = await _locked_borrower(uow, borrower, self_service=self_service)
    today = await local_today(uow, m, now)
    holds = await _holds_to_collect(uow, items, locked)
    articles = [by_id[item.article_id] for item, _ in items]
    await _check_rules(uow, locked, card, articles, today, field_of, self_service=self_service, policy=policy)
    outcome = LendOutcome(locked)
    days_by_site: dict[UUID, OpenDays] = {}
    for (item, _), what in zip(items, articles, strict=True):
        where = site_id or item.site_id
        if where not in days_by_site:
            days_by_site[where] = await open_days(uow, m, where, today)
        loan, event = lend_item(item, what, locked.id, where, at=now, by=actor_id, self_service=self_service,
                                due=due_on(today, what.loan_period_days, days_by_site[where]))
        uow.lending.add_item_event(event)
        if item.id in holds:
            holds[item.id].collect(now)
        uow.circulation.add_loan(loan)
        uow.audit(AuditEntry(m, actor_id, "loan.created", "loan", loan.id, {
            "item": item.label_code, "borrower_id": str(locked.id), "due_on": loan.due_on.isoformat(),
            "self_service": self_service}))
        outcome.loans.append((loan, item, what))
    locked.touch(now)
    await uow.commit()
    return outcome


async def lend(command: Lend, uow: LendingUnitOfWork, actor: Actor, clock: Clock, policy: Policy = DEFAULT_POLICY
               ) -> LendOutcome:
    """Lend the scanned items on the card, at the desk of `site_id` (one of the staff's sites)."""
    require_staff(actor)
    if command.site_id is None:
        raise ValidationError("site_id", "Choose the desk's site.", "required")
    async with uow:
        await check_site(uow, actor.municipality_id, command.site_id)
        scope.require_site(actor, command.site_id)
        borrower, card = await find_card(uow, actor.municipality_id, command.card_number)
        return await _lend(uow, borrower, card, command.codes, command.site_id, actor.account_id, clock.now(),
                           self_service=False, policy=policy)


async def lend_self_service(borrower_id: UUID, card_id: UUID, code: str, uow: LendingUnitOfWork, clock: Clock,
                            policy: Policy = DEFAULT_POLICY) -> LendOutcome:
    """The borrower lends an item by its label, on the phone: only articles that allow it, and only
    when every rule allows it; the loan is at the item's site."""
    async with uow:
        borrower = await uow.lending.get_borrower(borrower_id)
        card = await uow.lending.active_card(borrower_id)
        if borrower is None or card is None or card.id != card_id:
            raise Forbidden("Sign in again with your card.")
        return await _lend(uow, borrower, card, [code], None, None, clock.now(), self_service=True, policy=policy)


async def set_site_weekdays(site_id: UUID, weekdays: frozenset[int], uow: LendingUnitOfWork, actor: Actor,
                            hours: tuple[time, time] | None = None) -> None:
    """The weekdays the site is open and, when given, its hours on them (replaced: None clears them)."""
    require_staff(actor)
    async with uow:
        await check_site(uow, actor.municipality_id, site_id, None)  # the path's site: 404 when not ours
        scope.require_site(actor, site_id)
        await uow.circulation.set_site_weekdays(actor.municipality_id, site_id, weekdays, hours)
        details: dict[str, Any] = {"weekdays": sorted(weekdays)}
        if hours is not None:
            details |= {"opens": hours[0].isoformat("minutes"), "closes": hours[1].isoformat("minutes")}
        uow.audit(AuditEntry(actor.municipality_id, actor.account_id, "lending_site.weekdays", "site", site_id,
                             details))
        await uow.commit()
