"""Sign-in with the municipality's identity provider, against a REAL OpenID Connect provider (the npm
package oidc-provider on loopback, tests/oidc/provider.mjs), on both engines: a good login makes the
account with the mapped roles and a session that works; a token for another audience, an expired token,
a replayed or unknown state, a tampered signature and a person whose groups map to no role are refused,
with no account and no session."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import sqlalchemy as sa

from booking.adapters.db import tables as t
from booking.adapters.db.database import Database
from booking.adapters.db.tables_oidc import oidc_identities
from booking.api.app import create_app
from booking.domain.shared.clock import FixedClock
from tests.conftest import FAST_HASHER, World, build_world
from tests.conftest import test_settings as settings_for_tests
from tests.oidc_provider import CLIENT_SECRET, Provider, running_provider, sign_in_at_provider

CALLBACK = "http://testserver/api/auth/oidc/callback"
GROUPS_TO_ROLES = [
    {"value": "booking-admins", "role": "admin"},
    {"value": "premises", "role": "premises_staff"},
    {"value": "leisure", "role": "activities_staff"},
]


@pytest.fixture(scope="module")
def provider() -> Iterator[Provider]:
    with running_provider([CALLBACK], clients=["booking", "booking-wrong-aud", "booking-tampered"],
                          wrong_audience=["booking-wrong-aud"], tampered=["booking-tampered"]) as p:
        yield p


@dataclass
class Setup:
    api: httpx.AsyncClient
    clock: FixedClock
    world: World
    db: Database


@pytest.fixture
async def setup(db: Database) -> AsyncIterator[Setup]:
    clock = FixedClock(datetime.now(UTC))  # pinned; moved to the real now as each callback comes
    app = create_app(settings_for_tests(), db=db, hasher=FAST_HASHER, clock=clock)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as api:
        world = await build_world(db, api)
        yield Setup(api, clock, world, db)


async def configure(s: Setup, provider: Provider, client_id: str = "booking", **changes: object) -> None:
    body = {"issuer": provider.issuer, "client_id": client_id, "client_secret": CLIENT_SECRET,
            "scopes": ["openid", "email", "profile", "groups"], "claim": "groups", "mappings": GROUPS_TO_ROLES,
            "create_accounts": True, "enabled": True, **changes}
    response = await s.api.put(f"/api/municipalities/{s.world.municipality_id}/sign-in", json=body,
                               headers=s.world["admin"].headers)
    assert response.status_code == 200, response.text


async def start(s: Setup, return_to: str | None = None) -> str:
    params = {"return_to": return_to} if return_to else {}
    response = await s.api.get(f"/api/auth/oidc/{s.world.slug}/start", params=params)
    assert response.status_code == 303, response.text
    return response.headers["location"]


async def callback(s: Setup, url: str, offset: timedelta = timedelta(0)) -> httpx.Response:
    """The browser back at the app. The app's clock is pinned to now (+ `offset`) as the callback comes:
    the provider signs with the real time, and a busy machine may take its time to get here."""
    s.api.cookies.clear()
    s.clock.move_to(datetime.now(UTC) + offset)
    return await s.api.get(url.removeprefix("http://testserver"))


async def login(s: Setup, who: str) -> httpx.Response:
    return await callback(s, await sign_in_at_provider(await start(s), who, stop_at=CALLBACK))


async def accounts_with(db: Database, email: str) -> int:
    async with db.read_sessions() as session:
        return int((await session.execute(sa.select(sa.func.count()).select_from(t.accounts)
                                          .where(t.accounts.c.email == email))).scalar_one())


def refusal(response: httpx.Response) -> str:
    assert response.status_code == 303, response.text
    assert "booking_session" not in response.cookies
    location = urlsplit(response.headers["location"])
    assert location.path == "/login.html"
    return parse_qs(location.query)["oidc_error"][0]


async def test_a_good_login_creates_the_account_with_the_mapped_roles_and_a_working_session(
        setup: Setup, provider: Provider) -> None:
    await configure(setup, provider)
    authorization = await start(setup, return_to="/bookings.html")
    query = parse_qs(urlsplit(authorization).query)
    assert authorization.startswith(provider.issuer)
    assert query["code_challenge_method"] == ["S256"] and query["nonce"] and query["state"]

    response = await callback(setup, await sign_in_at_provider(authorization, "anna", stop_at=CALLBACK))

    assert response.status_code == 303, response.text
    assert response.headers["location"] == "/bookings.html"
    assert response.cookies.get("booking_session") and response.cookies.get("booking_csrf")
    me = await setup.api.get("/api/auth/me")
    assert me.status_code == 200, me.text
    account = me.json()["account"]
    assert account["email"] == "anna.admin@kommun.example"
    assert account["display_name"] == "Anna Andersson"
    assert account["municipality_id"] == setup.world.municipality_id
    assert [g["role"] for g in account["roles"]] == ["admin"]
    # The cookie session writes like a password sign-in's (CSRF token from /me).
    csrf = me.json()["csrf_token"]
    logout = await setup.api.post("/api/auth/logout", headers={"X-CSRF-Token": csrf, "Origin": "http://testserver"})
    assert logout.status_code == 204
    # The next sign-in finds the same account by its subject: no second account.
    # Started from no page in particular, an administrator of a municipality not yet set up lands on
    # the set-up checklist (as after a password sign-in).
    again = await login(setup, "anna")
    assert again.status_code == 303 and again.headers["location"] == "/setup.html"
    assert await accounts_with(setup.db, "anna.admin@kommun.example") == 1
    async with setup.db.read_sessions() as session:
        links = (await session.execute(sa.select(oidc_identities.c.subject, oidc_identities.c.issuer))).all()
    assert [(r.subject, r.issuer) for r in links] == [("anna", provider.issuer)]


async def test_an_existing_account_is_matched_by_verified_email_and_gets_its_grants_from_the_mapping(
        setup: Setup, provider: Provider) -> None:
    await configure(setup, provider, create_accounts=False)
    created = await setup.api.post("/api/accounts", headers=setup.world["admin"].headers, json={
        "email": "bo.bokning@kommun.example", "display_name": "Bo Berg", "password": "ett-långt-lösenord-1",
        "roles": [{"role": "lending_staff"}, {"role": "association_rep", "scope_id": setup.world.association_id}]})
    assert created.status_code == 201, created.text

    response = await login(setup, "bo")

    assert response.status_code == 303 and response.headers["location"] == "/"
    roles = {g["role"] for g in (await setup.api.get("/api/auth/me")).json()["account"]["roles"]}
    # premises_staff from the mapping; the representative's grant is not the provider's to manage,
    # lending_staff is not either (no mapping gives it), so both stay.
    assert roles == {"premises_staff", "lending_staff", "association_rep"}
    assert await accounts_with(setup.db, "bo.bokning@kommun.example") == 1


async def test_a_person_whose_groups_map_to_no_role_is_refused_and_gets_no_account(
        setup: Setup, provider: Provider) -> None:
    await configure(setup, provider)
    assert refusal(await login(setup, "cecilia")) == "no-role"
    assert await accounts_with(setup.db, "cecilia@kommun.example") == 0
    assert (await setup.api.get("/api/auth/me")).status_code == 401


async def test_an_existing_account_whose_groups_map_to_no_role_is_refused_audited_and_loses_its_staff_role(
        setup: Setup, provider: Provider) -> None:
    await configure(setup, provider)
    created = await setup.api.post("/api/accounts", headers=setup.world["admin"].headers, json={
        "email": "cecilia@kommun.example", "display_name": "Cecilia Carlsson", "password": "ett-långt-lösenord-1",
        "roles": [{"role": "premises_staff"}]})
    assert created.status_code == 201, created.text
    assert refusal(await login(setup, "cecilia")) == "no-role"
    admin = setup.world["admin"].headers
    account = await setup.api.get(f"/api/accounts/{created.json()['id']}", headers=admin)
    assert account.json()["roles"] == []  # the directory no longer puts her in a group that gives it
    audit = await setup.api.get("/api/audit", params={"entity_id": created.json()["id"]}, headers=admin)
    actions = {e["action"]: e for e in audit.json()["items"]}
    assert actions["account.sign_in_refused"]["details"] == {"reason": "no-role", "method": "oidc"}


async def test_without_account_creation_a_new_person_is_refused(setup: Setup, provider: Provider) -> None:
    await configure(setup, provider, create_accounts=False)
    assert refusal(await login(setup, "anna")) == "no-account"
    assert await accounts_with(setup.db, "anna.admin@kommun.example") == 0


async def test_a_token_issued_for_another_audience_is_refused(setup: Setup, provider: Provider,
                                                              caplog: pytest.LogCaptureFixture) -> None:
    await configure(setup, provider, client_id="booking-wrong-aud")
    assert refusal(await login(setup, "anna")) == "unverified"
    assert "issued to another client (aud)" in caplog.text
    assert await accounts_with(setup.db, "anna.admin@kommun.example") == 0


async def test_a_token_whose_signature_was_tampered_with_is_refused(setup: Setup, provider: Provider,
                                                                    caplog: pytest.LogCaptureFixture) -> None:
    await configure(setup, provider, client_id="booking-tampered")
    assert refusal(await login(setup, "anna")) == "unverified"
    assert "signature does not verify" in caplog.text
    assert await accounts_with(setup.db, "anna.admin@kommun.example") == 0


async def test_an_expired_token_is_refused_past_the_clock_skew(setup: Setup, provider: Provider,
                                                               caplog: pytest.LogCaptureFixture) -> None:
    await configure(setup, provider)
    url = await sign_in_at_provider(await start(setup), "anna", stop_at=CALLBACK)
    # The provider's id_tokens live 60 s; the app's clock stands 60 s + the 60 s skew + 5 s later.
    assert refusal(await callback(setup, url, timedelta(seconds=125))) == "unverified"
    assert "The id_token has expired" in caplog.text
    assert await accounts_with(setup.db, "anna.admin@kommun.example") == 0


async def test_a_token_within_the_clock_skew_is_accepted(setup: Setup, provider: Provider) -> None:
    await configure(setup, provider)
    url = await sign_in_at_provider(await start(setup), "bo", stop_at=CALLBACK)
    # The app's clock 30 s behind the provider's: the token seems issued in the future, within the skew.
    assert (await callback(setup, url, -timedelta(seconds=30))).headers["location"] == "/"


async def test_a_replayed_state_is_refused(setup: Setup, provider: Provider) -> None:
    await configure(setup, provider)
    url = await sign_in_at_provider(await start(setup), "anna", stop_at=CALLBACK)
    first = await callback(setup, url)
    assert first.status_code == 303 and first.headers["location"] == "/setup.html"  # anna: an admin
    assert refusal(await callback(setup, url)) == "state"


async def test_an_unknown_state_is_refused(setup: Setup, provider: Provider) -> None:
    await configure(setup, provider)
    url = await sign_in_at_provider(await start(setup), "anna", stop_at=CALLBACK)
    forged = url.replace("state=", "state=x", 1)
    assert refusal(await callback(setup, forged)) == "state"
    assert await accounts_with(setup.db, "anna.admin@kommun.example") == 0


async def test_an_unverified_email_does_not_take_over_an_existing_account(setup: Setup, provider: Provider) -> None:
    await configure(setup, provider)
    created = await setup.api.post("/api/accounts", headers=setup.world["admin"].headers, json={
        "email": "dan@kommun.example", "display_name": "Dan Dahl", "password": "ett-långt-lösenord-1"})
    assert created.status_code == 201, created.text
    assert refusal(await login(setup, "dan")) == "email-taken"
    account = (await setup.api.get(f"/api/accounts/{created.json()['id']}", headers=setup.world["admin"].headers))
    assert account.json()["roles"] == []


async def test_the_login_page_learns_which_municipalities_offer_it(setup: Setup, provider: Provider) -> None:
    listed = await setup.api.get("/api/auth/oidc/providers", params={"municipality": setup.world.slug})
    assert listed.json() == {"items": []}
    await configure(setup, provider)
    listed = await setup.api.get("/api/auth/oidc/providers", params={"municipality": setup.world.slug})
    assert listed.json()["items"] == [{"municipality_id": setup.world.municipality_id, "slug": setup.world.slug,
                                       "name": "Testkommun",
                                       "start_url": f"/api/auth/oidc/{setup.world.slug}/start"}]
    await configure(setup, provider, enabled=False)
    assert (await setup.api.get("/api/auth/oidc/providers")).json() == {"items": []}
    response = await setup.api.get(f"/api/auth/oidc/{setup.world.slug}/start")
    assert refusal(response) == "not-enabled"


async def test_the_client_secret_is_write_only_and_kept_when_not_given(setup: Setup, provider: Provider) -> None:
    await configure(setup, provider)
    path = f"/api/municipalities/{setup.world.municipality_id}/sign-in"
    admin = setup.world["admin"].headers
    body = (await setup.api.get(path, headers=admin)).json()
    assert "client_secret" not in body and CLIENT_SECRET not in str(body)
    assert body["has_secret"] is True
    assert body["redirect_uri"] == CALLBACK
    # Saved again without the secret: the stored one stays, and sign-in still works with it.
    unchanged = {k: body[k] for k in ("issuer", "client_id", "scopes", "claim", "mappings", "create_accounts",
                                      "enabled")}
    again = await setup.api.put(path, headers=admin, json=unchanged)
    assert again.status_code == 200 and again.json()["has_secret"] is True
    assert (await login(setup, "bo")).headers["location"] == "/"
