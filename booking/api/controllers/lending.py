"""HTTP routes of equipment lending (Fritidsbanken): the catalogue (categories and articles).

The rest of lending has a module per resource: lending_items, lending_labels (and the scanned label and
card URLs), lending_borrowers (and the signed-in borrower's own card), lending_intake (donations, stock
counts) and lending_stats; circulation (loans, returns, holds) is in the circulation_* modules. Staff
(lending_staff, admin) manage the catalogue; the public catalogue is public and free of personal data.
"""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

import msgspec
from litestar import Controller, delete, get, patch, post
from litestar.params import Parameter
from litestar.status_codes import HTTP_201_CREATED, HTTP_204_NO_CONTENT

from booking.adapters.db.queries import Queries
from booking.adapters.db.queries_lending import LendingQueries
from booking.adapters.db.uow import SqlUnitOfWork
from booking.api.access import PUBLIC, guarded
from booking.api.controllers.circulation_views import hours_text, shown_weekdays
from booking.api.controllers.lending_views import (
    PRINTABLE,
    STAFF,
    LimitQ,
    MunicipalityQ,
    OffsetQ,
    SearchQ,
    changes_of,
    to_article,
)
from booking.api.schemas import lending as s
from booking.config import Settings
from booking.domain.lending import scope, services
from booking.domain.people.roles import Actor
from booking.domain.shared.errors import NotFound, ValidationError


async def _public_municipality(queries: Queries, lending_queries: LendingQueries, settings: Settings, slug: str | None,
                               site_id: UUID | None) -> UUID:
    if site_id is not None:
        municipality_id = await lending_queries.site_municipality(site_id)
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


