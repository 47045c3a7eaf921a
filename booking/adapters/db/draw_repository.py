"""The SQL repository of holiday draws: the draw's row (locked by run, adjust, publish, withdraw and a
child's wishes), the children wished for, their wishes, and the reads the draw's inputs need."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from booking.adapters.db import tables_activities as ta
from booking.adapters.db import tables_draw as t
from booking.adapters.db.types import utcnow
from booking.domain.activities.draw_model import ChildWish, DrawStatus, HolidayDraw, WishingChild
from booking.domain.activities.model import (
    Activity,
    ActivitySession,
    ActivityStatus,
    RegistrationStatus,
    SessionStatus,
)
from booking.domain.shared.ids import new_id


class SqlDrawRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, draw: HolidayDraw) -> None:
        self.session.add(draw)

    async def get(self, draw_id: UUID, *, lock: bool = False) -> HolidayDraw | None:
        if not lock:
            return await self.session.get(HolidayDraw, draw_id)
        # FOR UPDATE on PostgreSQL (SQLite renders none: its write transaction holds the writer lock);
        # populate_existing re-reads the state under the lock.
        await self.session.flush()
        return await self.session.get(HolidayDraw, draw_id, with_for_update=True, populate_existing=True)

    async def of_period(self, period_id: UUID, *, lock: bool = False) -> HolidayDraw | None:
        d = t.holiday_draws
        query = sa.select(HolidayDraw).where(d.c.period_id == period_id)
        if lock:
            await self.session.flush()
            query = query.with_for_update().execution_options(populate_existing=True)
        return (await self.session.execute(query)).scalars().first()

    async def delete(self, draw: HolidayDraw) -> None:
        # the wishes and children go by the foreign keys' ON DELETE CASCADE; said here as well, so
        # nothing depends on the engine enforcing them
        c, w = t.draw_children, t.draw_wishes
        children = sa.select(c.c.id).where(c.c.draw_id == draw.id)
        await self.session.execute(sa.delete(w).where(w.c.child_id.in_(children)))
        await self.session.execute(sa.delete(c).where(c.c.draw_id == draw.id)
                                   .execution_options(synchronize_session=False))
        await self.session.delete(draw)

    async def unpublished_on(self, municipality_id: UUID, day: date) -> HolidayDraw | None:
        d, p = t.holiday_draws, ta.holiday_periods
        return (await self.session.execute(
            sa.select(HolidayDraw).join(p, p.c.id == d.c.period_id)
            .where(d.c.municipality_id == municipality_id, d.c.status != DrawStatus.PUBLISHED.value,
                   p.c.first_day <= day, p.c.last_day >= day))).scalars().first()

    async def previous_published(self, municipality_id: UUID, before: date) -> HolidayDraw | None:
        d, p = t.holiday_draws, ta.holiday_periods
        return (await self.session.execute(
            sa.select(HolidayDraw).join(p, p.c.id == d.c.period_id)
            .where(d.c.municipality_id == municipality_id, d.c.status == DrawStatus.PUBLISHED.value,
                   p.c.first_day < before)
            .order_by(p.c.first_day.desc()).limit(1))).scalars().first()

    async def period_sessions(self, municipality_id: UUID, starts_from: datetime, starts_before: datetime
                              ) -> Sequence[tuple[ActivitySession, Activity]]:
        s, a = ta.activity_sessions, ta.activities
        rows = (await self.session.execute(
            sa.select(ActivitySession, Activity).join(a, a.c.id == s.c.activity_id)
            .where(s.c.municipality_id == municipality_id, s.c.starts_at >= starts_from,
                   s.c.starts_at < starts_before, s.c.status == SessionStatus.SCHEDULED.value,
                   a.c.status == ActivityStatus.PUBLISHED.value, a.c.signup_required.is_(True))
            .order_by(s.c.starts_at, s.c.id))).all()
        return [(row[0], row[1]) for row in rows]

    def add_child(self, child: WishingChild) -> None:
        self.session.add(child)

    async def child(self, child_id: UUID) -> WishingChild | None:
        return await self.session.get(WishingChild, child_id)

    async def child_by_key(self, draw_id: UUID, account_id: UUID, child_key: str, birth_year: int
                           ) -> WishingChild | None:
        c = t.draw_children
        return (await self.session.execute(
            sa.select(WishingChild).where(c.c.draw_id == draw_id, c.c.account_id == account_id,
                                          c.c.child_key == child_key, c.c.birth_year == birth_year))
                ).scalars().first()

    async def children(self, draw_id: UUID, account_id: UUID | None = None) -> Sequence[WishingChild]:
        c = t.draw_children
        query = sa.select(WishingChild).where(c.c.draw_id == draw_id)
        if account_id is not None:
            query = query.where(c.c.account_id == account_id)
        return (await self.session.execute(query.order_by(c.c.created_at, c.c.id))).scalars().all()

    async def delete_child(self, child: WishingChild) -> None:
        w = t.draw_wishes
        await self.session.execute(sa.delete(w).where(w.c.child_id == child.id))
        await self.session.delete(child)

    async def wishes_of(self, child_ids: Sequence[UUID]) -> dict[UUID, list[ChildWish]]:
        w = t.draw_wishes
        out: dict[UUID, list[ChildWish]] = {c: [] for c in child_ids}
        ids = sorted(set(child_ids))
        for i in range(0, len(ids), 500):  # stay under the engines' bound-parameter limits
            rows = (await self.session.execute(
                sa.select(w.c.child_id, w.c.session_id, w.c.rank, w.c.favourite)
                .where(w.c.child_id.in_(ids[i:i + 500])).order_by(w.c.child_id, w.c.rank))).all()
            for row in rows:
                out[row.child_id].append(ChildWish(row.session_id, row.rank, row.favourite))
        return out

    async def set_wishes(self, child: WishingChild, wishes: Sequence[ChildWish]) -> None:
        w = t.draw_wishes
        await self.session.flush()  # the child's row first (the wishes point at it)
        await self.session.execute(sa.delete(w).where(w.c.child_id == child.id))
        if wishes:
            now = utcnow()
            await self.session.execute(sa.insert(w), [
                {"id": new_id(), "municipality_id": child.municipality_id, "child_id": child.id,
                 "session_id": x.session_id, "rank": x.rank, "favourite": x.favourite, "created_at": now,
                 "updated_at": now} for x in wishes])

    async def wish_counts(self, draw_id: UUID) -> dict[UUID, int]:
        w, c = t.draw_wishes, t.draw_children
        rows = (await self.session.execute(
            sa.select(w.c.session_id, sa.func.count()).join(c, c.c.id == w.c.child_id)
            .where(c.c.draw_id == draw_id, c.c.withdrawn_at.is_(None)).group_by(w.c.session_id))).all()
        return {row[0]: int(row[1]) for row in rows}

    async def confirmed_children(self, account_ids: Sequence[UUID], before: datetime
                                 ) -> set[tuple[UUID, str, int]]:
        r, s = ta.registrations, ta.activity_sessions
        if not account_ids:
            return set()
        rows = (await self.session.execute(
            sa.select(r.c.account_id, r.c.child_key, r.c.birth_year).distinct()
            .join(s, s.c.id == r.c.session_id)
            .where(r.c.account_id.in_(sorted(set(account_ids))), r.c.status == RegistrationStatus.CONFIRMED.value,
                   s.c.starts_at < before))).all()
        return {(row.account_id, row.child_key, row.birth_year) for row in rows}

    async def participants_by_home_area(self, municipality_id: UUID, starts_from: datetime,
                                        starts_before: datetime) -> dict[UUID | None, int]:
        r, s, a = ta.registrations, ta.activity_sessions, ta.activities
        rows = (await self.session.execute(
            sa.select(r.c.home_area_id, sa.func.count()).join(s, s.c.id == r.c.session_id)
            .join(a, a.c.id == s.c.activity_id)
            .where(s.c.municipality_id == municipality_id, s.c.starts_at >= starts_from,
                   s.c.starts_at < starts_before, s.c.status == SessionStatus.SCHEDULED.value,
                   a.c.status == ActivityStatus.PUBLISHED.value, r.c.status == RegistrationStatus.CONFIRMED.value)
            .group_by(r.c.home_area_id))).all()
        return {row[0]: int(row[1]) for row in rows}
