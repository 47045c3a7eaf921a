"""Shared scenery of the föreningsmatchning API tests: interest categories, published association profiles
(written straight into their tables: publishing is the profiles' own tests' business), a contact person,
and approved bookings shown as training times."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import sqlalchemy as sa

from booking.adapters.db import tables as t
from booking.adapters.db import tables_matching as tm
from booking.adapters.db.database import Database
from tests.conftest import World

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)  # a Tuesday, far from any holiday that matters here
CATEGORIES = ("innebandy", "fotboll", "schack")
CATEGORIES_EN = {"innebandy": "floorball", "fotboll": "football", "schack": "chess"}


@dataclass
class Scene:
    world: World
    categories: dict[str, str]  # name -> id
    contact_email: str


def _profile(municipality_id: uuid.UUID, association_id: uuid.UUID, interests: list[str], age_min: int,
             age_max: int, areas: list[str], *, free_to_try: bool = False, contact_id: uuid.UUID | None = None,
             published: bool = True) -> dict[str, Any]:
    fields = {"interests": interests, "age_min": age_min, "age_max": age_max, "for_whom": ["all"], "areas": areas,
              "languages": ["sv"], "membership_fee": 300, "free_to_try": free_to_try, "try_out_text": None,
              "accessibility": {"step_free": True, "accessible_toilet": False, "hearing_loop": False, "notes": None},
              "description": "Vi tränar och har kul.", "website": None}
    return {"id": uuid.uuid4(), "municipality_id": municipality_id, "association_id": association_id,
            "draft": fields, "status": "published" if published else "draft",
            "published": fields if published else None, "published_at": NOW - timedelta(days=30) if published else None,
            "age_min": age_min if published else None, "age_max": age_max if published else None,
            "free_to_try": free_to_try, "accessible": True, "interests": interests if published else [],
            "areas": areas if published else [], "languages": ["sv"] if published else [],
            "for_whom": ["all"] if published else [], "requests_paused": False, "contact_id": contact_id,
            "created_at": NOW, "updated_at": NOW}


async def categories(db: Database, world: World) -> dict[str, str]:
    m = uuid.UUID(world.municipality_id)
    made = {}
    async with db.write_engine.begin() as conn:
        for position, name in enumerate(CATEGORIES):
            ident = uuid.uuid4()
            await conn.execute(tm.interest_categories.insert().values(
                id=ident, municipality_id=m, name=name, name_en=CATEGORIES_EN[name], position=position,
                created_at=NOW, updated_at=NOW))
            made[name] = str(ident)
    return made


async def association(db: Database, world: World, name: str, *, org_number: str | None = None) -> str:
    ident = uuid.uuid4()
    async with db.write_engine.begin() as conn:
        await conn.execute(t.associations.insert().values(
            id=ident, municipality_id=uuid.UUID(world.municipality_id), name=name,
            org_number=org_number or f"{uuid.uuid4().int % 10**6:06d}-{uuid.uuid4().int % 10**4:04d}",
            category="youth", area_id=uuid.UUID(world.area_id), is_local=True, public_name=True,
            verified_at=NOW, created_at=NOW, updated_at=NOW))
    return str(ident)


async def publish(db: Database, world: World, association_id: str, interests: list[str], age_min: int, age_max: int,
                  *, areas: list[str] | None = None, free_to_try: bool = False, contact_email: str | None = None,
                  published: bool = True) -> None:
    m, a = uuid.UUID(world.municipality_id), uuid.UUID(association_id)
    contact_id = None
    async with db.write_engine.begin() as conn:
        if contact_email is not None:
            contact_id = uuid.uuid4()
            await conn.execute(t.association_contacts.insert().values(
                id=contact_id, association_id=a, name="Kim Kontakt", email=contact_email, phone="070-111 22 33",
                created_at=NOW, updated_at=NOW))
        await conn.execute(tm.association_profiles.insert().values(**_profile(
            m, a, interests, age_min, age_max, [world.area_id] if areas is None else areas, free_to_try=free_to_try,
            contact_id=contact_id, published=published)))


async def trains(db: Database, world: World, association_id: str, first: datetime, weeks: int, minutes: int = 90,
                 *, public: bool = True) -> None:
    """Approved bookings of the association in the world's space, weekly from `first` (UTC)."""
    async with db.write_engine.begin() as conn:
        for week in range(weeks):
            start = first + timedelta(weeks=week)
            await conn.execute(t.bookings.insert().values(
                id=uuid.uuid4(), municipality_id=uuid.UUID(world.municipality_id), space_id=uuid.UUID(world.space_id),
                association_id=uuid.UUID(association_id), booked_by=uuid.UUID(world["premises_staff"].account_id),
                title="Träning", starts_at=start, ends_at=start + timedelta(minutes=minutes), status="approved",
                sequence=0, public_on_profile=public, was_approved=True, created_at=NOW, updated_at=NOW))


