"""Use cases for municipalities and their areas: load, ask the model, store, tell the audit log."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from booking.domain.municipalities.model import Area, Municipality, check_unique_area_name
from booking.domain.municipalities.ports import Acting, MunicipalitiesUnitOfWork
from booking.domain.shared.audit import AuditEntry
from booking.domain.shared.errors import Conflict
from booking.domain.shared.keep import KEEP
from booking.domain.shared.tenancy import of_municipality


@dataclass(frozen=True)
class CreateMunicipality:
    name: str
    slug: str
    timezone: str = "Europe/Stockholm"


def _given(changes: dict[str, Any]) -> dict[str, Any]:
    """The fields a partial update sets (those not left as KEEP)."""
    return {k: v for k, v in changes.items() if v is not KEEP}


async def add_municipality(cmd: CreateMunicipality, uow: MunicipalitiesUnitOfWork) -> Municipality:
    """The new municipality, added to the open transaction (the caller commits): the one place that
    builds one, for `create_municipality` (the CLI) and `people.founding` (the operator's API route).
    A slug that is taken is a conflict naming `slug`."""
    municipality = Municipality(name=cmd.name, slug=cmd.slug, timezone=cmd.timezone)
    if await uow.municipalities.by_slug(municipality.slug) is not None:
        raise Conflict(f"A municipality with slug {municipality.slug!r} exists.", [{"field": "slug"}])
    uow.municipalities.add(municipality)
    return municipality


async def create_municipality(cmd: CreateMunicipality, uow: MunicipalitiesUnitOfWork) -> Municipality:
    async with uow:
        municipality = await add_municipality(cmd, uow)
        await uow.commit()
        return municipality


async def update_municipality(municipality_id: UUID, changes: dict[str, Any], uow: MunicipalitiesUnitOfWork,
                              actor: Acting) -> Municipality:
    """An admin changes their own municipality; another municipality does not exist for them."""
    given = _given(changes)
    async with uow:
        municipality = of_municipality(await uow.municipalities.get(municipality_id), actor.municipality_id,
                                       "municipality", municipality_id)
        municipality.change(**given)
        uow.audit(AuditEntry(actor.municipality_id, actor.account_id, "municipality.updated", "municipality",
                             municipality.id, {"fields": sorted(given)}))
        await uow.commit()
        return municipality


async def _area(uow: MunicipalitiesUnitOfWork, area_id: UUID, actor: Acting) -> Area:
    return of_municipality(await uow.areas.get(area_id), actor.municipality_id, "area", area_id)


async def create_area(name: str, population_0_17: int | None, uow: MunicipalitiesUnitOfWork, actor: Acting) -> Area:
    async with uow:
        area = Area(municipality_id=actor.municipality_id, name=name, population_0_17=population_0_17)
        check_unique_area_name(area, await uow.areas.of_municipality(actor.municipality_id))
        uow.areas.add(area)
        uow.audit(AuditEntry(actor.municipality_id, actor.account_id, "area.created", "area", area.id, {}))
        await uow.commit()
        return area


async def update_area(area_id: UUID, changes: dict[str, Any], uow: MunicipalitiesUnitOfWork, actor: Acting) -> Area:
    given = _given(changes)
    async with uow:
        area = await _area(uow, area_id, actor)
        area.change(**given)
        if "name" in given:
            check_unique_area_name(area, await uow.areas.of_municipality(actor.municipality_id))
        uow.audit(AuditEntry(actor.municipality_id, actor.account_id, "area.updated", "area", area.id, {}))
        await uow.commit()
        return area


async def delete_area(area_id: UUID, uow: MunicipalitiesUnitOfWork, actor: Acting) -> None:
    async with uow:
        area = await _area(uow, area_id, actor)
        if await uow.areas.in_use(area.id):
            raise Conflict(f"{area.name} is used by sites or associations; move them first.")
        await uow.areas.delete(area)
        uow.audit(AuditEntry(actor.municipality_id, actor.account_id, "area.deleted", "area", area.id, {}))
        await uow.commit()
