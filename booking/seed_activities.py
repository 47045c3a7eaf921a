"""Demo data of holiday activities (lovaktiviteter) for `make demo` and the browser tests:
the holidays of this year and the next, and a few published activities with sessions in the next
holiday, one of them in a school's gym (its room held by a premises booking), one drop-in, and
one session with a single place left ("Klättring för nybörjare")."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, time, timedelta
from uuid import UUID

import sqlalchemy as sa

from booking.adapters.db import tables as t
from booking.adapters.db import tables_lending as tl
from booking.adapters.db.database import Database
from booking.adapters.db.uow import SqlUnitOfWork
from booking.domain.activities import services as act
from booking.domain.activities.lov import HolidayPeriod
from booking.domain.activities.model import Category, TargetGroup
from booking.domain.people.roles import Actor, Grant, Role
from booking.domain.shared.clock import Clock
from booking.domain.shared.errors import DomainError
from booking.domain.shared.ports import PasswordHasher

log = logging.getLogger("booking.seed")
SPORTLOV_WEEK = 9  # Västernorrland
NEARLY_FULL = "Klättring för nybörjare"
ORGANISER = "Fritid Sundsvall"
CONTACT = "fritid@demo.booking.se, 060-19 10 00"


async def _ids(db: Database, municipality_id: UUID) -> tuple[dict[str, UUID], dict[str, UUID], dict[str, UUID]]:
    async with db.read_sessions() as s:
        accounts = {r.email: r.id for r in (await s.execute(sa.select(t.accounts.c.email, t.accounts.c.id).where(
            t.accounts.c.municipality_id == municipality_id))).all()}
        spaces = {r.name: r.id for r in (await s.execute(sa.select(t.spaces.c.name, t.spaces.c.id).where(
            t.spaces.c.municipality_id == municipality_id))).all()}
        areas = {r.name: r.id for r in (await s.execute(sa.select(t.areas.c.name, t.areas.c.id).where(
            t.areas.c.municipality_id == municipality_id))).all()}
    return accounts, spaces, areas


async def _helmets(db: Database, municipality_id: UUID) -> tuple[str, ...]:
    """The lending catalogue's helmets (the Fritidsbanken demo data), to borrow for climbing."""
    la = tl.lending_articles
    async with db.read_sessions() as s:
        rows = (await s.execute(sa.select(la.c.id).where(la.c.municipality_id == municipality_id,
                                                         la.c.name == "Skidhjälm").order_by(la.c.variant))).all()
    return tuple(str(r.id) for r in rows)


def _next_lov(periods: list[HolidayPeriod], today: date) -> HolidayPeriod:
    ahead = [p for p in periods if p.last_day >= today + timedelta(days=3)]
    return min(ahead, key=lambda p: p.first_day)


@dataclass(frozen=True)
class _Offer:
    """An activity and its sessions: `start`-`end` on `weekdays` of the holiday, or `single` on its first day."""
    draft: act.ActivityDraft
    start: time
    end: time
    weekdays: tuple[int, ...]
    single: bool = False


@dataclass(frozen=True)
class _Offering:
    """Publishes activities with sessions in `lov`, from its `first` day the demo can still book."""
    db: Database
    staff: Actor
    clock: Clock
    lov: HolidayPeriod
    first: date

    async def publish(self, offer: _Offer) -> list[UUID]:
        """One activity with its sessions, published. The holiday's days depend on the date of the run:
        when none fits (e.g. the place is closed on all of them), that activity is left out and said so."""
        lov, first = self.lov, self.first
        activity = await act.create_activity(offer.draft, SqlUnitOfWork(self.db), self.staff)
        try:
            outcome = await act.add_sessions(act.NewSessions(
                activity.id, offer.start, offer.end, day=first if offer.single or first > lov.first_day else None,
                period_id=None if offer.single else lov.id, weekdays=offer.weekdays), SqlUnitOfWork(self.db),
                self.staff, self.clock)
        except DomainError as exc:
            log.warning("demo activity %r has no sessions in %s %s: %s", offer.draft.title, lov.kind, lov.year, exc)
            return []
        await act.publish_activity(activity.id, SqlUnitOfWork(self.db), self.staff)
        return [s.id for s in outcome.sessions]


