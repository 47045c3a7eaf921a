"""Circulation use cases: lend, return, renew, hold, and the borrower's own (self-service) versions.

Each runs in one unit of work. Lending reads the item rows locked (PostgreSQL `FOR UPDATE` in id order;
SQLite writers are serialised by BEGIN IMMEDIATE), checks their status under the lock, and inserts the loans;
the partial unique index on open loans per item is the last line should anything slip past.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from uuid import UUID

from booking.domain.lending.borrowers import Borrower, Card
from booking.domain.lending.circulation import (
    DEFAULT_POLICY,
    ArticleFacts,
    BorrowerFacts,
    Condition,
    Hold,
    HoldStatus,
    Loan,
    Policy,
    next_in_queue,
    queue_position,
    refusals,
)
from booking.domain.lending.due_dates import OpenDays, due_on
from booking.domain.lending.labels import normalize_card_number, normalize_code
from booking.domain.lending.model import Article, Item, ItemStatus
from booking.domain.people.roles import Actor, Role
from booking.domain.ports import UnitOfWork
from booking.domain.shared.audit import AuditEntry
from booking.domain.shared.clock import Clock
from booking.domain.shared.errors import Conflict, FieldProblem, Forbidden, NotFound, ValidationError
from booking.domain.shared.notifications import Message
from booking.domain.shared.tenancy import of_municipality

MAX_ITEMS_PER_LEND = 20


class EventKind:
    LOAN = "loan"
    RETURN = "return"
    HOLD_SHELF = "hold_shelf"
    HOLD_EXPIRED = "hold_expired"


def code_from_scan(value: str, field: str) -> str:
    """A label code from what a scanner typed: the code itself or the label's whole URL (…/q/CODE)."""
    text = value.strip()
    if "/q/" in text:
        text = text.rsplit("/q/", 1)[1].split("?", 1)[0].split("#", 1)[0].strip("/")
    return normalize_code(text, field)


def require_staff(actor: Actor) -> None:
    if not actor.has(Role.LENDING_STAFF):
        raise Forbidden("Only lending staff work the desk.")


async def local_today(uow: UnitOfWork, municipality_id: UUID, now: datetime) -> date:
    municipality = await uow.municipalities.get(municipality_id)
    if municipality is None:
        raise NotFound("Municipality", municipality_id)
    return now.astimezone(municipality.zone).date()


async def open_days(uow: UnitOfWork, municipality_id: UUID, site_id: UUID, today: date) -> OpenDays:
    weekdays = await uow.circulation.site_weekdays(site_id)
    closed = await uow.calendars.closed_days(municipality_id, range(today.year, today.year + 3))
    return OpenDays(weekdays if weekdays is not None else OpenDays().weekdays, closed)


async def check_site(uow: UnitOfWork, municipality_id: UUID, site_id: UUID, field: str = "site_id") -> None:
    of_municipality(await uow.sites.get(site_id), municipality_id, "site", site_id, field)


async def find_card(uow: UnitOfWork, municipality_id: UUID, number: str,
                    field: str = "card_number") -> tuple[Borrower, Card]:
    found = await uow.lending.borrower_by_card(municipality_id, normalize_card_number(number, field))
    if found is None:
        raise ValidationError(field, "No active card has this number.", "unknown")
    return found


async def _item(uow: UnitOfWork, municipality_id: UUID, code: str, field: str) -> Item:
    item = await uow.lending.item_by_code(municipality_id, code)
    if item is None:
        raise ValidationError(field, f"No item has the label {code}.", "unknown")
    return item


async def _article(uow: UnitOfWork, article_id: UUID) -> Article:
    article = await uow.lending.get_article(article_id)
    if article is None:
        raise NotFound("Article", article_id)
    return article


def _article_facts(article: Article) -> ArticleFacts:
    return ArticleFacts(article.id, article.category_id, article.name + (f" {article.variant}" if article.variant
                                                                           else ""),
                        article.min_age, article.max_age, article.needs_guardian_consent, article.self_service)


