"""HTTP routes of the season allocation round (tidsfördelning)."""

from __future__ import annotations

from typing import Any

HANDLERS: list[Any] = []
