"""Who may borrow what: the rules checked at the moment of lending. Pure: no storage, no clock."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from booking.domain.lending.policy import Policy
from booking.domain.shared.errors import FieldProblem, ValidationError

BORROWER_REFUSALS = frozenset({"blocked", "card-inactive", "limit"})  # the card's, not one article's


@dataclass(frozen=True, slots=True)
class Refusal:
    code: str  # blocked | card-inactive | too-young | too-old | consent-needed | limit | not-self-service
    message: str
    article_id: UUID | None = None  # the article it concerns; None: the borrower's


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
            found.append(Refusal("too-young", f"{a.name} is lent from the age of {a.min_age}.", a.article_id))
        if a.max_age is not None and age is not None and age > a.max_age:
            found.append(Refusal("too-old", f"{a.name} is lent up to the age of {a.max_age}.", a.article_id))
        minor = age is None or age < ADULT_AGE
        if a.needs_guardian_consent and minor and (
                a.category_id is None or a.category_id not in borrower.consent_categories):
            found.append(Refusal("consent-needed", f"{a.name} needs a guardian's consent for borrowers under 18.",
                                 a.article_id))
        if self_service and not a.self_service:
            found.append(Refusal("not-self-service", f"{a.name} is lent at the desk; ask the staff.", a.article_id))
    return found


def raise_refusals(found: Sequence[Refusal], article_ids: Sequence[UUID], field_of: Callable[[int], str]) -> None:
    """Refuse with every reason at once: the borrower's on `card_number`, an article's on the line of the
    first item of that article (`field_of(index)`)."""
    problems = []
    for refusal in found:
        index = next((i for i, a in enumerate(article_ids) if a == refusal.article_id), None)
        at = "card_number" if refusal.code in BORROWER_REFUSALS or index is None else field_of(index)
        problems.append(FieldProblem(at, refusal.message, refusal.code))
    if problems:
        raise ValidationError.many(problems)