class CatalogueController(Controller):
    path = "/api/lending"
    tags = ["lending"]

    @get("/categories", operation_id="listLendingCategories", **guarded(PUBLIC))
    async def list_categories(self, queries: Queries, lending_queries: LendingQueries, settings: Settings,
                              municipality: MunicipalityQ = None,
                              site_id: Annotated[UUID | None, Parameter(query="site_id")] = None) -> list[s.Category]:
        """Categories and subcategories (parent_id) of the municipality's lending."""
        municipality_id = await _public_municipality(queries, lending_queries, settings, municipality, site_id)
        return [s.Category(**c) for c in await lending_queries.categories(municipality_id)]

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
        self, queries: Queries, lending_queries: LendingQueries, settings: Settings, municipality: MunicipalityQ = None,
        site_id: Annotated[UUID | None, Parameter(query="site_id")] = None,
        category_id: Annotated[UUID | None, Parameter(query="category_id")] = None,
        q: SearchQ = None,
        variant: Annotated[str | None, Parameter(query="variant", max_length=60, pattern=PRINTABLE)] = None,
        available: Annotated[bool, Parameter(query="available")] = False,
        limit: LimitQ = 50, offset: OffsetQ = 0,
    ) -> s.CataloguePage:
        """The public catalogue (of a site, or the whole municipality): what can be borrowed, in which sizes,
        and whether one is on the shelf now (Tillgänglig) or all are lent out (Utlånad)."""
        municipality_id = await _public_municipality(queries, lending_queries, settings, municipality, site_id)
        page = await lending_queries.catalogue(municipality_id, site_id=site_id, category_id=category_id, q=q,
                                               variant=variant, available_only=available, limit=limit, offset=offset)
        return s.CataloguePage([s.CatalogueEntry(
            r["id"], r["name"], r["description"], r["variant"], r["min_age"], r["max_age"], r["loan_period_days"],
            r["self_service"], r["needs_guardian_consent"], r["photo_url"], r["category_id"], r["category_name"],
            r["available"], r["total"], "available" if r["available"] else "on_loan") for r in page.items],
            page.total, limit, offset)

    @get("/catalogue/variants", operation_id="listLendingVariants", **guarded(PUBLIC))
    async def variants(self, queries: Queries, lending_queries: LendingQueries, settings: Settings,
                       municipality: MunicipalityQ = None,
                       site_id: Annotated[UUID | None, Parameter(query="site_id")] = None,
                       category_id: Annotated[UUID | None, Parameter(query="category_id")] = None) -> list[str]:
        """The sizes and lengths in the catalogue (for a size filter)."""
        municipality_id = await _public_municipality(queries, lending_queries, settings, municipality, site_id)
        return await lending_queries.variants(municipality_id, site_id, category_id)

    @get("/articles/{article_id:uuid}", operation_id="getLendingArticle", **guarded(PUBLIC))
    async def get_article(self, article_id: UUID, read_uow: SqlUnitOfWork) -> s.Article:
        async with read_uow:
            article = await read_uow.lending.get_article(article_id)
        if article is None:
            raise NotFound("Article", article_id)
        return to_article(article)

    @get("/articles", operation_id="listLendingArticles", **guarded(STAFF))
    async def list_articles(self, lending_queries: LendingQueries, actor: Actor) -> list[s.Article]:
        """Every article of the municipality, with or without items (for intake and editing)."""
        return [s.Article(r["id"], r["category_id"], r["name"], r["description"], r["variant"], r["min_age"],
                          r["max_age"], r["loan_period_days"], r["needs_guardian_consent"], r["self_service"],
                          r["photo_url"]) for r in await lending_queries.articles(actor.municipality_id)]

    @post("/articles", operation_id="createLendingArticle", status_code=HTTP_201_CREATED,
          **guarded(STAFF, idempotent=True))
    async def create_article(self, data: s.ArticleCreate, uow: SqlUnitOfWork, actor: Actor) -> s.Article:
        return to_article(await services.create_article(msgspec.structs.asdict(data), uow, actor))

    @patch("/articles/{article_id:uuid}", operation_id="updateLendingArticle", **guarded(STAFF))
    async def update_article(self, article_id: UUID, data: s.ArticleUpdate, uow: SqlUnitOfWork,
                             actor: Actor) -> s.Article:
        return to_article(await services.update_article(article_id, changes_of(data), uow, actor))

    @post("/article-sizes", operation_id="createLendingArticleSizes", status_code=HTTP_201_CREATED,
          **guarded(STAFF, idempotent=True))
    async def create_article_sizes(self, data: s.ArticleSizesCreate, uow: SqlUnitOfWork,
                                   actor: Actor) -> list[s.Article]:
        """One article per size ("Hockeyskridskor" in 36, 38 and 40), alike but for the size; all or none.
        A size given twice (letter case aside) is refused naming `variants[i]`."""
        values = msgspec.structs.asdict(data)  # the service takes the article's fields from it, not `variants`
        return [to_article(a) for a in await services.create_article_sizes(values, data.variants, uow, actor)]

    @delete("/articles/{article_id:uuid}", operation_id="deleteLendingArticle", status_code=HTTP_204_NO_CONTENT,
            **guarded(STAFF))
    async def delete_article(self, article_id: UUID, uow: SqlUnitOfWork, actor: Actor) -> None:
        """Only an article without items (also retired ones, which keep their history) and without holds (409)."""
        await services.delete_article(article_id, uow, actor)

    @get("/sites", operation_id="listLendingSites", **guarded(STAFF))
    async def list_sites(self, lending_queries: LendingQueries, actor: Actor) -> list[s.LendingSite]:
        """The municipality's sites (for staff narrowed to sites: theirs) with their lending opening days and
        how many items each keeps (not retired or lost): a site with items lends."""
        rows = await lending_queries.sites(actor.municipality_id, scope.desk_sites(actor))
        return [s.LendingSite(r["id"], r["name"], *shown_weekdays(r["weekdays"]),
                              *hours_text((r["opens"], r["closes"])), int(r["items"])) for r in rows]


HANDLERS: list[Any] = [CatalogueController]
