"""Loading a draw and what it works on, as the scope rules say: staff with a municipality-wide grant;
guardians through their own account; another municipality's draw does not exist (404)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from uuid import UUID
from zoneinfo import ZoneInfo

from booking.domain.activities import scope
from booking.domain.activities.draw_model import HolidayDraw
from booking.domain.activities.lov import HolidayPeriod
from booking.domain.activities.model import Activity, ActivitySession
from booking.domain.activities.ports import ActivitiesUnitOfWork
from booking.domain.people.roles import Actor, Role
from booking.domain.shared.errors import Forbidden, expect
from booking.domain.shared.localtime import local_instant
from booking.domain.shared.tenancy import of_municipality


@dataclass(frozen=True)
class DrawContext:
    """A draw with its period, the municipality's zone and the sessions that belong to it."""

    draw: HolidayDraw
    period: HolidayPeriod
    zone: ZoneInfo
    sessions: dict[UUID, tuple[ActivitySession, Activity]]

    @property
    def window(self) -> tuple[datetime, datetime]:
        return period_window(self.period, self.zone)


def period_window(period: HolidayPeriod, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The instants between which a session's local start lies in the period's days."""
    return (local_instant(period.first_day, time(0), zone, "first_day"),
            local_instant(period.last_day + timedelta(days=1), time(0), zone, "last_day"))


async def zone_of(uow: ActivitiesUnitOfWork, municipality_id: UUID) -> ZoneInfo:
    return expect(await uow.municipalities.get(municipality_id), "draw's municipality").zone


async def staff_draw(uow: ActivitiesUnitOfWork, actor: Actor, draw_id: UUID, *, lock: bool = False) -> HolidayDraw:
    """The draw for the municipality's activities staff (a municipality-wide grant: 403 when narrowed)."""
    actor.require_site(None, scope.STAFF)
    return of_municipality(await uow.draws.get(draw_id, lock=lock), actor.municipality_id, "holiday draw", draw_id)


async def guardian_draw(uow: ActivitiesUnitOfWork, actor: Actor, draw_id: UUID, *, lock: bool = False
                        ) -> HolidayDraw:
    """The draw of the guardian's municipality."""
    if not actor.has(Role.GUARDIAN):
        raise Forbidden("Wishes are made from a guardian account.")
    return of_municipality(await uow.draws.get(draw_id, lock=lock), actor.municipality_id, "holiday draw", draw_id)


async def context_of(uow: ActivitiesUnitOfWork, draw: HolidayDraw) -> DrawContext:
    period = expect(await uow.activities.period(draw.period_id), "draw's period")
    zone = await zone_of(uow, draw.municipality_id)
    start, end = period_window(period, zone)
    pairs = await uow.draws.period_sessions(draw.municipality_id, start, end)
    return DrawContext(draw, period, zone, {s.id: (s, a) for s, a in pairs})
