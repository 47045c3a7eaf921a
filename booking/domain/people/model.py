"""Accounts and associations."""

from __future__ import annotations

import hashlib
import re
import secrets
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from booking.domain.people.orgnr import normalize_org_number
from booking.domain.people.roles import SCOPED_ROLES, Actor, Grant, Role
from booking.domain.shared.errors import Forbidden, ValidationError
from booking.domain.shared.ids import new_id
from booking.domain.shared.keep import KEEP, Keep
from booking.domain.shared.tenancy import belongs
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

    def grant_labels(self) -> list[str]:
        """The grants as the audit log records them: "role:scope" (scope empty when municipality-wide)."""
        return sorted(f"{g.role}:{g.scope_id or ''}" for g in self.grants)

    def check_keeps_own_admin(self, grants: Iterable[Grant], by: Actor) -> None:
        """An admin never takes their own admin role away (the municipality could be left without one)."""
        if self.id == by.account_id and not any(g.role == Role.ADMIN for g in grants):
            raise ValidationError("roles", "You cannot remove your own admin role.")

    def change(self, by: Actor, display_name: str | Keep = KEEP, locale: str | Keep = KEEP,
               is_active: bool | Keep = KEEP) -> None:
        """Rename, switch language or (de)activate; nobody deactivates their own account."""
        if is_active is False and self.id == by.account_id:
            raise ValidationError("is_active", "You cannot deactivate your own account.")
        if display_name is not KEEP:
            self.display_name = display_name
        if locale is not KEEP:
            self.locale = locale
        if is_active is not KEEP:
            self.is_active = is_active
        self.__post_init__()

    def signed_in(self, at: datetime, new_hash: str | None = None) -> None:
        """Record a sign-in; a hash made with stronger parameters replaces the stored one."""
        if new_hash is not None:
            self.password_hash = new_hash
        self.last_login_at = at

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

    def visible_to(self, actor: Actor) -> bool:
        """Staff of its municipality see it, and its own representatives; for anyone else it does not exist."""
        if not belongs(self, actor.municipality_id):
            return False
        return actor.has(Role.PREMISES_STAFF, Role.ACTIVITIES_STAFF) or actor.represents(self.id)

    def change(self, by: Actor, **changes: Any) -> None:
        """Apply a partial update (the fields given, contacts as dicts). Only staff change the
        organisationsnummer or the tariff; a new organisationsnummer must be verified again."""
        if "org_number" in changes and not by.has(Role.PREMISES_STAFF):
            raise Forbidden("Only staff change an organisationsnummer once registered.")
        if "tariff_category" in changes:
            if not by.has(Role.PREMISES_STAFF):
                raise Forbidden("Only staff set an association's tariff.")
            value = changes["tariff_category"]
            self.tariff_category = str(value) if value is not None else None
        if "contacts" in changes:
            self.contacts[:] = contact_persons(changes["contacts"])
        for key in ASSOCIATION_FIELDS:
            if key in changes:
                setattr(self, key, changes[key])
        self.__post_init__()
        if "org_number" in changes:
            self.unverify()

    def rotate_feed_token(self) -> str:
        """A new private calendar-feed token (256 random bits), returned once: only its SHA-256 is kept,
        so the previous link stops working."""
        token = secrets.token_urlsafe(32)
        self.feed_token_hash = feed_token_hash(token)
        return token


def feed_token_hash(token: str) -> str:
    """What is stored of a private feed token, and what a presented one is looked up by."""
    return hashlib.sha256(token.encode()).hexdigest()


def associations_visible_to(actor: Actor) -> set[UUID] | None:
    """The associations of its municipality the actor sees (`Association.visible_to`): every one for
    staff (None), else those it represents."""
    if actor.has(Role.PREMISES_STAFF, Role.ACTIVITIES_STAFF):
        return None
    return {g.scope_id for g in actor.grants if g.role == Role.ASSOCIATION_REP and g.scope_id is not None}


ASSOCIATION_FIELDS = ("name", "org_number", "category", "area_id", "is_local", "public_name")
MAX_CONTACTS = 20


def contact_persons(raw: Iterable[dict[str, Any]]) -> list[ContactPerson]:
    """An association's contact persons, each checked; a fault names the contact (contacts[1].email)."""
    items = list(raw)
    if len(items) > MAX_CONTACTS:
        raise ValidationError("contacts", f"At most {MAX_CONTACTS} contact persons.", "too-long")
    out = []
    for i, item in enumerate(items):
        try:
            out.append(ContactPerson(**item))
        except ValidationError as exc:
            exc.problems = [replace(p, field=p.field.replace("contacts.", f"contacts[{i}].", 1)) for p in exc.problems]
            raise
    return out