async def place(db: Database, world: World, *, area: tuple[float, float] | None, site: tuple[float, float] | None,
                population: int | None = None) -> None:
    async with db.write_engine.begin() as conn:
        if area is not None or population is not None:
            await conn.execute(sa.update(t.areas).where(t.areas.c.id == uuid.UUID(world.area_id)).values(
                latitude=area[0] if area else None, longitude=area[1] if area else None,
                population_0_17=population))
        if site is not None:
            await conn.execute(sa.update(t.sites).where(t.sites.c.id == uuid.UUID(world.site_id)).values(
                latitude=site[0], longitude=site[1]))


async def outbox(db: Database, kind: str, recipient: str | None = None) -> list[Any]:
    query = sa.select(t.outbox.c.recipient, t.outbox.c.subject, t.outbox.c.body).where(t.outbox.c.kind == kind)
    if recipient is not None:
        query = query.where(t.outbox.c.recipient == recipient)
    async with db.read_sessions() as s:
        return list((await s.execute(query.order_by(t.outbox.c.created_at))).all())


async def request_rows(db: Database, association_id: str) -> list[Any]:
    r = tm.interest_requests
    async with db.read_sessions() as s:
        return list((await s.execute(sa.select(r).where(r.c.association_id == uuid.UUID(association_id))
                                     .order_by(r.c.created_at))).all())


async def send(client: httpx.AsyncClient, association_id: str, interests: list[str], **body: Any) -> httpx.Response:
    return await client.post("/api/interest-requests", json={
        "association_id": association_id, "interests": interests, "consent": False, **body})


async def trains_in_series(db: Database, world: World, association_id: str, first: datetime, weeks: int,
                           local_start: str, local_end: str, *, public: bool = True) -> None:
    """A weekly series of approved bookings, public on the profile as a whole (its bookings not one by one)."""
    from datetime import time

    series_id = uuid.uuid4()
    start_h, start_m = (int(x) for x in local_start.split(":"))
    end_h, end_m = (int(x) for x in local_end.split(":"))
    async with db.write_engine.begin() as conn:
        await conn.execute(t.booking_series.insert().values(
            id=series_id, municipality_id=uuid.UUID(world.municipality_id), space_id=uuid.UUID(world.space_id),
            start_date=first.date(), weekdays=[first.weekday()], interval=1, until=None, count=weeks, exdates=[],
            local_start=time(start_h, start_m), local_end=time(end_h, end_m), public_on_profile=public,
            created_at=NOW, updated_at=NOW))
        for week in range(weeks):
            start = first + timedelta(weeks=week)
            await conn.execute(t.bookings.insert().values(
                id=uuid.uuid4(), municipality_id=uuid.UUID(world.municipality_id), space_id=uuid.UUID(world.space_id),
                series_id=series_id, association_id=uuid.UUID(association_id),
                booked_by=uuid.UUID(world["premises_staff"].account_id), title="Serie", starts_at=start,
                ends_at=start + timedelta(minutes=90), status="approved", sequence=0, public_on_profile=False,
                was_approved=True, created_at=NOW, updated_at=NOW))
