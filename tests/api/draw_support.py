"""A holiday with a draw, built over HTTP for the draw's API tests: sportlov 2027 (week 7, 15-21
February), three activities in it, a second guardian, areas with a population and a postcode table.

The clock must stand before 2027-01-15 12:00 (the wish phase's deadline) when `draw_world` is built."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

import httpx

from booking.adapters.db.database import Database
from booking.adapters.db.uow import SqlUnitOfWork
from booking.domain.municipalities.model import Area
from booking.domain.people.model import Account
from booking.domain.people.roles import Role
from tests.conftest import FAST_HASHER, PASSWORD, Caller, World

DEADLINE = "2027-01-15T12:00:00+01:00"
BEFORE_DEADLINE = "2026-12-01T09:00:00+01:00"
AFTER_DEADLINE = "2027-01-20T09:00:00+01:00"
AFTER_THE_HOLIDAY = "2027-03-01T09:00:00+01:00"
POSTCODE = "85231"


@dataclass
class DrawWorld:
    world: World
    period_id: str
    draw_id: str
    sessions: dict[str, str]  # name -> session id
    areas: dict[str, str]  # name -> area id (Nacksta from the world, population 1000; Skönsberg 500)
    other_guardian: Caller
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def staff(self) -> dict[str, str]:
        return self.world["activities_staff"].headers


async def add_account(db: Database, client: httpx.AsyncClient, world: World, name: str, role: Role | None,
                      municipality_id: str | None = None, scope_id: str | None = None) -> Caller:
    uow = SqlUnitOfWork(db)
    email = f"{name}.{world.slug}@example.se"
    async with uow:
        account = Account(UUID(municipality_id or world.municipality_id), email, name.title(),
                          password_hash=await FAST_HASHER.hash(PASSWORD))
        if role is not None:
            account.grant(role, UUID(scope_id) if scope_id else None)
        uow.accounts.add(account)
        await uow.commit()
    signed = await client.post("/api/auth/tokens", json={"email": email, "password": PASSWORD})
    assert signed.status_code == 201, signed.text
    return Caller(role.value if role else "no_role", str(account.id), email, signed.json()["token"])


async def _activity(client: httpx.AsyncClient, staff: dict[str, str], title: str, capacity: int, day: str,
                    start: str, end: str, age_min: int = 6, age_max: int = 15, place: str = "Sidsjön") -> str:
    made = await client.post("/api/activities", headers=staff, json={
        "title": title, "category": "idrott", "organiser": "Fritid Sundsvall", "age_min": age_min,
        "age_max": age_max, "capacity": capacity, "place": place})
    assert made.status_code == 201, made.text
    activity_id = made.json()["id"]
    added = await client.post(f"/api/activities/{activity_id}/sessions", headers=staff,
                              json={"start": start, "end": end, "date": day})
    assert added.status_code == 201, added.text
    published = await client.post(f"/api/activities/{activity_id}/publication", headers=staff)
    assert published.status_code == 200, published.text
    return str(added.json()["sessions"][0]["id"])


async def draw_world(db: Database, client: httpx.AsyncClient, world: World, *, capacity: int = 2,
                     max_per_child: int = 2) -> DrawWorld:
    staff = world["activities_staff"].headers
    generated = await client.post("/api/holiday-periods/generated", headers=staff,
                                  json={"year": 2027, "sportlov_week": 7})
    assert generated.status_code == 201, generated.text
    period_id = next(p["id"] for p in generated.json() if p["kind"] == "sportlov")
    uow = SqlUnitOfWork(db)
    async with uow:
        nacksta = await uow.areas.get(UUID(world.area_id))
        assert nacksta is not None
        nacksta.change(population_0_17=1000)
        skonsberg = Area(UUID(world.municipality_id), "Skönsberg", population_0_17=500)
        uow.areas.add(skonsberg)
        await uow.commit()
    async with uow:
        await uow.areas.replace_postcodes(UUID(world.municipality_id), [(POSTCODE, skonsberg.id)])
        await uow.commit()
    sessions = {
        "climbing": await _activity(client, staff, "Klättring", capacity, "2027-02-16", "10:00", "12:00"),
        "swimming": await _activity(client, staff, "Simning", capacity, "2027-02-16", "11:00", "13:00",
                                    place="Himlabadet"),
        "crafts": await _activity(client, staff, "Pyssel", capacity, "2027-02-17", "10:00", "12:00", age_max=9),
    }
    made = await client.put(f"/api/holiday-periods/{period_id}/draw", headers=staff, json={
        "wishes_close_at": DEADLINE, "max_per_child": max_per_child, "travel_minutes": 0})
    assert made.status_code == 200, made.text
    other = await add_account(db, client, world, "guardian2", Role.GUARDIAN)
    return DrawWorld(world, period_id, made.json()["id"], sessions,
                     {"Nacksta": world.area_id, "Skönsberg": str(skonsberg.id)}, other)


def child(name: str, birth_year: int, sessions: list[str], **more: Any) -> dict[str, Any]:
    return {"first_name": name, "birth_year": birth_year, "max_activities": more.pop("max_activities", 2),
            "wishes": [{"session_id": s} for s in sessions], **more}