async def _consents(uow: UnitOfWork, borrower: Borrower, articles: Sequence[Article]) -> frozenset[UUID]:
    """The categories (of these articles) the borrower's guardian consented to, a top category covering its own."""
    granted: set[UUID] = set()
    for a in articles:
        if not a.needs_guardian_consent:
            continue  # only consent articles ask
        category = await uow.lending.get_category(a.category_id)
        if borrower.has_consent(a.category_id, category.parent_id if category else None):
            granted.add(a.category_id)
    return frozenset(granted)


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


async def _lend(uow: UnitOfWork, borrower: Borrower, card: Card, codes: Sequence[str], site_id: UUID | None,
                actor_id: UUID | None, now: datetime, *, self_service: bool, policy: Policy) -> LendOutcome:
    """Self-service lends one item, named `code`; the desk a list, `codes[i]`."""
    m = borrower.municipality_id

    def field_of(i: int) -> str:
        return "code" if self_service else f"codes[{i}]"

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
    by_code, by_id = await uow.circulation.items_and_articles(m, [code for code, _ in wanted])
    for code, f in wanted:
        if code not in by_code:
            raise ValidationError(f, f"No item has the label {code}.", "unknown")
    items = [(by_code[code], f) for code, f in wanted]  # locked by items_and_articles
    today = await local_today(uow, m, now)
    articles: list[Article] = []
    problems: list[FieldProblem] = []
    holds: dict[UUID, Hold] = {}
    for item, f in items:
        articles.append(by_id[item.article_id])
        if item.status == ItemStatus.ON_HOLD_SHELF:
            hold = await uow.circulation.ready_hold_of_item(item.id)
            if hold is not None and hold.borrower_id == borrower.id:
                holds[item.id] = hold
                continue
            raise Conflict(f"{item.label_code} is on the hold shelf for someone else.",
                           [{"field": f, "status": item.status.value, "reason": "held-for-other"}])
        if item.status != ItemStatus.AVAILABLE:
            message = ("is already on loan" if item.status == ItemStatus.ON_LOAN
                       else f"is not available ({item.status.value})")
            reason = "on-loan" if item.status == ItemStatus.ON_LOAN else "not-available"
            raise Conflict(f"{item.label_code} {message}.",
                           [{"field": f, "status": item.status.value, "reason": reason}])
    facts = BorrowerFacts(borrower.blocked_reason, card.active, borrower.birth_year,
                          await uow.circulation.count_open_loans(borrower.id),
                          await _consents(uow, borrower, articles))
    for refusal in refusals(facts, [_article_facts(a) for a in articles], today=today, policy=policy,
                            self_service=self_service):
        index = next((i for i, a in enumerate(articles) if a.name in refusal.message), None)
        at = "card_number" if refusal.code in ("blocked", "card-inactive", "limit") or index is None \
            else field_of(index)
        problems.append(FieldProblem(at, refusal.message, refusal.code))
    if problems:
        raise ValidationError.many(problems)
    outcome = LendOutcome(borrower)
    days_by_site: dict[UUID, OpenDays] = {}
    for (item, _), article in zip(items, articles, strict=True):
        where = site_id or item.site_id
        if where not in days_by_site:
            days_by_site[where] = await open_days(uow, m, where, today)
        loan = Loan(m, item.id, article.id, borrower.id, where, now,
                    due_on(today, article.loan_period_days, days_by_site[where]), lent_by=actor_id,
                    self_service=self_service)
        uow.lending.add_item_event(item.change_status(ItemStatus.ON_LOAN, at=now, by=actor_id, site_id=where,
                                                      kind=EventKind.LOAN))
        if item.id in holds:
            holds[item.id].collect(now)
        uow.circulation.add_loan(loan)
        uow.audit(AuditEntry(m, actor_id, "loan.created", "loan", loan.id, {
            "item": item.label_code, "borrower_id": str(borrower.id), "due_on": loan.due_on.isoformat(),
            "self_service": self_service}))
        outcome.loans.append((loan, item, article))
    borrower.touch(now)
    await uow.commit()
    return outcome


