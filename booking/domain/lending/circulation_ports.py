"""What the circulation services need from storage."""

from __future__ import annotations

from typing import Protocol


class CirculationRepository(Protocol):
    pass
