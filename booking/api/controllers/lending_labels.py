"""HTTP routes of labels: codes made in advance, linked to items by scanning, their QR codes, printed
sheets and the print log; and what a phone camera opens from a label's or a lending card's QR code."""

from __future__ import annotations

import html
from typing import Annotated, Any

from litestar import Controller, Response, get, post
from litestar.params import Parameter
from litestar.response import Redirect
from litestar.status_codes import HTTP_201_CREATED

from booking.adapters import pdf
from booking.adapters.db.queries_lending import LendingQueries
from booking.adapters.db.uow import SqlUnitOfWork
from booking.adapters.qr import qr_png, qr_svg
from booking.api.access import PUBLIC, guarded
from booking.api.controllers.lending_views import (
    STAFF,
    CodePath,
    LimitQ,
    OffsetQ,
    code_of,
    label_sheet,
    pdf_response,
    to_item,
)
from booking.api.schemas import lending as s
from booking.config import Settings
from booking.domain.lending import labels as lb
from booking.domain.lending import scope, services
from booking.domain.people.roles import Actor
from booking.domain.shared.clock import Clock
from booking.domain.shared.errors import ValidationError, expect
from booking.domain.shared.tenancy import of_municipality


class LabelController(Controller):
    path = "/api/lending"
    tags = ["lending"]

    @post("/labels", operation_id="createLendingLabels", status_code=HTTP_201_CREATED,
          **guarded(STAFF, idempotent=True))
    async def create_labels(self, data: s.LabelsCreate, uow: SqlUnitOfWork, actor: Actor) -> s.LabelsCreated:
        """New label codes, to print in advance and link to items later by scanning."""
        return s.LabelsCreated([label.code for label in await services.create_labels(data.count, uow, actor)])

    @get("/labels", operation_id="listLendingLabels", **guarded(STAFF))
    async def list_labels(self, lending_queries: LendingQueries, actor: Actor, settings: Settings,
                          linked: Annotated[bool | None, Parameter(query="linked")] = None,
                          printed: Annotated[bool | None, Parameter(query="printed")] = None,
                          limit: LimitQ = 50, offset: OffsetQ = 0) -> s.LabelPage:
        """Labels of the municipality (for staff narrowed to sites: those on their sites' items)."""
        page = await lending_queries.labels(actor.municipality_id, linked=linked, printed=printed, limit=limit,
                                            offset=offset, sites=scope.desk_sites(actor))
        return s.LabelPage([s.Label(r["code"], lb.label_url(settings.base_url, r["code"]), r["item_id"],
                                    r["printed_at"], r["linked_at"]) for r in page.items], page.total, limit, offset)

    @post("/labels/{code:str}/link", operation_id="linkLendingLabel", status_code=200, **guarded(STAFF))
    async def link(self, code: CodePath, data: s.LabelLink, uow: SqlUnitOfWork, actor: Actor, clock: Clock,
                   lending_queries: LendingQueries) -> s.Item:
        """Stick a printed label on an item: 409 when the label or the item is linked already."""
        item = await services.link_label(code_of(code), data.item_id, uow, actor, clock.now())
        row = await lending_queries.item(actor.municipality_id, item.id)
        return to_item(expect(row, f"item {item.id}"))

    async def _own_label(self, code: str, actor: Actor, read_uow: SqlUnitOfWork) -> str:
        code = code_of(code)
        async with read_uow:
            return of_municipality(await read_uow.lending.label(code), actor.municipality_id, "label", code).code

    @get("/labels/{code:str}/qr.svg", operation_id="getLendingLabelSvg", media_type="image/svg+xml",
         **guarded(STAFF))
    async def label_svg(self, code: CodePath, actor: Actor, read_uow: SqlUnitOfWork,
                        settings: Settings) -> Response[bytes]:
        """The label's QR code as SVG: `{BASE_URL}/Q/{CODE}` (scheme and host in capitals), error correction
        M, on its own white square with a quiet zone of 4 modules."""
        code = await self._own_label(code, actor, read_uow)
        return Response(qr_svg(lb.label_url(settings.base_url, code)), media_type="image/svg+xml")

    @get("/labels/{code:str}/qr.png", operation_id="getLendingLabelPng", media_type="image/png", **guarded(STAFF))
    async def label_png(self, code: CodePath, actor: Actor, read_uow: SqlUnitOfWork,
                        settings: Settings) -> Response[bytes]:
        """The label's QR code as PNG (8 pixels per module)."""
        code = await self._own_label(code, actor, read_uow)
        return Response(qr_png(lb.label_url(settings.base_url, code)), media_type="image/png")

    @get("/label-templates", operation_id="listLendingLabelTemplates", **guarded(STAFF))
    async def templates(self) -> list[s.LabelTemplate]:
        return [s.LabelTemplate(t.name, t.title, t.columns, t.rows, t.width, t.height) for t in pdf.TEMPLATES.values()]

    @post("/label-sheets", operation_id="printLendingLabelSheet", status_code=200, media_type="application/pdf",
          **guarded(STAFF))
    async def sheet(self, data: s.LabelSheet, uow: SqlUnitOfWork, actor: Actor, clock: Clock,
                    lending_queries: LendingQueries, settings: Settings) -> Response[bytes]:
        """A vector A4 PDF of the labels on the template's mm grid, each code in plain letters under its
        QR; the print is logged."""
        entry = await services.record_print(data.template, data.codes, uow, actor, clock.now())
        sheet = await label_sheet(lending_queries, actor.municipality_id, settings, data.template, list(entry.codes))
        return pdf_response(sheet, f"etiketter-{data.template}.pdf")

    @get("/label-prints", operation_id="listLendingLabelPrints", **guarded(STAFF))
    async def prints(self, lending_queries: LendingQueries, actor: Actor, limit: LimitQ = 50,
                     offset: OffsetQ = 0) -> s.LabelPrintPage:
        """The print log: which codes were printed on which template, when and by whom (for staff narrowed
        to sites: their own prints, which hold only their sites' labels)."""
        page = await lending_queries.label_prints(actor.municipality_id, limit, offset,
                                     None if scope.desk_sites(actor) is None else actor.account_id)
        return s.LabelPrintPage([s.LabelPrint(r["id"], r["template"], list(r["codes"]), r["printed_at"],
                                              r["printed_by"], r["printed_by_name"]) for r in page.items],
                                page.total, limit, offset)


