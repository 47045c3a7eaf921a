"""Demo data: a municipality with areas, schools and spaces, a divisible hall, a verified
association and one account per role. Used by `booking demo` and the browser tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from uuid import UUID

from booking import seed_activities, seed_allocation, seed_circulation, seed_lending, seed_matching
from booking.adapters.db.database import Database
from booking.adapters.db.uow import SqlUnitOfWork
from booking.domain.municipalities.model import Area, Municipality
from booking.domain.people.model import Account, Association, AssociationCategory, ContactPerson
from booking.domain.people.roles import Role
from booking.domain.premises.calendar import OpeningHours, Window
from booking.domain.premises.model import Site, Space, SpaceKind
from booking.domain.shared.clock import Clock
from booking.domain.shared.ports import PasswordHasher

DEMO_PASSWORD = "demo-lösenord-2026"  # noqa: S105 the demo accounts' published password (`booking demo` prints it)


@dataclass(frozen=True)
class DemoAccount:
    role: str
    email: str
    name: str


DEMO_ACCOUNTS = [
    DemoAccount("admin", "admin@demo.booking.se", "Anna Admin"),
    DemoAccount("premises_staff", "lokaler@demo.booking.se", "Leif Lokalbokare"),
    DemoAccount("activities_staff", "fritid@demo.booking.se", "Fatima Fritidsledare"),
    DemoAccount("lending_staff", "fritidsbanken@demo.booking.se", "Felix Fritidsbanken"),
    DemoAccount("association_rep", "forening@demo.booking.se", "Sara Föreningsledare"),
    DemoAccount("guardian", "vardnadshavare@demo.booking.se", "Vera Vårdnadshavare"),
    DemoAccount("borrower", "lantagare@demo.booking.se", "Linus Låntagare"),
]


async def seed_demo(db: Database, hasher: PasswordHasher, clock: Clock, slug: str = "sundsvall") -> bool:
    """Create the demo municipality unless it exists. Returns True when it was created."""
    uow = SqlUnitOfWork(db)
    async with uow:
        if await uow.municipalities.by_slug(slug) is not None:
            return False
        municipality = Municipality(name="Sundsvalls kommun", slug=slug)
        uow.municipalities.add(municipality)
        areas = _add_areas(uow, municipality.id)
        schools = await _add_schools(uow, municipality.id, areas)
        spaces = await _add_spaces(uow, _spaces(municipality.id, schools))
        association = _add_association(uow, municipality.id, areas)
        accounts = await _add_accounts(uow, municipality.id, association, hasher)
        association.verify(accounts[1].id, clock.now())
        await _add_opening_hours(uow, spaces, clock.now().date())
        await uow.commit()
    for part in (seed_allocation, seed_lending, seed_circulation, seed_activities, seed_matching):
        await part.seed(db, hasher, clock, municipality.id)
    return True


def _add_areas(uow: SqlUnitOfWork, m: UUID) -> dict[str, Area]:
    areas = {name: Area(m, name, population) for name, population in
             (("Bredsand", 1450), ("Nacksta", 2100), ("Skönsberg", 1900), ("Centrum", 2600))}
    for area in areas.values():
        uow.areas.add(area)
    return areas


async def _add_schools(uow: SqlUnitOfWork, m: UUID, areas: dict[str, Area]) -> list[Site]:
    """Nackstaskolan, Skönsbergsskolan and Bredsandsskolan, flushed (their spaces name them)."""
    schools = [
        Site(m, "Nackstaskolan", "Nackstavägen 20", "856 53", "Sundsvall", areas["Nacksta"].id,
             "F-9-skola med idrottshall och musiksalar."),
        Site(m, "Skönsbergsskolan", "Skönsbergsvägen 2", "856 41", "Sundsvall", areas["Skönsberg"].id,
             "Skola mitt i Skönsberg med hemkunskapssal och gymnastiksal."),
        Site(m, "Bredsandsskolan", "Bredsandsvägen 5", "862 40", "Njurunda", areas["Bredsand"].id, None),
    ]
    for site in schools:
        uow.sites.add(site)
    await uow.session.flush()
    return schools


def _spaces(m: UUID, schools: list[Site]) -> list[Space]:
    """The schools' spaces, the divisible hall first and its two halves after it."""
    nacksta, skonsberg, bredsand = schools
    hall = Space(m, nacksta.id, "Nacksta idrottshall", SpaceKind.HALL, 120,
                 "Fullstor hall som kan delas i två halvor.", step_free=True, accessible_toilet=True,
                 hearing_loop=False, equipment=["Basketkorgar", "Innebandysarg", "Ljudanläggning"])
    return [
        hall,
        Space(m, nacksta.id, "Nacksta idrottshall A", SpaceKind.HALL, 60, "Halvan närmast entrén.",
              parent_id=hall.id, step_free=True, accessible_toilet=True),
        Space(m, nacksta.id, "Nacksta idrottshall B", SpaceKind.HALL, 60, "Bortre halvan.",
              parent_id=hall.id, step_free=True, accessible_toilet=True),
        Space(m, nacksta.id, "Musiksal 1", SpaceKind.MUSIC_ROOM, 25, None, step_free=True,
              hearing_loop=True, equipment=["Piano", "Trumset", "Förstärkare"]),
        Space(m, nacksta.id, "Klassrum B12", SpaceKind.CLASSROOM, 30, None, step_free=False,
              accessibility_notes="Andra våningen, ingen hiss.", equipment=["Projektor", "Whiteboard"]),
        Space(m, skonsberg.id, "Hemkunskapssalen", SpaceKind.KITCHEN, 20, None, step_free=True,
              accessible_toilet=True, equipment=["Fyra spisar", "Diskmaskin"]),
        Space(m, skonsberg.id, "Gymnastiksalen", SpaceKind.GYM, 40, None, step_free=True,
              equipment=["Bommar", "Mattor", "Ribbstolar"]),
        Space(m, skonsberg.id, "Skolgården", SpaceKind.OUTDOOR, 200, "Konstgräsplan 7-manna.",
              step_free=True),
        Space(m, bredsand.id, "Gympasalen", SpaceKind.GYM, 35, None, step_free=True),
        Space(m, bredsand.id, "Aulan", SpaceKind.HALL, 150, None, step_free=True, hearing_loop=True,
              equipment=["Scen", "Projektor", "Ljudanläggning"]),
    ]


