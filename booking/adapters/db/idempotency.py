"""Stored answers to creating requests, keyed by the caller and their Idempotency-Key."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from booking.adapters.db import tables as t
from booking.adapters.db.database import Database
from booking.domain.shared.ids import new_id

IN_FLIGHT_TIMEOUT = timedelta(minutes=2)


@dataclass(frozen=True)
class Stored:
    request_hash: str
    status_code: int | None
    body: bytes | None
    headers: dict[str, str]
    created_at: datetime


class IdempotencyStore:
    def __init__(self, db: Database, ttl: timedelta = timedelta(hours=24)) -> None:
        self.db = db
        self.ttl = ttl

    async def claim(self, principal: str, key: str, method: str, path: str, request_hash: str,
                    now: datetime) -> Stored | None:
        """Claim the key for this request. None: claimed, go ahead. Otherwise what is stored."""
        async with self.db.write_sessions() as session:
            async with session.begin():
                await session.execute(sa.delete(t.idempotency_keys).where(
                    t.idempotency_keys.c.principal == principal, t.idempotency_keys.c.key == key,
                    sa.or_(t.idempotency_keys.c.expires_at <= now,
                           sa.and_(t.idempotency_keys.c.status_code.is_(None),
                                   t.idempotency_keys.c.created_at <= now - IN_FLIGHT_TIMEOUT))))
            try:
                async with session.begin():
                    await session.execute(sa.insert(t.idempotency_keys).values(
                        id=new_id(), principal=principal, key=key, method=method, path=path,
                        request_hash=request_hash, expires_at=now + self.ttl, created_at=now, updated_at=now))
                return None
            except IntegrityError:
                pass
        async with self.db.read_sessions() as session:
            row = (await session.execute(sa.select(t.idempotency_keys).where(
                t.idempotency_keys.c.principal == principal, t.idempotency_keys.c.key == key))).one_or_none()
        if row is None:  # expired and removed in between: the caller may retry
            return Stored(request_hash, None, None, {}, now)
        return Stored(row.request_hash, row.status_code, row.response_body, dict(row.response_headers or {}),
                      row.created_at)

    async def complete(self, principal: str, key: str, status: int, body: bytes, headers: dict[str, Any],
                       now: datetime) -> None:
        async with self.db.write_sessions() as session, session.begin():
            await session.execute(sa.update(t.idempotency_keys).where(
                t.idempotency_keys.c.principal == principal, t.idempotency_keys.c.key == key,
            ).values(status_code=status, response_body=body, response_headers=headers, updated_at=now))

    async def release(self, principal: str, key: str) -> None:
        async with self.db.write_sessions() as session, session.begin():
            await session.execute(sa.delete(t.idempotency_keys).where(
                t.idempotency_keys.c.principal == principal, t.idempotency_keys.c.key == key,
                t.idempotency_keys.c.status_code.is_(None)))
