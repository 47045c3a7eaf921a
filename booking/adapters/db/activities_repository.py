"""The SQL repository of holiday activities (lovaktiviteter)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from booking.adapters.db import tables_activities as t
from booking.adapters.db.tables import accounts
from booking.adapters.db.types import utcnow
from booking.domain.activities.lov import HolidayPeriod
from booking.domain.activities.model import (
    ANONYMOUS_KEY,
    ANONYMOUS_NAME,
    Activity,
    ActivitySession,
    Registration,
    RegistrationStatus,
    SessionStatus,
)
from booking.domain.shared.ids import new_id


class SqlActivityRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add_period(self, period: HolidayPeriod) -> None:
        self.session.add(period)

    async def period(self, period_id: UUID) -> HolidayPeriod | None:
        return await self.session.get(HolidayPeriod, period_id)

    async def periods(self, municipality_id: UUID, year: int | None = None) -> Sequence[HolidayPeriod]:
        p = t.holiday_periods
        query = sa.select(HolidayPeriod).where(p.c.municipality_id == municipality_id)
        if year is not None:
            query = query.where(p.c.year == year)
        return (await self.session.execute(query.order_by(p.c.first_day))).scalars().all()

    async def delete_period(self, period: HolidayPeriod) -> None:
        await self.session.delete(period)

    def add(self, activity: Activity) -> None:
        self.session.add(activity)

    async def get(self, activity_id: UUID) -> Activity | None:
        return await self.session.get(Activity, activity_id)

    def add_session(self, session: ActivitySession) -> None:
        self.session.add(session)

    async def get_session(self, session_id: UUID, *, lock: bool = False) -> ActivitySession | None:
        if not lock:
            return await self.session.get(ActivitySession, session_id)
        # FOR UPDATE on PostgreSQL (SQLite renders none: its write transaction holds the writer
        # lock already); populate_existing re-reads the counter under the lock.
        await self.session.flush()
        return await self.session.get(ActivitySession, session_id, with_for_update=True, populate_existing=True)

    async def sessions_of(self, activity_id: UUID) -> Sequence[ActivitySession]:
        s = t.activity_sessions
        return (await self.session.execute(
            sa.select(ActivitySession).where(s.c.activity_id == activity_id).order_by(s.c.starts_at))).scalars().all()

    def add_registration(self, registration: Registration) -> None:
        self.session.add(registration)

    async def registration(self, registration_id: UUID) -> Registration | None:
        await self.session.flush()  # re-reading must not undo changes made in this transaction
        return await self.session.get(Registration, registration_id, populate_existing=True)

    async def registration_by_token(self, token_hash: str) -> Registration | None:
        r = t.registrations
        return (await self.session.execute(
            sa.select(Registration).where(r.c.cancel_token_hash == token_hash))).scalars().first()

    async def registration_by_ticket(self, ticket_code: str) -> Registration | None:
        r = t.registrations
        return (await self.session.execute(
            sa.select(Registration).where(r.c.ticket_code == ticket_code))).scalars().first()

    async def registrations_of(self, session_id: UUID) -> Sequence[Registration]:
        r = t.registrations
        await self.session.flush()  # re-reading must not undo changes made in this transaction
        return (await self.session.execute(
            sa.select(Registration).where(r.c.session_id == session_id).order_by(r.c.queue_no)
            .execution_options(populate_existing=True))).scalars().all()

    async def overlapping(self, account_id: UUID, child_key: str, birth_year: int, starts_at: datetime,
                          ends_at: datetime) -> Sequence[Registration]:
        r, s = t.registrations, t.activity_sessions
        return (await self.session.execute(
            sa.select(Registration).join(s, s.c.id == r.c.session_id)
            .where(r.c.account_id == account_id, r.c.child_key == child_key, r.c.birth_year == birth_year,
                   r.c.status != RegistrationStatus.CANCELLED.value, s.c.status == SessionStatus.SCHEDULED.value,
                   s.c.starts_at < ends_at, s.c.ends_at > starts_at))).scalars().all()

    async def lock_accounts(self, account_ids: Sequence[UUID]) -> None:
        # FOR UPDATE on PostgreSQL; SQLite renders none (its write transaction holds the writer lock).
        if account_ids:
            a = accounts
            await self.session.execute(sa.select(a.c.id).where(a.c.id.in_(sorted(set(account_ids))))
                                       .order_by(a.c.id).with_for_update())

    async def set_feed_token(self, municipality_id: UUID, account_id: UUID, token_hash: str) -> None:
        f = t.activity_feed_tokens
        now = utcnow()
        done = await self.session.execute(sa.update(f).where(f.c.account_id == account_id)
                                          .values(token_hash=token_hash, updated_at=now))
        if not done.rowcount:  # type: ignore[attr-defined]
            await self.session.execute(sa.insert(f).values(id=new_id(), municipality_id=municipality_id,
                                                           account_id=account_id, token_hash=token_hash,
                                                           created_at=now, updated_at=now))

    async def due_reminders(self, municipality_id: UUID, starts_from: datetime, starts_before: datetime
                            ) -> Sequence[Registration]:
        r, s = t.registrations, t.activity_sessions
        return (await self.session.execute(
            sa.select(Registration).join(s, s.c.id == r.c.session_id)
            .where(r.c.municipality_id == municipality_id, r.c.status == RegistrationStatus.CONFIRMED.value,
                   r.c.reminded_at.is_(None), s.c.status == SessionStatus.SCHEDULED.value,
                   s.c.starts_at >= starts_from, s.c.starts_at < starts_before)
            .order_by(s.c.starts_at, r.c.queue_no).with_for_update(skip_locked=True))).scalars().all()

    async def anonymise_ended_before(self, cutoff: datetime) -> int:
        r, s = t.registrations, t.activity_sessions
        ended = sa.select(s.c.id).where(s.c.ends_at < cutoff)
        done = await self.session.execute(
            sa.update(r).where(r.c.session_id.in_(ended), ~r.c.child_key.startswith(ANONYMOUS_KEY))
            .values(first_name=ANONYMOUS_NAME, child_key=sa.literal(ANONYMOUS_KEY) + sa.cast(r.c.id, sa.String()),
                    needs=None, updated_at=utcnow())
            .execution_options(synchronize_session=False))
        return int(done.rowcount)  # type: ignore[attr-defined]
