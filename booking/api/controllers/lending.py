"""HTTP routes of equipment lending (Fritidsbanken): the catalogue side.

Staff (lending_staff, admin) manage the catalogue, labels, borrowers, donations and stock counts;
the public catalogue and the item page behind a scanned label are public and free of personal data;
a signed-in person registers themself and carries a digital card.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any
from uuid import UUID
from zoneinfo import ZoneInfo

import msgspec
from litestar import Controller, Response, delete, get, patch, post, put
from litestar.datastructures import State
from litestar.di import Provide
from litestar.params import Parameter
from litestar.response import Redirect
from litestar.status_codes import HTTP_201_CREATED

from booking.adapters import pdf
from booking.adapters.db.queries import Queries
from booking.adapters.db.queries_lending import LendingQueries
from booking.adapters.db.uow import SqlUnitOfWork
from booking.adapters.qr import qr_png, qr_svg
from booking.api.access import PUBLIC, SIGNED_IN, guarded, roles
from booking.api.schemas import lending as s
from booking.config import Settings
from booking.domain.lending import borrower_services as borrowers
from booking.domain.lending import intake_services as intake
from booking.domain.lending import labels as lb
from booking.domain.lending import scope, services
from booking.domain.lending.borrowers import Borrower
from booking.domain.lending.model import ItemStatus, public_availability
from booking.domain.lending.statistics import summarise
from booking.domain.people.roles import Actor, Role
from booking.domain.shared.clock import Clock
from booking.domain.shared.errors import Forbidden, NotFound, ValidationError

STAFF = roles(Role.LENDING_STAFF)
LimitQ = Annotated[int, Parameter(query="limit", ge=1, le=200, description="Page size (1-200).")]
OffsetQ = Annotated[int, Parameter(query="offset", ge=0, le=10_000_000, description="Items to skip.")]
PRINTABLE = r"^[^\x00-\x1f\x7f]*$"
SearchQ = Annotated[str | None, Parameter(query="q", max_length=100, pattern=PRINTABLE, description="Search text.")]
MunicipalityQ = Annotated[str | None, Parameter(query="municipality", max_length=64, pattern=PRINTABLE,
                                                description="The municipality (its slug).")]
CodePath = Annotated[str, Parameter(max_length=40, description="A label code.")]


async def provide_lending_queries(state: State) -> LendingQueries:
    queries = state.get("lending_queries")
    if queries is None:
        queries = state["lending_queries"] = LendingQueries(state.db)
    return queries  # type: ignore[no-any-return]


DEPS = {"lq": Provide(provide_lending_queries)}


def _today(clock: Clock, settings: Settings) -> date:
    return clock.now().astimezone(ZoneInfo(settings.timezone)).date()


def _set(value: Any) -> bool:
    return value is not msgspec.UNSET


def _changes(data: msgspec.Struct) -> dict[str, Any]:
    return {f: getattr(data, f) for f in data.__struct_fields__ if _set(getattr(data, f))}


def _code(value: str, field: str = "code") -> str:
    return lb.normalize_code(value, field)


async def _public_municipality(queries: Queries, lq: LendingQueries, settings: Settings, slug: str | None,
                               site_id: UUID | None) -> UUID:
    if site_id is not None:
        municipality_id = await lq.site_municipality(site_id)
        if municipality_id is None:
            raise ValidationError("site_id", f"No site {site_id}.", "unknown")
        return municipality_id
    slug = slug or settings.default_municipality
    if slug is None:
        raise ValidationError("municipality", "Name the municipality (its slug) or a site.", "required")
    municipality_id = await queries.municipality_id_by_slug(slug)
    if municipality_id is None:
        raise ValidationError("municipality", f"No municipality with slug {slug!r}.", "unknown")
    return municipality_id


def to_article(a: Any) -> s.Article:
    return s.Article(a.id, a.category_id, a.name, a.description, a.variant, a.min_age, a.max_age,
                     a.loan_period_days, a.needs_guardian_consent, a.self_service, a.photo_url)


def to_item(row: dict[str, Any]) -> s.Item:
    history = [s.ItemEvent(**e) for e in row["history"]] if "history" in row else msgspec.UNSET
    return s.Item(row["id"], row["label_code"], ItemStatus(row["status"]), row["condition_note"], row["site_id"],
                  row["site_name"], row["article_id"], row["article_name"], row["variant"], row["created_at"],
                  row["updated_at"], row["last_counted_at"], history)


def to_borrower(b: Borrower, card_number: str | None, with_consents: bool = True) -> s.Borrower:
    consents = [s.Consent(c.category_id, c.given_by, c.given_at) for c in b.consents] if with_consents \
        else msgspec.UNSET
    return s.Borrower(b.id, b.name, b.mobile, b.email, b.birth_year, b.gender, b.area_id, b.guardian_id,
                      b.blocked_reason, b.registered_via, card_number, b.last_active_at, consents)


def to_card(settings: Settings, number: str, borrower_id: UUID) -> s.Card:
    return s.Card(number, lb.format_card_number(number), lb.card_url(settings.base_url, number), borrower_id)


async def _sheet(lq: LendingQueries, municipality_id: UUID, settings: Settings, template: str,
                 codes: list[str]) -> bytes:
    contents = await lq.label_contents(municipality_id, codes)
    labels = [pdf.LabelContent(c, lb.label_url(settings.base_url, c), *(contents.get(c) or (None, None)))
              for c in codes]
    # ~13 ms per QR code (mask selection): off the event loop
    return await asyncio.to_thread(pdf.label_sheet, pdf.TEMPLATES[template], labels)


def _pdf(body: bytes, filename: str) -> Response[bytes]:
    return Response(body, media_type="application/pdf", headers={
        "Content-Disposition": f'inline; filename="{filename}"', "Cache-Control": "private, no-store"})


class CatalogueController(Controller):
    path = "/api/lending"
    tags = ["lending"]
    dependencies = DEPS

    @get("/categories", operation_id="listLendingCategories", **guarded(PUBLIC))
    async def list_categories(self, queries: Queries, lq: LendingQueries, settings: Settings,
                              municipality: MunicipalityQ = None,
                              site_id: Annotated[UUID | None, Parameter(query="site_id")] = None) -> list[s.Category]:
        """Categories and subcategories (parent_id) of the municipality's lending."""
        municipality_id = await _public_municipality(queries, lq, settings, municipality, site_id)
        return [s.Category(**c) for c in await lq.categories(municipality_id)]

    @post("/categories", operation_id="createLendingCategory", status_code=HTTP_201_CREATED,
          **guarded(STAFF, idempotent=True))
    async def create_category(self, data: s.CategoryCreate, uow: SqlUnitOfWork, actor: Actor) -> s.Category:
        category = await services.create_category(data.name, data.parent_id, uow, actor)
        return s.Category(category.id, category.name, category.parent_id)

    @patch("/categories/{category_id:uuid}", operation_id="renameLendingCategory", **guarded(STAFF))
    async def rename_category(self, category_id: UUID, data: s.CategoryUpdate, uow: SqlUnitOfWork,
                              actor: Actor) -> s.Category:
        category = await services.rename_category(category_id, data.name, uow, actor)
        return s.Category(category.id, category.name, category.parent_id)

    @delete("/categories/{category_id:uuid}", operation_id="deleteLendingCategory", **guarded(STAFF))
    async def delete_category(self, category_id: UUID, uow: SqlUnitOfWork, actor: Actor) -> None:
        """Only a category without subcategories and articles."""
        await services.delete_category(category_id, uow, actor)

    @get("/catalogue", operation_id="listLendingCatalogue", **guarded(PUBLIC))
    async def catalogue(
        self, queries: Queries, lq: LendingQueries, settings: Settings, municipality: MunicipalityQ = None,
        site_id: Annotated[UUID | None, Parameter(query="site_id")] = None,
        category_id: Annotated[UUID | None, Parameter(query="category_id")] = None,
        q: SearchQ = None,
        variant: Annotated[str | None, Parameter(query="variant", max_length=60, pattern=PRINTABLE)] = None,
        available: Annotated[bool, Parameter(query="available")] = False,
        limit: LimitQ = 50, offset: OffsetQ = 0,
    ) -> s.CataloguePage:
        """The public catalogue (of a site, or the whole municipality): what can be borrowed, in which sizes,
        and whether one is on the shelf now (Tillgänglig) or all are lent out (Utlånad)."""
        municipality_id = await _public_municipality(queries, lq, settings, municipality, site_id)
        page = await lq.catalogue(municipality_id, site_id=site_id, category_id=category_id, q=q, variant=variant,
                                  available_only=available, limit=limit, offset=offset)
        return s.CataloguePage([s.CatalogueEntry(
            r["id"], r["name"], r["description"], r["variant"], r["min_age"], r["max_age"], r["loan_period_days"],
            r["self_service"], r["needs_guardian_consent"], r["photo_url"], r["category_id"], r["category_name"],
            r["available"], r["total"], "available" if r["available"] else "on_loan") for r in page.items],
            page.total, limit, offset)

    @get("/catalogue/variants", operation_id="listLendingVariants", **guarded(PUBLIC))
    async def variants(self, queries: Queries, lq: LendingQueries, settings: Settings,
                       municipality: MunicipalityQ = None,
                       site_id: Annotated[UUID | None, Parameter(query="site_id")] = None,
                       category_id: Annotated[UUID | None, Parameter(query="category_id")] = None) -> list[str]:
        """The sizes and lengths in the catalogue (for a size filter)."""
        municipality_id = await _public_municipality(queries, lq, settings, municipality, site_id)
        return await lq.variants(municipality_id, site_id, category_id)

    @get("/articles/{article_id:uuid}", operation_id="getLendingArticle", **guarded(PUBLIC))
    async def get_article(self, article_id: UUID, read_uow: SqlUnitOfWork) -> s.Article:
        async with read_uow:
            article = await read_uow.lending.get_article(article_id)
        if article is None:
            raise NotFound("Article", article_id)
        return to_article(article)

    @get("/articles", operation_id="listLendingArticles", **guarded(STAFF))
    async def list_articles(self, lq: LendingQueries, actor: Actor) -> list[s.Article]:
        """Every article of the municipality, with or without items (for intake and editing)."""
        return [s.Article(r["id"], r["category_id"], r["name"], r["description"], r["variant"], r["min_age"],
                          r["max_age"], r["loan_period_days"], r["needs_guardian_consent"], r["self_service"],
                          r["photo_url"]) for r in await lq.articles(actor.municipality_id)]

    @post("/articles", operation_id="createLendingArticle", status_code=HTTP_201_CREATED,
          **guarded(STAFF, idempotent=True))
    async def create_article(self, data: s.ArticleCreate, uow: SqlUnitOfWork, actor: Actor) -> s.Article:
        return to_article(await services.create_article(msgspec.structs.asdict(data), uow, actor))

    @patch("/articles/{article_id:uuid}", operation_id="updateLendingArticle", **guarded(STAFF))
    async def update_article(self, article_id: UUID, data: s.ArticleUpdate, uow: SqlUnitOfWork,
                             actor: Actor) -> s.Article:
        return to_article(await services.update_article(article_id, _changes(data), uow, actor))


