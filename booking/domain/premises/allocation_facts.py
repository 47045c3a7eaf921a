"""The facts a run reads from storage: the spaces (units, rules, weekly windows), the times approved bookings
take in the season, last season's holdings, and the applicants."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from uuid import UUID
from zoneinfo import ZoneInfo

from booking.domain.people.model import AssociationCategory
from booking.domain.premises.allocation import (
    YOUTH_BANDS,
    AllocationRound,
    Application,
    minutes,
)
from booking.domain.premises.allocation_ports import ApprovedTimes
from booking.domain.premises.allocator import (
    Applicant,
    Holding,
    SpaceFacts,
    Taken,
)
from booking.domain.premises.model import Space, leaf_units
from booking.domain.premises.ports import PremisesUnitOfWork
from booking.domain.premises.recurrence import WeeklyRule
from booking.domain.shared.localtime import local_instant


async def space_facts(uow: PremisesUnitOfWork, municipality_id: UUID) -> dict[UUID, SpaceFacts]:
    spaces = list(await uow.spaces.matching(municipality_id, None, None, None, 100_000))
    windows = await uow.allocation.weekly_windows(municipality_id)
    parts: dict[UUID, list[Space]] = {}
    for space in spaces:
        if space.parent_id is not None:
            parts.setdefault(space.parent_id, []).append(space)
    facts: dict[UUID, SpaceFacts] = {}
    for space in spaces:
        weekly = {day: [(minutes(o), minutes(c) if c != time(0) else 24 * 60) for o, c in ws]
                  for day, ws in windows.get(space.id, {}).items()}
        facts[space.id] = SpaceFacts(space.id, space.name, leaf_units(space, parts.get(space.id, ())),
                                     space.capacity, space.buffer_minutes, space.min_duration_minutes,
                                     space.max_duration_minutes, weekly)
    return facts


def season_dates(round_: AllocationRound, weekday: int) -> list[date]:
    first = round_.first_day + timedelta(days=(weekday - round_.first_day.weekday()) % 7)
    if first > round_.last_day:
        return []
    return WeeklyRule(first, frozenset({weekday}), until=round_.last_day).dates()


def season_window(first: date, last: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    return local_instant(first, time(0), zone, "first_day"), local_instant(last + timedelta(days=1), time(0), zone,
                                                                           "last_day")


WeeklyTime = tuple[UUID, UUID, UUID | None, int, int, int, int, date]


def weekly_times(times: ApprovedTimes, zone: ZoneInfo) -> list[WeeklyTime]:
    """(booking, space, association, weekday, start, end, dates, first date) per weekly time."""
    out = []
    for s in times.series:
        end = 24 * 60 if s.local_end == time(0) else minutes(s.local_end)
        first_date = s.first.astimezone(zone).date()
        for weekday in s.weekdays:
            out.append((s.booking_id, s.space_id, s.association_id, weekday, minutes(s.local_start), end,
                        max(1, s.count // max(1, len(s.weekdays))), first_date))
    for booking_id, space_id, association_id, starts_at, ends_at in times.singles:
        start, finish = starts_at.astimezone(zone), ends_at.astimezone(zone)
        end = 24 * 60 if finish.date() != start.date() else minutes(finish.time())
        out.append((booking_id, space_id, association_id, start.weekday(), minutes(start.time()), end, 1,
                    start.date()))
    return out


async def taken_times(uow: PremisesUnitOfWork, round_: AllocationRound, zone: ZoneInfo, spaces: dict[UUID, SpaceFacts]
                 ) -> tuple[list[Taken], list[Holding]]:
    """Approved bookings in the season (as weekly taken times) and last season's weekly holdings."""
    season = await uow.allocation.approved_in(round_.municipality_id,
                                              *season_window(round_.first_day, round_.last_day, zone))
    taken = [Taken(booking_id, spaces[space_id].units, weekday, start, end + spaces[space_id].buffer, n, first)
             for booking_id, space_id, _a, weekday, start, end, n, first in weekly_times(season, zone)
             if space_id in spaces]
    previous = await uow.allocation.approved_in(round_.municipality_id, *season_window(
        round_.first_day - timedelta(days=364), round_.last_day - timedelta(days=364), zone))
    holdings = {Holding(association_id, space_id, weekday, start, end)
                for _b, space_id, association_id, weekday, start, end, _n, _f in weekly_times(previous, zone)
                if association_id is not None}
    return taken, sorted(holdings, key=str)


async def applicants(uow: PremisesUnitOfWork, apps: Sequence[Application]) -> list[Applicant]:
    facts = await uow.allocation.association_facts([a.association_id for a in apps])
    out = []
    for app in apps:
        category, is_local = facts.get(app.association_id, ("", False))
        youth = app.age_band in YOUTH_BANDS or category == AssociationCategory.YOUTH
        out.append(Applicant(app.id, app.association_id, app.title, youth, is_local, app.participants,
                             app.duration_minutes, tuple(app.wishes), app.submitted_at, app.flex_minutes))
    return out


def wall_time(minute: int) -> time:
    return time(0) if minute >= 24 * 60 else time(minute // 60, minute % 60)
