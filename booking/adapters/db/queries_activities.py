"""Read models of holiday activities: the public listing of sessions (the same rows feed the JSON
list and the iCal feeds), a guardian's registrations, a session's participants for staff, and the
follow-up counts. Reads only; writes go through booking/domain/activities/services.py."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from booking.adapters.db import tables as t
from booking.adapters.db import tables_activities as ta
from booking.adapters.db import tables_draw
from booking.adapters.db import tables_lending as tl
from booking.adapters.db.database import Database
from booking.domain.activities.draw_model import HolidayDraw
from booking.domain.activities.lov import HolidayPeriod
from booking.domain.activities.model import (
    Activity,
    ActivitySession,
    ActivityStatus,
    Registration,
    RegistrationStatus,
    SessionStatus,
    age_group,
    age_in,
)
from booking.domain.shared.errors import expect
from booking.domain.shared.localtime import local_instant
from booking.domain.shared.reach import per_1000

MAX_LISTED = 2000


@dataclass(frozen=True)
class SessionFilter:
    municipality_id: UUID
    first_day: date | None = None  # local dates, inclusive
    last_day: date | None = None
    age: int | None = None
    area_id: UUID | None = None
    category: str | None = None
    free_only: bool = False
    activity_id: UUID | None = None
    session_id: UUID | None = None


@dataclass(frozen=True)
class SessionView:
    session: ActivitySession
    activity: Activity
    area_name: str | None
    place_name: str | None  # "Site, Space" or the activity's free-text place
    waiting: int
    site_id: UUID | None = None  # the site of the session's room (scope.site_of)

    @property
    def free_places(self) -> int:
        return self.session.free_places if self.activity.status is ActivityStatus.PUBLISHED else 0

    @property
    def cancelled(self) -> bool:
        return self.session.status is SessionStatus.CANCELLED or self.activity.status is ActivityStatus.CANCELLED

    @property
    def last_modified(self) -> datetime:
        stamps = [s for s in (self.session.updated_at, self.activity.updated_at) if s is not None]
        return max(stamps)


@dataclass(frozen=True)
class RegistrationView:
    registration: Registration
    session: ActivitySession
    activity: Activity
    place_name: str | None
    site_id: UUID | None = None


@dataclass
class FollowUp:
    """Counts of one holiday (or any span): what was offered and who took part."""

    activities: int = 0
    sessions: int = 0
    places: int = 0
    sign_ups: int = 0  # confirmed registrations
    waiting: int = 0
    attended: int = 0  # confirmed registrations marked present
    drop_in_visitors: int = 0
    participants_by_gender: dict[str, int] = field(default_factory=dict)
    participants_by_age_group: dict[str, int] = field(default_factory=dict)
    # signed-up participants by their HOME area (area name -> participants), not the activity's area;
    # those without a home area and the drop-in visitors are counted apart, never given to an area
    participants_by_area: dict[str, int] = field(default_factory=dict)
    participants_unknown_home_area: int = 0
    participants_by_gender_and_age_group: dict[str, dict[str, int]] = field(default_factory=dict)


@dataclass(frozen=True)
class AreaReach:
    area_id: UUID
    area_name: str
    population_0_17: int | None
    participants: int

    @property
    def per_1000(self) -> float | None:
        return per_1000(self.participants, self.population_0_17)


class ActivityQueries:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def zone(self, municipality_id: UUID) -> ZoneInfo:
        async with self.db.read_sessions() as s:
            name = (await s.execute(sa.select(t.municipalities.c.timezone)
                                    .where(t.municipalities.c.id == municipality_id))).scalar_one_or_none()
        return ZoneInfo(name or "Europe/Stockholm")

    async def periods(self, municipality_id: UUID, year: int | None) -> Sequence[HolidayPeriod]:
        p = ta.holiday_periods
        query = sa.select(HolidayPeriod).where(p.c.municipality_id == municipality_id)
        if year is not None:
            query = query.where(p.c.year == year)
        async with self.db.read_sessions() as s:
            return (await s.execute(query.order_by(p.c.first_day))).scalars().all()

    async def draws_by_period(self, municipality_id: UUID) -> dict[UUID, HolidayDraw]:
        """The municipality's holiday draws by their period (a period without one is first come)."""
        query = sa.select(HolidayDraw).where(tables_draw.holiday_draws.c.municipality_id == municipality_id)
        async with self.db.read_sessions() as s:
            return {d.period_id: d for d in (await s.execute(query)).scalars().all()}

    async def period(self, period_id: UUID) -> HolidayPeriod | None:
        async with self.db.read_sessions() as s:
            return await s.get(HolidayPeriod, period_id)

    async def activity(self, activity_id: UUID) -> Activity | None:
        async with self.db.read_sessions() as s:
            return await s.get(Activity, activity_id)

    async def article_names(self, municipality_id: UUID, ids: Sequence[str]) -> list[tuple[str, str]]:
        """(id, name with its variant) of the lending catalogue's articles among `ids`, in the given order."""
        wanted = []
        for ident in ids:
            try:
                wanted.append(UUID(ident))
            except ValueError:
                continue
        if not wanted:
            return []
        la = tl.lending_articles
        async with self.db.read_sessions() as s:
            rows = (await s.execute(sa.select(la.c.id, la.c.name, la.c.variant).where(
                la.c.municipality_id == municipality_id, la.c.id.in_(wanted)))).all()
        names = {str(row.id): f"{row.name} {row.variant}" if row.variant else row.name for row in rows}
        return [(str(i), names[str(i)]) for i in wanted if str(i) in names]

    async def site_of_space(self, space_id: UUID | None) -> UUID | None:
        if space_id is None:
            return None
        async with self.db.read_sessions() as s:
            return (await s.execute(sa.select(t.spaces.c.site_id).where(t.spaces.c.id == space_id))
                    ).scalar_one_or_none()

    async def activities(self, municipality_id: UUID, statuses: set[ActivityStatus] | None,
                         association_ids: set[UUID] | None, limit: int, offset: int,
                         unpublished_at: frozenset[UUID] | None = None) -> tuple[list[Activity], int]:
        """`unpublished_at`: besides the published activities, only those in a space of these sites
        (a leisure staff grant narrowed to sites)."""
        a = ta.activities
        query = sa.select(Activity).where(a.c.municipality_id == municipality_id)
        if statuses is not None:
            query = query.where(a.c.status.in_([s.value for s in statuses]))
        if association_ids is not None:
            query = query.where(a.c.association_id.in_(association_ids))
        if unpublished_at is not None:
            query = query.where(sa.or_(a.c.status == ActivityStatus.PUBLISHED.value,
                                       a.c.space_id.in_(_spaces_at(unpublished_at))))
        async with self.db.read_sessions() as s:
            total = (await s.execute(sa.select(sa.func.count()).select_from(query.subquery()))).scalar_one()
            rows = (await s.execute(query.order_by(a.c.created_at.desc(), a.c.id).limit(limit).offset(offset))
                    ).scalars().all()
        return list(rows), int(total)

    async def sessions(self, f: SessionFilter, zone: ZoneInfo, *, public: bool = True, limit: int = MAX_LISTED,
                       offset: int = 0) -> tuple[list[SessionView], int]:
        """Sessions in start order. Public: of published activities (and of activities cancelled after
        publication: their sessions stay listed as cancelled, so calendars can drop them)."""
        s, a = ta.activity_sessions, ta.activities
        r = ta.registrations
        waiting = (sa.select(sa.func.count()).select_from(r)
                   .where(r.c.session_id == s.c.id, r.c.status == RegistrationStatus.WAITING.value)
                   .correlate(s).scalar_subquery())
        where: list[Any] = [s.c.municipality_id == f.municipality_id]
        if public:
            where.append(sa.or_(a.c.status == ActivityStatus.PUBLISHED.value,
                                s.c.status == SessionStatus.CANCELLED.value))
        if f.first_day is not None:
            where.append(s.c.starts_at >= local_instant(f.first_day, time(0), zone, "from"))
        if f.last_day is not None:
            where.append(s.c.starts_at < local_instant(f.last_day + timedelta(days=1), time(0), zone, "to"))
        if f.age is not None:
            where += [a.c.age_min <= f.age, a.c.age_max >= f.age]
        if f.area_id is not None:
            where.append(a.c.area_id == f.area_id)
        if f.category is not None:
            where.append(a.c.category == f.category)
        if f.activity_id is not None:
            where.append(s.c.activity_id == f.activity_id)
        if f.session_id is not None:
            where.append(s.c.id == f.session_id)
        if f.free_only:
            where += [s.c.status == SessionStatus.SCHEDULED.value, a.c.status == ActivityStatus.PUBLISHED.value,
                      a.c.signup_required, s.c.confirmed < s.c.capacity]
        counted = sa.select(sa.func.count()).select_from(s.join(a, a.c.id == s.c.activity_id)).where(*where)
        query = (sa.select(ActivitySession, Activity, t.areas.c.name, t.sites.c.name, t.spaces.c.name, waiting,
                           t.spaces.c.site_id)
                 .join(a, a.c.id == s.c.activity_id)
                 .outerjoin(t.areas, t.areas.c.id == a.c.area_id)
                 .outerjoin(t.spaces, t.spaces.c.id == sa.func.coalesce(s.c.space_id, a.c.space_id))
                 .outerjoin(t.sites, t.sites.c.id == t.spaces.c.site_id)
                 .where(*where))
        async with self.db.read_sessions() as session:
            total = (await session.execute(counted)).scalar_one()
            rows = (await session.execute(query.order_by(s.c.starts_at, s.c.id).limit(limit).offset(offset))).all()
        out = []
        for sess, activity, area_name, site_name, space_name, n, site_id in rows:
            place = ", ".join(p for p in (site_name, space_name) if p) or activity.place
            out.append(SessionView(sess, activity, area_name, place, int(n), site_id))
        return out, int(total)

    async def session_view(self, session_id: UUID) -> SessionView | None:
        async with self.db.read_sessions() as s:
            sess = await s.get(ActivitySession, session_id)
        if sess is None:
            return None
        views, _ = await self.sessions(SessionFilter(sess.municipality_id, session_id=session_id), ZoneInfo("UTC"),
                                       public=False)
        return views[0] if views else None

    async def registrations_of_account(self, account_id: UUID) -> list[RegistrationView]:
        r, s = ta.registrations, ta.activity_sessions
        a = ta.activities
        query = (sa.select(Registration, ActivitySession, Activity, t.sites.c.name, t.spaces.c.name, t.sites.c.id)
                 .join(s, s.c.id == r.c.session_id).join(a, a.c.id == r.c.activity_id)
                 .outerjoin(t.spaces, t.spaces.c.id == sa.func.coalesce(s.c.space_id, a.c.space_id))
                 .outerjoin(t.sites, t.sites.c.id == t.spaces.c.site_id)
                 .where(r.c.account_id == account_id).order_by(s.c.starts_at, r.c.queue_no))
        async with self.db.read_sessions() as session:
            rows = (await session.execute(query)).all()
        return [RegistrationView(reg, sess, act, ", ".join(p for p in (site, space) if p) or act.place, site_id)
                for reg, sess, act, site, space, site_id in rows]

    async def registration(self, registration_id: UUID) -> RegistrationView | None:
        async with self.db.read_sessions() as session:
            reg = await session.get(Registration, registration_id)
            if reg is None:
                return None
            sess = await session.get(ActivitySession, reg.session_id)
            act = await session.get(Activity, reg.activity_id)
        sess = expect(sess, f"the session of registration {registration_id}")
        act = expect(act, f"the activity of registration {registration_id}")
        return RegistrationView(reg, sess, act, act.place, await self.site_of_space(sess.space_id or act.space_id))

    async def registration_by_ticket(self, code: str) -> Registration | None:
        async with self.db.read_sessions() as session:
            return (await session.execute(sa.select(Registration).where(ta.registrations.c.ticket_code == code))
                    ).scalars().first()

    async def participants(self, session_id: UUID) -> list[Registration]:
        r = ta.registrations
        async with self.db.read_sessions() as session:
            return list((await session.execute(sa.select(Registration).where(r.c.session_id == session_id)
                                               .order_by(r.c.queue_no))).scalars().all())

    async def follow_up(self, municipality_id: UUID, first_day: date, last_day: date,
                        zone: ZoneInfo, sites: frozenset[UUID] | None = None) -> tuple[FollowUp, list[AreaReach]]:
        """Counts over the sessions that start within the local dates (cancelled sessions left out);
        with `sites`, only those in a space of these sites (a staff grant narrowed to sites).
        A participant is a confirmed registration (sign-up activities) or a counted drop-in visitor.
        By area, and in the reach per 1,000 children, a registration counts for the child's HOME area
        (where the child lives, as the sign-up gave it), not for the area the activity is in: the
        question is which neighbourhoods the activities reach. Registrations without a home area count
        as unknown; drop-in visitors have none and are a figure of their own."""
        start = local_instant(first_day, time(0), zone, "from")
        end = local_instant(last_day + timedelta(days=1), time(0), zone, "to")
        s, a, r = ta.activity_sessions, ta.activities, ta.registrations
        live = sa.and_(s.c.municipality_id == municipality_id, s.c.starts_at >= start, s.c.starts_at < end,
                       s.c.status == SessionStatus.SCHEDULED.value, a.c.status == ActivityStatus.PUBLISHED.value)
        if sites is not None:
            live = sa.and_(live, sa.func.coalesce(s.c.space_id, a.c.space_id).in_(_spaces_at(sites)))
        async with self.db.read_sessions() as session:
            sessions = (await session.execute(
                sa.select(s.c.id, s.c.activity_id, s.c.capacity, s.c.visitors, s.c.starts_at,
                          a.c.signup_required).join(a, a.c.id == s.c.activity_id).where(live))).all()
            regs = (await session.execute(
                sa.select(r.c.status, r.c.gender, r.c.birth_year, r.c.attended_at, s.c.starts_at, r.c.home_area_id)
                .join(s, s.c.id == r.c.session_id).join(a, a.c.id == s.c.activity_id)
                .where(live, r.c.status != RegistrationStatus.CANCELLED.value))).all()
            areas = (await session.execute(sa.select(t.areas.c.id, t.areas.c.name, t.areas.c.population_0_17)
                                           .where(t.areas.c.municipality_id == municipality_id)
                                           .order_by(t.areas.c.name))).all()
        area_names = {row.id: row.name for row in areas}
        report = FollowUp(activities=len({row.activity_id for row in sessions}), sessions=len(sessions),
                          places=sum(row.capacity for row in sessions if row.signup_required))
        gender: Counter[str] = Counter()
        groups: Counter[str] = Counter()
        by_area: Counter[UUID | None] = Counter()
        both: dict[str, Counter[str]] = {}

        def count(g: str, grp: str, n: int) -> None:
            gender[g] += n
            groups[grp] += n
            both.setdefault(g, Counter())[grp] += n

        for row in regs:
            if row.status == RegistrationStatus.WAITING.value:
                report.waiting += 1
                continue
            report.sign_ups += 1
            if row.attended_at is not None:
                report.attended += 1
            grp = age_group(age_in(row.starts_at.year, row.birth_year)) or "other"
            count(row.gender or "unknown", grp, 1)
            by_area[row.home_area_id if row.home_area_id in area_names else None] += 1
        for srow in sessions:
            for v in srow.visitors or []:
                report.drop_in_visitors += int(v["count"])
                count(str(v["gender"]), str(v["age_group"]), int(v["count"]))
        report.participants_by_gender = dict(sorted(gender.items()))
        report.participants_by_age_group = dict(sorted(groups.items(), key=lambda kv: _group_order(kv[0])))
        report.participants_by_area = {row.name: by_area[row.id] for row in areas if by_area.get(row.id)}
        report.participants_unknown_home_area = by_area.get(None, 0)
        report.participants_by_gender_and_age_group = {g: dict(c) for g, c in sorted(both.items())}
        reach = [AreaReach(row.id, row.name, row.population_0_17, by_area.get(row.id, 0)) for row in areas]
        return report, reach


def _spaces_at(sites: frozenset[UUID]) -> sa.Select[tuple[UUID]]:
    return sa.select(t.spaces.c.id).where(t.spaces.c.site_id.in_(sorted(sites)))


def _group_order(name: str) -> int:
    order = ["6-9", "10-12", "13-15", "16+"]
    return order.index(name) if name in order else len(order)


def attendance_summary(regs: Sequence[Registration]) -> dict[str, Any]:
    confirmed = [r for r in regs if r.status is RegistrationStatus.CONFIRMED]
    return {"confirmed": len(confirmed), "attended": sum(1 for r in confirmed if r.attended_at is not None)}


async def account_of_feed_token(db: Database, token_hash: str) -> tuple[UUID, UUID] | None:
    """(account id, municipality id) of a private feed token, if it is current."""
    f = ta.activity_feed_tokens
    async with db.read_sessions() as session:
        row = (await session.execute(sa.select(f.c.account_id, f.c.municipality_id)
                                     .where(f.c.token_hash == token_hash))).first()
    return (row.account_id, row.municipality_id) if row else None