class ItemController(Controller):
    path = "/api/lending/items"
    tags = ["lending"]
    dependencies = DEPS

    @get("/by-code/{code:str}", operation_id="getLendingItemByCode", **guarded(PUBLIC))
    async def by_code(self, code: CodePath, lq: LendingQueries) -> s.PublicItem:
        """The item behind a scanned label: article, size, site and Tillgänglig/Utlånad; no personal data.
        Retired and lost items, and labels not yet linked, are 404."""
        code = _code(code)
        row = await lq.public_item(code)
        shown = public_availability(ItemStatus(row["status"])) if row else None
        if row is None or shown is None:
            raise NotFound("Item with label", code)
        return s.PublicItem(code, row["item_id"], row["article_id"], row["name"], row["description"], row["variant"],
                            row["category_name"], row["site_id"], row["site_name"], shown,  # type: ignore[arg-type]
                            row["self_service"], row["needs_guardian_consent"], row["loan_period_days"],
                            row["min_age"], row["max_age"], row["photo_url"])

    @get("/", operation_id="listLendingItems", **guarded(STAFF))
    async def list_items(
        self, lq: LendingQueries, actor: Actor,
        site_id: Annotated[UUID | None, Parameter(query="site_id")] = None,
        status: Annotated[ItemStatus | None, Parameter(query="status")] = None,
        article_id: Annotated[UUID | None, Parameter(query="article_id")] = None,
        labelled: Annotated[bool | None, Parameter(query="labelled", description="Only with/without a label.")] = None,
        q: SearchQ = None, limit: LimitQ = 50, offset: OffsetQ = 0,
    ) -> s.ItemPage:
        """Items with their status, label and site (search by article name or label code); for staff narrowed
        to sites, the items at their sites."""
        page = await lq.items(actor.municipality_id, site_id=site_id, status=status.value if status else None,
                              article_id=article_id, q=q, limit=limit, offset=offset, labelled=labelled,
                              sites=scope.listed_sites(actor))
        return s.ItemPage([to_item(r) for r in page.items], page.total, limit, offset)

    @post("/", operation_id="createLendingItems", status_code=HTTP_201_CREATED, **guarded(STAFF, idempotent=True))
    async def create_items(self, data: s.ItemsCreate, uow: SqlUnitOfWork, actor: Actor, clock: Clock,
                           lq: LendingQueries) -> s.ItemsCreated:
        """`count` new items of an article at a site, each with a new label unless `with_labels` is false."""
        items = await services.create_items(data.article_id, data.site_id, data.count, data.condition_note,
                                            data.with_labels, uow, actor, clock.now())
        rows = [await lq.item(actor.municipality_id, i.id) for i in items]
        return s.ItemsCreated([to_item({k: v for k, v in r.items() if k != "history"}) for r in rows if r])

    @get("/{item_id:uuid}", operation_id="getLendingItem", **guarded(STAFF))
    async def get_item(self, item_id: UUID, lq: LendingQueries, actor: Actor) -> s.Item:
        """The item with its history, newest first."""
        row = await lq.item(actor.municipality_id, item_id)
        if row is None:
            raise NotFound("Item", item_id)
        scope.require_site(actor, row["site_id"])
        return to_item(row)

    @patch("/{item_id:uuid}", operation_id="updateLendingItem", **guarded(STAFF))
    async def update_item(self, item_id: UUID, data: s.ItemUpdate, uow: SqlUnitOfWork, actor: Actor, clock: Clock,
                          lq: LendingQueries) -> s.Item:
        """Change the status (checked against the allowed transitions: 409 otherwise), move the item to
        another site, or edit its condition note. Each change is a line in the item's history."""
        keep = object()
        await services.update_item(
            item_id, status=data.status if _set(data.status) else None,  # type: ignore[arg-type]
            site_id=data.site_id if _set(data.site_id) else None,  # type: ignore[arg-type]
            condition_note=data.condition_note if _set(data.condition_note) else keep, note=data.note,
            uow=uow, actor=actor, at=clock.now(), keep=keep)
        row = await lq.item(actor.municipality_id, item_id)
        assert row is not None
        return to_item(row)


