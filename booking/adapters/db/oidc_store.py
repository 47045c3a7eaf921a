"""Storage of OpenID Connect sign-in: the settings and subject links (in the unit of work's transaction),
and the sign-ins under way (their own short transactions, like the auth store's)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from booking.adapters.db import tables as t
from booking.adapters.db.auth_store import token_hash
from booking.adapters.db.database import Database
from booking.adapters.db.tables_oidc import oidc_identities, oidc_pending_sign_ins, oidc_settings
from booking.domain.people.roles import Role
from booking.domain.people.sign_in_config import RoleMapping, SignInConfig
from booking.domain.shared.ids import new_id


def _config(row: Any) -> SignInConfig:
    config = SignInConfig.__new__(SignInConfig)  # stored settings were checked when saved
    config.__dict__.update(
        id=row.id, municipality_id=row.municipality_id, issuer=row.issuer, client_id=row.client_id,
        client_secret=row.client_secret, scopes=list(row.scopes), claim=row.claim,
        mappings=[RoleMapping(m["value"], Role(m["role"]), UUID(m["site_id"]) if m.get("site_id") else None)
                  for m in row.mappings],
        create_accounts=row.create_accounts, enabled=row.enabled, created_at=row.created_at,
        updated_at=row.updated_at)
    return config


class SqlSignInConfigs:
    """`SignInConfigs` on the unit of work's session (`uow.sign_in_configs`): inside its transaction."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, municipality_id: UUID) -> SignInConfig | None:
        row = (await self.session.execute(
            sa.select(oidc_settings).where(oidc_settings.c.municipality_id == municipality_id))).one_or_none()
        return _config(row) if row is not None else None

    async def save(self, config: SignInConfig) -> None:
        values = {
            "issuer": config.issuer, "client_id": config.client_id, "client_secret": config.client_secret,
            "scopes": list(config.scopes), "claim": config.claim,
            "mappings": [{"value": m.value, "role": m.role.value, "site_id": str(m.site_id) if m.site_id else None}
                         for m in config.mappings],
            "create_accounts": config.create_accounts, "enabled": config.enabled,
        }
        session = self.session
        updated = await session.execute(sa.update(oidc_settings)
                                        .where(oidc_settings.c.municipality_id == config.municipality_id)
                                        .values(**values))
        if updated.rowcount == 0:  # type: ignore[attr-defined]
            await session.execute(sa.insert(oidc_settings).values(
                id=config.id, municipality_id=config.municipality_id, **values))

    async def account_for(self, issuer: str, subject: str) -> UUID | None:
        return (await self.session.execute(
            sa.select(oidc_identities.c.account_id)
            .where(oidc_identities.c.issuer == issuer, oidc_identities.c.subject == subject))).scalar_one_or_none()

    async def link(self, municipality_id: UUID, issuer: str, subject: str, account_id: UUID) -> None:
        session = self.session
        await session.flush()  # a new account's row first (the link refers to it)
        await session.execute(sa.insert(oidc_identities).values(
            id=new_id(), municipality_id=municipality_id, issuer=issuer, subject=subject, account_id=account_id))


@dataclass(frozen=True)
class PendingSignIn:
    municipality_id: UUID
    nonce: str
    code_verifier: str
    return_path: str
    expires_at: datetime


@dataclass(frozen=True)
class ProviderRow:
    municipality_id: UUID
    slug: str
    name: str


class SignInStore:
    """The sign-ins under way between the start and the provider's callback, in the database so that any
    worker takes the callback (`take` deletes the row as it reads it, so a state is used once); and the
    public read of which municipalities have sign-in enabled."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def put(self, municipality_id: UUID, state: str, nonce: str, code_verifier: str, return_path: str,
                  now: datetime, lifetime: timedelta) -> None:
        async with self.db.write_sessions() as session, session.begin():
            # Sign-ins nobody finished go at the next start: the table holds only the last ten minutes'.
            await session.execute(sa.delete(oidc_pending_sign_ins).where(oidc_pending_sign_ins.c.expires_at < now))
            await session.execute(sa.insert(oidc_pending_sign_ins).values(
                id=new_id(), municipality_id=municipality_id, state_hash=token_hash(state), nonce=nonce,
                code_verifier=code_verifier, return_path=return_path, expires_at=now + lifetime,
                created_at=now, updated_at=now))

    async def take(self, state: str, now: datetime) -> PendingSignIn | None:
        """The sign-in of `state`, removed in the same statement (two callbacks racing: one gets it);
        None when unknown, already taken or expired."""
        async with self.db.write_sessions() as session, session.begin():
            row = (await session.execute(
                sa.delete(oidc_pending_sign_ins).where(oidc_pending_sign_ins.c.state_hash == token_hash(state))
                .returning(oidc_pending_sign_ins.c.municipality_id, oidc_pending_sign_ins.c.nonce,
                           oidc_pending_sign_ins.c.code_verifier, oidc_pending_sign_ins.c.return_path,
                           oidc_pending_sign_ins.c.expires_at))).one_or_none()
        if row is None or row.expires_at <= now:
            return None
        return PendingSignIn(row.municipality_id, row.nonce, row.code_verifier, row.return_path, row.expires_at)

    async def enabled(self, municipality_id: UUID | None) -> list[ProviderRow]:
        m = t.municipalities
        query = (sa.select(m.c.id, m.c.slug, m.c.name)
                 .join(oidc_settings, oidc_settings.c.municipality_id == m.c.id)
                 .where(oidc_settings.c.enabled.is_(True)).order_by(m.c.name))
        if municipality_id is not None:
            query = query.where(m.c.id == municipality_id)
        async with self.db.read_sessions() as session:
            rows = (await session.execute(query)).all()
        return [ProviderRow(r.id, r.slug, r.name) for r in rows]
