"""What the activities routes share: query parameters, the mapping of domain objects and read
models to API schemas, the municipality of a request and the filter of the session listing."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any
from uuid import UUID
from zoneinfo import ZoneInfo

from litestar.params import Parameter

from booking.adapters.db.queries import Queries
from booking.adapters.db.queries_activities import (
    ActivityQueries,
    RegistrationView,
    SessionFilter,
    SessionView,
)
from booking.api.access import roles
from booking.api.schemas import activities as s
from booking.config import Settings
from booking.domain.activities import services
from booking.domain.activities.model import Activity, Category, Registration
from booking.domain.people.roles import Actor, Role
from booking.domain.shared.clock import Clock
from booking.domain.shared.errors import ValidationError, expect
from booking.domain.shared.localtime import check_day
from booking.domain.shared.tenancy import of_municipality

STAFF = roles(Role.ACTIVITIES_STAFF)
AUTHORS = roles(Role.ACTIVITIES_STAFF, Role.ASSOCIATION_REP)
ICAL = "text/calendar"  # Litestar appends "; charset=utf-8"
FEED_DAYS = 400

PeriodQ = Annotated[UUID | None, Parameter(query="period_id", description="Only sessions in this holiday (lov).")]
FromQ = Annotated[dt.date | None, Parameter(query="from", description="First local date (default: today).")]
ToQ = Annotated[dt.date | None, Parameter(query="to", description="Last local date.")]
AgeQ = Annotated[int | None, Parameter(query="age", ge=0, le=25, description="For a child of this age.")]
AreaQ = Annotated[UUID | None, Parameter(query="area_id", description="Only activities in this area.")]
CategoryQ = Annotated[Category | None, Parameter(query="category", description="Only this category.")]
FreeQ = Annotated[bool, Parameter(query="free", description="Only sessions with free places to sign up for.")]


def links_of(settings: Settings) -> services.Links:
    return services.Links(settings.base_url.rstrip("/"))


def to_activity(a: Activity) -> s.Activity:
    return s.Activity(
        id=a.id, title=a.title, description=a.description, translations=a.translations, category=a.category,
        organiser=a.organiser, association_id=a.association_id, age_min=a.age_min, age_max=a.age_max,
        target_group=a.target_group, area_id=a.area_id, space_id=a.space_id, place=a.place, capacity=a.capacity,
        signup_required=a.signup_required, signup_opens_at=a.signup_opens_at, signup_closes_at=a.signup_closes_at,
        cost=a.cost, languages=list(a.languages), adapted=a.adapted, wheelchair_access=a.wheelchair_access,
        bring=a.bring, lending_articles=list(a.lending_articles), contact=a.contact, status=a.status,
        cancel_reason=a.cancel_reason, review_note=a.review_note, created_at=a.created_at, updated_at=a.updated_at,  # type: ignore[arg-type]
    )


def to_session(v: SessionView, zone: ZoneInfo) -> s.Session:
    sess, a = v.session, v.activity
    start, end = sess.starts_at.astimezone(zone), sess.ends_at.astimezone(zone)
    return s.Session(
        id=sess.id, activity_id=a.id, title=a.title, category=a.category, age_min=a.age_min, age_max=a.age_max,
        target_group=a.target_group, area_id=a.area_id, area_name=v.area_name, place=v.place_name,
        starts_at=sess.starts_at, ends_at=sess.ends_at, local_date=start.date(), local_start=start.strftime("%H:%M"),
        local_end=end.strftime("%H:%M"), status="cancelled" if v.cancelled else sess.status,  # type: ignore[arg-type]
        signup_required=a.signup_required, capacity=sess.capacity, free_places=v.free_places, waiting=v.waiting,
        cost=a.cost, languages=list(a.languages), adapted=a.adapted, wheelchair_access=a.wheelchair_access,
        sequence=sess.sequence, updated_at=v.last_modified,
    )


def to_registration(v: RegistrationView, zone: ZoneInfo, links: services.Links,
                    show_needs: bool) -> s.Registration:
    r, sess = v.registration, v.session
    start, end = sess.starts_at.astimezone(zone), sess.ends_at.astimezone(zone)
    return s.Registration(
        id=r.id, session_id=r.session_id, activity_id=r.activity_id, first_name=r.first_name,
        birth_year=r.birth_year, gender=r.gender, status=r.status, queue_no=r.queue_no,
        ticket_url=links.ticket(r.ticket_code), attended=r.attended_at is not None, title=v.activity.title,
        starts_at=sess.starts_at, ends_at=sess.ends_at, local_date=start.date(), local_start=start.strftime("%H:%M"),
        local_end=end.strftime("%H:%M"), place=v.place_name, session_status=sess.status,
        needs=r.needs if show_needs else None, home_area_id=r.home_area_id if show_needs else None,
    )


def to_period(p: Any) -> s.HolidayPeriod:
    return s.HolidayPeriod(id=p.id, kind=p.kind, year=p.year, first_day=p.first_day, last_day=p.last_day)


async def municipality_of(queries: Queries, slug: str | None, actor: Actor | None) -> UUID:
    if slug is not None:
        ident = await queries.municipality_id_by_slug(slug)
        if ident is None:
            raise ValidationError("municipality", "No municipality with this slug.", "unknown")
        return ident
    if actor is not None:
        return actor.municipality_id
    raise ValidationError("municipality", "Say which municipality (its slug).", "required")


async def session_filter(aq: ActivityQueries, municipality_id: UUID, zone: ZoneInfo, clock: Clock,
                         period_id: UUID | None, first: dt.date | None, last: dt.date | None, age: int | None,
                         area_id: UUID | None, category: Category | None, free: bool) -> SessionFilter:
    """The listing's (and the feed's) filter: dates within the holiday, from today by default."""
    if first is not None:
        check_day(first, "from")
    if last is not None:
        check_day(last, "to")
    if period_id is not None:
        period = of_municipality(await aq.period(period_id), municipality_id, "holiday period", period_id,
                                 "period_id")
        first = max(first, period.first_day) if first else period.first_day
        last = min(last, period.last_day) if last else period.last_day
    first = first or clock.now().astimezone(zone).date()
    if last is not None and last < first:
        raise ValidationError("to", "The end date is before the start date.", "range")
    if last is not None and (last - first).days > FEED_DAYS:
        raise ValidationError("to", f"At most {FEED_DAYS} days at a time.", "range")
    return SessionFilter(municipality_id, first, last, age, area_id, category.value if category else None, free)


def participant(r: Registration) -> s.Participant:
    return s.Participant(r.id, r.first_name, r.birth_year, r.gender, r.needs, r.status, r.queue_no,
                         r.attended_at is not None)


async def session_out(activity_queries: ActivityQueries, session_id: UUID) -> s.Session:
    aq = activity_queries
    view = expect(await aq.session_view(session_id), "session just changed")
    return to_session(view, await aq.zone(view.session.municipality_id))
