"""HTTP routes of lending items: the physical pieces, their status, site, condition and history, and the
public page behind a scanned label."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, get, patch, post
from litestar.params import Parameter
from litestar.status_codes import HTTP_201_CREATED

from booking.adapters.db.queries_lending import LendingQueries
from booking.adapters.db.uow import SqlUnitOfWork
from booking.api.access import PUBLIC, guarded
from booking.api.controllers.lending_views import (
    STAFF,
    CodePath,
    LimitQ,
    OffsetQ,
    SearchQ,
    code_of,
    given,
    to_item,
)
from booking.api.schemas import lending as s
from booking.domain.lending import scope, services
from booking.domain.lending.model import ItemStatus, public_availability
from booking.domain.people.roles import Actor
from booking.domain.shared.clock import Clock
from booking.domain.shared.errors import NotFound, expect


class ItemController(Controller):
    path = "/api/lending/items"
    tags = ["lending"]

    @get("/by-code/{code:str}", operation_id="getLendingItemByCode", **guarded(PUBLIC))
    async def by_code(self, code: CodePath, lending_queries: LendingQueries) -> s.PublicItem:
        """The item behind a scanned label: article, size, site and Tillgänglig/Utlånad; no personal data.
        Retired and lost items, and labels not yet linked, are 404."""
        code = code_of(code)
        row = await lending_queries.public_item(code)
        shown = public_availability(ItemStatus(row["status"])) if row else None
        if row is None or shown is None:
            raise NotFound("Item with label", code)
        return s.PublicItem(code, row["item_id"], row["article_id"], row["name"], row["description"], row["variant"],
                            row["category_name"], row["site_id"], row["site_name"], shown,  # type: ignore[arg-type]
                            row["self_service"], row["needs_guardian_consent"], row["loan_period_days"],
                            row["min_age"], row["max_age"], row["photo_url"])

    @get("/", operation_id="listLendingItems", **guarded(STAFF))
    async def list_items(
        self, lending_queries: LendingQueries, actor: Actor,
        site_id: Annotated[UUID | None, Parameter(query="site_id")] = None,
        status: Annotated[ItemStatus | None, Parameter(query="status")] = None,
        article_id: Annotated[UUID | None, Parameter(query="article_id")] = None,
        labelled: Annotated[bool | None, Parameter(query="labelled", description="Only with/without a label.")] = None,
        q: SearchQ = None, limit: LimitQ = 50, offset: OffsetQ = 0,
    ) -> s.ItemPage:
        """Items with their status, label and site (search by article name or label code); for staff narrowed
        to sites, the items at their sites."""
        page = await lending_queries.items(actor.municipality_id, site_id=site_id,
                                           status=status.value if status else None, article_id=article_id, q=q,
                                           limit=limit, offset=offset, labelled=labelled,
                              sites=scope.listed_sites(actor))
        return s.ItemPage([to_item(r) for r in page.items], page.total, limit, offset)

    @post("/", operation_id="createLendingItems", status_code=HTTP_201_CREATED, **guarded(STAFF, idempotent=True))
    async def create_items(self, data: s.ItemsCreate, uow: SqlUnitOfWork, actor: Actor, clock: Clock,
                           lending_queries: LendingQueries) -> s.ItemsCreated:
        """`count` new items of an article at a site, each with a new label unless `with_labels` is false."""
        items = await services.create_items(data.article_id, data.site_id, data.count, data.condition_note,
                                            data.with_labels, uow, actor, clock.now())
        rows = [await lending_queries.item(actor.municipality_id, i.id) for i in items]
        return s.ItemsCreated([to_item({k: v for k, v in r.items() if k != "history"}) for r in rows if r])

    @get("/{item_id:uuid}", operation_id="getLendingItem", **guarded(STAFF))
    async def get_item(self, item_id: UUID, lending_queries: LendingQueries, actor: Actor) -> s.Item:
        """The item with its history, newest first."""
        row = await lending_queries.item(actor.municipality_id, item_id)
        if row is None:
            raise NotFound("Item", item_id)
        scope.require_site(actor, row["site_id"])
        return to_item(row)

    @patch("/{item_id:uuid}", operation_id="updateLendingItem", **guarded(STAFF))
    async def update_item(self, item_id: UUID, data: s.ItemUpdate, uow: SqlUnitOfWork, actor: Actor, clock: Clock,
                          lending_queries: LendingQueries) -> s.Item:
        """Change the status (checked against the allowed transitions: 409 otherwise), move the item to
        another site, or edit its condition note. Each change is a line in the item's history."""
        keep = object()
        await services.update_item(
            item_id, status=data.status if given(data.status) else None,  # type: ignore[arg-type]
            site_id=data.site_id if given(data.site_id) else None,  # type: ignore[arg-type]
            condition_note=data.condition_note if given(data.condition_note) else keep, note=data.note,
            uow=uow, actor=actor, at=clock.now(), keep=keep)
        row = await lending_queries.item(actor.municipality_id, item_id)
        return to_item(expect(row, f"item {item_id}"))


HANDLERS: list[Any] = [ItemController]
