"""Holds: placing and cancelling them, serving the hold shelf, telling the borrower.

Locks follow the global order of circulation_services: the article's hold queue, then items, then the
borrower; only then are rows written."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from booking.domain.lending import scope
from booking.domain.lending.borrowers import Borrower
from booking.domain.lending.circulation import (
    DEFAULT_POLICY,
    Hold,
    HoldStatus,
    Policy,
    check_may_hold,
    next_in_queue,
    queue_position,
    set_aside,
)
from booking.domain.lending.circulation_common import (
    EventKind,
    article,
    check_site,
    find_card,
    local_today,
    own,
    require_staff,
)
from booking.domain.lending.model import Article, Item, ItemStatus
from booking.domain.lending.ports import LendingUnitOfWork
from booking.domain.people.roles import Actor
from booking.domain.shared.audit import AuditEntry
from booking.domain.shared.clock import Clock
from booking.domain.shared.errors import Forbidden, ValidationError, expect
from booking.domain.shared.notifications import Message
from booking.domain.shared.tenancy import of_municipality


def contact(borrower: Borrower) -> tuple[str, str | None]:
    """E-mail when the borrower has an address, else SMS to the mobile number."""
    if borrower.email:
        return "email", borrower.email
    return "sms", borrower.mobile


async def notify_hold_ready(uow: LendingUnitOfWork, borrower: Borrower, hold: Hold, what: Article,
                            at: datetime) -> None:
    """Tell the borrower, once, that the held article waits on the shelf."""
    channel, recipient = contact(borrower)
    if recipient is None or not await uow.circulation.record_reminder(
            borrower.municipality_id, hold.id, "hold_ready", 0, channel, at):
        return
    name = what.name + (f" ({what.variant})" if what.variant else "")
    expires = hold.expires_on.isoformat() if hold.expires_on else ""
    uow.notify(Message(borrower.municipality_id, "lending.hold_ready", recipient,
                       f"{name} väntar på dig hos Fritidsbanken",
                       f"Hej {borrower.name}!\n\n{name} som du reserverade finns nu att hämta. "
                       f"Den väntar på hyllan till och med {expires}.\n\nFritidsbanken", channel=channel))


async def serve_hold(uow: LendingUnitOfWork, item: Item, what: Article, site_id: UUID, now: datetime, today: date,
                     actor_id: UUID | None, policy: Policy) -> Hold | None:
    """Put an available item on the hold shelf for the first waiting hold of its article at this site.
    The caller holds the article's queue and the item (taking the queue again here is a no-op)."""
    await uow.circulation.lock_article_holds(what.id)
    hold = next_in_queue(await uow.circulation.open_holds_of_article(what.id), site_id)
    if hold is None:
        return None
    uow.lending.add_item_event(set_aside(item, hold, at=now, today=today, policy=policy, by=actor_id))
    borrower = await uow.lending.get_borrower(hold.borrower_id)
    if borrower is not None and hold.expires_on is not None:
        await notify_hold_ready(uow, borrower, hold, what, now)
    return hold


async def release_shelf_item(uow: LendingUnitOfWork, hold: Hold, now: datetime, actor_id: UUID | None,
                             policy: Policy) -> None:
    """The item a closed hold kept on the shelf: to the next waiting hold at the site, else available.
    The caller holds the article's queue."""
    item_id = expect(hold.item_id, f"the item on the shelf for hold {hold.id}")
    await uow.lending.lock_item(item_id)
    item = await uow.lending.get_item(item_id)
    if item is None or item.status != ItemStatus.ON_HOLD_SHELF:
        return
    uow.lending.add_item_event(item.change_status(ItemStatus.AVAILABLE, at=now, by=actor_id,
                                                  kind=EventKind.HOLD_EXPIRED))
    what = await article(uow, item.article_id)
    today = await local_today(uow, item.municipality_id, now)
    await serve_hold(uow, item, what, hold.site_id, now, today, actor_id, policy)


@dataclass
class HoldOutcome:
    hold: Hold
    article: Article
    position: int | None


async def _shelf_item(uow: LendingUnitOfWork, article_id: UUID, site_id: UUID) -> Item | None:
    """An item of the article on the shelf at the site, locked (candidates in id order, the lock order)."""
    candidates = sorted((i for i in await uow.lending.items_at_site(site_id)
                         if i.article_id == article_id and i.status == ItemStatus.AVAILABLE), key=lambda i: i.id)
    for item in candidates:
        await uow.lending.lock_item(item.id)  # read again under the lock: a desk may have lent it meanwhile
        if item.status == ItemStatus.AVAILABLE and item.site_id == site_id:
            return item
    return None


