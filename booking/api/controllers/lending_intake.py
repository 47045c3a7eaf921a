"""HTTP routes of intake and stock: donations registered with their labels, and stock counts of a site's
shelves."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Response, get, post
from litestar.params import Parameter
from litestar.status_codes import HTTP_201_CREATED

from booking.adapters.db.queries_lending import LendingQueries
from booking.adapters.db.uow import SqlUnitOfWork
from booking.api.access import guarded
from booking.api.controllers.lending_views import STAFF, LimitQ, OffsetQ, code_of, label_sheet, pdf_response
from booking.api.schemas import lending_intake as s
from booking.config import Settings
from booking.domain.lending import intake_services as intake
from booking.domain.lending import scope, services
from booking.domain.lending.intake import CountResult, StockCount
from booking.domain.people.roles import Actor
from booking.domain.shared.clock import Clock
from booking.domain.shared.errors import NotFound, ValidationError, expect


class DonationController(Controller):
    path = "/api/lending/donations"
    tags = ["lending"]

    @post("/", operation_id="receiveDonation", status_code=HTTP_201_CREATED, **guarded(STAFF, idempotent=True))
    async def receive(self, data: s.DonationCreate, uow: SqlUnitOfWork, actor: Actor, clock: Clock) -> s.Donation:
        """Register donated items quickly (article, count, condition): each gets a new label; print them all
        with GET /api/lending/donations/{id}/labels.pdf."""
        lines = [intake.DonationLine(x.article_id, x.count, x.condition_note) for x in data.lines]
        donation, items = await intake.receive_donation(data.site_id, data.note, lines, uow, actor, clock.now())
        return s.Donation(donation.id, donation.site_id, donation.received_at, donation.note, donation.item_count,
                          [i.label_code for i in items if i.label_code])

    @get("/", operation_id="listDonations", **guarded(STAFF))
    async def list_donations(self, lending_queries: LendingQueries, actor: Actor, limit: LimitQ = 50,
                             offset: OffsetQ = 0) -> s.DonationPage:
        """The donation log (for staff narrowed to sites: their sites')."""
        page = await lending_queries.donations(actor.municipality_id, limit, offset, sites=scope.desk_sites(actor))
        return s.DonationPage([s.Donation(r["id"], r["site_id"], r["received_at"], r["note"], r["item_count"],
                                          site_name=r["site_name"]) for r in page.items], page.total, limit, offset)

    @get("/{donation_id:uuid}/labels.pdf", operation_id="printDonationLabels", media_type="application/pdf",
         **guarded(STAFF))
    async def labels(self, donation_id: UUID, uow: SqlUnitOfWork, actor: Actor, clock: Clock,
                     lending_queries: LendingQueries, settings: Settings,
                     template: Annotated[str, Parameter(query="template", pattern="^(a4-3x8|a4-5x13)$")] = "a4-3x8",
                     ) -> Response[bytes]:
        """The donation's labels in one batch (logged in the print log)."""
        codes = await lending_queries.donation_codes(actor.municipality_id, donation_id)
        if codes is None:
            raise NotFound("Donation", donation_id)
        if not codes:
            raise ValidationError("donation_id", "The donation's items have no labels.", "empty")
        await services.record_print(template, codes, uow, actor, clock.now())
        sheet = await label_sheet(lending_queries, actor.municipality_id, settings, template, codes)
        return pdf_response(sheet, "gava-etiketter.pdf")


class StockCountController(Controller):
    path = "/api/lending/stock-counts"
    tags = ["lending"]

    def _view(self, found: StockCount | None, result: CountResult) -> s.StockCount:
        count = expect(found, "the stock count just counted")
        return s.StockCount(count.id, count.site_id, count.started_at, count.finished_at, result.scanned,
                            result.missing, result.unexpected, result.unknown_codes)

    @post("/", operation_id="startStockCount", status_code=HTTP_201_CREATED, **guarded(STAFF))
    async def start(self, data: s.StockCountCreate, uow: SqlUnitOfWork, actor: Actor, clock: Clock) -> s.StockCount:
        """Start counting a site's shelves: scan every label found, then finish."""
        count = await intake.start_count(data.site_id, uow, actor, clock.now())
        return s.StockCount(count.id, count.site_id, count.started_at, None, 0, [], [], [])

    @post("/{count_id:uuid}/scans", operation_id="scanStockCount", status_code=200, **guarded(STAFF))
    async def scan(self, count_id: UUID, data: s.StockScanCreate, uow: SqlUnitOfWork, actor: Actor, clock: Clock,
                   settings: Settings) -> s.StockScanResult:
        """One scanned label (the scanner's text: the URL or the code). Scanning twice counts once."""
        text = data.code.strip()
        code = code_of(text.rsplit("/q/", 1)[-1])
        item, first = await intake.scan(count_id, code, uow, actor, clock.now())
        name = None
        if item is not None:
            async with uow:
                article = await uow.lending.get_article(item.article_id)
                name = f"{article.name} {article.variant or ''}".strip() if article else None
        return s.StockScanResult(code, item.id if item else None, item is not None, first, name)

    @get("/{count_id:uuid}", operation_id="getStockCount", **guarded(STAFF))
    async def get_count(self, count_id: UUID, uow: SqlUnitOfWork, actor: Actor, clock: Clock) -> s.StockCount:
        """So far: missing (on the register as available at the site, not scanned), unexpected (scanned,
        registered elsewhere or as lent/lost) and unknown codes."""
        result = await intake.count_result(count_id, False, uow, actor, clock.now())
        async with uow:
            count = await uow.lending.get_stock_count(count_id)
        return self._view(count, result)

    @post("/{count_id:uuid}/finish", operation_id="finishStockCount", status_code=200, **guarded(STAFF))
    async def finish(self, count_id: UUID, uow: SqlUnitOfWork, actor: Actor, clock: Clock) -> s.StockCount:
        result = await intake.count_result(count_id, True, uow, actor, clock.now())
        async with uow:
            count = await uow.lending.get_stock_count(count_id)
        return self._view(count, result)


HANDLERS: list[Any] = [DonationController, StockCountController]
