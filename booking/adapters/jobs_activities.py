"""Scheduled work of activities, run by the hourly maintenance loop: the day-before reminders."""

from __future__ import annotations

import sqlalchemy as sa

from booking.adapters.db import tables as t
from booking.adapters.db.database import Database
from booking.adapters.db.uow import SqlUnitOfWork
from booking.config import Settings
from booking.domain.activities import services
from booking.domain.shared.clock import Clock


async def run(db: Database, clock: Clock, settings: Settings | None) -> dict[str, int]:
    """Do what is due now; answer counts of what was done (for the log). Must be idempotent:
    a registration is reminded once (its `reminded_at`), whatever how often this runs."""
    links = services.Links((settings.base_url if settings else "http://localhost:8000").rstrip("/"))
    async with db.read_sessions() as session:
        municipalities = (await session.execute(sa.select(t.municipalities.c.id))).scalars().all()
    sent = 0
    for municipality_id in municipalities:
        sent += await services.send_reminders(municipality_id, SqlUnitOfWork(db), clock, links)
    return {"activity_reminders": sent}
