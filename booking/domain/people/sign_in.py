"""Signing staff in with the municipality's identity provider: claims -> grants, and create-or-refuse.

The provider's word decides the roles it manages (`SignInConfig.managed_roles`: those some mapping
gives). On every sign-in the account's grants of those roles become what the mapping gives now; grants
of other roles (an association's representative, say) stay as they are. A person whose values map to no
role is refused, and no account is made; an existing account then loses its managed grants.

The account is found by the provider's subject (stored at the first sign-in, with the issuer), else by
e-mail address when the provider vouches for it (`email_verified`). An account of another municipality,
or a deactivated one, is refused.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import Any
from uuid import UUID

from booking.domain.people.model import Account, normalize_email
from booking.domain.people.ports import PeopleUnitOfWork
from booking.domain.people.roles import Actor, Grant, Role
from booking.domain.people.sign_in_config import RoleMapping, SignInConfig
from booking.domain.people.sign_in_ports import Identity, SignInUnitOfWork
from booking.domain.shared.audit import AuditEntry
from booking.domain.shared.clock import Clock
from booking.domain.shared.errors import DomainError, ValidationError
from booking.domain.shared.tenancy import of_municipality
from booking.domain.shared.text import clean_name


class Refusal(StrEnum):
    """Why a sign-in was refused; the login page shows a text for each."""

    NOT_ENABLED = "not-enabled"  # no (enabled) provider for the municipality
    PROVIDER = "provider"  # the provider answered an error, or could not be reached
    STATE = "state"  # unknown, used or expired sign-in (a replayed or forged callback)
    UNVERIFIED = "unverified"  # the id_token failed a check (signature, issuer, audience, time, nonce)
    NO_ROLE = "no-role"  # the claim's values map to no role here
    NO_ACCOUNT = "no-account"  # no account, and the settings create none
    NO_EMAIL = "no-email"  # an account would be created, but the provider gave no usable address
    EMAIL_TAKEN = "email-taken"  # the address is another account's, and the provider does not vouch for it
    DEACTIVATED = "deactivated"
    OTHER_MUNICIPALITY = "other-municipality"


class SignInRefused(DomainError):
    code = "sign-in-refused"

    def __init__(self, reason: Refusal, detail: str, account_id: UUID | None = None) -> None:
        super().__init__(detail)
        self.reason = reason
        self.account_id = account_id


def claim_values(claims: Mapping[str, Any], claim: str) -> tuple[str, ...]:
    """The claim's values: a string is one value (Keycloak may send one role as a string), a list of
    strings is many; anything else is none."""
    value = claims.get(claim)
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list):
        return tuple(v for v in value if isinstance(v, str))
    return ()


def grants_for(values: Iterable[str], mappings: Iterable[RoleMapping]) -> frozenset[Grant]:
    """The grants the values give (exact, case-sensitive match: group object ids, role names)."""
    have = set(values)
    return frozenset(m.grant for m in mappings if m.value in have)


def _display_name(identity: Identity, email: str) -> str:
    if identity.name:
        try:
            return clean_name(identity.name, "name", 200)
        except ValidationError:
            pass
    local = re.sub(r"[^\w\-.' ]|_", " ", email.split("@", 1)[0]).strip()
    return clean_name(local or "Staff", "name", 200)


def _refuse(uow: PeopleUnitOfWork, account: Account | None, reason: Refusal, detail: str) -> SignInRefused:
    if account is not None:
        uow.audit(AuditEntry(account.municipality_id, account.id, "account.sign_in_refused", "account", account.id,
                             {"reason": reason.value, "method": "oidc"}))
    return SignInRefused(reason, detail, account.id if account else None)


async def _find_account(uow: SignInUnitOfWork, identity: Identity) -> tuple[Account | None, bool]:
    """The account and whether it still needs its link to the subject."""
    linked = await uow.sign_in_configs.account_for(identity.issuer, identity.subject)
    if linked is not None:
        account = await uow.accounts.get(linked)
        if account is not None:
            return account, False
    if identity.email and identity.email_verified:
        try:
            return await uow.accounts.by_email(normalize_email(identity.email)), True
        except ValidationError:
            return None, True
    return None, True


async def _new_account(uow: PeopleUnitOfWork, config: SignInConfig, identity: Identity) -> Account:
    if not config.create_accounts:
        raise SignInRefused(Refusal.NO_ACCOUNT, "There is no account for this person, and the sign-in settings "
                                                "create none.")
    try:
        email = normalize_email(identity.email or "")
    except ValidationError:
        raise SignInRefused(Refusal.NO_EMAIL, "The identity provider gave no usable e-mail address.") from None
    if await uow.accounts.by_email(email) is not None:
        raise SignInRefused(Refusal.EMAIL_TAKEN, "Another account has this e-mail address, and the identity "
                                                 "provider does not say it is verified.")
    account = Account(municipality_id=config.municipality_id, email=email,
                      display_name=_display_name(identity, email))
    uow.accounts.add(account)
    uow.audit(AuditEntry(account.municipality_id, account.id, "account.created", "account", account.id,
                         {"method": "oidc", "issuer": identity.issuer}))
    return account


async def enabled_config(uow: SignInUnitOfWork, municipality_id: UUID) -> SignInConfig:
    """The municipality's settings, when its sign-in is enabled; else SignInRefused (`not-enabled`).
    Read in the caller's transaction."""
    config = await uow.sign_in_configs.get(municipality_id)
    if config is None or not config.enabled:
        raise SignInRefused(Refusal.NOT_ENABLED, "Sign-in with the municipality's account is not enabled.")
    return config