async def lend(command: Lend, uow: UnitOfWork, actor: Actor, clock: Clock, policy: Policy = DEFAULT_POLICY
               ) -> LendOutcome:
    """Lend the scanned items on the card, at the desk of `site_id`."""
    require_staff(actor)
    if command.site_id is None:
        raise ValidationError("site_id", "Choose the desk's site.", "required")
    async with uow:
        await check_site(uow, actor.municipality_id, command.site_id)
        borrower, card = await find_card(uow, actor.municipality_id, command.card_number)
        return await _lend(uow, borrower, card, command.codes, command.site_id, actor.account_id, clock.now(),
                           self_service=False, policy=policy)


async def lend_self_service(borrower_id: UUID, card_id: UUID, code: str, uow: UnitOfWork, clock: Clock,
                            policy: Policy = DEFAULT_POLICY) -> LendOutcome:
    """The borrower lends an item by its label, on the phone: only articles that allow it, and only
    when every rule allows it; the loan is at the item's site."""
    async with uow:
        borrower = await uow.lending.get_borrower(borrower_id)
        card = await uow.lending.active_card(borrower_id)
        if borrower is None or card is None or card.id != card_id:
            raise Forbidden("Sign in again with your card.")
        return await _lend(uow, borrower, card, [code], None, None, clock.now(), self_service=True, policy=policy)


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


async def return_item(command: Return, uow: UnitOfWork, actor: Actor, clock: Clock,
                      policy: Policy = DEFAULT_POLICY) -> ReturnOutcome:
    """Take an item back at any site of the municipality; it is then at that site. A return
    reported by phone is confirmed the same way. OK items go to the first waiting hold at this site."""
    require_staff(actor)
    now = clock.now()
    m = actor.municipality_id
    async with uow:
        await check_site(uow, m, command.site_id)
        code = code_from_scan(command.code, "code")
        item = await _item(uow, m, code, "code")
        await uow.lending.lock_item(item.id)
        loan = await uow.circulation.open_loan_of_item(item.id)
        if loan is None:
            raise Conflict(f"{code} is not on loan.",
                           [{"field": "code", "status": item.status.value, "reason": "not-on-loan"}])
        article = await _article(uow, item.article_id)
        today = await local_today(uow, m, now)
        loan.close(at=now, site_id=command.site_id, by=actor.account_id)
        target = {Condition.OK: ItemStatus.AVAILABLE, Condition.CHECK: ItemStatus.BEING_CHECKED,
                  Condition.REPAIR: ItemStatus.IN_REPAIR}[Condition(command.condition)]
        uow.lending.add_item_event(item.change_status(target, at=now, by=actor.account_id, site_id=command.site_id,
                                                      note=command.note, kind=EventKind.RETURN))
        if command.note:
            uow.lending.add_item_event(item.set_condition(command.note, at=now, by=actor.account_id))
        hold = None
        if target == ItemStatus.AVAILABLE:
            hold = await _serve_hold(uow, item, article, command.site_id, now, today, actor.account_id, policy)
        borrower = await uow.lending.get_borrower(loan.borrower_id)
        if borrower is not None:
            borrower.touch(now)
        uow.audit(AuditEntry(m, actor.account_id, "loan.returned", "loan", loan.id, {
            "item": item.label_code, "site_id": str(command.site_id), "condition": str(command.condition)}))
        await uow.commit()
        return ReturnOutcome(loan, item, article, max((today - loan.due_on).days, 0), hold,
                             borrower.name if borrower is not None else None)