class LabelController(Controller):
    path = "/api/lending"
    tags = ["lending"]
    dependencies = DEPS

    @post("/labels", operation_id="createLendingLabels", status_code=HTTP_201_CREATED,
          **guarded(STAFF, idempotent=True))
    async def create_labels(self, data: s.LabelsCreate, uow: SqlUnitOfWork, actor: Actor) -> s.LabelsCreated:
        """New label codes, to print in advance and link to items later by scanning."""
        return s.LabelsCreated([label.code for label in await services.create_labels(data.count, uow, actor)])

    @get("/labels", operation_id="listLendingLabels", **guarded(STAFF))
    async def list_labels(self, lq: LendingQueries, actor: Actor, settings: Settings,
                          linked: Annotated[bool | None, Parameter(query="linked")] = None,
                          printed: Annotated[bool | None, Parameter(query="printed")] = None,
                          limit: LimitQ = 50, offset: OffsetQ = 0) -> s.LabelPage:
        """Labels of the municipality (for staff narrowed to sites: those on their sites' items)."""
        page = await lq.labels(actor.municipality_id, linked=linked, printed=printed, limit=limit, offset=offset,
                               sites=scope.desk_sites(actor))
        return s.LabelPage([s.Label(r["code"], lb.label_url(settings.base_url, r["code"]), r["item_id"],
                                    r["printed_at"], r["linked_at"]) for r in page.items], page.total, limit, offset)

    @post("/labels/{code:str}/link", operation_id="linkLendingLabel", status_code=200, **guarded(STAFF))
    async def link(self, code: CodePath, data: s.LabelLink, uow: SqlUnitOfWork, actor: Actor, clock: Clock,
                   lq: LendingQueries) -> s.Item:
        """Stick a printed label on an item: 409 when the label or the item is linked already."""
        item = await services.link_label(_code(code), data.item_id, uow, actor, clock.now())
        row = await lq.item(actor.municipality_id, item.id)
        assert row is not None
        return to_item(row)

    async def _own_label(self, code: str, actor: Actor, lq: LendingQueries) -> str:
        code = _code(code)
        state = await lq.label_state(code)
        if state is None or state[0] != actor.municipality_id:
            raise NotFound("Label", code)
        return code

    @get("/labels/{code:str}/qr.svg", operation_id="getLendingLabelSvg", media_type="image/svg+xml",
         **guarded(STAFF))
    async def label_svg(self, code: CodePath, actor: Actor, lq: LendingQueries, settings: Settings) -> Response[bytes]:
        """The label's QR code as SVG: `{BASE_URL}/Q/{CODE}` (scheme and host in capitals), error correction
        M, on its own white square with a quiet zone of 4 modules."""
        code = await self._own_label(code, actor, lq)
        return Response(qr_svg(lb.label_url(settings.base_url, code)), media_type="image/svg+xml")

    @get("/labels/{code:str}/qr.png", operation_id="getLendingLabelPng", media_type="image/png", **guarded(STAFF))
    async def label_png(self, code: CodePath, actor: Actor, lq: LendingQueries, settings: Settings) -> Response[bytes]:
        """The label's QR code as PNG (8 pixels per module)."""
        code = await self._own_label(code, actor, lq)
        return Response(qr_png(lb.label_url(settings.base_url, code)), media_type="image/png")

    @get("/label-templates", operation_id="listLendingLabelTemplates", **guarded(STAFF))
    async def templates(self) -> list[s.LabelTemplate]:
        return [s.LabelTemplate(t.name, t.title, t.columns, t.rows, t.width, t.height) for t in pdf.TEMPLATES.values()]

    @post("/label-sheets", operation_id="printLendingLabelSheet", status_code=200, media_type="application/pdf",
          **guarded(STAFF))
    async def sheet(self, data: s.LabelSheet, uow: SqlUnitOfWork, actor: Actor, clock: Clock, lq: LendingQueries,
                    settings: Settings) -> Response[bytes]:
        """A vector A4 PDF of the labels on the template's mm grid, each code in plain letters under its
        QR; the print is logged."""
        entry = await services.record_print(data.template, data.codes, uow, actor, clock.now())
        return _pdf(await _sheet(lq, actor.municipality_id, settings, data.template, list(entry.codes)),
                    f"etiketter-{data.template}.pdf")

    @get("/label-prints", operation_id="listLendingLabelPrints", **guarded(STAFF))
    async def prints(self, lq: LendingQueries, actor: Actor, limit: LimitQ = 50,
                     offset: OffsetQ = 0) -> s.LabelPrintPage:
        """The print log: which codes were printed on which template, when and by whom (for staff narrowed
        to sites: their own prints, which hold only their sites' labels)."""
        page = await lq.label_prints(actor.municipality_id, limit, offset,
                                     None if scope.desk_sites(actor) is None else actor.account_id)
        return s.LabelPrintPage([s.LabelPrint(r["id"], r["template"], list(r["codes"]), r["printed_at"],
                                              r["printed_by"], r["printed_by_name"]) for r in page.items],
                                page.total, limit, offset)


