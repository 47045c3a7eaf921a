"""Imperative mapping of equipment lending (Fritidsbanken)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import registry, relationship

from booking.adapters.db import tables_lending as t
from booking.domain.lending.borrowers import Borrower, Card, Consent
from booking.domain.lending.intake import Donation, StockCount, StockScan
from booking.domain.lending.labels import Label, LabelPrint
from booking.domain.lending.model import Article, Category, Item, ItemEvent
from booking.domain.municipalities.model import Municipality
from booking.domain.premises.model import Site


def map_all(mapper_registry: registry, ref: Callable[[type], Any]) -> None:
    """Called once from `mapping.start_mappers`; `ref` makes an insert-order-only many-to-one."""
    m = mapper_registry.map_imperatively
    m(Category, t.lending_categories, properties={"_municipality": ref(Municipality)})
    m(Article, t.lending_articles, properties={"_municipality": ref(Municipality), "_category": ref(Category)})
    m(Donation, t.lending_donations, properties={"_municipality": ref(Municipality), "_site": ref(Site)})
    m(Item, t.lending_items, properties={
        "_municipality": ref(Municipality), "_article": ref(Article), "_site": ref(Site),
        "_donation": ref(Donation)})
    m(ItemEvent, t.lending_item_events, properties={"_item": ref(Item)})
    m(Label, t.lending_labels, properties={"_municipality": ref(Municipality), "_item": ref(Item)})
    m(LabelPrint, t.lending_label_prints, properties={"_municipality": ref(Municipality)})
    m(Consent, t.borrower_consents, properties={"_category": ref(Category)})
    m(Borrower, t.borrowers, properties={
        "_municipality": ref(Municipality),
        "consents": relationship(Consent, lazy="selectin", cascade="all, delete-orphan",
                                 foreign_keys=[t.borrower_consents.c.borrower_id],
                                 order_by=t.borrower_consents.c.given_at),
    })
    m(Card, t.lending_cards, properties={"_municipality": ref(Municipality), "_borrower": ref(Borrower)})
    m(StockCount, t.lending_stock_counts, properties={"_municipality": ref(Municipality), "_site": ref(Site)})
    m(StockScan, t.lending_stock_scans, properties={"_count": ref(StockCount), "_item": ref(Item)})
