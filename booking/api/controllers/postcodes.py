"""The postcode table: activities staff of the whole municipality and administrators replace and read it;
anyone looks one postcode up (the answer is an area, never a person or an address)."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, get, put
from litestar.params import Parameter

from booking.adapters.db.queries import Queries
from booking.adapters.db.uow import SqlUnitOfWork
from booking.api.access import PUBLIC, guarded, roles
from booking.api.controllers.params import MunicipalityQ, municipality_filter
from booking.api.schemas import postcodes as s
from booking.domain.imports.postcode_areas import require_keeper
from booking.domain.municipalities import postcodes
from booking.domain.people.roles import Actor, Role
from booking.domain.shared.errors import ValidationError

KEEPERS = roles(Role.ACTIVITIES_STAFF)  # and administrators; a grant narrowed to sites is refused (403)
PostcodeP = Annotated[str, Parameter(max_length=12, description="Five digits (a space allowed: 852 31).")]


def to_line(line: postcodes.PostcodeLine) -> s.PostcodeArea:
    return s.PostcodeArea(postcode=line.postcode, area_id=line.area_id, area_name=line.area_name)


class PostcodeAreaController(Controller):
    path = "/api/postcode-areas"
    tags = ["areas"]

    @put("/", operation_id="setPostcodeAreas", **guarded(KEEPERS))
    async def set_postcode_areas(self, data: s.PostcodeAreasSet, uow: SqlUnitOfWork,
                                 actor: Actor) -> s.PostcodeAreasCount:
        """Replace the municipality's whole postcode table (administrators, activities staff of the
        whole municipality). Each postcode five digits and once (422 naming `items[i].postcode`), each
        area one of the municipality's (422 naming `items[i].area_id`). A child's home area comes from
        it when a guardian gives a postcode; the CSV import `postcode_areas` adds to it instead."""
        require_keeper(actor)
        items = [postcodes.PostcodeItem(i.postcode, i.area_id) for i in data.items]
        return s.PostcodeAreasCount(await postcodes.set_postcode_areas(items, uow, actor))

    @get("/", operation_id="listPostcodeAreas", **guarded(KEEPERS))
    async def list_postcode_areas(self, read_uow: SqlUnitOfWork, actor: Actor) -> s.PostcodeAreaTable:
        """The whole postcode table of the caller's municipality, by postcode."""
        require_keeper(actor)
        lines = await postcodes.postcode_table(read_uow, actor.municipality_id)
        return s.PostcodeAreaTable([to_line(line) for line in lines])

    @get("/{postcode:str}", operation_id="getPostcodeArea", **guarded(PUBLIC))
    async def get_postcode_area(self, postcode: PostcodeP, read_uow: SqlUnitOfWork, queries: Queries,
                                municipality: MunicipalityQ = None) -> s.PostcodeArea:
        """The area a postcode lies in, in the municipality (`municipality`: its slug): the postcode,
        the area's id and name, nothing else. 404 when the table does not know the postcode."""
        municipality_id = await municipality_filter(queries, municipality)
        if municipality_id is None:
            raise ValidationError("municipality", "Give the municipality (its slug).", "required")
        return to_line(await postcodes.area_of_postcode(read_uow, municipality_id, postcode))


HANDLERS: list[Any] = [PostcodeAreaController]
