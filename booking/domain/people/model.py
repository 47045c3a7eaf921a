"""Accounts and associations."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from booking.domain.people.orgnr import normalize_org_number
from booking.domain.people.roles import SCOPED_ROLES, Actor, Grant, Role
from booking.domain.shared.errors import ValidationError
from booking.domain.shared.ids import new_id
from booking.domain.shared.text import clean_name

_EMAIL = re.compile(r"^[^@\s<>\"']{1,64}@[^@\s<>\"']+\.[^@\s<>\"'.]{2,}$")
LOCALES = ("sv", "en")


def normalize_email(value: str, field: str = "email") -> str:
    value = value.strip()
    if len(value) > 254 or not _EMAIL.match(value) or any(unicodedata.category(c)[0] == "C" for c in value):
        raise ValidationError(field, "Not an e-mail address.", "format")
    # Stored lower-case: people do not remember how they capitalised their address.
    return value.lower()


def check_phone(value: str | None, field: str = "phone") -> str | None:
    if value is None or not value.strip():
        return None
    digits = re.sub(r"[\s\-()]", "", value)
    if not re.fullmatch(r"\+?\d{6,15}", digits):
        raise ValidationError(field, "A phone number has 6-15 digits, optionally starting with +.", "format")
    return digits


@dataclass(eq=False)
class RoleGrant:
    role: Role
    scope_id: UUID | None = None
    id: UUID = field(default_factory=new_id)
    account_id: UUID | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass(eq=False)
class Account:
    municipality_id: UUID
    email: str
    display_name: str
    password_hash: str | None = None
    locale: str = "sv"
    is_active: bool = True
    id: UUID = field(default_factory=new_id)
    grants: list[RoleGrant] = field(default_factory=list)
    last_login_at: datetime | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None

    def __post_init__(self) -> None:
        self.email = normalize_email(self.email)
        self.display_name = clean_name(self.display_name, "display_name")
        if self.locale not in LOCALES:
            raise ValidationError("locale", "sv or en.")

    def grant(self, role: Role, scope_id: UUID | None = None) -> None:
        if role in SCOPED_ROLES and scope_id is None:
            raise ValidationError("roles", f"The role {role} needs a scope_id.")
        if any(g.role == role and g.scope_id == scope_id for g in self.grants):
            return
        self.grants.append(RoleGrant(role=Role(role), scope_id=scope_id))

    def set_grants(self, grants: list[Grant]) -> None:
        wanted = {(Role(g.role), g.scope_id) for g in grants}
        for g in wanted:
            if g[0] in SCOPED_ROLES and g[1] is None:
                raise ValidationError("roles", f"The role {g[0]} needs a scope_id.")
        self.grants[:] = [g for g in self.grants if (g.role, g.scope_id) in wanted]
        have = {(g.role, g.scope_id) for g in self.grants}
        for role, scope in sorted(wanted - have, key=lambda x: (x[0], str(x[1]))):
            self.grants.append(RoleGrant(role=role, scope_id=scope))

    def actor(self) -> Actor:
        return Actor(
            account_id=self.id,
            municipality_id=self.municipality_id,
            grants=frozenset(Grant(Role(g.role), g.scope_id) for g in self.grants),
        )


class AssociationCategory(StrEnum):
    """Drives priority in allocation rounds and the tariff (later issues)."""

    YOUTH = "youth"  # barn- och ungdomsförening
    ADULT = "adult"
    PENSIONERS = "pensioners"
    DISABILITY = "disability"  # förening för personer med funktionsnedsättning
    STUDY = "study"  # studieförbund
    OTHER = "other"


@dataclass(eq=False)
class ContactPerson:
    name: str
    email: str | None = None
    phone: str | None = None
    role: str | None = None
    id: UUID = field(default_factory=new_id)
    association_id: UUID | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None

    def __post_init__(self) -> None:
        self.name = clean_name(self.name, "contacts.name")
        self.email = normalize_email(self.email, "contacts.email") if self.email else None
        self.phone = check_phone(self.phone, "contacts.phone")
        self.role = clean_name(self.role, "contacts.role") if self.role else None


@dataclass(eq=False)
class Association:
    municipality_id: UUID
    name: str
    org_number: str
    category: AssociationCategory = AssociationCategory.OTHER
    area_id: UUID | None = None
    is_local: bool = True
    public_name: bool = False  # may the name appear in public calendars?
    id: UUID = field(default_factory=new_id)
    contacts: list[ContactPerson] = field(default_factory=list)
    verified_at: datetime | None = None
    verified_by: UUID | None = None
    feed_token_hash: str | None = None  # SHA-256 of the private feed token; rotating replaces it
    tariff_category: str | None = None  # set by staff; None: follows the association's category
    created_at: datetime | None = None
    updated_at: datetime | None = None

    def __post_init__(self) -> None:
        self.name = clean_name(self.name)
        self.org_number = normalize_org_number(self.org_number)
        self.category = AssociationCategory(self.category)

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None

    def verify(self, by: UUID, at: datetime) -> None:
        self.verified_at = at
        self.verified_by = by

    def unverify(self) -> None:
        self.verified_at = None
        self.verified_by = None
