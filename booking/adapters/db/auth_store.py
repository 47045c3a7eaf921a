"""Sign-in sessions, API tokens and login throttling, kept in the database so that
several workers share them."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from booking.adapters.db import tables as t
from booking.adapters.db.database import Database
from booking.domain.people.model import Account
from booking.domain.people.roles import Actor
from booking.domain.shared.ids import new_id

TOKEN_BYTES = 32  # 256 bits


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Resolved:
    actor: Actor | None
    session_id: UUID | None
    kind: str | None
    problem: str | None  # why a presented credential was refused
    locale: str = "sv"
    display_name: str = ""
    email: str = ""


class AuthStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def create(self, account_id: UUID, kind: str, now: datetime, *, lifetime: timedelta,
                     idle: timedelta | None, name: str | None = None) -> tuple[str, datetime]:
        token = secrets.token_urlsafe(TOKEN_BYTES)
        expires = now + lifetime
        async with self.db.write_sessions() as session, session.begin():
            await session.execute(sa.insert(t.auth_sessions).values(
                id=new_id(), token_hash=token_hash(token), account_id=account_id, kind=kind, name=name,
                expires_at=expires, idle_expires_at=(now + idle) if idle else None,
                created_at=now, updated_at=now,
            ))
        return token, expires

    async def resolve(self, token: str, kind: str, now: datetime, idle: timedelta | None) -> Resolved:
        if not token or len(token) > 200:
            return Resolved(None, None, None, "The sign-in token is malformed.")
        async with self.db.read_sessions() as session:
            row = (await session.execute(
                sa.select(t.auth_sessions).where(t.auth_sessions.c.token_hash == token_hash(token))
            )).one_or_none()
            if row is None or row.kind != kind:
                return Resolved(None, None, None, "The sign-in token is unknown or has been revoked.")
            if row.revoked_at is not None:
                return Resolved(None, None, None, "You have signed out; sign in again.")
            if row.expires_at <= now or (row.idle_expires_at is not None and row.idle_expires_at <= now):
                return Resolved(None, None, None, "The session has expired; sign in again.")
            account = (await session.execute(
                sa.select(Account).where(t.accounts.c.id == row.account_id).options(selectinload(Account.grants))  # type: ignore[arg-type]
            )).scalar_one_or_none()
            if account is None or not account.is_active:
                return Resolved(None, None, None, "The account is deactivated.")
            actor = account.actor()
            resolved = Resolved(actor, row.id, row.kind, None, account.locale, account.display_name, account.email)
            touch = idle is not None and row.idle_expires_at is not None and \
                row.idle_expires_at - now < idle - timedelta(minutes=5)
        if touch and idle is not None:
            # Sliding idle expiry, written at most every five minutes per session.
            async with self.db.write_sessions() as session, session.begin():
                await session.execute(sa.update(t.auth_sessions).where(t.auth_sessions.c.id == row.id)
                                      .values(idle_expires_at=now + idle, updated_at=now))
        return resolved

    async def revoke(self, session_id: UUID, now: datetime) -> None:
        async with self.db.write_sessions() as session, session.begin():
            await session.execute(sa.update(t.auth_sessions).where(t.auth_sessions.c.id == session_id)
                                  .values(revoked_at=now, updated_at=now))

    async def revoke_all(self, account_id: UUID, now: datetime) -> None:
        async with self.db.write_sessions() as session, session.begin():
            await session.execute(
                sa.update(t.auth_sessions)
                .where(t.auth_sessions.c.account_id == account_id, t.auth_sessions.c.revoked_at.is_(None))
                .values(revoked_at=now, updated_at=now))

    # --- throttling -------------------------------------------------------------------------

    async def failures_since(self, keys: list[str], since: datetime) -> dict[str, tuple[int, datetime | None]]:
        hashes = {token_hash(k): k for k in keys}
        async with self.db.read_sessions() as session:
            rows = (await session.execute(
                sa.select(t.login_failures.c.key_hash, sa.func.count(), sa.func.min(t.login_failures.c.created_at))
                .where(t.login_failures.c.key_hash.in_(hashes), t.login_failures.c.created_at > since)
                .group_by(t.login_failures.c.key_hash)
            )).all()
        found = {hashes[h]: (n, first) for h, n, first in rows}
        return {k: found.get(k, (0, None)) for k in keys}

    async def record_failure(self, keys: list[str], now: datetime) -> list[UUID]:
        """Record one failed (or not yet decided) attempt under each key; returns the rows' ids."""
        ids = [new_id() for _ in keys]
        async with self.db.write_sessions() as session, session.begin():
            await session.execute(sa.insert(t.login_failures), [
                {"id": i, "key_hash": token_hash(k), "created_at": now, "updated_at": now}
                for i, k in zip(ids, keys, strict=True)
            ])
        return ids

    async def forget(self, ids: list[UUID]) -> None:
        """Remove attempts recorded by `record_failure` (one that succeeded, or was never checked)."""
        async with self.db.write_sessions() as session, session.begin():
            await session.execute(sa.delete(t.login_failures).where(t.login_failures.c.id.in_(ids)))

    async def clear_failures(self, *keys: str, attempt: list[UUID] | None = None) -> None:
        """Forget every failure under `keys`, and the rows of `attempt`, in one transaction."""
        where: sa.ColumnElement[bool] = t.login_failures.c.key_hash.in_([token_hash(k) for k in keys])
        if attempt:
            where = sa.or_(where, t.login_failures.c.id.in_(attempt))
        async with self.db.write_sessions() as session, session.begin():
            await session.execute(sa.delete(t.login_failures).where(where))

    async def prune(self, now: datetime, keep: timedelta) -> None:
        async with self.db.write_sessions() as session, session.begin():
            await session.execute(sa.delete(t.login_failures).where(t.login_failures.c.created_at < now - keep))
            await session.execute(sa.delete(t.auth_sessions).where(t.auth_sessions.c.expires_at < now - keep))
