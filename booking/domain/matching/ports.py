"""What the profile services need from storage (föreningsmatchning)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Protocol
from uuid import UUID

from booking.domain.matching.categories import InterestCategory
from booking.domain.matching.profile import AssociationProfile
from booking.domain.people.model import Association
from booking.domain.shared.ports import Lookup, Owned, Transaction


class MatchingRepository(Protocol):
    async def profile(self, association_id: UUID) -> AssociationProfile | None: ...

    async def save_profile(self, profile: AssociationProfile) -> None:
        """Insert or update the profile (and its searchable copy)."""
        ...

    async def categories(self, municipality_id: UUID) -> Sequence[InterestCategory]:
        """The municipality's categories by position, then name."""
        ...

    async def category(self, category_id: UUID) -> InterestCategory | None: ...

    async def save_category(self, category: InterestCategory) -> None: ...

    async def delete_category(self, category: InterestCategory) -> None: ...

    async def category_in_use(self, category: InterestCategory) -> bool:
        """Whether a profile of its municipality (draft or published) names the category."""
        ...

    async def contact_ids(self, association_id: UUID) -> set[UUID]: ...

    async def seasons(self, municipality_id: UUID) -> Sequence[tuple[date, date]]:
        """(first day, last day) of the municipality's allocation rounds."""
        ...

    async def own_approved(self, association_id: UUID, booking_ids: Sequence[UUID], series_ids: Sequence[UUID],
                           since: datetime) -> tuple[set[UUID], set[UUID]]:
        """Of the ids given: the association's approved bookings not ended before `since`, and its series
        with such an occurrence."""
        ...

    async def set_public_times(self, association_id: UUID, booking_ids: Sequence[UUID],
                               series_ids: Sequence[UUID]) -> None:
        """Exactly these bookings and series of the association are public on its profile."""
        ...


class AreaList(Protocol):
    async def of_municipality(self, municipality_id: UUID) -> Sequence[Owned]: ...


class MatchingUnitOfWork(Transaction, Protocol):
    @property
    def matching(self) -> MatchingRepository: ...

    @property
    def associations(self) -> Lookup[Association]: ...

    @property
    def areas(self) -> AreaList: ...