def _weekly_offers(spaces: dict[str, UUID], areas: dict[str, UUID]) -> list[_Offer]:
    return [
        _Offer(act.ActivityDraft(
            title="Prova på parkour", category=Category.SPORT, age_min=8, age_max=15, capacity=16,
            description="Hopp, balans och rörelse i gymnastiksalen. Ledare från Nacksta IF.",
            translations={"en": {"title": "Try parkour", "description": "Jumps, balance and movement in the gym."}},
            space_id=spaces["Gymnastiksalen"], bring="Inneskor och vattenflaska.", adapted=True,
            wheelchair_access=True, languages=("sv", "en", "ar"), organiser=ORGANISER,
            contact=CONTACT), time(10), time(12), (5, 6)),
        _Offer(act.ActivityDraft(
            title="Pyssel och skapande", category=Category.CREATIVE, age_min=6, age_max=12, capacity=12,
            description="Vi målar, klipper och bygger. Allt material finns på plats.", area_id=areas["Nacksta"],
            place="Nacksta bibliotek", languages=("sv", "so"), organiser=ORGANISER,
            contact=CONTACT), time(13), time(15), (0, 1, 2, 3, 4)),
        _Offer(act.ActivityDraft(
            title="Tjejhäng: dans", category=Category.CULTURE, age_min=10, age_max=15, capacity=15,
            target_group=TargetGroup.GIRLS, area_id=areas["Skönsberg"], place="Fritidsgården Skönsberg",
            description="Dans och häng för tjejer 10-15 år.", organiser=ORGANISER,
            contact=CONTACT), time(17), time(19), (1, 3)),
        _Offer(act.ActivityDraft(
            title="Spelkväll", category=Category.GAMES, age_min=10, age_max=18, signup_required=False,
            capacity=40, area_id=areas["Bredsand"], place="Fritidsgården Bredsand",
            description="Brädspel och tv-spel. Drop-in, ingen anmälan.", organiser=ORGANISER,
            contact=CONTACT), time(18), time(21), (4,)),
    ]


def _nearly_full(areas: dict[str, UUID], helmets: tuple[str, ...]) -> _Offer:
    """One session of two places (the demo fills one), lending helmets for climbing."""
    return _Offer(act.ActivityDraft(
        title=NEARLY_FULL, category=Category.SPORT, age_min=7, age_max=15, capacity=2,
        area_id=areas["Centrum"], place="Klätterväggen, Sporthallen", bring="Bekväma kläder.",
        lending_articles=helmets, organiser=ORGANISER,
        contact=CONTACT), time(10), time(12), (0,), single=True)


async def _next_holiday(db: Database, municipality_id: UUID, staff: Actor, today: date) -> HolidayPeriod:
    """The holidays of this year and the next, generated; the next one that has days left to book."""
    for year in (today.year, today.year + 1):
        await act.generate_periods(year, SPORTLOV_WEEK, SqlUnitOfWork(db), staff)
    uow = SqlUnitOfWork(db)
    async with uow:
        periods = list(await uow.activities.periods(municipality_id))
    return _next_lov(periods, today)


async def seed(db: Database, hasher: PasswordHasher, clock: Clock, municipality_id: UUID) -> None:
    """Runs after the premises demo data is committed."""
    accounts, spaces, areas = await _ids(db, municipality_id)
    staff = Actor(accounts["fritid@demo.booking.se"], municipality_id, frozenset({Grant(Role.ACTIVITIES_STAFF)}))
    admin = Actor(accounts["admin@demo.booking.se"], municipality_id, frozenset({Grant(Role.ADMIN)}))
    today = clock.now().date()
    lov = await _next_holiday(db, municipality_id, staff, today)
    first = max(lov.first_day, today + timedelta(days=2))  # premises asks for a day's notice
    offering = _Offering(db, staff, clock, lov, first)
    links = act.Links("http://localhost:8000")
    try:
        for offer in _weekly_offers(spaces, areas):
            await offering.publish(offer)
        nearly_full = await offering.publish(_nearly_full(areas, await _helmets(db, municipality_id)))
        await act.sign_up(act.SignUp(nearly_full[0], (act.Child("Elsa", today.year - 10),)), SqlUnitOfWork(db),
                          admin, clock, links)
    except Exception:  # a demo without activities is still a demo; say why
        log.exception("holiday activities demo data incomplete")
