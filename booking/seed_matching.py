"""Demo data of associations in the open (föreningsmatchning) for `make demo` and the browser tests:
the default interest categories and thirty youth associations across interests and areas, each with a
verified, published profile, a contact person, and a weekly time at a school that it shows on its
profile as its training time.

The training times are at weekends (the browser journeys book weekday evenings, and the season
allocation's demo round wants weekday evenings too), booked by premises staff, so approved at once.
Nacksta IF, the demo representative's association, gets no profile: its representative writes one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time, timedelta
from uuid import UUID

import sqlalchemy as sa

from booking.adapters.db import tables as t
from booking.adapters.db.database import Database
from booking.adapters.db.uow import SqlUnitOfWork
from booking.domain.lending.labels import luhn_digit
from booking.domain.matching.category_services import list_categories
from booking.domain.matching.profile import Accessibility, AssociationProfile, ProfileFields
from booking.domain.people.model import Association, AssociationCategory, ContactPerson
from booking.domain.people.roles import Actor, Grant, Role
from booking.domain.premises.booking_requests import RequestBooking, request_booking
from booking.domain.premises.series import Recurrence
from booking.domain.shared.clock import Clock
from booking.domain.shared.errors import DomainError, expect
from booking.domain.shared.ports import PasswordHasher

WEEKS = 10


@dataclass(frozen=True)
class Club:
    name: str
    interests: tuple[str, ...]
    ages: tuple[int, int]
    area: str
    where: tuple[str, int, str, str]  # space, weekday (5 Saturday, 6 Sunday), start, end
    languages: tuple[str, ...] = ("sv",)
    fee: float | None = 300
    free_to_try: bool = False
    for_whom: tuple[str, ...] = ("all",)
    accessible: bool = False
    description: str = ""


S, U = 5, 6  # Saturday, Sunday (0 = Monday, as the booking requests count)
CLUBS = [
    Club("Nacksta Innebandyklubb", ("innebandy",), (8, 12), "Nacksta", ("Nacksta idrottshall A", S, "10:00", "11:30"),
         ("sv", "ar"), 250, True, description="Innebandy för nybörjare och lite vana, tjejer och killar tillsammans."),
    Club("Sundsvall Basket Ungdom", ("basket",), (10, 16), "Nacksta", ("Nacksta idrottshall B", S, "10:00", "11:30"),
         ("sv", "en", "so"), 400, True, description="Basket för alla som vill lära sig spela."),
    Club("Skönsbergs Schacksällskap", ("schack",), (7, 19), "Skönsberg", ("Klassrum B12", S, "12:00", "14:00"),
         ("sv", "fa", "uk"), 100, True, accessible=True, description="Schack för alla åldrar, gratis första terminen."),
    Club("Bredsand Dansstudio", ("dans",), (6, 15), "Bredsand", ("Aulan", S, "10:00", "11:30"), ("sv",), 600,
         True, ("all", "girls"), True, "Street, jazz och lyrisk dans i Bredsand."),
    Club("Centrum Kör för unga", ("kör", "musik"), (9, 18), "Centrum", ("Musiksal 1", S, "12:00", "13:30"),
         ("sv", "en"), 200, True, accessible=True, description="Vi sjunger allt från pop till visor."),
    Club("Nacksta Fotboll Flickor", ("fotboll",), (8, 14), "Nacksta", ("Skolgården", S, "10:00", "11:30"),
         ("sv", "ar", "ti"), 350, True, ("girls",), description="Fotboll för tjejer i Nacksta, alla är välkomna."),
    Club("Skönsbergs BK", ("fotboll",), (6, 12), "Skönsberg", ("Skolgården", S, "12:00", "13:30"),
         ("sv", "so", "ar"), 300, True, description="Knattefotboll och ungdomsfotboll i Skönsberg."),
    Club("Medelpads Kampsportsklubb", ("kampsport",), (7, 19), "Centrum", ("Gymnastiksalen", S, "10:00", "11:30"),
         ("sv", "fa", "ku"), 500, True, description="Judo och brottning med fokus på teknik och respekt."),
    Club("Sundsvalls Scoutkår", ("scouting", "friluftsliv"), (8, 18), "Skönsberg",
         ("Gymnastiksalen", S, "12:00", "13:30"), ("sv",), 250, True, accessible=True,
         description="Friluftsliv, hajk och lägerbål varje vecka."),
    Club("Bredsand Gymnastikförening", ("gymnastik",), (5, 12), "Bredsand", ("Gympasalen", S, "10:00", "11:30"),
         ("sv", "fi"), 450, False, description="Barngymnastik och truppgymnastik."),
    Club("Nacksta Ungdomsteater", ("teater",), (10, 19), "Nacksta", ("Aulan", S, "12:00", "14:00"), ("sv", "en"),
         150, True, accessible=True, description="Improvisation och egna föreställningar."),
    Club("Sundsvall E-sportförening", ("e-sport",), (12, 19), "Centrum", ("Klassrum B12", S, "14:30", "16:30"),
         ("sv", "en"), 200, True, description="Lag i flera spel, med ledare och schyssta regler."),
    Club("Skönsbergs Handboll", ("handboll",), (9, 15), "Skönsberg", ("Nacksta idrottshall A", S, "12:00", "13:30"),
         ("sv", "bs", "pl"), 400, False, description="Handboll för pojkar och flickor."),
    Club("Nacksta Musikförening", ("musik",), (10, 19), "Nacksta", ("Musiksal 1", S, "14:00", "15:30"),
         ("sv", "ar", "so"), 0, True, accessible=True, description="Spela i band: trummor, gitarr, bas och sång."),
    Club("Bredsands Friidrott", ("friidrott",), (8, 16), "Bredsand", ("Gympasalen", S, "12:00", "13:30"),
         ("sv",), 350, True, description="Löpning, hopp och kast för barn och ungdomar."),
    Club("Sundsvalls Klätterklubb", ("klättring",), (10, 19), "Centrum", ("Gymnastiksalen", U, "10:00", "11:30"),
         ("sv", "en", "de"), 550, True, description="Klättring på vägg och ute i naturen."),
    Club("Centrum Basket Tjejer", ("basket",), (12, 19), "Centrum", ("Nacksta idrottshall B", S, "12:00", "13:30"),
         ("sv", "en"), 400, True, ("girls",), description="Basket för tjejer från tolv år."),
    Club("Skönsbergs Parasport", ("innebandy", "friidrott"), (8, 25), "Skönsberg",
         ("Nacksta idrottshall A", U, "10:00", "11:30"), ("sv",), 100, True, ("disabilities",), True,
         "Idrott för barn och unga med funktionsnedsättning: permobilinnebandy och friidrott."),
    Club("Nacksta Dansförening", ("dans",), (10, 19), "Nacksta", ("Aulan", U, "12:00", "13:30"),
         ("sv", "ar", "ti", "so"), 0, True, accessible=True, description="Afro, hiphop och folkdans."),
    Club("Bredsands Ridklubb", ("ridning",), (8, 19), "Bredsand", ("Hemkunskapssalen", U, "10:00", "11:00"),
         ("sv",), 900, False, ("all", "girls"), description="Ridlektioner och stallkunskap (teorin i skolan)."),
    Club("Sundsvalls Simsällskap", ("simning",), (6, 16), "Centrum", ("Klassrum B12", U, "10:00", "11:00"),
         ("sv", "fi", "es"), 600, False, accessible=True, description="Simskola och tävlingssim (teori här)."),
    Club("Skönsbergs Konståkningsklubb", ("konståkning",), (5, 14), "Skönsberg",
         ("Gymnastiksalen", U, "12:00", "13:30"), ("sv", "uk"), 700, True,
         description="Konståkning på isen och barmarksträning i salen."),
    Club("Nacksta Hockey Ungdom", ("ishockey",), (7, 15), "Nacksta", ("Nacksta idrottshall B", U, "10:00", "11:30"),
         ("sv", "fi"), 800, True, ("boys",), description="Barmarksträning och hockeyskola."),
    Club("Centrum Friluftsfrämjandet", ("friluftsliv",), (6, 14), "Centrum", ("Skolgården", U, "10:00", "12:00"),
         ("sv", "en"), 300, True, description="Skogsmulle, strövare och utflykter varje helg."),
    Club("Bredsands Schackklubb", ("schack",), (8, 19), "Bredsand", ("Gympasalen", U, "12:00", "13:30"),
         ("sv", "fa", "ar"), 0, True, accessible=True, description="Schack på söndagar, alla nivåer."),
    Club("Nacksta Kampsport Ungdom", ("kampsport",), (10, 19), "Nacksta", ("Gymnastiksalen", U, "14:00", "15:30"),
         ("sv", "so", "ar"), 300, True, ("all", "girls"), description="Taekwondo för ungdomar, tjejgrupp på söndagar."),
    Club("Skönsbergs Gitarrskola", ("musik",), (9, 19), "Skönsberg", ("Musiksal 1", U, "10:00", "11:30"),
         ("sv", "es"), 200, True, accessible=True, description="Gitarr i grupp för nybörjare."),
    Club("Sundsvalls Handbollsakademi", ("handboll",), (12, 19), "Centrum",
         ("Nacksta idrottshall A", U, "12:00", "13:30"), ("sv", "de"), 500, False,
         description="Handboll för dig som vill satsa."),
    Club("Bredsand Teater och Cirkus", ("teater", "gymnastik"), (7, 14), "Bredsand", ("Aulan", U, "14:00", "15:30"),
         ("sv", "fr"), 250, True, accessible=True, description="Jonglering, akrobatik och teater."),
    Club("Centrum Innebandy Tjejer", ("innebandy",), (12, 19), "Centrum",
         ("Nacksta idrottshall B", U, "12:00", "13:30"), ("sv", "pl"), 350, True, ("girls",),
         description="Innebandy för tjejer, nybörjare välkomna."),
]

_CONTACT_NAMES = ("Anders Lind", "Maria Berg", "Hassan Ali", "Eva Sjögren", "Jonas Holm", "Amina Yusuf",
                  "Petra Nyström", "Omid Rahimi", "Lena Åberg", "Kalle Björk")


def _org_number(i: int) -> str:
    base = f"8025{i:05d}"
    digits = base + luhn_digit(base)
    return f"{digits[:6]}-{digits[6:]}"


def _slug(name: str) -> str:
    table = str.maketrans("åäöé ", "aaoe-")
    return "".join(c for c in name.lower().translate(table) if c.isalnum() or c == "-")


async def seed(db: Database, hasher: PasswordHasher, clock: Clock, municipality_id: UUID) -> None:
    """Runs after the premises demo data is committed."""
    now = clock.now()
    categories = {c.name: c.id for c in await list_categories(municipality_id, SqlUnitOfWork(db))}
    uow = SqlUnitOfWork(db)
    async with uow:
        zone = expect(await uow.municipalities.get(municipality_id), "the demo municipality").zone
        staff = expect(await uow.accounts.by_email("lokaler@demo.booking.se"), "the demo premises staff")
        areas = {r.name: r.id for r in (await uow.session.execute(
            sa.select(t.areas.c.id, t.areas.c.name).where(t.areas.c.municipality_id == municipality_id))).all()}
        spaces = {r.name: r.id for r in (await uow.session.execute(
            sa.select(t.spaces.c.id, t.spaces.c.name).where(t.spaces.c.municipality_id == municipality_id))).all()}
        made: list[tuple[Club, Association]] = []
        for i, club in enumerate(CLUBS):
            slug = _slug(club.name)
            contact = ContactPerson(_CONTACT_NAMES[i % len(_CONTACT_NAMES)], f"kontakt@{slug}.example.se", None,
                                    "Ungdomsansvarig")
            association = Association(municipality_id, club.name, _org_number(i + 1), AssociationCategory.YOUTH,
                                      areas[club.area], is_local=True, public_name=True, contacts=[contact])
            association.verify(staff.id, now)
            uow.associations.add(association)
            made.append((club, association))
        await uow.session.flush()
        for club, association in made:
            fields = ProfileFields(
                interests=tuple(categories[c] for c in club.interests), age_min=club.ages[0], age_max=club.ages[1],
                for_whom=club.for_whom, description=club.description, areas=(areas[club.area],),
                languages=club.languages, membership_fee=club.fee, free_to_try=club.free_to_try,
                try_out_text="Kom och prova en träning gratis, hör av dig först!" if club.free_to_try else None,
                accessibility=Accessibility(club.accessible, club.accessible, False, None),
                website=f"https://{_slug(club.name)}.example.se")
            profile = AssociationProfile(municipality_id, association.id, fields,
                                         contact_id=association.contacts[0].id)
            profile.submit()
            profile.verify(staff.id, now, association_verified=True)
            await uow.matching.save_profile(profile)
        await uow.commit()
    actor = Actor(staff.id, municipality_id, frozenset({Grant(Role.PREMISES_STAFF)}))
    today = now.astimezone(zone).date()
    for club, association in made:
        space, weekday, start, end = club.where
        first = today + timedelta(days=2)
        first += timedelta(days=(weekday - first.weekday()) % 7)
        try:
            outcome = await request_booking(RequestBooking(
                spaces[space], f"Träning {club.name}", first, time.fromisoformat(start), time.fromisoformat(end),
                association.id, Recurrence((weekday,), count=WEEKS)), SqlUnitOfWork(db), actor, clock)
        except DomainError:
            continue  # a demo day the space is closed: this club shows no training time
        if outcome.series is not None:
            uow = SqlUnitOfWork(db)
            async with uow:
                await uow.matching.set_public_times(association.id, [], [outcome.series.id])
                await uow.commit()
