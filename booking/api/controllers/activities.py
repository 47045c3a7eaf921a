"""HTTP routes of holiday activities (lovaktiviteter): holiday periods, activities and sessions,
the public listing and feeds, sign-ups with tickets, attendance, and the follow-up report."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from email.utils import format_datetime
from typing import Annotated, Any
from urllib.parse import urlparse
from uuid import UUID
from zoneinfo import ZoneInfo

from litestar import Controller, Request, Response, delete, get, patch, post, put
from litestar.datastructures import State
from litestar.params import Parameter
from litestar.status_codes import HTTP_201_CREATED
from msgspec import UNSET

from booking.adapters.db.queries import Queries
from booking.adapters.db.queries_activities import (
    ActivityQueries,
    RegistrationView,
    SessionFilter,
    SessionView,
    account_of_feed_token,
)
from booking.adapters.db.uow import SqlUnitOfWork
from booking.adapters.ical import FeedEvent, render_calendar
from booking.adapters.qr import qr_svg
from booking.api.access import PUBLIC, SIGNED_IN, guarded, roles
from booking.api.controllers.places import LimitQ, MunicipalityQ, OffsetQ
from booking.api.schemas import activities as s
from booking.api.schemas.bookings import Skipped
from booking.config import Settings
from booking.domain.activities import scope, services
from booking.domain.activities.lov import LovKind
from booking.domain.activities.model import Activity, ActivityStatus, Category, Registration
from booking.domain.people.roles import Actor, Role
from booking.domain.shared.clock import Clock
from booking.domain.shared.errors import NotFound, ValidationError
from booking.domain.shared.localtime import check_day

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


def _aq(state: State) -> ActivityQueries:
    return ActivityQueries(state.db)


def _links(settings: Settings) -> services.Links:
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
        needs=r.needs if show_needs else None,
    )


def to_period(p: Any) -> s.HolidayPeriod:
    return s.HolidayPeriod(id=p.id, kind=p.kind, year=p.year, first_day=p.first_day, last_day=p.last_day)


async def _municipality_of(queries: Queries, slug: str | None, actor: Actor | None) -> UUID:
    if slug is not None:
        ident = await queries.municipality_id_by_slug(slug)
        if ident is None:
            raise ValidationError("municipality", "No municipality with this slug.", "unknown")
        return ident
    if actor is not None:
        return actor.municipality_id
    raise ValidationError("municipality", "Say which municipality (its slug).", "required")


async def _filter(aq: ActivityQueries, municipality_id: UUID, zone: ZoneInfo, clock: Clock, period_id: UUID | None,
                  first: dt.date | None, last: dt.date | None, age: int | None, area_id: UUID | None,
                  category: Category | None, free: bool) -> SessionFilter:
    if first is not None:
        check_day(first, "from")
    if last is not None:
        check_day(last, "to")
    if period_id is not None:
        period = await aq.period(period_id)
        if period is None or period.municipality_id != municipality_id:
            raise ValidationError("period_id", "No such holiday period in this municipality.", "unknown")
        first = max(first, period.first_day) if first else period.first_day
        last = min(last, period.last_day) if last else period.last_day
    first = first or clock.now().astimezone(zone).date()
    if last is not None and last < first:
        raise ValidationError("to", "The end date is before the start date.", "range")
    if last is not None and (last - first).days > FEED_DAYS:
        raise ValidationError("to", f"At most {FEED_DAYS} days at a time.", "range")
    return SessionFilter(municipality_id, first, last, age, area_id, category.value if category else None, free)


class HolidayPeriodController(Controller):
    path = "/api/holiday-periods"
    tags = ["activities"]

    @get("/", operation_id="listHolidayPeriods", **guarded(PUBLIC))
    async def list_periods(self, state: State, queries: Queries, maybe_actor: Actor | None,
                           municipality: MunicipalityQ = None,
                           year: Annotated[int | None, Parameter(query="year", ge=1970, le=2200)] = None,
                           ) -> list[s.HolidayPeriod]:
        """The municipality's school holidays (sportlov, påsklov, sommarlov, höstlov, jullov)."""
        municipality_id = await _municipality_of(queries, municipality, maybe_actor)
        return [to_period(p) for p in await _aq(state).periods(municipality_id, year)]

    @post("/generated", operation_id="generateHolidayPeriods", status_code=HTTP_201_CREATED, **guarded(STAFF))
    async def generate(self, data: s.HolidayPeriodGenerate, uow: SqlUnitOfWork, actor: Actor
                       ) -> list[s.HolidayPeriod]:
        """Add the generated defaults of a year for the holidays not set yet: sportlov in the region's
        week (7-10), påsklov the week after Easter, sommarlov weeks 24-33, höstlov week 44, jullov
        21 December - 7 January."""
        added = await services.generate_periods(data.year, data.sportlov_week, uow, actor)
        return [to_period(p) for p in added]

    @put("/{year:int}/{kind:str}", operation_id="setHolidayPeriod", **guarded(STAFF))
    async def set_period(self, year: int, kind: str, data: s.HolidayPeriodSet, uow: SqlUnitOfWork,
                         actor: Actor) -> s.HolidayPeriod:
        """Set the dates of one holiday of a year (creates it if missing)."""
        if kind not in {k.value for k in LovKind}:
            raise ValidationError("kind", "sportlov, pasklov, sommarlov, hostlov or jullov.", "unknown")
        if not 1970 <= year <= 2200:
            raise ValidationError("year", "A year from 1970 to 2200.", "range")
        return to_period(await services.set_period(LovKind(kind), year, data.first_day, data.last_day, uow, actor))

    @delete("/{period_id:uuid}", operation_id="deleteHolidayPeriod", **guarded(STAFF))
    async def delete_period(self, period_id: UUID, uow: SqlUnitOfWork, actor: Actor) -> None:
        await services.delete_period(period_id, uow, actor)


