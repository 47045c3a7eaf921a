"""The bad-input catalogue of QUALITY.md against circulation: every case answers 4xx problem+json naming
the field (or, for a clash with the current state, the conflict naming it), and no table changes."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from uuid import uuid4

import pytest

from booking.adapters.db.database import Database
from booking.adapters.db.queries import Queries
from booking.domain.lending import self_service
from tests.api.circulation_support import Desk, open_desk
from tests.conftest import test_settings as settings_for_tests

MB = 1024 * 1024
IGNORED = {"login_failures", "auth_sessions"}  # sign-in attempts are counted on purpose


@pytest.fixture
async def desk(db: Database) -> AsyncIterator[Desk]:
    made, client = await open_desk(db)
    async with client:
        yield made


Build = Callable[[Desk], Any]


@dataclass
class Case:
    id: str
    method: str
    path: str
    body: Build | None
    field: str  # the field named in errors[] (or conflicts[] for 409); "^..." is a pattern; "" for a 404
    status: int = 422
    params: Build | None = None
    auth: str = "staff"  # staff | token | expired | none


def lend(**changes: Any) -> Build:
    def build(d: Desk) -> Any:
        body = {"card_number": d.bank.cards["adult0"], "site_id": str(d.bank.site.id), "codes": [d.code("skates")]}
        body.update({k: (v(d) if callable(v) else v) for k, v in changes.items()})
        return body
    return build


def ret(**changes: Any) -> Build:
    def build(d: Desk) -> Any:
        body = {"code": d.code("skates"), "site_id": str(d.bank.site.id)}
        body.update(changes)
        return body
    return build


def due(**changes: Any) -> Build:
    def build(d: Desk) -> Any:
        params = {"site_id": str(d.bank.site.id), "lent_on": "2027-03-12"}
        params.update(changes)
        return params
    return build


ODD_TEXT = ["\u202egnp.exe", "🛷🛷🛷", "a\u0301\u0301\u0301\u0301\u0301", "'; DROP TABLE lending_loans; --",
            "<script>alert(1)</script>", "\x00"]

CASES: list[Case] = [
    Case("lend-malformed-json", "POST", "/api/lending/loans", lambda d: b'{"card_number": ', "body", 400),
    Case("lend-codes-not-a-list", "POST", "/api/lending/loans", lend(codes="ABC"), "codes"),
    Case("lend-no-codes", "POST", "/api/lending/loans", lend(codes=[]), "codes"),
    Case("lend-21-codes", "POST", "/api/lending/loans", lend(codes=["A" * 9] * 21), "codes"),
    Case("lend-card-checksum", "POST", "/api/lending/loans", lend(card_number="1234567890"), "card_number"),
    Case("lend-card-letters", "POST", "/api/lending/loans", lend(card_number="12345ABCDE"), "card_number"),
    Case("lend-card-1mb", "POST", "/api/lending/loans", lend(card_number="1" * MB), "card_number"),
    Case("lend-card-wrong-type", "POST", "/api/lending/loans", lend(card_number=1234567897), "card_number"),
    Case("lend-card-unknown", "POST", "/api/lending/loans", lend(card_number="1234567897"), "card_number"),
    Case("lend-code-unknown", "POST", "/api/lending/loans", lend(codes=["ZZZZZZZZZ"]), "codes[0]"),
    Case("lend-code-url-unknown", "POST", "/api/lending/loans", lend(codes=["https://x.se/q/ZZZZZZZZZ"]),
         "codes[0]"),
    Case("lend-code-duplicate", "POST", "/api/lending/loans",
         lend(codes=lambda d: [d.code("skates"), d.code("skates").lower()]), "codes[1]"),
    Case("lend-code-1mb", "POST", "/api/lending/loans", lend(codes=["A" * MB]), "^codes"),
    *[Case(f"lend-code-odd-{i}", "POST", "/api/lending/loans", lend(codes=[text]), "codes[0]")
      for i, text in enumerate(ODD_TEXT)],
    Case("lend-site-not-uuid", "POST", "/api/lending/loans", lend(site_id="fritidsbanken"), "site_id"),
    Case("lend-site-unknown", "POST", "/api/lending/loans", lend(site_id=str(uuid4())), "site_id"),
    Case("lend-unknown-field", "POST", "/api/lending/loans", lend(due_on="2099-01-01"), "due_on"),
    Case("lend-blocked", "POST", "/api/lending/loans", lend(card_number=lambda d: d.bank.cards["blocked"]),
         "card_number"),
    Case("lend-minor-without-consent", "POST", "/api/lending/loans",
         lend(card_number=lambda d: d.bank.cards["teen"], codes=lambda d: [d.code("kayak")]), "codes[0]"),
    Case("return-condition-unknown", "POST", "/api/lending/returns", ret(condition="broken"), "condition"),
    Case("return-note-1mb", "POST", "/api/lending/returns", ret(note="x" * MB), "note"),
    Case("return-code-html", "POST", "/api/lending/returns", ret(code="<b>1</b>"), "code"),
    Case("return-not-on-loan", "POST", "/api/lending/returns", ret(), "code", 409),
    Case("return-site-missing", "POST", "/api/lending/returns", lambda d: {"code": d.code("skates")}, "site_id"),
    Case("hold-article-unknown", "POST", "/api/lending/holds",
         lambda d: {"card_number": d.bank.cards["adult0"], "article_id": str(uuid4()),
                    "site_id": str(d.bank.site.id)}, "article_id"),
    Case("hold-blocked", "POST", "/api/lending/holds",
         lambda d: {"card_number": d.bank.cards["blocked"], "article_id": str(d.bank.skates.id),
                    "site_id": str(d.bank.site.id)}, "card_number"),
    Case("days-none", "PUT", "/api/lending/opening-days/{site}", lambda d: {"weekdays": []}, "weekdays"),
    Case("days-eight", "PUT", "/api/lending/opening-days/{site}", lambda d: {"weekdays": [7]}, "^weekdays"),
    Case("days-twice", "PUT", "/api/lending/opening-days/{site}", lambda d: {"weekdays": [1, 1]}, "weekdays"),
    Case("days-opens-alone", "PUT", "/api/lending/opening-days/{site}",
         lambda d: {"weekdays": [1], "opens": "15:00"}, "closes"),
    Case("days-closes-alone", "PUT", "/api/lending/opening-days/{site}",
         lambda d: {"weekdays": [1], "closes": "19:00"}, "opens"),
    Case("days-closes-first", "PUT", "/api/lending/opening-days/{site}",
         lambda d: {"weekdays": [1], "opens": "19:00", "closes": "15:00"}, "closes"),
    Case("days-hour-25", "PUT", "/api/lending/opening-days/{site}",
         lambda d: {"weekdays": [1], "opens": "25:00", "closes": "26:00"}, "opens"),
    Case("days-hour-seconds", "PUT", "/api/lending/opening-days/{site}",
         lambda d: {"weekdays": [1], "opens": "15:00", "closes": "19:00:30"}, "closes"),
    Case("days-unknown-site", "PUT", f"/api/lending/opening-days/{uuid4()}", lambda d: {"weekdays": [1]},
         "", 404),
    Case("due-year-9999", "GET", "/api/lending/due-date", None, "lent_on", params=due(lent_on="9999-12-31")),
    Case("due-30-february", "GET", "/api/lending/due-date", None, "lent_on", params=due(lent_on="2027-02-30")),
    Case("due-period-zero", "GET", "/api/lending/due-date", None, "period_days", params=due(period_days="0")),
    Case("due-site-unknown", "GET", "/api/lending/due-date", None, "site_id", params=due(site_id=str(uuid4()))),
    Case("session-card-1mb", "POST", "/api/lending/self-service/sessions",
         lambda d: {"card_number": "1" * MB, "pin": "1234"}, "card_number", auth="none"),
    Case("session-no-pin", "POST", "/api/lending/self-service/sessions",
         lambda d: {"card_number": d.bank.cards["adult0"]}, "pin", auth="none"),
    Case("session-card-checksum", "POST", "/api/lending/self-service/sessions",
         lambda d: {"card_number": "1234567890", "pin": "1234"}, "card_number", auth="none"),
    Case("borrow-token-expired", "POST", "/api/lending/self-service/loans", lambda d: {"code": d.code("skates")},
         "X-Borrower-Token", auth="expired"),
    Case("borrow-token-garbage", "POST", "/api/lending/self-service/loans", lambda d: {"code": d.code("skates")},
         "X-Borrower-Token", auth="garbage"),
    Case("borrow-no-token", "POST", "/api/lending/self-service/loans", lambda d: {"code": d.code("skates")},
         "X-Borrower-Token", auth="none"),
    Case("borrow-code-malformed", "POST", "/api/lending/self-service/loans", lambda d: {"code": "../../etc"},
         "code", auth="token"),
    Case("borrow-desk-only", "POST", "/api/lending/self-service/loans", lambda d: {"code": d.code("kayak")},
         "code", auth="token"),
]


def _headers(case: Case, d: Desk) -> dict[str, str]:
    adult = d.bank.borrowers["adult0"]
    if case.auth == "staff":
        return d.staff
    if case.auth in ("token", "expired"):
        at = d.clock.now() - (timedelta(hours=1) if case.auth == "expired" else timedelta(0))
        card_id = d.bank.card_ids["adult0"]
        token, _ = self_service.issue(settings_for_tests().secret_key, adult.id, card_id, adult.pin_hash or "", at)
        return {self_service.HEADER: token}
    if case.auth == "garbage":
        return {self_service.HEADER: "x.y"}
    return {}


async def _check(case: Case, d: Desk, db: Database) -> None:
    before = await Queries(db).table_counts()
    kwargs: dict[str, Any] = {"headers": _headers(case, d)}
    if case.params is not None:
        kwargs["params"] = case.params(d)
    if case.body is not None:
        body = case.body(d)
        if isinstance(body, bytes):
            kwargs["content"] = body
            kwargs["headers"] = {**kwargs["headers"], "Content-Type": "application/json"}
        else:
            kwargs["json"] = body
    response = await d.client.request(case.method, case.path.format(site=d.bank.site.id), **kwargs)
    assert response.status_code == case.status, response.text[:400]
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["type"].startswith("urn:booking:problem:") and problem["title"] and problem["detail"]
    named = [e["field"] for e in problem.get("errors", [])] + [c.get("field") for c in problem.get("conflicts", [])]
    if case.field.startswith("^"):
        assert any(re.match(case.field, f or "") for f in named), f"names {named}, not {case.field}"
    elif case.field:  # "" for the path's object that is not found (404 names no field)
        assert case.field in named, f"names {named}, not {case.field}: {problem['detail']}"
    assert len(response.content) < 10_000, "a large input is echoed back"
    after = await Queries(db).table_counts()
    changed = {k: (before[k], after[k]) for k in after if k not in IGNORED and before.get(k) != after[k]}
    assert not changed, f"rows changed: {changed}"


async def test_bad_input_to_circulation_is_refused_naming_the_field_and_changes_nothing(
        desk: Desk, db: Database) -> None:
    failures: list[str] = []
    for case in CASES:
        try:
            await _check(case, desk, db)
        except AssertionError as exc:
            failures.append(f"{case.id}: {str(exc).splitlines()[0][:300]}")
    assert not failures, f"{len(failures)} of {len(CASES)} cases failed on {db.dialect}:\n" + "\n".join(failures)
    assert len(CASES) >= 45
