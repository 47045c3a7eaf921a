"""Benchmark data of lending circulation: a stock of its own (categories, articles, 5,000 labelled items
over the first five sites, 2,000 borrowers with cards), 20,000 historic (returned) loans, and open loans
for the return row. Appended to datagen.STEPS after the catalogue's steps; independent of them.

Items and cards the rows use are found again by the rows themselves (tests/bench/circulation_rows.py):
available items and active cards of the "Bench" articles, in id order."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from booking.adapters.db import tables_circulation as tc
from booking.adapters.db import tables_lending as tl
from booking.domain.lending.labels import ALPHABET, CODE_LENGTH, luhn_digit
from booking.domain.lending.model import ItemStatus

if TYPE_CHECKING:  # datagen imports this module to splice STEPS in
    from tests.bench.datagen import Gen

ARTICLES = [("Skridskor", "38"), ("Skridskor", "42"), ("Längdskidor", "150 cm"), ("Hjälm", "M"), ("Fotboll", "5"),
            ("Tält", None), ("Sovsäck", "L"), ("Fiskespö", None), ("Innebandyklubba", "80 cm"), ("Kajak", None)]
BENCH_CATEGORY = "Bench-utrustning"


def _sizes(g: Gen) -> dict[str, int]:
    if g.size.name == "quick":
        return {"items": 1_500, "on_loan": 300, "borrowers": 400, "historic": 2_000}
    return {"items": 5_000, "on_loan": 1_600, "borrowers": 2_000, "historic": 20_000}


async def circulation(g: Gen) -> None:
    from tests.bench.datagen import EPOCH

    sizes = _sizes(g)
    m = g.data.municipality_id
    sites = g.data.site_ids[:5]
    category = g.new_id()
    await g.insert(tl.lending_categories, [{"id": category, "municipality_id": m, "parent_id": None,
                                            "name": BENCH_CATEGORY, **g.created(300)}])
    articles = []
    for name, variant in ARTICLES:
        articles.append({"id": g.new_id(), "municipality_id": m, "category_id": category, "name": name,
                         "description": None, "variant": variant, "min_age": None, "max_age": None,
                         "loan_period_days": 14, "needs_guardian_consent": False, "self_service": True,
                         "photo_url": None, **g.created(300)})
    await g.insert(tl.lending_articles, articles)
    codes: set[str] = set()
    items = []
    for i in range(sizes["items"]):
        code = ""
        while not code or code in codes:
            code = "".join(g.rng.choice(ALPHABET) for _ in range(CODE_LENGTH))
        codes.add(code)
        article = articles[i % len(articles)]
        status = ItemStatus.ON_LOAN if i >= sizes["items"] - sizes["on_loan"] else ItemStatus.AVAILABLE
        items.append({"id": g.new_id(), "municipality_id": m, "article_id": article["id"],
                      "site_id": sites[i % len(sites)], "label_code": code, "status": status.value,
                      "condition_note": None, "donation_id": None, "last_counted_at": None, **g.created(200)})
    await g.insert(tl.lending_items, items, label="lending items")
    borrowers, cards, numbers = [], [], set()
    for i in range(sizes["borrowers"]):
        borrower_id = g.new_id()
        created = g.created(365)
        borrowers.append({"id": borrower_id, "municipality_id": m, "account_id": None, "name": f"Låntagare {i}",
                          "mobile": None, "email": f"lantagare{i:05d}@bench.example",
                          "birth_year": g.rng.randrange(1950, 2016), "gender": None,
                          "area_id": g.rng.choice(g.data.area_ids), "guardian_id": None, "blocked_reason": None,
                          "blocked_at": None, "pin_hash": None, "last_active_at": created["created_at"],
                          "anonymised_at": None, "registered_via": "desk", **created})
        number = ""
        while not number or number in numbers:
            body = str(g.rng.randrange(10 ** 8, 10 ** 9))
            number = body + luhn_digit(body)
        numbers.add(number)
        cards.append({"id": g.new_id(), "municipality_id": m, "borrower_id": borrower_id, "number": number,
                      "active": True, "issued_at": created["created_at"], "blocked_at": None, **created})
    await g.insert(tl.borrowers, borrowers, label="lending borrowers")
    await g.insert(tl.lending_cards, cards, label="lending cards")

    def loans() -> Any:
        # Historic loans over the last two years, returned; then the open ones of the items on loan (their
        # borrowers are the last cards, so the lend row's first cards start with no loans).
        for _ in range(sizes["historic"]):
            item = g.rng.choice(items)
            lent = EPOCH - timedelta(days=g.rng.randrange(20, 730), minutes=g.rng.randrange(600))
            due = (lent + timedelta(days=14)).date()
            back = lent + timedelta(days=g.rng.randrange(1, 25))
            yield {"id": g.new_id(), "municipality_id": m, "item_id": item["id"], "article_id": item["article_id"],
                   "borrower_id": g.rng.choice(borrowers)["id"], "site_id": item["site_id"], "lent_at": lent,
                   "due_on": due, "lent_by": None, "self_service": g.rng.random() < 0.2,
                   "renewals": g.rng.choice((0, 0, 0, 1)), "returned_at": back, "returned_site_id": item["site_id"],
                   "returned_by": None, "return_reported_at": None, "created_at": lent, "updated_at": back}
        lenders = borrowers[len(borrowers) // 2:]
        for n, item in enumerate(i for i in items if i["status"] == ItemStatus.ON_LOAN.value):
            lent = EPOCH - timedelta(days=g.rng.randrange(0, 10))
            yield {"id": g.new_id(), "municipality_id": m, "item_id": item["id"], "article_id": item["article_id"],
                   "borrower_id": lenders[n % len(lenders)]["id"], "site_id": item["site_id"], "lent_at": lent,
                   "due_on": (lent + timedelta(days=14)).date(), "lent_by": None, "self_service": False,
                   "renewals": 0, "returned_at": None, "returned_site_id": None, "returned_by": None,
                   "return_reported_at": None, "created_at": lent, "updated_at": lent}

    await g.insert(tc.lending_loans, loans(), label="lending loans")
    await g.insert(tc.lending_site_hours, [{"site_id": s, "municipality_id": m, "weekdays": "01234", "opens": None,
                                            "closes": None, **g.created(100)} for s in sites])


STEPS: Sequence[tuple[str, Any]] = [("circulation", circulation)]
