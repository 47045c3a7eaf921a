"""What the interest-request and matching services need from storage."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID

from booking.domain.matching.match import Candidate
from booking.domain.matching.requests import InterestRequest
from booking.domain.shared.ports import Transaction


@dataclass(frozen=True, slots=True)
class ProfileState:
    """An association's profile as the interest requests see it."""

    association_id: UUID
    municipality_id: UUID
    name: str
    published: bool
    paused: bool


@dataclass(frozen=True, slots=True)
class AreaPoint:
    area_id: UUID
    name: str
    latitude: float | None
    longitude: float | None


class InterestRequests(Protocol):
    async def profile_state(self, association_id: UUID, *, lock: bool = False) -> ProfileState | None:
        """The association and its profile; with lock, the profile row is held until the transaction ends, so
        two requests to one association count each other (the rate limit)."""
        ...

    async def set_paused(self, association_id: UUID, paused: bool, by: UUID, now: datetime) -> bool:
        """False when the association has no profile."""
        ...

    async def category_names(self, municipality_id: UUID) -> dict[UUID, tuple[str, str]]: ...

    async def area(self, municipality_id: UUID, area_id: UUID) -> AreaPoint | None: ...

    async def recent_times(self, sender_hash: str, association_id: UUID, since: datetime
                           ) -> tuple[list[datetime], list[datetime]]:
        """When the sender (to any association) and the association (from anyone) got requests since `since`."""
        ...

    async def recipients(self, association_id: UUID) -> list[str]:
        """The association's contact person's e-mail, or else its representatives' account addresses."""
        ...

    async def add(self, request: InterestRequest) -> None: ...

    async def get(self, request_id: UUID, *, lock: bool = False) -> InterestRequest | None: ...

    async def save(self, request: InterestRequest) -> None: ...

    async def of_association(self, association_id: UUID) -> Sequence[InterestRequest]: ...

    async def candidates(self, municipality_id: UUID, interests: Sequence[UUID], today: datetime,
                         age: int | None = None) -> list[Candidate]:
        """Published associations sharing one of the interests (and whose age range holds `age`), with their
        public training times."""
        ...

    async def anonymise_before(self, cutoff: datetime, now: datetime) -> int: ...


class RequestsUnitOfWork(Transaction, Protocol):
    @property
    def interest_requests(self) -> InterestRequests: ...
