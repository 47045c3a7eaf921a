"""Holiday periods (lov): the municipality's school holidays, set by staff with a municipality-wide grant."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from booking.domain.activities import scope
from booking.domain.activities.lov import HolidayPeriod, LovKind, default_periods
from booking.domain.activities.ports import ActivitiesUnitOfWork
from booking.domain.activities.services.notices import audit
from booking.domain.people.roles import Actor
from booking.domain.shared.tenancy import of_municipality


async def generate_periods(year: int, sportlov_week: int, uow: ActivitiesUnitOfWork,
                           actor: Actor) -> list[HolidayPeriod]:
    """Add the generated defaults of a year for the kinds the municipality has not set yet."""
    wanted = default_periods(actor.municipality_id, year, sportlov_week)
    actor.require_site(None, scope.STAFF)  # the municipality's holidays: a municipality-wide grant
    async with uow:
        have = {p.kind for p in await uow.activities.periods(actor.municipality_id, year)}
        added = [p for p in wanted if p.kind not in have]
        for period in added:
            uow.activities.add_period(period)
            audit(uow, actor, "lov.created", "holiday_period", period.id, actor.municipality_id, kind=period.kind)
        await uow.commit()
        return added


async def set_period(kind: LovKind, year: int, first_day: date, last_day: date, uow: ActivitiesUnitOfWork,
                     actor: Actor) -> HolidayPeriod:
    """Set (create or move) the dates of one holiday of a year."""
    actor.require_site(None, scope.STAFF)
    async with uow:
        existing = [p for p in await uow.activities.periods(actor.municipality_id, year) if p.kind == kind]
        if existing:
            period = existing[0]
            period.change(first_day, last_day)
        else:
            period = HolidayPeriod(actor.municipality_id, kind, year, first_day, last_day)
            uow.activities.add_period(period)
        audit(uow, actor, "lov.set", "holiday_period", period.id, actor.municipality_id,
              first_day=first_day.isoformat(), last_day=last_day.isoformat())
        await uow.commit()
        return period


async def delete_period(period_id: UUID, uow: ActivitiesUnitOfWork, actor: Actor) -> None:
    actor.require_site(None, scope.STAFF)
    async with uow:
        period = of_municipality(await uow.activities.period(period_id), actor.municipality_id, "holiday period",
                                 period_id)
        await uow.activities.delete_period(period)
        audit(uow, actor, "lov.deleted", "holiday_period", period.id, actor.municipality_id)
        await uow.commit()
