"""Imperative mapping of the wish phase and draw of holiday periods (the wishes themselves are rows
the repository reads and writes with Core: they are values of a child, replaced as a whole)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import registry

from booking.adapters.db import tables_draw as t
from booking.domain.activities.draw_model import HolidayDraw, WishingChild
from booking.domain.activities.lov import HolidayPeriod
from booking.domain.municipalities.model import Municipality


def map_all(mapper_registry: registry, ref: Callable[[type], Any]) -> None:
    """Called once from `mapping.start_mappers`; `ref` makes an insert-order-only many-to-one."""
    mapper_registry.map_imperatively(HolidayDraw, t.holiday_draws, properties={
        "_municipality": ref(Municipality), "_period": ref(HolidayPeriod)})
    mapper_registry.map_imperatively(WishingChild, t.draw_children, properties={
        "_municipality": ref(Municipality), "_draw": ref(HolidayDraw)})
