"""Municipalities, areas, sites and spaces: admins write, everyone reads."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

import msgspec
from litestar import Controller, Response, delete, get, patch, post
from litestar.params import Parameter
from litestar.status_codes import HTTP_201_CREATED

from booking.adapters.db.queries import Queries, SiteView, SpaceView
from booking.adapters.db.uow import SqlUnitOfWork
from booking.api.access import ADMIN_ONLY, PUBLIC, guarded
from booking.api.schemas import places as s
from booking.domain.municipalities import model as mm
from booking.domain.municipalities import services as municipality_services
from booking.domain.people.model import AssociationCategory
from booking.domain.people.roles import Actor
from booking.domain.premises import services as premises
from booking.domain.premises.model import SpaceKind
from booking.domain.shared.errors import NotFound, ValidationError

LimitQ = Annotated[int, Parameter(query="limit", ge=1, le=200, description="Page size (1-200).")]
OffsetQ = Annotated[int, Parameter(query="offset", ge=0, le=10_000_000, description="Items to skip.")]
# Text in query strings: printable only (a NUL or other control character is refused, naming the parameter).
PRINTABLE = r"^[^\x00-\x1f\x7f]*$"
MunicipalityQ = Annotated[str | None, Parameter(query="municipality", max_length=64, pattern=PRINTABLE,
                                                description="Only this municipality (its slug).")]
SearchQ = Annotated[str | None, Parameter(query="q", max_length=100, pattern=PRINTABLE,
                                          description="Part of the name.")]


def to_municipality(m: mm.Municipality) -> s.Municipality:
    return s.Municipality(id=m.id, name=m.name, slug=m.slug, timezone=m.timezone,
                          closed_eves=[mm.Eve(e) for e in m.closed_eves],
                          created_at=m.created_at, updated_at=m.updated_at)  # type: ignore[arg-type]


def to_area(a: mm.Area) -> s.Area:
    return s.Area(id=a.id, municipality_id=a.municipality_id, name=a.name, population_0_17=a.population_0_17,
                  created_at=a.created_at, updated_at=a.updated_at)  # type: ignore[arg-type]


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


RULE_FIELDS = ("buffer_minutes", "horizon_days", "min_notice_hours", "min_duration_minutes", "max_duration_minutes",
               "cancel_deadline_hours")


def _set(value: Any) -> bool:
    return value is not msgspec.UNSET


async def _municipality_filter(queries: Queries, slug: str | None) -> UUID | None:
    if slug is None:
        return None
    municipality_id = await queries.municipality_id_by_slug(slug)
    if municipality_id is None:
        raise ValidationError("municipality", f"No municipality with slug {slug!r}.", "unknown")
    return municipality_id


class MunicipalityController(Controller):
    path = "/api/municipalities"
    tags = ["municipalities"]

    @get("/", operation_id="listMunicipalities", **guarded(PUBLIC))
    async def list_municipalities(
        self, queries: Queries, limit: LimitQ = 50, offset: OffsetQ = 0
    ) -> s.MunicipalityPage:
        """The municipalities served by this deployment."""
        page = await queries.municipalities(limit, offset)
        return s.MunicipalityPage([to_municipality(m) for m in page.items], page.total, limit, offset)

    @get("/{municipality_id:uuid}", operation_id="getMunicipality", **guarded(PUBLIC))
    async def get_municipality(self, municipality_id: UUID, queries: Queries) -> s.Municipality:
        municipality = await queries.municipality(municipality_id)
        if municipality is None:
            raise NotFound("Municipality", municipality_id)
        return to_municipality(municipality)

    @patch("/{municipality_id:uuid}", operation_id="updateMunicipality", **guarded(ADMIN_ONLY))
    async def update_municipality(self, municipality_id: UUID, data: s.MunicipalityUpdate, uow: SqlUnitOfWork,
                                  actor: Actor) -> s.Municipality:
        """Rename the municipality, change its time zone, or choose which holiday eves close like public
        holidays (`closed_eves`; own municipality only). The eves close availability, requests, series
        dates, holiday activities and lending due dates alike."""
        changes = {k: getattr(data, k) for k in ("name", "timezone", "closed_eves") if _set(getattr(data, k))}
        if "closed_eves" in changes:
            changes["closed_eves"] = [str(e) for e in changes["closed_eves"]]
        return to_municipality(await municipality_services.update_municipality(municipality_id, changes, uow, actor))


class AreaController(Controller):
    path = "/api/areas"
    tags = ["areas"]

    @get("/", operation_id="listAreas", **guarded(PUBLIC))
    async def list_areas(self, queries: Queries, municipality: MunicipalityQ = None, limit: LimitQ = 50,
                         offset: OffsetQ = 0) -> s.AreaPage:
        """Areas (områden) used for follow-up per neighbourhood."""
        page = await queries.areas(await _municipality_filter(queries, municipality), limit, offset)
        return s.AreaPage([to_area(a) for a in page.items], page.total, limit, offset)

    @get("/{area_id:uuid}", operation_id="getArea", **guarded(PUBLIC))
    async def get_area(self, area_id: UUID, queries: Queries) -> s.Area:
        area = await queries.area(area_id)
        if area is None:
            raise NotFound("Area", area_id)
        return to_area(area)

    @post("/", operation_id="createArea", status_code=HTTP_201_CREATED, **guarded(ADMIN_ONLY, idempotent=True))
    async def create_area(self, data: s.AreaCreate, uow: SqlUnitOfWork, actor: Actor) -> Response[s.Area]:
        area = await municipality_services.create_area(data.name, data.population_0_17, uow, actor)
        return Response(to_area(area), status_code=HTTP_201_CREATED, headers={"Location": f"/api/areas/{area.id}"})

    @patch("/{area_id:uuid}", operation_id="updateArea", **guarded(ADMIN_ONLY))
    async def update_area(self, area_id: UUID, data: s.AreaUpdate, uow: SqlUnitOfWork, actor: Actor) -> s.Area:
        changes = {k: getattr(data, k) for k in ("name", "population_0_17") if _set(getattr(data, k))}
        return to_area(await municipality_services.update_area(area_id, changes, uow, actor))

    @delete("/{area_id:uuid}", operation_id="deleteArea", **guarded(ADMIN_ONLY))
    async def delete_area(self, area_id: UUID, uow: SqlUnitOfWork, actor: Actor) -> None:
        await municipality_services.delete_area(area_id, uow, actor)


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
        page = await queries.sites(municipality_id=await _municipality_filter(queries, municipality),
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
        view = await queries.site(site.id)
        assert view is not None
        return Response(to_site(view), status_code=HTTP_201_CREATED, headers={"Location": f"/api/sites/{site.id}"})

    @patch("/{site_id:uuid}", operation_id="updateSite", **guarded(ADMIN_ONLY))
    async def update_site(self, site_id: UUID, data: s.SiteUpdate, uow: SqlUnitOfWork, actor: Actor,
                          queries: Queries) -> s.Site:
        changes: dict[str, Any] = {k: getattr(data, k) for k in ("name", "area_id", "description")
                                   if _set(getattr(data, k))}
        if _set(data.address):
            address = data.address
            assert isinstance(address, s.AddressUpdate)
            changes.update({k: getattr(address, k) for k in ("street", "postal_code", "city")
                            if _set(getattr(address, k))})
        await premises.update_site(premises.UpdateSite(site_id, changes), uow, actor)
        view = await queries.site(site_id)
        assert view is not None
        return to_site(view)

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
        page = await queries.spaces(municipality_id=await _municipality_filter(queries, municipality),
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
        view = await queries.space(space.id)
        assert view is not None
        return Response(to_space(view), status_code=HTTP_201_CREATED, headers={"Location": f"/api/spaces/{space.id}"})

    @patch("/{space_id:uuid}", operation_id="updateSpace", **guarded(ADMIN_ONLY))
    async def update_space(self, space_id: UUID, data: s.SpaceUpdate, uow: SqlUnitOfWork, actor: Actor,
                           queries: Queries) -> s.Space:
        changes: dict[str, Any] = {k: getattr(data, k) for k in
                                   ("name", "kind", "capacity", "description", "parent_id", "equipment")
                                   if _set(getattr(data, k))}
        if _set(data.accessibility):
            acc = data.accessibility
            assert isinstance(acc, s.Accessibility)
            changes.update(step_free=acc.step_free, accessible_toilet=acc.accessible_toilet,
                           hearing_loop=acc.hearing_loop, accessibility_notes=acc.notes)
        if _set(data.rules):
            assert isinstance(data.rules, s.BookingRules)
            changes.update(_rules(data.rules))
        await premises.update_space(premises.UpdateSpace(space_id, changes), uow, actor)
        view = await queries.space(space_id)
        assert view is not None
        return to_space(view)

    @delete("/{space_id:uuid}", operation_id="deleteSpace", **guarded(ADMIN_ONLY))
    async def delete_space(self, space_id: UUID, uow: SqlUnitOfWork, actor: Actor) -> None:
        """Deletes a space; a divisible hall with parts answers 409 until its parts are gone."""
        await premises.delete_space(space_id, uow, actor)


HANDLERS: list[Any] = [MunicipalityController, AreaController, SiteController, SpaceController]
