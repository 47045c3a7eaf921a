"""Scheduled privacy work of föreningsmatchning: interest requests older than
`matching_anonymise_after_months` (BOOKING_MATCHING_ANONYMISE_AFTER_MONTHS, default 12) lose their personal
fields (contact name, e-mail, phone, message and answer); interests, age, gender, area and dates stay, so the
follow-up does not change. Idempotent: an anonymised request is never picked again. `run(db, clock, settings)`
is called once an hour by the job runner (maintenance.JOBS)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from booking.adapters.db.database import Database
from booking.adapters.db.uow import SqlUnitOfWork
from booking.config import Settings
from booking.domain.matching.services import anonymise_old
from booking.domain.shared.clock import Clock

log = logging.getLogger("booking.matching.privacy")

DAYS_PER_MONTH = 30.4375


def sent_before(now: datetime, months: int) -> datetime:
    return now - timedelta(days=round(months * DAYS_PER_MONTH))


async def run(db: Database, clock: Clock, settings: Settings | None) -> dict[str, int]:
    """Anonymise what is due now; answers {"interest_requests_anonymised": n} for the maintenance log."""
    months = (settings or Settings()).matching_anonymise_after_months
    now = clock.now()
    count = await anonymise_old(SqlUnitOfWork(db), sent_before(now, months), now)
    if count:
        log.info("anonymised %d interest requests", count)
    return {"interest_requests_anonymised": count}
