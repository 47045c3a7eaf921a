"""In-memory fakes of the ports, for unit tests of the use cases (no database)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Generic, TypeVar
from uuid import UUID

from booking.domain.municipalities.model import Area, Municipality
from booking.domain.people.model import Account, Association
from booking.domain.premises.model import Site, Space
from booking.domain.shared.audit import AuditEntry

T = TypeVar("T")


class FakeRepository(Generic[T]):
    def __init__(self, uow: FakeUnitOfWork) -> None:
        self.uow = uow
        self.items: dict[UUID, T] = {}

    async def get(self, ident: UUID) -> T | None:
        return self.items.get(ident)

    def add(self, entity: Any) -> None:
        self.uow.pending.append(lambda: self.items.__setitem__(entity.id, entity))

    async def delete(self, entity: Any) -> None:
        self.uow.pending.append(lambda: self.items.pop(entity.id, None))


class FakeMunicipalities(FakeRepository[Municipality]):
    async def by_slug(self, slug: str) -> Municipality | None:
        return next((m for m in self.items.values() if m.slug == slug), None)


class FakeAreas(FakeRepository[Area]):
    async def of_municipality(self, municipality_id: UUID) -> Sequence[Area]:
        return [a for a in self.items.values() if a.municipality_id == municipality_id]

    async def in_use(self, area_id: UUID) -> bool:
        return any(s.area_id == area_id for s in self.uow.sites.items.values())


class FakeSites(FakeRepository[Site]):
    async def has_spaces(self, site_id: UUID) -> bool:
        return any(s.site_id == site_id for s in self.uow.spaces.items.values())


class FakeSpaces(FakeRepository[Space]):
    async def parts_of(self, space_id: UUID) -> Sequence[Space]:
        return [s for s in self.items.values() if s.parent_id == space_id]


class FakeAccounts(FakeRepository[Account]):
    async def by_email(self, email: str) -> Account | None:
        return next((a for a in self.items.values() if a.email == email.lower()), None)


class FakeAssociations(FakeRepository[Association]):
    async def by_org_number(self, municipality_id: UUID, org_number: str) -> Association | None:
        return next((a for a in self.items.values()
                     if a.municipality_id == municipality_id and a.org_number == org_number), None)


class FakeUnitOfWork:
    """Adds become visible on commit; leaving without commit drops them."""

    def __init__(self) -> None:
        self.pending: list[Any] = []
        self.committed = 0
        self.audit_log: list[AuditEntry] = []
        self._audit_pending: list[AuditEntry] = []
        self.municipalities = FakeMunicipalities(self)
        self.areas = FakeAreas(self)
        self.sites = FakeSites(self)
        self.spaces = FakeSpaces(self)
        self.accounts = FakeAccounts(self)
        self.associations = FakeAssociations(self)

    async def __aenter__(self) -> FakeUnitOfWork:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.rollback()

    def audit(self, entry: AuditEntry) -> None:
        self._audit_pending.append(entry)

    async def commit(self) -> None:
        for apply in self.pending:
            apply()
        self.pending.clear()
        self.audit_log.extend(self._audit_pending)
        self._audit_pending.clear()
        self.committed += 1

    async def rollback(self) -> None:
        self.pending.clear()
        self._audit_pending.clear()


class FakeHasher:
    async def hash(self, password: str) -> str:
        return "fake$" + password[::-1]

    async def verify(self, password_hash: str, password: str) -> bool:
        return password_hash == "fake$" + password[::-1]

    def needs_rehash(self, password_hash: str) -> bool:
        return False
