"""A sentinel for partial updates: a field left as KEEP is not changed."""

from __future__ import annotations

from enum import Enum
from typing import Final, Literal, TypeVar

T = TypeVar("T")


class _Keep(Enum):
    KEEP = "KEEP"

    def __repr__(self) -> str:
        return "KEEP"


KEEP: Final = _Keep.KEEP
Keep = Literal[_Keep.KEEP]
