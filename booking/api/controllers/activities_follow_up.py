"""The grant follow-up of holiday activities, as JSON and as CSV."""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from litestar import Controller, Response, get

from booking.adapters.db.queries_activities import (
    ActivityQueries,
)
from booking.api.access import guarded
from booking.api.controllers.activities_views import (
    FEED_DAYS,
    STAFF,
    FromQ,
    PeriodQ,
    ToQ,
)
from booking.api.schemas import activities as s
from booking.domain.activities import scope
from booking.domain.imports.csv_text import write_csv
from booking.domain.people.roles import Actor
from booking.domain.shared.errors import ValidationError
from booking.domain.shared.localtime import check_day
from booking.domain.shared.tenancy import of_municipality


class FollowUpController(Controller):
    path = "/api/activity-follow-up"
    tags = ["activities"]

    async def _report(self, activity_queries: ActivityQueries, actor: Actor, period_id: UUID | None,
                      first: dt.date | None, last: dt.date | None) -> s.FollowUp:
        aq = activity_queries
        if period_id is not None:
            period = of_municipality(await aq.period(period_id), actor.municipality_id, "holiday period", period_id,
                                     "period_id")
            first, last = period.first_day, period.last_day
        if first is None or last is None:
            raise ValidationError("period_id", "Give a holiday period, or from and to.", "required")
        check_day(first, "from")
        check_day(last, "to")
        if last < first:
            raise ValidationError("to", "The end date is before the start date.", "range")
        if (last - first).days > FEED_DAYS:
            raise ValidationError("to", f"At most {FEED_DAYS} days at a time.", "range")
        report, reach = await aq.follow_up(actor.municipality_id, first, last, await aq.zone(actor.municipality_id),
                                           scope.staff_sites(actor))
        return s.FollowUp(
            period_id=period_id, first_day=first, last_day=last, activities=report.activities,
            sessions=report.sessions, places=report.places, sign_ups=report.sign_ups, waiting=report.waiting,
            attended=report.attended, drop_in_visitors=report.drop_in_visitors,
            participants_by_gender=report.participants_by_gender,
            participants_by_age_group=report.participants_by_age_group,
            participants_by_area=report.participants_by_area,
            participants_by_gender_and_age_group=report.participants_by_gender_and_age_group,
            participants_unknown_home_area=report.participants_unknown_home_area,
            equity=[s.AreaReach(r.area_id, r.area_name, r.population_0_17, r.participants, r.per_1000)
                    for r in reach])

    @get("/", operation_id="getActivityFollowUp", **guarded(STAFF))
    async def follow_up(self, activity_queries: ActivityQueries, actor: Actor, period_id: PeriodQ = None,
                        first: FromQ = None, last: ToQ = None) -> s.FollowUp:
        """Per holiday: activities, sessions, places, sign-ups, attendance; participants by gender, age
        group (6-9, 10-12, 13-15, 16+) and home area; and the equity view: participants per 1,000 children
        living in each area (population entered by the admin). By area, a signed-up child counts for
        their HOME area (given at sign-up, as an area or a postcode), not the activity's area; sign-ups
        without one are `participants_unknown_home_area`, and drop-in visitors are their own figure."""
        return await self._report(activity_queries, actor, period_id, first, last)

    @get("/report.csv", operation_id="getActivityFollowUpCsv", media_type="text/csv", **guarded(STAFF))
    async def follow_up_csv(self, activity_queries: ActivityQueries, actor: Actor, period_id: PeriodQ = None,
                            first: FromQ = None, last: ToQ = None) -> Response[bytes]:
        """The grant follow-up as CSV (semicolon-separated, UTF-8 with BOM for spreadsheet programs). The
        `area` rows count participants by home area, then `unknown_home_area` and `drop_in_visitors`
        (never given to an area); `area_per_1000` is the reach per 1,000 children living in the area."""
        r = await self._report(activity_queries, actor, period_id, first, last)
        rows: list[list[object]] = [["period", "first_day", r.first_day.isoformat()],
                                    ["period", "last_day", r.last_day.isoformat()]]
        for key in ("activities", "sessions", "places", "sign_ups", "waiting", "attended", "drop_in_visitors"):
            rows.append(["totals", key, getattr(r, key)])
        for key, value in r.participants_by_gender.items():
            rows.append(["gender", key, value])
        for key, value in r.participants_by_age_group.items():
            rows.append(["age_group", key, value])
        for g, groups in r.participants_by_gender_and_age_group.items():
            for grp, value in groups.items():
                rows.append(["gender_age_group", f"{g}/{grp}", value])
        for area in r.equity:  # by the participants' home area
            rows.append(["area", area.area_name, area.participants])
            rows.append(["area_per_1000", area.area_name, "" if area.per_1000 is None else area.per_1000])
        rows.append(["area", "unknown_home_area", r.participants_unknown_home_area])
        rows.append(["area", "drop_in_visitors", r.drop_in_visitors])
        return Response(write_csv(["section", "key", "value"], rows).encode(), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": "attachment; filename=lovaktiviteter-uppfoljning.csv"})


HANDLERS: list[Any] = [FollowUpController]