class BorrowerController(Controller):
    path = "/api/lending/borrowers"
    tags = ["lending"]
    dependencies = DEPS

    async def _view(self, uow: SqlUnitOfWork, borrower: Borrower) -> s.Borrower:
        async with uow:
            card = await uow.lending.active_card(borrower.id)
        return to_borrower(borrower, card.number if card else None)

    @post("/", operation_id="registerBorrower", status_code=HTTP_201_CREATED, **guarded(STAFF, idempotent=True))
    async def register(self, data: s.BorrowerCreate, uow: SqlUnitOfWork, actor: Actor, clock: Clock,
                       settings: Settings) -> s.Borrower:
        """Register a borrower at the desk and issue a card. A minor is linked to a guardian (another
        borrower), who may give consent per category at once."""
        borrower, card = await borrowers.register_borrower(borrowers.Registration(
            data.name, data.mobile, data.birth_year, data.email, data.gender, data.area_id, data.guardian_id,
            tuple(data.consent_category_ids)), uow, actor, clock.now(), _today(clock, settings))
        return to_borrower(borrower, card.number)

    @get("/", operation_id="listBorrowers", **guarded(STAFF))
    async def list_borrowers(self, lq: LendingQueries, actor: Actor, q: SearchQ = None, limit: LimitQ = 50,
                             offset: OffsetQ = 0) -> s.BorrowerPage:
        """Find borrowers by name, mobile number or card number. Staff narrowed to sites see the contact
        details (mobile, e-mail, guardian) only of borrowers active at their sites, and find only those by
        mobile number."""
        page = await lq.borrowers(actor.municipality_id, q, limit, offset, contact_sites=scope.desk_sites(actor))
        return s.BorrowerPage([s.Borrower(r["id"], r["name"], r["mobile"] if r["contact_visible"] else None,
                                          r["email"] if r["contact_visible"] else None, r["birth_year"], r["gender"],
                                          r["area_id"], r["guardian_id"] if r["contact_visible"] else None,
                                          r["blocked_reason"], r["registered_via"], r["card_number"],
                                          r["last_active_at"]) for r in page.items],
                              page.total, limit, offset)

    @get("/{borrower_id:uuid}", operation_id="getBorrower", **guarded(STAFF))
    async def get_borrower(self, borrower_id: UUID, read_uow: SqlUnitOfWork, actor: Actor) -> s.Borrower:
        async with read_uow:
            borrower = await services.borrower_of(read_uow, actor, borrower_id)
            if borrower.is_anonymised:
                raise NotFound("Borrower", borrower_id)
            card = await read_uow.lending.active_card(borrower.id)
            shown = to_borrower(borrower, card.number if card else None)
            if not await borrowers.serves(read_uow, actor, borrower.id):  # narrowed to sites it is not active at
                shown = msgspec.structs.replace(shown, mobile=None, email=None, guardian_id=None)
            return shown

    @patch("/{borrower_id:uuid}", operation_id="updateBorrower", **guarded(STAFF))
    async def update(self, borrower_id: UUID, data: s.BorrowerUpdate, uow: SqlUnitOfWork, actor: Actor,
                     clock: Clock, settings: Settings) -> s.Borrower:
        borrower = await borrowers.update_borrower(borrower_id, _changes(data), uow, actor, _today(clock, settings))
        return await self._view(uow, borrower)

    @post("/{borrower_id:uuid}/block", operation_id="blockBorrower", status_code=200, **guarded(STAFF))
    async def block(self, borrower_id: UUID, data: s.Block, uow: SqlUnitOfWork, actor: Actor,
                    clock: Clock) -> s.Borrower:
        """Block the borrower, with the reason (shown to staff at the desk)."""
        return await self._view(uow, await borrowers.block_borrower(borrower_id, data.reason, uow, actor, clock.now()))

    @delete("/{borrower_id:uuid}/block", operation_id="unblockBorrower", status_code=200, **guarded(STAFF))
    async def unblock(self, borrower_id: UUID, uow: SqlUnitOfWork, actor: Actor, clock: Clock) -> s.Borrower:
        return await self._view(uow, await borrowers.block_borrower(borrower_id, None, uow, actor, clock.now()))

    @post("/{borrower_id:uuid}/card", operation_id="replaceBorrowerCard", status_code=HTTP_201_CREATED,
          **guarded(STAFF))
    async def replace_card(self, borrower_id: UUID, uow: SqlUnitOfWork, actor: Actor, clock: Clock,
                           settings: Settings) -> s.Card:
        """A lost card: the old number is blocked (it finds nobody any more) and a new card is issued."""
        card = await borrowers.replace_card(borrower_id, uow, actor, clock.now())
        return to_card(settings, card.number, card.borrower_id)

    @get("/{borrower_id:uuid}/card.pdf", operation_id="getBorrowerCardPdf", media_type="application/pdf",
         **guarded(STAFF))
    async def card_pdf(self, borrower_id: UUID, read_uow: SqlUnitOfWork, actor: Actor,
                       settings: Settings) -> Response[bytes]:
        """The card to print, the size of a bank card (85.6 x 54 mm), with its QR code."""
        async with read_uow:
            borrower = await services.borrower_of(read_uow, actor, borrower_id)
            card = await read_uow.lending.active_card(borrower.id)
            if not await borrowers.serves(read_uow, actor, borrower.id):
                raise Forbidden("Your role is limited to a site where this borrower has no loan or hold.")
        if card is None or borrower.is_anonymised:
            raise NotFound("Card of borrower", borrower_id)
        return _pdf(_card_pdf(settings, borrower, card.number), "lanekort.pdf")

    @put("/{borrower_id:uuid}/consents/{category_id:uuid}", operation_id="giveBorrowerConsent", **guarded(STAFF))
    async def give_consent(self, borrower_id: UUID, category_id: UUID, uow: SqlUnitOfWork, actor: Actor,
                           clock: Clock) -> s.Borrower:
        """The guardian's consent for a category (and its subcategories), recorded at the desk."""
        return await self._view(uow, await borrowers.set_consent(borrower_id, category_id, True, uow, actor,
                                                                clock.now()))

    @delete("/{borrower_id:uuid}/consents/{category_id:uuid}", operation_id="withdrawBorrowerConsent",
            status_code=200, **guarded(STAFF))
    async def withdraw_consent(self, borrower_id: UUID, category_id: UUID, uow: SqlUnitOfWork, actor: Actor,
                               clock: Clock) -> s.Borrower:
        return await self._view(uow, await borrowers.set_consent(borrower_id, category_id, False, uow, actor,
                                                                clock.now()))


