"""How bookings are shown: the schema of a booking, its waiting change and a request's skipped dates."""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from booking.adapters.db.queries import Queries
from booking.api.access import roles
from booking.api.schemas import bookings as s
from booking.domain.people.roles import Role
from booking.domain.premises.bookings import Booking

PREMISES_STAFF = roles(Role.PREMISES_STAFF)


def _pending_change(b: Booking, zone: ZoneInfo) -> s.PendingChange | None:
    proposed = b.proposed_span
    if b.change_id is None or b.proposed_space_id is None or proposed is None:
        return None
    start, end = proposed.start.astimezone(zone), proposed.end.astimezone(zone)
    return s.PendingChange(b.change_id, b.proposed_space_id, proposed.start, proposed.end, start.date(),
                           start.strftime("%H:%M"), end.strftime("%H:%M"), b.change_requested_at)


def to_booking(b: Booking, zone: ZoneInfo) -> s.Booking:
    start, end = b.starts_at.astimezone(zone), b.ends_at.astimezone(zone)
    return s.Booking(
        id=b.id, space_id=b.space_id, series_id=b.series_id, association_id=b.association_id, title=b.title,
        note=b.note, status=b.status, starts_at=b.starts_at, ends_at=b.ends_at, local_date=start.date(),
        local_start=start.strftime("%H:%M"), local_end=end.strftime("%H:%M"), sequence=b.sequence,
        decided_at=b.decided_at, decision_reason=b.decision_reason,
        created_at=b.created_at, updated_at=b.updated_at,  # type: ignore[arg-type]
        checked_in_at=b.checked_in_at, no_show=b.no_show, pending_change=_pending_change(b, zone),
    )


def skipped_view(items: list[dict[str, Any]]) -> list[s.Skipped]:
    return [s.Skipped(date=dt.date.fromisoformat(i["date"]), rule=i["rule"], message=i["message"],
                      conflicts=i.get("conflicts", [])) for i in items]


async def municipality_zone(queries: Queries, municipality_id: UUID) -> ZoneInfo:
    municipality = await queries.municipality(municipality_id)
    return municipality.zone if municipality else ZoneInfo("Europe/Stockholm")

