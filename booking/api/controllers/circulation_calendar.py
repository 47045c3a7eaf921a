"""Public HTTP routes of lending circulation: when lending sites open and when a loan would fall due."""

from __future__ import annotations

import datetime as dt
from datetime import timedelta
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, get
from litestar.params import Parameter

from booking.adapters.db.queries import Queries
from booking.adapters.db.queries_circulation import CirculationQueries
from booking.adapters.db.uow import SqlUnitOfWork
from booking.api.access import PUBLIC, guarded
from booking.api.controllers.circulation_views import hours_text, local_today, shown_weekdays
from booking.api.schemas import circulation as s
from booking.domain.lending import circulation_services as svc
from booking.domain.lending.due_dates import OpenDays, due_on
from booking.domain.shared.clock import Clock
from booking.domain.shared.errors import NotFound, ValidationError
from booking.domain.shared.localtime import check_day


class LendingCalendarController(Controller):
    """Public: when lending sites open and when a loan would fall due."""

    path = "/api/lending"
    tags = ["lending"]

    @get("/opening-days/{site_id:uuid}", operation_id="getLendingOpeningDays", **guarded(PUBLIC))
    async def get_opening_days(self, site_id: UUID, read_uow: SqlUnitOfWork,
                               circulation_queries: CirculationQueries) -> s.OpeningDays:
        async with read_uow:
            site = await read_uow.sites.get(site_id)
        if site is None:
            raise NotFound("Site", site_id)
        weekdays, opens, closes = await circulation_queries.site_opening(site_id) or (None, None, None)
        return s.OpeningDays(site_id, *shown_weekdays(weekdays), *hours_text((opens, closes)))

    @get("/due-date", operation_id="previewDueDate", **guarded(PUBLIC))
    async def preview_due_date(
        self, read_uow: SqlUnitOfWork, queries: Queries, clock: Clock,
        site_id: Annotated[UUID, Parameter(query="site_id")],
        lent_on: Annotated[dt.date | None, Parameter(query="lent_on", description="Default: today.")] = None,
        period_days: Annotated[int, Parameter(query="period_days", ge=1, le=365)] = 14,
    ) -> s.DueDate:
        """When a loan from `lent_on` at this site for `period_days` falls due, and which closed days
        (weekdays the site does not open, holidays, closed days of the municipality) moved it."""
        async with read_uow:
            site = await read_uow.sites.get(site_id)
            if site is None:
                raise ValidationError("site_id", "No such site.", "unknown")
            day = check_day(lent_on, "lent_on") if lent_on else await local_today(queries, clock, site.municipality_id)
            if day.year > 2190:
                raise ValidationError("lent_on", "Give a date before 2190.", "range")
            days = await svc.open_days(read_uow, site.municipality_id, site_id, day)
        nominal = day + timedelta(days=period_days)
        due = due_on(day, period_days, days)
        skipped = [s.ClosedDay(nominal + timedelta(days=i), _reason(nominal + timedelta(days=i), days))
                   for i in range((due - nominal).days)]
        return s.DueDate(day, period_days, nominal, due, skipped)


def _reason(day: dt.date, days: OpenDays) -> str:
    closed = days.closed
    if isinstance(closed, dict) and day in closed:
        return str(closed[day])
    return "Stängt den veckodagen"


HANDLERS: list[Any] = [LendingCalendarController]
