"""Imperative mapping of the season allocation round (tidsfördelning)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import registry, relationship

from booking.adapters.db import tables_allocation as t
from booking.domain.municipalities.model import Municipality
from booking.domain.people.model import Account, Association
from booking.domain.premises.allocation import AllocationRound, Application


def map_all(mapper_registry: registry, ref: Callable[[type], Any]) -> None:
    """Called once from `mapping.start_mappers`; `ref` makes an insert-order-only many-to-one."""
    mapper_registry.map_imperatively(AllocationRound, t.allocation_rounds, properties={
        "_municipality": ref(Municipality)})
    mapper_registry.map_imperatively(Application, t.allocation_applications, properties={
        "_municipality": ref(Municipality), "_round": ref(AllocationRound), "_association": ref(Association),
        "_submitter": relationship(Account, lazy="raise",
                                   foreign_keys=[t.allocation_applications.c.submitted_by])})
