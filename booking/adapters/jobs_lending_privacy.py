"""Scheduled privacy work of equipment lending: borrowers inactive for `lending_anonymise_after_months`
(default 24) are anonymised. Their name, contact details, PIN, guardian link and consents go; birth year,
gender and area stay, and so do their loans, so the statistics do not change.

Inactive: registered or last active (`last_active_at`) before the limit, with no open loan and no loan
lent or returned since. Idempotent: an anonymised borrower is never picked again. Call
`run(db, clock, settings)` is called once an hour by the job runner (maintenance.JOBS)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from booking.adapters.db.database import Database
from booking.adapters.db.uow import SqlUnitOfWork
from booking.config import Settings
from booking.domain.lending.borrower_services import anonymise_inactive
from booking.domain.shared.clock import Clock

log = logging.getLogger("booking.lending.privacy")

DAYS_PER_MONTH = 30.4375


def inactive_before(now: datetime, months: int) -> datetime:
    return now - timedelta(days=round(months * DAYS_PER_MONTH))


async def run(db: Database, clock: Clock, settings: Settings | None) -> dict[str, int]:
    """Anonymise who is due now; answers {"lending_borrowers_anonymised": n} for the maintenance log."""
    months = (settings or Settings()).lending_anonymise_after_months
    now = clock.now()
    count = await anonymise_inactive(SqlUnitOfWork(db), inactive_before(now, months), now)
    if count:
        log.info("anonymised %d inactive borrowers", count)
    return {"lending_borrowers_anonymised": count}
