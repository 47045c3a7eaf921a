"""The HTTP edge: API writes take JSON only (415 otherwise), sign-in routes refuse other sites (403),
and JSON nested too deep is refused before it is decoded (400). Nothing changes on a refusal."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from booking.adapters.db.database import Database
from booking.adapters.db.queries import Queries
from booking.api.access import CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE, is_own_origin
from booking.api.edge import MAX_JSON_DEPTH, is_json_media_type, json_nesting_depth_exceeds
from tests.conftest import PASSWORD, World, build_world, make_app

FOREIGN = "https://elak.example.com"


def _problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, (response.request.url, response.text)
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["status"] == status and body["type"].startswith("urn:booking:problem:") and body["detail"]
    return body


def _login_body(world: World, role: str = "admin") -> bytes:
    return json.dumps({"email": world[role].email, "password": PASSWORD}).encode()


# --- login CSRF ----------------------------------------------------------------------------------


async def test_a_form_on_another_site_cannot_sign_the_browser_in(
    client: httpx.AsyncClient, world: World, sqlite_db: Database
) -> None:
    """The classic login CSRF: a form (text/plain, so no CORS preflight) posting the attacker's
    credentials. Refused whatever the page sends, and no session cookie is set."""
    before = await Queries(sqlite_db).table_counts()
    attempts = [
        {"Content-Type": "text/plain", "Origin": FOREIGN},
        {"Content-Type": "text/plain;charset=UTF-8", "Origin": FOREIGN, "Sec-Fetch-Site": "cross-site"},
        {"Content-Type": "application/x-www-form-urlencoded", "Origin": FOREIGN},
        {"Content-Type": "text/plain"},  # no Origin at all
        {"Content-Type": "application/json", "Origin": FOREIGN},  # would need CORS, which we never answer
        {"Content-Type": "application/json", "Sec-Fetch-Site": "cross-site"},
        {"Content-Type": "application/json", "Origin": "null"},  # a sandboxed frame
        {"Content-Type": "application/json", "Origin": "http://testserver.elak.example.com"},
    ]
    for headers in attempts:
        response = await client.post("/api/auth/login", content=_login_body(world), headers=headers)
        body = _problem(response, 415 if "json" not in headers["Content-Type"] else 403)
        assert "set-cookie" not in response.headers, headers
        if response.status_code == 415:
            assert [e["field"] for e in body["errors"]] == ["Content-Type"]
        else:
            assert body["type"] == "urn:booking:problem:cross-site"
    assert SESSION_COOKIE not in client.cookies
    after = await Queries(sqlite_db).table_counts()
    assert after["auth_sessions"] == before["auth_sessions"]


async def test_the_apps_own_pages_sign_in_register_and_out(sqlite_db: Database) -> None:
    """Same-origin JSON passes: the Origin the browser sends for the app's own pages (the Host it
    was sent to, or BOOKING_BASE_URL behind a proxy), `Sec-Fetch-Site: same-origin`, or none."""
    app = make_app(sqlite_db, base_url="https://boka.example.se")
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="https://testserver") as c:
        world = await build_world(sqlite_db, c)
        for headers in ({"Origin": "https://testserver", "Sec-Fetch-Site": "same-origin"},
                        {"Origin": "https://boka.example.se"},  # the proxy in front sent Host: testserver
                        {"Origin": "https://BOKA.example.se:443"},
                        {}):
            signed_in = await c.post("/api/auth/login", content=_login_body(world),
                                     headers={"Content-Type": "application/json; charset=utf-8", **headers})
            assert signed_in.status_code == 200, (headers, signed_in.text)
            assert c.cookies.get(SESSION_COOKIE)
            out = await c.post("/api/auth/logout", headers={CSRF_HEADER: c.cookies[CSRF_COOKIE], **headers})
            assert out.status_code == 204, out.text
            c.cookies.clear()
        registered = await c.post("/api/auth/register", headers={"Origin": "https://boka.example.se"}, json={
            "municipality": world.slug, "email": "egen.sida@example.se", "display_name": "Egen Sida",
            "password": PASSWORD})
        assert registered.status_code == 201, registered.text


async def test_other_sites_can_neither_sign_out_nor_register(
    app: Any, client: httpx.AsyncClient, world: World, sqlite_db: Database
) -> None:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as browser:
        assert (await browser.post("/api/auth/login", content=_login_body(world, "guardian"),
                                   headers={"Content-Type": "application/json"})).status_code == 200
        csrf = browser.cookies[CSRF_COOKIE]
        for headers in ({"Origin": FOREIGN}, {"Sec-Fetch-Site": "cross-site"}):
            body = _problem(await browser.post("/api/auth/logout", headers={CSRF_HEADER: csrf, **headers}), 403)
            assert body["type"] == "urn:booking:problem:cross-site"
        assert (await browser.get("/api/auth/me")).status_code == 200  # still signed in
    before = await Queries(sqlite_db).table_counts()
    body = _problem(await client.post("/api/auth/register", headers={"Origin": FOREIGN}, json={
        "municipality": world.slug, "email": "fran.annan.sida@example.se", "display_name": "Annan Sida",
        "password": PASSWORD}), 403)
    assert body["type"] == "urn:booking:problem:cross-site"
    assert await Queries(sqlite_db).table_counts() == before


def test_own_origin() -> None:
    base = "https://boka.example.se"
    assert is_own_origin("https://boka.example.se", "internal:8000", base)
    assert is_own_origin("https://boka.example.se:443", None, base)
    assert is_own_origin("http://127.0.0.1:8000", "127.0.0.1:8000", base)
    assert not is_own_origin("http://127.0.0.1:8001", "127.0.0.1:8000", base)
    assert not is_own_origin("http://boka.example.se", "internal:8000", base)  # another scheme, another origin
    for foreign in (FOREIGN, "null", "", "boka.example.se", "https://boka.example.se.elak.com", "https://[::1",
                    "https://boka.example.se:99999", "javascript:alert(1)"):
        assert not is_own_origin(foreign, "internal:8000", base), foreign


# --- JSON only -----------------------------------------------------------------------------------


async def test_api_writes_take_json_only(client: httpx.AsyncClient, world: World, sqlite_db: Database) -> None:
    admin = world["admin"].headers
    writes: list[tuple[str, str, dict[str, Any]]] = [
        ("POST", "/api/spaces", {"site_id": world.site_id, "name": "Formsalen", "kind": "gym", "capacity": 9}),
        ("PATCH", f"/api/sites/{world.site_id}", {"name": "Formskolan"}),
        ("PUT", f"/api/spaces/{world.space_id}/opening-hours",
         {"general": [{"weekday": 0, "opens": "08:00", "closes": "09:00"}]}),
        ("POST", "/api/auth/tokens", {"email": world["admin"].email, "password": PASSWORD}),
        ("DELETE", f"/api/areas/{world.area_id}", {"x": "1"}),
        ("POST", "/api/auth/register", {"municipality": world.slug, "email": "form@example.se",
                                        "display_name": "Form", "password": PASSWORD}),
    ]
    before = await Queries(sqlite_db).table_counts()
    for method, url, fields in writes:
        for kind in ("form", "multipart", "text", "bare"):
            flat = {k: str(v) for k, v in fields.items()}
            if kind == "form":
                request: dict[str, Any] = {"data": flat}
            elif kind == "multipart":
                request = {"data": flat, "files": {"file": ("a.csv", b"a;b\n1;2\n", "text/csv")}}
            elif kind == "text":
                request = {"content": json.dumps(fields), "headers": {"Content-Type": "text/plain"}}
            else:  # a body with no Content-Type at all
                request = {"content": json.dumps(fields).encode()}
            headers = {**admin, **request.pop("headers", {})}
            response = await client.request(method, url, headers=headers, **request)
            body = _problem(response, 415)
            assert [e["field"] for e in body["errors"]] == ["Content-Type"], body
            assert body["type"] == "urn:booking:problem:unsupported-media-type"
    assert await Queries(sqlite_db).table_counts() == before
    assert (await client.get(f"/api/sites/{world.site_id}")).json()["name"] == "Testskolan"

    # JSON under its structured names passes, and so do writes with no body at all.
    patched = await client.patch(f"/api/sites/{world.site_id}", content=json.dumps({"name": "Jsonskolan"}),
                                 headers={**admin, "Content-Type": "application/merge-patch+json"})
    assert patched.status_code == 200, patched.text
    rotated = await client.post(f"/api/associations/{world.association_id}/feed-token",
                                headers=world["association_rep"].headers)
    assert rotated.status_code in (200, 201), rotated.text


def test_json_media_types() -> None:
    for ok in ("application/json", "Application/JSON; charset=utf-8", "application/merge-patch+json",
               "application/problem+json"):
        assert is_json_media_type(ok), ok
    for no in ("text/plain", "text/json", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
               "application/+json", "application/jsonp", ""):
        assert not is_json_media_type(no), no


# --- deep JSON -----------------------------------------------------------------------------------


def _nested(levels: int) -> bytes:
    return b'{"email": ' + b"[" * levels + b"]" * levels + b', "password": "x"}'


@pytest.mark.parametrize("levels", [1000, MAX_JSON_DEPTH - 1])  # inside an object: 1001 and 64 levels
async def test_json_nested_too_deep_is_refused_before_decoding(
    client: httpx.AsyncClient, world: World, sqlite_db: Database, levels: int
) -> None:
    """About 2 KB of brackets used to exhaust the decoder's stack (500, RecursionError)."""
    body = _nested(levels)
    json_headers = {"Content-Type": "application/json"}
    before = await Queries(sqlite_db).table_counts()
    calls = [
        ("POST", "/api/auth/login", {}),  # public, anonymous
        ("POST", "/api/spaces", world["admin"].headers),  # signed in
        ("PATCH", f"/api/associations/{world.association_id}", world["association_rep"].headers),
        ("POST", "/api/bookings", {**world["association_rep"].headers, "Idempotency-Key": "djup-1"}),
    ]
    for method, url, headers in calls:
        response = await client.request(method, url, content=body, headers={**json_headers, **headers})
        if levels >= MAX_JSON_DEPTH:
            problem = _problem(response, 400)
            assert problem["errors"][0]["field"] == "body" and problem["errors"][0]["code"] == "too-deep"
            assert str(MAX_JSON_DEPTH) in problem["detail"]
        else:  # as deep as allowed: decoded and judged on what it says, never a 500
            assert response.status_code < 500, response.text
            assert "too-deep" not in response.text
    after = await Queries(sqlite_db).table_counts()
    if levels >= MAX_JSON_DEPTH:
        assert after == before  # the refused idempotent request was not stored either
    else:  # only the invalid booking's 422, stored under its Idempotency-Key
        assert {k: v for k, v in after.items() if k != "idempotency_keys"} == \
            {k: v for k, v in before.items() if k != "idempotency_keys"}


