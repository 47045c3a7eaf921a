"""Messages to people. Services write them to the outbox in the same transaction as the
change they tell about; a worker delivers them after commit. Nothing is sent from inside a
transaction, and nothing is lost when the mail server is down: delivery is retried."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from booking.domain.shared.ids import new_id


@dataclass(eq=False)
class Message:
    municipality_id: UUID
    kind: str  # e.g. "booking.approved"
    recipient: str  # e-mail address
    subject: str
    body: str
    channel: str = "email"
    status: str = "pending"  # pending | sent | failed
    attempts: int = 0
    next_attempt_at: datetime | None = None
    last_error: str | None = None
    sent_at: datetime | None = None
    id: UUID = field(default_factory=new_id)
    created_at: datetime | None = None
    updated_at: datetime | None = None
