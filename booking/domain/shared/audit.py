"""Audit entries: who changed what. Written in the same transaction as the change."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from booking.domain.shared.ids import new_id


@dataclass(eq=False)
class AuditEntry:
    municipality_id: UUID | None
    actor_id: UUID | None
    action: str  # e.g. "space.created", "account.roles_changed"
    entity: str
    entity_id: UUID
    details: dict[str, Any] = field(default_factory=dict)
    created_at: datetime | None = None
    updated_at: datetime | None = None
    id: UUID = field(default_factory=new_id)
