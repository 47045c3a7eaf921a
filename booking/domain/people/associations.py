"""Use cases for associations (föreningar): registered by a member, who becomes its representative,
verified by staff before it may book, changed by its representatives and staff."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from booking.domain.people.model import Association, AssociationCategory, contact_persons
from booking.domain.people.ports import PeopleUnitOfWork
from booking.domain.people.roles import Actor, Role
from booking.domain.shared.audit import AuditEntry
from booking.domain.shared.clock import Clock
from booking.domain.shared.errors import Conflict, NotFound
from booking.domain.shared.keep import KEEP
from booking.domain.shared.tenancy import of_municipality


@dataclass(frozen=True)
class RegisterAssociation:
    name: str
    org_number: str
    category: AssociationCategory = AssociationCategory.OTHER
    area_id: UUID | None = None
    is_local: bool = True
    public_name: bool = False
    contacts: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True)
class UpdateAssociation:
    association_id: UUID
    changes: dict[str, Any] = field(default_factory=dict)


async def _visible(uow: PeopleUnitOfWork, association_id: UUID, actor: Actor) -> Association:
    """The association, if the actor may see it (`Association.visible_to`); else it does not exist (404)."""
    association = await uow.associations.get(association_id)
    if association is None or not association.visible_to(actor):
        raise NotFound("Association", association_id)
    return association


async def _check_area(uow: PeopleUnitOfWork, area_id: UUID | None, municipality_id: UUID) -> None:
    """An area named in the request is one of the municipality's; else a 422 naming `area_id`."""
    if area_id is not None:
        of_municipality(await uow.areas.get(area_id), municipality_id, "area", area_id, "area_id")


def _audit(actor: Actor, action: str, association: Association, details: dict[str, Any] | None = None) -> AuditEntry:
    return AuditEntry(actor.municipality_id, actor.account_id, action, "association", association.id, details or {})


async def register_association(cmd: RegisterAssociation, uow: PeopleUnitOfWork, actor: Actor) -> Association:
    """Any signed-in person registers an association and becomes its representative (staff and admins,
    who register associations for others, do not); staff verify it before it may book."""
    async with uow:
        association = Association(
            municipality_id=actor.municipality_id, name=cmd.name, org_number=cmd.org_number,
            category=cmd.category, area_id=cmd.area_id, is_local=cmd.is_local, public_name=cmd.public_name,
        )
        association.contacts = contact_persons(cmd.contacts)
        await _check_area(uow, cmd.area_id, actor.municipality_id)
        if await uow.associations.by_org_number(actor.municipality_id, association.org_number) is not None:
            raise Conflict("An association with this organisationsnummer is already registered; "
                           "ask its representative or the municipality to add you.", [{"field": "org_number"}])
        uow.associations.add(association)
        if not association.visible_to(actor):  # not staff: as its representative they will see it
            account = await uow.accounts.get(actor.account_id)
            if account is None:
                raise NotFound("Account", actor.account_id)
            account.grant(Role.ASSOCIATION_REP, association.id)
        uow.audit(_audit(actor, "association.registered", association, {"org_number": association.org_number}))
        await uow.commit()
        return association


async def get_association(association_id: UUID, uow: PeopleUnitOfWork, actor: Actor) -> Association:
    async with uow:
        return await _visible(uow, association_id, actor)


async def update_association(cmd: UpdateAssociation, uow: PeopleUnitOfWork, actor: Actor) -> Association:
    """Its representatives and staff change it (`Association.change` says who may change what)."""
    given = {k: v for k, v in cmd.changes.items() if v is not KEEP}
    async with uow:
        association = await _visible(uow, cmd.association_id, actor)
        await _check_area(uow, given.get("area_id"), association.municipality_id)
        association.change(actor, **given)
        if "org_number" in given:
            other = await uow.associations.by_org_number(association.municipality_id, association.org_number)
            if other is not None and other.id != association.id:
                raise Conflict("Another association has this organisationsnummer.", [{"field": "org_number"}])
        uow.audit(_audit(actor, "association.updated", association, {"fields": sorted(given)}))
        await uow.commit()
        return association


async def verify_association(association_id: UUID, verified: bool, uow: PeopleUnitOfWork, actor: Actor,
                             clock: Clock) -> Association:
    """Staff mark an association verified (or not) after checking its papers."""
    async with uow:
        association = of_municipality(await uow.associations.get(association_id), actor.municipality_id,
                                      "association", association_id)
        if verified:
            association.verify(actor.account_id, clock.now())
        else:
            association.unverify()
        uow.audit(_audit(actor, "association.verified" if verified else "association.unverified", association))
        await uow.commit()
        return association


async def rotate_feed_token(association_id: UUID, uow: PeopleUnitOfWork, actor: Actor) -> str:
    """A new private calendar-feed token for the association (the old link stops working), returned once."""
    async with uow:
        association = await _visible(uow, association_id, actor)
        token = association.rotate_feed_token()
        uow.audit(_audit(actor, "association.feed_token_rotated", association))
        await uow.commit()
        return token
