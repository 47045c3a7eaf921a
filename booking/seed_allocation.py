"""Demo data of the season allocation round (tidsfördelning) for `make demo` and the browser tests.

Two rounds: next spring's, whose deadline has just passed (staff can run, adjust and publish it
at once), and next autumn's, open for applications (the association's representative can apply).
The applications compete for the same times, so the proposal shows every outcome."""

from __future__ import annotations

from datetime import date, time, timedelta
from uuid import UUID

import sqlalchemy as sa

from booking.adapters.db import tables as t
from booking.adapters.db.database import Database
from booking.adapters.db.uow import SqlUnitOfWork
from booking.domain.people.model import Association, AssociationCategory
from booking.domain.premises.allocation import AgeBand, AllocationRound, Application, RoundState
from booking.domain.shared.clock import Clock
from booking.domain.shared.errors import expect
from booking.domain.shared.localtime import local_instant
from booking.domain.shared.ports import PasswordHasher

# name, organisationsnummer, category, local
OTHERS = [
    ("Sundsvalls Motionsbadminton", "802500-1903", AssociationCategory.ADULT, True),
    ("Medelpads Körsällskap", "802404-8467", AssociationCategory.ADULT, False),
    ("Bredsands Seniorgympa", "802016-6719", AssociationCategory.PENSIONERS, True),
]
# association (None: Nacksta IF), title, age band, participants, minutes, flex, [(space, weekday, start)]
APPLICATIONS = [
    (None, "Innebandy P12", AgeBand.CHILDREN, 18, 90, 0,
     [("Nacksta idrottshall A", 1, "18:00"), ("Gymnastiksalen", 1, "18:00")]),
    (None, "Fotboll F10 inomhus", AgeBand.CHILDREN, 14, 60, 0, [("Gymnastiksalen", 3, "17:30")]),
    ("Sundsvalls Motionsbadminton", "Badminton motion", AgeBand.ADULTS, 16, 120, 30,
     [("Nacksta idrottshall", 1, "18:30"), ("Nacksta idrottshall B", 1, "19:30")]),
    ("Sundsvalls Motionsbadminton", "Innebandy vuxna", AgeBand.ADULTS, 20, 90, 0,
     [("Nacksta idrottshall A", 1, "18:00")]),
    ("Medelpads Körsällskap", "Körövning", AgeBand.ADULTS, 30, 120, 0, [("Aulan", 2, "19:00")]),
    ("Bredsands Seniorgympa", "Seniorgympa", AgeBand.SENIORS, 20, 60, 0,
     [("Gympasalen", 0, "17:00"), ("Gympasalen", 2, "17:00")]),
]


async def seed(db: Database, hasher: PasswordHasher, clock: Clock, municipality_id: UUID) -> None:
    """Runs after the premises demo data is committed."""
    now = clock.now()
    uow = SqlUnitOfWork(db)
    async with uow:
        zone = expect(await uow.municipalities.get(municipality_id), "the demo municipality").zone
        spaces = {r.name: r.id for r in (await uow.session.execute(
            sa.select(t.spaces.c.id, t.spaces.c.name).where(t.spaces.c.municipality_id == municipality_id))).all()}
        nacksta_if = (await uow.session.execute(sa.select(t.associations.c.id).where(
            t.associations.c.municipality_id == municipality_id, t.associations.c.name == "Nacksta IF"))).scalar_one()
        rep = expect(await uow.accounts.by_email("forening@demo.booking.se"), "the demo association's representative")
        staff = expect(await uow.accounts.by_email("lokaler@demo.booking.se"), "the demo premises staff")
        associations: dict[str | None, UUID] = {None: nacksta_if}
        for name, org, category, is_local in OTHERS:
            association = Association(municipality_id, name, org, category, is_local=is_local, public_name=True)
            association.verify(staff.id, now)
            uow.associations.add(association)
            associations[name] = association.id
        year = now.astimezone(zone).year + 1
        today = now.astimezone(zone).date()
        spring = AllocationRound(municipality_id, f"Vårsäsongen {year}", date(year, 1, 11), date(year, 6, 6),
                                 local_instant(today - timedelta(days=1), time(23, 59), zone),
                                 state=RoundState.OPEN)
        autumn = AllocationRound(municipality_id, f"Höstsäsongen {year}", date(year, 8, 23), date(year, 12, 19),
                                 local_instant(today + timedelta(days=30), time(23, 59), zone),
                                 state=RoundState.OPEN)
        uow.allocation.add_round(spring)
        uow.allocation.add_round(autumn)
        await uow.session.flush()
        for i, (owner, title, band, participants, minutes, flex, prefs) in enumerate(APPLICATIONS):
            uow.allocation.add_application(Application(
                municipality_id, spring.id, associations[owner], title, band, participants, minutes,
                [{"space_id": str(spaces[s]), "weekday": d, "start": at} for s, d, at in prefs],
                rep.id if owner is None else staff.id, spring.deadline - timedelta(days=20, minutes=-i),
                flex))
        uow.allocation.add_application(Application(
            municipality_id, autumn.id, nacksta_if, "Innebandy P12", AgeBand.CHILDREN, 18, 90,
            [{"space_id": str(spaces["Nacksta idrottshall A"]), "weekday": 1, "start": "18:00"}], rep.id,
            now - timedelta(hours=2)))
        await uow.commit()

