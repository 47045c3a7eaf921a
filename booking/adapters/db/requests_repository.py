"""Storage of föreningsmatchning: interest requests (SQLAlchemy Core on the session of the unit of work), the
profile state that gates them, and the published associations the matching ranks with their public
training times (approved bookings the association marked public, from now to 120 days ahead)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from booking.adapters.db import tables as t
from booking.adapters.db import tables_matching as tm
from booking.domain.matching.match import Candidate, TrainingTime
from booking.domain.matching.requests import InterestRequest, anonymise
from booking.domain.matching.requests_ports import AreaPoint, ProfileState
from booking.domain.matching.states import RequestStatus
from booking.domain.people.roles import Role
from booking.domain.premises.attendance import Gender
from booking.domain.premises.bookings import BookingStatus

TRAINING_DAYS = 120
r = tm.interest_requests
p = tm.association_profiles


def _uuids(values: Any) -> tuple[UUID, ...]:
    return tuple(UUID(str(v)) for v in (values or []))


def to_request(row: Any) -> InterestRequest:
    return InterestRequest(
        row.municipality_id, row.association_id, list(_uuids(row.interests)), row.age, row.sender_hash,
        consent=row.consent, guardian_consent=row.guardian_consent, via_counter=row.via_counter,
        gender=Gender(row.gender) if row.gender else None, home_area_id=row.home_area_id,
        days=[int(d) for d in row.days or []], message=row.message, contact_name=row.contact_name,
        contact_email=row.contact_email, contact_phone=row.contact_phone, made_by=row.made_by,
        status=RequestStatus(row.status), answer=row.answer, answered_at=row.answered_at,
        answered_by=row.answered_by, anonymised_at=row.anonymised_at, created_at=row.created_at, id=row.id)


def _values(q: InterestRequest) -> dict[str, Any]:
    return {"municipality_id": q.municipality_id, "association_id": q.association_id, "status": q.status,
            "interests": [str(i) for i in q.interests], "age": q.age, "gender": q.gender,
            "home_area_id": q.home_area_id, "days": list(q.days), "message": q.message,
            "contact_name": q.contact_name, "contact_email": q.contact_email, "contact_phone": q.contact_phone,
            "consent": q.consent, "guardian_consent": q.guardian_consent, "via_counter": q.via_counter,
            "made_by": q.made_by, "sender_hash": q.sender_hash, "answer": q.answer, "answered_at": q.answered_at,
            "answered_by": q.answered_by, "anonymised_at": q.anonymised_at}


async def training_times(session: AsyncSession, association_ids: Sequence[UUID], zone: ZoneInfo, now: datetime
                         ) -> dict[UUID, list[TrainingTime]]:
    """Each association's regular public times, from now to 120 days ahead: a public series' occurrences are
    counted in SQL and named by the series' rule (its weekdays and local start and end); single public
    bookings are grouped by weekday, local start/end and space."""
    if not association_ids:
        return {}
    b, s, sp = t.bookings, t.booking_series, t.spaces
    end = now + timedelta(days=TRAINING_DAYS)
    ids = list(association_ids)
    # coalesce() keeps the planner off the start's index (SQLite would walk the whole window by it): the
    # association's index finds its few bookings, the window is a filter on them
    starts = sa.func.coalesce(b.c.starts_at, b.c.ends_at)
    window = [b.c.status == BookingStatus.APPROVED, starts >= now, starts < end]
    counted: list[Any] = []
    singles: list[Any] = []
    for first in range(0, len(ids), 500):
        chunk = b.c.association_id.in_(ids[first:first + 500])
        counted += (await session.execute(
            sa.select(b.c.association_id, s.c.id, s.c.weekdays, s.c.local_start, s.c.local_end, s.c.space_id,
                      sa.func.count().label("dates"))
            .select_from(b.join(s, s.c.id == b.c.series_id))
            .where(chunk, s.c.public_on_profile, *window)
            .group_by(b.c.association_id, s.c.id, s.c.weekdays, s.c.local_start, s.c.local_end, s.c.space_id)
        )).all()
        singles += (await session.execute(  # public one by one: alone, or of a series not public as a whole
            sa.select(b.c.association_id, b.c.starts_at, b.c.ends_at, b.c.space_id)
            .select_from(b.outerjoin(s, s.c.id == b.c.series_id))
            .where(chunk, b.c.public_on_profile, sa.or_(s.c.id.is_(None), ~s.c.public_on_profile), *window))).all()
    if not counted and not singles:
        return {}
    places = {r.id: r for r in (await session.execute(
        sa.select(sp.c.id, sp.c.name.label("space_name"), t.sites.c.name.label("site_name"), t.sites.c.latitude,
                  t.sites.c.longitude).select_from(sp.join(t.sites, t.sites.c.id == sp.c.site_id))
        .where(sp.c.id.in_(list({r.space_id for r in [*counted, *singles]}))))).all()}
    grouped: dict[tuple[UUID, int, str, str, UUID], int] = {}
    for row in counted:
        days = sorted({int(d) for d in row.weekdays or []}) or [1]
        for d in days:  # the series' weekdays, 0 = Monday as the premises rule counts them
            key = (row.association_id, d + 1, row.local_start.strftime("%H:%M"), row.local_end.strftime("%H:%M"),
                   row.space_id)
            grouped[key] = grouped.get(key, 0) + max(1, round(row.dates / len(days)))
    for row in singles:
        start, stop = row.starts_at.astimezone(zone), row.ends_at.astimezone(zone)
        key = (row.association_id, start.isoweekday(), start.strftime("%H:%M"), stop.strftime("%H:%M"), row.space_id)
        grouped[key] = grouped.get(key, 0) + 1
    out: dict[UUID, list[TrainingTime]] = {}
    for (association_id, weekday, start_text, end_text, space_id), dates in grouped.items():
        place = places[space_id]
        out.setdefault(association_id, []).append(TrainingTime(
            weekday, start_text, end_text, place.site_name, place.space_name, dates, place.latitude, place.longitude))
    for times in out.values():
        times.sort(key=lambda x: (-x.dates, x.weekday, x.start))
    return out


class SqlInterestRequests:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def profile_state(self, association_id: UUID, *, lock: bool = False) -> ProfileState | None:
        a = t.associations
        query = (sa.select(a.c.id, a.c.municipality_id, a.c.name, p.c.published_at, p.c.requests_paused,
                           p.c.id.label("pid"))
                 .select_from(a.outerjoin(p, p.c.association_id == a.c.id)).where(a.c.id == association_id))
        row = (await self.session.execute(query)).one_or_none()
        if row is None:
            return None
        if lock and row.pid is not None:
            await self.session.execute(sa.select(p.c.id).where(p.c.id == row.pid).with_for_update())
        return ProfileState(row.id, row.municipality_id, row.name, row.published_at is not None,
                            bool(row.requests_paused))

    async def set_paused(self, association_id: UUID, paused: bool, by: UUID, now: datetime) -> bool:
        done = await self.session.execute(sa.update(p).where(p.c.association_id == association_id)
                                          .values(requests_paused=paused, updated_at=now))
        return bool(getattr(done, "rowcount", 0))

    async def category_names(self, municipality_id: UUID) -> dict[UUID, tuple[str, str]]:
        c = tm.interest_categories
        rows = (await self.session.execute(sa.select(c.c.id, c.c.name, c.c.name_en)
                                           .where(c.c.municipality_id == municipality_id))).all()
        return {row.id: (row.name, row.name_en or row.name) for row in rows}

    async def area(self, municipality_id: UUID, area_id: UUID) -> AreaPoint | None:
        a = t.areas
        row = (await self.session.execute(sa.select(a.c.id, a.c.name, a.c.latitude, a.c.longitude).where(
            a.c.id == area_id, a.c.municipality_id == municipality_id))).one_or_none()
        return AreaPoint(row.id, row.name, row.latitude, row.longitude) if row else None

    async def recent_times(self, sender_hash: str, association_id: UUID, since: datetime
                           ) -> tuple[list[datetime], list[datetime]]:
        mine = (await self.session.execute(sa.select(r.c.created_at).where(
            r.c.sender_hash == sender_hash, r.c.created_at > since))).scalars().all()
        theirs = (await self.session.execute(sa.select(r.c.created_at).where(
            r.c.association_id == association_id, r.c.created_at > since))).scalars().all()
        return list(mine), list(theirs)

    async def recipients(self, association_id: UUID) -> list[str]:
        c = t.association_contacts
        query = (sa.select(c.c.email).select_from(p.join(c, c.c.id == p.c.contact_id))
                 .where(p.c.association_id == association_id, c.c.email.is_not(None)))
        email = (await self.session.execute(query)).scalar_one_or_none()
        if email:
            return [email]
        g = t.role_grants
        reps = (await self.session.execute(
            sa.select(t.accounts.c.email).select_from(g.join(t.accounts, t.accounts.c.id == g.c.account_id))
            .where(g.c.role == Role.ASSOCIATION_REP, g.c.scope_id == association_id)
            .order_by(t.accounts.c.email))).scalars().all()
        return list(dict.fromkeys(reps))

    async def add(self, q: InterestRequest) -> None:
        await self.session.execute(sa.insert(r).values(id=q.id, created_at=q.created_at, updated_at=q.created_at,
                                                       **_values(q)))

    async def get(self, request_id: UUID, *, lock: bool = False) -> InterestRequest | None:
        query = sa.select(r).where(r.c.id == request_id)
        row = (await self.session.execute(query.with_for_update() if lock else query)).one_or_none()
        return to_request(row) if row else None

    async def save(self, request: InterestRequest) -> None:
        await self.session.execute(sa.update(r).where(r.c.id == request.id).values(**_values(request)))

    async def of_association(self, association_id: UUID) -> Sequence[InterestRequest]:
        rows = (await self.session.execute(sa.select(r).where(r.c.association_id == association_id)
                                           .order_by(r.c.created_at.desc()))).all()
        return [to_request(row) for row in rows]

    async def candidates(self, municipality_id: UUID, interests: Sequence[UUID], today: datetime,
                         age: int | None = None) -> list[Candidate]:
        wanted = {str(i) for i in interests}
        a = t.associations
        query = (sa.select(p.c.association_id, a.c.name, p.c.interests, p.c.age_min, p.c.age_max, p.c.areas,
                           p.c.free_to_try, p.c.requests_paused)
                 .select_from(p.join(a, a.c.id == p.c.association_id))
                 .where(p.c.municipality_id == municipality_id, p.c.published_at.is_not(None),
                        p.c.published.is_not(None)))
        # a first sieve in SQL on the JSON list's text (ids are hex and dashes: nothing LIKE treats specially);
        # the exact test follows in Python
        query = query.where(sa.or_(*(sa.cast(p.c.interests, sa.Text).like(f"%{i}%") for i in wanted)))
        if age is not None:  # the searchable copy: only those whose age range holds the age need their times
            query = query.where(sa.or_(p.c.age_min.is_(None), p.c.age_min <= age),
                                sa.or_(p.c.age_max.is_(None), p.c.age_max >= age))
        rows = [row for row in (await self.session.execute(query)).all()
                if wanted & {str(i) for i in row.interests or []}]
        zone_name = (await self.session.execute(sa.select(t.municipalities.c.timezone).where(
            t.municipalities.c.id == municipality_id))).scalar_one_or_none()
        times = await training_times(self.session, [row.association_id for row in rows],
                                     ZoneInfo(zone_name or "Europe/Stockholm"), today)
        return [Candidate(row.association_id, row.name, _uuids(row.interests), row.age_min, row.age_max,
                          _uuids(row.areas), bool(row.free_to_try), not row.requests_paused,
                          tuple(times.get(row.association_id, []))) for row in rows]

    async def anonymise_before(self, cutoff: datetime, now: datetime) -> int:
        rows = (await self.session.execute(sa.select(r).where(r.c.created_at < cutoff, r.c.anonymised_at.is_(None))
                                           .with_for_update())).all()
        for row in rows:
            request = to_request(row)
            anonymise(request, now)
            await self.save(request)
        return len(rows)