async def _add_spaces(uow: SqlUnitOfWork, spaces: list[Space]) -> list[Space]:
    uow.spaces.add(spaces[0])
    await uow.session.flush()  # the whole hall before its parts
    for space in spaces[1:]:
        uow.spaces.add(space)
    return spaces


def _add_association(uow: SqlUnitOfWork, m: UUID, areas: dict[str, Area]) -> Association:
    association = Association(
        m, "Nacksta IF", "802479-4565", AssociationCategory.YOUTH, areas["Nacksta"].id, is_local=True,
        public_name=True,
        contacts=[ContactPerson("Sara Föreningsledare", "forening@demo.booking.se", "070-123 45 67",
                                "Ordförande")],
    )
    uow.associations.add(association)
    return association


async def _add_accounts(uow: SqlUnitOfWork, m: UUID, association: Association,
                        hasher: PasswordHasher) -> list[Account]:
    """One account per role (DEMO_ACCOUNTS, in that order), all with DEMO_PASSWORD; flushed."""
    password_hash = await hasher.hash(DEMO_PASSWORD)
    accounts = []
    for demo in DEMO_ACCOUNTS:
        account = Account(m, demo.email, demo.name, password_hash=password_hash)
        scope: UUID | None = association.id if demo.role == "association_rep" else None
        account.grant(Role(demo.role), scope)
        uow.accounts.add(account)
        accounts.append(account)
    await uow.session.flush()  # accounts before the association that names its verifier
    return accounts


async def _add_opening_hours(uow: SqlUnitOfWork, spaces: list[Space], today: date) -> None:
    """After school on weekdays, all day at weekends; the summer variation opens weekdays earlier."""
    evenings = OpeningHours(tuple(Window(d, time(17, 0), time(22, 0)) for d in range(5))
                            + tuple(Window(d, time(9, 0), time(21, 0)) for d in (5, 6)))
    summer = OpeningHours(tuple(Window(d, time(9, 0), time(21, 0)) for d in range(7)),
                          date(today.year + 1, 6, 15), date(today.year + 1, 8, 15), "Sommarlov")
    for space in spaces:
        await uow.calendars.replace_opening_hours(space, [evenings, summer])