def _card_pdf(settings: Settings, borrower: Borrower, number: str) -> bytes:
    return pdf.lending_card(pdf.CardContent(lb.format_card_number(number), lb.card_url(settings.base_url, number),
                                            borrower.name, "Fritidsbanken"))


class MyLendingController(Controller):
    path = "/api/lending/me"
    tags = ["lending"]
    dependencies = DEPS

    async def _mine(self, uow: SqlUnitOfWork, actor: Actor) -> tuple[Borrower, str | None]:
        async with uow:
            borrower = await uow.lending.borrower_by_account(actor.account_id)
            if borrower is None or borrower.is_anonymised:
                raise NotFound("Borrower of account", actor.account_id)
            card = await uow.lending.active_card(borrower.id)
            return borrower, card.number if card else None

    @post("/", operation_id="registerAsBorrower", status_code=HTTP_201_CREATED, **guarded(SIGNED_IN))
    async def register_self(self, data: s.SelfRegistration, uow: SqlUnitOfWork, actor: Actor, clock: Clock,
                            settings: Settings) -> s.MyBorrower:
        """Self-registration: the signed-in person becomes a borrower and gets a digital lending card."""
        borrower, card = await borrowers.register_self(borrowers.Registration(
            data.name, data.mobile, data.birth_year, data.email, data.gender, data.area_id), uow, actor,
            clock.now(), _today(clock, settings))
        return s.MyBorrower(to_borrower(borrower, card.number), to_card(settings, card.number, borrower.id))

    @get("/", operation_id="getMyBorrower", **guarded(SIGNED_IN))
    async def me(self, read_uow: SqlUnitOfWork, actor: Actor, settings: Settings) -> Response[s.MyBorrower]:
        """The signed-in borrower and their card (404 when not registered as a borrower)."""
        borrower, number = await self._mine(read_uow, actor)
        return Response(s.MyBorrower(to_borrower(borrower, number),
                                     to_card(settings, number, borrower.id) if number else None),
                        headers={"Cache-Control": "private, no-store"})

    @get("/card.svg", operation_id="getMyCardQr", media_type="image/svg+xml", **guarded(SIGNED_IN))
    async def card_svg(self, read_uow: SqlUnitOfWork, actor: Actor, settings: Settings) -> Response[bytes]:
        """The digital card's QR code (shown on the phone at the desk)."""
        _, number = await self._mine(read_uow, actor)
        if number is None:
            raise NotFound("Card of account", actor.account_id)
        return Response(qr_svg(lb.card_url(settings.base_url, number)), media_type="image/svg+xml",
                        headers={"Cache-Control": "private, no-store"})

    @get("/card.pdf", operation_id="getMyCardPdf", media_type="application/pdf", **guarded(SIGNED_IN))
    async def card_pdf(self, read_uow: SqlUnitOfWork, actor: Actor, settings: Settings) -> Response[bytes]:
        borrower, number = await self._mine(read_uow, actor)
        if number is None:
            raise NotFound("Card of account", actor.account_id)
        return _pdf(_card_pdf(settings, borrower, number), "lanekort.pdf")

    @get("/data", operation_id="exportMyLendingData", **guarded(SIGNED_IN))
    async def export(self, read_uow: SqlUnitOfWork, actor: Actor, lq: LendingQueries) -> Response[bytes]:
        """Everything stored about the signed-in borrower (GDPR art. 15), as a JSON download."""
        borrower, _ = await self._mine(read_uow, actor)
        data = await lq.personal_data(borrower.id)
        body = json.dumps(data, default=str, ensure_ascii=False, indent=2).encode()
        return Response(body, media_type="application/json", headers={
            "Content-Disposition": 'attachment; filename="mina-lanedata.json"', "Cache-Control": "private, no-store"})


