"""SQLAlchemy repositories: the collections the domain services load from and add to."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Generic, TypeVar
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from booking.adapters.db import tables as t
from booking.adapters.db import tables_draw, tables_people
from booking.adapters.db.types import utcnow
from booking.domain.municipalities.model import Area, Municipality, PostcodeArea
from booking.domain.people.links import OneTimeLink
from booking.domain.people.model import Account, Association
from booking.domain.premises.model import Site, Space
from booking.domain.shared.ids import new_id

T = TypeVar("T")


class SqlRepository(Generic[T]):
    entity: type[T]

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, ident: UUID) -> T | None:
        return await self.session.get(self.entity, ident)

    def add(self, entity: T) -> None:
        self.session.add(entity)

    async def delete(self, entity: T) -> None:
        await self.session.delete(entity)


class SqlMunicipalities(SqlRepository[Municipality]):
    """A municipality read in a transaction is kept for the rest of it: the session's identity map
    holds objects only weakly, and the zone, holiday and closed-day lookups that follow read it
    again by id (`session.get`), which then needs no second query."""

    entity = Municipality

    def __init__(self, session: AsyncSession) -> None:
        super().__init__(session)
        self._kept: dict[UUID, Municipality] = {}

    async def get(self, ident: UUID) -> Municipality | None:
        found = await self.session.get(Municipality, ident)
        if found is not None:
            self._kept[ident] = found
        return found

    async def by_slug(self, slug: str) -> Municipality | None:
        result = await self.session.execute(sa.select(Municipality).where(t.municipalities.c.slug == slug))
        return result.scalar_one_or_none()


class SqlAreas(SqlRepository[Area]):
    entity = Area

    async def of_municipality(self, municipality_id: UUID) -> Sequence[Area]:
        result = await self.session.execute(
            sa.select(Area).where(t.areas.c.municipality_id == municipality_id).order_by(t.areas.c.name)
        )
        return result.scalars().all()

    async def in_use(self, area_id: UUID) -> bool:
        query = sa.select(
            sa.exists().where(t.sites.c.area_id == area_id) | sa.exists().where(t.associations.c.area_id == area_id)
        )
        return bool((await self.session.execute(query)).scalar())

    async def for_postcode(self, municipality_id: UUID, postcode: str) -> Area | None:
        pa = tables_draw.postcode_areas
        query = sa.select(Area).join(pa, pa.c.area_id == t.areas.c.id).where(
            pa.c.municipality_id == municipality_id, pa.c.postcode == postcode)
        return (await self.session.execute(query)).scalars().first()

    async def replace_postcodes(self, municipality_id: UUID, items: Sequence[tuple[str, UUID]]) -> int:
        pa = tables_draw.postcode_areas
        # Replacements of one municipality's table take turns (PostgreSQL; SQLite serializes writes): two at
        # once would each delete the rows they see and then insert the same postcodes (a unique violation).
        # NO KEY UPDATE: rows that merely refer to the municipality are not held up.
        await self.session.execute(sa.select(t.municipalities.c.id).where(t.municipalities.c.id == municipality_id)
                                   .with_for_update(key_share=True))
        await self.session.execute(sa.delete(pa).where(pa.c.municipality_id == municipality_id))
        if items:
            now = utcnow()
            await self.session.execute(sa.insert(pa), [
                {"id": new_id(), "municipality_id": municipality_id, "postcode": code, "area_id": area_id,
                 "created_at": now, "updated_at": now} for code, area_id in items])
        return len(items)

    async def postcodes(self, municipality_id: UUID) -> Sequence[PostcodeArea]:
        pa = tables_draw.postcode_areas
        query = sa.select(PostcodeArea).where(pa.c.municipality_id == municipality_id).order_by(pa.c.postcode)
        return (await self.session.execute(query)).scalars().all()

    def add_postcode(self, line: PostcodeArea) -> None:
        self.session.add(line)


class SqlSites(SqlRepository[Site]):
    entity = Site

    async def has_spaces(self, site_id: UUID) -> bool:
        query = sa.select(sa.exists().where(t.spaces.c.site_id == site_id))
        return bool((await self.session.execute(query)).scalar())

    async def of_municipality(self, municipality_id: UUID) -> Sequence[Site]:
        result = await self.session.execute(
            sa.select(Site).where(t.sites.c.municipality_id == municipality_id).order_by(t.sites.c.name)
        )
        return result.scalars().all()


class SqlSpaces(SqlRepository[Space]):
    entity = Space

    async def parts_of(self, space_id: UUID) -> Sequence[Space]:
        result = await self.session.execute(
            sa.select(Space).where(t.spaces.c.parent_id == space_id).order_by(t.spaces.c.name)
        )
        return result.scalars().all()

    async def of_municipality(self, municipality_id: UUID) -> Sequence[Space]:
        result = await self.session.execute(
            sa.select(Space).where(t.spaces.c.municipality_id == municipality_id).order_by(t.spaces.c.name)
        )
        return result.scalars().all()

    async def matching(self, municipality_id: UUID, kind: str | None, min_capacity: int | None,
                       area_id: UUID | None, limit: int) -> Sequence[Space]:
        query = sa.select(Space).where(t.spaces.c.municipality_id == municipality_id)
        if kind is not None:
            query = query.where(t.spaces.c.kind == kind)
        if min_capacity is not None:
            query = query.where(t.spaces.c.capacity >= min_capacity)
        if area_id is not None:
            query = query.where(t.spaces.c.site_id.in_(sa.select(t.sites.c.id).where(t.sites.c.area_id == area_id)))
        result = await self.session.execute(query.order_by(t.spaces.c.capacity, t.spaces.c.name).limit(limit))
        return result.scalars().all()


class SqlAccounts(SqlRepository[Account]):
    entity = Account

    async def by_email(self, email: str) -> Account | None:
        result = await self.session.execute(sa.select(Account).where(t.accounts.c.email == email.lower()))
        return result.scalar_one_or_none()


class SqlAssociations(SqlRepository[Association]):
    entity = Association

    async def by_org_number(self, municipality_id: UUID, org_number: str) -> Association | None:
        result = await self.session.execute(
            sa.select(Association).where(
                t.associations.c.municipality_id == municipality_id, t.associations.c.org_number == org_number
            )
        )
        return result.scalar_one_or_none()

    async def of_municipality(self, municipality_id: UUID) -> Sequence[Association]:
        result = await self.session.execute(
            sa.select(Association).where(t.associations.c.municipality_id == municipality_id)
            .order_by(t.associations.c.name)
        )
        return result.scalars().all()


class SqlOneTimeLinks(SqlRepository[OneTimeLink]):
    entity = OneTimeLink

    async def by_token_hash(self, token_hash: str) -> OneTimeLink | None:
        links = tables_people.one_time_links
        # Locked: two requests with the same link must not both spend it (PostgreSQL; SQLite's writer
        # lock already serializes them).
        result = await self.session.execute(
            sa.select(OneTimeLink).where(links.c.token_hash == token_hash).with_for_update())
        return result.scalar_one_or_none()

    async def open_of(self, account_id: UUID, now: datetime) -> Sequence[OneTimeLink]:
        links = tables_people.one_time_links
        result = await self.session.execute(sa.select(OneTimeLink).where(
            links.c.account_id == account_id, links.c.used_at.is_(None), links.c.expires_at > now))
        return result.scalars().all()
