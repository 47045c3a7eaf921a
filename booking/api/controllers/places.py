"""Sites and spaces: admins write, everyone reads."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Response, delete, get, patch, post
from litestar.params import Parameter
from litestar.status_codes import HTTP_201_CREATED

from booking.adapters.db.queries import Queries, SiteView, SpaceView
from booking.adapters.db.uow import SqlUnitOfWork
from booking.api.access import ADMIN_ONLY, PUBLIC, guarded
from booking.api.controllers.params import LimitQ, MunicipalityQ, OffsetQ, SearchQ, given, municipality_filter
from booking.api.schemas import places as s
from booking.domain.people.model import AssociationCategory
from booking.domain.people.roles import Actor
from booking.domain.premises import services as premises
from booking.domain.premises.model import SpaceKind
from booking.domain.shared.errors import NotFound, expect

RULE_FIELDS = ("buffer_minutes", "horizon_days", "min_notice_hours", "min_duration_minutes", "max_duration_minutes",
               "cancel_deadline_hours")


def to_site(view: SiteView) -> s.Site:
    site = view.site
    return s.Site(
        id=site.id, municipality_id=site.municipality_id, name=site.name,
        address=s.Address(street=site.street, postal_code=site.postal_code, city=site.city),
        area_id=site.area_id, area_name=view.area_name, description=site.description,
        space_count=view.space_count, created_at=site.created_at, updated_at=site.updated_at,  # type: ignore[arg-type]
    )


def to_space(view: SpaceView) -> s.Space:
    sp = view.space
    return s.Space(
        id=sp.id, municipality_id=sp.municipality_id, site_id=sp.site_id, name=sp.name, kind=sp.kind,
        capacity=sp.capacity, description=sp.description, parent_id=sp.parent_id, part_ids=view.part_ids,
        accessibility=s.Accessibility(step_free=sp.step_free, accessible_toilet=sp.accessible_toilet,
                                      hearing_loop=sp.hearing_loop, notes=sp.accessibility_notes),
        equipment=list(sp.equipment),
        rules=s.BookingRules(buffer_minutes=sp.buffer_minutes, horizon_days=sp.horizon_days,
                             min_notice_hours=sp.min_notice_hours, min_duration_minutes=sp.min_duration_minutes,
                             max_duration_minutes=sp.max_duration_minutes,
                             cancel_deadline_hours=sp.cancel_deadline_hours,
                             auto_approve_categories=[AssociationCategory(c) for c in sp.auto_approve_categories]),
        created_at=sp.created_at, updated_at=sp.updated_at,  # type: ignore[arg-type]
    )


def _rules(rules: s.BookingRules) -> dict[str, Any]:
    return {**{k: getattr(rules, k) for k in RULE_FIELDS},
            "auto_approve_categories": [str(c) for c in rules.auto_approve_categories]}


def _site_changes(data: s.SiteUpdate) -> dict[str, Any]:
    changes = given(data, "name", "area_id", "description")
    if isinstance(data.address, s.AddressUpdate):
        changes.update(given(data.address, "street", "postal_code", "city"))
    return changes


def _space_changes(data: s.SpaceUpdate) -> dict[str, Any]:
    changes = given(data, "name", "kind", "capacity", "description", "parent_id", "equipment")
    if isinstance(data.accessibility, s.Accessibility):
        acc = data.accessibility
        changes.update(step_free=acc.step_free, accessible_toilet=acc.accessible_toilet,
                       hearing_loop=acc.hearing_loop, accessibility_notes=acc.notes)
    if isinstance(data.rules, s.BookingRules):
        changes.update(_rules(data.rules))
    return changes


async def _site(queries: Queries, site_id: UUID) -> s.Site:
    """The site as it reads now; it was just written, so it must be there."""
    return to_site(expect(await queries.site(site_id), "the site just written"))


async def _space(queries: Queries, space_id: UUID) -> s.Space:
    return to_space(expect(await queries.space(space_id), "the space just written"))


class SiteController(Controller):
    path = "/api/sites"
    tags = ["sites"]

    @get("/", operation_id="listSites", **guarded(PUBLIC))
    async def list_sites(
        self, queries: Queries, municipality: MunicipalityQ = None,
        area_id: Annotated[UUID | None, Parameter(query="area_id")] = None,
        q: SearchQ = None,
        limit: LimitQ = 50, offset: OffsetQ = 0,
    ) -> s.SitePage:
        """Sites (schools, facilities) with their address and area."""
        page = await queries.sites(municipality_id=await municipality_filter(queries, municipality),
                                   area_id=area_id, q=q, limit=limit, offset=offset)
        return s.SitePage([to_site(v) for v in page.items], page.total, limit, offset)

    @get("/{site_id:uuid}", operation_id="getSite", **guarded(PUBLIC))
    async def get_site(self, site_id: UUID, queries: Queries) -> s.Site:
        view = await queries.site(site_id)
        if view is None:
            raise NotFound("Site", site_id)
        return to_site(view)

    @post("/", operation_id="createSite", status_code=HTTP_201_CREATED, **guarded(ADMIN_ONLY, idempotent=True))
    async def create_site(self, data: s.SiteCreate, uow: SqlUnitOfWork, actor: Actor,
                          queries: Queries) -> Response[s.Site]:
        site = await premises.create_site(premises.CreateSite(
            name=data.name, street=data.address.street, postal_code=data.address.postal_code,
            city=data.address.city, area_id=data.area_id, description=data.description,
        ), uow, actor)
        return Response(await _site(queries, site.id), status_code=HTTP_201_CREATED,
                        headers={"Location": f"/api/sites/{site.id}"})

    @patch("/{site_id:uuid}", operation_id="updateSite", **guarded(ADMIN_ONLY))
    async def update_site(self, site_id: UUID, data: s.SiteUpdate, uow: SqlUnitOfWork, actor: Actor,
                          queries: Queries) -> s.Site:
        await premises.update_site(premises.UpdateSite(site_id, _site_changes(data)), uow, actor)
        return await _site(queries, site_id)

    @delete("/{site_id:uuid}", operation_id="deleteSite", **guarded(ADMIN_ONLY))
    async def delete_site(self, site_id: UUID, uow: SqlUnitOfWork, actor: Actor) -> None:
        """Deletes an empty site; a site with spaces answers 409."""
        await premises.delete_site(site_id, uow, actor)


class SpaceController(Controller):
    path = "/api/spaces"
    tags = ["spaces"]

    @get("/", operation_id="listSpaces", **guarded(PUBLIC))
    async def list_spaces(
        self, queries: Queries, municipality: MunicipalityQ = None,
        site_id: Annotated[UUID | None, Parameter(query="site_id")] = None,
        kind: Annotated[SpaceKind | None, Parameter(query="kind")] = None,
        min_capacity: Annotated[int | None, Parameter(query="min_capacity", ge=1, le=100_000)] = None,
        limit: LimitQ = 50, offset: OffsetQ = 0,
    ) -> s.SpacePage:
        """Bookable spaces. A divisible hall lists its parts in `part_ids`; a part names its
        whole in `parent_id`."""
        page = await queries.spaces(municipality_id=await municipality_filter(queries, municipality),
                                    site_id=site_id, kind=kind, min_capacity=min_capacity, limit=limit,
                                    offset=offset)
        return s.SpacePage([to_space(v) for v in page.items], page.total, limit, offset)

    @get("/{space_id:uuid}", operation_id="getSpace", **guarded(PUBLIC))
    async def get_space(self, space_id: UUID, queries: Queries) -> s.Space:
        view = await queries.space(space_id)
        if view is None:
            raise NotFound("Space", space_id)
        return to_space(view)

    @post("/", operation_id="createSpace", status_code=HTTP_201_CREATED, **guarded(ADMIN_ONLY, idempotent=True))
    async def create_space(self, data: s.SpaceCreate, uow: SqlUnitOfWork, actor: Actor,
                           queries: Queries) -> Response[s.Space]:
        """Creates a space; give `parent_id` to make it a part of a divisible hall."""
        space = await premises.create_space(premises.CreateSpace(
            site_id=data.site_id, name=data.name, kind=data.kind, capacity=data.capacity,
            description=data.description, parent_id=data.parent_id, step_free=data.accessibility.step_free,
            accessible_toilet=data.accessibility.accessible_toilet, hearing_loop=data.accessibility.hearing_loop,
            accessibility_notes=data.accessibility.notes, equipment=tuple(data.equipment),
            rules=_rules(data.rules),
        ), uow, actor)
        return Response(await _space(queries, space.id), status_code=HTTP_201_CREATED,
                        headers={"Location": f"/api/spaces/{space.id}"})

    @patch("/{space_id:uuid}", operation_id="updateSpace", **guarded(ADMIN_ONLY))
    async def update_space(self, space_id: UUID, data: s.SpaceUpdate, uow: SqlUnitOfWork, actor: Actor,
                           queries: Queries) -> s.Space:
        await premises.update_space(premises.UpdateSpace(space_id, _space_changes(data)), uow, actor)
        return await _space(queries, space_id)

    @delete("/{space_id:uuid}", operation_id="deleteSpace", **guarded(ADMIN_ONLY))
    async def delete_space(self, space_id: UUID, uow: SqlUnitOfWork, actor: Actor) -> None:
        """Deletes a space; a divisible hall with parts answers 409 until its parts are gone."""
        await premises.delete_space(space_id, uow, actor)


HANDLERS: list[Any] = [SiteController, SpaceController]