class DonationController(Controller):
    path = "/api/lending/donations"
    tags = ["lending"]
    dependencies = DEPS

    @post("/", operation_id="receiveDonation", status_code=HTTP_201_CREATED, **guarded(STAFF, idempotent=True))
    async def receive(self, data: s.DonationCreate, uow: SqlUnitOfWork, actor: Actor, clock: Clock) -> s.Donation:
        """Register donated items quickly (article, count, condition): each gets a new label; print them all
        with GET /api/lending/donations/{id}/labels.pdf."""
        lines = [intake.DonationLine(x.article_id, x.count, x.condition_note) for x in data.lines]
        donation, items = await intake.receive_donation(data.site_id, data.note, lines, uow, actor, clock.now())
        return s.Donation(donation.id, donation.site_id, donation.received_at, donation.note, donation.item_count,
                          [i.label_code for i in items if i.label_code])

    @get("/", operation_id="listDonations", **guarded(STAFF))
    async def list_donations(self, lq: LendingQueries, actor: Actor, limit: LimitQ = 50,
                             offset: OffsetQ = 0) -> s.DonationPage:
        """The donation log (for staff narrowed to sites: their sites')."""
        page = await lq.donations(actor.municipality_id, limit, offset, sites=scope.desk_sites(actor))
        return s.DonationPage([s.Donation(r["id"], r["site_id"], r["received_at"], r["note"], r["item_count"],
                                          site_name=r["site_name"]) for r in page.items], page.total, limit, offset)

    @get("/{donation_id:uuid}/labels.pdf", operation_id="printDonationLabels", media_type="application/pdf",
         **guarded(STAFF))
    async def labels(self, donation_id: UUID, uow: SqlUnitOfWork, actor: Actor, clock: Clock, lq: LendingQueries,
                     settings: Settings,
                     template: Annotated[str, Parameter(query="template", pattern="^(a4-3x8|a4-5x13)$")] = "a4-3x8",
                     ) -> Response[bytes]:
        """The donation's labels in one batch (logged in the print log)."""
        codes = await lq.donation_codes(actor.municipality_id, donation_id)
        if codes is None:
            raise NotFound("Donation", donation_id)
        if not codes:
            raise ValidationError("donation_id", "The donation's items have no labels.", "empty")
        await services.record_print(template, codes, uow, actor, clock.now())
        return _pdf(await _sheet(lq, actor.municipality_id, settings, template, codes), "gava-etiketter.pdf")


