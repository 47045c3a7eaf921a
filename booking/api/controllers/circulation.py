"""HTTP routes of lending circulation (loans, returns, renewals, holds)."""

from __future__ import annotations

from typing import Any

HANDLERS: list[Any] = []
