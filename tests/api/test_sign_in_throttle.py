"""Sign-in throttling per client address: many people share one address (a school, a municipality
behind a proxy), so an address over its limit slows and shuts out the guesser, never the others.
On both engines: the counts live in the database and are shared by all workers."""

from __future__ import annotations

import logging
from typing import Any

import httpx
import pytest

from booking.adapters.db.database import Database
from booking.api import sign_in_throttle
from booking.api.access import SESSION_COOKIE
from tests.conftest import PASSWORD, build_world, make_app

WRONG = "fel-lösenord-123"


@pytest.fixture
def delays(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The delays failed sign-ins were answered after (recorded instead of waited out)."""
    waited: list[float] = []

    async def record(seconds: float) -> None:
        waited.append(seconds)

    monkeypatch.setattr(sign_in_throttle, "sleep", record)
    return waited


async def _login(c: httpx.AsyncClient, email: str, password: str = PASSWORD) -> httpx.Response:
    return await c.post("/api/auth/login", json={"email": email, "password": password})


def _status(response: httpx.Response) -> int:
    if response.status_code >= 400:
        assert response.headers["content-type"].startswith("application/problem+json"), response.text
    return response.status_code


async def test_an_address_over_its_limit_slows_the_guesser_and_lets_untouched_accounts_in(
    db: Database, delays: list[float]
) -> None:
    app = make_app(db, login_max_failures_per_account=100, login_max_failures_per_client=5)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as c:
        world = await build_world(db, c)
        target = world["guardian"].email
        for _ in range(5):
            assert _status(await _login(c, target, WRONG)) == 401
        assert delays == []  # under the limit nothing is slowed

        # Over the limit: the account the address has been guessing at is closed to it, right password too.
        refused = await _login(c, target, WRONG)
        assert _status(refused) == 429
        assert 0 < int(refused.headers["retry-after"]) <= 15 * 60 + 1
        right = await _login(c, target)
        assert _status(right) == 429 and SESSION_COOKIE not in c.cookies
        assert delays == []  # refused without a password check, at once

        # Spraying one guess at each other account: checked, but answered slower and slower ...
        for role in ("borrower", "no_role", "lending_staff"):
            assert _status(await _login(c, world[role].email, WRONG)) == 401
        assert delays == [0.5, 1.0, 2.0]
        # ... and every account tried is closed to the address from then on.
        assert _status(await _login(c, world["borrower"].email)) == 429

        # Someone else at the same address, with an account that has not failed from here, signs in at once.
        signed_in = await _login(c, world["activities_staff"].email)
        assert signed_in.status_code == 200, signed_in.text
        assert c.cookies.get(SESSION_COOKIE)
        assert delays == [0.5, 1.0, 2.0]
        tokens = await c.post("/api/auth/tokens", json={"email": world["premises_staff"].email, "password": PASSWORD})
        assert tokens.status_code == 201, tokens.text


async def test_the_per_account_limit_holds_whatever_the_address(db: Database, delays: list[float]) -> None:
    """Failures from many addresses (a trusted proxy tells them apart) add up per account."""
    app = make_app(db, trust_proxy_headers=True, login_max_failures_per_account=3,
                   login_max_failures_per_client=50)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as c:
        world = await build_world(db, c)
        victim = world["guardian"].email
        for i in range(3):
            guess = await c.post("/api/auth/login", headers={"X-Forwarded-For": f"198.51.100.{i}"},
                                 json={"email": victim, "password": WRONG})
            assert _status(guess) == 401
        fresh = await c.post("/api/auth/login", headers={"X-Forwarded-For": "203.0.113.99"},
                             json={"email": victim, "password": PASSWORD})
        assert _status(fresh) == 429
        assert delays == []


def test_the_delay_grows_and_is_capped() -> None:
    assert [sign_in_throttle.over_limit_delay(n) for n in range(0, 8)] == [0.0, 0.5, 1, 2, 4, 8, 10, 10]
    assert sign_in_throttle.over_limit_delay(10_000) == sign_in_throttle.MAX_DELAY_SECONDS


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


async def test_forwarded_requests_without_trusting_the_proxy_are_warned_about_once(sqlite_db: Database) -> None:
    async def warnings(app: Any, headers: dict[str, str]) -> list[str]:
        # A handler of its own on the edge's logger: the app's logging setup may replace the root's handlers.
        records = _Records()
        logger = logging.getLogger("booking.api")
        logger.addHandler(records)
        try:
            async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as c:
                for path in ("/health", "/api/municipalities", "/api/sites"):
                    assert (await c.get(path, headers=headers)).status_code == 200
        finally:
            logger.removeHandler(records)
        return [m for m in records.messages if "X-Forwarded-For" in m]

    forwarded = {"X-Forwarded-For": "203.0.113.7"}
    told = await warnings(make_app(sqlite_db), forwarded)
    assert len(told) == 1, told  # once, not once per request or per route
    assert "BOOKING_TRUST_PROXY_HEADERS" in told[0]
    assert await warnings(make_app(sqlite_db), {}) == []
    assert await warnings(make_app(sqlite_db, trust_proxy_headers=True), forwarded) == []
