"""Circulation rules: loans, renewals, holds and who may borrow what. Pure: no storage, no clock.

- A loan falls due on the site's next open day after the loan period (see due_dates).
- A renewal starts a new loan period from today; it is refused when the loan is returned, when the
  borrower has used the policy's renewals, when someone holds the article, or when it would not move
  the due date.
- Holds queue per article (an article is one kind of equipment in one size) and pickup site, first
  come first served. A returned item goes to the first waiting hold of its article at the site where
  it was returned; it then waits on the hold shelf until `hold_shelf_days` have passed.
- A borrower may have at most `max_loans` open loans; a blocked borrower or an inactive card borrows
  nothing; age limits and guardian consent of the article apply; self-service needs an article that
  allows it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from uuid import UUID

from booking.domain.lending.due_dates import OpenDays, due_on
from booking.domain.shared.errors import Conflict
from booking.domain.shared.ids import new_id


@dataclass(frozen=True, slots=True)
class Policy:
    """The municipality's circulation rules."""

    max_loans: int = 5
    max_renewals: int = 2
    max_holds: int = 5
    hold_shelf_days: int = 7
    due_soon_days: int = 2
    overdue_repeat_days: int = 7


DEFAULT_POLICY = Policy()


class Condition(StrEnum):
    """What the desk saw when the item came back."""

    OK = "ok"  # back on the shelf
    CHECK = "check"  # someone should look at it before it is lent again
    REPAIR = "repair"  # broken: to repair


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


# --- who may borrow -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Refusal:
    code: str  # blocked | card-inactive | too-young | too-old | consent-needed | limit | not-self-service
    message: str


@dataclass(frozen=True, slots=True)
class BorrowerFacts:
    """What the rules need to know of a borrower at the moment of lending."""

    blocked_reason: str | None
    card_active: bool
    birth_year: int | None
    open_loans: int
    consent_categories: frozenset[UUID] = frozenset()  # categories a guardian consented to


@dataclass(frozen=True, slots=True)
class ArticleFacts:
    article_id: UUID
    category_id: UUID | None
    name: str
    min_age: int | None
    max_age: int | None
    needs_guardian_consent: bool
    self_service: bool


ADULT_AGE = 18


def age_this_year(birth_year: int | None, today: date) -> int | None:
    """The age the borrower turns this year (only the birth year is kept)."""
    return None if birth_year is None else today.year - birth_year


def refusals(borrower: BorrowerFacts, articles: Sequence[ArticleFacts], *, today: date, policy: Policy,
             self_service: bool) -> list[Refusal]:
    """Every reason this borrower may not borrow these articles now; empty when they may."""
    found: list[Refusal] = []
    if borrower.blocked_reason:
        found.append(Refusal("blocked", f"The borrower is blocked: {borrower.blocked_reason}"))
    if not borrower.card_active:
        found.append(Refusal("card-inactive", "This card is not active; the desk can issue a new one."))
    if borrower.open_loans + len(articles) > policy.max_loans:
        found.append(Refusal("limit", f"At most {policy.max_loans} items at a time; the borrower has "
                                      f"{borrower.open_loans} and asks for {len(articles)} more."))
    age = age_this_year(borrower.birth_year, today)
    for a in articles:
        if a.min_age is not None and (age is None or age < a.min_age):
            found.append(Refusal("too-young", f"{a.name} is lent from the age of {a.min_age}."))
        if a.max_age is not None and age is not None and age > a.max_age:
            found.append(Refusal("too-old", f"{a.name} is lent up to the age of {a.max_age}."))
        minor = age is None or age < ADULT_AGE
        if a.needs_guardian_consent and minor and (
                a.category_id is None or a.category_id not in borrower.consent_categories):
            found.append(Refusal("consent-needed", f"{a.name} needs a guardian's consent for borrowers under 18."))
        if self_service and not a.self_service:
            found.append(Refusal("not-self-service", f"{a.name} is lent at the desk; ask the staff."))
    return found