class StockCountController(Controller):
    path = "/api/lending/stock-counts"
    tags = ["lending"]
    dependencies = DEPS

    def _view(self, count: Any, result: Any) -> s.StockCount:
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
        code = _code(text.rsplit("/q/", 1)[-1])
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


def _counts(counter: Any) -> list[s.KeyCount]:
    return [s.KeyCount(str(k), n) for k, n in sorted(counter.items(), key=lambda kv: (-kv[1], str(kv[0])))]


class StatisticsController(Controller):
    path = "/api/lending"
    tags = ["lending"]
    dependencies = DEPS

    async def _stats(self, queries: Queries, lq: LendingQueries, actor: Actor, clock: Clock, first: date | None,
                     last: date | None, site_id: UUID | None) -> s.LendingStats:
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
        stats = summarise(await lq.loan_rows(actor.municipality_id, since, until, site_id, sites), zone, last.year)
        donations = await lq.donation_stats(actor.municipality_id, since, until)
        if sites is not None:
            donations = [d for d in donations if d["site_id"] in sites]
        return s.LendingStats(
            first.isoformat(), last.isoformat(), stats.loans,
            [s.MonthCount(m, site, cat, n) for (m, site, cat), n in sorted(stats.by_month.items())],
            _counts(stats.by_category), _counts(stats.by_site), [s.KeyCount(k, n) for k, n in stats.top_articles],
            stats.borrowers, _counts(stats.by_age_band), _counts(stats.by_gender), _counts(stats.by_area),
            [s.StatusCount(r["site_id"], ItemStatus(r["status"]), r["items"])
             for r in await lq.items_per_status(actor.municipality_id, site_id, sites)],
            len(donations), sum(d["item_count"] for d in donations))

    @get("/stats", operation_id="getLendingStats", **guarded(STAFF))
    async def stats(self, queries: Queries, lq: LendingQueries, actor: Actor, clock: Clock,
                    first: Annotated[date | None, Parameter(query="from")] = None,
                    last: Annotated[date | None, Parameter(query="to")] = None,
                    site_id: Annotated[UUID | None, Parameter(query="site_id")] = None) -> s.LendingStats:
        """Loans per category, month and site; unique borrowers by age band, gender and area; the most
        borrowed articles; items per status; donations. Default period: this year so far."""
        return await self._stats(queries, lq, actor, clock, first, last, site_id)

    @get("/stats.csv", operation_id="getLendingStatsCsv", media_type="text/csv", **guarded(STAFF))
    async def stats_csv(self, queries: Queries, lq: LendingQueries, actor: Actor, clock: Clock,
                        first: Annotated[date | None, Parameter(query="from")] = None,
                        last: Annotated[date | None, Parameter(query="to")] = None,
                        site_id: Annotated[UUID | None, Parameter(query="site_id")] = None) -> Response[str]:
        """The same figures as one long table: measure, month, site, category, key, value (UTF-8 with BOM,
        semicolons, for spreadsheet programs)."""
        st = await self._stats(queries, lq, actor, clock, first, last, site_id)
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
        writer.writerow(["measure", "month", "site", "category", "key", "value"])
        writer.writerow(["loans", "", "", "", "", st.loans])
        for m in st.loans_by_month:
            writer.writerow(["loans_by_month", m.month, m.site, m.category, "", m.loans])
        for name in ("loans_by_category", "loans_by_site", "top_articles", "borrowers_by_age_band",
                     "borrowers_by_gender", "borrowers_by_area"):
            for c in getattr(st, name):
                writer.writerow([name, "", "", "", c.key, c.count])
        writer.writerow(["borrowers", "", "", "", "", st.borrowers])
        for sc in st.items_by_status:
            writer.writerow(["items_by_status", "", str(sc.site_id), "", sc.status.value, sc.items])
        writer.writerow(["donations", "", "", "", "", st.donations])
        writer.writerow(["donated_items", "", "", "", "", st.donated_items])
        return Response("\ufeff" + out.getvalue(), media_type="text/csv", headers={
            "Content-Disposition": f'attachment; filename="fritidsbanken-{st.first_day}-{st.last_day}.csv"'})


