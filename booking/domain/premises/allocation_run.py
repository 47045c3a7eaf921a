"""Running the allocator over a round's applications, and staff adjusting its proposal."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from uuid import UUID

from booking.domain.people.roles import Actor
from booking.domain.premises.allocation import AllocationRound, Application, ApplicationStatus, RoundState, minutes
from booking.domain.premises.allocation_common import audit, require_staff, round_of, slot_problem
from booking.domain.premises.allocation_facts import applicants, space_facts, taken_times
from booking.domain.premises.allocation_scope import require_adjustable, require_round_wide
from booking.domain.premises.allocator import Decision, Slot, allocate, check_adjustment, decision_from_json, score
from booking.domain.premises.booking_common import municipality_zone
from booking.domain.premises.ports import PremisesUnitOfWork
from booking.domain.shared.clock import Clock
from booking.domain.shared.errors import Conflict, ValidationError, expect


async def run_allocation(round_id: UUID, uow: PremisesUnitOfWork, actor: Actor, clock: Clock) -> AllocationRound:
    """Run the allocator over the round's submitted applications (again, if already run: staff
    adjustments are replaced). Applications must have closed."""
    require_staff(actor)
    require_round_wide(actor)
    now = clock.now()
    async with uow:
        round_ = await round_of(uow, actor, round_id, for_update=True)
        if round_.state not in (RoundState.OPEN, RoundState.ALLOCATED):
            raise Conflict(f"Only an open or allocated round can be run; this one is {round_.state}.")
        if now < round_.deadline:
            raise Conflict("Applications are still open; run the allocation after the deadline.",
                           [{"field": "deadline", "deadline": round_.deadline.isoformat()}])
        zone = await municipality_zone(uow, actor.municipality_id)
        spaces = await space_facts(uow, actor.municipality_id)
        apps = [a for a in await uow.allocation.applications(round_id) if a.status is ApplicationStatus.SUBMITTED]
        taken, holdings = await taken_times(uow, round_, zone, spaces)
        proposal = allocate(await applicants(uow, apps), spaces, round_.priority_rules, taken, holdings)
        round_.proposal = [d.as_json() for d in proposal.decisions]
        round_.score = proposal.score
        round_.state, round_.allocated_at = RoundState.ALLOCATED, now
        audit(uow, actor, "allocation.run", "allocation_round", round_.id, score=proposal.score,
              applications=len(apps))
        await uow.commit()
        return round_


@dataclass(frozen=True)
class Adjustment:
    application_id: UUID
    deny: bool = False
    space_id: UUID | None = None
    weekday: int | None = None
    start: time | None = None


def adjusted_slot(cmd: Adjustment, duration: int) -> Slot:
    """The slot an adjustment names, for an application of `duration` minutes."""
    if cmd.space_id is None or cmd.weekday is None or cmd.start is None:
        field = "space_id" if cmd.space_id is None else "weekday" if cmd.weekday is None else "start"
        raise ValidationError(field, "Give the space, weekday and start, or deny.", "required")
    if cmd.weekday not in range(7):
        raise ValidationError("weekday", "Weekdays are 0 (Monday) to 6 (Sunday).", "range")
    begin = minutes(cmd.start)
    if begin + duration > 24 * 60:
        raise ValidationError("start", "The time must end on the day it starts.", "range")
    return Slot(cmd.space_id, cmd.weekday, begin, begin + duration)


async def _check_slot(uow: PremisesUnitOfWork, actor: Actor, round_: AllocationRound, decisions: list[Decision],
                      application: Application, slot: Slot) -> None:
    """422 when the slot breaks the space's rules; 409 naming what is in the way when it clashes with
    the proposal (the other application's title) or an existing booking."""
    zone = await municipality_zone(uow, actor.municipality_id)
    spaces = await space_facts(uow, actor.municipality_id)
    taken, _ = await taken_times(uow, round_, zone, spaces)
    problems, clashes = check_adjustment(decisions, application.id, slot, application.participants, spaces, taken)
    if problems:
        raise ValidationError.many([slot_problem(p, "space_id" if p["code"] in ("unknown_space", "capacity")
                                                 else "start") for p in problems])
    if clashes:
        titles = {a.id: a.title for a in await uow.allocation.applications(round_.id)}
        for c in clashes:
            if c["code"] == "taken_by_application":
                c["params"]["title"] = titles.get(UUID(c["params"]["application_id"]), "")
        raise Conflict("The slot clashes with the proposal or an existing booking.",
                       [{"code": c["code"], **c["params"]} for c in clashes])


async def adjust(round_id: UUID, cmd: Adjustment, uow: PremisesUnitOfWork, actor: Actor) -> AllocationRound:
    """Staff put an application on another slot, or deny it. The slot is checked against the
    space's rules, the rest of the proposal and existing bookings: a clash answers 409 naming the
    application (or booking) in the way."""
    require_staff(actor)
    async with uow:
        round_ = await round_of(uow, actor, round_id, for_update=True)
        if round_.state is not RoundState.ALLOCATED or round_.proposal is None:
            raise Conflict(f"Only an allocated round can be adjusted; this one is {round_.state}.")
        decisions = [decision_from_json(d) for d in round_.proposal]
        target = next((d for d in decisions if d.application_id == cmd.application_id), None)
        if target is None:
            raise ValidationError("application_id", "No such application in the proposal.", "unknown")
        application = expect(await uow.allocation.get_application(cmd.application_id), "an application of the proposal")
        await require_adjustable(uow, actor, target, None if cmd.deny else cmd.space_id)
        if cmd.deny:
            target.deny_by_staff()
        else:
            slot = adjusted_slot(cmd, application.duration_minutes)
            await _check_slot(uow, actor, round_, decisions, application, slot)
            target.place_by_staff(slot, application.wishes)
        apps = {a.id: a for a in await uow.allocation.applications(round_id)}
        round_.proposal = [d.as_json() for d in decisions]
        round_.score = score(decisions, {d.application_id: apps[d.application_id].duration_minutes
                                         for d in decisions})
        audit(uow, actor, "allocation.adjusted", "allocation_round", round_.id,
              application_id=str(cmd.application_id), deny=cmd.deny)
        await uow.commit()
        return round_
