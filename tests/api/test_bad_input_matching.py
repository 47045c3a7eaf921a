"""Bad input to föreningsmatchning's write routes (the match, sending, answering and pausing interest requests)
gets a 4xx problem naming the field and changes nothing, on SQLite and PostgreSQL (the style of
test_bad_input.py)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from booking.adapters.db import tables_matching as tm
from booking.adapters.db.database import Database
from booking.adapters.db.queries import Queries
from tests.api import matching_support as ms
from tests.api.bad_input_support import assert_refused, assert_rows_unchanged, run_catalogue, send
from tests.conftest import World, build_world, make_app

MATCH = "/api/association-matches"
SEND = "/api/interest-requests"


@dataclass(frozen=True)
class Case:
    id: str
    method: str
    path: Callable[[dict[str, str]], str]
    body: Callable[[dict[str, str]], Any]
    field: str  # a regex when it starts with ^
    status: int = 422
    role: str | None = None  # None: anonymous


def _match(case_id: str, field: str, status: int = 422, role: str | None = None, **changes: Any) -> Case:
    return Case(case_id, "POST", lambda s: MATCH, lambda s: {"municipality": s["slug"], "interests": [s["innebandy"]],
                                                            "age": 12, **_fill(changes, s)}, field, status, role)


def _send(case_id: str, field: str, status: int = 422, **changes: Any) -> Case:
    return Case(case_id, "POST", lambda s: SEND, lambda s: {
        "association_id": s["association_id"], "interests": [s["innebandy"]], "age": 15, "consent": False,
        **_fill(changes, s)}, field, status)


def _fill(changes: dict[str, Any], s: dict[str, str]) -> dict[str, Any]:
    return {k: (v(s) if callable(v) else v) for k, v in changes.items()}


def _answer(case_id: str, body: Any, field: str, status: int = 422) -> Case:
    return Case(case_id, "POST", lambda s: f"/api/interest-requests/{s['request_id']}/answer", lambda s: body, field,
                status, "association_rep")


def _pause(case_id: str, body: Any, field: str, status: int = 422) -> Case:
    return Case(case_id, "PUT", lambda s: f"/api/associations/{s['association_id']}/interest-request-pause",
                lambda s: body, field, status, "association_rep")


CONTACT = {"name": "Nora", "email": "nora@hem.example"}
CATALOGUE = [
    _match("match-no-municipality", "municipality", municipality=None),
    _match("match-unknown-municipality", "municipality", municipality="finns-inte"),
    _match("match-no-interests", "interests", interests=[]),
    _match("match-unknown-interest", "interests", interests=[str(uuid.uuid4())]),
    _match("match-interest-not-uuid", "^interests", interests=["innebandy"]),
    _match("match-age-negative", "age", age=-1),
    _match("match-age-text", "age", age="tolv"),
    _match("match-age-missing", "age", age=None),
    _match("match-day-8", "^days", days=[8]),
    _match("match-day-0", "^days", days=[0]),
    _match("match-unknown-area", "area_id", area_id=lambda s: str(uuid.uuid4())),
    _match("match-card-short", "card_number", role="lending_staff", card_number="1234"),
    _match("match-card-letters", "card_number", role="lending_staff", card_number="ABCDEFGHIJKL"),
    _match("match-unknown-field", "postcode", postcode="85350"),
    Case("match-not-json", "POST", lambda s: MATCH, lambda s: b'{"interests": ', "body", 400),
    _send("send-no-interests", "interests", interests=[]),
    _send("send-unknown-interest", "interests", interests=[str(uuid.uuid4())]),
    _send("send-consent-missing", "consent", consent=None),
    _send("send-consent-text", "consent", consent="ja"),
    _send("send-under-13-no-guardian", "guardian_consent", age=12, consent=True, contact=CONTACT),
    _send("send-contact-bad-email", "contact.email", consent=True, contact={"name": "Nora", "email": "nora"}),
    _send("send-contact-no-name", "contact.name", consent=True, contact={"name": " ", "email": "nora@hem.example"}),
    _send("send-contact-no-way", "contact.email", consent=True, contact={"name": "Nora"}),
    _send("send-contact-bad-phone", "contact.phone", consent=True, contact={"name": "Nora", "phone": "ring mig"}),
    _send("send-message-too-long", "message", message="x" * 1001),
    _send("send-age-over-120", "age", age=121),
    _send("send-day-9", "^days", days=[9]),
    _send("send-days-twice", "days", days=[2, 2]),
    _send("send-unknown-gender", "gender", gender="flicka"),
    _send("send-unknown-area", "home_area_id", home_area_id=lambda s: str(uuid.uuid4())),
    _send("send-association-not-uuid", "association_id", association_id="Test IF"),
    _send("send-unknown-field", "email", email="nora@hem.example"),
    Case("send-not-json", "POST", lambda s: SEND, lambda s: b"[", "body", 400),
    _answer("answer-empty", {"text": ""}, "text"),
    _answer("answer-blank", {"text": "   "}, "text"),
    _answer("answer-too-long", {"text": "x" * 2001}, "text"),
    _answer("answer-missing", {}, "text"),
    _answer("answer-unknown-field", {"text": "Hej", "cc": "a@b.se"}, "cc"),
    _pause("pause-not-bool", {"paused": "ja"}, "paused"),
    _pause("pause-missing", {}, "paused"),
]


@pytest.fixture
async def api(db: Database) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=make_app(db)),
                                 base_url="http://testserver") as client:
        yield client


async def _snapshot(db: Database, association_id: str) -> list[Any]:
    r, p = tm.interest_requests, tm.association_profiles
    async with db.read_sessions() as s:
        requests = (await s.execute(sa.select(r.c.status, r.c.answer).where(
            r.c.association_id == uuid.UUID(association_id)))).all()
        paused = (await s.execute(sa.select(p.c.requests_paused).where(
            p.c.association_id == uuid.UUID(association_id)))).scalars().all()
    return [*map(tuple, requests), *paused]


async def test_bad_matching_input_is_refused_naming_the_field_and_changes_nothing(
        db: Database, api: httpx.AsyncClient) -> None:
    world: World = await build_world(db, api)
    cats = await ms.categories(db, world)
    await ms.publish(db, world, world.association_id, [cats["innebandy"]], 10, 16, contact_email="k@testif.example")
    sent = await ms.send(api, world.association_id, [cats["innebandy"]], age=14)
    assert sent.status_code == 201, sent.text
    scene = {"slug": world.slug, "association_id": world.association_id, "request_id": sent.json()["id"], **cats}
    queries = Queries(db)

    async def check(case: Case) -> None:
        before = await queries.table_counts()
        state = await _snapshot(db, world.association_id)
        headers = world[case.role].headers if case.role else {}
        body = case.body(scene)
        if isinstance(body, dict):
            body = {k: v for k, v in body.items() if v is not None}
        response = await send(api, case.method, case.path(scene), headers, body)
        assert_refused(response, case.status, case.field)
        await assert_rows_unchanged(queries, before)
        assert await _snapshot(db, world.association_id) == state, "the requests or the pause changed"

    await run_catalogue(CATALOGUE, check, db.dialect)