class ActivityController(Controller):
    path = "/api/activities"
    tags = ["activities"]

    @post("/", operation_id="createActivity", status_code=HTTP_201_CREATED, **guarded(AUTHORS))
    async def create(self, data: s.ActivityCreate, uow: SqlUnitOfWork, actor: Actor) -> Response[s.Activity]:
        """A draft. Leisure staff, or an association's representative for their association (staff
        approve it for publication). Only staff give a space: its room is reserved per session."""
        for name, value in (("signup_opens_at", data.signup_opens_at), ("signup_closes_at", data.signup_closes_at)):
            if value is not None and value.tzinfo is None:
                raise ValidationError(name, "Give a time zone, e.g. 2027-03-01T08:00:00+01:00.", "format")
        activity = await services.create_activity(services.ActivityDraft(
            title=data.title, category=data.category, organiser=data.organiser, age_min=data.age_min,
            age_max=data.age_max, description=data.description,
            translations={k: {"title": v.title, "description": v.description} for k, v in data.translations.items()},
            association_id=data.association_id, target_group=data.target_group, area_id=data.area_id,
            space_id=data.space_id, place=data.place, capacity=data.capacity, signup_required=data.signup_required,
            signup_opens_at=data.signup_opens_at, signup_closes_at=data.signup_closes_at, cost=data.cost,
            languages=tuple(data.languages), adapted=data.adapted, wheelchair_access=data.wheelchair_access,
            bring=data.bring, lending_articles=tuple(data.lending_articles), contact=data.contact), uow, actor)
        return Response(to_activity(activity), status_code=HTTP_201_CREATED,
                        headers={"Location": f"/api/activities/{activity.id}"})

    @get("/", operation_id="listActivities", **guarded(PUBLIC))
    async def list_activities(self, state: State, queries: Queries, maybe_actor: Actor | None,
                              municipality: MunicipalityQ = None,
                              status: Annotated[ActivityStatus | None, Parameter(query="status")] = None,
                              limit: LimitQ = 50, offset: OffsetQ = 0) -> s.ActivityPage:
        """Published activities; leisure staff see every status, representatives also their
        associations' drafts."""
        municipality_id = await _municipality_of(queries, municipality, maybe_actor)
        statuses: set[ActivityStatus] | None = {ActivityStatus.PUBLISHED}
        associations = None
        unpublished_at = None
        if maybe_actor is not None and maybe_actor.municipality_id == municipality_id:
            if services.is_staff(maybe_actor):
                statuses = None
                unpublished_at = scope.staff_sites(maybe_actor)  # a narrowed grant: drafts of its sites only
            elif status is not None and status is not ActivityStatus.PUBLISHED:
                associations = {g.scope_id for g in maybe_actor.grants
                                if g.role == Role.ASSOCIATION_REP and g.scope_id is not None}
                statuses = None
        if status is not None:
            statuses = {status} if statuses is None or status in statuses else set()
        items, total = await _aq(state).activities(municipality_id, statuses, associations, limit, offset,
                                                   unpublished_at)
        return s.ActivityPage([to_activity(a) for a in items], total, limit, offset)

    @get("/{activity_id:uuid}", operation_id="getActivity", **guarded(PUBLIC))
    async def get_activity(self, activity_id: UUID, state: State, maybe_actor: Actor | None) -> s.ActivityDetail:
        """An activity with its sessions (counts only, never participants)."""
        aq = _aq(state)
        activity = await aq.activity(activity_id)
        if activity is None or not (activity.status in (ActivityStatus.PUBLISHED, ActivityStatus.CANCELLED) or (
                maybe_actor is not None
                and scope.may_edit(maybe_actor, activity, await aq.site_of_space(activity.space_id)))):
            raise NotFound("Activity", activity_id)
        zone = await aq.zone(activity.municipality_id)
        views, _ = await aq.sessions(SessionFilter(activity.municipality_id, activity_id=activity.id), zone,
                                     public=False)
        borrowable = [s.BorrowableArticle(i, n) for i, n in
                      await aq.article_names(activity.municipality_id, activity.lending_articles)]
        return s.ActivityDetail(to_activity(activity), [to_session(v, zone) for v in views], borrowable)

    @patch("/{activity_id:uuid}", operation_id="updateActivity", **guarded(AUTHORS))
    async def update(self, activity_id: UUID, data: s.ActivityUpdate, uow: SqlUnitOfWork, actor: Actor,
                     clock: Clock, settings: Settings) -> s.Activity:
        """Change an activity's descriptive fields (validated as on creation). Staff until it is
        cancelled; an association's representative its own draft or submitted activity. A new place
        of a published activity is told to everyone signed up for a coming session."""
        changes = {f: getattr(data, f) for f in data.__struct_fields__ if getattr(data, f) is not UNSET}
        for name in ("signup_opens_at", "signup_closes_at"):
            value = changes.get(name)
            if value is not None and value.tzinfo is None:
                raise ValidationError(name, "Give a time zone, e.g. 2027-03-01T08:00:00+01:00.", "format")
        if "translations" in changes:
            changes["translations"] = {k: {"title": v.title, "description": v.description}
                                       for k, v in changes["translations"].items()}
        return to_activity(await services.update_activity(activity_id, changes, uow, actor, clock,
                                                          _links(settings)))

    @post("/{activity_id:uuid}/return", operation_id="sendBackActivity", status_code=200, **guarded(STAFF))
    async def send_back(self, activity_id: UUID, data: s.SendBack, uow: SqlUnitOfWork, actor: Actor) -> s.Activity:
        """Staff send an association's submitted activity back as a draft, with what to change."""
        return to_activity(await services.send_back_activity(activity_id, data.reason, uow, actor))

    @post("/{activity_id:uuid}/publication", operation_id="publishActivity", status_code=200, **guarded(AUTHORS))
    async def publish(self, activity_id: UUID, uow: SqlUnitOfWork, actor: Actor) -> s.Activity:
        """Staff publish (or approve a submitted one); a representative submits for approval."""
        return to_activity(await services.publish_activity(activity_id, uow, actor))

    @post("/{activity_id:uuid}/cancellation", operation_id="cancelActivity", status_code=200, **guarded(AUTHORS))
    async def cancel(self, activity_id: UUID, data: s.Cancel, uow: SqlUnitOfWork, actor: Actor, clock: Clock,
                     settings: Settings) -> s.Activity:
        """Cancel the activity and its coming sessions: the record stays, those signed up are told,
        the rooms are freed, the sessions stay in the feeds as cancelled."""
        return to_activity(await services.cancel_activity(activity_id, data.reason, uow, actor, clock,
                                                          _links(settings)))

    @post("/{activity_id:uuid}/sessions", operation_id="addActivitySessions", status_code=HTTP_201_CREATED,
          **guarded(AUTHORS))
    async def add_sessions(self, activity_id: UUID, data: s.SessionsCreate, uow: SqlUnitOfWork, actor: Actor,
                           clock: Clock, state: State) -> s.SessionsOutcome:
        """One session, or one on every day of a holiday on which the place is open, in local time
        (10:00 stays 10:00 across the DST change). The room is reserved through premises; a taken
        room answers 409 with the conflicting times (for a holiday: the day is listed in `skipped`)."""
        outcome = await services.add_sessions(services.NewSessions(
            activity_id=activity_id, start=dt.time.fromisoformat(data.start), end=dt.time.fromisoformat(data.end),
            day=data.date, period_id=data.period_id, weekdays=tuple(data.weekdays), capacity=data.capacity),
            uow, actor, clock)
        aq = _aq(state)
        zone = await aq.zone(actor.municipality_id)
        ids = {x.id for x in outcome.sessions}
        views, _ = await aq.sessions(SessionFilter(actor.municipality_id, activity_id=activity_id), zone,
                                     public=False)
        return s.SessionsOutcome([to_session(v, zone) for v in views if v.session.id in ids],
                                 [Skipped(date=dt.date.fromisoformat(i["date"]), rule=i["rule"],
                                          message=i["message"], conflicts=i.get("conflicts", []))
                                  for i in outcome.skipped])


