"""HTTP routes of lending statistics: loans, borrowers, items and donations of a period, as JSON or CSV."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any
from uuid import UUID
from zoneinfo import ZoneInfo

from litestar import Controller, Response, get
from litestar.params import Parameter

from booking.adapters.db.queries import Queries
from booking.adapters.db.queries_lending import LendingQueries
from booking.api.access import guarded
from booking.api.controllers.lending_views import STAFF
from booking.api.schemas import lending_stats as s
from booking.domain.imports.csv_text import write_csv
from booking.domain.lending import scope
from booking.domain.lending.model import ItemStatus
from booking.domain.lending.statistics import summarise
from booking.domain.people.roles import Actor
from booking.domain.shared.clock import Clock
from booking.domain.shared.errors import ValidationError
from booking.domain.shared.reach import per_1000


def _counts(counter: Any) -> list[s.KeyCount]:
    return [s.KeyCount(str(k), n) for k, n in sorted(counter.items(), key=lambda kv: (-kv[1], str(kv[0])))]


class StatisticsController(Controller):
    path = "/api/lending"
    tags = ["lending"]

    async def _stats(self, queries: Queries, lending_queries: LendingQueries, actor: Actor, clock: Clock,
                     first: date | None, last: date | None, site_id: UUID | None) -> s.LendingStats:
        municipality = await queries.municipality(actor.municipality_id)
        zone = ZoneInfo(municipality.timezone if municipality else "Europe/Stockholm")
        today = clock.now().astimezone(zone).date()
        last = last or today
        first = first or date(last.year, 1, 1)
        if first > last:
            raise ValidationError("to", "The last day is before the first.", "order")
        if (last - first).days > 5 * 366:
            raise ValidationError("to", "At most five years at a time.", "too-long")
        since = datetime.combine(first, time(0), zone).astimezone(UTC)
        until = datetime.combine(last + timedelta(days=1), time(0), zone).astimezone(UTC)
        if site_id is not None:
            scope.require_site(actor, site_id)
        sites = scope.listed_sites(actor, site_id)  # staff narrowed to sites: the figures of their sites
        rows = await lending_queries.loan_rows(actor.municipality_id, since, until, site_id, sites)
        stats = summarise(rows, zone, last.year)
        donations = await lending_queries.donation_stats(actor.municipality_id, since, until)
        if sites is not None:
            donations = [d for d in donations if d["site_id"] in sites]
        return s.LendingStats(
            first.isoformat(), last.isoformat(), stats.loans,
            [s.MonthCount(m, site, cat, n) for (m, site, cat), n in sorted(stats.by_month.items())],
            _counts(stats.by_category), _counts(stats.by_site), [s.KeyCount(k, n) for k, n in stats.top_articles],
            stats.borrowers, _counts(stats.by_age_band), _counts(stats.by_gender), _counts(stats.by_area),
            [s.StatusCount(r["site_id"], ItemStatus(r["status"]), r["items"])
             for r in await lending_queries.items_per_status(actor.municipality_id, site_id, sites)],
            len(donations), sum(d["item_count"] for d in donations),
            [s.AreaReach(a.name, a.population_0_17, stats.children_by_area.get(a.name, 0),
                         per_1000(stats.children_by_area.get(a.name, 0), a.population_0_17))
             for a in (await queries.areas(actor.municipality_id, 1000, 0)).items])

    @get("/stats", operation_id="getLendingStats", **guarded(STAFF))
    async def stats(self, queries: Queries, lending_queries: LendingQueries, actor: Actor, clock: Clock,
                    first: Annotated[date | None, Parameter(query="from")] = None,
                    last: Annotated[date | None, Parameter(query="to")] = None,
                    site_id: Annotated[UUID | None, Parameter(query="site_id")] = None) -> s.LendingStats:
        """Loans per category, month and site; unique borrowers by age band, gender and area; the most
        borrowed articles; items per status; donations. Default period: this year so far."""
        return await self._stats(queries, lending_queries, actor, clock, first, last, site_id)

    @get("/stats.csv", operation_id="getLendingStatsCsv", media_type="text/csv", **guarded(STAFF))
    async def stats_csv(self, queries: Queries, lending_queries: LendingQueries, actor: Actor, clock: Clock,
                        first: Annotated[date | None, Parameter(query="from")] = None,
                        last: Annotated[date | None, Parameter(query="to")] = None,
                        site_id: Annotated[UUID | None, Parameter(query="site_id")] = None) -> Response[str]:
        """The same figures as one long table: measure, month, site, category, key, value (UTF-8 with BOM,
        semicolons, for spreadsheet programs)."""
        st = await self._stats(queries, lending_queries, actor, clock, first, last, site_id)
        rows: list[list[object]] = [["loans", "", "", "", "", st.loans]]
        for m in st.loans_by_month:
            rows.append(["loans_by_month", m.month, m.site, m.category, "", m.loans])
        for name in ("loans_by_category", "loans_by_site", "top_articles", "borrowers_by_age_band",
                     "borrowers_by_gender", "borrowers_by_area"):
            for c in getattr(st, name):
                rows.append([name, "", "", "", c.key, c.count])
        rows.append(["borrowers", "", "", "", "", st.borrowers])
        for sc in st.items_by_status:
            rows.append(["items_by_status", "", str(sc.site_id), "", sc.status.value, sc.items])
        rows.append(["donations", "", "", "", "", st.donations])
        rows.append(["donated_items", "", "", "", "", st.donated_items])
        for r in st.reach_by_area:
            rows.append(["children_by_area", "", "", "", r.area, r.children])
            rows.append(["children_per_1000", "", "", "", r.area, "" if r.per_1000 is None else r.per_1000])
        text = write_csv(["measure", "month", "site", "category", "key", "value"], rows)
        return Response(text, media_type="text/csv", headers={
            "Content-Disposition": f'attachment; filename="fritidsbanken-{st.first_day}-{st.last_day}.csv"'})


HANDLERS: list[Any] = [StatisticsController]
