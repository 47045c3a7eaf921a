"""Read models of föreningsmatchning for staff: requests still unanswered after N days, and the follow-up
(requests and answers per home area, interest, age group and gender; no personal data)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from uuid import UUID
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from booking.adapters.db import tables as t
from booking.adapters.db import tables_matching as tm
from booking.adapters.db.database import Database
from booking.domain.matching.follow_up import AreaFacts, FollowUp, RequestFacts, follow_up
from booking.domain.matching.states import RequestStatus

r = tm.interest_requests


@dataclass(frozen=True, slots=True)
class UnansweredRow:
    id: UUID
    association_id: UUID
    association_name: str
    created_at: dt.datetime
    interests: list[UUID]
    age: int | None
    via_counter: bool


class RequestQueries:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def zone(self, municipality_id: UUID) -> ZoneInfo:
        async with self.db.read_sessions() as s:
            name = (await s.execute(sa.select(t.municipalities.c.timezone)
                                    .where(t.municipalities.c.id == municipality_id))).scalar_one_or_none()
        return ZoneInfo(name or "Europe/Stockholm")

    async def category_names(self, municipality_id: UUID) -> dict[UUID, tuple[str, str]]:
        c = tm.interest_categories
        async with self.db.read_sessions() as s:
            rows = (await s.execute(sa.select(c.c.id, c.c.name, c.c.name_en)
                                    .where(c.c.municipality_id == municipality_id))).all()
        return {row.id: (row.name, row.name_en or row.name) for row in rows}

    async def unanswered(self, municipality_id: UUID, sent_before: dt.datetime) -> list[UnansweredRow]:
        a = t.associations
        query = (sa.select(r.c.id, r.c.association_id, a.c.name, r.c.created_at, r.c.interests, r.c.age,
                           r.c.via_counter)
                 .select_from(r.join(a, a.c.id == r.c.association_id))
                 .where(r.c.municipality_id == municipality_id, r.c.status == RequestStatus.SENT,
                        r.c.created_at < sent_before)
                 .order_by(r.c.created_at, r.c.id))
        async with self.db.read_sessions() as s:
            rows = (await s.execute(query)).all()
        return [UnansweredRow(row.id, row.association_id, row.name, row.created_at,
                              [UUID(str(i)) for i in row.interests or []], row.age, row.via_counter) for row in rows]

    async def follow_up(self, municipality_id: UUID, first: dt.date, last: dt.date, zone: ZoneInfo) -> FollowUp:
        start = dt.datetime.combine(first, dt.time(0), zone)
        end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(0), zone)
        query = (sa.select(r.c.home_area_id, r.c.interests, r.c.age, r.c.gender, r.c.status, r.c.via_counter)
                 .where(r.c.municipality_id == municipality_id, r.c.created_at >= start, r.c.created_at < end))
        areas = sa.select(t.areas.c.id, t.areas.c.name, t.areas.c.population_0_17).where(
            t.areas.c.municipality_id == municipality_id)
        async with self.db.read_sessions() as s:
            rows = (await s.execute(query)).all()
            area_rows = (await s.execute(areas)).all()
        facts = [RequestFacts(row.home_area_id, tuple(UUID(str(i)) for i in row.interests or []), row.age,
                              str(row.gender.value if hasattr(row.gender, "value") else row.gender)
                              if row.gender else None,
                              RequestStatus(row.status) is RequestStatus.ANSWERED, bool(row.via_counter))
                 for row in rows]
        return follow_up(facts, [AreaFacts(a.id, a.name, a.population_0_17) for a in area_rows])
