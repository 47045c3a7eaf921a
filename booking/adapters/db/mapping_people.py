"""Imperative mapping of the people's one-time links (invitations, password resets)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import registry

from booking.adapters.db import tables_people as t
from booking.domain.municipalities.model import Municipality
from booking.domain.people.links import OneTimeLink
from booking.domain.people.model import Account


def map_all(mapper_registry: registry, ref: Callable[[type], Any]) -> None:
    """Called once from `mapping.start_mappers`; `ref` makes an insert-order-only many-to-one."""
    mapper_registry.map_imperatively(OneTimeLink, t.one_time_links, properties={
        "_municipality": ref(Municipality), "_account": ref(Account)})