async def test_brackets_inside_strings_are_text(client: httpx.AsyncClient, world: World) -> None:
    name = "[{" * 200
    response = await client.patch(f"/api/sites/{world.site_id}", headers=world["admin"].headers,
                                  json={"description": name})
    assert response.status_code == 200, response.text
    assert response.json()["description"] == name


def test_the_depth_scan() -> None:
    assert not json_nesting_depth_exceeds(b"[" * 64 + b"]" * 64)
    assert json_nesting_depth_exceeds(b"[" * 65 + b"]" * 65)
    assert json_nesting_depth_exceeds(b"[{" * 33 + b"}]" * 33)
    assert not json_nesting_depth_exceeds(b"[" + b"[[]]," * 10_000 + b"[]]")  # wide, not deep
    assert not json_nesting_depth_exceeds(json.dumps({"a": "[" * 5000, "b": '\\"[[[' * 100}).encode())
    assert not json_nesting_depth_exceeds(b"]" * 100 + b"[" * 64)  # stray closers do not deepen what follows
    assert json_nesting_depth_exceeds(b"[" * 2_000_000)  # unclosed
    assert not json_nesting_depth_exceeds(b'["' + b"[" * 100)  # an unterminated string runs to the end
    assert json_nesting_depth_exceeds(b"[" * 10 + b"[]" * 100 + b"[" * 60, limit=64)
