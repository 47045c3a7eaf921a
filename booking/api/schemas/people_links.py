"""Invitations, password resets and the audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

import msgspec
from msgspec import Meta, Struct

from booking.api.schemas.common import Email, Name, Password
from booking.api.schemas.people import Locale, RoleGrant

Token = Annotated[str, Meta(min_length=1, max_length=200, description="The token of the link in the e-mail.")]


class Invitation(Struct, forbid_unknown_fields=True):
    """A person to invite: the account gets these roles and no password; the e-mail carries a link
    (valid 7 days, used once) to choose one."""

    email: Email
    display_name: Name
    locale: Locale = "sv"
    roles: Annotated[list[RoleGrant], Meta(max_length=20)] = msgspec.field(default_factory=list)


class PasswordResetRequest(Struct, forbid_unknown_fields=True):
    email: Email


class PasswordResetAccepted(Struct):
    """The same answer for every address, with or without an account."""

    detail: str


class PasswordSet(Struct, forbid_unknown_fields=True):
    """A new password, through the link of an invitation or a reset (the token from the link)."""

    token: Token
    password: Password


class AuditEntry(Struct):
    id: UUID
    created_at: datetime
    actor_id: UUID | None
    actor_name: str | None
    action: str
    entity: str
    entity_id: UUID
    details: dict[str, Any]


class AuditPage(Struct):
    items: list[AuditEntry]
    total: int
    limit: int
    offset: int
    actions: list[str]
