"""Scheduled work of activities, run once an hour by the job runner (maintenance.JOBS): the
day-before reminders and the retention of sign-ups (names and needs of children go once the sessions are
long over)."""

from __future__ import annotations

import os

import sqlalchemy as sa

from booking.adapters.db import tables as t
from booking.adapters.db.database import Database
from booking.adapters.db.uow import SqlUnitOfWork
from booking.config import Settings
from booking.domain.activities import services
from booking.domain.shared.clock import Clock

# Sign-ups can be public records: how long names are kept follows the municipality's retention plan.
# BOOKING_ACTIVITIES_ANONYMISE_AFTER_MONTHS (default 24) until it is a per-municipality setting.
DEFAULT_ANONYMISE_AFTER_MONTHS = 24


def anonymise_after_months() -> int:
    value = os.environ.get("BOOKING_ACTIVITIES_ANONYMISE_AFTER_MONTHS", "").strip()
    return int(value) if value.isdigit() and int(value) > 0 else DEFAULT_ANONYMISE_AFTER_MONTHS


async def run(db: Database, clock: Clock, settings: Settings | None) -> dict[str, int]:
    """Do what is due now; answer counts of what was done (for the log). Must be idempotent:
    a registration is reminded once (its `reminded_at`) and anonymised once, however often this runs."""
    links = services.Links((settings.base_url if settings else "http://localhost:8000").rstrip("/"))
    async with db.read_sessions() as session:
        municipalities = (await session.execute(sa.select(t.municipalities.c.id))).scalars().all()
    sent = 0
    for municipality_id in municipalities:
        sent += await services.send_reminders(municipality_id, SqlUnitOfWork(db), clock, links)
    anonymised = await services.anonymise_old_registrations(anonymise_after_months(), SqlUnitOfWork(db), clock)
    return {"activity_reminders": sent, "activity_registrations_anonymised": anonymised}