class ActivitySessionController(Controller):
    path = "/api/activity-sessions"
    tags = ["activities"]

    @get("/", operation_id="listActivitySessions", **guarded(PUBLIC))
    async def list_sessions(self, state: State, queries: Queries, clock: Clock, maybe_actor: Actor | None,
                            municipality: MunicipalityQ = None, period_id: PeriodQ = None,
                            first: FromQ = None, last: ToQ = None, age: AgeQ = None, area_id: AreaQ = None,
                            category: CategoryQ = None, free: FreeQ = False, limit: LimitQ = 50,
                            offset: OffsetQ = 0) -> s.SessionPage:
        """The public listing: sessions of published activities in start order, filtered by holiday,
        dates, age, area, category and free places. The feed `/feeds/activities/{slug}.ics` with the
        same filters lists exactly these sessions."""
        aq = _aq(state)
        municipality_id = await _municipality_of(queries, municipality, maybe_actor)
        zone = await aq.zone(municipality_id)
        f = await _filter(aq, municipality_id, zone, clock, period_id, first, last, age, area_id, category, free)
        views, total = await aq.sessions(f, zone, limit=limit, offset=offset)
        return s.SessionPage([to_session(v, zone) for v in views], total, limit, offset)

    @post("/{session_id:uuid}/registrations", operation_id="signUpForSession", status_code=HTTP_201_CREATED,
          **guarded(SIGNED_IN))
    async def sign_up(self, session_id: UUID, data: s.SignUpIn, uow: SqlUnitOfWork, actor: Actor, clock: Clock,
                      settings: Settings, state: State) -> s.SignUpOutcome:
        """A guardian signs up one or more children (first name, birth year; gender and needs
        optional). Each gets a place while places are free, else a place on the waiting list. A young
        person of 13 or more signs up themselves with `self_sign_up`. A confirmation with the ticket
        and the cancellation link is sent."""
        links = _links(settings)
        signed = await services.sign_up(services.SignUp(session_id, tuple(
            services.Child(c.first_name, c.birth_year, c.gender, c.needs) for c in data.children),
            data.self_sign_up), uow, actor, clock, links)
        aq = _aq(state)
        zone = await aq.zone(actor.municipality_id)
        out = []
        for x in signed:
            view = await aq.registration(x.registration.id)
            assert view is not None
            out.append(to_registration(view, zone, links, True))
        return s.SignUpOutcome(out, [links.cancel(x.cancel_token) for x in signed])

    @get("/{session_id:uuid}/registrations", operation_id="getSessionRoster", **guarded(AUTHORS))
    async def roster(self, session_id: UUID, state: State, actor: Actor) -> s.Roster:
        """The activity's staff: participants with their needs, and the drop-in counts."""
        aq = _aq(state)
        view = await aq.session_view(session_id)
        scope.require_editor(actor, view.activity if view else None, view.site_id if view else None, "Session",
                             session_id)
        assert view is not None
        zone = await aq.zone(actor.municipality_id)
        participants = [s.Participant(r.id, r.first_name, r.birth_year, r.gender, r.needs, r.status, r.queue_no,
                                      r.attended_at is not None) for r in await aq.participants(session_id)]
        return s.Roster(to_session(view, zone), participants, list(view.session.visitors))

    @put("/{session_id:uuid}/capacity", operation_id="setSessionCapacity", **guarded(AUTHORS))
    async def set_capacity(self, session_id: UUID, data: s.CapacitySet, uow: SqlUnitOfWork, actor: Actor,
                           settings: Settings, state: State) -> s.Session:
        """More places promote the waiting list in order; fewer than those confirmed is refused."""
        await services.change_capacity(session_id, data.capacity, uow, actor, _links(settings))
        return await _session_out(state, session_id)

    @put("/{session_id:uuid}/time", operation_id="moveActivitySession", **guarded(AUTHORS))
    async def move(self, session_id: UUID, data: s.SessionMove, uow: SqlUnitOfWork, actor: Actor, clock: Clock,
                   settings: Settings, state: State) -> s.Session:
        """Move a session to another local date and time: its room moves with it (premises checks it;
        409 when taken), the feeds get a higher SEQUENCE, and those signed up are told."""
        await services.move_session(services.MoveSession(session_id, data.date, dt.time.fromisoformat(data.start),
                                                         dt.time.fromisoformat(data.end)),
                                    uow, actor, clock, _links(settings))
        return await _session_out(state, session_id)

    @post("/{session_id:uuid}/cancellation", operation_id="cancelActivitySession", status_code=200,
          **guarded(AUTHORS))
    async def cancel(self, session_id: UUID, data: s.Cancel, uow: SqlUnitOfWork, actor: Actor, clock: Clock,
                     settings: Settings, state: State) -> s.Session:
        """Cancel one session: those signed up are told; it stays in the feeds as CANCELLED."""
        await services.cancel_session(session_id, data.reason, uow, actor, clock, _links(settings))
        return await _session_out(state, session_id)

    @post("/{session_id:uuid}/check-ins", operation_id="checkInTicket", status_code=200, **guarded(AUTHORS))
    async def check_in(self, session_id: UUID, data: s.TicketIn, uow: SqlUnitOfWork, actor: Actor, clock: Clock,
                       settings: Settings, state: State) -> s.Participant:
        """Attendance by scanning a ticket: the scanned URL (or its code)."""
        r = await services.check_in(session_id, data.ticket, uow, actor, clock)
        return _participant(r)

    @put("/{session_id:uuid}/registrations/{registration_id:uuid}/attendance", operation_id="markAttendance",
         **guarded(AUTHORS))
    async def mark(self, session_id: UUID, registration_id: UUID, data: s.AttendanceIn, uow: SqlUnitOfWork,
                   actor: Actor, clock: Clock) -> s.Participant:
        """Attendance by list: present or not."""
        return _participant(await services.mark_attendance(session_id, registration_id, data.present, uow, actor,
                                                           clock))

    @put("/{session_id:uuid}/visitors", operation_id="recordDropInVisitors", **guarded(AUTHORS))
    async def visitors(self, session_id: UUID, data: s.VisitorsIn, uow: SqlUnitOfWork, actor: Actor,
                       state: State) -> s.Session:
        """Drop-in: visitors counted by gender and age group, without names (replaces earlier counts)."""
        await services.record_visitors(session_id, [{"gender": str(v.gender), "age_group": v.age_group,
                                                     "count": v.count} for v in data.visitors], uow, actor)
        return await _session_out(state, session_id)


