"""What the circulation use cases share: reading scans and cards, the local day, open days, the rules' facts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Protocol, TypeVar
from uuid import UUID

from booking.domain.lending.borrowers import Borrower, Card
from booking.domain.lending.circulation import ArticleFacts, EventKind
from booking.domain.lending.due_dates import OpenDays
from booking.domain.lending.labels import normalize_card_number, normalize_code
from booking.domain.lending.model import Article, Item
from booking.domain.lending.ports import LendingUnitOfWork
from booking.domain.people.roles import Actor, Role
from booking.domain.shared.errors import Forbidden, NotFound, ValidationError, expect
from booking.domain.shared.tenancy import of_municipality

__all__ = ["EventKind", "article", "article_facts", "check_site", "code_from_scan", "consents", "find_card",
           "item_by_scan", "local_today", "open_days", "own", "require_staff"]


def code_from_scan(value: str, field: str) -> str:
    """A label code from what a scanner typed: the code itself or the label's whole URL (…/q/CODE)."""
    text = value.strip()
    if "/q/" in text:
        text = text.rsplit("/q/", 1)[1].split("?", 1)[0].split("#", 1)[0].strip("/")
    return normalize_code(text, field)


def require_staff(actor: Actor) -> None:
    if not actor.has(Role.LENDING_STAFF):
        raise Forbidden("Only lending staff work the desk.")


async def local_today(uow: LendingUnitOfWork, municipality_id: UUID, now: datetime) -> date:
    municipality = expect(await uow.municipalities.get(municipality_id), f"municipality {municipality_id}")
    return now.astimezone(municipality.zone).date()


async def open_days(uow: LendingUnitOfWork, municipality_id: UUID, site_id: UUID, today: date) -> OpenDays:
    weekdays = await uow.circulation.site_weekdays(site_id)
    closed = await uow.calendars.closed_days(municipality_id, range(today.year, today.year + 3))
    return OpenDays(weekdays if weekdays is not None else OpenDays().weekdays, closed)


async def check_site(uow: LendingUnitOfWork, municipality_id: UUID, site_id: UUID,
                     field: str | None = "site_id") -> None:
    """The site is the municipality's: else 422 naming `field`, or 404 when it is the path's (field None)."""
    of_municipality(await uow.sites.get(site_id), municipality_id, "site", site_id, field)


async def find_card(uow: LendingUnitOfWork, municipality_id: UUID, number: str,
                    field: str = "card_number") -> tuple[Borrower, Card]:
    found = await uow.lending.borrower_by_card(municipality_id, normalize_card_number(number, field))
    if found is None:
        raise ValidationError(field, "No active card has this number.", "unknown")
    return found


async def item_by_scan(uow: LendingUnitOfWork, municipality_id: UUID, code: str, field: str) -> Item:
    item = await uow.lending.item_by_code(municipality_id, code)
    if item is None:
        raise ValidationError(field, f"No item has the label {code}.", "unknown")
    return item


async def article(uow: LendingUnitOfWork, article_id: UUID) -> Article:
    found = await uow.lending.get_article(article_id)
    if found is None:
        raise NotFound("Article", article_id)
    return found


def article_facts(a: Article) -> ArticleFacts:
    return ArticleFacts(a.id, a.category_id, a.name + (f" {a.variant}" if a.variant else ""), a.min_age, a.max_age,
                        a.needs_guardian_consent, a.self_service)


async def consents(uow: LendingUnitOfWork, borrower: Borrower, articles: Sequence[Article]) -> frozenset[UUID]:
    """The categories (of these articles) the borrower's guardian consented to, a top category covering its own."""
    granted: set[UUID] = set()
    for a in articles:
        if not a.needs_guardian_consent:
            continue  # only consent articles ask
        category = await uow.lending.get_category(a.category_id)
        if borrower.has_consent(a.category_id, category.parent_id if category else None):
            granted.add(a.category_id)
    return frozenset(granted)


class Borrowed(Protocol):
    @property
    def borrower_id(self) -> UUID: ...


B = TypeVar("B", bound=Borrowed)


def own(found: B | None, borrower_id: UUID, what: str, ident: UUID) -> B:
    """The borrower's own loan or hold; anybody else's does not exist for them (404)."""
    if found is None or found.borrower_id != borrower_id:
        raise NotFound(what, ident)
    return found
