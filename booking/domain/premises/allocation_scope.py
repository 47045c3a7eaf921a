"""The allocation round for premises staff narrowed to sites.

The round as a whole (its season, deadline and rules, running the allocator, publishing the
series) decides about the spaces of every site, so it takes a municipality-wide grant. A staff
member narrowed to sites adjusts only decisions about their sites' spaces (the slot taken away
and the slot given), and sees the applications that wish for their sites or are placed there,
and the decisions that place an application there (or deny one that wished for them).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from booking.domain.people.roles import Actor
from booking.domain.premises.allocation import AllocationRound, Application
from booking.domain.premises.allocator import Decision, decision_from_json
from booking.domain.premises.ports import PremisesUnitOfWork
from booking.domain.premises.scope import require_staff_at, staff_sites


def require_round_wide(actor: Actor) -> None:
    """The whole round concerns every site: 403 for staff narrowed to some."""
    require_staff_at(actor, None)


async def space_sites(uow: PremisesUnitOfWork, municipality_id: UUID) -> dict[UUID, UUID]:
    """The site of every space of the municipality."""
    return {s.id: s.site_id for s in await uow.spaces.matching(municipality_id, None, None, None, 100_000)}


async def require_adjustable(uow: PremisesUnitOfWork, actor: Actor, decision: Decision, space_id: UUID | None) -> None:
    """Staff narrowed to sites move or deny an application only between spaces of those sites."""
    if staff_sites(actor) is None:
        return
    sites = await space_sites(uow, actor.municipality_id)
    for space in (decision.slot.space_id if decision.slot else None, space_id):
        if space is not None:
            require_staff_at(actor, sites.get(space))


def _placed(round_: AllocationRound) -> dict[UUID, UUID]:
    """Application -> the space the proposal gives it."""
    out: dict[UUID, UUID] = {}
    for item in round_.proposal or []:
        decision = decision_from_json(item)
        if decision.slot is not None:
            out[decision.application_id] = decision.slot.space_id
    return out


async def visible_applications(uow: PremisesUnitOfWork, actor: Actor, round_: AllocationRound,
                               apps: list[Application]) -> list[Application]:
    """What a staff member (or representative) sees of the round's applications."""
    sites = staff_sites(actor)
    if sites is None:
        return apps
    site_of = await space_sites(uow, actor.municipality_id)
    placed = _placed(round_)
    def concerns(app: Application) -> bool:
        spaces = {w.space_id for w in app.wishes} | ({placed[app.id]} if app.id in placed else set())
        return any(site_of.get(space) in sites for space in spaces)

    return [a for a in apps if actor.represents(a.association_id) or concerns(a)]


async def visible_decisions(uow: PremisesUnitOfWork, actor: Actor, round_: AllocationRound,
                            visible: set[UUID]) -> list[dict[str, Any]]:
    """The proposal's decisions about the staff member's sites: a slot there, or (denied) an
    application they see."""
    sites = staff_sites(actor)
    if sites is None:
        return list(round_.proposal or [])
    async with uow:
        site_of = await space_sites(uow, actor.municipality_id)
    out = []
    for item in round_.proposal or []:
        decision = decision_from_json(item)
        if decision.slot is not None:
            if site_of.get(decision.slot.space_id) in sites:
                out.append(item)
        elif decision.application_id in visible:
            out.append(item)
    return out
