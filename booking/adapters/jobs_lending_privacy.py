"""Scheduled privacy work of lending (anonymising inactive borrowers), run by the hourly maintenance loop."""

from __future__ import annotations

from booking.adapters.db.database import Database
from booking.config import Settings
from booking.domain.shared.clock import Clock


async def run(db: Database, clock: Clock, settings: Settings | None) -> dict[str, int]:
    """Do what is due now; answer counts of what was done (for the log). Must be idempotent."""
    return {}
