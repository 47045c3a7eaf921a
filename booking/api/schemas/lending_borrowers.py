"""Equipment lending: borrowers (låntagare), their consents and lending cards."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from msgspec import UNSET, Meta, Struct, UnsetType

from booking.api.schemas.common import Name
from booking.domain.lending.borrowers import Gender

Mobile = Annotated[str, Meta(min_length=1, max_length=30, examples=["070-123 45 67"])]
BirthYear = Annotated[int, Meta(ge=1900, le=2100)]
Email = Annotated[str, Meta(min_length=3, max_length=254)]
Reason = Annotated[str, Meta(min_length=1, max_length=500)]


class Consent(Struct):
    category_id: UUID
    given_by: UUID | None
    given_at: datetime


class Borrower(Struct):
    id: UUID
    name: str
    mobile: str | None
    email: str | None
    birth_year: int
    gender: Gender | None
    area_id: UUID | None
    guardian_id: UUID | None
    blocked_reason: str | None
    registered_via: str
    card_number: str | None
    last_active_at: datetime | None
    consents: list[Consent] | UnsetType = UNSET


class BorrowerPage(Struct):
    items: list[Borrower]
    total: int
    limit: int
    offset: int


class BorrowerCreate(Struct, forbid_unknown_fields=True):
    name: Name
    birth_year: BirthYear
    mobile: Mobile | None = None
    email: Email | None = None
    gender: Gender | None = None
    area_id: UUID | None = None
    guardian_id: UUID | None = None
    consent_category_ids: Annotated[list[UUID], Meta(max_length=100)] = []


class SelfRegistration(Struct, forbid_unknown_fields=True):
    name: Name
    birth_year: BirthYear
    mobile: Mobile
    email: Email | None = None
    gender: Gender | None = None
    area_id: UUID | None = None


class BorrowerUpdate(Struct, forbid_unknown_fields=True):
    name: Name | UnsetType = UNSET
    mobile: Mobile | UnsetType | None = UNSET
    email: Email | UnsetType | None = UNSET
    birth_year: BirthYear | UnsetType = UNSET
    gender: Gender | UnsetType | None = UNSET
    area_id: UUID | UnsetType | None = UNSET


class Block(Struct, forbid_unknown_fields=True):
    reason: Reason


class Card(Struct):
    number: str
    display: str
    url: str
    borrower_id: UUID


class MyBorrower(Struct):
    borrower: Borrower
    card: Card | None
