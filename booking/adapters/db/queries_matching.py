"""Read models of associations in the open: the public directory (scalar filters in SQL, the JSON lists
in Python over the few columns needed), an association's public profile, its training times (derived from
its approved public bookings in the current season), the bookings it may choose to show, and the staff's
verification queue. Reads only; writes go through booking/domain/matching/."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from booking.adapters.db import tables as t
from booking.adapters.db import tables_activities as ta
from booking.adapters.db import tables_allocation as tal
from booking.adapters.db import tables_matching as tm
from booking.adapters.db.database import Database
from booking.adapters.db.types import escape_like
from booking.domain.activities.model import ActivityStatus, SessionStatus
from booking.domain.matching.directory import DirectoryFilter, Names, SearchRow, Why, why
from booking.domain.matching.profile import ProfileFields
from booking.domain.matching.states import ProfileStatus
from booking.domain.matching.training_times import Occurrence, TrainingTimes, by_association, season_window
from booking.domain.premises.bookings import BookingStatus
from booking.domain.shared.localtime import local_instant

P = tm.association_profiles
A = t.associations
CHUNK = 500  # ids per IN list


@dataclass(frozen=True)
class DirectoryItem:
    row: SearchRow
    published: ProfileFields
    times: TrainingTimes
    why: list[Why]


@dataclass(frozen=True)
class DirectoryPage:
    items: list[DirectoryItem]
    total: int
    names: Names


@dataclass(frozen=True)
class PublicActivity:
    id: UUID
    title: str
    title_en: str | None
    next_start: datetime
    try_out: bool  # an activity with sign-up (prova på)


@dataclass(frozen=True)
class PublicProfile:
    association_id: UUID
    name: str
    published: ProfileFields
    published_at: datetime
    times: TrainingTimes
    activities: list[PublicActivity]
    accepts_requests: bool
    requests_paused: bool
    names: Names


@dataclass(frozen=True)
class TimeChoice:
    """An approved, upcoming booking (or a series) of the association, and whether its profile shows it."""

    kind: str  # "series" | "booking"
    id: UUID
    day: date  # the next date
    start: time
    end: time
    site_name: str
    space_name: str
    dates: int
    public: bool


@dataclass(frozen=True)
class QueueEntry:
    association_id: UUID
    name: str
    status: ProfileStatus
    published_at: datetime | None
    review_note: str | None
    updated_at: datetime


def _row(r: Any) -> SearchRow:
    return SearchRow(r.association_id, r.name, r.age_min, r.age_max, r.free_to_try, r.accessible,
                     tuple(UUID(i) for i in r.interests), tuple(UUID(i) for i in r.areas), tuple(r.languages),
                     tuple(r.for_whom), r.requests_paused)


def _chunks(ids: Sequence[UUID]) -> list[list[UUID]]:
    return [list(ids[i:i + CHUNK]) for i in range(0, len(ids), CHUNK)]


class MatchingQueries:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def zone(self, municipality_id: UUID) -> ZoneInfo:
        async with self.db.read_sessions() as s:
            return await self._zone(s, municipality_id)

    async def _zone(self, s: AsyncSession, municipality_id: UUID) -> ZoneInfo:
        name = (await s.execute(sa.select(t.municipalities.c.timezone)
                                .where(t.municipalities.c.id == municipality_id))).scalar_one_or_none()
        return ZoneInfo(name or "Europe/Stockholm")

    async def _names(self, s: AsyncSession, municipality_id: UUID) -> Names:
        c, ar = tm.interest_categories, t.areas
        cats = await s.execute(sa.select(c.c.id, c.c.name, c.c.name_en).where(c.c.municipality_id == municipality_id))
        areas = await s.execute(sa.select(ar.c.id, ar.c.name).where(ar.c.municipality_id == municipality_id))
        return Names({i: (n, en or n) for i, n, en in cats}, {i: n for i, n in areas})

    async def _window(self, s: AsyncSession, municipality_id: UUID, now: datetime,
                      zone: ZoneInfo) -> tuple[datetime, datetime]:
        r = tal.allocation_rounds
        seasons = await s.execute(sa.select(r.c.first_day, r.c.last_day).where(r.c.municipality_id == municipality_id))
        _, last = season_window(now.astimezone(zone).date(), [(a, b) for a, b in seasons])
        return now, local_instant(last + timedelta(days=1), time(0), zone)

    def _public_approved(self, municipality_id: UUID, ids: list[UUID],
                         window: tuple[datetime, datetime]) -> list[Any]:
        b, bs = t.bookings, t.booking_series
        return [b.c.municipality_id == municipality_id, b.c.association_id.in_(ids),
                b.c.status == BookingStatus.APPROVED, b.c.ends_at > window[0], b.c.starts_at < window[1],
                sa.or_(b.c.public_on_profile.is_(True), bs.c.public_on_profile.is_(True))]

    async def _occurrences(self, s: AsyncSession, municipality_id: UUID, association_ids: Sequence[UUID],
                           window: tuple[datetime, datetime], zone: ZoneInfo) -> list[Occurrence]:
        """The associations' approved public bookings in the window, counted in the database by room, UTC
        weekday and time of day and length (a weekly time is a few rows, not one per date), then put in local
        time. A group whose first and last dates differ in local time (a time that moves with a DST change
        differently than the clocks) is read date by date instead."""
        b, bs, sp, si = t.bookings, t.booking_series, t.spaces, t.sites
        slot: sa.ColumnElement[Any]
        length: sa.ColumnElement[Any]
        week = 7 * 86400  # the instant's second within its UTC week: the UTC weekday and time of day at once
        if self.db.dialect == "postgresql":
            slot = sa.cast(sa.func.extract("epoch", b.c.starts_at), sa.BigInteger) % week
            length = sa.func.extract("epoch", b.c.ends_at - b.c.starts_at)
        else:
            slot = sa.cast(sa.func.strftime("%s", b.c.starts_at), sa.Integer) % week
            length = sa.func.round((sa.func.julianday(b.c.ends_at) - sa.func.julianday(b.c.starts_at)) * 86400)
        out: list[Occurrence] = []
        uneven: set[UUID] = set()
        for ids in _chunks(association_ids):
            query = (sa.select(b.c.association_id, si.c.name.label("site"), sp.c.name.label("space"),
                               length.label("seconds"), sa.func.count().label("n"),
                               sa.func.min(b.c.starts_at).label("first"), sa.func.max(b.c.starts_at).label("last"))
                     .join(sp, sp.c.id == b.c.space_id).join(si, si.c.id == sp.c.site_id)
                     .outerjoin(bs, bs.c.id == b.c.series_id)
                     .where(*self._public_approved(municipality_id, ids, window))
                     .group_by(b.c.association_id, b.c.space_id, si.c.name, sp.c.name, slot, length))
            for r in await s.execute(query):
                first, last = r.first.astimezone(zone), r.last.astimezone(zone)
                if (first.weekday(), first.time()) != (last.weekday(), last.time()):
                    uneven.add(r.association_id)
                    continue
                end = (r.first + timedelta(seconds=float(r.seconds))).astimezone(zone)
                out.append(Occurrence(r.association_id, first.date(), first.time(), end.time(), r.site, r.space,
                                      count=int(r.n)))
        if uneven:
            out = [o for o in out if o.association_id not in uneven]
            query = (sa.select(b.c.association_id, b.c.starts_at, b.c.ends_at, sp.c.name.label("space"),
                               si.c.name.label("site"))
                     .join(sp, sp.c.id == b.c.space_id).join(si, si.c.id == sp.c.site_id)
                     .outerjoin(bs, bs.c.id == b.c.series_id)
                     .where(*self._public_approved(municipality_id, sorted(uneven), window)))
            for r in await s.execute(query):
                start, end = r.starts_at.astimezone(zone), r.ends_at.astimezone(zone)
                out.append(Occurrence(r.association_id, start.date(), start.time(), end.time(), r.site, r.space))
        return out

    async def training_times(self, municipality_id: UUID, association_ids: Sequence[UUID],
                             now: datetime) -> dict[UUID, TrainingTimes]:
        async with self.db.read_sessions() as s:
            zone = await self._zone(s, municipality_id)
            window = await self._window(s, municipality_id, now, zone)
            return by_association(await self._occurrences(s, municipality_id, association_ids, window, zone))

    def _rows_query(self, municipality_id: UUID, f: DirectoryFilter) -> sa.Select[Any]:
        """Published profiles, narrowed by the filters SQL can apply to the searchable copy's scalars."""
        query = (sa.select(P.c.association_id, A.c.name, P.c.age_min, P.c.age_max, P.c.free_to_try, P.c.accessible,
                           P.c.interests, P.c.areas, P.c.languages, P.c.for_whom, P.c.requests_paused)
                 .join(A, A.c.id == P.c.association_id)
                 .where(P.c.municipality_id == municipality_id, P.c.published_at.is_not(None)))
        if f.age is not None:
            query = query.where(P.c.age_min <= f.age, P.c.age_max >= f.age)
        if f.free_to_try:
            query = query.where(P.c.free_to_try.is_(True))
        if f.accessible:
            query = query.where(P.c.accessible.is_(True))
        if f.q:
            query = query.where(sa.func.lower(A.c.name).like(f"%{escape_like(f.q.lower())}%", escape="\\"))
        # The lists are checked in Python (`directory.why`); the database only narrows the candidates to rows
        # whose JSON text names the value (a quoted UUID or language code matches nothing else).
        for column, value in ((P.c.interests, f.interest), (P.c.areas, f.area), (P.c.languages, f.language)):
            if value is not None:
                query = query.where(sa.cast(column, sa.Text).like(f'%"{escape_like(str(value))}"%', escape="\\"))
        return query.order_by(A.c.name, P.c.association_id)

    async def published_rows(self, municipality_id: UUID, f: DirectoryFilter = DirectoryFilter()
                             ) -> tuple[list[SearchRow], Names]:
        """The published profiles' searchable rows narrowed by the scalar filters of `f` (the list filters and
        the weekday are the caller's: `directory.why`), and the names of the categories and areas."""
        async with self.db.read_sessions() as s:
            names = await self._names(s, municipality_id)
            return [_row(r) for r in await s.execute(self._rows_query(municipality_id, f))], names

    async def directory(self, municipality_id: UUID, f: DirectoryFilter, now: datetime, limit: int,
                        offset: int) -> DirectoryPage:
        """Published profiles matching every filter, by name. The scalar filters run in SQL; the JSON lists
        (interest, area, language) and the weekday of the training times in Python over the candidates."""
        async with self.db.read_sessions() as s:
            zone = await self._zone(s, municipality_id)
            names = await self._names(s, municipality_id)
            rows = [_row(r) for r in await s.execute(self._rows_query(municipality_id, f))]
            window = await self._window(s, municipality_id, now, zone)
            times: dict[UUID, TrainingTimes] = {}
            if f.needs_weekdays:
                plain = DirectoryFilter(f.interest, f.age, f.area, None, f.free_to_try, f.language, f.accessible, f.q)
                rows = [r for r in rows if why(r, plain, names) is not None]
                times = by_association(await self._occurrences(
                    s, municipality_id, [r.association_id for r in rows], window, zone))
            matched = [(r, w) for r in rows
                       if (w := why(r, f, names, times[r.association_id].weekdays
                                    if r.association_id in times else frozenset())) is not None]
            page = matched[offset:offset + limit]
            ids = [r.association_id for r, _ in page]
            published: dict[UUID, ProfileFields] = {}
            if ids:
                found = await s.execute(sa.select(P.c.association_id, P.c.published).where(P.c.association_id.in_(ids)))
                published = {a: ProfileFields.from_json(p) for a, p in found}
                if not f.needs_weekdays:
                    times = by_association(await self._occurrences(s, municipality_id, ids, window, zone))
        items = [DirectoryItem(r, published[r.association_id], times.get(r.association_id, TrainingTimes()), w)
                 for r, w in page if r.association_id in published]
        return DirectoryPage(items, len(matched), names)

    async def public_profile(self, municipality_id: UUID, association_id: UUID, now: datetime) -> PublicProfile | None:
        async with self.db.read_sessions() as s:
            zone = await self._zone(s, municipality_id)
            found = (await s.execute(
                sa.select(A.c.name, P.c.published, P.c.published_at, P.c.requests_paused, P.c.contact_id)
                .join(A, A.c.id == P.c.association_id)
                .where(P.c.municipality_id == municipality_id, P.c.association_id == association_id,
                       P.c.published_at.is_not(None)))).first()
            if found is None or found.published is None:
                return None
            names = await self._names(s, municipality_id)
            window = await self._window(s, municipality_id, now, zone)
            times = by_association(await self._occurrences(s, municipality_id, [association_id], window, zone))
            activities = await self._activities(s, municipality_id, association_id, now)
        return PublicProfile(association_id, found.name, ProfileFields.from_json(found.published), found.published_at,
                             times.get(association_id, TrainingTimes()), activities,
                             accepts_requests=not found.requests_paused and found.contact_id is not None,
                             requests_paused=found.requests_paused, names=names)

    async def _activities(self, s: AsyncSession, municipality_id: UUID, association_id: UUID,
                          now: datetime) -> list[PublicActivity]:
        """The association's published activities with an upcoming session (holiday activities, prova på)."""
        a, se = ta.activities, ta.activity_sessions
        query = (sa.select(a.c.id, a.c.title, a.c.translations, a.c.signup_required,
                           sa.func.min(se.c.starts_at).label("next_start"))
                 .join(se, se.c.activity_id == a.c.id)
                 .where(a.c.municipality_id == municipality_id, a.c.association_id == association_id,
                        a.c.status == ActivityStatus.PUBLISHED, se.c.status == SessionStatus.SCHEDULED,
                        se.c.starts_at > now)
                 .group_by(a.c.id, a.c.title, a.c.translations, a.c.signup_required)
                 .order_by(sa.func.min(se.c.starts_at)).limit(20))
        return [PublicActivity(r.id, r.title, ((r.translations or {}).get("en") or {}).get("title"), r.next_start,
                               bool(r.signup_required)) for r in await s.execute(query)]

    async def time_choices(self, municipality_id: UUID, association_id: UUID, now: datetime) -> list[TimeChoice]:
        """The association's approved bookings in the current season: a series as one choice, the others
        one by one; each with whether the profile shows it."""
        b, bs, sp, si = t.bookings, t.booking_series, t.spaces, t.sites
        async with self.db.read_sessions() as s:
            zone = await self._zone(s, municipality_id)
            window = await self._window(s, municipality_id, now, zone)
            query = (sa.select(b.c.id, b.c.series_id, b.c.starts_at, b.c.ends_at, b.c.public_on_profile,
                               bs.c.public_on_profile.label("series_public"), sp.c.name.label("space"),
                               si.c.name.label("site"))
                     .join(sp, sp.c.id == b.c.space_id).join(si, si.c.id == sp.c.site_id)
                     .outerjoin(bs, bs.c.id == b.c.series_id)
                     .where(b.c.municipality_id == municipality_id, b.c.association_id == association_id,
                            b.c.status == BookingStatus.APPROVED, b.c.ends_at > window[0],
                            b.c.starts_at < window[1])
                     .order_by(b.c.starts_at))
            rows = (await s.execute(query)).all()
        choices: dict[UUID, TimeChoice] = {}
        for r in rows:
            start, end = r.starts_at.astimezone(zone), r.ends_at.astimezone(zone)
            key = r.series_id or r.id
            if key in choices:
                c = choices[key]
                choices[key] = TimeChoice(c.kind, c.id, c.day, c.start, c.end, c.site_name, c.space_name,
                                          c.dates + 1, c.public)
                continue
            series = r.series_id is not None
            choices[key] = TimeChoice("series" if series else "booking", key, start.date(), start.time(), end.time(),
                                      r.site, r.space, 1, bool(r.series_public if series else r.public_on_profile))
        return list(choices.values())

    async def queue(self, municipality_id: UUID, status: ProfileStatus | None, limit: int,
                    offset: int) -> tuple[list[QueueEntry], int]:
        """Profiles of the municipality (those awaiting verification first), for staff."""
        where = [P.c.municipality_id == municipality_id]
        if status is not None:
            where.append(P.c.status == status)
        query = (sa.select(P.c.association_id, A.c.name, P.c.status, P.c.published_at, P.c.review_note,
                           P.c.updated_at).join(A, A.c.id == P.c.association_id).where(*where))
        waiting_first = sa.case((P.c.status == ProfileStatus.SUBMITTED, 0), else_=1)
        async with self.db.read_sessions() as s:
            total = (await s.execute(sa.select(sa.func.count()).select_from(query.subquery()))).scalar_one()
            rows = await s.execute(query.order_by(waiting_first, P.c.updated_at, A.c.name).limit(limit).offset(offset))
            return [QueueEntry(r.association_id, r.name, ProfileStatus(r.status), r.published_at, r.review_note,
                               r.updated_at) for r in rows], int(total)

    async def contacts(self, association_id: UUID) -> list[tuple[UUID, str]]:
        """The association's contact persons (id, name), for its representatives to choose from."""
        ac = t.association_contacts
        async with self.db.read_sessions() as s:
            rows = await s.execute(sa.select(ac.c.id, ac.c.name).where(ac.c.association_id == association_id)
                                   .order_by(ac.c.name))
            return [(i, n) for i, n in rows]

