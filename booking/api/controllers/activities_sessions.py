"""HTTP routes of activity sessions: the public listing, sign-ups, the roster, capacity, moving and
cancelling, check-in, attendance and drop-in visitors."""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from litestar import Controller, get, post, put
from litestar.status_codes import HTTP_201_CREATED

from booking.adapters.db.queries import Queries
from booking.adapters.db.queries_activities import (
    ActivityQueries,
)
from booking.adapters.db.uow import SqlUnitOfWork
from booking.api.access import PUBLIC, SIGNED_IN, guarded
from booking.api.controllers.activities_views import (
    AUTHORS,
    AgeQ,
    AreaQ,
    CategoryQ,
    FreeQ,
    FromQ,
    PeriodQ,
    ToQ,
    links_of,
    municipality_of,
    participant,
    session_filter,
    session_out,
    to_registration,
    to_session,
)
from booking.api.controllers.params import LimitQ, MunicipalityQ, OffsetQ
from booking.api.schemas import activities as s
from booking.config import Settings
from booking.domain.activities import scope, services
from booking.domain.people.roles import Actor
from booking.domain.shared.clock import Clock
from booking.domain.shared.errors import NotFound, expect


class ActivitySessionController(Controller):
    path = "/api/activity-sessions"
    tags = ["activities"]

    @get("/", operation_id="listActivitySessions", **guarded(PUBLIC))
    async def list_sessions(self, activity_queries: ActivityQueries, queries: Queries, clock: Clock,
                            maybe_actor: Actor | None,
                            municipality: MunicipalityQ = None, period_id: PeriodQ = None,
                            first: FromQ = None, last: ToQ = None, age: AgeQ = None, area_id: AreaQ = None,
                            category: CategoryQ = None, free: FreeQ = False, limit: LimitQ = 50,
                            offset: OffsetQ = 0) -> s.SessionPage:
        """The public listing: sessions of published activities in start order, filtered by holiday,
        dates, age, area, category and free places. The feed `/feeds/activities/{slug}.ics` with the
        same filters lists exactly these sessions."""
        aq = activity_queries
        municipality_id = await municipality_of(queries, municipality, maybe_actor)
        zone = await aq.zone(municipality_id)
        f = await session_filter(aq, municipality_id, zone, clock, period_id, first, last, age, area_id, category, free)
        views, total = await aq.sessions(f, zone, limit=limit, offset=offset)
        return s.SessionPage([to_session(v, zone) for v in views], total, limit, offset)

    @post("/{session_id:uuid}/registrations", operation_id="signUpForSession", status_code=HTTP_201_CREATED,
          **guarded(SIGNED_IN))
    async def sign_up(self, session_id: UUID, data: s.SignUpIn, uow: SqlUnitOfWork, actor: Actor, clock: Clock,
                      settings: Settings, activity_queries: ActivityQueries) -> s.SignUpOutcome:
        """A guardian signs up one or more children (first name, birth year; gender, needs and the
        home area optional: `home_area_id`, or a `postcode` the municipality's postcode table knows,
        else 422 naming `children[i].postcode`). Each gets a place while places are free, else a place
        on the waiting list. A young person of 13 or more signs up themselves with `self_sign_up`. A
        confirmation with the ticket and the cancellation link is sent."""
        links = links_of(settings)
        signed = await services.sign_up(services.SignUp(session_id, tuple(
            services.Child(c.first_name, c.birth_year, c.gender, c.needs, c.home_area_id, c.postcode)
            for c in data.children),
            data.self_sign_up), uow, actor, clock, links)
        aq = activity_queries
        zone = await aq.zone(actor.municipality_id)
        out = []
        for x in signed:
            view = expect(await aq.registration(x.registration.id), "registration just made")
            out.append(to_registration(view, zone, links, True))
        return s.SignUpOutcome(out, [links.cancel(x.cancel_token) for x in signed])

    @get("/{session_id:uuid}/registrations", operation_id="getSessionRoster", **guarded(AUTHORS))
    async def roster(self, session_id: UUID, activity_queries: ActivityQueries, actor: Actor) -> s.Roster:
        """The activity's staff: participants with their needs, and the drop-in counts."""
        aq = activity_queries
        view = await aq.session_view(session_id)
        if view is None:
            raise NotFound("Session", session_id)
        scope.require_editor(actor, view.activity, view.site_id, "Session", session_id)
        zone = await aq.zone(actor.municipality_id)
        participants = [participant(r) for r in await aq.participants(session_id)]
        return s.Roster(to_session(view, zone), participants, list(view.session.visitors))

    @put("/{session_id:uuid}/capacity", operation_id="setSessionCapacity", **guarded(AUTHORS))
    async def set_capacity(self, session_id: UUID, data: s.CapacitySet, uow: SqlUnitOfWork, actor: Actor,
                           settings: Settings, activity_queries: ActivityQueries) -> s.Session:
        """More places promote the waiting list in order; fewer than those confirmed is refused."""
        await services.change_capacity(session_id, data.capacity, uow, actor, links_of(settings))
        return await session_out(activity_queries, session_id)

    @put("/{session_id:uuid}/time", operation_id="moveActivitySession", **guarded(AUTHORS))
    async def move(self, session_id: UUID, data: s.SessionMove, uow: SqlUnitOfWork, actor: Actor, clock: Clock,
                   settings: Settings, activity_queries: ActivityQueries) -> s.Session:
        """Move a session to another local date and time: its room moves with it (premises checks it;
        409 when taken), the feeds get a higher SEQUENCE, and those signed up are told."""
        await services.move_session(services.MoveSession(session_id, data.date, dt.time.fromisoformat(data.start),
                                                         dt.time.fromisoformat(data.end)),
                                    uow, actor, clock, links_of(settings))
        return await session_out(activity_queries, session_id)

    @post("/{session_id:uuid}/cancellation", operation_id="cancelActivitySession", status_code=200,
          **guarded(AUTHORS))
    async def cancel(self, session_id: UUID, data: s.Cancel, uow: SqlUnitOfWork, actor: Actor, clock: Clock,
                     settings: Settings, activity_queries: ActivityQueries) -> s.Session:
        """Cancel one session: those signed up are told; it stays in the feeds as CANCELLED."""
        await services.cancel_session(session_id, data.reason, uow, actor, clock, links_of(settings))
        return await session_out(activity_queries, session_id)

    @post("/{session_id:uuid}/check-ins", operation_id="checkInTicket", status_code=200, **guarded(AUTHORS))
    async def check_in(self, session_id: UUID, data: s.TicketIn, uow: SqlUnitOfWork, actor: Actor, clock: Clock,
                       settings: Settings, activity_queries: ActivityQueries) -> s.Participant:
        """Attendance by scanning a ticket: the scanned URL (or its code)."""
        r = await services.check_in(session_id, data.ticket, uow, actor, clock)
        return participant(r)

    @put("/{session_id:uuid}/registrations/{registration_id:uuid}/attendance", operation_id="markAttendance",
         **guarded(AUTHORS))
    async def mark(self, session_id: UUID, registration_id: UUID, data: s.AttendanceIn, uow: SqlUnitOfWork,
                   actor: Actor, clock: Clock) -> s.Participant:
        """Attendance by list: present or not."""
        return participant(await services.mark_attendance(session_id, registration_id, data.present, uow, actor,
                                                           clock))

    @put("/{session_id:uuid}/visitors", operation_id="recordDropInVisitors", **guarded(AUTHORS))
    async def visitors(self, session_id: UUID, data: s.VisitorsIn, uow: SqlUnitOfWork, actor: Actor,
                       activity_queries: ActivityQueries) -> s.Session:
        """Drop-in: visitors counted by gender and age group, without names (replaces earlier counts)."""
        await services.record_visitors(session_id, [{"gender": str(v.gender), "age_group": v.age_group,
                                                     "count": v.count} for v in data.visitors], uow, actor)
        return await session_out(activity_queries, session_id)




HANDLERS: list[Any] = [ActivitySessionController]
