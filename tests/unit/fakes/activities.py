"""Fakes of the activities repository: holiday periods, activities, sessions and registrations.

As `adapters/db/activities_repository.py` for what the domain relies on: a session's registrations
in queue order, overlaps only among active registrations of scheduled sessions, locks recorded (and
otherwise no-ops), anonymisation that keeps the birth year and gender, a unique cancel token and
ticket code per registration.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from booking.domain.activities.lov import HolidayPeriod
from booking.domain.activities.model import (
    ANONYMOUS_KEY,
    ANONYMOUS_NAME,
    Activity,
    ActivitySession,
    Registration,
    RegistrationStatus,
    SessionStatus,
)
from tests.unit.fakes.base import FakeTransaction

PERIODS, ACTIVITIES, SESSIONS, REGISTRATIONS, FEED_TOKENS = (
    "holiday_periods", "activities", "activity_sessions", "registrations", "activity_feed_tokens")


class FakeActivities:
    def __init__(self, uow: FakeTransaction) -> None:
        self.uow = uow
        # the SQL tables' unique keys
        uow.unique(PERIODS, lambda p: (p.municipality_id, p.kind, p.year), "kind",
                   "This holiday is already set for the year.")
        uow.unique(REGISTRATIONS, lambda r: r.cancel_token_hash, "token", "The cancel token is taken.")
        uow.unique(REGISTRATIONS, lambda r: r.ticket_code, "ticket", "The ticket code is taken.")
        uow.unique(REGISTRATIONS, lambda r: (r.session_id, r.queue_no), "queue_no", "The queue number is taken.")

    def _rows(self, name: str) -> dict[Any, Any]:
        return self.uow.table(name)

    # --- holiday periods

    def add_period(self, period: HolidayPeriod) -> None:
        self._rows(PERIODS)[period.id] = period

    async def period(self, period_id: UUID) -> HolidayPeriod | None:
        return self._rows(PERIODS).get(period_id)

    async def periods(self, municipality_id: UUID, year: int | None = None) -> Sequence[HolidayPeriod]:
        found = [p for p in self._rows(PERIODS).values()
                 if p.municipality_id == municipality_id and (year is None or p.year == year)]
        return sorted(found, key=lambda p: p.first_day)

    async def delete_period(self, period: HolidayPeriod) -> None:
        self._rows(PERIODS).pop(period.id, None)

    # --- activities and sessions

    def add(self, activity: Activity) -> None:
        self._rows(ACTIVITIES)[activity.id] = activity

    async def get(self, activity_id: UUID) -> Activity | None:
        return self._rows(ACTIVITIES).get(activity_id)

    def add_session(self, session: ActivitySession) -> None:
        self._rows(SESSIONS)[session.id] = session

    async def get_session(self, session_id: UUID, *, lock: bool = False) -> ActivitySession | None:
        if lock:
            self.uow.lock("activity_session", session_id)
        return self._rows(SESSIONS).get(session_id)

    async def sessions_of(self, activity_id: UUID) -> Sequence[ActivitySession]:
        found = [s for s in self._rows(SESSIONS).values() if s.activity_id == activity_id]
        return sorted(found, key=lambda s: s.starts_at)

    # --- registrations

    def add_registration(self, registration: Registration) -> None:
        self._rows(REGISTRATIONS)[registration.id] = registration

    async def registration(self, registration_id: UUID) -> Registration | None:
        return self._rows(REGISTRATIONS).get(registration_id)

    async def registration_by_token(self, token_hash: str) -> Registration | None:
        return next((r for r in self._rows(REGISTRATIONS).values() if r.cancel_token_hash == token_hash), None)

    async def registration_by_ticket(self, ticket_code: str) -> Registration | None:
        return next((r for r in self._rows(REGISTRATIONS).values() if r.ticket_code == ticket_code), None)

    async def registrations_of(self, session_id: UUID) -> Sequence[Registration]:
        found = [r for r in self._rows(REGISTRATIONS).values() if r.session_id == session_id]
        return sorted(found, key=lambda r: r.queue_no)

    async def overlapping(self, account_id: UUID, child_key: str, birth_year: int, starts_at: datetime,
                          ends_at: datetime) -> Sequence[Registration]:
        sessions = self._rows(SESSIONS)

        def clashes(r: Registration) -> bool:
            s = sessions.get(r.session_id)
            return (s is not None and r.account_id == account_id and r.child_key == child_key
                    and r.birth_year == birth_year and r.status is not RegistrationStatus.CANCELLED
                    and s.status is SessionStatus.SCHEDULED and s.starts_at < ends_at and s.ends_at > starts_at)

        return [r for r in self._rows(REGISTRATIONS).values() if clashes(r)]

    async def lock_accounts(self, account_ids: Sequence[UUID]) -> None:
        for ident in sorted(set(account_ids)):
            self.uow.lock("account", ident)

    async def set_feed_token(self, municipality_id: UUID, account_id: UUID, token_hash: str) -> None:
        self._rows(FEED_TOKENS)[account_id] = (municipality_id, token_hash)

    def account_of_feed_token(self, token_hash: str) -> UUID | None:
        """For tests: whose private feed the token opens (as the read model's lookup)."""
        return next((a for a, (_, h) in self._rows(FEED_TOKENS).items() if h == token_hash), None)

    async def due_reminders(self, municipality_id: UUID, starts_from: datetime, starts_before: datetime
                            ) -> Sequence[Registration]:
        sessions = self._rows(SESSIONS)

        def due(r: Registration) -> bool:
            s = sessions.get(r.session_id)
            return (s is not None and r.municipality_id == municipality_id
                    and r.status is RegistrationStatus.CONFIRMED and r.reminded_at is None
                    and s.status is SessionStatus.SCHEDULED and starts_from <= s.starts_at < starts_before)

        found = [r for r in self._rows(REGISTRATIONS).values() if due(r)]
        return sorted(found, key=lambda r: (sessions[r.session_id].starts_at, r.queue_no))

    async def anonymise_ended_before(self, cutoff: datetime) -> int:
        sessions = self._rows(SESSIONS)
        count = 0
        for r in self._rows(REGISTRATIONS).values():
            s = sessions.get(r.session_id)
            if s is None or not s.ends_at < cutoff or r.child_key.startswith(ANONYMOUS_KEY):
                continue
            r.first_name, r.child_key, r.needs = ANONYMOUS_NAME, ANONYMOUS_KEY + str(r.id), None
            count += 1
        return count
