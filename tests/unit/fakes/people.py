"""Fakes of the base contexts: municipalities, areas, accounts and associations.

As in the SQL repositories: a slug is unique in the deployment, an area's name and an association's
organisationsnummer within a municipality, an e-mail address across every municipality, and an area
is in use while a site or an association names it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

from booking.domain.municipalities.model import Area, Municipality
from booking.domain.people.links import OneTimeLink
from booking.domain.people.model import Account, Association
from booking.domain.people.sign_in_config import SignInConfig
from tests.unit.fakes.base import FakeRepository, FakeTransaction


class FakeMunicipalities(FakeRepository[Municipality]):
    table_name = "municipalities"

    def __init__(self, uow: FakeTransaction) -> None:
        super().__init__(uow)
        uow.unique(self.table_name, lambda m: m.slug, "slug", "A municipality with this slug exists.")

    async def by_slug(self, slug: str) -> Municipality | None:
        return next((m for m in self.items.values() if m.slug == slug), None)


class FakeAreas(FakeRepository[Area]):
    table_name = "areas"

    def __init__(self, uow: FakeTransaction) -> None:
        super().__init__(uow)
        uow.unique(self.table_name, lambda a: (a.municipality_id, a.name), "name", "An area with this name exists.")

    async def of_municipality(self, municipality_id: UUID) -> Sequence[Area]:
        return sorted((a for a in self.items.values() if a.municipality_id == municipality_id), key=lambda a: a.name)

    async def in_use(self, area_id: UUID) -> bool:
        return any(getattr(row, "area_id", None) == area_id
                   for name in ("sites", "associations") for row in self.uow.table(name).values())


class FakeAccounts(FakeRepository[Account]):
    table_name = "accounts"

    def __init__(self, uow: FakeTransaction) -> None:
        super().__init__(uow)
        uow.unique(self.table_name, lambda a: a.email, "email", "An account with this e-mail address already exists.")

    async def by_email(self, email: str) -> Account | None:
        return next((a for a in self.items.values() if a.email == email.lower()), None)


class FakeAssociations(FakeRepository[Association]):
    table_name = "associations"

    def __init__(self, uow: FakeTransaction) -> None:
        super().__init__(uow)
        uow.unique(self.table_name, lambda a: (a.municipality_id, a.org_number), "org_number",
                   "This organisationsnummer is registered.")
        uow.unique(self.table_name, lambda a: a.feed_token_hash, "feed_token", "This feed token is in use.")

    async def by_org_number(self, municipality_id: UUID, org_number: str) -> Association | None:
        return next((a for a in self.items.values()
                     if a.municipality_id == municipality_id and a.org_number == org_number), None)

    async def of_municipality(self, municipality_id: UUID) -> Sequence[Association]:
        return sorted((a for a in self.items.values() if a.municipality_id == municipality_id), key=lambda a: a.name)


class FakeLinks(FakeRepository[OneTimeLink]):
    table_name = "one_time_links"

    def __init__(self, uow: FakeTransaction) -> None:
        super().__init__(uow)
        uow.unique(self.table_name, lambda link: link.token_hash, "token", "This link exists.")

    async def by_token_hash(self, token_hash: str) -> OneTimeLink | None:
        return next((link for link in self.items.values() if link.token_hash == token_hash), None)

    async def open_of(self, account_id: UUID, now: datetime) -> Sequence[OneTimeLink]:
        return [link for link in self.items.values() if link.account_id == account_id and link.is_open(now)]


class FakeSignInConfigs:
    """`SignInConfigs` in the fake unit of work's tables (so a rollback undoes a link)."""

    def __init__(self, uow: FakeTransaction) -> None:
        self.uow = uow

    async def get(self, municipality_id: UUID) -> SignInConfig | None:
        return self.uow.table("oidc_settings").get(municipality_id)

    async def save(self, config: SignInConfig) -> None:
        self.uow.table("oidc_settings")[config.municipality_id] = config

    async def account_for(self, issuer: str, subject: str) -> UUID | None:
        return self.uow.table("oidc_identities").get((issuer, subject))

    async def link(self, municipality_id: UUID, issuer: str, subject: str, account_id: UUID) -> None:
        self.uow.table("oidc_identities")[(issuer, subject)] = account_id
