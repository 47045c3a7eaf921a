"""Read models of premises staff work: attendance, fees and no-shows, each kept to the caller's
municipality and, for staff narrowed to sites, to those sites' spaces. Reads only."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

import sqlalchemy as sa

from booking.adapters.db import tables as t
from booking.adapters.db.database import Database
from booking.domain.people.model import AssociationCategory
from booking.domain.premises.attendance import Attendance
from booking.domain.premises.bookings import Booking, BookingStatus
from booking.domain.premises.fees import Billable


def at_sites(space_id: sa.ColumnElement[Any], sites: frozenset[UUID] | None) -> sa.ColumnElement[bool]:
    """Bookings (by their space column) at these sites; every site when None."""
    if sites is None:
        return sa.true()
    return space_id.in_(sa.select(t.spaces.c.id).where(t.spaces.c.site_id.in_(sorted(sites))))


class PremisesQueries:
    db: Database

    async def association_municipality(self, association_id: UUID) -> UUID | None:
        async with self.db.read_sessions() as s:
            return (await s.execute(sa.select(t.associations.c.municipality_id)
                                    .where(t.associations.c.id == association_id))).scalar_one_or_none()

    async def attendance_of(self, municipality_id: UUID, association_id: UUID, starts_from: datetime,
                            starts_to: datetime, sites: frozenset[UUID] | None = None
                            ) -> list[tuple[Booking, Attendance | None, str]]:
        """Approved occasions of the association in the window (of the municipality, at the sites), with
        their attendance if recorded."""
        b = t.bookings
        query = (sa.select(Booking, Attendance, t.spaces.c.name)
                 .join(t.spaces, t.spaces.c.id == b.c.space_id)
                 .outerjoin(Attendance, t.attendance.c.booking_id == b.c.id)
                 .where(b.c.municipality_id == municipality_id, b.c.association_id == association_id,
                        b.c.status == BookingStatus.APPROVED, b.c.starts_at >= starts_from, b.c.starts_at < starts_to,
                        at_sites(b.c.space_id, sites))
                 .order_by(b.c.starts_at))
        async with self.db.read_sessions() as s:
            return [(r[0], r[1], r[2]) for r in (await s.execute(query)).all()]

    async def prices(self, municipality_id: UUID) -> dict[tuple[str, str], Decimal]:
        async with self.db.read_sessions() as s:
            rows = (await s.execute(sa.select(t.tariffs).where(t.tariffs.c.municipality_id == municipality_id))).all()
        return {(r.category, r.space_kind): Decimal(r.hourly).quantize(Decimal("0.01")) for r in rows}

    async def billables(self, municipality_id: UUID, starts_from: datetime, starts_to: datetime,
                        association_id: UUID | None, sites: frozenset[UUID] | None = None) -> list[Billable]:
        b, a, sp = t.bookings, t.associations, t.spaces
        query = (sa.select(b.c.id, b.c.association_id, a.c.category, a.c.tariff_category, sp.c.id, sp.c.kind,
                           b.c.starts_at, b.c.ends_at, b.c.late_cancellation)
                 .join(a, a.c.id == b.c.association_id).join(sp, sp.c.id == b.c.space_id)
                 .where(b.c.municipality_id == municipality_id, b.c.starts_at >= starts_from, b.c.starts_at < starts_to,
                        sa.or_(b.c.status == BookingStatus.APPROVED,
                               sa.and_(b.c.status == BookingStatus.CANCELLED, b.c.late_cancellation)))
                 .order_by(a.c.name, b.c.starts_at))
        if association_id is not None:
            query = query.where(b.c.association_id == association_id)
        if sites is not None:
            query = query.where(sp.c.site_id.in_(sorted(sites)))
        async with self.db.read_sessions() as s:
            rows = (await s.execute(query)).all()
        return [Billable(r[0], r[1], AssociationCategory(r[2]), r[3], r[4], str(r[5]), r[6], r[7], bool(r[8]))
                for r in rows]

    async def association_names(self, ids: set[UUID]) -> dict[UUID, tuple[str, str]]:
        if not ids:
            return {}
        async with self.db.read_sessions() as s:
            rows = (await s.execute(sa.select(t.associations.c.id, t.associations.c.name, t.associations.c.org_number)
                                    .where(t.associations.c.id.in_(ids)))).all()
        return {r[0]: (r[1], r[2]) for r in rows}

    async def no_shows(self, municipality_id: UUID, since: datetime, sites: frozenset[UUID] | None = None
                       ) -> list[tuple[UUID, str, int, datetime]]:
        """Associations with no-shows (at the sites) since a time: id, name, how many, the latest."""
        b, a = t.bookings, t.associations
        query = (sa.select(a.c.id, a.c.name, sa.func.count(), sa.func.max(b.c.starts_at))
                 .join(a, a.c.id == b.c.association_id)
                 .where(b.c.municipality_id == municipality_id, b.c.no_show, b.c.starts_at >= since,
                        at_sites(b.c.space_id, sites))
                 .group_by(a.c.id, a.c.name).order_by(sa.func.count().desc(), a.c.name))
        async with self.db.read_sessions() as s:
            rows = (await s.execute(query)).all()
        out = []
        for r in rows:
            latest = datetime.fromisoformat(r[3]) if isinstance(r[3], str) else r[3]
            out.append((r[0], r[1], int(r[2]), latest.replace(tzinfo=UTC) if latest.tzinfo is None else latest))
        return out
