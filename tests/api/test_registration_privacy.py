"""Registration does not tell who has an account: a taken address (in this municipality or
another) is answered exactly like a new one, nothing is created, and the owner is told by e-mail.
On both engines."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import httpx
import sqlalchemy as sa

from booking.adapters.db import tables as t
from booking.adapters.db.database import Database
from booking.adapters.db.queries import Queries
from booking.api.app import create_app
from booking.domain.shared.clock import SystemClock
from tests.conftest import FAST_HASHER, PASSWORD, build_world
from tests.conftest import test_settings as settings_for_tests

ATTACKER_PASSWORD = "någon-annans-lösenord"


class CountingHasher:
    """The tests' fast argon2, counting the hashes made: the work must not depend on the address."""

    def __init__(self) -> None:
        self.hashes = 0

    async def hash(self, password: str) -> str:
        self.hashes += 1
        return await FAST_HASHER.hash(password)

    async def verify(self, password_hash: str, password: str) -> bool:
        return await FAST_HASHER.verify(password_hash, password)

    def needs_rehash(self, password_hash: str) -> bool:
        return FAST_HASHER.needs_rehash(password_hash)


def _shape(body: dict[str, Any]) -> dict[str, Any]:
    """What a registration answer looks like, without the values that differ per request."""
    assert uuid.UUID(body["id"])
    for key in ("created_at", "updated_at"):
        assert datetime.fromisoformat(body[key]).tzinfo is not None
    varying = ("id", "municipality_id", "email", "display_name", "created_at", "updated_at")
    return {k: v for k, v in body.items() if k not in varying}


async def _messages(db: Database, email: str) -> list[tuple[str, str, str]]:
    async with db.read_sessions() as s:
        rows = (await s.execute(sa.select(t.outbox.c.kind, t.outbox.c.subject, t.outbox.c.body)
                                .where(t.outbox.c.recipient == email))).all()
    return [tuple(r) for r in rows]  # type: ignore[misc]


async def _accounts_with(db: Database, email: str) -> int:
    async with db.read_sessions() as s:
        return int((await s.execute(sa.select(sa.func.count()).select_from(t.accounts)
                                    .where(t.accounts.c.email == email))).scalar_one())


async def test_a_taken_address_is_answered_like_a_new_one_and_its_owner_is_told(db: Database) -> None:
    hasher = CountingHasher()
    app = create_app(settings_for_tests(base_url="https://boka.example.se"), db=db, hasher=hasher,
                     clock=SystemClock())
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as c:
        world = await build_world(db, c)
        other = await build_world(db, c)  # another municipality in the same deployment
        owner = world["guardian"].email

        async def register(slug: str, email: str) -> tuple[httpx.Response, int]:
            before = hasher.hashes
            response = await c.post("/api/auth/register", json={
                "municipality": slug, "email": email, "display_name": "Ny Person", "password": ATTACKER_PASSWORD})
            return response, hasher.hashes - before

        new, new_work = await register(world.slug, "helt.ny@example.se")
        counts = await Queries(db).table_counts()
        taken, taken_work = await register(world.slug, owner.upper())
        elsewhere, elsewhere_work = await register(other.slug, owner)

        for response in (new, taken, elsewhere):
            assert response.status_code == 201, response.text
            assert response.headers["location"] == new.headers["location"]
            assert response.headers["content-type"] == new.headers["content-type"]
            assert _shape(response.json()) == _shape(new.json())
            assert response.json()["roles"] == [] and response.json()["last_login_at"] is None
        assert taken.json()["email"] == elsewhere.json()["email"] == owner
        assert new.json()["municipality_id"] == taken.json()["municipality_id"] == world.municipality_id
        assert elsewhere.json()["municipality_id"] == other.municipality_id
        assert new_work == taken_work == elsewhere_work == 1  # one argon2 hash either way

        # Nothing was created: no second account, the owner's password unchanged, only two messages queued.
        after = await Queries(db).table_counts()
        assert {k: v for k, v in after.items() if k not in ("outbox", "login_failures")} == \
            {k: v for k, v in counts.items() if k not in ("outbox", "login_failures")}
        assert after["outbox"] == counts["outbox"] + 2
        assert await _accounts_with(db, owner) == 1
        assert (await c.post("/api/auth/login", json={"email": owner, "password": PASSWORD})).status_code == 200
        refused = await c.post("/api/auth/login", json={"email": owner, "password": ATTACKER_PASSWORD})
        assert refused.status_code == 401
        for response in (taken, elsewhere):
            assert (await c.get(f"/api/accounts/{response.json()['id']}",
                                headers=world["admin"].headers)).status_code == 404

        # The owner is told, in Swedish and English, how to sign in.
        told = await _messages(db, owner)
        assert len(told) == 2
        for kind, subject, body in told:
            assert kind == "account.registration_attempt"
            assert "registrera" in subject and "register" in subject
            assert "försökte just registrera" in body and "tried to register" in body
            assert "https://boka.example.se/login.html" in body
            assert ATTACKER_PASSWORD not in body
        assert await _messages(db, "helt.ny@example.se") == []
        # the new address got its account, which signs in
        assert await _accounts_with(db, "helt.ny@example.se") == 1
        signed_in = await c.post("/api/auth/login", json={"email": "helt.ny@example.se", "password": ATTACKER_PASSWORD})
        assert signed_in.status_code == 200


async def test_an_address_is_registered_a_few_times_per_window_whether_or_not_taken(db: Database) -> None:
    """Each try at a taken address mails its owner: that mail is bounded, and the bound is the same
    for a new address, so it tells nothing either."""
    app = create_app(settings_for_tests(), db=db, hasher=FAST_HASHER, clock=SystemClock())
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as c:
        world = await build_world(db, c)

        async def statuses(email: str) -> list[int]:
            answers = [await c.post("/api/auth/register", json={
                "municipality": world.slug, "email": email, "display_name": "Ny Person",
                "password": ATTACKER_PASSWORD}) for _ in range(4)]
            return [a.status_code for a in answers]

        assert await statuses(world["guardian"].email) == await statuses("annu.en.ny@example.se") == \
            [201, 201, 201, 429]
        assert len(await _messages(db, world["guardian"].email)) == 3
        # refused input is not counted as a registration
        for _ in range(4):
            bad = await c.post("/api/auth/register", json={
                "municipality": world.slug, "email": "tredje@example.se", "display_name": "Ny", "password": "kort"})
            assert bad.status_code == 422
        fine = await c.post("/api/auth/register", json={
            "municipality": world.slug, "email": "tredje@example.se", "display_name": "Ny Person",
            "password": ATTACKER_PASSWORD})
        assert fine.status_code == 201, fine.text


async def test_simultaneous_registrations_of_one_address_make_one_account(db: Database) -> None:
    """Racing registrations of a new address: each answered 201, one account made, the others told
    to its owner (a unique violation at commit is a taken address, never a 409 or a 500)."""
    import asyncio

    app = create_app(settings_for_tests(), db=db, hasher=FAST_HASHER, clock=SystemClock())
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as c:
        world = await build_world(db, c)
        email = "samtidig@example.se"
        answers = await asyncio.gather(*(c.post("/api/auth/register", json={
            "municipality": world.slug, "email": email, "display_name": f"Samtidig {i}",
            "password": ATTACKER_PASSWORD}) for i in range(3)))
        assert [a.status_code for a in answers] == [201, 201, 201], [a.text for a in answers]
        assert await _accounts_with(db, email) == 1
        assert len(await _messages(db, email)) == 2
