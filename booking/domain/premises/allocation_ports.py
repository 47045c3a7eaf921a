"""What the allocation round needs from storage."""

from __future__ import annotations

from typing import Protocol


class AllocationRepository(Protocol):
    pass