async def sign_in(identity: Identity, municipality_id: UUID, uow: SignInUnitOfWork, clock: Clock) -> Account:
    """The account the verified identity signs in as, its grants updated; or SignInRefused (committed
    first: the refusal's audit entry and the managed grants taken away stay)."""
    async with uow:
        config = await enabled_config(uow, municipality_id)
        account, needs_link = await _find_account(uow, identity)
        if account is not None and account.municipality_id != municipality_id:
            raise SignInRefused(Refusal.OTHER_MUNICIPALITY, "This person's account belongs to another "
                                                            "municipality.")
        if account is not None and not account.is_active:
            error = _refuse(uow, account, Refusal.DEACTIVATED, "The account is deactivated.")
            await uow.commit()
            raise error
        managed = config.managed_roles
        mapped = grants_for(identity.values, config.mappings)
        if not mapped:
            if account is not None:
                _set_managed(uow, account, managed, frozenset())
            error = _refuse(uow, account, Refusal.NO_ROLE, "Your groups in the municipality's directory give no "
                                                           "role in the booking system.")
            await uow.commit()
            raise error
        if account is None:
            account = await _new_account(uow, config, identity)
        _set_managed(uow, account, managed, mapped)
        if needs_link:
            await uow.sign_in_configs.link(municipality_id, identity.issuer, identity.subject, account.id)
        account.signed_in(clock.now())
        await uow.commit()
        return account


def _set_managed(uow: PeopleUnitOfWork, account: Account, managed: frozenset[Role], mapped: frozenset[Grant]) -> None:
    """The account's grants of the managed roles become `mapped` (`set_grants` keeps the others' order)."""
    before = account.grant_labels()
    kept = [Grant(g.role, g.scope_id) for g in account.grants if g.role not in managed]
    account.set_grants(kept + list(mapped))
    if account.grant_labels() != before:
        uow.audit(AuditEntry(account.municipality_id, account.id, "account.roles_changed", "account", account.id,
                             {"roles": account.grant_labels(), "method": "oidc"}))


# --- the settings (admins of the municipality) ------------------------------------------------


async def _check_own_municipality(uow: PeopleUnitOfWork, municipality_id: UUID, actor: Actor) -> None:
    """The settings of the actor's own municipality only: another one's do not exist (404)."""
    of_municipality(await uow.municipalities.get(municipality_id), actor.municipality_id, "municipality",
                    municipality_id)


async def get_config(municipality_id: UUID, uow: SignInUnitOfWork, actor: Actor) -> SignInConfig | None:
    async with uow:
        await _check_own_municipality(uow, municipality_id, actor)
        return await uow.sign_in_configs.get(municipality_id)


async def configure(municipality_id: UUID, changes: dict[str, Any], uow: SignInUnitOfWork,
                    actor: Actor) -> SignInConfig:
    """Replace the settings (the client secret is kept when none is given)."""
    async with uow:
        await _check_own_municipality(uow, municipality_id, actor)
        old = await uow.sign_in_configs.get(municipality_id)
        secret = changes.pop("client_secret", None)
        if secret is None and old is not None:
            secret = old.client_secret
        config = SignInConfig(municipality_id=municipality_id, client_secret=secret, **changes)
        if old is not None:
            config.id, config.created_at = old.id, old.created_at
        for i, mapping in enumerate(config.mappings):
            if mapping.site_id is not None:
                of_municipality(await uow.sites.get(mapping.site_id), municipality_id, "site", mapping.site_id,
                                f"mappings[{i}].site_id")
        await uow.sign_in_configs.save(config)
        uow.audit(AuditEntry(municipality_id, actor.account_id, "sign_in.configured", "municipality",
                             municipality_id, {"issuer": config.issuer, "client_id": config.client_id,
                                               "enabled": config.enabled, "create_accounts": config.create_accounts,
                                               "mappings": len(config.mappings),
                                               "secret_changed": old is None or old.client_secret != secret}))
        await uow.commit()
        return config
