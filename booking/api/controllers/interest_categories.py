"""The municipality's interest categories: public to list, staff maintain them."""

from __future__ import annotations

from uuid import UUID

import msgspec
from litestar import Controller, Response, delete, get, patch, post
from litestar.status_codes import HTTP_201_CREATED, HTTP_204_NO_CONTENT

from booking.adapters.db.queries import Queries
from booking.adapters.db.uow import SqlUnitOfWork
from booking.api.access import PUBLIC, guarded, roles
from booking.api.controllers.activities_views import municipality_of
from booking.api.controllers.matching_views import to_category
from booking.api.controllers.params import MunicipalityQ
from booking.api.schemas import matching_profiles as s
from booking.domain.matching import category_services as cs
from booking.domain.people.roles import Actor, Role

STAFF = roles(Role.PREMISES_STAFF, Role.ACTIVITIES_STAFF)


class InterestCategoryController(Controller):
    path = "/api/interest-categories"
    tags = ["associations in the open"]

    @get("/", operation_id="listInterestCategories", **guarded(PUBLIC))
    async def list_categories(self, queries: Queries, uow: SqlUnitOfWork, read_uow: SqlUnitOfWork,
                              maybe_actor: Actor | None,
                              municipality: MunicipalityQ = None) -> s.InterestCategoryList:
        """The municipality's interest categories by position (a municipality without any gets the defaults)."""
        municipality_id = await municipality_of(queries, municipality, maybe_actor)
        found = await cs.list_categories(municipality_id, uow, read_uow)
        return s.InterestCategoryList([to_category(c) for c in found])

    @post("/", operation_id="createInterestCategory", status_code=HTTP_201_CREATED, **guarded(STAFF))
    async def create_category(self, data: s.InterestCategoryCreate, uow: SqlUnitOfWork,
                              actor: Actor) -> Response[s.InterestCategory]:
        category = await cs.create_category(data.name, data.name_en, data.position, uow, actor)
        return Response(to_category(category), status_code=HTTP_201_CREATED,
                        headers={"Location": f"/api/interest-categories/{category.id}"})

    @patch("/{category_id:uuid}", operation_id="updateInterestCategory", **guarded(STAFF))
    async def update_category(self, category_id: UUID, data: s.InterestCategoryUpdate, uow: SqlUnitOfWork,
                              actor: Actor) -> s.InterestCategory:
        change = cs.CategoryChange(
            name=None if data.name is msgspec.UNSET else data.name,
            name_en=None if data.name_en is msgspec.UNSET else data.name_en,
            position=None if data.position is msgspec.UNSET else data.position,
            clear_name_en=data.name_en is None)
        return to_category(await cs.update_category(category_id, change, uow, actor))

    @delete("/{category_id:uuid}", operation_id="deleteInterestCategory", status_code=HTTP_204_NO_CONTENT,
            **guarded(STAFF))
    async def delete_category(self, category_id: UUID, uow: SqlUnitOfWork, actor: Actor) -> None:
        """A category that association profiles name cannot be deleted (409)."""
        await cs.delete_category(category_id, uow, actor)


HANDLERS = [InterestCategoryController]
