"""Benchmark data of the lending catalogue (Fritidsbanken): a public catalogue of its own next to
circulation's stock (datagen_circulation: 5,000 items, 2,000 borrowers with cards, 20,000 loans):
6 top categories with 3 subcategories each, 120 articles in sizes, 3 labelled items of each at
sites spread over the municipality (360 items, each with its lending_labels row), and 240 labels
printed in advance and not yet linked, for the label-sheet row (found again by code prefix order)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from booking.adapters.db import tables_lending as tl
from booking.domain.lending.labels import ALPHABET, CODE_LENGTH
from booking.domain.lending.model import ItemStatus

if TYPE_CHECKING:
    from tests.bench.datagen import Gen

TOPS = {"Vintersport": ["Skridskor", "Skidor", "Hjälmar"], "Bollsport": ["Bollar", "Klubbor", "Mål"],
        "Friluftsliv": ["Tält", "Sovsäckar", "Fiske"], "Vattensport": ["Kajaker", "Flytvästar", "Paddlar"],
        "Cykel": ["Cyklar", "Cykelhjälmar", "Cykelkärror"], "Lek": ["Spel", "Rockringar", "Hopprep"]}
SIZES = ["28", "32", "36", "38", "40", "42", "S", "M", "L", "120 cm", "150 cm", None]
UNLINKED_LABELS = 240


def _code(g: Gen, taken: set[str]) -> str:
    code = ""
    while not code or code in taken:
        code = "".join(g.rng.choice(ALPHABET) for _ in range(CODE_LENGTH))
    taken.add(code)
    return code


async def catalogue(g: Gen) -> None:
    from tests.bench.datagen import EPOCH

    m = g.data.municipality_id
    categories: list[dict[str, Any]] = []
    subs: list[tuple[str, Any]] = []
    for top, names in TOPS.items():
        top_id = g.new_id()
        categories.append({"id": top_id, "municipality_id": m, "parent_id": None, "name": top, **g.created(300)})
        for name in names:
            sub_id = g.new_id()
            categories.append({"id": sub_id, "municipality_id": m, "parent_id": top_id, "name": name,
                               **g.created(300)})
            subs.append((name, sub_id))
    await g.insert(tl.lending_categories, categories)
    articles = []
    for n in range(120):
        name, category = subs[n % len(subs)]
        articles.append({"id": g.new_id(), "municipality_id": m, "category_id": category,
                         "name": f"{name.rstrip('r')} modell {n // len(subs) + 1}",
                         "description": "Bänkdata för den publika katalogen.", "variant": SIZES[n % len(SIZES)],
                         "min_age": None, "max_age": None, "loan_period_days": 14,
                         "needs_guardian_consent": n % 5 == 0, "self_service": n % 3 == 0, "photo_url": None,
                         **g.created(300)})
    await g.insert(tl.lending_articles, articles)
    taken: set[str] = set()
    items, labels = [], []
    sites = g.data.site_ids
    for n, article in enumerate(articles):
        for k in range(3):
            code = _code(g, taken)
            item_id = g.new_id()
            status = ItemStatus.ON_LOAN if (n + k) % 4 == 0 else ItemStatus.AVAILABLE
            audit = g.created(200)
            items.append({"id": item_id, "municipality_id": m, "article_id": article["id"],
                          "site_id": sites[(n + k) % len(sites)], "label_code": code, "status": status.value,
                          "condition_note": None, "donation_id": None, "last_counted_at": None, **audit})
            labels.append({"id": g.new_id(), "municipality_id": m, "code": code, "item_id": item_id,
                           "printed_at": EPOCH, "linked_at": audit["created_at"], **audit})
    await g.insert(tl.lending_items, items)
    loose = [{"id": g.new_id(), "municipality_id": m, "code": _code(g, taken), "item_id": None,
              "printed_at": None, "linked_at": None, **g.created(10)} for _ in range(UNLINKED_LABELS)]
    await g.insert(tl.lending_labels, labels + loose)


STEPS: Sequence[tuple[str, Any]] = [("lending catalogue", catalogue)]
