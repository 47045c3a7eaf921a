"""Use cases of a round: the municipality's default priority rules, creating, changing, opening and reading a
round."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from uuid import UUID
from zoneinfo import ZoneInfo

from booking.domain.people.roles import Actor
from booking.domain.premises.allocation import (
    DEFAULT_RULES,
    AllocationRound,
    PriorityRule,
    RoundState,
    check_rules,
    rules_from_json,
    rules_to_json,
)
from booking.domain.premises.allocation_common import (
    audit,
    require_staff,
    round_of,
)
from booking.domain.premises.allocation_scope import require_round_wide
from booking.domain.premises.booking_common import municipality_zone
from booking.domain.premises.ports import PremisesUnitOfWork
from booking.domain.shared.clock import Clock
from booking.domain.shared.errors import Conflict, ValidationError
from booking.domain.shared.localtime import check_day, local_instant


async def default_rules(uow: PremisesUnitOfWork, actor: Actor) -> list[PriorityRule]:
    async with uow:
        stored = await uow.allocation.default_rules(actor.municipality_id)
        return rules_from_json(stored) if stored is not None else list(DEFAULT_RULES)


async def set_default_rules(rules: Sequence[PriorityRule], uow: PremisesUnitOfWork, actor: Actor) -> list[PriorityRule]:
    require_staff(actor)
    require_round_wide(actor)
    checked = check_rules(rules)
    async with uow:
        await uow.allocation.set_default_rules(actor.municipality_id, rules_to_json(checked))
        audit(uow, actor, "allocation.rules_set", "municipality", actor.municipality_id,
               rules=rules_to_json(checked))
        await uow.commit()
    return checked


# --- rounds --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RoundFields:
    name: str
    first_day: date
    last_day: date
    deadline_date: date  # local
    deadline_time: time  # local
    rules: tuple[PriorityRule, ...] | None = None  # None: the municipality's default rules


def _deadline(fields: RoundFields, zone: ZoneInfo) -> datetime:
    check_day(fields.first_day, "first_day")
    check_day(fields.last_day, "last_day")
    deadline = local_instant(fields.deadline_date, fields.deadline_time, zone, "deadline_time")
    if fields.deadline_date > fields.first_day:
        raise ValidationError("deadline_date", "Applications close before the season starts.", "range")
    return deadline


async def create_round(fields: RoundFields, uow: PremisesUnitOfWork, actor: Actor) -> AllocationRound:
    require_staff(actor)
    require_round_wide(actor)
    async with uow:
        zone = await municipality_zone(uow, actor.municipality_id)
        deadline = _deadline(fields, zone)
        if fields.rules is not None:
            rules = rules_to_json(check_rules(fields.rules))
        else:
            stored = await uow.allocation.default_rules(actor.municipality_id)
            rules = stored if stored is not None else rules_to_json(DEFAULT_RULES)
        round_ = AllocationRound(actor.municipality_id, fields.name, fields.first_day, fields.last_day, deadline, rules)
        uow.allocation.add_round(round_)
        audit(uow, actor, "allocation.round_created", "allocation_round", round_.id, name=round_.name)
        await uow.commit()
        return round_


async def update_round(round_id: UUID, fields: RoundFields, uow: PremisesUnitOfWork, actor: Actor) -> AllocationRound:
    """Name, season, deadline and rules change until the round is published. A new deadline may
    lie in the past (closing applications early). Changing an allocated round discards its
    proposal: run the allocation again."""
    require_staff(actor)
    require_round_wide(actor)
    async with uow:
        round_ = await round_of(uow, actor, round_id, for_update=True)
        if round_.state in (RoundState.PUBLISHED, RoundState.CLOSED):
            raise Conflict(f"A {round_.state} round cannot be changed.")
        zone = await municipality_zone(uow, actor.municipality_id)
        round_.deadline = _deadline(fields, zone)
        round_.name, round_.first_day, round_.last_day = fields.name, fields.first_day, fields.last_day
        if fields.rules is not None:
            round_.rules = rules_to_json(check_rules(fields.rules))
        round_.validate()
        if round_.state is RoundState.ALLOCATED:
            round_.state, round_.proposal, round_.score, round_.allocated_at = RoundState.OPEN, None, None, None
        audit(uow, actor, "allocation.round_updated", "allocation_round", round_.id)
        await uow.commit()
        return round_


async def open_round(round_id: UUID, uow: PremisesUnitOfWork, actor: Actor, clock: Clock) -> AllocationRound:
    require_staff(actor)
    require_round_wide(actor)
    async with uow:
        round_ = await round_of(uow, actor, round_id, for_update=True)
        if round_.state is RoundState.OPEN:
            return round_
        if round_.state is not RoundState.DRAFT:
            raise Conflict(f"Only a draft round can be opened; this one is {round_.state}.")
        if round_.deadline <= clock.now():
            raise ValidationError("deadline_date", "The application deadline has passed; set a later one first.",
                                  "past")
        round_.state = RoundState.OPEN
        audit(uow, actor, "allocation.round_opened", "allocation_round", round_.id)
        await uow.commit()
        return round_


async def get_round(round_id: UUID, uow: PremisesUnitOfWork, actor: Actor) -> AllocationRound:
    async with uow:
        return await round_of(uow, actor, round_id)
