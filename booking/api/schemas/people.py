"""Accounts, sign-in and associations."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec
from msgspec import UNSET, Meta, Struct, UnsetType

from booking.api.schemas.common import Email, Name, Password, ShortName
from booking.domain.people.model import AssociationCategory
from booking.domain.people.roles import Role
from booking.domain.premises.fees import TariffCategory

Locale = Annotated[str, Meta(pattern="^(sv|en)$")]
OrgNumber = Annotated[str, Meta(min_length=1, max_length=20, examples=["802012-3456"],
                                description="Organisationsnummer, 10 digits with a Luhn check digit.")]
Phone = Annotated[str, Meta(max_length=30)]


class RoleGrant(Struct, forbid_unknown_fields=True):
    role: Role
    scope_id: UUID | None = None


class Account(Struct):
    id: UUID
    municipality_id: UUID
    email: str
    display_name: str
    locale: str
    is_active: bool
    roles: list[RoleGrant]
    last_login_at: datetime | None
    created_at: datetime
    updated_at: datetime


class AccountCreate(Struct, forbid_unknown_fields=True):
    email: Email
    display_name: Name
    password: Password
    locale: Locale = "sv"
    roles: Annotated[list[RoleGrant], Meta(max_length=20)] = msgspec.field(default_factory=list)


class AccountUpdate(Struct, forbid_unknown_fields=True):
    display_name: Name | UnsetType = UNSET
    locale: Locale | UnsetType = UNSET
    is_active: bool | UnsetType = UNSET
    roles: Annotated[list[RoleGrant], Meta(max_length=20)] | UnsetType = UNSET


class AccountPage(Struct):
    items: list[Account]
    total: int
    limit: int
    offset: int


class Registration(Struct, forbid_unknown_fields=True):
    """Self-registration: an account with no roles, in the given municipality."""

    municipality: Annotated[str, Meta(min_length=1, max_length=64, description="The municipality's slug.")]
    email: Email
    display_name: Name
    password: Password
    locale: Locale = "sv"


class LoginRequest(Struct, forbid_unknown_fields=True):
    email: Email
    password: Password


class Me(Struct):
    account: Account
    csrf_token: str | None = None
    # On sign-in: the page to land on when the sign-in came from no page in particular ("/", or
    # "/setup.html" for an administrator whose municipality is not set up yet).
    landing: str | None = None


class TokenRequest(Struct, forbid_unknown_fields=True):
    email: Email
    password: Password
    name: ShortName | None = None
    days: Annotated[int, Meta(ge=1, le=365)] | None = None


class TokenCreated(Struct):
    token: str
    token_type: str
    expires_at: datetime


class ContactPerson(Struct, forbid_unknown_fields=True):
    name: Name
    email: Email | None = None
    phone: Phone | None = None
    role: Name | None = None


class Association(Struct):
    id: UUID
    municipality_id: UUID
    name: str
    org_number: str
    category: AssociationCategory
    area_id: UUID | None
    is_local: bool
    public_name: bool
    verified: bool
    verified_at: datetime | None
    tariff_category: TariffCategory | None
    contacts: list[ContactPerson]
    created_at: datetime
    updated_at: datetime


class AssociationCreate(Struct, forbid_unknown_fields=True):
    name: Name
    org_number: OrgNumber
    category: AssociationCategory = AssociationCategory.OTHER
    area_id: UUID | None = None
    is_local: bool = True
    public_name: bool = False
    contacts: Annotated[list[ContactPerson], Meta(max_length=20)] = msgspec.field(default_factory=list)


class AssociationUpdate(Struct, forbid_unknown_fields=True):
    name: Name | UnsetType = UNSET
    org_number: OrgNumber | UnsetType = UNSET
    category: AssociationCategory | UnsetType = UNSET
    area_id: UUID | UnsetType | None = UNSET
    is_local: bool | UnsetType = UNSET
    public_name: bool | UnsetType = UNSET
    contacts: Annotated[list[ContactPerson], Meta(max_length=20)] | UnsetType = UNSET
    tariff_category: TariffCategory | UnsetType | None = UNSET


class Verification(Struct, forbid_unknown_fields=True):
    verified: bool


class AssociationPage(Struct):
    items: list[Association]
    total: int
    limit: int
    offset: int


class Health(Struct):
    status: str
    database: str