def _participant(r: Registration) -> s.Participant:
    return s.Participant(r.id, r.first_name, r.birth_year, r.gender, r.needs, r.status, r.queue_no,
                         r.attended_at is not None)


async def _session_out(state: State, session_id: UUID) -> s.Session:
    aq = _aq(state)
    view = await aq.session_view(session_id)
    assert view is not None
    return to_session(view, await aq.zone(view.session.municipality_id))


class RegistrationController(Controller):
    path = "/api"
    tags = ["activities"]

    @get("/registrations", operation_id="listMyRegistrations", **guarded(SIGNED_IN))
    async def mine(self, state: State, actor: Actor, settings: Settings) -> s.RegistrationList:
        """The registrations made from this account (my children's, or my own), with tickets."""
        aq = _aq(state)
        zone = await aq.zone(actor.municipality_id)
        links = _links(settings)
        return s.RegistrationList([to_registration(v, zone, links, True)
                                   for v in await aq.registrations_of_account(actor.account_id)])

    @post("/registrations/{registration_id:uuid}/cancellation", operation_id="cancelRegistration",
          status_code=200, **guarded(SIGNED_IN))
    async def cancel(self, registration_id: UUID, uow: SqlUnitOfWork, actor: Actor, clock: Clock,
                     settings: Settings, state: State) -> s.CancelOutcome:
        """Cancel in the account (or the activity's staff): the place goes to the first waiting."""
        links = _links(settings)
        registration, promoted = await services.cancel_registration(uow, clock, links, actor=actor,
                                                                    registration_id=registration_id)
        return await _cancel_out(state, registration, len(promoted), links)

    @post("/registration-cancellations", operation_id="cancelRegistrationByLink", status_code=200,
          **guarded(PUBLIC))
    async def cancel_by_link(self, data: s.TokenIn, uow: SqlUnitOfWork, clock: Clock, settings: Settings,
                             state: State) -> s.CancelOutcome:
        """Cancel with the link from the confirmation e-mail (its unguessable token)."""
        links = _links(settings)
        registration, promoted = await services.cancel_registration(uow, clock, links, token=data.token)
        return await _cancel_out(state, registration, len(promoted), links, show_needs=False)

    @get("/registrations/{registration_id:uuid}/ticket.svg", operation_id="getRegistrationTicket",
         media_type="image/svg+xml", **guarded(SIGNED_IN))
    async def ticket(self, registration_id: UUID, state: State, actor: Actor, settings: Settings) -> Response[bytes]:
        """The QR ticket: it encodes the ticket's unguessable URL, scanned at the door."""
        view = await _aq(state).registration(registration_id)
        scope.require_registration(actor, view.registration if view else None, view.site_id if view else None,
                                   registration_id)
        assert view is not None
        return Response(qr_svg(_links(settings).ticket(view.registration.ticket_code)), media_type="image/svg+xml",
                        headers={"Cache-Control": "private, max-age=3600"})

    @post("/registrations/feed-token", operation_id="rotateRegistrationFeedToken", status_code=HTTP_201_CREATED,
          **guarded(SIGNED_IN))
    async def rotate_feed(self, uow: SqlUnitOfWork, actor: Actor, settings: Settings) -> s.FeedToken:
        """A private calendar feed of my registrations' sessions; a new token ends the old link."""
        token = await services.rotate_feed_token(uow, actor)
        return s.FeedToken(f"{settings.base_url.rstrip('/')}/feeds/activity-registrations/{token}.ics")


