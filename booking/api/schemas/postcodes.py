"""The municipality's postcode table: which area (område) each postcode lies in."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from msgspec import Meta, Struct

# Five digits, a space allowed ("852 31"); checked by the domain, which names the item at fault.
PostcodeText = Annotated[str, Meta(max_length=12, examples=["852 31"])]


class PostcodeAreaIn(Struct, forbid_unknown_fields=True):
    postcode: PostcodeText
    area_id: UUID


class PostcodeAreasSet(Struct, forbid_unknown_fields=True):
    """The whole table: every postcode once, each with an area of the caller's municipality."""

    items: Annotated[list[PostcodeAreaIn], Meta(max_length=5000)]


class PostcodeAreasCount(Struct):
    count: int


class PostcodeArea(Struct):
    """One postcode and its area: no person, no address, only the area (for the follow-up by home area)."""

    postcode: str
    area_id: UUID
    area_name: str


class PostcodeAreaTable(Struct):
    items: list[PostcodeArea]
