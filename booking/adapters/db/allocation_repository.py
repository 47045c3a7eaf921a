"""The SQL repository of the season allocation round (tidsfördelning)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from booking.adapters.db import tables as t
from booking.adapters.db import tables_allocation as ta
from booking.adapters.db.types import utcnow
from booking.domain.premises.allocation import AllocationRound, Application
from booking.domain.premises.allocation_ports import ApprovedTimes, SeriesTimes
from booking.domain.premises.bookings import BookingStatus


class SqlAllocationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add_round(self, round_: AllocationRound) -> None:
        self.session.add(round_)

    async def get_round(self, round_id: UUID, *, for_update: bool = False) -> AllocationRound | None:
        if not for_update:
            return await self.session.get(AllocationRound, round_id)
        query = sa.select(AllocationRound).where(ta.allocation_rounds.c.id == round_id)
        if self.session.bind.dialect.name == "postgresql":  # type: ignore[union-attr]
            query = query.with_for_update().execution_options(populate_existing=True)
        return (await self.session.execute(query)).scalar_one_or_none()

    def add_application(self, application: Application) -> None:
        self.session.add(application)

    async def get_application(self, application_id: UUID) -> Application | None:
        return await self.session.get(Application, application_id)

    async def applications(self, round_id: UUID) -> Sequence[Application]:
        a = ta.allocation_applications
        result = await self.session.execute(
            sa.select(Application).where(a.c.round_id == round_id).order_by(a.c.submitted_at, a.c.id))
        return result.scalars().all()

    async def default_rules(self, municipality_id: UUID) -> list[dict[str, Any]] | None:
        r = ta.allocation_rule_sets
        rules = (await self.session.execute(sa.select(r.c.rules).where(r.c.municipality_id == municipality_id))
                 ).scalar_one_or_none()
        return list(rules) if rules is not None else None

    async def set_default_rules(self, municipality_id: UUID, rules: list[dict[str, Any]]) -> None:
        r, now = ta.allocation_rule_sets, utcnow()
        updated = await self.session.execute(sa.update(r).where(r.c.municipality_id == municipality_id)
                                             .values(rules=rules, updated_at=now))
        if not updated.rowcount:  # type: ignore[attr-defined]
            await self.session.execute(sa.insert(r).values(municipality_id=municipality_id, rules=rules,
                                                           created_at=now, updated_at=now))

    async def approved_in(self, municipality_id: UUID, start: datetime, end: datetime) -> ApprovedTimes:
        """Approved bookings starting in [start, end): those of weekly series aggregated per
        series in SQL (the series row has the local times), the others one by one."""
        b, s = t.bookings, t.booking_series
        where = (b.c.municipality_id == municipality_id, b.c.status == BookingStatus.APPROVED,
                 b.c.starts_at >= start, b.c.starts_at < end)
        counted = (sa.select(b.c.series_id, b.c.space_id, b.c.association_id, sa.func.count().label("n"),
                             sa.func.min(b.c.starts_at).label("first"),
                             sa.func.min(sa.cast(b.c.id, sa.String)).label("one"))
                   .where(*where, b.c.series_id.is_not(None))
                   .group_by(b.c.series_id, b.c.space_id, b.c.association_id).subquery())
        series_rows = (await self.session.execute(
            sa.select(counted, s.c.weekdays, s.c.local_start, s.c.local_end)
            .join(s, s.c.id == counted.c.series_id).order_by(counted.c.series_id))).all()
        singles = (await self.session.execute(
            sa.select(b.c.id, b.c.space_id, b.c.association_id, b.c.starts_at, b.c.ends_at)
            .where(*where, b.c.series_id.is_(None)).order_by(b.c.starts_at))).all()
        return ApprovedTimes(
            [SeriesTimes(UUID(str(r.one)), r.space_id, r.association_id, list(r.weekdays), r.local_start, r.local_end,
                         int(r.n), r.first) for r in series_rows],
            [(r.id, r.space_id, r.association_id, r.starts_at, r.ends_at) for r in singles])

    async def weekly_windows(self, municipality_id: UUID) -> dict[UUID, dict[int, list[tuple[time, time]]]]:
        """The general (all-year) opening windows of every space of the municipality."""
        o = t.opening_hours
        rows = (await self.session.execute(
            sa.select(o.c.space_id, o.c.weekday, o.c.opens, o.c.closes)
            .where(o.c.municipality_id == municipality_id, o.c.valid_from.is_(None), o.c.valid_to.is_(None))
            .order_by(o.c.space_id, o.c.weekday, o.c.opens))).all()
        out: dict[UUID, dict[int, list[tuple[time, time]]]] = {}
        for r in rows:
            out.setdefault(r.space_id, {}).setdefault(r.weekday, []).append((r.opens, r.closes))
        return out

    async def association_facts(self, ids: Sequence[UUID]) -> dict[UUID, tuple[str, bool]]:
        """(category, is_local) of these associations, in one query."""
        a = t.associations
        wanted = sorted(set(ids))
        if not wanted:
            return {}
        rows = (await self.session.execute(sa.select(a.c.id, a.c.category, a.c.is_local)
                                           .where(a.c.id.in_(wanted)))).all()
        return {r.id: (str(r.category), bool(r.is_local)) for r in rows}
