"""Use cases for sites and spaces: handler(command, uow, actor)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from booking.domain.people.roles import Actor
from booking.domain.premises.model import (
    Site,
    Space,
    SpaceKind,
    check_can_become_part,
    check_deletable,
    check_part_of,
    leaf_units,
)
from booking.domain.premises.ports import PremisesUnitOfWork
from booking.domain.shared.audit import AuditEntry
from booking.domain.shared.errors import Conflict, NotFound
from booking.domain.shared.keep import KEEP
from booking.domain.shared.tenancy import of_municipality


@dataclass(frozen=True)
class CreateSite:
    name: str
    street: str
    postal_code: str
    city: str
    area_id: UUID | None = None
    description: str | None = None


@dataclass(frozen=True)
class UpdateSite:
    site_id: UUID
    changes: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class CreateSpace:
    site_id: UUID
    name: str
    kind: SpaceKind
    capacity: int
    description: str | None = None
    parent_id: UUID | None = None
    step_free: bool = False
    accessible_toilet: bool = False
    hearing_loop: bool = False
    accessibility_notes: str | None = None
    equipment: tuple[str, ...] = ()
    rules: dict[str, Any] = field(default_factory=dict)  # buffer_minutes, horizon_days, ... (see Space)


@dataclass(frozen=True)
class UpdateSpace:
    space_id: UUID
    changes: dict[str, Any] = field(default_factory=dict)


SITE_FIELDS = {"name", "street", "postal_code", "city", "area_id", "description"}
RULE_FIELDS = {"buffer_minutes", "horizon_days", "min_notice_hours", "min_duration_minutes", "max_duration_minutes",
               "auto_approve_categories", "cancel_deadline_hours"}
SPACE_FIELDS = {
    "name", "kind", "capacity", "description", "parent_id", "step_free", "accessible_toilet",
    "hearing_loop", "accessibility_notes", "equipment", *RULE_FIELDS,
}


async def _site(uow: PremisesUnitOfWork, actor: Actor, site_id: UUID, field_name: str | None = None) -> Site:
    return of_municipality(await uow.sites.get(site_id), actor.municipality_id, "site", site_id, field_name)


async def _space(uow: PremisesUnitOfWork, actor: Actor, space_id: UUID, field_name: str | None = None) -> Space:
    return of_municipality(await uow.spaces.get(space_id), actor.municipality_id, "space", space_id, field_name)


async def _check_area(uow: PremisesUnitOfWork, actor: Actor, area_id: UUID | None) -> None:
    if area_id is None:
        return
    of_municipality(await uow.areas.get(area_id), actor.municipality_id, "area", area_id, "area_id")


def _audit(uow: PremisesUnitOfWork, actor: Actor, action: str, entity: str, ident: UUID, **details: Any) -> None:
    uow.audit(AuditEntry(actor.municipality_id, actor.account_id, action, entity, ident, details))


async def create_site(cmd: CreateSite, uow: PremisesUnitOfWork, actor: Actor) -> Site:
    async with uow:
        await _check_area(uow, actor, cmd.area_id)
        site = Site(
            municipality_id=actor.municipality_id, name=cmd.name, street=cmd.street,
            postal_code=cmd.postal_code, city=cmd.city, area_id=cmd.area_id, description=cmd.description,
        )
        uow.sites.add(site)
        _audit(uow, actor, "site.created", "site", site.id, name=site.name)
        await uow.commit()
        return site


async def update_site(cmd: UpdateSite, uow: PremisesUnitOfWork, actor: Actor) -> Site:
    async with uow:
        site = await _site(uow, actor, cmd.site_id)
        changes = {k: v for k, v in cmd.changes.items() if k in SITE_FIELDS and v is not KEEP}
        if "area_id" in changes:
            await _check_area(uow, actor, changes["area_id"])
        for key, value in changes.items():
            setattr(site, key, value)
        site.validate()
        _audit(uow, actor, "site.updated", "site", site.id, fields=sorted(changes))
        await uow.commit()
        return site


async def delete_site(site_id: UUID, uow: PremisesUnitOfWork, actor: Actor) -> None:
    async with uow:
        site = await _site(uow, actor, site_id)
        if await uow.sites.has_spaces(site.id):
            raise Conflict(f"{site.name} still has spaces; remove them first.")
        await uow.sites.delete(site)
        _audit(uow, actor, "site.deleted", "site", site.id, name=site.name)
        await uow.commit()


async def create_space(cmd: CreateSpace, uow: PremisesUnitOfWork, actor: Actor) -> Space:
    async with uow:
        await _site(uow, actor, cmd.site_id, "site_id")
        space = Space(
            municipality_id=actor.municipality_id, site_id=cmd.site_id, name=cmd.name, kind=cmd.kind,
            capacity=cmd.capacity, description=cmd.description, parent_id=cmd.parent_id,
            step_free=cmd.step_free, accessible_toilet=cmd.accessible_toilet, hearing_loop=cmd.hearing_loop,
            accessibility_notes=cmd.accessibility_notes, equipment=list(cmd.equipment),
            **{k: v for k, v in cmd.rules.items() if k in RULE_FIELDS},
        )
        if space.parent_id is not None:
            parent = await _space(uow, actor, space.parent_id, "parent_id")
            check_part_of(space, parent, parent.parent_id is not None)
        uow.spaces.add(space)
        _audit(uow, actor, "space.created", "space", space.id, name=space.name)
        await uow.commit()
        return space


async def update_space(cmd: UpdateSpace, uow: PremisesUnitOfWork, actor: Actor) -> Space:
    async with uow:
        space = await _space(uow, actor, cmd.space_id)
        changes = {k: v for k, v in cmd.changes.items() if k in SPACE_FIELDS and v is not KEEP}
        for key, value in changes.items():
            setattr(space, key, list(value) if key in ("equipment", "auto_approve_categories") else value)
        space.validate()
        if "parent_id" in changes and space.parent_id is not None:
            parent = await _space(uow, actor, space.parent_id, "parent_id")
            check_part_of(space, parent, parent.parent_id is not None)
            check_can_become_part(space, await uow.spaces.parts_of(space.id))
        _audit(uow, actor, "space.updated", "space", space.id, fields=sorted(changes))
        await uow.commit()
        return space


async def delete_space(space_id: UUID, uow: PremisesUnitOfWork, actor: Actor) -> None:
    async with uow:
        space = await _space(uow, actor, space_id)
        check_deletable(space, list(await uow.spaces.parts_of(space.id)))
        await uow.spaces.delete(space)
        _audit(uow, actor, "space.deleted", "space", space.id, name=space.name)
        await uow.commit()


async def occupied_units(space_id: UUID, uow: PremisesUnitOfWork) -> frozenset[UUID]:
    """The leaf units a booking of this space occupies (used by the booking services)."""
    space = await uow.spaces.get(space_id)
    if space is None:
        raise NotFound("Space", space_id)
    return leaf_units(space, await uow.spaces.parts_of(space_id))
