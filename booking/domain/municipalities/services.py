"""Use cases for municipalities and their areas."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from booking.domain.municipalities.model import Area, Municipality, check_eves, check_timezone
from booking.domain.municipalities.ports import MunicipalitiesUnitOfWork
from booking.domain.people.roles import Actor
from booking.domain.shared.audit import AuditEntry
from booking.domain.shared.errors import Conflict, NotFound
from booking.domain.shared.keep import KEEP
from booking.domain.shared.text import clean_name


@dataclass(frozen=True)
class CreateMunicipality:
    name: str
    slug: str
    timezone: str = "Europe/Stockholm"


async def create_municipality(cmd: CreateMunicipality, uow: MunicipalitiesUnitOfWork) -> Municipality:
    async with uow:
        municipality = Municipality(name=cmd.name, slug=cmd.slug, timezone=cmd.timezone)
        if await uow.municipalities.by_slug(municipality.slug) is not None:
            raise Conflict(f"A municipality with slug {municipality.slug!r} exists.", [{"field": "slug"}])
        uow.municipalities.add(municipality)
        await uow.commit()
        return municipality


async def update_municipality(municipality_id: UUID, changes: dict[str, Any], uow: MunicipalitiesUnitOfWork,
                              actor: Actor) -> Municipality:
    async with uow:
        municipality = await uow.municipalities.get(municipality_id)
        if municipality is None or municipality.id != actor.municipality_id:
            raise NotFound("Municipality", municipality_id)
        if changes.get("name", KEEP) is not KEEP:
            municipality.name = clean_name(changes["name"])
        if changes.get("timezone", KEEP) is not KEEP:
            municipality.timezone = check_timezone(changes["timezone"])
        if changes.get("closed_eves", KEEP) is not KEEP:
            municipality.closed_eves = check_eves(changes["closed_eves"])
        uow.audit(AuditEntry(actor.municipality_id, actor.account_id, "municipality.updated", "municipality",
                             municipality.id, {"fields": sorted(k for k, v in changes.items() if v is not KEEP)}))
        await uow.commit()
        return municipality


async def create_area(name: str, population_0_17: int | None, uow: MunicipalitiesUnitOfWork, actor: Actor) -> Area:
    async with uow:
        area = Area(municipality_id=actor.municipality_id, name=name, population_0_17=population_0_17)
        existing = await uow.areas.of_municipality(actor.municipality_id)
        if any(a.name.casefold() == area.name.casefold() for a in existing):
            raise Conflict(f"An area named {area.name} exists.", [{"field": "name"}])
        uow.areas.add(area)
        uow.audit(AuditEntry(actor.municipality_id, actor.account_id, "area.created", "area", area.id, {}))
        await uow.commit()
        return area


async def update_area(area_id: UUID, changes: dict[str, Any], uow: MunicipalitiesUnitOfWork, actor: Actor) -> Area:
    async with uow:
        area = await uow.areas.get(area_id)
        if area is None or area.municipality_id != actor.municipality_id:
            raise NotFound("Area", area_id)
        if changes.get("name", KEEP) is not KEEP:
            area.name = changes["name"]
            existing = await uow.areas.of_municipality(actor.municipality_id)
            if any(a.id != area.id and a.name.casefold() == clean_name(area.name).casefold() for a in existing):
                raise Conflict(f"An area named {area.name} exists.", [{"field": "name"}])
        if changes.get("population_0_17", KEEP) is not KEEP:
            area.population_0_17 = changes["population_0_17"]
        area.__post_init__()
        uow.audit(AuditEntry(actor.municipality_id, actor.account_id, "area.updated", "area", area.id, {}))
        await uow.commit()
        return area


async def delete_area(area_id: UUID, uow: MunicipalitiesUnitOfWork, actor: Actor) -> None:
    async with uow:
        area = await uow.areas.get(area_id)
        if area is None or area.municipality_id != actor.municipality_id:
            raise NotFound("Area", area_id)
        if await uow.areas.in_use(area.id):
            raise Conflict(f"{area.name} is used by sites or associations; move them first.")
        await uow.areas.delete(area)
        uow.audit(AuditEntry(actor.municipality_id, actor.account_id, "area.deleted", "area", area.id, {}))
        await uow.commit()
