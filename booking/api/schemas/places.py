"""Municipalities, areas, sites and spaces."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec
from msgspec import UNSET, Meta, Struct, UnsetType

from booking.api.schemas.common import Name, ShortName, Text
from booking.domain.municipalities.model import Eve
from booking.domain.people.model import AssociationCategory
from booking.domain.premises.model import MAX_CAPACITY, SpaceKind

Capacity = Annotated[int, Meta(ge=1, le=MAX_CAPACITY, description="How many people the space takes.")]
PostalCode = Annotated[str, Meta(min_length=5, max_length=6, examples=["853 50"])]
Population = Annotated[int, Meta(ge=0, le=10_000_000)]


ClosedEves = Annotated[list[Eve], Meta(max_length=len(Eve), description=(
    "The holiday eves on which nothing can be booked (like public holidays): easter_eve (påskafton), "
    "midsummer_eve, christmas_eve, new_years_eve. All four by default."))]


class Municipality(Struct):
    id: UUID
    name: str
    slug: str
    timezone: str
    closed_eves: list[Eve]
    created_at: datetime
    updated_at: datetime


class MunicipalityUpdate(Struct, forbid_unknown_fields=True):
    name: Name | UnsetType = UNSET
    timezone: Annotated[str, Meta(min_length=1, max_length=64)] | UnsetType = UNSET
    closed_eves: ClosedEves | UnsetType = UNSET


class MunicipalityPage(Struct):
    items: list[Municipality]
    total: int
    limit: int
    offset: int


class Area(Struct):
    id: UUID
    municipality_id: UUID
    name: str
    population_0_17: int | None
    created_at: datetime
    updated_at: datetime


class AreaCreate(Struct, forbid_unknown_fields=True):
    name: Name
    population_0_17: Population | None = None


class AreaUpdate(Struct, forbid_unknown_fields=True):
    name: Name | UnsetType = UNSET
    population_0_17: Population | UnsetType | None = UNSET


class AreaPage(Struct):
    items: list[Area]
    total: int
    limit: int
    offset: int


class Address(Struct, forbid_unknown_fields=True):
    street: Name
    postal_code: PostalCode
    city: ShortName


class AddressUpdate(Struct, forbid_unknown_fields=True):
    street: Name | UnsetType = UNSET
    postal_code: PostalCode | UnsetType = UNSET
    city: ShortName | UnsetType = UNSET


class Site(Struct):
    id: UUID
    municipality_id: UUID
    name: str
    address: Address
    area_id: UUID | None
    area_name: str | None
    description: str | None
    space_count: int
    created_at: datetime
    updated_at: datetime


class SiteCreate(Struct, forbid_unknown_fields=True):
    name: Name
    address: Address
    area_id: UUID | None = None
    description: Text | None = None


class SiteUpdate(Struct, forbid_unknown_fields=True):
    name: Name | UnsetType = UNSET
    address: AddressUpdate | UnsetType = UNSET
    area_id: UUID | UnsetType | None = UNSET
    description: Text | UnsetType | None = UNSET


class SitePage(Struct):
    items: list[Site]
    total: int
    limit: int
    offset: int


class Accessibility(Struct, forbid_unknown_fields=True):
    step_free: bool = False
    accessible_toilet: bool = False
    hearing_loop: bool = False
    notes: Annotated[str, Meta(max_length=1000)] | None = None


class BookingRules(Struct, forbid_unknown_fields=True):
    """How the space may be booked."""

    buffer_minutes: Annotated[int, Meta(ge=0, le=240, description="Changeover time after each booking.")] = 0
    horizon_days: Annotated[int, Meta(ge=1, le=730, description="How far ahead one may book.")] = 365
    min_notice_hours: Annotated[int, Meta(ge=0, le=1440)] = 24
    min_duration_minutes: Annotated[int, Meta(ge=15, le=1440)] = 30
    max_duration_minutes: Annotated[int, Meta(ge=15, le=1440)] = 480
    cancel_deadline_hours: Annotated[int, Meta(ge=0, le=720, description="Cancelling later keeps the fee.")] = 48
    auto_approve_categories: Annotated[list[AssociationCategory], Meta(max_length=10)] = msgspec.field(
        default_factory=list)


class Space(Struct):
    id: UUID
    municipality_id: UUID
    site_id: UUID
    name: str
    kind: SpaceKind
    capacity: int
    description: str | None
    parent_id: UUID | None
    part_ids: list[UUID]
    accessibility: Accessibility
    equipment: list[str]
    rules: BookingRules
    created_at: datetime
    updated_at: datetime


Equipment = Annotated[list[ShortName], Meta(max_length=50)]


class SpaceCreate(Struct, forbid_unknown_fields=True):
    site_id: UUID
    name: Name
    kind: SpaceKind
    capacity: Capacity
    description: Text | None = None
    parent_id: UUID | None = msgspec.field(default=None)
    accessibility: Accessibility = msgspec.field(default_factory=Accessibility)
    equipment: Equipment = msgspec.field(default_factory=list)
    rules: BookingRules = msgspec.field(default_factory=BookingRules)


class SpaceUpdate(Struct, forbid_unknown_fields=True):
    name: Name | UnsetType = UNSET
    kind: SpaceKind | UnsetType = UNSET
    capacity: Capacity | UnsetType = UNSET
    description: Text | UnsetType | None = UNSET
    parent_id: UUID | UnsetType | None = UNSET
    accessibility: Accessibility | UnsetType = UNSET
    equipment: Equipment | UnsetType = UNSET
    rules: BookingRules | UnsetType = UNSET


class SpacePage(Struct):
    items: list[Space]
    total: int
    limit: int
    offset: int
