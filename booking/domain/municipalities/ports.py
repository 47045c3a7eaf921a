"""What the municipalities' services need from storage: the base every context's unit of work extends."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol
from uuid import UUID

from booking.domain.municipalities.model import Area, Municipality, PostcodeArea
from booking.domain.shared.ports import Repository, Transaction


class MunicipalityRepository(Repository[Municipality], Protocol):
    async def by_slug(self, slug: str) -> Municipality | None: ...


class AreaRepository(Repository[Area], Protocol):
    async def of_municipality(self, municipality_id: UUID) -> Sequence[Area]: ...

    async def in_use(self, area_id: UUID) -> bool: ...

    async def for_postcode(self, municipality_id: UUID, postcode: str) -> Area | None:
        """The area the municipality's postcode table gives this (cleaned, five-digit) postcode."""
        ...

    async def replace_postcodes(self, municipality_id: UUID, items: Sequence[tuple[str, UUID]]) -> int:
        """Make the municipality's postcode table exactly `items` (postcode, area id); answers the count."""
        ...

    async def postcodes(self, municipality_id: UUID) -> Sequence[PostcodeArea]:
        """The municipality's postcode table, by postcode (tracked: an import changes their areas)."""
        ...

    def add_postcode(self, line: PostcodeArea) -> None: ...


class MunicipalitiesUnitOfWork(Transaction, Protocol):
    @property
    def municipalities(self) -> MunicipalityRepository: ...

    @property
    def areas(self) -> AreaRepository: ...


class Acting(Protocol):
    """Who acts in a use case, as far as municipalities need to know: the account, for the audit log,
    and the municipality it acts in (people's `Actor` is one)."""

    @property
    def account_id(self) -> UUID: ...

    @property
    def municipality_id(self) -> UUID: ...
