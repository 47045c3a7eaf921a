"""Municipalities and their areas: admins change their own, everyone reads; the installation's
operator creates new ones (with the operator key, `BOOKING_OPERATOR_KEY`)."""

from __future__ import annotations

import hmac
from typing import Any
from uuid import UUID

from litestar import Controller, Response, delete, get, patch, post
from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, NotFoundException
from litestar.handlers.base import BaseRouteHandler
from litestar.status_codes import HTTP_201_CREATED

from booking.adapters.db.queries import Queries
from booking.adapters.db.uow import SqlUnitOfWork
from booking.api.access import ADMIN_ONLY, PUBLIC, guarded
from booking.api.controllers.params import LimitQ, MunicipalityQ, OffsetQ, given, municipality_filter
from booking.api.controllers.people import to_account
from booking.api.schemas import municipalities as sm
from booking.api.schemas import places as s
from booking.config import Settings
from booking.domain.municipalities import model as mm
from booking.domain.municipalities import services as municipalities
from booking.domain.people import founding
from booking.domain.people.roles import Actor
from booking.domain.shared.clock import Clock
from booking.domain.shared.errors import NotFound

OPERATOR_KEY_PROBLEM = "Send the installation operator's key as `Authorization: Bearer <key>`."


async def operator_key_guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """The installation operator's route: without BOOKING_OPERATOR_KEY it does not exist (404); with it,
    only `Authorization: Bearer <that key>` passes (compared in constant time). No session or API token
    of any municipality does: a municipality's people never make another municipality."""
    key: str | None = connection.app.state.settings.operator_key
    if not key:
        raise NotFoundException()
    scheme, _sep, presented = (connection.headers.get("authorization") or "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(presented.strip().encode(), key.encode()):
        raise NotAuthorizedException(OPERATOR_KEY_PROBLEM, extra={"field": "Authorization"})


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

    @post("/", operation_id="createMunicipality", status_code=HTTP_201_CREATED, guards=[operator_key_guard],
          **guarded(PUBLIC, problems=(401,), idempotent=True))
    async def create_municipality(self, data: sm.MunicipalityCreate, uow: SqlUnitOfWork, clock: Clock,
                                  settings: Settings) -> Response[sm.MunicipalityCreated]:
        """For the installation's operator, not for a municipality's people: send
        `Authorization: Bearer <BOOKING_OPERATOR_KEY>` (no session or API token counts; a missing or wrong
        key is 401, and without the setting the route answers 404 as if absent). Creates the municipality
        and its first administrator, who gets an e-mail with a link (7 days, used once) to choose a
        password. A taken slug or e-mail address is 409 naming `slug` or `admin_email`."""
        founded = await founding.found_municipality(
            municipalities.CreateMunicipality(name=data.name, slug=data.slug, timezone=data.timezone),
            founding.FirstAdmin(email=data.admin_email, display_name=data.admin_display_name,
                                locale=data.admin_locale),
            uow, clock, settings.base_url)
        body = sm.MunicipalityCreated(to_municipality(founded.municipality), to_account(founded.admin))
        return Response(body, status_code=HTTP_201_CREATED,
                        headers={"Location": f"/api/municipalities/{founded.municipality.id}"})

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
