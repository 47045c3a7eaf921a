"""HTTP routes of holiday activities (lovaktiviteter): holiday periods and activities.

Sessions, registrations, feeds and the follow-up report have modules of their own (activities_*.py)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Response, delete, get, patch, post, put
from litestar.params import Parameter
from litestar.status_codes import HTTP_201_CREATED
from msgspec import UNSET

from booking.adapters.db.queries import Queries
from booking.adapters.db.queries_activities import (
    ActivityQueries,
    SessionFilter,
)
from booking.adapters.db.uow import SqlUnitOfWork
from booking.api.access import PUBLIC, guarded
from booking.api.controllers.activities_draw_views import to_listed_period
from booking.api.controllers.activities_views import (
    AUTHORS,
    STAFF,
    links_of,
    municipality_of,
    to_activity,
    to_period,
    to_session,
)
from booking.api.controllers.params import LimitQ, MunicipalityQ, OffsetQ
from booking.api.schemas import activities as s
from booking.api.schemas.bookings import Skipped
from booking.config import Settings
from booking.domain.activities import scope, services
from booking.domain.activities.lov import LovKind
from booking.domain.activities.model import ActivityStatus
from booking.domain.people.roles import Actor, Role
from booking.domain.shared.clock import Clock
from booking.domain.shared.errors import NotFound, ValidationError


class HolidayPeriodController(Controller):
    path = "/api/holiday-periods"
    tags = ["activities"]

    @get("/", operation_id="listHolidayPeriods", **guarded(PUBLIC))
    async def list_periods(self, activity_queries: ActivityQueries, queries: Queries, maybe_actor: Actor | None,
                           municipality: MunicipalityQ = None,
                           year: Annotated[int | None, Parameter(query="year", ge=1970, le=2200)] = None,
                           ) -> list[s.ListedHolidayPeriod]:
        """The municipality's school holidays (sportlov, påsklov, sommarlov, höstlov, jullov), each with
        its wish phase and draw when its places are given by one (`draw`; null: first come)."""
        municipality_id = await municipality_of(queries, municipality, maybe_actor)
        draws = await activity_queries.draws_by_period(municipality_id)
        return [to_listed_period(p, draws.get(p.id)) for p in await activity_queries.periods(municipality_id, year)]

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
    async def list_activities(self, activity_queries: ActivityQueries, queries: Queries, maybe_actor: Actor | None,
                              municipality: MunicipalityQ = None,
                              status: Annotated[ActivityStatus | None, Parameter(query="status")] = None,
                              limit: LimitQ = 50, offset: OffsetQ = 0) -> s.ActivityPage:
        """Published activities; leisure staff see every status, representatives also their
        associations' drafts."""
        municipality_id = await municipality_of(queries, municipality, maybe_actor)
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
        items, total = await activity_queries.activities(municipality_id, statuses, associations, limit, offset,
                                                   unpublished_at)
        return s.ActivityPage([to_activity(a) for a in items], total, limit, offset)

    @get("/{activity_id:uuid}", operation_id="getActivity", **guarded(PUBLIC))
    async def get_activity(self, activity_id: UUID, activity_queries: ActivityQueries,
                           maybe_actor: Actor | None) -> s.ActivityDetail:
        """An activity with its sessions (counts only, never participants)."""
        aq = activity_queries
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
                                                          links_of(settings)))

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
                                                          links_of(settings)))

    @post("/{activity_id:uuid}/sessions", operation_id="addActivitySessions", status_code=HTTP_201_CREATED,
          **guarded(AUTHORS))
    async def add_sessions(self, activity_id: UUID, data: s.SessionsCreate, uow: SqlUnitOfWork, actor: Actor,
                           clock: Clock, activity_queries: ActivityQueries) -> s.SessionsOutcome:
        """One session, or one on every day of a holiday on which the place is open, in local time
        (10:00 stays 10:00 across the DST change). The room is reserved through premises; a taken
        room answers 409 with the conflicting times (for a holiday: the day is listed in `skipped`)."""
        outcome = await services.add_sessions(services.NewSessions(
            activity_id=activity_id, start=dt.time.fromisoformat(data.start), end=dt.time.fromisoformat(data.end),
            day=data.date, period_id=data.period_id, weekdays=tuple(data.weekdays), capacity=data.capacity),
            uow, actor, clock)
        aq = activity_queries
        zone = await aq.zone(actor.municipality_id)
        ids = {x.id for x in outcome.sessions}
        views, _ = await aq.sessions(SessionFilter(actor.municipality_id, activity_id=activity_id), zone,
                                     public=False)
        return s.SessionsOutcome([to_session(v, zone) for v in views if v.session.id in ids],
                                 [Skipped(date=dt.date.fromisoformat(i["date"]), rule=i["rule"],
                                          message=i["message"], conflicts=i.get("conflicts", []))
                                  for i in outcome.skipped])



HANDLERS: list[Any] = [HolidayPeriodController, ActivityController]
