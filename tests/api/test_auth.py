"""Signing in and out: cookies with CSRF for browsers, bearer tokens for API clients, login
throttling, deactivation, password storage, self-registration."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from http.cookies import SimpleCookie
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from booking.adapters.db import tables as t
from booking.adapters.db.auth_store import AuthStore
from booking.adapters.db.database import Database
from booking.api.access import CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE
from tests.conftest import PASSWORD, World, build_world, make_app


def _set_cookies(response: httpx.Response) -> dict[str, dict[str, Any]]:
    """Each Set-Cookie header as {name: {"value": ..., attribute: value}} (attribute names lower-case)."""
    out: dict[str, dict[str, Any]] = {}
    for header in response.headers.get_list("set-cookie"):
        parsed: SimpleCookie = SimpleCookie()
        parsed.load(header)
        for name, morsel in parsed.items():
            flags = {part.strip().lower() for part in header.split(";")[1:]}
            out[name] = {"value": morsel.value, "httponly": "httponly" in flags, "secure": "secure" in flags,
                         "samesite": str(morsel["samesite"]).lower(), "path": morsel["path"],
                         "max-age": morsel["max-age"]}
    return out


def _assert_problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status and body["type"] and body["title"] and body["detail"]
    return body


async def _login(client: httpx.AsyncClient, email: str, password: str = PASSWORD) -> httpx.Response:
    return await client.post("/api/auth/login", json={"email": email, "password": password})


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
async def fresh(app: Any) -> AsyncIterator[httpx.AsyncClient]:
    """A second client with its own cookie jar (a browser)."""
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as c:
        yield c


# --- browser sessions ----------------------------------------------------------------------------


async def test_login_sets_an_httponly_session_cookie_and_a_readable_csrf_cookie(
    fresh: httpx.AsyncClient, world: World
) -> None:
    response = await _login(fresh, world["admin"].email)
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    cookies = _set_cookies(response)
    session, csrf = cookies[SESSION_COOKIE], cookies[CSRF_COOKIE]
    assert session["httponly"] is True
    assert session["samesite"] == "lax" and csrf["samesite"] == "lax"
    assert session["path"] == "/" and csrf["path"] == "/"
    assert csrf["httponly"] is False  # the page's script reads it to send X-CSRF-Token
    assert len(session["value"]) >= 43
    assert int(session["max-age"]) > 0
    assert response.json()["csrf_token"] == csrf["value"]
    assert response.json()["account"]["email"] == world["admin"].email
    assert session["value"] not in response.text  # the session token is never in the body


async def test_cookies_are_secure_when_served_over_https(sqlite_db: Database) -> None:
    app = make_app(sqlite_db, base_url="https://boka.example.se")
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="https://boka.example.se") as c:
        world = await build_world(sqlite_db, c)
        cookies = _set_cookies(await _login(c, world["admin"].email))
    assert cookies[SESSION_COOKIE]["secure"] and cookies[CSRF_COOKIE]["secure"]


async def test_me_works_with_the_cookie_and_logout_revokes_it(fresh: httpx.AsyncClient, world: World) -> None:
    assert (await _login(fresh, world["guardian"].email)).status_code == 200
    session = fresh.cookies[SESSION_COOKIE]
    me = await fresh.get("/api/auth/me")
    assert me.status_code == 200
    assert me.json()["account"]["email"] == world["guardian"].email
    assert me.json()["account"]["roles"] == [{"role": "guardian", "scope_id": None}]

    logout = await fresh.post("/api/auth/logout", headers={CSRF_HEADER: fresh.cookies[CSRF_COOKIE]})
    assert logout.status_code == 204
    cleared = _set_cookies(logout)
    assert cleared[SESSION_COOKIE]["value"] == "" and int(cleared[SESSION_COOKIE]["max-age"]) == 0
    assert int(cleared[CSRF_COOKIE]["max-age"]) == 0

    # the old cookie, presented again (a copy kept by an attacker), no longer works
    fresh.cookies.set(SESSION_COOKIE, session)
    body = _assert_problem(await fresh.get("/api/auth/me"), 401)
    assert "sign" in body["detail"].lower()


async def test_an_expired_session_cookie_is_refused(fresh: httpx.AsyncClient, world: World,
                                                    sqlite_db: Database) -> None:
    token, _ = await AuthStore(sqlite_db).create(
        uuid.UUID(world["admin"].account_id), "browser", datetime.now(UTC) - timedelta(days=30),
        lifetime=timedelta(days=14), idle=timedelta(hours=12))
    fresh.cookies.set(SESSION_COOKIE, token)
    body = _assert_problem(await fresh.get("/api/auth/me"), 401)
    assert "expired" in body["detail"]


async def test_an_idle_session_expires(sqlite_db: Database) -> None:
    from booking.api.app import create_app
    from booking.domain.shared.clock import FixedClock
    from tests.conftest import FAST_HASHER
    from tests.conftest import test_settings as settings_for_tests

    clock = FixedClock(datetime.now(UTC))
    app = create_app(settings_for_tests(session_idle_minutes=30), db=sqlite_db, hasher=FAST_HASHER, clock=clock)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as c:
        world = await build_world(sqlite_db, c)
        assert (await _login(c, world["admin"].email)).status_code == 200
        clock.move_to(clock.now() + timedelta(minutes=20))
        assert (await c.get("/api/auth/me")).status_code == 200  # activity slides the idle expiry
        clock.move_to(clock.now() + timedelta(minutes=20))
        assert (await c.get("/api/auth/me")).status_code == 200
        clock.move_to(clock.now() + timedelta(minutes=31))
        _assert_problem(await c.get("/api/auth/me"), 401)


async def test_session_cookies_and_api_tokens_are_not_interchangeable(
    fresh: httpx.AsyncClient, client: httpx.AsyncClient, world: World
) -> None:
    assert (await _login(fresh, world["admin"].email)).status_code == 200
    session = fresh.cookies[SESSION_COOKIE]
    _assert_problem(await client.get("/api/auth/me", headers=_bearer(session)), 401)
    client.cookies.set(SESSION_COOKIE, world["admin"].token)
    _assert_problem(await client.get("/api/auth/me"), 401)


# --- failed sign-ins -----------------------------------------------------------------------------


async def test_wrong_password_and_unknown_email_answer_the_same(client: httpx.AsyncClient, world: World) -> None:
    for path in ("/api/auth/login", "/api/auth/tokens"):
        wrong = await client.post(path, json={"email": world["admin"].email, "password": "fel-lösenord-123"})
        unknown = await client.post(path, json={"email": "ingen.alls@example.se", "password": PASSWORD})
        malformed = await client.post(path, json={"email": "inte-en-adress", "password": PASSWORD})
        bodies = [_assert_problem(r, 401) for r in (wrong, unknown, malformed)]
        assert {(b["type"], b["title"], b["detail"]) for b in bodies} == {(
            bodies[0]["type"], bodies[0]["title"], bodies[0]["detail"])}
        assert wrong.headers["www-authenticate"] == unknown.headers["www-authenticate"]
        assert SESSION_COOKIE not in _set_cookies(wrong)


async def test_login_is_rate_limited_per_account(sqlite_db: Database) -> None:
    app = make_app(sqlite_db, login_max_failures_per_account=3, login_max_failures_per_client=50)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as c:
        world = await build_world(sqlite_db, c)
        victim, other = world["guardian"].email, world["borrower"].email
        for _ in range(3):
            _assert_problem(await _login(c, victim, "fel-lösenord-123"), 401)
        # the limit is reached: even the right password is refused, on both sign-in routes
        for response in (await _login(c, victim),
                         await c.post("/api/auth/tokens", json={"email": victim, "password": PASSWORD})):
            body = _assert_problem(response, 429)
            assert body["type"].endswith("rate-limited")
            assert 0 < int(response.headers["retry-after"]) <= 15 * 60 + 1
            assert SESSION_COOKIE not in _set_cookies(response)
        # another account from the same client still signs in
        assert (await _login(c, other)).status_code == 200
        # a signed-in session is not affected
        assert (await c.get("/api/auth/me", headers=world["admin"].headers)).status_code == 200


async def test_a_successful_sign_in_resets_the_account_counter(sqlite_db: Database) -> None:
    app = make_app(sqlite_db, login_max_failures_per_account=3)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as c:
        world = await build_world(sqlite_db, c)
        email = world["guardian"].email
        for _ in range(2):
            _assert_problem(await _login(c, email, "fel-lösenord-123"), 401)
        assert (await _login(c, email)).status_code == 200
        for _ in range(2):
            _assert_problem(await _login(c, email, "fel-lösenord-123"), 401)
        assert (await _login(c, email)).status_code == 200


# --- API tokens ----------------------------------------------------------------------------------


async def test_api_tokens_are_long_work_and_can_be_revoked(client: httpx.AsyncClient, world: World) -> None:
    created = await client.post("/api/auth/tokens", json={"email": world["premises_staff"].email,
                                                          "password": PASSWORD, "name": "Bokningsskript", "days": 7})
    assert created.status_code == 201, created.text
    assert created.headers["cache-control"] == "no-store"
    body = created.json()
    assert body["token_type"] == "Bearer"
    token = body["token"]
    assert len(token) >= 43  # 32 random bytes, URL-safe base64: 256 bits
    expires = datetime.fromisoformat(body["expires_at"])
    assert timedelta(days=6, hours=23) < expires - datetime.now(UTC) <= timedelta(days=7)
    another = (await client.post("/api/auth/tokens", json={"email": world["premises_staff"].email,
                                                           "password": PASSWORD})).json()["token"]
    assert another != token

    me = await client.get("/api/auth/me", headers=_bearer(token))
    assert me.status_code == 200
    assert me.json()["account"]["email"] == world["premises_staff"].email
    assert me.json()["csrf_token"] is None  # bearer clients need no CSRF token

    assert (await client.post("/api/auth/logout", headers=_bearer(token))).status_code == 204
    _assert_problem(await client.get("/api/auth/me", headers=_bearer(token)), 401)
    assert (await client.get("/api/auth/me", headers=_bearer(another))).status_code == 200  # only that one
    _assert_problem(await client.get("/api/auth/me", headers=_bearer(token[:-1] + ("A" if token[-1] != "A"
                                                                                    else "B"))), 401)


async def test_tokens_are_stored_only_as_hashes(client: httpx.AsyncClient, world: World, sqlite_db: Database) -> None:
    async with sqlite_db.read_sessions() as session:
        rows = (await session.execute(sa.select(t.auth_sessions.c.token_hash))).scalars().all()
    assert rows and world["admin"].token not in rows
    assert all(len(h) == 64 for h in rows)


async def test_a_deactivated_account_cannot_sign_in_and_its_token_stops_working(
    client: httpx.AsyncClient, fresh: httpx.AsyncClient, world: World
) -> None:
    staff = world["lending_staff"]
    assert (await _login(fresh, staff.email)).status_code == 200  # a browser session too
    deactivated = await client.patch(f"/api/accounts/{staff.account_id}", headers=world["admin"].headers,
                                     json={"is_active": False})
    assert deactivated.status_code == 200, deactivated.text
    assert deactivated.json()["is_active"] is False

    _assert_problem(await client.get("/api/auth/me", headers=staff.headers), 401)
    _assert_problem(await fresh.get("/api/auth/me"), 401)
    refused = _assert_problem(await _login(client, staff.email), 401)
    wrong = _assert_problem(await _login(client, world["admin"].email, "fel-lösenord-123"), 401)
    assert refused["detail"] == wrong["detail"]  # no hint that the account exists
    _assert_problem(await client.post("/api/auth/tokens", json={"email": staff.email, "password": PASSWORD}), 401)

    reactivated = await client.patch(f"/api/accounts/{staff.account_id}", headers=world["admin"].headers,
                                     json={"is_active": True})
    assert reactivated.status_code == 200
    assert (await client.get("/api/auth/me", headers=staff.headers)).status_code == 200


# --- passwords and registration ------------------------------------------------------------------


async def _password_hash(db: Database, email: str) -> str:
    async with db.read_sessions() as session:
        return str((await session.execute(
            sa.select(t.accounts.c.password_hash).where(t.accounts.c.email == email))).scalar_one())


async def test_registration_creates_an_account_without_roles_with_an_argon2id_hash(
    client: httpx.AsyncClient, world: World, sqlite_db: Database
) -> None:
    password = "ett-långt-lösenord-för-test"
    response = await client.post("/api/auth/register", json={
        "municipality": world.slug, "email": "Ny.Foralder@Example.se", "display_name": "Ny Förälder",
        "password": password})
    assert response.status_code == 201, response.text
    account = response.json()
    assert account["roles"] == []
    assert account["email"] == "ny.foralder@example.se"
    assert account["municipality_id"] == world.municipality_id
    assert "password" not in response.text.lower()

    stored = await _password_hash(sqlite_db, "ny.foralder@example.se")
    assert stored.startswith("$argon2id$")
    assert password not in stored
    assert (await _login(client, "ny.foralder@example.se", password)).status_code == 200
    # the accounts made by the seed are argon2id too
    assert (await _password_hash(sqlite_db, world["admin"].email)).startswith("$argon2id$")


@pytest.mark.parametrize(("change", "field"), [
    ({"municipality": "finns-inte"}, "municipality"),
    ({"password": "kort"}, "password"),
    ({"email": "inte-en-adress"}, "email"),
    ({"display_name": "<script>alert(1)</script>"}, "display_name"),
    ({"locale": "de"}, "locale"),
    ({"roles": [{"role": "admin"}]}, "roles"),
])
async def test_registration_refuses_bad_input_naming_the_field(
    client: httpx.AsyncClient, world: World, sqlite_db: Database, change: dict[str, Any], field: str
) -> None:
    from booking.adapters.db.queries import Queries

    before = await Queries(sqlite_db).table_counts()
    body = {"municipality": world.slug, "email": "ny.person@example.se", "display_name": "Ny Person",
            "password": "ett-långt-lösenord-för-test", **change}
    problem = _assert_problem(await client.post("/api/auth/register", json=body), 422)
    assert [e["field"] for e in problem["errors"]] == [field]
    assert await Queries(sqlite_db).table_counts() == before


async def test_a_burst_of_parallel_guesses_is_held_to_the_limit(db: Database) -> None:
    """Checking the count and recording a failure must not race: 20 guesses sent at once get at
    most `limit` password checks; the rest are refused unchecked. On both engines."""
    import asyncio

    app = make_app(db, login_max_failures_per_account=3, login_max_failures_per_client=1000)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as c:
        world = await build_world(db, c)
        email = world["guardian"].email
        answers = await asyncio.gather(*(_login(c, email, f"gissning-nummer-{i}") for i in range(20)))
        statuses = [a.status_code for a in answers]
        assert set(statuses) <= {401, 429}, statuses
        assert statuses.count(401) <= 3, statuses
        # guesses that were never checked do not count; those that were do: in all, exactly 3 are checked
        for _ in range(3 - statuses.count(401)):
            _assert_problem(await _login(c, email, "ännu-en-gissning"), 401)
        _assert_problem(await _login(c, email, "ännu-en-gissning"), 429)
        _assert_problem(await _login(c, email), 429)


async def test_behind_a_proxy_the_throttle_counts_the_address_the_proxy_saw(
    sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A client cannot dodge the per-client limit by sending its own X-Forwarded-For entries."""
    from booking.api import sign_in_throttle

    async def no_wait(seconds: float) -> None:
        return None

    monkeypatch.setattr(sign_in_throttle, "sleep", no_wait)
    app = make_app(sqlite_db, trust_proxy_headers=True, login_max_failures_per_account=100,
                   login_max_failures_per_client=3)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as c:
        world = await build_world(sqlite_db, c)
        for i in range(3):
            spoofed = {"X-Forwarded-For": f"10.0.{i}.1, 203.0.113.7"}  # the proxy appended the real address
            _assert_problem(await c.post("/api/auth/login", headers=spoofed,
                                         json={"email": world["guardian"].email, "password": "fel-lösenord-123"}),
                            401)
        # a fourth guess with yet another made-up first entry still counts as 203.0.113.7, now over its limit
        _assert_problem(await c.post("/api/auth/login", headers={"X-Forwarded-For": "10.9.9.9, 203.0.113.7"},
                                     json={"email": world["guardian"].email, "password": PASSWORD}), 429)
        # another client behind the same proxy is not affected
        other = await c.post("/api/auth/login", headers={"X-Forwarded-For": "198.51.100.4"},
                             json={"email": world["guardian"].email, "password": PASSWORD})
        assert other.status_code == 200, other.text


async def test_the_session_cookie_lives_as_long_as_the_session(sqlite_db: Database) -> None:
    """The cookie's Max-Age follows the (injected) clock that dated the session row."""
    from booking.api.app import create_app
    from booking.domain.shared.clock import FixedClock
    from tests.conftest import FAST_HASHER
    from tests.conftest import test_settings as settings_for_tests

    clock = FixedClock(datetime.now(UTC) - timedelta(days=3))
    app = create_app(settings_for_tests(session_max_days=14), db=sqlite_db, hasher=FAST_HASHER, clock=clock)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as c:
        world = await build_world(sqlite_db, c)
        cookies = _set_cookies(await _login(c, world["admin"].email))
    assert int(cookies[SESSION_COOKIE]["max-age"]) == 14 * 24 * 3600
