"""Read model of the audit log: a municipality's entries, newest first, filtered for the admins' page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

import sqlalchemy as sa

from booking.adapters.db import tables as t
from booking.adapters.db.database import Database
from booking.adapters.db.types import escape_like
from booking.domain.shared.ports import Page


@dataclass(frozen=True, slots=True)
class AuditFilter:
    entity: str | None = None
    entity_id: UUID | None = None
    actor_id: UUID | None = None
    action: str | None = None  # an exact action ("account.invited") or its start ("account.")
    since: datetime | None = None
    until: datetime | None = None


@dataclass(frozen=True, slots=True)
class AuditRow:
    id: UUID
    created_at: datetime
    actor_id: UUID | None
    actor_name: str | None
    action: str
    entity: str
    entity_id: UUID
    details: dict[str, Any]




class AuditQueries:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def entries(self, municipality_id: UUID, where: AuditFilter, *, limit: int, offset: int) -> Page[AuditRow]:
        """Only the municipality's own entries (tenancy: another municipality's never show)."""
        log, accounts = t.audit_log, t.accounts
        conditions: list[sa.ColumnElement[bool]] = [log.c.municipality_id == municipality_id]
        if where.entity is not None:
            conditions.append(log.c.entity == where.entity)
        if where.entity_id is not None:
            conditions.append(log.c.entity_id == where.entity_id)
        if where.actor_id is not None:
            conditions.append(log.c.actor_id == where.actor_id)
        if where.action is not None:
            conditions.append(log.c.action.like(escape_like(where.action) + "%", escape="\\"))
        if where.since is not None:
            conditions.append(log.c.created_at >= where.since)
        if where.until is not None:
            conditions.append(log.c.created_at < where.until)
        query = (sa.select(log.c.id, log.c.created_at, log.c.actor_id, accounts.c.display_name, log.c.action,
                           log.c.entity, log.c.entity_id, log.c.details)
                 .outerjoin(accounts, accounts.c.id == log.c.actor_id).where(*conditions))
        async with self.db.read_sessions() as s:
            total = (await s.execute(sa.select(sa.func.count()).select_from(log).where(*conditions))).scalar_one()
            rows = (await s.execute(query.order_by(log.c.created_at.desc(), log.c.id.desc())
                                    .limit(limit).offset(offset))).all()
        return Page([AuditRow(*r) for r in rows], int(total), limit, offset)

    async def actions(self, municipality_id: UUID) -> list[str]:
        """The actions the municipality's log holds, for the page's filter."""
        log = t.audit_log
        async with self.db.read_sessions() as s:
            rows = (await s.execute(sa.select(log.c.action).where(log.c.municipality_id == municipality_id)
                                    .distinct().order_by(log.c.action))).scalars().all()
        return list(rows)