async def _serve_hold(uow: UnitOfWork, item: Item, article: Article, site_id: UUID, now: datetime, today: date,
                      actor_id: UUID | None, policy: Policy) -> Hold | None:
    """Put an available item on the hold shelf for the first waiting hold of its article at this site."""
    await uow.circulation.lock_article_holds(article.id)
    hold = next_in_queue(await uow.circulation.open_holds_of_article(article.id), site_id)
    if hold is None:
        return None
    hold.make_ready(item.id, at=now, today=today, policy=policy)
    uow.lending.add_item_event(item.change_status(ItemStatus.ON_HOLD_SHELF, at=now, by=actor_id,
                                                  kind=EventKind.HOLD_SHELF))
    borrower = await uow.lending.get_borrower(hold.borrower_id)
    if borrower is not None and hold.expires_on is not None:
        await notify_hold_ready(uow, borrower, hold, article, now)
    return hold


async def notify_hold_ready(uow: UnitOfWork, borrower: Borrower, hold: Hold, article: Article, at: datetime) -> None:
    """Tell the borrower, once, that the held article waits on the shelf."""
    channel, recipient = contact(borrower)
    if recipient is None or not await uow.circulation.record_reminder(
            borrower.municipality_id, hold.id, "hold_ready", 0, channel, at):
        return
    name = article.name + (f" ({article.variant})" if article.variant else "")
    expires = hold.expires_on.isoformat() if hold.expires_on else ""
    uow.notify(Message(borrower.municipality_id, "lending.hold_ready", recipient,
                       f"{name} väntar på dig hos Fritidsbanken",
                       f"Hej {borrower.name}!\n\n{name} som du reserverade finns nu att hämta. "
                       f"Den väntar på hyllan till och med {expires}.\n\nFritidsbanken", channel=channel))


def contact(borrower: Borrower) -> tuple[str, str | None]:
    """E-mail when the borrower has an address, else SMS to the mobile number."""
    if borrower.email:
        return "email", borrower.email
    return "sms", borrower.mobile


async def report_return(borrower_id: UUID, loan_id: UUID, uow: UnitOfWork, clock: Clock) -> Loan:
    """"I have returned it" from the phone: the loan stays open until the desk scans the item."""
    async with uow:
        loan = await uow.circulation.get_loan(loan_id)
        if loan is None or loan.borrower_id != borrower_id:
            raise NotFound("Loan", loan_id)
        loan.report_return(clock.now())
        await uow.commit()
        return loan


# --- renewals --------------------------------------------------------------------------------------


async def _renew(uow: UnitOfWork, loan: Loan, now: datetime, actor_id: UUID | None, policy: Policy) -> Loan:
    article = await _article(uow, loan.article_id)
    today = await local_today(uow, loan.municipality_id, now)
    held = await uow.circulation.has_waiting_holds(loan.article_id)
    old = loan.due_on
    loan.renew(today=today, period_days=article.loan_period_days,
               open_days=await open_days(uow, loan.municipality_id, loan.site_id, today), policy=policy, held=held)
    uow.audit(AuditEntry(loan.municipality_id, actor_id, "loan.renewed", "loan", loan.id, {
        "from": old.isoformat(), "to": loan.due_on.isoformat(), "renewals": loan.renewals}))
    await uow.commit()
    return loan


async def renew(loan_id: UUID, uow: UnitOfWork, actor: Actor, clock: Clock, policy: Policy = DEFAULT_POLICY
                ) -> Loan:
    require_staff(actor)
    async with uow:
        loan = await uow.circulation.get_loan(loan_id)
        if loan is None or loan.municipality_id != actor.municipality_id:
            raise NotFound("Loan", loan_id)
        return await _renew(uow, loan, clock.now(), actor.account_id, policy)


async def renew_own(borrower_id: UUID, loan_id: UUID, uow: UnitOfWork, clock: Clock,
                    policy: Policy = DEFAULT_POLICY) -> Loan:
    async with uow:
        loan = await uow.circulation.get_loan(loan_id)
        if loan is None or loan.borrower_id != borrower_id:
            raise NotFound("Loan", loan_id)
        return await _renew(uow, loan, clock.now(), None, policy)


