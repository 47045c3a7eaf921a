"""Föreningsmatchning over HTTP: the ranked match (public, and at the Fritidsbanken counter from a lending
card) and the staff's follow-up of interest requests, as JSON and as CSV."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Response, get, post
from litestar.params import Parameter

from booking.adapters.db.queries import Queries
from booking.adapters.db.queries_requests import RequestQueries
from booking.adapters.db.uow import SqlUnitOfWork
from booking.api.access import PUBLIC, guarded, roles
from booking.api.controllers.activities_views import municipality_of
from booking.api.schemas import matching_requests as s
from booking.domain.imports.csv_text import write_csv
from booking.domain.matching import services
from booking.domain.matching.follow_up import UNKNOWN
from booking.domain.matching.match import Match
from booking.domain.people.roles import Actor, Role
from booking.domain.shared.clock import Clock
from booking.domain.shared.errors import ValidationError
from booking.domain.shared.localtime import check_day

STAFF = roles(Role.PREMISES_STAFF, Role.ACTIVITIES_STAFF, Role.LENDING_STAFF)
MAX_FOLLOW_UP_DAYS = 400
GENDER_NAMES = {"female": "Tjejer", "male": "Killar", "other": "Annat", UNKNOWN: "Okänt"}

FromQ = Annotated[dt.date | None, Parameter(query="from", description="First local date (default: 365 days ago).")]
ToQ = Annotated[dt.date | None, Parameter(query="to", description="Last local date (default: today).")]


def to_item(match: Match) -> s.MatchItem:
    c = match.candidate
    return s.MatchItem(
        c.association_id, c.name, match.score, [s.Reason(r.code, r.text_sv, r.text_en) for r in match.reasons],
        [s.TrainingTime(t.weekday, t.start, t.end, t.site_name, t.space_name, t.dates) for t in c.training_times[:3]],
        c.free_to_try, c.accepts_requests)


class AssociationMatchingController(Controller):
    path = "/api"
    tags = ["föreningsmatchning"]

    @post("/association-matches", operation_id="matchAssociations", status_code=200,
          **guarded(PUBLIC, problems=(403,)))
    async def match(self, data: s.MatchQuery, read_uow: SqlUnitOfWork, queries: Queries, maybe_actor: Actor | None,
                    clock: Clock) -> s.MatchResult:
        """Associations for a young person's interests, age, area and days, best first, each with the reasons
        it fits ("10-12 år", "tränar tisdagar i Nacksta idrottshall", "400 m från Nacksta", "prova gratis").
        At the Fritidsbanken counter, staff with the lending role may give a lending card number instead of
        age and area: the borrower's birth year and area fill them (403 for anyone else; 404 for a card the
        municipality does not know)."""
        municipality_id = await municipality_of(queries, data.municipality, None)
        if data.card_number is None and data.age is None:
            raise ValidationError("age", "Give an age (or, at the desk, a lending card).", "required")
        matches, age, area_id = await services.match(services.MatchCommand(
            municipality_id, tuple(data.interests), data.age, data.area_id, tuple(sorted(set(data.days))),
            data.card_number), read_uow, maybe_actor, clock.now())
        return s.MatchResult([to_item(m) for m in matches], age, area_id)

    async def _report(self, mq: RequestQueries, actor: Actor, clock: Clock, first: dt.date | None,
                      last: dt.date | None) -> s.FollowUp:
        # the municipality's requests span every site: a staff grant narrowed to sites is refused (403)
        actor.require_site(None, Role.PREMISES_STAFF, Role.ACTIVITIES_STAFF, Role.LENDING_STAFF)
        zone = await mq.zone(actor.municipality_id)
        today = clock.now().astimezone(zone).date()
        last = check_day(last, "to") if last is not None else today
        first = check_day(first, "from") if first is not None else last - dt.timedelta(days=365)
        if last < first:
            raise ValidationError("to", "The end date is before the start date.", "range")
        if (last - first).days > MAX_FOLLOW_UP_DAYS:
            raise ValidationError("to", f"At most {MAX_FOLLOW_UP_DAYS} days at a time.", "range")
        report = await mq.follow_up(actor.municipality_id, first, last, zone)
        names = await mq.category_names(actor.municipality_id)

        def interest_name(key: str) -> str:
            return names.get(UUID(key), (key, key))[0]

        return s.FollowUp(
            first.isoformat(), last.isoformat(), report.requests, report.answered, report.via_counter,
            sorted((s.Tally(k, interest_name(k), v.requests, v.answered) for k, v in report.by_interest.items()),
                   key=lambda x: (-x.requests, x.name)),
            sorted((s.Tally(k, k, v.requests, v.answered) for k, v in report.by_age_group.items()),
                   key=lambda x: x.key),
            sorted((s.Tally(k, GENDER_NAMES.get(k, k), v.requests, v.answered) for k, v in report.by_gender.items()),
                   key=lambda x: x.key),
            [s.AreaReach(a.area_id, a.name, a.population_0_17, a.requests, a.answered, a.per_1000)
             for a in report.by_area])

    @get("/association-matching/follow-up", operation_id="getMatchingFollowUp", **guarded(STAFF))
    async def follow_up(self, request_queries: RequestQueries, actor: Actor, clock: Clock, first: FromQ = None,
                        last: ToQ = None) -> s.FollowUp:
        """Interest requests and answers per home area, interest, age group (6-9, 10-12, 13-15, 16+) and gender,
        with the reach per 1,000 children of each area (the area's population 0-17). No personal data."""
        return await self._report(request_queries, actor, clock, first, last)

    @get("/association-matching/follow-up.csv", operation_id="getMatchingFollowUpCsv", media_type="text/csv",
         **guarded(STAFF))
    async def follow_up_csv(self, request_queries: RequestQueries, actor: Actor, clock: Clock,
                            first: FromQ = None, last: ToQ = None) -> Response[bytes]:
        """The follow-up as CSV (semicolon-separated, UTF-8 with BOM for spreadsheet programs)."""
        r = await self._report(request_queries, actor, clock, first, last)
        rows: list[list[object]] = [["period", "first_day", r.first_day, ""], ["period", "last_day", r.last_day, ""],
                                    ["totals", "requests", r.requests, r.answered],
                                    ["totals", "via_counter", r.via_counter, ""]]
        for section, tallies in (("interest", r.by_interest), ("age_group", r.by_age_group),
                                 ("gender", r.by_gender)):
            rows += [[section, t.name, t.requests, t.answered] for t in tallies]
        for a in r.by_area:
            rows.append(["area", a.area_name or "-", a.requests, a.answered])
            rows.append(["area_per_1000", a.area_name or "-", "" if a.per_1000 is None else a.per_1000, ""])
        return Response(write_csv(["section", "key", "requests", "answered"], rows).encode(),
                        media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": "attachment; filename=foreningsmatchning-uppfoljning.csv"})


HANDLERS: list[Any] = [AssociationMatchingController]