async def _cancel_out(state: State, registration: Registration, promoted: int, links: services.Links,
                      show_needs: bool = True) -> s.CancelOutcome:
    aq = _aq(state)
    view = await aq.registration(registration.id)
    assert view is not None
    return s.CancelOutcome(to_registration(view, await aq.zone(registration.municipality_id), links, show_needs),
                           promoted)


# --- feeds ---------------------------------------------------------------------------------------


def _uid(session_id: UUID, settings: Settings) -> str:
    return f"activity-{session_id}@{urlparse(settings.base_url).hostname or 'booking'}"


def _event(v: SessionView, settings: Settings) -> FeedEvent:
    a = v.activity
    description = f"{a.description}\n\n{settings.base_url.rstrip('/')}/activity.html?id={a.id}".strip()
    return FeedEvent(uid=_uid(v.session.id, settings), starts_at=v.session.starts_at, ends_at=v.session.ends_at,
                     summary=a.title, status="CANCELLED" if v.cancelled else "CONFIRMED",
                     sequence=v.session.sequence + (1 if v.cancelled and v.session.sequence == 0 else 0),
                     last_modified=v.last_modified, location=v.place_name, description=description)


def _feed(request: Request[Any, Any, Any], name: str, views: list[SessionView], zone: ZoneInfo, settings: Settings,
          private: bool, *extra: object) -> Response[bytes]:
    last = max((v.last_modified for v in views), default=None)
    etag = '"' + hashlib.sha256("|".join([name, str(len(views)), str(last), *map(str, extra)]).encode()
                                ).hexdigest()[:32] + '"'
    headers = {"ETag": etag, "Cache-Control": ("private" if private else "public") + ", max-age=300"}
    if last is not None:
        headers["Last-Modified"] = format_datetime(last.astimezone(dt.UTC), usegmt=True)
    presented = request.headers.get("if-none-match", "")
    if any(tag.strip() in (etag, "W/" + etag) for tag in presented.split(",")):
        return Response(b"", status_code=304, headers=headers, media_type=ICAL)
    body = render_calendar(name, [_event(v, settings) for v in views], zone)
    return Response(body, media_type=ICAL, headers={**headers, "Content-Disposition": "inline; filename=feed.ics"})


