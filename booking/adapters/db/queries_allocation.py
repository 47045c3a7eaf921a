"""Read models of the season allocation round: the round list and the names a proposal shows."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from uuid import UUID

import sqlalchemy as sa

from booking.adapters.db import tables as t
from booking.adapters.db import tables_allocation as ta
from booking.adapters.db.database import Database
from booking.domain.premises.allocation import AllocationRound, RoundState


class AllocationQueries:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def rounds(self, municipality_id: UUID, with_drafts: bool) -> Sequence[AllocationRound]:
        r = ta.allocation_rounds
        query = sa.select(AllocationRound).where(r.c.municipality_id == municipality_id)
        if not with_drafts:
            query = query.where(r.c.state != RoundState.DRAFT)
        async with self.db.read_sessions() as s:
            return (await s.execute(query.order_by(r.c.first_day.desc(), r.c.created_at.desc()))).scalars().all()

    async def association_names(self, ids: Iterable[UUID]) -> dict[UUID, str]:
        wanted = sorted(set(ids))
        if not wanted:
            return {}
        a = t.associations
        async with self.db.read_sessions() as s:
            rows = (await s.execute(sa.select(a.c.id, a.c.name).where(a.c.id.in_(wanted)))).all()
        return {r.id: r.name for r in rows}

    async def space_names(self, municipality_id: UUID) -> dict[UUID, str]:
        sp, si = t.spaces, t.sites
        async with self.db.read_sessions() as s:
            rows = (await s.execute(sa.select(sp.c.id, sp.c.name, si.c.name.label("site"))
                                    .join(si, si.c.id == sp.c.site_id)
                                    .where(sp.c.municipality_id == municipality_id))).all()
        return {r.id: f"{r.name} ({r.site})" for r in rows}
