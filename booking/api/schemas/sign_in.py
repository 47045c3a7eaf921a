"""OpenID Connect sign-in: a municipality's provider settings, and the public list of providers."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec
from msgspec import Meta, Struct

from booking.domain.people.roles import Role

Issuer = Annotated[str, Meta(min_length=1, max_length=500, examples=["https://login.microsoftonline.com/<tenant>/v2.0"],
                             description="The provider's issuer URL (https); discovery is read from "
                                         "`{issuer}/.well-known/openid-configuration`.")]
ClientId = Annotated[str, Meta(min_length=1, max_length=255, pattern=r"^[\x21-\x7E]+$")]
Scope = Annotated[str, Meta(min_length=1, max_length=100)]
Claim = Annotated[str, Meta(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9_:.\-/]+$",
                            examples=["groups", "roles"])]
ClaimValue = Annotated[str, Meta(min_length=1, max_length=255)]


class RoleMapping(Struct, forbid_unknown_fields=True):
    """A value of the claim (a group's object id or name, an app role) and the role it gives here."""

    value: ClaimValue
    role: Annotated[Role, Meta(description="admin, premises_staff, activities_staff or lending_staff.")]
    site_id: Annotated[UUID | None, Meta(description="A staff role narrowed to one site.")] = None


class SignInSettingsUpdate(Struct, forbid_unknown_fields=True):
    issuer: Issuer
    client_id: ClientId
    client_secret: Annotated[ClientId | None, Meta(description="Write-only. Omit (or null) to keep the stored "
                                                               "secret.")] = None
    scopes: Annotated[list[Scope], Meta(min_length=1, max_length=20)] = msgspec.field(
        default_factory=lambda: ["openid", "email", "profile"])
    claim: Claim = "groups"
    mappings: Annotated[list[RoleMapping], Meta(max_length=100)] = msgspec.field(default_factory=list)
    create_accounts: bool = False
    enabled: bool = False


class SignInSettings(Struct):
    municipality_id: UUID
    issuer: str
    client_id: str
    has_secret: bool
    scopes: list[str]
    claim: str
    mappings: list[RoleMapping]
    create_accounts: bool
    enabled: bool
    redirect_uri: Annotated[str, Meta(description="The redirect URI to register with the provider.")]
    created_at: datetime | None
    updated_at: datetime | None


class SignInProvider(Struct):
    municipality_id: UUID
    slug: str
    name: str
    start_url: Annotated[str, Meta(description="Send the browser here to sign in with the provider.")]


class SignInProviders(Struct):
    items: list[SignInProvider]