NOT_FOUND_PAGE = """<!doctype html>
<html lang="sv"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Okänd etikett – Fritidsbanken</title><link rel="stylesheet" href="/assets/css/main.css"></head>
<body><main id="main" class="container"><h1>Vi hittar inte den här etiketten</h1>
<p>Koden <strong>{code}</strong> finns inte hos oss. Kontrollera koden eller fråga personalen i Fritidsbanken.</p>
<p lang="en">We cannot find this label. Check the code or ask the staff.</p>
<p><a href="/catalogue.html">Se vad du kan låna</a></p></main></body></html>
"""


def _not_found_page(code: str) -> Response[str]:
    import html

    return Response(NOT_FOUND_PAGE.format(code=html.escape(code[:40])), status_code=404, media_type="text/html",
                    headers={"Cache-Control": "no-store"})


@get(["/Q/{code:str}", "/q/{code:str}"], include_in_schema=False, opt={"access": PUBLIC}, name="lending_label")
async def scanned_label(code: str, lq: LendingQueries) -> Response[Any]:
    """A phone camera opens a label's URL (`/Q/CODE` since labels carry it in capitals, `/q/code` on
    labels printed before): the item's page, or for a label not yet linked the staff page that links
    it. An unknown or malformed code is a friendly HTML 404 (people land here)."""
    try:
        normalized = lb.normalize_code(code)
    except ValidationError:
        return _not_found_page(code)
    state = await lq.label_state(normalized)
    if state is None:
        return _not_found_page(normalized)
    target = f"/item.html?code={normalized}" if state[1] is not None else f"/labels.html?link={normalized}"
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


scanned_label.dependencies = DEPS  # type: ignore[attr-defined]

HANDLERS: list[Any] = [CatalogueController, ItemController, LabelController, BorrowerController, MyLendingController,
                       DonationController, StockCountController, StatisticsController, scanned_label, scanned_card]