NOT_FOUND_PAGE = """<!doctype html>
<html lang="sv"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Okänd etikett – Fritidsbanken</title><link rel="stylesheet" href="/assets/css/main.css"></head>
<body><main id="main" class="container"><h1>Vi hittar inte den här etiketten</h1>
<p>Koden <strong>{code}</strong> finns inte hos oss. Kontrollera koden eller fråga personalen i Fritidsbanken.</p>
<p lang="en">We cannot find this label. Check the code or ask the staff.</p>
<p><a href="/catalogue.html">Se vad du kan låna</a></p></main></body></html>
"""


def _not_found_page(code: str) -> Response[str]:

    return Response(NOT_FOUND_PAGE.format(code=html.escape(code[:40])), status_code=404, media_type="text/html",
                    headers={"Cache-Control": "no-store"})


@get(["/Q/{code:str}", "/q/{code:str}"], include_in_schema=False, opt={"access": PUBLIC}, name="lending_label")
async def scanned_label(code: str, lending_queries: LendingQueries) -> Response[Any]:
    """A phone camera opens a label's URL (`/Q/CODE` since labels carry it in capitals, `/q/code` on
    labels printed before): the item's page, or for a label not yet linked the staff page that links
    it. An unknown or malformed code is a friendly HTML 404 (people land here)."""
    try:
        normalized = lb.normalize_code(code)
    except ValidationError:
        return _not_found_page(code)
    found = await lending_queries.label_state(normalized)  # (municipality, item) or None
    if found is None:
        return _not_found_page(normalized)
    target = f"/item.html?code={normalized}" if found[1] is not None else f"/labels.html?link={normalized}"
    return Redirect(target, status_code=303)


@get("/k/{number:str}", include_in_schema=False, opt={"access": PUBLIC}, name="lending_card")
async def scanned_card(number: str) -> Response[Any]:
    """A lending card's QR scanned with a phone: the desk page with the card (staff sign in there).
    Nothing about the borrower is revealed here."""
    try:
        normalized = lb.normalize_card_number(number)
    except ValidationError:
        return _not_found_page(number)
    return Redirect(f"/desk.html?card={normalized}", status_code=303)


HANDLERS: list[Any] = [LabelController, scanned_label, scanned_card]
