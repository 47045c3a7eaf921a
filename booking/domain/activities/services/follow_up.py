"""After the sign-up: the day-before reminders, and retention (old sign-ups anonymised). Both run
as background jobs, once across all workers."""

from __future__ import annotations

from datetime import time, timedelta
from uuid import UUID

from booking.domain.activities.model import ActivityStatus
from booking.domain.activities.ports import ActivitiesUnitOfWork
from booking.domain.activities.services.links import Links
from booking.domain.activities.services.notices import tell
from booking.domain.shared.clock import Clock
from booking.domain.shared.localtime import local_instant

REMIND_FROM_HOUR = 8  # reminders go out from 08:00 local time on the day before


async def send_reminders(municipality_id: UUID, uow: ActivitiesUnitOfWork, clock: Clock, links: Links) -> int:
    """Queue a reminder for every confirmed registration whose session is tomorrow (local date),
    once, from 08:00 local time. Idempotent: each registration is reminded at most once."""
    now = clock.now()
    async with uow:
        municipality = await uow.municipalities.get(municipality_id)
        if municipality is None:
            return 0
        zone = municipality.zone
        local_now = now.astimezone(zone)
        if local_now.hour < REMIND_FROM_HOUR:
            return 0
        tomorrow = local_now.date() + timedelta(days=1)
        start = local_instant(tomorrow, time(0), zone)
        end = local_instant(tomorrow + timedelta(days=1), time(0), zone)
        due = await uow.activities.due_reminders(municipality_id, start, end)
        for registration in due:
            session = await uow.activities.get_session(registration.session_id)
            activity = await uow.activities.get(registration.activity_id)
            if session is None or activity is None or activity.status is not ActivityStatus.PUBLISHED:
                continue
            await tell(uow, "activity.reminder", activity, session, [registration], links)
            registration.reminded_at = now
        await uow.commit()
        return len(due)


async def anonymise_old_registrations(months: int, uow: ActivitiesUnitOfWork, clock: Clock) -> int:
    """Retention: sign-ups of sessions that ended more than `months` months ago keep only what the
    statistics need (birth year, gender, home area, attendance); the name and the needs go."""
    cutoff = clock.now() - timedelta(days=30 * months)
    async with uow:
        count = await uow.activities.anonymise_ended_before(cutoff)
        await uow.commit()
        return count
