"""Read models for display: lists with filters and pagination. Reads only; writes go
through the domain services."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from booking.adapters.db import schema
from booking.adapters.db import tables as t
from booking.adapters.db.database import Database
from booking.adapters.db.queries_premises import PremisesQueries, at_sites
from booking.adapters.db.types import escape_like
from booking.domain.municipalities.model import Area, Municipality
from booking.domain.people.model import Account, Association
from booking.domain.people.roles import Role
from booking.domain.premises.bookings import Booking, BookingStatus
from booking.domain.premises.calendar import OpeningHours, group_opening_hours
from booking.domain.premises.model import Site, Space, SpaceKind
from booking.domain.shared.ports import Page


@dataclass(frozen=True)
class SiteView:
    site: Site
    area_name: str | None
    space_count: int


@dataclass(frozen=True)
class PublicOccurrence:
    """An approved (or once approved, now cancelled) booking as the public may see it."""

    id: UUID
    space_id: UUID
    space_name: str
    site_name: str
    starts_at: datetime
    ends_at: datetime
    cancelled: bool
    label: str  # "Bokad", or the association's name when it chose to be public
    sequence: int
    updated_at: datetime


@dataclass(frozen=True)
class FeedWindow:
    first: date  # local dates
    last: date
    starts_from: datetime  # their bounds as instants
    starts_to: datetime


@dataclass(frozen=True)
class FeedHead:
    name: str  # of the site or space
    updated_at: datetime
    zone: ZoneInfo
    window: FeedWindow
    count: int
    last_change: datetime | None


@dataclass(frozen=True)
class SpaceView:
    space: Space
    part_ids: list[UUID]


async def _page(session: AsyncSession, query: sa.Select[Any], order: Sequence[Any], limit: int,
                offset: int) -> tuple[list[Any], int]:
    counted = sa.select(sa.func.count()).select_from(query.order_by(None).subquery())
    total = (await session.execute(counted)).scalar_one()
    rows = (await session.execute(query.order_by(*order).limit(limit).offset(offset))).all()
    return list(rows), int(total)


class Queries(PremisesQueries):
    def __init__(self, db: Database) -> None:
        self.db = db
        self._slug_ids: dict[str, UUID] = {}  # slugs never change once made
        self._feed_zones: dict[UUID, str] = {}  # site or space -> its zone at the last request (checked)

    async def municipality_id_by_slug(self, slug: str) -> UUID | None:
        """Cached: public lists filter by slug on every request."""
        if slug not in self._slug_ids:
            municipality = await self.municipality_by_slug(slug)
            if municipality is None:
                return None
            self._slug_ids[slug] = municipality.id
        return self._slug_ids[slug]

    async def municipality_by_slug(self, slug: str) -> Municipality | None:
        async with self.db.read_sessions() as s:
            query = sa.select(Municipality).where(t.municipalities.c.slug == slug)
            return (await s.execute(query)).scalar_one_or_none()

    async def municipality(self, ident: UUID) -> Municipality | None:
        async with self.db.read_sessions() as s:
            return await s.get(Municipality, ident)

    async def municipalities(self, limit: int, offset: int) -> Page[Municipality]:
        async with self.db.read_sessions() as s:
            rows, total = await _page(s, sa.select(Municipality), [t.municipalities.c.name], limit, offset)
        return Page([r[0] for r in rows], total, limit, offset)

    async def areas(self, municipality_id: UUID | None, limit: int, offset: int) -> Page[Area]:
        query = sa.select(Area)
        if municipality_id is not None:
            query = query.where(t.areas.c.municipality_id == municipality_id)
        async with self.db.read_sessions() as s:
            rows, total = await _page(s, query, [t.areas.c.name, t.areas.c.id], limit, offset)
        return Page([r[0] for r in rows], total, limit, offset)

    async def area(self, ident: UUID) -> Area | None:
        async with self.db.read_sessions() as s:
            return await s.get(Area, ident)

    def _site_query(self) -> sa.Select[Any]:
        counts = (sa.select(t.spaces.c.site_id, sa.func.count().label("n"))
                  .group_by(t.spaces.c.site_id).subquery())
        return (sa.select(Site, t.areas.c.name, sa.func.coalesce(counts.c.n, 0))
                .outerjoin(t.areas, t.areas.c.id == t.sites.c.area_id)
                .outerjoin(counts, counts.c.site_id == t.sites.c.id))

    async def sites(self, *, municipality_id: UUID | None, area_id: UUID | None, q: str | None, limit: int,
                    offset: int) -> Page[SiteView]:
        query = self._site_query()
        if municipality_id is not None:
            query = query.where(t.sites.c.municipality_id == municipality_id)
        if area_id is not None:
            query = query.where(t.sites.c.area_id == area_id)
        if q:
            query = query.where(t.sites.c.name.ilike(f"%{escape_like(q)}%", escape="\\"))
        async with self.db.read_sessions() as s:
            rows, total = await _page(s, query, [t.sites.c.name, t.sites.c.id], limit, offset)
        return Page([SiteView(r[0], r[1], int(r[2])) for r in rows], total, limit, offset)

    async def site(self, ident: UUID) -> SiteView | None:
        async with self.db.read_sessions() as s:
            row = (await s.execute(self._site_query().where(t.sites.c.id == ident))).one_or_none()
        return SiteView(row[0], row[1], int(row[2])) if row else None

    async def spaces(self, *, municipality_id: UUID | None, site_id: UUID | None, kind: SpaceKind | None,
                     min_capacity: int | None, limit: int, offset: int) -> Page[SpaceView]:
        query = sa.select(Space)
        if municipality_id is not None:
            query = query.where(t.spaces.c.municipality_id == municipality_id)
        if site_id is not None:
            query = query.where(t.spaces.c.site_id == site_id)
        if kind is not None:
            query = query.where(t.spaces.c.kind == kind)
        if min_capacity is not None:
            query = query.where(t.spaces.c.capacity >= min_capacity)
        async with self.db.read_sessions() as s:
            rows, total = await _page(s, query, [t.spaces.c.site_id, t.spaces.c.name, t.spaces.c.id], limit, offset)
            spaces = [r[0] for r in rows]
            parts = await self._parts(s, [sp.id for sp in spaces])
        return Page([SpaceView(sp, parts.get(sp.id, [])) for sp in spaces], total, limit, offset)

    async def space(self, ident: UUID) -> SpaceView | None:
        async with self.db.read_sessions() as s:
            space = await s.get(Space, ident)
            if space is None:
                return None
            parts = await self._parts(s, [space.id])
        return SpaceView(space, parts.get(space.id, []))

    async def _parts(self, s: AsyncSession, ids: list[UUID]) -> dict[UUID, list[UUID]]:
        if not ids:
            return {}
        rows = (await s.execute(
            sa.select(t.spaces.c.parent_id, t.spaces.c.id).where(t.spaces.c.parent_id.in_(ids))
            .order_by(t.spaces.c.name)
        )).all()
        out: dict[UUID, list[UUID]] = defaultdict(list)
        for parent, child in rows:
            out[parent].append(child)
        return out

    async def accounts(self, municipality_id: UUID, *, role: Role | None, q: str | None, limit: int,
                       offset: int) -> Page[Account]:
        query = sa.select(Account).where(t.accounts.c.municipality_id == municipality_id)
        if role is not None:
            query = query.where(t.accounts.c.id.in_(
                sa.select(t.role_grants.c.account_id).where(t.role_grants.c.role == role)))
        if q:
            pattern = f"%{escape_like(q.lower())}%"
            query = query.where(sa.or_(t.accounts.c.email.like(pattern, escape="\\"),
                                       sa.func.lower(t.accounts.c.display_name).like(pattern, escape="\\")))
        async with self.db.read_sessions() as s:
            rows, total = await _page(s, query, [t.accounts.c.email], limit, offset)
        return Page([r[0] for r in rows], total, limit, offset)

    async def associations(self, municipality_id: UUID, *, only_ids: set[UUID] | None, verified: bool | None,
                           q: str | None, limit: int, offset: int) -> Page[Association]:
        query = sa.select(Association).where(t.associations.c.municipality_id == municipality_id)
        if only_ids is not None:
            query = query.where(t.associations.c.id.in_(only_ids))
        if verified is not None:
            query = query.where(t.associations.c.verified_at.is_not(None) if verified
                                else t.associations.c.verified_at.is_(None))
        if q:
            query = query.where(t.associations.c.name.ilike(f"%{escape_like(q)}%", escape="\\"))
        async with self.db.read_sessions() as s:
            rows, total = await _page(s, query, [t.associations.c.name, t.associations.c.id], limit, offset)
        return Page([r[0] for r in rows], total, limit, offset)

    async def bookings(self, municipality_id: UUID, *, visible_associations: set[UUID] | None, booked_by: UUID | None,
                       space_id: UUID | None, association_id: UUID | None, status: BookingStatus | None,
                       starts_from: datetime | None, starts_to: datetime | None, limit: int,
                       offset: int, visible_sites: frozenset[UUID] | None = None,
                       pending_change: bool | None = None) -> Page[Booking]:
        """visible_associations None: every booking of the municipality; else those booked by `booked_by`,
        of these associations, or at `visible_sites` (a narrowed staff member's)."""
        b = t.bookings
        query = sa.select(Booking).where(b.c.municipality_id == municipality_id)
        if visible_associations is not None:
            query = query.where(sa.or_(b.c.booked_by == booked_by, b.c.association_id.in_(visible_associations),
                                       at_sites(b.c.space_id, visible_sites) if visible_sites else sa.false()))
        if pending_change is not None:
            query = query.where(b.c.change_id.is_not(None) if pending_change else b.c.change_id.is_(None))
        for column, value in ((b.c.space_id, space_id), (b.c.association_id, association_id), (b.c.status, status)):
            if value is not None:
                query = query.where(column == value)
        if starts_from is not None:
            query = query.where(b.c.ends_at > starts_from)
        if starts_to is not None:
            query = query.where(b.c.starts_at < starts_to)
        async with self.db.read_sessions() as s:
            rows, total = await _page(s, query, [b.c.starts_at, b.c.id], limit, offset)
        return Page([r[0] for r in rows], total, limit, offset)

    async def booking(self, ident: UUID) -> Booking | None:
        async with self.db.read_sessions() as s:
            return await s.get(Booking, ident)

    async def opening_hours(self, space_id: UUID) -> list[OpeningHours] | None:
        async with self.db.read_sessions() as s:
            if await s.get(Space, space_id) is None:
                return None
            rows = (await s.execute(sa.select(t.opening_hours).where(t.opening_hours.c.space_id == space_id))).all()
        return group_opening_hours((r.weekday, r.opens, r.closes, r.valid_from, r.valid_to, r.name) for r in rows)

    def _public_occurrences_query(self, *, site_id: UUID | None, space_id: UUID | None,
                                  starts_from: datetime, starts_to: datetime) -> sa.Select[Any]:
        b, sp, si, a = t.bookings, t.spaces, t.sites, t.associations
        query = (
            sa.select(b.c.id, b.c.space_id, sp.c.name, si.c.name, b.c.starts_at, b.c.ends_at, b.c.status,
                      sa.case((a.c.public_name, a.c.name), else_=sa.null()), b.c.sequence, b.c.updated_at)
            .join(sp, sp.c.id == b.c.space_id).join(si, si.c.id == sp.c.site_id)
            .outerjoin(a, a.c.id == b.c.association_id)
            .where(*_public_window(starts_from, starts_to))
        )
        if site_id is not None:
            query = query.where(sp.c.site_id == site_id)
        if space_id is not None:
            query = query.where(b.c.space_id.in_(_unavailable_with(space_id)))
        return query

    async def public_feed_head(self, *, site_id: UUID | None = None, space_id: UUID | None = None,
                               window: Callable[[ZoneInfo], FeedWindow]) -> FeedHead | None:
        """A public feed's name, zone, window, and how many occurrences with which last change: what a
        conditional request needs, from one statement (the zone of the site or space is remembered
        from the previous request and checked in the same statement; looked up when it changed)."""
        b, sp, si, m = t.bookings, t.spaces, t.sites, t.municipalities
        key = site_id or space_id
        if key is None or (site_id is not None and space_id is not None):
            raise ValueError("public_feed_head takes exactly one of site_id and space_id")
        owner = si if site_id is not None else sp
        async with self.db.read_sessions() as s:
            zone_key = self._feed_zones.get(key)
            for _ in range(3):
                if zone_key is None:
                    zone_key = (await s.execute(sa.select(m.c.timezone).join(owner, owner.c.municipality_id == m.c.id)
                                                .where(owner.c.id == key))).scalar_one_or_none()
                    if zone_key is None:
                        return None
                zone = ZoneInfo(zone_key)
                w = window(zone)
                counted = sa.select(sa.func.count().label("n"), sa.func.max(b.c.updated_at).label("last")).where(
                    *_public_window(w.starts_from, w.starts_to))
                counted = (counted.join(sp, sp.c.id == b.c.space_id).where(sp.c.site_id == site_id)
                           if site_id is not None else counted.where(b.c.space_id.in_(_unavailable_with(key))))
                agg = counted.subquery()
                row = (await s.execute(
                    sa.select(owner.c.name, owner.c.updated_at, m.c.timezone, agg.c.n, agg.c.last)
                    .select_from(owner.join(m, m.c.id == owner.c.municipality_id).join(agg, sa.true()))
                    .where(owner.c.id == key))).one_or_none()
                if row is None:
                    self._feed_zones.pop(key, None)
                    return None
                if row.timezone == zone_key:
                    self._feed_zones[key] = zone_key
                    return FeedHead(row.name, row.updated_at, zone, w, int(row.n), _aware(row.last))
                zone_key = row.timezone  # the municipality moved zone meanwhile: once more with the new one
        raise RuntimeError("the zone of the feed kept changing")

    async def public_occurrences(self, *, site_id: UUID | None = None, space_id: UUID | None = None,
                                 starts_from: datetime, starts_to: datetime) -> list[PublicOccurrence]:
        """A site's occurrences (each once), or what makes a space unavailable: its own bookings, its
        parts' (a divisible hall) and its whole hall's (a part)."""
        query = self._public_occurrences_query(site_id=site_id, space_id=space_id, starts_from=starts_from,
                                               starts_to=starts_to).order_by(t.bookings.c.starts_at, t.bookings.c.id)
        async with self.db.read_sessions() as s:
            rows = (await s.execute(query)).all()
        return [PublicOccurrence(r[0], r[1], r[2], r[3], r[4], r[5], r[6] == BookingStatus.CANCELLED, r[7] or "Bokad",
                                 r[8], r[9]) for r in rows]


    async def space_names(self, ids: set[UUID]) -> dict[UUID, str]:
        if not ids:
            return {}
        async with self.db.read_sessions() as s:
            rows = (await s.execute(sa.select(t.spaces.c.id, t.spaces.c.name).where(t.spaces.c.id.in_(ids)))).all()
        return {r[0]: r[1] for r in rows}

    async def association_by_feed_token(self, token_hash: str) -> Association | None:
        async with self.db.read_sessions() as s:
            query = sa.select(Association).where(t.associations.c.feed_token_hash == token_hash)
            return (await s.execute(query)).scalar_one_or_none()

    async def space_ids_of_site(self, site_id: UUID) -> list[UUID] | None:
        async with self.db.read_sessions() as s:
            if await s.get(Site, site_id) is None:
                return None
            return list((await s.execute(sa.select(t.spaces.c.id).where(t.spaces.c.site_id == site_id))).scalars())

    async def closed_periods(self, *, municipality_id: UUID | None, site_id: UUID | None, space_id: UUID | None,
                             limit: int, offset: int) -> tuple[list[Any], int]:
        cp = t.closed_periods
        query = sa.select(cp)
        if municipality_id is not None:
            query = query.where(cp.c.municipality_id == municipality_id)
        if site_id is not None:
            query = query.where(cp.c.site_id == site_id)
        if space_id is not None:
            query = query.where(cp.c.space_id == space_id)
        async with self.db.read_sessions() as s:
            rows, total = await _page(s, query, [cp.c.starts_at, cp.c.id], limit, offset)
        return rows, total

    async def table_counts(self) -> dict[str, int]:
        """Rows per table: used by tests to prove that refused input changed nothing."""
        out: dict[str, int] = {}
        async with self.db.read_sessions() as s:
            for name, table in schema.metadata.tables.items():
                out[name] = int((await s.execute(sa.select(sa.func.count()).select_from(table))).scalar_one())
        return out


def _unavailable_with(space_id: UUID) -> sa.Select[Any]:
    """The spaces whose bookings take this one: itself, its parts, and the whole hall it is a part of
    (not its sibling parts: the other half of a hall does not take this half)."""
    sp = t.spaces
    whole = sa.select(sp.c.parent_id).where(sp.c.id == space_id).scalar_subquery()
    return sa.select(sp.c.id).where(sa.or_(sp.c.id == space_id, sp.c.parent_id == space_id, sp.c.id == whole))


def _public_window(starts_from: datetime, starts_to: datetime) -> list[Any]:
    """Occurrences the public sees in a window: approved ones, and those cancelled after approval
    (so calendars drop them). Served by ix_bookings_space_starts."""
    b = t.bookings
    return [b.c.starts_at > starts_from - timedelta(days=1),  # a booking lasts at most a day
            b.c.starts_at < starts_to, b.c.was_approved, b.c.ends_at > starts_from]


def _aware(value: datetime | str | None) -> datetime | None:
    if isinstance(value, str):  # SQLite aggregates lose the column type
        value = datetime.fromisoformat(value)
    if value is not None and value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value


