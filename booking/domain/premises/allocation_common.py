"""What the allocation use cases share: who may run a round, the round of the actor's municipality, the audit
entry, and how a slot's problem is told."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from booking.domain.people.roles import Actor, Role
from booking.domain.premises.allocation import (
    AllocationRound,
    RoundState,
)
from booking.domain.premises.ports import PremisesUnitOfWork
from booking.domain.shared.audit import AuditEntry
from booking.domain.shared.errors import FieldProblem, Forbidden, NotFound
from booking.domain.shared.tenancy import of_municipality


def is_staff(actor: Actor) -> bool:
    return actor.has(Role.PREMISES_STAFF)


def require_staff(actor: Actor) -> None:
    if not is_staff(actor):
        raise Forbidden("Only premises staff run allocation rounds.")


async def round_of(uow: PremisesUnitOfWork, actor: Actor, round_id: UUID, *, for_update: bool = False
                   ) -> AllocationRound:
    """The round of the actor's municipality; a draft exists only for staff."""
    round_ = of_municipality(await uow.allocation.get_round(round_id, for_update=for_update), actor.municipality_id,
                             "allocation round", round_id)
    if not is_staff(actor) and round_.state is RoundState.DRAFT:
        raise NotFound("Allocation round", round_id)
    return round_


def audit(uow: PremisesUnitOfWork, actor: Actor, action: str, entity: str, ident: UUID, **details: Any) -> None:
    uow.audit(AuditEntry(actor.municipality_id, actor.account_id, action, entity, ident, details))


PROBLEM_FIELD = {"unknown_space": "space_id", "capacity": "space_id", "closed": "start", "duration": "duration"}
PROBLEM_TEXT = {
    "unknown_space": "No such space in this municipality.",
    "capacity": "The space takes {capacity} people; the group is {participants}.",
    "duration": "The space is booked for {min} to {max} minutes at a time.",
    "closed": "Outside the space's opening hours that weekday ({shown}).",
}


def slot_problem(problem: dict[str, Any], field: str) -> FieldProblem:
    """One of the allocator's slot problems (code + params) as a field problem, in English."""
    params = dict(problem["params"])
    params["shown"] = ", ".join(params.get("windows", [])) or "closed all day"
    return FieldProblem(field, PROBLEM_TEXT.get(problem["code"], problem["code"]).format(**params), problem["code"])
