"""HTTP routes of the season allocation round (tidsfördelning)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from litestar import Controller, Response, get, post, put
from litestar.status_codes import HTTP_201_CREATED

from booking.adapters.db.queries import Queries
from booking.adapters.db.queries_allocation import AllocationQueries
from booking.adapters.db.uow import SqlUnitOfWork
from booking.api.access import guarded, roles
from booking.api.controllers.booking_views import municipality_zone
from booking.api.schemas import allocation as s
from booking.domain.people.roles import Actor, Role
from booking.domain.premises import allocation_applications, allocation_publish, allocation_rounds, allocation_run
from booking.domain.premises.allocation import AllocationRound, Application, PriorityRule, rules_from_json
from booking.domain.premises.allocation_scope import visible_decisions
from booking.domain.premises.allocator import decision_from_json, explain
from booking.domain.shared.clock import Clock

STAFF = roles(Role.PREMISES_STAFF)
STAFF_OR_REP = roles(Role.PREMISES_STAFF, Role.ASSOCIATION_REP)
ROUND = "/api/allocation-rounds"


def _rules(items: list[s.Rule] | None) -> tuple[PriorityRule, ...] | None:
    return None if items is None else tuple(PriorityRule(r.key, r.weight) for r in items)


def _fields(data: s.RoundIn) -> allocation_rounds.RoundFields:
    return allocation_rounds.RoundFields(data.name, data.first_day, data.last_day, data.deadline_date,
                                dt.time.fromisoformat(data.deadline_time), _rules(data.rules))


def to_round(r: AllocationRound, zone: ZoneInfo, now: dt.datetime) -> s.Round:
    return s.Round(
        id=r.id, name=r.name, first_day=r.first_day, last_day=r.last_day, deadline=r.deadline,
        deadline_local=r.deadline.astimezone(zone).strftime("%Y-%m-%d %H:%M"), state=r.state,
        rules=[s.Rule(p.key, p.weight) for p in rules_from_json(r.rules)],
        accepts_applications=r.accepts_applications(now), score=r.score, allocated_at=r.allocated_at,
        published_at=r.published_at, created_at=r.created_at, updated_at=r.updated_at)  # type: ignore[arg-type]


def to_application(a: Application, names: dict[UUID, str]) -> s.Application:
    return s.Application(
        id=a.id, round_id=a.round_id, association_id=a.association_id,
        association_name=names.get(a.association_id, ""), title=a.title, age_band=a.age_band,
        participants=a.participants, duration_minutes=a.duration_minutes, flex_minutes=a.flex_minutes,
        preferences=[s.PreferenceOut(p["space_id"], p["weekday"], p["start"]) for p in a.preferences],
        status=a.status, note=a.note, submitted_at=a.submitted_at,
        updated_at=a.updated_at or a.submitted_at)


def _application_fields(data: s.ApplicationIn) -> allocation_applications.ApplicationFields:
    return allocation_applications.ApplicationFields(
        data.association_id, data.title, data.age_band, data.participants, data.duration_minutes,
        tuple((p.space_id, p.weekday, dt.time.fromisoformat(p.start)) for p in data.preferences),
        data.flex_minutes, data.note)


async def _proposal(r: AllocationRound, uow: SqlUnitOfWork, actor: Actor,
                    allocation_queries: AllocationQueries) -> s.Proposal:
    apps = {a.id: a for a in await allocation_applications.list_applications(r.id, uow, actor)}
    associations = await allocation_queries.association_names(a.association_id for a in apps.values())
    spaces = await allocation_queries.space_names(actor.municipality_id)
    names = {str(k): v for k, v in spaces.items()}
    out: list[s.DecisionOut] = []
    for item in await visible_decisions(uow, actor, r, set(apps)):
        d = decision_from_json(item)
        app = apps.get(d.application_id)
        reasons = [s.Reason(code=x["code"], preference=x.get("preference"), params=x.get("params", {}),
                            causes=x.get("causes", []), text=explain(x, names)) for x in d.reasons]
        slot = None if d.slot is None else s.SlotOut(d.slot.space_id, spaces.get(d.slot.space_id, ""),
                                                     d.slot.weekday, item["slot"]["start"], item["slot"]["end"])
        out.append(s.DecisionOut(
            application_id=d.application_id, title=app.title if app else "",
            association_name=associations.get(app.association_id, "") if app else "", outcome=str(d.outcome),
            slot=slot, priority=d.priority, matched_rules=d.matched, preference=d.preference,
            shift_minutes=d.shift, rank=d.rank, reasons=reasons, explanation=" ".join(x.text for x in reasons)))
    return s.Proposal(r.id, r.state, r.score, None if r.score is None else round(r.score * 100, 1), out)


def _report(r: AllocationRound) -> s.PublishReport:
    items = [s.Published(UUID(i["application_id"]), i["outcome"],
                         UUID(i["series_id"]) if i.get("series_id") else None, i["booked"],
                         [s.Skipped(x["date"], x["rule"], x["message"], x.get("conflicts", []))
                          for x in i["skipped"]]) for i in r.report or []]
    return s.PublishReport(r.id, r.state, r.published_at, items)


class AllocationRulesController(Controller):
    path = "/api/allocation-rules"
    tags = ["allocation"]

    @get("/", operation_id="getAllocationRules", **guarded(STAFF))
    async def get_rules(self, read_uow: SqlUnitOfWork, actor: Actor) -> s.Rules:
        """The municipality's default priority rules, copied into each new round."""
        return s.Rules([s.Rule(r.key, r.weight) for r in await allocation_rounds.default_rules(read_uow, actor)])

    @put("/", operation_id="setAllocationRules", **guarded(STAFF))
    async def set_rules(self, data: s.Rules, uow: SqlUnitOfWork, actor: Actor) -> s.Rules:
        """Replace the default rules (rounds already created keep theirs)."""
        rules = await allocation_rounds.set_default_rules(_rules(data.rules) or (), uow, actor)
        return s.Rules([s.Rule(r.key, r.weight) for r in rules])


