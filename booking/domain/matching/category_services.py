"""Use cases of the municipality's interest categories: anyone lists them (a municipality without any
gets the defaults stored on the first listing); staff add, rename, reorder and delete them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from booking.domain.matching.categories import InterestCategory, defaults_for
from booking.domain.matching.ports import MatchingUnitOfWork
from booking.domain.people.roles import Actor
from booking.domain.shared.audit import AuditEntry
from booking.domain.shared.errors import Conflict
from booking.domain.shared.tenancy import of_municipality


@dataclass(frozen=True)
class CategoryChange:
    name: str | None = None
    name_en: str | None = None
    position: int | None = None
    clear_name_en: bool = False


async def list_categories(municipality_id: UUID, uow: MatchingUnitOfWork,
                          read_uow: MatchingUnitOfWork | None = None) -> Sequence[InterestCategory]:
    """The municipality's categories (read through `read_uow` when given, which takes no writer lock); the
    first listing of a municipality without any stores the defaults (through `uow`)."""
    reader = read_uow or uow
    async with reader:
        found = await reader.matching.categories(municipality_id)
    if found:
        return found
    try:
        async with uow:
            if not await uow.matching.categories(municipality_id):
                for category in defaults_for(municipality_id):
                    await uow.matching.save_category(category)
                await uow.commit()
    except Conflict:
        pass  # another request stored them meanwhile
    async with uow:
        return await uow.matching.categories(municipality_id)


async def _unique(uow: MatchingUnitOfWork, category: InterestCategory) -> None:
    for other in await uow.matching.categories(category.municipality_id):
        if other.id != category.id and other.name.casefold() == category.name.casefold():
            raise Conflict("A category with this name exists.", [{"field": "name"}])


def _audit(actor: Actor, action: str, category: InterestCategory) -> AuditEntry:
    return AuditEntry(actor.municipality_id, actor.account_id, action, "interest_category", category.id,
                      {"name": category.name})


async def create_category(name: str, name_en: str | None, position: int | None, uow: MatchingUnitOfWork,
                          actor: Actor) -> InterestCategory:
    async with uow:
        existing = await uow.matching.categories(actor.municipality_id)
        if position is None:
            position = max((c.position for c in existing), default=0) + 10
        category = InterestCategory(actor.municipality_id, name, name_en, position)
        await _unique(uow, category)
        await uow.matching.save_category(category)
        uow.audit(_audit(actor, "interest_category.created", category))
        await uow.commit()
        return category


async def update_category(category_id: UUID, change: CategoryChange, uow: MatchingUnitOfWork,
                          actor: Actor) -> InterestCategory:
    async with uow:
        found = of_municipality(await uow.matching.category(category_id), actor.municipality_id,
                                "interest category", category_id)
        category = InterestCategory(
            found.municipality_id, change.name if change.name is not None else found.name,
            None if change.clear_name_en else (change.name_en if change.name_en is not None else found.name_en),
            change.position if change.position is not None else found.position, id=found.id,
            created_at=found.created_at)
        await _unique(uow, category)
        await uow.matching.save_category(category)
        uow.audit(_audit(actor, "interest_category.updated", category))
        await uow.commit()
        return category


async def delete_category(category_id: UUID, uow: MatchingUnitOfWork, actor: Actor) -> None:
    """A category a profile names (draft or published) stays: change those profiles first."""
    async with uow:
        category = of_municipality(await uow.matching.category(category_id), actor.municipality_id,
                                   "interest category", category_id)
        if await uow.matching.category_in_use(category):
            raise Conflict("Association profiles name this category; it cannot be deleted.")
        await uow.matching.delete_category(category)
        uow.audit(_audit(actor, "interest_category.deleted", category))
        await uow.commit()
