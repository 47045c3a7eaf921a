"""Use cases for accounts: an admin creates and changes them and their roles; a person signs in.

Associations have their own module (`associations.py`); self-registration too (`registration.py`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from booking.domain.people.model import Account, normalize_email
from booking.domain.people.passwords import MAX_PASSWORD, check_password
from booking.domain.people.ports import PeopleUnitOfWork
from booking.domain.people.roles import Actor, Grant, Role
from booking.domain.shared.audit import AuditEntry
from booking.domain.shared.clock import Clock
from booking.domain.shared.errors import Conflict, Forbidden, Unauthenticated, ValidationError
from booking.domain.shared.keep import KEEP
from booking.domain.shared.ports import PasswordHasher
from booking.domain.shared.tenancy import of_municipality

WRONG_CREDENTIALS = "Wrong e-mail address or password."


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


async def _check_grants(uow: PeopleUnitOfWork, municipality_id: UUID, grants: Sequence[Grant]) -> None:
    """Each grant's scope is an association (representatives) or a site (narrowed staff) of the same
    municipality; another municipality's is refused as unknown, naming the grant."""
    for i, grant in enumerate(grants):
        field_name = f"roles[{i}].scope_id"
        if grant.role == Role.ASSOCIATION_REP:
            if grant.scope_id is None:
                raise ValidationError(field_name, "An association representative needs an association.")
            of_municipality(await uow.associations.get(grant.scope_id),
                            municipality_id, "association", grant.scope_id, field_name)
        elif grant.scope_id is not None:
            of_municipality(await uow.sites.get(grant.scope_id), municipality_id, "site", grant.scope_id, field_name)


async def _account(uow: PeopleUnitOfWork, account_id: UUID, actor: Actor) -> Account:
    return of_municipality(await uow.accounts.get(account_id), actor.municipality_id, "account", account_id)


async def get_account(account_id: UUID, uow: PeopleUnitOfWork, actor: Actor) -> Account:
    """An account of the actor's municipality (another municipality's does not exist for them)."""
    async with uow:
        return await _account(uow, account_id, actor)


async def create_account(
    cmd: CreateAccount, uow: PeopleUnitOfWork, hasher: PasswordHasher, municipality_id: UUID, actor: Actor | None
) -> Account:
    """An account made by an admin (actor given), or without roles (actor None). Self-registration
    goes through `registration.register`, which does not say whether an address is taken."""
    check_password(cmd.password)
    async with uow:
        account = Account(municipality_id=municipality_id, email=cmd.email, display_name=cmd.display_name,
                          locale=cmd.locale)
        if await uow.accounts.by_email(account.email) is not None:
            raise Conflict("An account with this e-mail address already exists.", [{"field": "email"}])
        if cmd.grants:
            if actor is None or not actor.is_admin:
                raise Forbidden("Only a municipality admin gives roles.")
            await _check_grants(uow, municipality_id, cmd.grants)
            account.set_grants(list(cmd.grants))
        account.password_hash = await hasher.hash(cmd.password)
        uow.accounts.add(account)
        uow.audit(AuditEntry(municipality_id, actor.account_id if actor else account.id, "account.created",
                             "account", account.id, {"roles": account.grant_labels()}))
        await uow.commit()
        return account


async def update_account(cmd: UpdateAccount, uow: PeopleUnitOfWork, actor: Actor) -> Account:
    """Change an account's name, language, active flag or roles (the roles given replace the old set)."""
    given = {k: v for k, v in cmd.changes.items() if v is not KEEP}
    async with uow:
        account = await _account(uow, cmd.account_id, actor)
        if "grants" in given:
            grants = list(given.pop("grants"))
            account.check_keeps_own_admin(grants, by=actor)
            await _check_grants(uow, account.municipality_id, grants)
            before = account.grant_labels()
            account.set_grants(grants)
            uow.audit(AuditEntry(actor.municipality_id, actor.account_id, "account.roles_changed", "account",
                                 account.id, {"before": before, "after": account.grant_labels()}))
        account.change(actor, **given)
        if given:
            uow.audit(AuditEntry(actor.municipality_id, actor.account_id, "account.updated", "account",
                                 account.id, {"fields": sorted(given)}))
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
        raise Unauthenticated(WRONG_CREDENTIALS) from None
    async with uow:
        account = await uow.accounts.by_email(email)
        stored = account.password_hash if account is not None and account.is_active else None
        account_id = account.id if account is not None else None
    if stored is None or account_id is None:
        await hasher.hash(password[:MAX_PASSWORD])
        raise Unauthenticated(WRONG_CREDENTIALS)
    if len(password) > MAX_PASSWORD or not await hasher.verify(stored, password):
        raise Unauthenticated(WRONG_CREDENTIALS)
    new_hash = await hasher.hash(password) if hasher.needs_rehash(stored) else None
    async with uow:
        account = await uow.accounts.get(account_id)
        if account is None or not account.is_active:  # deactivated meanwhile
            raise Unauthenticated(WRONG_CREDENTIALS)
        account.signed_in(clock.now(), new_hash)
        await uow.commit()
        return account
