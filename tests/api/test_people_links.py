"""Invitations and password resets over HTTP, on both engines: the invitation's e-mail carries a link
that is followed to choose a password, after which the person signs in; a reset answers the same for
unknown and known addresses; a used or expired link is refused naming `token`; a staff member narrowed
to a site invites to that site only. And the audit log that admins read."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
import sqlalchemy as sa

from booking.adapters.db import tables as t
from booking.adapters.db import tables_people as tp
from booking.adapters.db.database import Database
from booking.adapters.db.queries import Queries
from tests.conftest import PASSWORD, World, build_world, make_app

NEW_PASSWORD = "mitt-eget-nya-lösenord"
LINK = re.compile(r"(http://testserver/set-password\.html)\?token=([A-Za-z0-9_-]+)")


@pytest.fixture
async def api(db: Database) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=make_app(db)),
                                 base_url="http://testserver") as client:
        yield client


@pytest.fixture
async def world(db: Database, api: httpx.AsyncClient) -> World:
    return await build_world(db, api)


async def _mail(db: Database, email: str, kind: str) -> list[str]:
    async with db.read_sessions() as s:
        return list((await s.execute(sa.select(t.outbox.c.body).where(
            t.outbox.c.recipient == email, t.outbox.c.kind == kind).order_by(t.outbox.c.created_at))).scalars())


async def _link(db: Database, email: str, kind: str) -> tuple[str, str]:
    """The page and the token of the last link mailed to `email`."""
    bodies = await _mail(db, email, kind)
    assert bodies, f"no {kind} mail to {email}"
    found = LINK.search(bodies[-1])
    assert found, bodies[-1]
    return found.group(1), found.group(2)


async def _sign_in(api: httpx.AsyncClient, email: str, password: str) -> httpx.Response:
    response = await api.post("/api/auth/login", json={"email": email, "password": password})
    api.cookies.clear()
    return response


async def test_an_invited_person_follows_the_link_chooses_a_password_and_signs_in(
        db: Database, api: httpx.AsyncClient, world: World) -> None:
    email = f"ny.personal.{world.slug}@example.se"
    invited = await api.post("/api/accounts/invitations", headers=world["admin"].headers, json={
        "email": email, "display_name": "Ny Personal", "locale": "en",
        "roles": [{"role": "premises_staff", "scope_id": world.site_id}]})
    assert invited.status_code == 201, invited.text
    assert invited.json()["roles"] == [{"role": "premises_staff", "scope_id": world.site_id}]
    assert invited.headers["location"] == f"/api/accounts/{invited.json()['id']}"
    assert (await _sign_in(api, email, "")).status_code in (401, 422)  # no password yet

    page, token = await _link(db, email, "account.invited")
    followed = await api.get(page, params={"token": token})
    assert followed.status_code == 200 and "set-password" in followed.text
    async with db.read_sessions() as s:
        stored = (await s.execute(sa.select(tp.one_time_links))).one()
    assert stored.token_hash != token and token not in str(stored)
    assert stored.kind == "invite" and stored.used_at is None

    chosen = await api.post("/api/auth/password", json={"token": token, "password": NEW_PASSWORD})
    assert chosen.status_code == 204, chosen.text
    assert "set-cookie" not in chosen.headers  # choosing a password signs nothing in
    signed_in = await _sign_in(api, email, NEW_PASSWORD)
    assert signed_in.status_code == 200, signed_in.text
    assert signed_in.json()["account"]["roles"] == [{"role": "premises_staff", "scope_id": world.site_id}]

    again = await api.post("/api/auth/password", json={"token": token, "password": "ett-annat-lösenord"})
    assert again.status_code == 422
    assert again.headers["content-type"].startswith("application/problem+json")
    assert [(e["field"], e["code"]) for e in again.json()["errors"]] == [("token", "used")]
    assert (await _sign_in(api, email, NEW_PASSWORD)).status_code == 200

    taken = await api.post("/api/accounts/invitations", headers=world["admin"].headers, json={
        "email": email, "display_name": "Igen"})
    assert taken.status_code == 409


async def test_a_reset_answers_the_same_for_unknown_and_known_addresses(
        db: Database, api: httpx.AsyncClient, world: World) -> None:
    known, unknown = world["guardian"].email, f"ingen.{world.slug}@example.se"
    answers = [await api.post("/api/auth/password-reset", json={"email": e}) for e in (unknown, known.upper())]
    for answer in answers:
        assert answer.status_code == 202, answer.text
        assert answer.headers["cache-control"] == "no-store"
    assert answers[0].json() == answers[1].json()
    assert answers[0].headers["content-type"] == answers[1].headers["content-type"]
    assert await _mail(db, unknown, "account.password_reset") == []
    [body] = await _mail(db, known, "account.password_reset")
    assert "nytt lösenord" in body and "new password" in body

    # Using the link sets the password and ends the account's sessions (the world's API token too).
    assert (await api.get("/api/auth/me", headers=world["guardian"].headers)).status_code == 200
    _, token = await _link(db, known, "account.password_reset")
    short = await api.post("/api/auth/password", json={"token": token, "password": "kort"})
    assert short.status_code == 422 and short.json()["errors"][0]["field"] == "password"
    chosen = await api.post("/api/auth/password", json={"token": token, "password": NEW_PASSWORD})
    assert chosen.status_code == 204, chosen.text
    assert (await api.get("/api/auth/me", headers=world["guardian"].headers)).status_code == 401
    assert (await _sign_in(api, known, PASSWORD)).status_code == 401
    assert (await _sign_in(api, known, NEW_PASSWORD)).status_code == 200

    # Throttled per address, known or not alike.
    for email in (known, unknown):
        statuses = [(await api.post("/api/auth/password-reset", json={"email": email})).status_code
                    for _ in range(4)]
        assert statuses[-1] == 429, (email, statuses)


async def test_an_expired_or_unknown_link_is_refused_naming_the_token(
        db: Database, api: httpx.AsyncClient, world: World) -> None:
    email = world["borrower"].email
    assert (await api.post("/api/auth/password-reset", json={"email": email})).status_code == 202
    _, token = await _link(db, email, "account.password_reset")
    async with db.write_sessions() as s, s.begin():
        await s.execute(sa.update(tp.one_time_links).values(expires_at=datetime.now(UTC) - timedelta(seconds=1)))
    counts = await Queries(db).table_counts()
    for presented, code in ((token, "expired"), ("A" * 43, "unknown")):
        refused = await api.post("/api/auth/password", json={"token": presented, "password": NEW_PASSWORD})
        assert refused.status_code == 422, refused.text
        assert [(e["field"], e["code"]) for e in refused.json()["errors"]] == [("token", code)]
    assert await Queries(db).table_counts() == counts
    assert (await _sign_in(api, email, PASSWORD)).status_code == 200


async def test_a_staff_member_narrowed_to_a_site_invites_to_that_site_only(
        db: Database, api: httpx.AsyncClient, world: World) -> None:
    admin = world["admin"].headers
    other = await api.post("/api/sites", headers=admin, json={
        "name": "Annan skola", "address": {"street": "Gatan 2", "postal_code": "85351", "city": "Sundsvall"}})
    assert other.status_code == 201, other.text
    email = f"lokal.{world.slug}@example.se"
    made = await api.post("/api/accounts", headers=admin, json={
        "email": email, "display_name": "Lokal Personal", "password": PASSWORD,
        "roles": [{"role": "premises_staff", "scope_id": world.site_id}]})
    assert made.status_code == 201, made.text
    token = (await api.post("/api/auth/tokens", json={"email": email, "password": PASSWORD})).json()["token"]
    narrowed = {"Authorization": f"Bearer {token}"}

    def invitation(n: int, *roles: dict[str, str]) -> dict[str, object]:
        return {"email": f"inbjuden{n}.{world.slug}@example.se", "display_name": "Inbjuden", "roles": list(roles)}

    counts = await Queries(db).table_counts()
    for n, grant in enumerate(({"role": "premises_staff", "scope_id": other.json()["id"]},
                               {"role": "premises_staff"}, {"role": "admin"},
                               {"role": "lending_staff", "scope_id": world.site_id})):
        refused = await api.post("/api/accounts/invitations", headers=narrowed, json=invitation(n, grant))
        assert refused.status_code == 403, (grant, refused.text)
        assert refused.json()["type"] != "urn:booking:problem:role-not-allowed"
    assert await Queries(db).table_counts() == counts
    ok = await api.post("/api/accounts/invitations", headers=narrowed,
                        json=invitation(9, {"role": "premises_staff", "scope_id": world.site_id}))
    assert ok.status_code == 201, ok.text
    assert await _mail(db, f"inbjuden9.{world.slug}@example.se", "account.invited")
    refused = await api.post("/api/accounts/invitations", headers=world["association_rep"].headers,
                             json=invitation(10))
    assert refused.status_code == 403


async def test_admins_read_and_filter_their_own_audit_log(db: Database, api: httpx.AsyncClient,
                                                          world: World) -> None:
    admin = world["admin"].headers
    other = await build_world(db, api)
    for w, n in ((world, 1), (other, 2)):
        invited = await api.post("/api/accounts/invitations", headers=w["admin"].headers, json={
            "email": f"logg{n}.{w.slug}@example.se", "display_name": "Loggad"})
        assert invited.status_code == 201, invited.text
    mine = (await api.get("/api/audit", headers=admin)).json()
    assert mine["total"] >= 1 and "account.invited" in mine["actions"]
    assert all(e["entity_id"] != other.municipality_id for e in mine["items"])
    [entry] = (await api.get("/api/audit", headers=admin, params={"action": "account.invited"})).json()["items"]
    assert entry["actor_id"] == world["admin"].account_id and entry["actor_name"] == "Admin"
    assert (entry["entity"], entry["details"]) == ("account", {"roles": []})
    by_entity = (await api.get("/api/audit", headers=admin, params={
        "entity": "account", "entity_id": entry["entity_id"]})).json()
    assert [e["id"] for e in by_entity["items"]] == [entry["id"]]
    by_actor = (await api.get("/api/audit", headers=admin, params={"actor_id": world["admin"].account_id})).json()
    assert entry["id"] in [e["id"] for e in by_actor["items"]]
    future = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    assert (await api.get("/api/audit", headers=admin, params={"from": future})).json()["items"] == []
    assert (await api.get("/api/audit", headers=admin, params={"to": future, "action": "account.invited"})
            ).json()["total"] == 1
    assert (await api.get("/api/audit", headers=world["premises_staff"].headers)).status_code == 403
    naive = await api.get("/api/audit", headers=admin, params={"from": "2027-01-01T00:00:00"})
    assert naive.status_code == 422 and naive.json()["errors"][0]["field"] == "from"
