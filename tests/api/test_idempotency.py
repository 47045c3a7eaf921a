"""Idempotency-Key: a retried create does not create twice, on SQLite and PostgreSQL.

The middleware's contract (booking/api/idempotency.py): the first request with a
key is claimed and its answer stored; a retry with the same key and body gets
that answer back with `Idempotent-Replayed: true`; the same key with another
body is refused with 422 naming Idempotency-Key; a retry while the first still
runs gets 409 with Retry-After; answers that may change on retry (401, 403,
409, 429, 5xx) are not stored, deterministic ones (2xx, 422) are. Keys belong
to one caller and are kept for 24 hours.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from booking.adapters.db import tables as t
from booking.adapters.db.database import Database
from booking.domain.shared.clock import SystemClock
from tests.conftest import FAST_HASHER, World, build_world
from tests.conftest import test_settings as settings_for_tests


class MovableClock(SystemClock):
    """The system time, plus an offset a test can move forward."""

    def __init__(self) -> None:
        self.offset = timedelta(0)

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock()


@pytest.fixture
async def app(db: Database, clock: MovableClock) -> Any:
    """The app on both engines (the conftest `client` picks this up)."""
    from booking.api.app import create_app

    return create_app(settings_for_tests(), db=db, hasher=FAST_HASHER, clock=clock)


@pytest.fixture
async def world(db: Database, client: httpx.AsyncClient) -> World:
    return await build_world(db, client)


def _space(world: World, name: str = "Musiksal 3") -> dict[str, Any]:
    return {"site_id": world.site_id, "name": name, "kind": "music_room", "capacity": 20}


async def _count(db: Database, table: sa.Table, **where: Any) -> int:
    async with db.read_sessions() as session:
        query = sa.select(sa.func.count()).select_from(table)
        for column, value in where.items():
            query = query.where(table.c[column] == value)
        return int((await session.execute(query)).scalar_one())


def _key() -> dict[str, str]:
    return {"Idempotency-Key": str(uuid.uuid4())}


async def test_a_retry_with_the_same_key_replays_the_answer_and_creates_once(
    client: httpx.AsyncClient, world: World, db: Database
) -> None:
    headers = {**world["admin"].headers, **_key()}
    first = await client.post("/api/spaces", json=_space(world), headers=headers)
    assert first.status_code == 201, first.text
    assert "idempotent-replayed" not in first.headers
    second = await client.post("/api/spaces", json=_space(world), headers=headers)
    assert second.status_code == 201
    assert second.headers["idempotent-replayed"] == "true"
    assert second.json() == first.json()
    assert second.headers["location"] == first.headers["location"]
    assert second.headers["content-type"] == first.headers["content-type"]
    assert await _count(db, t.spaces, name="Musiksal 3") == 1


async def test_a_replayed_large_answer_is_readable(client: httpx.AsyncClient, world: World, db: Database) -> None:
    """Answers over 1 kB are gzipped inside the middleware; the replay must still be plain JSON
    whatever the retry accepts (it used to be raw gzip without Content-Encoding)."""
    body = {"name": "Stora Föreningen", "org_number": "802012-3454", "contacts": [
        {"name": f"Kontakt {i}", "email": f"kontakt{i}@example.se", "phone": "070-123 45 67", "role": "Ledare"}
        for i in range(15)]}
    headers = {**world["admin"].headers, **_key()}
    first = await client.post("/api/associations", json=body, headers=headers)
    assert first.status_code == 201, first.text
    assert len(first.content) > 1024
    for encoding in ("gzip, deflate", "identity"):
        again = await client.post("/api/associations", json=body, headers={**headers, "Accept-Encoding": encoding})
        assert again.headers["idempotent-replayed"] == "true"
        assert again.json() == first.json()
    assert await _count(db, t.associations, name="Stora Föreningen") == 1


async def test_the_same_key_with_another_body_is_refused(
    client: httpx.AsyncClient, world: World, db: Database
) -> None:
    headers = {**world["admin"].headers, **_key()}
    assert (await client.post("/api/spaces", json=_space(world), headers=headers)).status_code == 201
    other = await client.post("/api/spaces", json=_space(world, "Musiksal 4"), headers=headers)
    assert other.status_code == 422
    assert other.headers["content-type"].startswith("application/problem+json")
    assert "idempotent-replayed" not in other.headers
    problem = other.json()
    assert problem["status"] == 422 and problem["detail"]
    assert [e["field"] for e in problem["errors"]] == ["Idempotency-Key"]
    assert await _count(db, t.spaces, name="Musiksal 4") == 0


async def test_different_keys_create_twice(client: httpx.AsyncClient, world: World, db: Database) -> None:
    for _ in range(2):
        response = await client.post("/api/spaces", json=_space(world),
                                     headers={**world["admin"].headers, **_key()})
        assert response.status_code == 201
        assert "idempotent-replayed" not in response.headers
    assert await _count(db, t.spaces, name="Musiksal 3") == 2


async def test_a_key_belongs_to_its_caller(client: httpx.AsyncClient, world: World, db: Database) -> None:
    """Another caller's request with the same key runs for real: it never gets (or is refused
    because of) the first caller's stored answer."""
    key = _key()
    body = {"name": "Nackstas Fotboll", "org_number": "802012-3454"}
    mine = await client.post("/api/associations", json=body, headers={**world["guardian"].headers, **key})
    assert mine.status_code == 201, mine.text

    same_body = await client.post("/api/associations", json=body, headers={**world["borrower"].headers, **key})
    assert "idempotent-replayed" not in same_body.headers
    assert same_body.status_code == 409  # really executed: the organisationsnummer is taken
    assert mine.json()["id"] not in same_body.text

    other_body = await client.post("/api/associations", json={"name": "Nackstas Innebandy",
                                                               "org_number": "802479-4573"},
                                   headers={**world["borrower"].headers, **key})
    assert other_body.status_code == 201, other_body.text
    assert "idempotent-replayed" not in other_body.headers
    assert await _count(db, t.associations) == 3  # the world's, and one each