# --- holds -----------------------------------------------------------------------------------------


@dataclass
class HoldOutcome:
    hold: Hold
    article: Article
    position: int | None


async def _place_hold(uow: UnitOfWork, borrower: Borrower, article_id: UUID, site_id: UUID, now: datetime,
                      actor_id: UUID | None, policy: Policy) -> HoldOutcome:
    m = borrower.municipality_id
    article = await uow.lending.get_article(article_id)
    if article is None or article.municipality_id != m:
        raise ValidationError("article_id", "No such article.", "unknown")
    await check_site(uow, m, site_id)
    if borrower.is_blocked:
        raise ValidationError("card_number", f"The borrower is blocked: {borrower.blocked_reason}", "blocked")
    await uow.circulation.lock_article_holds(article.id)
    mine = await uow.circulation.open_holds_of(borrower.id)
    if any(h.article_id == article.id for h in mine):
        raise Conflict("You already hold this article.", [{"field": "article_id", "reason": "duplicate"}])
    if len(mine) >= policy.max_holds:
        raise ValidationError("article_id", f"At most {policy.max_holds} holds at a time.", "limit")
    others_wait = await uow.circulation.has_waiting_holds(article.id)
    hold = Hold(m, article.id, borrower.id, site_id, now)
    uow.circulation.add_hold(hold)
    today = await local_today(uow, m, now)
    # An item on the shelf at the pickup site goes to the hold at once (unless others wait before).
    if not others_wait:
        for item in await uow.lending.items_at_site(site_id):
            if item.article_id == article.id and item.status == ItemStatus.AVAILABLE:
                await uow.lending.lock_item(item.id)
                hold.make_ready(item.id, at=now, today=today, policy=policy)
                uow.lending.add_item_event(item.change_status(ItemStatus.ON_HOLD_SHELF, at=now, by=actor_id,
                                                              kind=EventKind.HOLD_SHELF))
                await uow.lending.flush()  # the hold row exists before its reminder is recorded
                await notify_hold_ready(uow, borrower, hold, article, now)
                break
    uow.audit(AuditEntry(m, actor_id, "hold.placed", "hold", hold.id, {
        "article_id": str(article.id), "borrower_id": str(borrower.id), "site_id": str(site_id)}))
    await uow.commit()
    holds = [*await uow.circulation.open_holds_of_article(article.id)]
    return HoldOutcome(hold, article, queue_position(holds, hold))


async def place_hold(card_number: str, article_id: UUID, site_id: UUID, uow: UnitOfWork, actor: Actor,
                     clock: Clock, policy: Policy = DEFAULT_POLICY) -> HoldOutcome:
    require_staff(actor)
    async with uow:
        borrower, _ = await find_card(uow, actor.municipality_id, card_number)
        return await _place_hold(uow, borrower, article_id, site_id, clock.now(), actor.account_id, policy)


async def place_own_hold(borrower_id: UUID, article_id: UUID, site_id: UUID, uow: UnitOfWork, clock: Clock,
                         policy: Policy = DEFAULT_POLICY) -> HoldOutcome:
    async with uow:
        borrower = await uow.lending.get_borrower(borrower_id)
        if borrower is None:
            raise Forbidden("Sign in again with your card.")
        return await _place_hold(uow, borrower, article_id, site_id, clock.now(), None, policy)


async def cancel_hold(hold_id: UUID, uow: UnitOfWork, clock: Clock, *, actor: Actor | None = None,
                      borrower_id: UUID | None = None, policy: Policy = DEFAULT_POLICY) -> Hold:
    """Staff cancel any hold of the municipality; a borrower their own. An item waiting on the shelf
    goes to the next in line at that site, or back on the shelf."""
    now = clock.now()
    async with uow:
        hold = await uow.circulation.get_hold(hold_id)
        if hold is None or (actor is not None and hold.municipality_id != actor.municipality_id) or (
                borrower_id is not None and hold.borrower_id != borrower_id):
            raise NotFound("Hold", hold_id)
        if actor is not None:
            require_staff(actor)
        await uow.circulation.lock_article_holds(hold.article_id)
        was_ready = hold.status == HoldStatus.READY
        hold.cancel(now)
        if was_ready and hold.item_id is not None:
            await release_shelf_item(uow, hold, now, actor.account_id if actor else None, policy)
        await uow.commit()
        return hold