def _ics_name(feed: str, field: str) -> str:
    if not feed.endswith(".ics") or len(feed) > 200 or not all(c.isalnum() or c in "-_." for c in feed):
        raise ValidationError(field, "A feed address ends in .ics.", "format")
    return feed[: -len(".ics")]


class ActivityFeedController(Controller):
    path = "/feeds"
    tags = ["activities"]

    @get("/activities/{feed:str}", operation_id="getActivitiesFeed", media_type=ICAL, cache_control=None,
         **guarded(PUBLIC))
    async def public_feed(self, feed: str, request: Request[Any, Any, Any], state: State, queries: Queries,
                          clock: Clock, settings: Settings, period_id: PeriodQ = None, first: FromQ = None,
                          last: ToQ = None, age: AgeQ = None, area_id: AreaQ = None, category: CategoryQ = None,
                          free: FreeQ = False) -> Response[bytes]:
        """`/feeds/activities/{municipality slug}.ics`, with the listing's filters: every session the
        listing shows (no participants); a cancelled session stays, STATUS:CANCELLED."""
        municipality_id = await queries.municipality_id_by_slug(_ics_name(feed, "feed"))
        if municipality_id is None:
            raise NotFound("Feed", feed)
        aq = _aq(state)
        zone = await aq.zone(municipality_id)
        f = await _filter(aq, municipality_id, zone, clock, period_id, first, last, age, area_id, category, free)
        views, _ = await aq.sessions(f, zone)
        return _feed(request, "Lovaktiviteter", views, zone, settings, False, f)

    @get("/activity-registrations/{feed:str}", operation_id="getRegistrationsFeed", media_type=ICAL,
         cache_control=None, **guarded(PUBLIC))
    async def private_feed(self, feed: str, request: Request[Any, Any, Any], state: State,
                           settings: Settings) -> Response[bytes]:
        """A guardian's private feed (unguessable token): the sessions of their active registrations."""
        token = _ics_name(feed, "feed")
        found = await account_of_feed_token(state.db, services.token_hash(token))
        if found is None:
            raise NotFound("Feed", "for this link")
        account_id, municipality_id = found
        aq = _aq(state)
        zone = await aq.zone(municipality_id)
        views = []
        seen: set[UUID] = set()
        for r in await aq.registrations_of_account(account_id):
            if r.registration.active and r.session.id not in seen:
                seen.add(r.session.id)
                view = await aq.session_view(r.session.id)
                if view is not None:
                    views.append(view)
        return _feed(request, "Mina lovaktiviteter", views, zone, settings, True, account_id)


