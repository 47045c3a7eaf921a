"""What the people services (accounts, associations, grants) need from storage."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol
from uuid import UUID

from booking.domain.municipalities.ports import MunicipalitiesUnitOfWork
from booking.domain.people.links import OneTimeLink
from booking.domain.people.model import Account, Association
from booking.domain.shared.ports import Lookup, Named, Repository


class AccountRepository(Repository[Account], Protocol):
    async def by_email(self, email: str) -> Account | None: ...


class AssociationRepository(Repository[Association], Protocol):
    async def by_org_number(self, municipality_id: UUID, org_number: str) -> Association | None: ...

    async def of_municipality(self, municipality_id: UUID) -> Sequence[Association]: ...


class OneTimeLinkRepository(Repository[OneTimeLink], Protocol):
    async def by_token_hash(self, token_hash: str) -> OneTimeLink | None:
        """The link, locked until the transaction ends (a link is spent once, even by racing requests)."""
        ...

    async def open_of(self, account_id: UUID, now: datetime) -> Sequence[OneTimeLink]:
        """The account's links neither used nor expired at `now`."""
        ...


class PeopleUnitOfWork(MunicipalitiesUnitOfWork, Protocol):
    @property
    def accounts(self) -> AccountRepository: ...

    @property
    def associations(self) -> AssociationRepository: ...

    @property
    def links(self) -> OneTimeLinkRepository:
        """Invitations and password resets (`links.py`)."""
        ...

    @property
    def sites(self) -> Lookup[Named]:
        """A grant may be narrowed to a site: the people services only check that it exists."""
        ...
