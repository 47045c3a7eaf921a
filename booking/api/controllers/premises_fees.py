"""The price list and the fee basis of bookings (CSV for the invoicing system)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Response, get, put
from litestar.params import Parameter

from booking.adapters.db.queries import Queries
from booking.adapters.db.uow import SqlUnitOfWork
from booking.api.access import ADMIN_ONLY, PUBLIC, guarded
from booking.api.controllers.booking_views import PREMISES_STAFF, municipality_zone
from booking.api.controllers.params import MunicipalityQ
from booking.api.schemas import bookings as s
from booking.domain.imports.csv_text import write_csv
from booking.domain.people.roles import Actor
from booking.domain.premises import (
    calendar_services,
)
from booking.domain.premises.fees import Price, TariffCategory, fee_lines
from booking.domain.premises.model import SpaceKind
from booking.domain.premises.scope import staff_sites
from booking.domain.shared.errors import ValidationError
from booking.domain.shared.localtime import check_day, local_instant


class FeeController(Controller):
    path = "/api"
    tags = ["fees"]

    @get("/tariffs", operation_id="getPrices", **guarded(PUBLIC))
    async def prices(self, queries: Queries, municipality: MunicipalityQ) -> s.PriceList:
        """The municipality's hourly prices per tariff category and space kind (public)."""
        if municipality is None:
            raise ValidationError("municipality", "Say which municipality (its slug).", "required")
        municipality_id = await queries.municipality_id_by_slug(municipality)
        if municipality_id is None:
            raise ValidationError("municipality", f"No municipality with slug {municipality!r}.", "unknown")
        prices = await queries.prices(municipality_id)
        return s.PriceList([s.PriceIO(TariffCategory(c), SpaceKind(k), v) for (c, k), v in sorted(prices.items())])

    @put("/tariffs", operation_id="setPrices", **guarded(ADMIN_ONLY))
    async def set_prices(self, data: s.PriceList, uow: SqlUnitOfWork, actor: Actor) -> s.PriceList:
        """Replace the price list."""
        prices = [Price(p.category, str(p.space_kind), p.hourly) for p in data.items]
        await calendar_services.set_prices(prices, uow, actor)
        return data

    async def _basis(self, queries: Queries, actor: Actor, first: dt.date, last: dt.date,
                     association_id: UUID | None) -> s.FeeBasis:
        check_day(first, "from")
        check_day(last, "to")
        if last < first:
            raise ValidationError("to", "The end date is before the start date.", "range")
        zone = await municipality_zone(queries, actor.municipality_id)
        billables = await queries.billables(actor.municipality_id, local_instant(first, dt.time(0), zone, "from"),
                                            local_instant(last + dt.timedelta(days=1), dt.time(0), zone, "to"),
                                            association_id, staff_sites(actor))
        lines = fee_lines(billables, await queries.prices(actor.municipality_id))
        names = await queries.association_names({line.association_id for line in lines})
        groups: dict[UUID, list[s.FeeLineOut]] = {}
        for line in lines:
            start, end = line.starts_at.astimezone(zone), line.ends_at.astimezone(zone)
            groups.setdefault(line.association_id, []).append(s.FeeLineOut(
                line.booking_id, start.date(), start.strftime("%H:%M"), end.strftime("%H:%M"), line.space_id,
                line.space_kind, line.tariff, line.hours, line.hourly, line.amount, line.late_cancellation))
        associations = [s.AssociationFees(a, names[a][0], names[a][1], items,
                                          sum((i.amount for i in items), Decimal(0)))
                        for a, items in groups.items()]
        return s.FeeBasis(first, last, associations, sum((a.total for a in associations), Decimal(0)))

    @get("/fees", operation_id="getFeeBasis", **guarded(PREMISES_STAFF))
    async def fee_basis(self, queries: Queries, actor: Actor,
                        first: Annotated[dt.date, Parameter(query="from")],
                        last: Annotated[dt.date, Parameter(query="to")],
                        association_id: Annotated[UUID | None, Parameter(query="association_id")] = None,
                        ) -> s.FeeBasis:
        """The fee basis of a period for the municipality's invoicing."""
        return await self._basis(queries, actor, first, last, association_id)

    @get("/fees.csv", operation_id="getFeeBasisCsv", media_type="text/csv", **guarded(PREMISES_STAFF))
    async def fee_basis_csv(self, queries: Queries, actor: Actor,
                            first: Annotated[dt.date, Parameter(query="from")],
                            last: Annotated[dt.date, Parameter(query="to")],
                            association_id: Annotated[UUID | None, Parameter(query="association_id")] = None,
                            ) -> Response[str]:
        """The same as CSV: one row per charged booking (semicolon-separated, decimal comma)."""
        basis = await self._basis(queries, actor, first, last, association_id)
        text = write_csv(["organisationsnummer", "forening", "datum", "start", "slut", "lokaltyp", "taxa", "timmar",
                          "pris_per_timme", "belopp", "sen_avbokning", "bokning"],
                         ([association.org_number, association.name, line.local_date.isoformat(),
                           line.local_start, line.local_end, line.space_kind, str(line.tariff),
                           _kr(line.hours), _kr(line.hourly), _kr(line.amount),
                           "ja" if line.late_cancellation else "nej", line.booking_id]
                          for association in basis.associations for line in association.lines))
        return Response(text, media_type="text/csv", headers={
            "Content-Disposition": f'attachment; filename="avgiftsunderlag-{first}-{last}.csv"'})


def _kr(value: Decimal) -> str:
    return f"{value:.2f}".replace(".", ",")



HANDLERS: list[Any] = [FeeController]
