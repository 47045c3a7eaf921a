"""A small world for the activities use cases: a municipality, its leisure staff, guardians, and
published activities without a room (their sessions book nothing in premises). The clock is pinned."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any

from booking.domain.activities import services as act
from booking.domain.activities.model import Activity, ActivitySession, Category
from booking.domain.municipalities.model import Municipality
from booking.domain.people.model import Account, Association
from booking.domain.people.roles import Actor, Grant, Role
from booking.domain.shared.clock import FixedClock
from tests.unit.fakes import FakeUnitOfWork

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)  # a Monday, 10:00 in Stockholm
DAY = date(2027, 3, 10)  # the sessions' day: a Wednesday, no holiday
LINKS = act.Links("https://boka.example.se")


@dataclass
class World:
    uow: FakeUnitOfWork
    town: Municipality
    clock: FixedClock = field(default_factory=lambda: FixedClock(NOW))
    counter: int = 0

    @property
    def staff(self) -> Actor:
        return Actor(uuid.UUID(int=1), self.town.id, frozenset({Grant(Role.ACTIVITIES_STAFF)}))

    def actor_of(self, account: Account, *roles: Grant) -> Actor:
        return Actor(account.id, self.town.id, frozenset(roles))

    async def guardian(self, locale: str = "sv") -> Actor:
        """A guardian with an active account (so messages reach them)."""
        self.counter += 1
        account = Account(self.town.id, f"vh{self.counter}@example.se", f"Vårdnadshavare {self.counter}",
                          locale=locale)
        self.uow.accounts.add(account)
        await self.uow.commit()
        return self.actor_of(account, Grant(Role.GUARDIAN))

    async def young_person(self) -> Actor:
        self.counter += 1
        account = Account(self.town.id, f"ung{self.counter}@example.se", f"Ung {self.counter}")
        self.uow.accounts.add(account)
        await self.uow.commit()
        return self.actor_of(account)

    async def association(self) -> tuple[Association, Actor]:
        """A verified association and its representative (whose account is active)."""
        association = Association(self.town.id, "Nacksta IF", "8024794565", verified_at=NOW)
        self.uow.associations.add(association)
        account = Account(self.town.id, "ordf@nacksta.se", "Ordförande")
        self.uow.accounts.add(account)
        await self.uow.commit()
        return association, self.actor_of(account, Grant(Role.ASSOCIATION_REP, association.id))

    async def activity(self, publish: bool = True, **overrides: Any) -> Activity:
        values: dict[str, Any] = {"title": "Pingis", "category": Category.SPORT, "organiser": "Fritid",
                                  "age_min": 6, "age_max": 12, "capacity": 2, **overrides}
        activity = await act.create_activity(act.ActivityDraft(**values), self.uow, self.staff)
        if publish:
            await act.publish_activity(activity.id, self.uow, self.staff)
        return activity

    async def session(self, capacity: int = 2, day: date = DAY, start: time = time(10), end: time = time(12),
                      **overrides: Any) -> ActivitySession:
        """One session of a new published activity with `capacity` places."""
        activity = await self.activity(capacity=capacity, **overrides)
        outcome = await act.add_sessions(act.NewSessions(activity.id, start, end, day=day), self.uow, self.staff,
                                         self.clock)
        return outcome.sessions[0]

    async def sign_up(self, session: ActivitySession, guardian: Actor, *names: str, birth_year: int = 2017
                      ) -> list[act.SignedUp]:
        children = tuple(act.Child(name, birth_year) for name in names or ("Alva",))
        return await act.sign_up(act.SignUp(session.id, children), self.uow, guardian, self.clock, LINKS)

    def outbox_kinds(self) -> list[str]:
        return [m.kind for m in self.uow.outbox]

    def actions(self) -> list[str]:
        return [e.action for e in self.uow.audit_log]


async def new_world() -> World:
    uow = FakeUnitOfWork()
    town = Municipality("Sundsvalls kommun", "sundsvall")
    uow.municipalities.add(town)
    await uow.commit()
    return World(uow, town)
