"""Municipalities and their areas: admins change their own, everyone reads."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Response, delete, get, patch, post
from litestar.status_codes import HTTP_201_CREATED

from booking.adapters.db.queries import Queries
from booking.adapters.db.uow import SqlUnitOfWork
from booking.api.access import ADMIN_ONLY, PUBLIC, guarded
from booking.api.controllers.params import LimitQ, MunicipalityQ, OffsetQ, given, municipality_filter
from booking.api.schemas import places as s
from booking.domain.municipalities import model as mm
from booking.domain.municipalities import services as municipalities
from booking.domain.people.roles import Actor
from booking.domain.shared.errors import NotFound


def to_municipality(m: mm.Municipality) -> s.Municipality:
    return s.Municipality(id=m.id, name=m.name, slug=m.slug, timezone=m.timezone,
                          closed_eves=[mm.Eve(e) for e in m.closed_eves],
                          created_at=m.created_at, updated_at=m.updated_at)  # type: ignore[arg-type]


def to_area(a: mm.Area) -> s.Area:
    return s.Area(id=a.id, municipality_id=a.municipality_id, name=a.name, population_0_17=a.population_0_17,
                  created_at=a.created_at, updated_at=a.updated_at)  # type: ignore[arg-type]


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
        changes = given(data, "name", "timezone", "closed_eves")
        if "closed_eves" in changes:
            changes["closed_eves"] = [str(e) for e in changes["closed_eves"]]
        return to_municipality(await municipalities.update_municipality(municipality_id, changes, uow, actor))


class AreaController(Controller):
    path = "/api/areas"
    tags = ["areas"]

    @get("/", operation_id="listAreas", **guarded(PUBLIC))
    async def list_areas(self, queries: Queries, municipality: MunicipalityQ = None, limit: LimitQ = 50,
                         offset: OffsetQ = 0) -> s.AreaPage:
        """Areas (områden) used for follow-up per neighbourhood."""
        page = await queries.areas(await municipality_filter(queries, municipality), limit, offset)
        return s.AreaPage([to_area(a) for a in page.items], page.total, limit, offset)

    @get("/{area_id:uuid}", operation_id="getArea", **guarded(PUBLIC))
    async def get_area(self, area_id: UUID, queries: Queries) -> s.Area:
        area = await queries.area(area_id)
        if area is None:
            raise NotFound("Area", area_id)
        return to_area(area)

    @post("/", operation_id="createArea", status_code=HTTP_201_CREATED, **guarded(ADMIN_ONLY, idempotent=True))
    async def create_area(self, data: s.AreaCreate, uow: SqlUnitOfWork, actor: Actor) -> Response[s.Area]:
        area = await municipalities.create_area(data.name, data.population_0_17, uow, actor)
        return Response(to_area(area), status_code=HTTP_201_CREATED, headers={"Location": f"/api/areas/{area.id}"})

    @patch("/{area_id:uuid}", operation_id="updateArea", **guarded(ADMIN_ONLY))
    async def update_area(self, area_id: UUID, data: s.AreaUpdate, uow: SqlUnitOfWork, actor: Actor) -> s.Area:
        return to_area(await municipalities.update_area(area_id, given(data, "name", "population_0_17"), uow, actor))

    @delete("/{area_id:uuid}", operation_id="deleteArea", **guarded(ADMIN_ONLY))
    async def delete_area(self, area_id: UUID, uow: SqlUnitOfWork, actor: Actor) -> None:
        await municipalities.delete_area(area_id, uow, actor)


HANDLERS: list[Any] = [MunicipalityController, AreaController]
