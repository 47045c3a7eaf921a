"""What the services record and tell: the audit trail, and messages to those signed up (the outbox,
in the same transaction)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from booking.domain.activities.messages import render, render_sent_back
from booking.domain.activities.model import Activity, ActivitySession, Registration
from booking.domain.activities.ports import ActivitiesUnitOfWork
from booking.domain.activities.services.links import Links
from booking.domain.people.roles import Actor
from booking.domain.shared.audit import AuditEntry
from booking.domain.shared.notifications import Message


def audit(uow: ActivitiesUnitOfWork, actor: Actor | None, action: str, entity: str, ident: UUID,
          municipality_id: UUID, **details: Any) -> None:
    uow.audit(AuditEntry(municipality_id, actor.account_id if actor else None, action, entity, ident, details))


async def tell(uow: ActivitiesUnitOfWork, kind: str, activity: Activity, session: ActivitySession,
               registrations: Sequence[Registration], links: Links, reason: str | None = None,
               tokens: dict[UUID, str] | None = None) -> None:
    """One message per registration to its account (guardian or young person), if it is active."""
    municipality = await uow.municipalities.get(activity.municipality_id)
    if municipality is None:
        return
    for registration in registrations:
        account = await uow.accounts.get(registration.account_id)
        if account is None or not account.is_active:
            continue
        token = (tokens or {}).get(registration.id)
        subject, body = render(
            kind, account.locale, title=activity.title, starts_at=session.starts_at, ends_at=session.ends_at,
            zone=municipality.zone, name=registration.first_name, ticket=links.ticket(registration.ticket_code),
            cancel=links.cancel(token) if token else links.base_url + "/registrations.html", reason=reason)
        uow.notify(Message(municipality.id, kind, account.email, subject, body))


async def tell_active(uow: ActivitiesUnitOfWork, kind: str, activity: Activity, session: ActivitySession,
                      links: Links, reason: str | None = None) -> None:
    """Tell everyone signed up for the session, confirmed or waiting."""
    active = [r for r in await uow.activities.registrations_of(session.id) if r.active]
    await tell(uow, kind, activity, session, active, links, reason)


async def tell_author_sent_back(uow: ActivitiesUnitOfWork, activity: Activity, reason: str) -> None:
    """The author of an association's activity learns why staff sent it back."""
    author = await uow.accounts.get(activity.created_by)
    if author is not None and author.is_active:
        subject, body = render_sent_back(author.locale, title=activity.title, reason=reason)
        uow.notify(Message(activity.municipality_id, "activity.sent_back", author.email, subject, body))
