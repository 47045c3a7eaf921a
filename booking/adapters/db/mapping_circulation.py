"""Imperative mapping of lending circulation; mapped after the catalogue, since loans refer to items."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import registry


def map_all(mapper_registry: registry, ref: Callable[[type], Any]) -> None:
    """Called once from `mapping.start_mappers`; `ref` makes an insert-order-only many-to-one."""
