"""The SQL repository of the season allocation round (tidsfördelning)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from booking.adapters.db import tables as t
from booking.adapters.db import tables_allocation as ta
from booking.adapters.db.types import utcnow
from booking.domain.premises.allocation import AllocationRound, Application
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

    async def approved_in(self, municipality_id: UUID, first: date, last: date
                          ) -> Sequence[tuple[UUID, UUID, UUID | None, Any, Any]]:
        b = t.bookings
        start = datetime.combine(first, time(0), UTC) - timedelta(days=1)
        end = datetime.combine(last, time(0), UTC) + timedelta(days=2)
        rows = (await self.session.execute(
            sa.select(b.c.id, b.c.space_id, b.c.association_id, b.c.starts_at, b.c.ends_at)
            .where(b.c.municipality_id == municipality_id, b.c.status == BookingStatus.APPROVED,
                   b.c.starts_at >= start, b.c.starts_at < end)
            .order_by(b.c.starts_at))).all()
        return [(r.id, r.space_id, r.association_id, r.starts_at, r.ends_at) for r in rows]

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
