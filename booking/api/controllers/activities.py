"""HTTP routes of holiday activities (lovaktiviteter)."""

from __future__ import annotations

from typing import Any

HANDLERS: list[Any] = []
