"""What the phone shows after a label is scanned: the item, and whether the signed-in borrower may borrow it."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from booking.domain.lending.circulation import DEFAULT_POLICY, BorrowerFacts, Loan, Policy, refusals
from booking.domain.lending.circulation_common import article, article_facts, code_from_scan, consents, local_today
from booking.domain.lending.model import Article, Item, ItemStatus
from booking.domain.lending.ports import LendingUnitOfWork
from booking.domain.shared.clock import Clock
from booking.domain.shared.errors import NotFound
from booking.domain.shared.tenancy import belongs


@dataclass
class ItemView:
    item: Item
    article: Article
    site_name: str
    my_loan: Loan | None = None
    reasons: list[tuple[str, str]] | None = None  # (code, message); None when nobody is signed in


async def item_for_borrowing(code: str, borrower_id: UUID | None, uow: LendingUnitOfWork, clock: Clock,
                             policy: Policy = DEFAULT_POLICY) -> ItemView:
    """The scanned item, and for a signed-in borrower whether they may borrow it by phone now."""
    normalized = code_from_scan(code, "code")
    async with uow:
        municipality_id = await uow.circulation.municipality_of_code(normalized)
        item = await uow.lending.item_by_code(municipality_id, normalized) if municipality_id else None
        if item is None:
            raise NotFound("Item", normalized)
        what = await article(uow, item.article_id)
        site = await uow.sites.get(item.site_id)
        view = ItemView(item, what, site.name if site else "")
        if borrower_id is None:
            return view
        borrower = await uow.lending.get_borrower(borrower_id)
        card = await uow.lending.active_card(borrower_id)
        if borrower is None or not belongs(borrower, item.municipality_id):
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
                              await consents(uow, borrower, [what]))
        reasons = [(r.code, r.message) for r in refusals(facts, [article_facts(what)], today=today,
                                                           policy=policy, self_service=True)]
        if item.status != ItemStatus.AVAILABLE:
            reasons.insert(0, ("not-available", "This item is not on the shelf now."))
        view.reasons = reasons
        return view
