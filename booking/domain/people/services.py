"""Use cases for accounts, sign-in and associations."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field, replace
from typing import Any
from uuid import UUID

from booking.domain.people.model import (
    Account,
    Association,
    AssociationCategory,
    ContactPerson,
    normalize_email,
)
from booking.domain.people.ports import PeopleUnitOfWork
from booking.domain.people.roles import Actor, Grant, Role
from booking.domain.shared.audit import AuditEntry
from booking.domain.shared.clock import Clock
from booking.domain.shared.errors import Conflict, Forbidden, NotFound, Unauthenticated, ValidationError
from booking.domain.shared.keep import KEEP
from booking.domain.shared.ports import PasswordHasher
from booking.domain.shared.tenancy import of_municipality

MIN_PASSWORD = 10
MAX_PASSWORD = 1024


def check_password(password: str, field: str = "password") -> str:
    if len(password) < MIN_PASSWORD:
        raise ValidationError(field, f"At least {MIN_PASSWORD} characters.", "too-short")
    if len(password) > MAX_PASSWORD:
        raise ValidationError(field, f"At most {MAX_PASSWORD} characters.", "too-long")
    return password


@dataclass(frozen=True)
class CreateAccount:
    email: str
    display_name: str
    password: str
    locale: str = "sv"
    grants: tuple[Grant, ...] = ()


@dataclass(frozen=True)
class UpdateAccount:
    account_id: UUID
    changes: dict[str, Any] = field(default_factory=dict)  # display_name, locale, is_active, grants


async def _check_grants(uow: PeopleUnitOfWork, municipality_id: UUID, grants: tuple[Grant, ...] | list[Grant]) -> None:
    for i, grant in enumerate(grants):
        if grant.role == Role.ASSOCIATION_REP:
            if grant.scope_id is None:
                raise ValidationError(f"roles[{i}].scope_id", "An association representative needs an association.")
            of_municipality(await uow.associations.get(grant.scope_id),
                            municipality_id, "association", grant.scope_id, f"roles[{i}].scope_id")
        elif grant.scope_id is not None:
            of_municipality(await uow.sites.get(grant.scope_id),
                            municipality_id, "site", grant.scope_id, f"roles[{i}].scope_id")


async def create_account(
    cmd: CreateAccount, uow: PeopleUnitOfWork, hasher: PasswordHasher, municipality_id: UUID, actor: Actor | None
) -> Account:
    """An account made by an admin (actor given), or without roles (actor None). Self-registration
    goes through `registration.register`, which does not say whether an address is taken."""
    check_password(cmd.password)
    async with uow:
        account = Account(
            municipality_id=municipality_id, email=cmd.email, display_name=cmd.display_name,
            locale=cmd.locale,
        )
        if await uow.accounts.by_email(account.email) is not None:
            raise Conflict("An account with this e-mail address already exists.", [{"field": "email"}])
        if cmd.grants:
            if actor is None or not actor.is_admin:
                raise Forbidden("Only a municipality admin gives roles.")
            await _check_grants(uow, municipality_id, cmd.grants)
            account.set_grants(list(cmd.grants))
        account.password_hash = await hasher.hash(cmd.password)
        uow.accounts.add(account)
        uow.audit(AuditEntry(
            municipality_id, actor.account_id if actor else account.id, "account.created", "account", account.id,
            {"roles": sorted(f"{g.role}:{g.scope_id or ''}" for g in account.grants)},
        ))
        await uow.commit()
        return account


async def update_account(cmd: UpdateAccount, uow: PeopleUnitOfWork, actor: Actor) -> Account:
    async with uow:
        account = await uow.accounts.get(cmd.account_id)
        if account is None or account.municipality_id != actor.municipality_id:
            raise NotFound("Account", cmd.account_id)
        changes = {k: v for k, v in cmd.changes.items() if v is not KEEP}
        if "grants" in changes:
            grants = list(changes.pop("grants"))
            if account.id == actor.account_id and not any(g.role == Role.ADMIN for g in grants):
                raise ValidationError("roles", "You cannot remove your own admin role.")
            await _check_grants(uow, account.municipality_id, grants)
            before = sorted(f"{g.role}:{g.scope_id or ''}" for g in account.grants)
            account.set_grants(grants)
            after = sorted(f"{g.role}:{g.scope_id or ''}" for g in account.grants)
            uow.audit(AuditEntry(actor.municipality_id, actor.account_id, "account.roles_changed", "account",
                                 account.id, {"before": before, "after": after}))
        if changes.get("is_active") is False and account.id == actor.account_id:
            raise ValidationError("is_active", "You cannot deactivate your own account.")
        for key in ("display_name", "locale", "is_active"):
            if key in changes:
                setattr(account, key, changes[key])
        account.__post_init__()
        if set(changes) - {"grants"}:
            uow.audit(AuditEntry(actor.municipality_id, actor.account_id, "account.updated", "account",
                                 account.id, {"fields": sorted(changes)}))
        await uow.commit()
        return account


async def authenticate(email: str, password: str, uow: PeopleUnitOfWork, hasher: PasswordHasher,
                       clock: Clock) -> Account:
    """Check a password. Unknown e-mail and wrong password answer the same, after the same
    amount of hashing work, so neither the answer nor its timing tells which accounts exist.

    The slow hash runs outside any transaction (on SQLite a transaction here would hold the
    writer lock for the whole hash); only recording the sign-in writes."""
    try:
        email = normalize_email(email)
    except ValidationError:
        await hasher.hash(password[:MAX_PASSWORD])  # costs what a verify costs
        raise Unauthenticated("Wrong e-mail address or password.") from None
    async with uow:
        account = await uow.accounts.by_email(email)
        stored = None if account is None or not account.is_active else account.password_hash
        account_id = account.id if account is not None else None
    if stored is None or account_id is None:
        await hasher.hash(password[:MAX_PASSWORD])
        raise Unauthenticated("Wrong e-mail address or password.")
    if len(password) > MAX_PASSWORD or not await hasher.verify(stored, password):
        raise Unauthenticated("Wrong e-mail address or password.")
    new_hash = await hasher.hash(password) if hasher.needs_rehash(stored) else None
    async with uow:
        account = await uow.accounts.get(account_id)
        if account is None or not account.is_active:  # deactivated meanwhile
            raise Unauthenticated("Wrong e-mail address or password.")
        if new_hash is not None:
            account.password_hash = new_hash
        account.last_login_at = clock.now()
        await uow.commit()
        return account


# --- associations -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RegisterAssociation:
    name: str
    org_number: str
    category: AssociationCategory = AssociationCategory.OTHER
    area_id: UUID | None = None
    is_local: bool = True
    public_name: bool = False
    contacts: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True)
class UpdateAssociation:
    association_id: UUID
    changes: dict[str, Any] = field(default_factory=dict)


def _contacts(raw: tuple[dict[str, Any], ...] | list[dict[str, Any]]) -> list[ContactPerson]:
    if len(raw) > 20:
        raise ValidationError("contacts", "At most 20 contact persons.", "too-long")
    out = []
    for i, item in enumerate(raw):
        try:
            out.append(ContactPerson(**item))
        except ValidationError as exc:  # name the contact: contacts[1].email
            exc.problems = [replace(p, field=p.field.replace("contacts.", f"contacts[{i}].", 1)) for p in exc.problems]
            raise
    return out


def may_see_association(actor: Actor, association: Association) -> bool:
    if association.municipality_id != actor.municipality_id:
        return False
    return actor.has(Role.PREMISES_STAFF, Role.ACTIVITIES_STAFF) or actor.represents(association.id)


async def register_association(cmd: RegisterAssociation, uow: PeopleUnitOfWork, actor: Actor) -> Association:
    """Any signed-in person registers an association and becomes its representative;
    staff verify it before it may book."""
    async with uow:
        association = Association(
            municipality_id=actor.municipality_id, name=cmd.name, org_number=cmd.org_number,
            category=cmd.category, area_id=cmd.area_id, is_local=cmd.is_local, public_name=cmd.public_name,
        )
        association.contacts = _contacts(cmd.contacts)
        if cmd.area_id is not None:
            of_municipality(await uow.areas.get(cmd.area_id), actor.municipality_id, "area", cmd.area_id, "area_id")
        existing = await uow.associations.by_org_number(actor.municipality_id, association.org_number)
        if existing is not None:
            raise Conflict(
                "An association with this organisationsnummer is already registered; "
                "ask its representative or the municipality to add you.",
                [{"field": "org_number"}],
            )
        uow.associations.add(association)
        if not actor.is_admin:
            account = await uow.accounts.get(actor.account_id)
            if account is None:
                raise NotFound("Account", actor.account_id)
            account.grant(Role.ASSOCIATION_REP, association.id)
        uow.audit(AuditEntry(actor.municipality_id, actor.account_id, "association.registered", "association",
                             association.id, {"org_number": association.org_number}))
        await uow.commit()
        return association


async def get_association(association_id: UUID, uow: PeopleUnitOfWork, actor: Actor) -> Association:
    async with uow:
        association = await uow.associations.get(association_id)
        if association is None or not may_see_association(actor, association):
            raise NotFound("Association", association_id)
        return association


async def update_association(cmd: UpdateAssociation, uow: PeopleUnitOfWork, actor: Actor) -> Association:
    async with uow:
        association = await uow.associations.get(cmd.association_id)
        if association is None or not may_see_association(actor, association):
            raise NotFound("Association", cmd.association_id)
        changes = {k: v for k, v in cmd.changes.items() if v is not KEEP}
        if "org_number" in changes and not actor.has(Role.PREMISES_STAFF):
            raise Forbidden("Only staff change an organisationsnummer once registered.")
        if "tariff_category" in changes:
            if not actor.has(Role.PREMISES_STAFF):
                raise Forbidden("Only staff set an association's tariff.")
            value = changes.pop("tariff_category")
            association.tariff_category = str(value) if value is not None else None
        if "contacts" in changes:
            association.contacts[:] = _contacts(changes.pop("contacts"))
        for key in ("name", "org_number", "category", "area_id", "is_local", "public_name"):
            if key in changes:
                setattr(association, key, changes[key])
        association.__post_init__()
        if "org_number" in changes:
            other = await uow.associations.by_org_number(association.municipality_id, association.org_number)
            if other is not None and other.id != association.id:
                raise Conflict("Another association has this organisationsnummer.", [{"field": "org_number"}])
            association.unverify()
        uow.audit(AuditEntry(actor.municipality_id, actor.account_id, "association.updated", "association",
                             association.id, {"fields": sorted(changes)}))
        await uow.commit()
        return association


async def verify_association(association_id: UUID, verified: bool, uow: PeopleUnitOfWork, actor: Actor,
                             clock: Clock) -> Association:
    async with uow:
        association = await uow.associations.get(association_id)
        if association is None or association.municipality_id != actor.municipality_id:
            raise NotFound("Association", association_id)
        if verified:
            association.verify(actor.account_id, clock.now())
        else:
            association.unverify()
        uow.audit(AuditEntry(actor.municipality_id, actor.account_id,
                             "association.verified" if verified else "association.unverified",
                             "association", association.id, {}))
        await uow.commit()
        return association


async def rotate_feed_token(association_id: UUID, uow: PeopleUnitOfWork, actor: Actor) -> str:
    """A new private calendar-feed token for the association (the old link stops working).
    Returned once; only its SHA-256 is stored. 256 random bits."""
    async with uow:
        association = await uow.associations.get(association_id)
        if association is None or not may_see_association(actor, association):
            raise NotFound("Association", association_id)
        token = secrets.token_urlsafe(32)
        association.feed_token_hash = hashlib.sha256(token.encode()).hexdigest()
        uow.audit(AuditEntry(actor.municipality_id, actor.account_id, "association.feed_token_rotated",
                             "association", association.id, {}))
        await uow.commit()
        return token
