"""What the municipalities' services need from storage: the base every context's unit of work extends."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol
from uuid import UUID

from booking.domain.municipalities.model import Area, Municipality
from booking.domain.shared.ports import Repository, Transaction


class MunicipalityRepository(Repository[Municipality], Protocol):
    async def by_slug(self, slug: str) -> Municipality | None: ...


class AreaRepository(Repository[Area], Protocol):
    async def of_municipality(self, municipality_id: UUID) -> Sequence[Area]: ...

    async def in_use(self, area_id: UUID) -> bool: ...


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
