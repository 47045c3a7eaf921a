"""What the lending services need from storage."""

from __future__ import annotations

from typing import Protocol


class LendingRepository(Protocol):
    pass
