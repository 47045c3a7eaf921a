"""Circulation rules: loans, renewals, holds and who may borrow what. Pure: no storage, no clock.

- A loan falls due on the site's next open day after the loan period (see due_dates).
- A renewal starts a new loan period from today; it is refused when the loan is returned, when the
  borrower has used the policy's renewals, when someone holds the article, or when it would not move
  the due date.
- Holds queue per article (an article is one kind of equipment in one size) and pickup site, first
  come first served. A returned item goes to the first waiting hold of its article at the site where
  it was returned; it then waits on the hold shelf until `hold_shelf_days` have passed.
- Who may borrow what (limits, blocks, age, consent, self-service) is in eligibility.py, the policy's
  numbers in policy.py; both are re-exported here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from uuid import UUID

from booking.domain.lending.borrowers import Borrower
from booking.domain.lending.due_dates import OpenDays, due_on
from booking.domain.lending.eligibility import (
    ADULT_AGE,
    ArticleFacts,
    BorrowerFacts,
    Refusal,
    age_this_year,
    raise_refusals,
    refusals,
)
from booking.domain.lending.model import Article, Item, ItemEvent, ItemStatus
from booking.domain.lending.policy import DEFAULT_POLICY, Policy
from booking.domain.shared.errors import Conflict, ValidationError
from booking.domain.shared.ids import new_id

__all__ = ["ADULT_AGE", "DEFAULT_POLICY", "OPEN_HOLD", "ArticleFacts", "BorrowerFacts", "Condition", "EventKind",
           "Hold", "HoldStatus", "Loan", "Policy", "Refusal", "age_this_year", "check_may_hold", "lend_item",
           "next_in_queue", "queue", "queue_position", "raise_refusals", "refusals", "set_aside", "take_back"]


class Condition(StrEnum):
    """What the desk saw when the item came back."""

    OK = "ok"  # back on the shelf
    CHECK = "check"  # someone should look at it before it is lent again
    REPAIR = "repair"  # broken: to repair

    @property
    def status_after_return(self) -> ItemStatus:
        return {Condition.OK: ItemStatus.AVAILABLE, Condition.CHECK: ItemStatus.BEING_CHECKED,
                Condition.REPAIR: ItemStatus.IN_REPAIR}[self]


class EventKind:
    """The lines circulation writes in an item's history."""

    LOAN = "loan"
    RETURN = "return"
    HOLD_SHELF = "hold_shelf"
    HOLD_EXPIRED = "hold_expired"


class HoldStatus(StrEnum):
    WAITING = "waiting"
    READY = "ready"  # an item waits on the hold shelf
    COLLECTED = "collected"
    CANCELLED = "cancelled"
    EXPIRED = "expired"


OPEN_HOLD = frozenset({HoldStatus.WAITING, HoldStatus.READY})


@dataclass(eq=False)
class Loan:
    municipality_id: UUID
    item_id: UUID
    article_id: UUID
    borrower_id: UUID
    site_id: UUID  # where it was lent
    lent_at: datetime
    due_on: date
    lent_by: UUID | None = None  # the staff account; None for self-service
    self_service: bool = False
    renewals: int = 0
    returned_at: datetime | None = None
    returned_site_id: UUID | None = None
    returned_by: UUID | None = None
    return_reported_at: datetime | None = None  # "returned by phone": waits for the desk to confirm
    id: UUID = field(default_factory=new_id)
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @property
    def is_open(self) -> bool:
        return self.returned_at is None

    def is_overdue(self, today: date) -> bool:
        return self.is_open and today > self.due_on

    def overdue_days(self, today: date) -> int:
        """Days past the due date on `today` (0 when not late)."""
        return max((today - self.due_on).days, 0)

    def renew(self, *, today: date, period_days: int, open_days: OpenDays, policy: Policy, held: bool) -> date:
        if not self.is_open:
            raise Conflict("This loan is already returned.", [{"field": "loan_id", "reason": "returned"}])
        if self.renewals >= policy.max_renewals:
            raise Conflict(f"This loan has been renewed {self.renewals} times, the most allowed.",
                           [{"field": "loan_id", "reason": "renewal-limit"}])
        if held:
            raise Conflict("Someone is waiting for this article; return it so they can borrow it.",
                           [{"field": "loan_id", "reason": "held"}])
        new_due = due_on(today, period_days, open_days)
        if new_due <= self.due_on:
            raise Conflict(f"The loan already runs to {self.due_on.isoformat()}; renew it closer to then.",
                           [{"field": "loan_id", "reason": "too-early"}])
        self.due_on = new_due
        self.renewals += 1
        return new_due

    def close(self, *, at: datetime, site_id: UUID, by: UUID | None) -> None:
        if not self.is_open:
            raise Conflict("This loan is already returned.", [{"field": "loan_id", "reason": "returned"}])
        self.returned_at = at
        self.returned_site_id = site_id
        self.returned_by = by

    def report_return(self, at: datetime) -> None:
        if not self.is_open:
            raise Conflict("This loan is already returned.", [{"field": "loan_id", "reason": "returned"}])
        if self.return_reported_at is None:
            self.return_reported_at = at