async def release_shelf_item(uow: UnitOfWork, hold: Hold, now: datetime, actor_id: UUID | None,
                             policy: Policy) -> None:
    """The item a closed hold kept on the shelf: to the next waiting hold at the site, else available."""
    assert hold.item_id is not None
    item = await uow.lending.get_item(hold.item_id)
    if item is None or item.status != ItemStatus.ON_HOLD_SHELF:
        return
    await uow.lending.lock_item(item.id)
    uow.lending.add_item_event(item.change_status(ItemStatus.AVAILABLE, at=now, by=actor_id,
                                                  kind=EventKind.HOLD_EXPIRED))
    article = await _article(uow, item.article_id)
    today = await local_today(uow, item.municipality_id, now)
    await _serve_hold(uow, item, article, hold.site_id, now, today, actor_id, policy)


async def set_site_weekdays(site_id: UUID, weekdays: frozenset[int], uow: UnitOfWork, actor: Actor) -> None:
    require_staff(actor)
    async with uow:
        await check_site(uow, actor.municipality_id, site_id)
        await uow.circulation.set_site_weekdays(actor.municipality_id, site_id, weekdays)
        uow.audit(AuditEntry(actor.municipality_id, actor.account_id, "lending_site.weekdays", "site", site_id,
                             {"weekdays": sorted(weekdays)}))
        await uow.commit()


# --- what the phone shows ------------------------------------------------------------------------


@dataclass
class ItemView:
    item: Item
    article: Article
    site_name: str
    my_loan: Loan | None = None
    reasons: list[tuple[str, str]] | None = None  # (code, message); None when nobody is signed in


async def item_for_borrowing(code: str, borrower_id: UUID | None, uow: UnitOfWork, clock: Clock,
                             policy: Policy = DEFAULT_POLICY) -> ItemView:
    """The scanned item, and for a signed-in borrower whether they may borrow it by phone now."""
    normalized = code_from_scan(code, "code")
    async with uow:
        municipality_id = await uow.circulation.municipality_of_code(normalized)
        item = await uow.lending.item_by_code(municipality_id, normalized) if municipality_id else None
        if item is None:
            raise NotFound("Item", normalized)
        article = await _article(uow, item.article_id)
        site = await uow.sites.get(item.site_id)
        view = ItemView(item, article, site.name if site else "")
        if borrower_id is None:
            return view
        borrower = await uow.lending.get_borrower(borrower_id)
        card = await uow.lending.active_card(borrower_id)
        if borrower is None or borrower.municipality_id != item.municipality_id:
            view.reasons = [("other-municipality", "This item belongs to another municipality's Fritidsbanken.")]
            return view
        loan = await uow.circulation.open_loan_of_item(item.id)
        if loan is not None and loan.borrower_id == borrower.id:
            view.my_loan = loan
            view.reasons = []
            return view
        today = await local_today(uow, item.municipality_id, clock.now())
        facts = BorrowerFacts(borrower.blocked_reason, card is not None and card.active, borrower.birth_year,
                              await uow.circulation.count_open_loans(borrower.id),
                              await _consents(uow, borrower, [article]))
        reasons = [(r.code, r.message) for r in refusals(facts, [_article_facts(article)], today=today,
                                                           policy=policy, self_service=True)]
        if item.status != ItemStatus.AVAILABLE:
            reasons.insert(0, ("not-available", "This item is not on the shelf now."))
        view.reasons = reasons
        return view