# --- follow-up -----------------------------------------------------------------------------------


class FollowUpController(Controller):
    path = "/api/activity-follow-up"
    tags = ["activities"]

    async def _report(self, state: State, actor: Actor, period_id: UUID | None, first: dt.date | None,
                      last: dt.date | None) -> s.FollowUp:
        aq = _aq(state)
        if period_id is not None:
            period = await aq.period(period_id)
            if period is None or period.municipality_id != actor.municipality_id:
                raise ValidationError("period_id", "No such holiday period in this municipality.", "unknown")
            first, last = period.first_day, period.last_day
        if first is None or last is None:
            raise ValidationError("period_id", "Give a holiday period, or from and to.", "required")
        check_day(first, "from")
        check_day(last, "to")
        if last < first:
            raise ValidationError("to", "The end date is before the start date.", "range")
        if (last - first).days > FEED_DAYS:
            raise ValidationError("to", f"At most {FEED_DAYS} days at a time.", "range")
        report, reach = await aq.follow_up(actor.municipality_id, first, last, await aq.zone(actor.municipality_id),
                                           scope.staff_sites(actor))
        return s.FollowUp(
            period_id=period_id, first_day=first, last_day=last, activities=report.activities,
            sessions=report.sessions, places=report.places, sign_ups=report.sign_ups, waiting=report.waiting,
            attended=report.attended, drop_in_visitors=report.drop_in_visitors,
            participants_by_gender=report.participants_by_gender,
            participants_by_age_group=report.participants_by_age_group,
            participants_by_area=report.participants_by_area,
            participants_by_gender_and_age_group=report.participants_by_gender_and_age_group,
            equity=[s.AreaReach(r.area_id, r.area_name, r.population_0_17, r.participants, r.per_1000)
                    for r in reach])

    @get("/", operation_id="getActivityFollowUp", **guarded(STAFF))
    async def follow_up(self, state: State, actor: Actor, period_id: PeriodQ = None, first: FromQ = None,
                        last: ToQ = None) -> s.FollowUp:
        """Per holiday: activities, sessions, places, sign-ups, attendance; participants by gender, age
        group (6-9, 10-12, 13-15, 16+) and area; and the equity view: participants per 1,000 children
        living in each area (population entered by the admin)."""
        return await self._report(state, actor, period_id, first, last)

    @get("/report.csv", operation_id="getActivityFollowUpCsv", media_type="text/csv", **guarded(STAFF))
    async def follow_up_csv(self, state: State, actor: Actor, period_id: PeriodQ = None, first: FromQ = None,
                            last: ToQ = None) -> Response[bytes]:
        """The grant follow-up as CSV (semicolon-separated, UTF-8 with BOM for spreadsheet programs)."""
        r = await self._report(state, actor, period_id, first, last)
        out = io.StringIO()
        w = csv.writer(out, delimiter=";", lineterminator="\r\n")
        w.writerow(["section", "key", "value"])
        w.writerow(["period", "first_day", r.first_day.isoformat()])
        w.writerow(["period", "last_day", r.last_day.isoformat()])
        for key in ("activities", "sessions", "places", "sign_ups", "waiting", "attended", "drop_in_visitors"):
            w.writerow(["totals", key, getattr(r, key)])
        for key, value in r.participants_by_gender.items():
            w.writerow(["gender", key, value])
        for key, value in r.participants_by_age_group.items():
            w.writerow(["age_group", key, value])
        for g, groups in r.participants_by_gender_and_age_group.items():
            for grp, value in groups.items():
                w.writerow(["gender_age_group", f"{g}/{grp}", value])
        for area in r.equity:
            w.writerow(["area", area.area_name, area.participants])
            w.writerow(["area_per_1000", area.area_name, "" if area.per_1000 is None else area.per_1000])
        return Response(("\ufeff" + out.getvalue()).encode(), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": "attachment; filename=lovaktiviteter-uppfoljning.csv"})


HANDLERS: list[Any] = [HolidayPeriodController, ActivityController, ActivitySessionController,
                       RegistrationController, ActivityFeedController, FollowUpController]

