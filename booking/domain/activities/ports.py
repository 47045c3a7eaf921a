"""What the activities services need from storage."""

from __future__ import annotations

from typing import Protocol


class ActivityRepository(Protocol):
    pass
