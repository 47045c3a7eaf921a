"""The authorization matrix's requests for the operations of lending circulation (loans, returns, renewals, holds).

`REQUESTS` maps operationId -> a minimal valid request (see test_authorization_matrix);
`path_ids` supplies the ids of this part's path parameters. The first call for a world stocks its site with
articles, labelled items, a borrower with a card, an open loan and a hold (straight through the unit of work)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import httpx

from booking.adapters.db.database import Database
from booking.adapters.db.uow import SqlUnitOfWork
from booking.domain.lending.borrowers import Borrower, Card
from booking.domain.lending.circulation import Hold, Loan
from booking.domain.lending.labels import new_card_number, new_label_code
from booking.domain.lending.model import Article, Category, Item, ItemStatus
from tests.conftest import FAST_HASHER, World

PIN = "4711"


@dataclass
class Stock:
    card_number: str
    article_id: str
    codes: list[str]
    on_loan_code: str
    loan_id: str
    hold_id: str


_STOCK: dict[str, Stock] = {}


def _stock(world: World) -> Stock:
    return _STOCK[world.municipality_id]


async def stock(db: Database, world: World) -> Stock:
    if world.municipality_id in _STOCK:
        return _STOCK[world.municipality_id]
    m, site = UUID(world.municipality_id), UUID(world.site_id)
    now = datetime.now(UTC)
    uow = SqlUnitOfWork(db)
    async with uow:
        category = Category(m, "Bollsport")
        uow.lending.add_category(category)
        article = Article(m, category.id, "Fotboll", variant="5", self_service=True)
        uow.lending.add_article(article)
        items = [Item(m, article.id, site, label_code=new_label_code()) for _ in range(4)]
        lent = Item(m, article.id, site, status=ItemStatus.ON_LOAN, label_code=new_label_code())
        for item in [*items, lent]:
            uow.lending.add_item(item)
        borrower = Borrower(m, "Matris Låntagare", "0701234567", 1990, pin_hash=await FAST_HASHER.hash(PIN))
        uow.lending.add_borrower(borrower)
        card = Card(borrower.id, new_card_number(), m, issued_at=now)
        uow.lending.add_card(card)
        await uow.lending.flush()
        loan = Loan(m, lent.id, article.id, borrower.id, site, now, (now + timedelta(days=14)).date())
        uow.circulation.add_loan(loan)
        hold = Hold(m, article.id, borrower.id, site, now)
        uow.circulation.add_hold(hold)
        await uow.commit()
    found = Stock(card.number, str(article.id), [i.label_code or "" for i in items], lent.label_code or "",
                  str(loan.id), str(hold.id))
    _STOCK[world.municipality_id] = found
    return found


def _db(client: httpx.AsyncClient) -> Database:
    app: Any = client._transport.app  # type: ignore[attr-defined]  # the in-process app's database
    return app.state.db  # type: ignore[no-any-return]


REQUESTS: dict[str, Any] = {
    "lendItems": lambda w: {"json": {"card_number": _stock(w).card_number, "site_id": w.site_id,
                                     "codes": [_stock(w).codes[0]]}},
    "listLoans": lambda w: {},
    "renewLoan": lambda w: {},
    "returnItem": lambda w: {"json": {"code": _stock(w).on_loan_code, "site_id": w.site_id}},
    "lookUpCard": lambda w: {},
    "placeHold": lambda w: {"json": {"card_number": _stock(w).card_number, "article_id": _stock(w).article_id,
                                     "site_id": w.site_id}},
    "listHolds": lambda w: {},
    "cancelHold": lambda w: {},
    "setLendingOpeningDays": lambda w: {"json": {"weekdays": [0, 1, 2, 3, 4]}},
    "getLendingOpeningDays": lambda w: {},
    "previewDueDate": lambda w: {"params": {"site_id": w.site_id, "lent_on": "2027-03-12"}},
    # Self-service routes are public to the guard and check the borrower token themselves (422 without one).
    "startBorrowerSession": lambda w: {"json": {"card_number": _stock(w).card_number, "pin": PIN}},
    "getMyLending": lambda w: {},
    "getItemForBorrowing": lambda w: {},
    "borrowItem": lambda w: {"json": {"code": _stock(w).codes[1]}},
    "renewMyLoan": lambda w: {},
    "reportReturn": lambda w: {},
    "holdArticle": lambda w: {"json": {"article_id": _stock(w).article_id, "site_id": w.site_id}},
    "cancelMyHold": lambda w: {},
}


async def path_ids(client: httpx.AsyncClient, world: World, path: str, operation_id: str) -> dict[str, str]:
    found = await stock(_db(client), world)
    return {"loan_id": found.loan_id, "hold_id": found.hold_id, "card_number": found.card_number,
            "code": found.codes[2]}