async def test_a_refused_request_is_replayed_as_refused(
    client: httpx.AsyncClient, world: World, db: Database
) -> None:
    """A 422 is deterministic, so it is stored: the retry gets the same 422, replayed, and the
    key stays bound to that body."""
    headers = {**world["admin"].headers, **_key()}
    bad = {**_space(world), "capacity": 0}
    first = await client.post("/api/spaces", json=bad, headers=headers)
    assert first.status_code == 422
    second = await client.post("/api/spaces", json=bad, headers=headers)
    assert second.status_code == 422
    assert second.headers["idempotent-replayed"] == "true"
    assert second.json() == first.json()
    assert second.headers["content-type"].startswith("application/problem+json")
    fixed = await client.post("/api/spaces", json=_space(world), headers=headers)
    assert fixed.status_code == 422
    assert fixed.json()["errors"][0]["field"] == "Idempotency-Key"
    assert await _count(db, t.spaces, name="Musiksal 3") == 0


async def test_answers_that_may_change_are_not_stored(client: httpx.AsyncClient, world: World,
                                                      db: Database) -> None:
    """403 and 409 are not stored: once the obstacle is gone, the same key and body succeed."""
    key = _key()
    body = {"name": "Testföreningen", "org_number": "802479-4565"}  # the world's association has it
    conflict = await client.post("/api/associations", json=body, headers={**world["guardian"].headers, **key})
    assert conflict.status_code == 409
    again = await client.post("/api/associations", json=body, headers={**world["guardian"].headers, **key})
    assert again.status_code == 409
    assert "idempotent-replayed" not in again.headers

    space_key = _key()
    refused = await client.post("/api/spaces", json=_space(world), headers={**world["no_role"].headers, **space_key})
    assert refused.status_code == 403
    promoted = await client.patch(f"/api/accounts/{world['no_role'].account_id}", headers=world["admin"].headers,
                                  json={"roles": [{"role": "admin"}]})
    assert promoted.status_code == 200, promoted.text
    allowed = await client.post("/api/spaces", json=_space(world), headers={**world["no_role"].headers, **space_key})
    assert allowed.status_code == 201, allowed.text
    assert "idempotent-replayed" not in allowed.headers
    assert await _count(db, t.idempotency_keys, key=key["Idempotency-Key"]) == 0


async def test_keys_expire_after_a_day(client: httpx.AsyncClient, world: World, db: Database,
                                       clock: MovableClock) -> None:
    headers = {**world["admin"].headers, **_key()}
    assert (await client.post("/api/spaces", json=_space(world), headers=headers)).status_code == 201
    clock.offset = timedelta(hours=23)
    assert (await client.post("/api/spaces", json=_space(world), headers=headers)).headers[
        "idempotent-replayed"] == "true"
    clock.offset = timedelta(hours=25)
    later = await client.post("/api/spaces", json=_space(world), headers=headers)
    assert later.status_code == 201
    assert "idempotent-replayed" not in later.headers
    assert await _count(db, t.spaces, name="Musiksal 3") == 2


@pytest.mark.parametrize("key", ["", " ", "k" * 256])
async def test_a_malformed_key_is_refused(client: httpx.AsyncClient, world: World, db: Database, key: str) -> None:
    response = await client.post("/api/spaces", json=_space(world),
                                 headers={**world["admin"].headers, "Idempotency-Key": key})
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["errors"][0]["field"] == "Idempotency-Key"
    assert await _count(db, t.spaces, name="Musiksal 3") == 0


async def test_concurrent_retries_create_exactly_once(client: httpx.AsyncClient, world: World,
                                                      db: Database) -> None:
    headers = {**world["admin"].headers, **_key()}
    body = _space(world, "Samtidiga salen")
    responses = await asyncio.gather(*(client.post("/api/spaces", json=body, headers=headers) for _ in range(10)))
    statuses = sorted(r.status_code for r in responses)
    assert set(statuses) <= {201, 409}, [r.text for r in responses]
    originals = [r for r in responses if r.status_code == 201 and "idempotent-replayed" not in r.headers]
    assert len(originals) == 1, statuses
    for response in responses:
        if response.status_code == 201:
            assert response.json() == originals[0].json()
        else:
            assert response.headers["retry-after"].isdigit()
            assert response.headers["content-type"].startswith("application/problem+json")
    assert await _count(db, t.spaces, name="Samtidiga salen") == 1
    # once the first has finished, a retry is a replay
    retry = await client.post("/api/spaces", json=body, headers=headers)
    assert retry.status_code == 201 and retry.headers["idempotent-replayed"] == "true"
