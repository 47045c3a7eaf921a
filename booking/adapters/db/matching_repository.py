"""The föreningsmatchning repository: association profiles (draft, published version and its searchable
copy), the municipality's interest categories, and which bookings an association shows on its profile.
Plain Core statements: the profile's two versions are JSON columns, mapped here to ProfileFields."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from booking.adapters.db import tables as t
from booking.adapters.db import tables_allocation as tal
from booking.adapters.db import tables_matching as tm
from booking.adapters.db.types import utcnow
from booking.domain.matching.categories import InterestCategory
from booking.domain.matching.profile import AssociationProfile, ProfileFields
from booking.domain.matching.states import ProfileStatus
from booking.domain.premises.bookings import BookingStatus

P = tm.association_profiles
C = tm.interest_categories


def profile_of(row: Any) -> AssociationProfile:
    return AssociationProfile(
        municipality_id=row.municipality_id, association_id=row.association_id,
        draft=ProfileFields.from_json(row.draft), status=ProfileStatus(row.status),
        published=ProfileFields.from_json(row.published) if row.published else None,
        published_at=row.published_at, verified_by=row.verified_by, review_note=row.review_note,
        requests_paused=row.requests_paused, contact_id=row.contact_id, id=row.id,
        created_at=row.created_at, updated_at=row.updated_at,
    )


def profile_values(profile: AssociationProfile) -> dict[str, Any]:
    s = profile.searchable
    return {
        "municipality_id": profile.municipality_id, "association_id": profile.association_id,
        "draft": profile.draft.to_json(), "status": profile.status,
        "published": profile.published.to_json() if profile.published else None,
        "published_at": profile.published_at, "verified_by": profile.verified_by,
        "review_note": profile.review_note, "requests_paused": profile.requests_paused,
        "contact_id": profile.contact_id,
        "age_min": s.age_min, "age_max": s.age_max, "free_to_try": s.free_to_try, "accessible": s.accessible,
        "interests": [str(i) for i in s.interests], "areas": [str(i) for i in s.areas],
        "languages": list(s.languages), "for_whom": list(s.for_whom),
    }


def category_of(row: Any) -> InterestCategory:
    return InterestCategory(row.municipality_id, row.name, row.name_en, row.position, id=row.id,
                            created_at=row.created_at, updated_at=row.updated_at)


class SqlMatchingRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def profile(self, association_id: UUID) -> AssociationProfile | None:
        row = (await self.session.execute(sa.select(P).where(P.c.association_id == association_id))).first()
        return profile_of(row) if row is not None else None

    async def save_profile(self, profile: AssociationProfile) -> None:
        values = profile_values(profile)
        now = utcnow()
        if profile.created_at is None:
            profile.created_at = profile.updated_at = now
            await self.session.execute(sa.insert(P).values(id=profile.id, created_at=now, updated_at=now, **values))
        else:
            profile.updated_at = now
            await self.session.execute(sa.update(P).where(P.c.id == profile.id).values(updated_at=now, **values))

    async def set_requests_paused(self, association_id: UUID, paused: bool) -> bool:
        """Pause (or resume) interest requests; False when the association has no profile."""
        done = await self.session.execute(sa.update(P).where(P.c.association_id == association_id)
                                          .values(requests_paused=paused, updated_at=utcnow()))
        return bool(done.rowcount)  # type: ignore[attr-defined]

    async def categories(self, municipality_id: UUID) -> Sequence[InterestCategory]:
        rows = await self.session.execute(sa.select(C).where(C.c.municipality_id == municipality_id)
                                          .order_by(C.c.position, C.c.name))
        return [category_of(r) for r in rows]

    async def category(self, category_id: UUID) -> InterestCategory | None:
        row = (await self.session.execute(sa.select(C).where(C.c.id == category_id))).first()
        return category_of(row) if row is not None else None

    async def save_category(self, category: InterestCategory) -> None:
        values = {"municipality_id": category.municipality_id, "name": category.name, "name_en": category.name_en,
                  "position": category.position}
        now = utcnow()
        if category.created_at is None:
            category.created_at = category.updated_at = now
            await self.session.execute(sa.insert(C).values(id=category.id, created_at=now, updated_at=now, **values))
        else:
            category.updated_at = now
            await self.session.execute(sa.update(C).where(C.c.id == category.id).values(updated_at=now, **values))

    async def delete_category(self, category: InterestCategory) -> None:
        await self.session.execute(sa.delete(C).where(C.c.id == category.id))

    async def category_in_use(self, category: InterestCategory) -> bool:
        rows = await self.session.execute(sa.select(P.c.draft, P.c.interests)
                                          .where(P.c.municipality_id == category.municipality_id))
        wanted = str(category.id)
        return any(wanted in (r.draft or {}).get("interests", []) or wanted in (r.interests or []) for r in rows)

    async def contact_ids(self, association_id: UUID) -> set[UUID]:
        ac = t.association_contacts
        rows = await self.session.execute(sa.select(ac.c.id).where(ac.c.association_id == association_id))
        return set(rows.scalars())

    async def seasons(self, municipality_id: UUID) -> Sequence[tuple[date, date]]:
        r = tal.allocation_rounds
        rows = await self.session.execute(sa.select(r.c.first_day, r.c.last_day)
                                          .where(r.c.municipality_id == municipality_id))
        return [(a, b) for a, b in rows]

    async def own_approved(self, association_id: UUID, booking_ids: Sequence[UUID], series_ids: Sequence[UUID],
                           since: datetime) -> tuple[set[UUID], set[UUID]]:
        b = t.bookings
        mine = (b.c.association_id == association_id) & (b.c.status == BookingStatus.APPROVED) & (b.c.ends_at > since)
        bookings: set[UUID] = set()
        series: set[UUID] = set()
        if booking_ids:
            rows = await self.session.execute(sa.select(b.c.id).where(mine, b.c.id.in_(list(set(booking_ids)))))
            bookings = set(rows.scalars())
        if series_ids:
            rows = await self.session.execute(sa.select(b.c.series_id).distinct()
                                              .where(mine, b.c.series_id.in_(list(set(series_ids)))))
            series = {s for s in rows.scalars() if s is not None}
        return bookings, series

    async def set_public_times(self, association_id: UUID, booking_ids: Sequence[UUID],
                               series_ids: Sequence[UUID]) -> None:
        """Only rows whose flag changes are written; a booking's updated_at stays (its feeds did not change)."""
        b, bs = t.bookings, t.booking_series
        chosen_b, chosen_s = list(booking_ids), list(series_ids)
        mine = b.c.association_id == association_id
        await self.session.execute(sa.update(b).where(mine, b.c.public_on_profile.is_(True),
                                                      b.c.id.not_in(chosen_b) if chosen_b else sa.true())
                                   .values(public_on_profile=False, updated_at=b.c.updated_at))
        if chosen_b:
            await self.session.execute(sa.update(b).where(mine, b.c.public_on_profile.is_(False), b.c.id.in_(chosen_b))
                                       .values(public_on_profile=True, updated_at=b.c.updated_at))
        own_series = sa.select(b.c.series_id).where(mine, b.c.series_id.is_not(None)).scalar_subquery()
        await self.session.execute(sa.update(bs).where(bs.c.id.in_(own_series), bs.c.public_on_profile.is_(True),
                                                       bs.c.id.not_in(chosen_s) if chosen_s else sa.true())
                                   .values(public_on_profile=False, updated_at=bs.c.updated_at))
        if chosen_s:
            await self.session.execute(sa.update(bs).where(bs.c.id.in_(own_series), bs.c.public_on_profile.is_(False),
                                                           bs.c.id.in_(chosen_s))
                                       .values(public_on_profile=True, updated_at=bs.c.updated_at))
