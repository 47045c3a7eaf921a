"""The free-slot search: "2 hours free in any gym in area X in the next two weeks for 30 people"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from uuid import UUID
from zoneinfo import ZoneInfo

from booking.domain.premises.booking_common import units
from booking.domain.premises.calendar import check_date_range, day_plans, free_stretches, local_days
from booking.domain.premises.model import Space
from booking.domain.premises.ports import PremisesUnitOfWork
from booking.domain.shared.clock import Clock
from booking.domain.shared.errors import ValidationError
from booking.domain.shared.timespan import TimeSpan


@dataclass(frozen=True)
class FreeSlotSearch:
    """"2 hours free in any gym in area X in the next two weeks for 30 people"."""

    municipality_id: UUID
    first: date
    last: date
    duration: timedelta
    kind: str | None = None
    min_capacity: int | None = None
    area_id: UUID | None = None


@dataclass(frozen=True)
class FreeSlot:
    space: Space
    span: TimeSpan


MAX_SEARCH_DAYS = 31
MAX_SEARCH_SPACES = 50


async def find_free_slots(cmd: FreeSlotSearch, uow: PremisesUnitOfWork, clock: Clock
                          ) -> tuple[ZoneInfo, list[FreeSlot]]:
    """Every free stretch of at least `duration` in the matching spaces, earliest first. Public:
    only times, no bookings."""
    check_date_range(cmd.first, cmd.last, MAX_SEARCH_DAYS)
    now = clock.now()
    async with uow:
        municipality = await uow.municipalities.get(cmd.municipality_id)
        if municipality is None:
            raise ValidationError("municipality", "No such municipality.", "unknown")
        zone = municipality.zone
        spaces = await uow.spaces.matching(cmd.municipality_id, cmd.kind, cmd.min_capacity, cmd.area_id,
                                           MAX_SEARCH_SPACES)
        window = local_days(cmd.first, cmd.last, zone)
        slots: list[FreeSlot] = []
        for space in spaces:
            availability = await uow.calendars.availability(space, zone, range(cmd.first.year, cmd.last.year + 1))
            busy = await uow.bookings.busy(await units(uow, space), window)
            plans = day_plans(availability, cmd.first, cmd.last, busy)
            earliest = now + availability.rules.min_notice
            slots.extend(FreeSlot(space, free) for free in free_stretches(plans, earliest, cmd.duration))
        slots.sort(key=lambda slot: (slot.span.start, slot.space.name))
        return zone, slots
