"""Imperative mapping of lending circulation; mapped after the catalogue, since loans refer to items."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import registry

from booking.adapters.db import tables_circulation as t
from booking.domain.lending.borrowers import Borrower
from booking.domain.lending.circulation import Hold, Loan
from booking.domain.lending.model import Article, Item
from booking.domain.municipalities.model import Municipality


def map_all(mapper_registry: registry, ref: Callable[[type], Any]) -> None:
    """Called once from `mapping.start_mappers`; `ref` makes an insert-order-only many-to-one."""
    mapper_registry.map_imperatively(Loan, t.lending_loans, properties={
        "_municipality": ref(Municipality), "_item": ref(Item), "_article": ref(Article), "_borrower": ref(Borrower)})
    mapper_registry.map_imperatively(Hold, t.lending_holds, properties={
        "_municipality": ref(Municipality), "_article": ref(Article), "_borrower": ref(Borrower)})
