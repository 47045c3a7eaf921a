"""Fakes of the draw repository: holiday draws, children wished for and their wishes, in memory.

As `adapters/db/draw_repository.py` for what the domain relies on: a draw's period decides which days
it holds, children in the order they were added, wishes in rank order, locks recorded."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any
from uuid import UUID

from booking.domain.activities.draw_model import ChildWish, HolidayDraw, WishingChild
from booking.domain.activities.model import (
    Activity,
    ActivitySession,
    ActivityStatus,
    Registration,
    RegistrationStatus,
    SessionStatus,
)
from tests.unit.fakes.base import FakeTransaction

DRAWS, CHILDREN, WISHES = "holiday_draws", "draw_children", "draw_wishes"


class FakeDraws:
    def __init__(self, uow: FakeTransaction) -> None:
        self.uow = uow

    def _rows(self, name: str) -> dict[Any, Any]:
        return self.uow.table(name)

    def _period_days(self, draw: HolidayDraw) -> tuple[date, date] | None:
        period = self.uow.table("holiday_periods").get(draw.period_id)
        return (period.first_day, period.last_day) if period is not None else None

    def add(self, draw: HolidayDraw) -> None:
        self._rows(DRAWS)[draw.id] = draw

    async def get(self, draw_id: UUID, *, lock: bool = False) -> HolidayDraw | None:
        if lock:
            self.uow.lock("holiday_draw", draw_id)
        return self._rows(DRAWS).get(draw_id)

    async def of_period(self, period_id: UUID, *, lock: bool = False) -> HolidayDraw | None:
        found = next((d for d in self._rows(DRAWS).values() if d.period_id == period_id), None)
        if found is not None and lock:
            self.uow.lock("holiday_draw", found.id)
        return found

    async def delete(self, draw: HolidayDraw) -> None:
        for child in [c for c in self._rows(CHILDREN).values() if c.draw_id == draw.id]:
            await self.delete_child(child)
        self._rows(DRAWS).pop(draw.id, None)

    async def unpublished_on(self, municipality_id: UUID, day: date) -> HolidayDraw | None:
        for draw in self._rows(DRAWS).values():
            days = self._period_days(draw)
            if draw.municipality_id == municipality_id and not draw.published and days and (
                    days[0] <= day <= days[1]):
                return draw  # type: ignore[no-any-return]
        return None

    async def previous_published(self, municipality_id: UUID, before: date) -> HolidayDraw | None:
        found = [(days[0], d) for d in self._rows(DRAWS).values()
                 if d.municipality_id == municipality_id and d.published
                 and (days := self._period_days(d)) is not None and days[0] < before]
        return max(found, key=lambda x: x[0])[1] if found else None

    async def period_sessions(self, municipality_id: UUID, starts_from: datetime, starts_before: datetime
                              ) -> Sequence[tuple[ActivitySession, Activity]]:
        activities = self.uow.table("activities")
        out = []
        for s in self.uow.table("activity_sessions").values():
            a = activities.get(s.activity_id)
            if (a is not None and s.municipality_id == municipality_id and starts_from <= s.starts_at < starts_before
                    and s.status is SessionStatus.SCHEDULED and a.status is ActivityStatus.PUBLISHED
                    and a.signup_required):
                out.append((s, a))
        return sorted(out, key=lambda p: (p[0].starts_at, p[0].id))

    def add_child(self, child: WishingChild) -> None:
        self._rows(CHILDREN)[child.id] = child

    async def child(self, child_id: UUID) -> WishingChild | None:
        return self._rows(CHILDREN).get(child_id)

    async def child_by_key(self, draw_id: UUID, account_id: UUID, child_key: str, birth_year: int
                           ) -> WishingChild | None:
        return next((c for c in self._rows(CHILDREN).values() if (c.draw_id, c.account_id, c.child_key,
                                                                    c.birth_year) == (draw_id, account_id, child_key,
                                                                                      birth_year)), None)

    async def children(self, draw_id: UUID, account_id: UUID | None = None) -> Sequence[WishingChild]:
        return [c for c in self._rows(CHILDREN).values()
                if c.draw_id == draw_id and (account_id is None or c.account_id == account_id)]

    async def delete_child(self, child: WishingChild) -> None:
        self._rows(WISHES).pop(child.id, None)
        self._rows(CHILDREN).pop(child.id, None)

    async def wishes_of(self, child_ids: Sequence[UUID]) -> dict[UUID, list[ChildWish]]:
        return {c: sorted(self._rows(WISHES).get(c, []), key=lambda w: w.rank) for c in child_ids}

    async def set_wishes(self, child: WishingChild, wishes: Sequence[ChildWish]) -> None:
        self._rows(WISHES)[child.id] = list(wishes)

    async def wish_counts(self, draw_id: UUID) -> dict[UUID, int]:
        counts: Counter[UUID] = Counter()
        for child in await self.children(draw_id):
            if not child.withdrawn:
                counts.update(w.session_id for w in self._rows(WISHES).get(child.id, []))
        return dict(counts)

    def _confirmed(self) -> list[tuple[Registration, ActivitySession]]:
        sessions = self.uow.table("activity_sessions")
        return [(r, sessions[r.session_id]) for r in self.uow.table("registrations").values()
                if r.status is RegistrationStatus.CONFIRMED and r.session_id in sessions]

    async def confirmed_children(self, account_ids: Sequence[UUID], before: datetime
                                 ) -> set[tuple[UUID, str, int]]:
        return {(r.account_id, r.child_key, r.birth_year) for r, s in self._confirmed()
                if r.account_id in set(account_ids) and s.starts_at < before}

    async def participants_by_home_area(self, municipality_id: UUID, starts_from: datetime,
                                        starts_before: datetime) -> dict[UUID | None, int]:
        counts: Counter[UUID | None] = Counter()
        for r, s in self._confirmed():
            if s.municipality_id == municipality_id and starts_from <= s.starts_at < starts_before:
                counts[r.home_area_id] += 1
        return dict(counts)