async def _place_hold(uow: LendingUnitOfWork, borrower: Borrower, article_id: UUID, site_id: UUID, now: datetime,
                      actor_id: UUID | None, policy: Policy) -> HoldOutcome:
    m = borrower.municipality_id
    what = of_municipality(await uow.lending.get_article(article_id), m, "article", article_id, "article_id")
    await check_site(uow, m, site_id)
    # Locks in the global order: the article's queue, the shelf item it may take at once, the borrower
    # (whose open holds the limit counts).
    await uow.circulation.lock_article_holds(what.id)
    others_wait = await uow.circulation.has_waiting_holds(what.id)
    item = None if others_wait else await _shelf_item(uow, what.id, site_id)
    locked = await uow.lending.lock_borrower(borrower.id)
    if locked is None or locked.is_anonymised:
        raise ValidationError("card_number", "No active card has this number.", "unknown")
    check_may_hold(locked, await uow.circulation.open_holds_of(locked.id), what.id, policy)
    hold = Hold(m, what.id, locked.id, site_id, now)
    uow.circulation.add_hold(hold)
    if item is not None:  # on the shelf at the pickup site and nobody waits before: it goes to the hold at once
        uow.lending.add_item_event(set_aside(item, hold, at=now, today=await local_today(uow, m, now),
                                             policy=policy, by=actor_id))
        await uow.lending.flush()  # the hold row exists before its reminder is recorded
        await notify_hold_ready(uow, locked, hold, what, now)
    uow.audit(AuditEntry(m, actor_id, "hold.placed", "hold", hold.id, {
        "article_id": str(what.id), "borrower_id": str(locked.id), "site_id": str(site_id)}))
    await uow.commit()
    holds = [*await uow.circulation.open_holds_of_article(what.id)]
    return HoldOutcome(hold, what, queue_position(holds, hold))


async def place_hold(card_number: str, article_id: UUID, site_id: UUID, uow: LendingUnitOfWork, actor: Actor,
                     clock: Clock, policy: Policy = DEFAULT_POLICY) -> HoldOutcome:
    """At the desk: queue the card's holder for an article at a pickup site of the staff's own."""
    require_staff(actor)
    async with uow:
        borrower, _ = await find_card(uow, actor.municipality_id, card_number)
        await check_site(uow, actor.municipality_id, site_id)
        scope.require_site(actor, site_id)
        return await _place_hold(uow, borrower, article_id, site_id, clock.now(), actor.account_id, policy)


async def place_own_hold(borrower_id: UUID, article_id: UUID, site_id: UUID, uow: LendingUnitOfWork, clock: Clock,
                         policy: Policy = DEFAULT_POLICY) -> HoldOutcome:
    async with uow:
        borrower = await uow.lending.get_borrower(borrower_id)
        if borrower is None:
            raise Forbidden("Sign in again with your card.")
        return await _place_hold(uow, borrower, article_id, site_id, clock.now(), None, policy)


async def cancel_hold(hold_id: UUID, uow: LendingUnitOfWork, clock: Clock, *, actor: Actor | None = None,
                      borrower_id: UUID | None = None, policy: Policy = DEFAULT_POLICY) -> Hold:
    """Staff cancel a hold picked up at their sites; a borrower their own. An item waiting on the shelf
    goes to the next in line at that site, or back on the shelf."""
    now = clock.now()
    async with uow:
        hold = await uow.circulation.get_hold(hold_id)
        if actor is not None:
            hold = of_municipality(hold, actor.municipality_id, "hold", hold_id)
            require_staff(actor)
            scope.require_site(actor, hold.site_id)
        else:
            hold = own(hold, expect(borrower_id, "the borrower cancelling"), "Hold", hold_id)
        await lock_hold(uow, hold)
        hold = expect(await uow.circulation.get_hold(hold_id, fresh=True), f"hold {hold_id}")  # holds stay
        was_ready = hold.status == HoldStatus.READY
        hold.cancel(now)
        if was_ready and hold.item_id is not None:
            await release_shelf_item(uow, hold, now, actor.account_id if actor else None, policy)
        await uow.commit()
        return hold


async def lock_hold(uow: LendingUnitOfWork, hold: Hold) -> None:
    """The locks a change of this hold needs, in the global order: its article's queue, then the item
    it keeps on the shelf (set only under the queue's lock, so read after it)."""
    await uow.circulation.lock_article_holds(hold.article_id)
    fresh = await uow.circulation.get_hold(hold.id, fresh=True)
    if fresh is not None and fresh.item_id is not None:
        await uow.lending.lock_item(fresh.item_id)