@dataclass(eq=False)
class Hold:
    municipality_id: UUID
    article_id: UUID
    borrower_id: UUID
    site_id: UUID  # where the borrower picks it up
    placed_at: datetime
    status: HoldStatus = HoldStatus.WAITING
    item_id: UUID | None = None
    ready_at: datetime | None = None
    expires_on: date | None = None  # the last day on the hold shelf
    closed_at: datetime | None = None
    id: UUID = field(default_factory=new_id)
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_HOLD

    def make_ready(self, item_id: UUID, *, at: datetime, today: date, policy: Policy) -> None:
        if self.status != HoldStatus.WAITING:
            raise Conflict("Only a waiting hold can get an item.")
        self.status = HoldStatus.READY
        self.item_id = item_id
        self.ready_at = at
        self.expires_on = today + timedelta(days=policy.hold_shelf_days)

    def collect(self, at: datetime) -> None:
        if self.status != HoldStatus.READY:
            raise Conflict("This hold has no item waiting.")
        self.status = HoldStatus.COLLECTED
        self.closed_at = at

    def cancel(self, at: datetime) -> None:
        if not self.is_open:
            raise Conflict("This hold is no longer open.", [{"field": "hold_id", "reason": self.status.value}])
        self.status = HoldStatus.CANCELLED
        self.closed_at = at

    def is_expired(self, today: date) -> bool:
        return self.status == HoldStatus.READY and self.expires_on is not None and today > self.expires_on

    def expire(self, at: datetime) -> None:
        if self.status != HoldStatus.READY:
            raise Conflict("Only a hold on the shelf expires.")
        self.status = HoldStatus.EXPIRED
        self.closed_at = at


def queue(holds: Iterable[Hold]) -> list[Hold]:
    """The waiting holds in the order they are served: first placed first (id breaks ties)."""
    return sorted((h for h in holds if h.status == HoldStatus.WAITING), key=lambda h: (h.placed_at, str(h.id)))


def next_in_queue(holds: Iterable[Hold], site_id: UUID) -> Hold | None:
    """The hold a returned item at `site_id` goes to, if any."""
    waiting = queue(h for h in holds if h.site_id == site_id)
    return waiting[0] if waiting else None


def queue_position(holds: Iterable[Hold], hold: Hold) -> int | None:
    """1 for the next in line at the hold's site; None when it is not waiting."""
    for position, h in enumerate(queue(x for x in holds if x.site_id == hold.site_id), start=1):
        if h.id == hold.id:
            return position
    return None


# --- the rules of lending, returning and holding -----------------------------------------------------


def lend_item(item: Item, article: Article, borrower_id: UUID, site_id: UUID, *, at: datetime, due: date,
              by: UUID | None, self_service: bool) -> tuple[Loan, ItemEvent]:
    """The loan of an item checked lendable (`Item.check_lendable`), and the line of its history."""
    event = item.change_status(ItemStatus.ON_LOAN, at=at, by=by, site_id=site_id, kind=EventKind.LOAN)
    loan = Loan(item.municipality_id, item.id, article.id, borrower_id, site_id, at, due, lent_by=by,
                self_service=self_service)
    return loan, event


def take_back(loan: Loan, item: Item, condition: Condition, *, site_id: UUID, at: datetime, by: UUID | None,
              note: str | None) -> list[ItemEvent]:
    """Close the loan at `site_id`: the item is then at that site, in the status its condition decides."""
    loan.close(at=at, site_id=site_id, by=by)
    events = [item.change_status(Condition(condition).status_after_return, at=at, by=by, site_id=site_id,
                                 note=note, kind=EventKind.RETURN)]
    if note:
        events.append(item.set_condition(note, at=at, by=by))
    return events


def set_aside(item: Item, hold: Hold, *, at: datetime, today: date, policy: Policy, by: UUID | None) -> ItemEvent:
    """The item goes on the hold shelf for a waiting hold, until `policy.hold_shelf_days` have passed."""
    hold.make_ready(item.id, at=at, today=today, policy=policy)
    return item.change_status(ItemStatus.ON_HOLD_SHELF, at=at, by=by, kind=EventKind.HOLD_SHELF)


def check_may_hold(borrower: Borrower, open_holds: Sequence[Hold], article_id: UUID, policy: Policy) -> None:
    """A borrower who is not blocked holds an article once, and at most `policy.max_holds` at a time."""
    if borrower.is_blocked:
        raise ValidationError("card_number", f"The borrower is blocked: {borrower.blocked_reason}", "blocked")
    if any(h.article_id == article_id for h in open_holds):
        raise Conflict("You already hold this article.", [{"field": "article_id", "reason": "duplicate"}])
    if len(open_holds) >= policy.max_holds:
        raise ValidationError("article_id", f"At most {policy.max_holds} holds at a time.", "limit")
