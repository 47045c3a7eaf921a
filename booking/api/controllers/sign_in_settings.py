"""A municipality's OpenID Connect sign-in settings (its admins): the provider, the client and the mapping
of the provider's claim values to roles. The client secret is write-only: answers say only `has_secret`."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import msgspec
from litestar import Controller, get, put

from booking.adapters.db.uow import SqlUnitOfWork
from booking.api.access import ADMIN_ONLY, guarded
from booking.api.controllers.sign_in_oidc import redirect_uri
from booking.api.schemas import sign_in as s
from booking.config import Settings
from booking.domain.people import sign_in as oidc
from booking.domain.people.roles import Actor
from booking.domain.people.sign_in_config import RoleMapping, SignInConfig
from booking.domain.shared.errors import NotFound


def to_settings(config: SignInConfig, settings: Settings) -> s.SignInSettings:
    return s.SignInSettings(
        municipality_id=config.municipality_id, issuer=config.issuer, client_id=config.client_id,
        has_secret=config.has_secret, scopes=list(config.scopes), claim=config.claim,
        mappings=[s.RoleMapping(m.value, m.role, m.site_id) for m in config.mappings],
        create_accounts=config.create_accounts, enabled=config.enabled, redirect_uri=redirect_uri(settings),
        created_at=config.created_at, updated_at=config.updated_at)


class SignInSettingsController(Controller):
    path = "/api/municipalities/{municipality_id:uuid}/sign-in"
    tags = ["municipalities"]

    @get("/", operation_id="getSignInSettings", **guarded(ADMIN_ONLY))
    async def get_settings(self, municipality_id: UUID, read_uow: SqlUnitOfWork, actor: Actor,
                           settings: Settings) -> s.SignInSettings:
        """The municipality's sign-in settings (404 until they are first saved)."""
        config = await oidc.get_config(municipality_id, read_uow, actor)
        if config is None:
            raise NotFound("Sign-in settings of municipality", municipality_id)
        return to_settings(config, settings)

    @put("/", operation_id="putSignInSettings", **guarded(ADMIN_ONLY))
    async def put_settings(self, municipality_id: UUID, data: s.SignInSettingsUpdate, uow: SqlUnitOfWork,
                           actor: Actor, settings: Settings) -> s.SignInSettings:
        """Replace the settings. Omit `client_secret` to keep the stored one. Enabled settings need the
        secret and at least one mapping."""
        changes: dict[str, Any] = {k: v for k, v in msgspec.structs.asdict(data).items() if k != "mappings"}
        changes["mappings"] = [RoleMapping(m.value, m.role, m.site_id) for m in data.mappings]
        config = await oidc.configure(municipality_id, changes, uow, actor)
        async with uow:  # read back: the stored times
            stored = await uow.sign_in_configs.get(municipality_id)
        return to_settings(stored or config, settings)


HANDLERS: list[Any] = [SignInSettingsController]
