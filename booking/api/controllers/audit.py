"""The audit log, read by admins: who changed what, filtered by entity, actor, action and time."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, get
from litestar.params import Parameter

from booking.adapters.db.queries_audit import AuditFilter, AuditQueries
from booking.api.access import ADMIN_ONLY, guarded
from booking.api.controllers.params import PRINTABLE, LimitQ, OffsetQ
from booking.api.schemas import people_links as s
from booking.domain.people.roles import Actor
from booking.domain.shared.errors import ValidationError


class AuditController(Controller):
    path = "/api/audit"
    tags = ["audit"]

    @get("/", operation_id="listAuditEntries", **guarded(ADMIN_ONLY))
    async def list_entries(
        self, audit_queries: AuditQueries, actor: Actor,
        entity: Annotated[str | None, Parameter(query="entity", max_length=64, pattern=PRINTABLE,
                                                description="What changed: account, booking, space, ...")] = None,
        entity_id: Annotated[UUID | None, Parameter(query="entity_id")] = None,
        actor_id: Annotated[UUID | None, Parameter(query="actor_id", description="Who changed it.")] = None,
        action: Annotated[str | None, Parameter(query="action", max_length=64, pattern=PRINTABLE,
                                                description="An action (account.invited) or its start "
                                                            "(account.).")] = None,
        since: Annotated[dt.datetime | None, Parameter(query="from")] = None,
        until: Annotated[dt.datetime | None, Parameter(query="to")] = None,
        limit: LimitQ = 50, offset: OffsetQ = 0,
    ) -> s.AuditPage:
        """The municipality's audit entries, newest first."""
        for name, value in (("from", since), ("to", until)):
            if value is not None and value.tzinfo is None:
                raise ValidationError(name, "Give a time zone, e.g. 2027-01-14T00:00:00+01:00 or ...Z.")
        where = AuditFilter(entity=entity, entity_id=entity_id, actor_id=actor_id, action=action, since=since,
                            until=until)
        page = await audit_queries.entries(actor.municipality_id, where, limit=limit, offset=offset)
        return s.AuditPage([s.AuditEntry(id=r.id, created_at=r.created_at, actor_id=r.actor_id,
                                         actor_name=r.actor_name, action=r.action, entity=r.entity,
                                         entity_id=r.entity_id, details=r.details) for r in page.items],
                           page.total, limit, offset, await audit_queries.actions(actor.municipality_id))


HANDLERS: list[Any] = [AuditController]
