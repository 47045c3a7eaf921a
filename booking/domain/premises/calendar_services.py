"""Use cases of a space's calendar: opening hours, the day plan, closed periods, the municipality's
closed days and holiday overrides, and its price list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta
from uuid import UUID
from zoneinfo import ZoneInfo

from booking.domain.people.roles import Actor
from booking.domain.premises.booking_common import municipality_zone, units
from booking.domain.premises.calendar import (
    ClosedSpan,
    DayPlan,
    OpeningHours,
    check_date_range,
    day_plans,
    local_days,
    merge_spans,
    touching,
)
from booking.domain.premises.fees import Price, check_price
from booking.domain.premises.model import Space
from booking.domain.premises.ports import PremisesUnitOfWork
from booking.domain.premises.scope import require_staff_at, space_of
from booking.domain.shared.audit import AuditEntry
from booking.domain.shared.errors import NotFound, ValidationError
from booking.domain.shared.localtime import check_day, local_instant
from booking.domain.shared.tenancy import of_municipality
from booking.domain.shared.text import clean_name
from booking.domain.shared.timespan import TimeSpan


async def set_opening_hours(space_id: UUID, hours: list[OpeningHours], uow: PremisesUnitOfWork, actor: Actor) -> None:
    """Replace the opening hours of a space (general windows and period variations)."""
    async with uow:
        space = await space_of(uow, actor, space_id)
        require_staff_at(actor, space.site_id)
        for i, a in enumerate(h for h in hours if not h.general):  # numbered as the request's `variations`
            if a.valid_from and a.valid_to and a.valid_to < a.valid_from:
                raise ValidationError(f"variations[{i}].valid_to", "The period ends before it starts.", "range")
            if not a.windows:  # stored as windows, a period without any would vanish
                raise ValidationError(f"variations[{i}].windows", "A period needs opening hours on at least one "
                                      "day; close the space for a while with a closed period.", "required")
        await uow.calendars.replace_opening_hours(space, hours)
        uow.audit(AuditEntry(actor.municipality_id, actor.account_id, "space.opening_hours_set", "space", space.id,
                             {"windows": sum(len(h.windows) for h in hours)}))
        await uow.commit()


MAX_PLAN_DAYS = 62


DayView = tuple[DayPlan, list[TimeSpan]]  # a local date's plan and its busy times


async def availability_plan(space_id: UUID, first: date, last: date, uow: PremisesUnitOfWork
                            ) -> tuple[Space, ZoneInfo, list[DayView]]:
    """Open, free and busy times of a space per local date (public: no names, no titles)."""
    check_date_range(first, last, MAX_PLAN_DAYS)
    async with uow:
        space = await uow.spaces.get(space_id)
        if space is None:
            raise NotFound("Space", space_id)
        zone = await municipality_zone(uow, space.municipality_id)
        availability = await uow.calendars.availability(space, zone, range(first.year, last.year + 1))
        busy = merge_spans(await uow.bookings.busy(await units(uow, space), local_days(first, last, zone)))
        plans = day_plans(availability, first, last, busy)
        starts, ends = [b.start for b in busy], [b.end for b in busy]
        return space, zone, [(plan, list(touching(busy, starts, ends, local_days(plan.day, plan.day, zone))))
                             for plan in plans]


@dataclass(frozen=True)
class CloseTime:
    """Close a space, a whole site (site_id) or every site (neither) from one local date and time
    to another: a school event, maintenance."""

    reason: str
    first_day: date
    last_day: date
    from_time: time | None = None  # None: from the start of first_day
    to_time: time | None = None  # None: to the end of last_day
    space_id: UUID | None = None
    site_id: UUID | None = None


async def close_time(cmd: CloseTime, uow: PremisesUnitOfWork, actor: Actor) -> tuple[UUID, ClosedSpan]:
    check_day(cmd.first_day, "first_day")
    check_day(cmd.last_day, "last_day")
    async with uow:
        if cmd.space_id is not None and cmd.site_id is not None:
            raise ValidationError("site_id", "Give a space or a site, not both.")
        site_id = cmd.site_id
        if cmd.space_id is not None:
            site_id = (await space_of(uow, actor, cmd.space_id, "space_id")).site_id
        if cmd.site_id is not None:
            of_municipality(await uow.sites.get(cmd.site_id), actor.municipality_id, "site", cmd.site_id, "site_id")
        require_staff_at(actor, site_id)  # closing every site (neither given) takes a municipality-wide grant
        zone = await municipality_zone(uow, actor.municipality_id)
        start = local_instant(cmd.first_day, cmd.from_time or time(0), zone, "from_time")
        end = local_instant(cmd.last_day + (timedelta(0) if cmd.to_time else timedelta(days=1)),
                            cmd.to_time or time(0), zone, "to_time")
        if end <= start:
            raise ValidationError("last_day", "The closed period ends before it starts.", "range")
        if end - start > timedelta(days=400):
            raise ValidationError("last_day", "At most 400 days at a time.", "range")
        reason = clean_name(cmd.reason, "reason")
        closed = ClosedSpan(TimeSpan(start, end), reason)
        ident = await uow.calendars.add_closed(actor.municipality_id, cmd.site_id, cmd.space_id, closed)
        uow.audit(AuditEntry(actor.municipality_id, actor.account_id, "closed_period.created", "closed_period",
                             ident, {"reason": reason}))
        await uow.commit()
        return ident, closed


async def reopen(closed_id: UUID, uow: PremisesUnitOfWork, actor: Actor) -> None:
    async with uow:
        found, site_id = await uow.calendars.site_of_closed(actor.municipality_id, closed_id)
        if not found:
            raise NotFound("Closed period", closed_id)
        require_staff_at(actor, site_id)
        await uow.calendars.remove_closed(actor.municipality_id, closed_id)
        uow.audit(AuditEntry(actor.municipality_id, actor.account_id, "closed_period.removed", "closed_period",
                             closed_id, {}))
        await uow.commit()



async def closed_days(municipality_id: UUID, year: int, uow: PremisesUnitOfWork) -> dict[date, str]:
    """The municipality's closed days of a year: public holidays and eves (unless it keeps them
    open), with its own overrides."""
    check_day(date(year, 1, 1), "year")
    async with uow:
        return await uow.calendars.closed_days(municipality_id, range(year, year + 1))


async def override_holiday(day: date, closed: bool | None, name: str | None, uow: PremisesUnitOfWork,
                           actor: Actor) -> None:
    """closed=True: an extra closed day; closed=False: open on a holiday; None: back to the default.
    Every site closes or opens: staff narrowed to sites may not."""
    check_day(day, "date")
    require_staff_at(actor, None)
    async with uow:
        label = clean_name(name, "name") if name else None
        await uow.calendars.set_holiday_override(actor.municipality_id, day, closed, label)
        uow.audit(AuditEntry(actor.municipality_id, actor.account_id, "holiday.override", "municipality",
                             actor.municipality_id, {"date": day.isoformat(), "closed": closed}))
        await uow.commit()



async def set_prices(prices: list[Price], uow: PremisesUnitOfWork, actor: Actor) -> None:
    """Replace the municipality's price list (hourly prices per tariff category and space kind)."""
    seen = set()
    for i, price in enumerate(prices):
        check_price(price.hourly, f"items[{i}].hourly")
        key = (price.category, price.space_kind)
        if key in seen:
            raise ValidationError(f"items[{i}]", "The same category and space kind twice.", "duplicate")
        seen.add(key)
    async with uow:
        await uow.calendars.replace_prices(actor.municipality_id, prices)
        uow.audit(AuditEntry(actor.municipality_id, actor.account_id, "tariffs.set", "municipality",
                             actor.municipality_id, {"prices": len(prices)}))
        await uow.commit()