class AllocationRoundController(Controller):
    path = ROUND
    tags = ["allocation"]

    @post("/", operation_id="createAllocationRound", status_code=HTTP_201_CREATED,
          **guarded(STAFF, idempotent=True))
    async def create_round(self, data: s.RoundIn, uow: SqlUnitOfWork, actor: Actor, clock: Clock,
                           queries: Queries) -> Response[s.Round]:
        """A draft round for a season; open it to take applications."""
        r = await allocation_rounds.create_round(_fields(data), uow, actor)
        return Response(to_round(r, await municipality_zone(queries, actor.municipality_id), clock.now()),
                        status_code=HTTP_201_CREATED, headers={"Location": f"{ROUND}/{r.id}"})

    @get("/", operation_id="listAllocationRounds", **guarded(STAFF_OR_REP))
    async def list_rounds(self, actor: Actor, clock: Clock, queries: Queries,
                          allocation_queries: AllocationQueries) -> s.RoundPage:
        """Staff see every round; representatives the rounds that are not drafts."""
        rounds = await allocation_queries.rounds(actor.municipality_id, actor.has(Role.PREMISES_STAFF))
        zone = await municipality_zone(queries, actor.municipality_id)
        return s.RoundPage([to_round(r, zone, clock.now()) for r in rounds])

    @get("/{round_id:uuid}", operation_id="getAllocationRound", **guarded(STAFF_OR_REP))
    async def get_round(self, round_id: UUID, read_uow: SqlUnitOfWork, actor: Actor, clock: Clock,
                        queries: Queries) -> s.Round:
        r = await allocation_rounds.get_round(round_id, read_uow, actor)
        return to_round(r, await municipality_zone(queries, actor.municipality_id), clock.now())

    @put("/{round_id:uuid}", operation_id="updateAllocationRound", **guarded(STAFF))
    async def update_round(self, round_id: UUID, data: s.RoundIn, uow: SqlUnitOfWork, actor: Actor, clock: Clock,
                           queries: Queries) -> s.Round:
        """Change name, season, deadline (may be set in the past to close applications) or rules.
        Changing an allocated round discards its proposal."""
        r = await allocation_rounds.update_round(round_id, _fields(data), uow, actor)
        return to_round(r, await municipality_zone(queries, actor.municipality_id), clock.now())

    @post("/{round_id:uuid}/opening", operation_id="openAllocationRound", status_code=200, **guarded(STAFF))
    async def open_round(self, round_id: UUID, uow: SqlUnitOfWork, actor: Actor, clock: Clock,
                         queries: Queries) -> s.Round:
        """Open a draft round for applications until its deadline."""
        r = await allocation_rounds.open_round(round_id, uow, actor, clock)
        return to_round(r, await municipality_zone(queries, actor.municipality_id), clock.now())

    @get("/{round_id:uuid}/applications", operation_id="listAllocationApplications", **guarded(STAFF_OR_REP))
    async def list_applications(self, round_id: UUID, read_uow: SqlUnitOfWork, actor: Actor,
                                allocation_queries: AllocationQueries) -> s.ApplicationPage:
        """Staff see every application; representatives their own associations'."""
        apps = await allocation_applications.list_applications(round_id, read_uow, actor)
        names = await allocation_queries.association_names(a.association_id for a in apps)
        return s.ApplicationPage([to_application(a, names) for a in apps])

    @post("/{round_id:uuid}/applications", operation_id="submitAllocationApplication",
          status_code=HTTP_201_CREATED, **guarded(STAFF_OR_REP, idempotent=True))
    async def submit_application(self, round_id: UUID, data: s.ApplicationIn, uow: SqlUnitOfWork, actor: Actor,
                                 clock: Clock, allocation_queries: AllocationQueries) -> Response[s.Application]:
        """Apply for a weekly slot for an association you represent (staff may apply for any),
        until the deadline. Each preference must be a space of the municipality that fits the
        group and is open then (422 naming `preferences[i].…`); after the deadline 409."""
        a = await allocation_applications.submit_application(round_id, _application_fields(data), uow, actor, clock)
        names = await allocation_queries.association_names([a.association_id])
        return Response(to_application(a, names), status_code=HTTP_201_CREATED,
                        headers={"Location": f"{ROUND}/{round_id}/applications/{a.id}"})

    @put("/{round_id:uuid}/applications/{application_id:uuid}", operation_id="updateAllocationApplication",
         **guarded(STAFF_OR_REP))
    async def update_application(self, round_id: UUID, application_id: UUID, data: s.ApplicationIn,
                                 uow: SqlUnitOfWork, actor: Actor, clock: Clock,
                                 allocation_queries: AllocationQueries) -> s.Application:
        """Change an application until the deadline."""
        fields = _application_fields(data)
        a = await allocation_applications.update_application(round_id, application_id, fields, uow, actor, clock)
        return to_application(a, await allocation_queries.association_names([a.association_id]))

    @post("/{round_id:uuid}/applications/{application_id:uuid}/withdrawal",
          operation_id="withdrawAllocationApplication", status_code=200, **guarded(STAFF_OR_REP))
    async def withdraw_application(self, round_id: UUID, application_id: UUID, uow: SqlUnitOfWork, actor: Actor,
                                   clock: Clock, allocation_queries: AllocationQueries) -> s.Application:
        """Withdraw an application until the deadline."""
        a = await allocation_applications.withdraw_application(round_id, application_id, uow, actor, clock)
        return to_application(a, await allocation_queries.association_names([a.association_id]))

    @post("/{round_id:uuid}/allocation", operation_id="runAllocation", status_code=200, **guarded(STAFF))
    async def run(self, round_id: UUID, uow: SqlUnitOfWork, actor: Actor, clock: Clock,
                  allocation_queries: AllocationQueries) -> s.Proposal:
        """Run the allocator after the deadline (again replaces the proposal): every application
        is granted, moved or denied with its reasons; the score is the priority-weighted share
        of requested hours granted."""
        r = await allocation_run.run_allocation(round_id, uow, actor, clock)
        return await _proposal(r, uow, actor, allocation_queries)

    @get("/{round_id:uuid}/proposal", operation_id="getAllocationProposal", **guarded(STAFF))
    async def proposal(self, round_id: UUID, read_uow: SqlUnitOfWork, actor: Actor,
                       allocation_queries: AllocationQueries) -> s.Proposal:
        r = await allocation_rounds.get_round(round_id, read_uow, actor)
        return await _proposal(r, read_uow, actor, allocation_queries)

    @post("/{round_id:uuid}/adjustments", operation_id="adjustAllocation", status_code=200, **guarded(STAFF))
    async def adjust(self, round_id: UUID, data: s.AdjustmentIn, uow: SqlUnitOfWork, actor: Actor,
                     allocation_queries: AllocationQueries) -> s.Proposal:
        """Put one application on another slot or deny it. A slot that clashes with another
        application of the proposal or an existing booking answers 409 naming it."""
        r = await allocation_run.adjust(round_id, allocation_run.Adjustment(
            data.application_id, data.deny, data.space_id, data.weekday,
            dt.time.fromisoformat(data.start) if data.start else None), uow, actor)
        return await _proposal(r, uow, actor, allocation_queries)

    @post("/{round_id:uuid}/publication", operation_id="publishAllocationRound", status_code=200,
          **guarded(STAFF))
    async def publish(self, round_id: UUID, uow: SqlUnitOfWork, actor: Actor, clock: Clock) -> s.PublishReport:
        """Create an approved weekly series for every granted or moved application, in one
        transaction, and tell the associations. Dates on holidays, closed days or taken meanwhile
        are left out and reported per application. Publishing again answers the same report."""
        return _report(await allocation_publish.publish(round_id, uow, actor, clock))


HANDLERS: list[Any] = [AllocationRulesController, AllocationRoundController]
