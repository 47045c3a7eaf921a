"""HTTP routes of equipment lending (Fritidsbanken)."""

from __future__ import annotations

from typing import Any

HANDLERS: list[Any] = []
