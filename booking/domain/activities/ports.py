"""What the activities services need from storage."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Protocol
from uuid import UUID

from booking.domain.activities.draw_model import ChildWish, HolidayDraw, WishingChild
from booking.domain.activities.lov import HolidayPeriod
from booking.domain.activities.model import Activity, ActivitySession, Registration
from booking.domain.premises.ports import PremisesUnitOfWork
from booking.domain.shared.ports import Owned


class ActivityRepository(Protocol):
    def add_period(self, period: HolidayPeriod) -> None: ...

    async def period(self, period_id: UUID) -> HolidayPeriod | None: ...

    async def periods(self, municipality_id: UUID, year: int | None = None) -> Sequence[HolidayPeriod]: ...

    async def delete_period(self, period: HolidayPeriod) -> None: ...

    def add(self, activity: Activity) -> None: ...

    async def get(self, activity_id: UUID) -> Activity | None: ...

    def add_session(self, session: ActivitySession) -> None: ...

    async def get_session(self, session_id: UUID, *, lock: bool = False) -> ActivitySession | None:
        """With lock: the session row is locked until the transaction ends (PostgreSQL FOR UPDATE;
        SQLite's write transactions are serialized already) and re-read from the database."""
        ...

    async def sessions_of(self, activity_id: UUID) -> Sequence[ActivitySession]: ...

    def add_registration(self, registration: Registration) -> None: ...

    async def registration(self, registration_id: UUID) -> Registration | None: ...

    async def registration_by_token(self, token_hash: str) -> Registration | None: ...

    async def registration_by_ticket(self, ticket_code: str) -> Registration | None: ...

    async def registrations_of(self, session_id: UUID) -> Sequence[Registration]:
        """Every registration of the session, in queue order."""
        ...

    async def overlapping(self, account_id: UUID, child_key: str, birth_year: int, starts_at: datetime,
                          ends_at: datetime) -> Sequence[Registration]:
        """Active registrations of the same child of the account whose session overlaps the time."""
        ...

    async def lock_accounts(self, account_ids: Sequence[UUID]) -> None:
        """Hold the accounts' rows until commit (in id order), so that two sign-ups or a move for the
        same child, each under another session's lock, check for overlaps one after the other."""
        ...

    async def set_feed_token(self, municipality_id: UUID, account_id: UUID, token_hash: str) -> None:
        """Give the account's private feed this token (replacing any earlier one)."""
        ...

    async def due_reminders(self, municipality_id: UUID, starts_from: datetime, starts_before: datetime
                            ) -> Sequence[Registration]:
        """Confirmed registrations not yet reminded whose scheduled session starts in the span."""
        ...

    async def anonymise_ended_before(self, cutoff: datetime) -> int:
        """Registrations of sessions that ended before `cutoff` lose the child's name and needs (birth year,
        gender and home area stay, for the statistics: an area is not personal data). Answers how many were
        anonymised now (idempotent)."""
        ...


class DrawRepository(Protocol):
    """The wish phase and draw of holiday periods (see draw_model.py)."""

    def add(self, draw: HolidayDraw) -> None: ...

    async def get(self, draw_id: UUID, *, lock: bool = False) -> HolidayDraw | None:
        """With lock: the draw's row is locked until the transaction ends (FOR UPDATE on PostgreSQL;
        SQLite serializes writers) and re-read: run, adjust, publish, withdraw and a child's wishes
        take it first, so they happen one after the other."""
        ...

    async def of_period(self, period_id: UUID, *, lock: bool = False) -> HolidayDraw | None: ...

    async def delete(self, draw: HolidayDraw) -> None:
        """The draw with its children and wishes (the period goes back to first come)."""
        ...

    async def unpublished_on(self, municipality_id: UUID, day: date) -> HolidayDraw | None:
        """The draw not yet published of the municipality's period that holds the local day, if any."""
        ...

    async def previous_published(self, municipality_id: UUID, before: date) -> HolidayDraw | None:
        """The published draw of the municipality's latest period that starts before the day."""
        ...

    async def period_sessions(self, municipality_id: UUID, starts_from: datetime, starts_before: datetime
                              ) -> Sequence[tuple[ActivitySession, Activity]]:
        """Scheduled sessions of published sign-up activities starting in the span, in start order."""
        ...

    def add_child(self, child: WishingChild) -> None: ...

    async def child(self, child_id: UUID) -> WishingChild | None: ...

    async def child_by_key(self, draw_id: UUID, account_id: UUID, child_key: str, birth_year: int
                           ) -> WishingChild | None: ...

    async def children(self, draw_id: UUID, account_id: UUID | None = None) -> Sequence[WishingChild]:
        """The draw's children (of one account), withdrawn ones too, in the order they were added."""
        ...

    async def delete_child(self, child: WishingChild) -> None: ...

    async def wishes_of(self, child_ids: Sequence[UUID]) -> dict[UUID, list[ChildWish]]:
        """Each child's wishes in rank order."""
        ...

    async def set_wishes(self, child: WishingChild, wishes: Sequence[ChildWish]) -> None:
        """Replace the child's wishes."""
        ...

    async def wish_counts(self, draw_id: UUID) -> dict[UUID, int]:
        """Session id -> wishes for it by children not withdrawn."""
        ...

    async def confirmed_children(self, account_ids: Sequence[UUID], before: datetime
                                 ) -> set[tuple[UUID, str, int]]:
        """(account, child key, birth year) of the accounts' children with a confirmed registration
        for a session that started before the instant."""
        ...

    async def participants_by_home_area(self, municipality_id: UUID, starts_from: datetime,
                                        starts_before: datetime) -> dict[UUID | None, int]:
        """Confirmed registrations of scheduled sessions of published activities starting in the span,
        by the registration's home area (None: no home area)."""
        ...


class ArticleLookup(Protocol):
    async def get_article(self, ident: UUID) -> Owned | None: ...


class ActivitiesUnitOfWork(PremisesUnitOfWork, Protocol):
    """An activity's sessions book their rooms through the premises services, in the same transaction."""

    @property
    def activities(self) -> ActivityRepository: ...

    @property
    def draws(self) -> DrawRepository: ...

    @property
    def lending(self) -> ArticleLookup:
        """An activity may lend equipment from Fritidsbanken: its articles are checked to exist."""
        ...
