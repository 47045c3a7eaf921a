"""A real OpenID Connect provider for the tests: tests/oidc/provider.mjs (the npm package oidc-provider)
started with node on a free loopback port, and a person's way through its sign-in with httpx.

`make test` installs the package (`npm ci` in tests/oidc, when npm is there); nothing is downloaded
while the tests run. When node or the package is missing the tests are skipped with the reason, unless
BOOKING_REQUIRE_OIDC=1 (CI sets it), which turns that into a failure.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import httpx
import pytest

from tests.conftest import require

HERE = Path(__file__).parent / "oidc"
CLIENT_SECRET = "booking-test-secret"

# The directory's people: their groups map to roles (see GROUPS_TO_ROLES in the tests) or to none.
ACCOUNTS: dict[str, dict[str, Any]] = {
    "anna": {"email": "anna.admin@kommun.example", "email_verified": True, "name": "Anna Andersson",
             "groups": ["booking-admins", "all-staff"]},
    "bo": {"email": "bo.bokning@kommun.example", "email_verified": True, "name": "Bo Berg",
           "groups": ["premises", "all-staff"]},
    "cecilia": {"email": "cecilia@kommun.example", "email_verified": True, "name": "Cecilia Carlsson",
                "groups": ["all-staff", "kitchen"]},
    "dan": {"email": "dan@kommun.example", "email_verified": False, "name": "Dan Dahl", "groups": ["premises"]},
}


def unavailable() -> str | None:
    """Why the provider cannot be started here, or None."""
    if shutil.which("node") is None:
        return "node is not installed"
    if not (HERE / "node_modules" / "oidc-provider").is_dir():
        return "the npm package oidc-provider is not installed (make test, or: cd tests/oidc && npm ci)"
    return None


def skip_or_fail_without_provider() -> None:
    reason = unavailable()
    if reason is not None:
        if require("BOOKING_REQUIRE_OIDC"):
            pytest.fail(f"OpenID Connect provider unavailable: {reason} (BOOKING_REQUIRE_OIDC=1)")
        pytest.skip(reason=f"OpenID Connect provider unavailable: {reason}")


@dataclass
class Provider:
    issuer: str
    process: subprocess.Popen[str]


@contextmanager
def running_provider(redirect_uris: list[str], *, clients: Sequence[str] = ("booking",),
                     wrong_audience: Sequence[str] = (), tampered: Sequence[str] = (),
                     id_token_ttl: int = 60, accounts: dict[str, dict[str, Any]] | None = None,
                     ) -> Iterator[Provider]:
    """Each client id of `clients` is registered with CLIENT_SECRET and `redirect_uris`; the people are
    `accounts` (ACCOUNTS unless given)."""
    skip_or_fail_without_provider()
    config = {
        "clients": [{"client_id": c, "client_secret": CLIENT_SECRET, "redirect_uris": redirect_uris}
                    for c in clients],
        "accounts": ACCOUNTS if accounts is None else accounts, "id_token_ttl": id_token_ttl,
        "wrong_audience": list(wrong_audience), "tampered": list(tampered),
    }
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(config, f)
    process = subprocess.Popen(["node", str(HERE / "provider.mjs"), f.name], cwd=HERE, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        if not line:
            raise RuntimeError(f"the OpenID Connect provider did not start (exit {process.wait(5)})")
        yield Provider(json.loads(line)["issuer"], process)
    finally:
        process.terminate()
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:
            process.kill()
        os.unlink(f.name)


_FORM = re.compile(r'<form[^>]*action="([^"]+)"[^>]*method="post"', re.I)


async def sign_in_at_provider(authorization_url: str, login: str, *, stop_at: str) -> str:
    """Follow the provider's pages as a person would: its login form (the account id, any password),
    then its consent form, until it sends the browser to a URL starting with `stop_at`; returns that URL."""
    url = authorization_url
    async with httpx.AsyncClient(follow_redirects=False, timeout=10) as browser:
        response = await browser.get(url)
        for _ in range(20):
            if response.status_code in (302, 303):
                url = urljoin(url, response.headers["location"])
                if url.startswith(stop_at):
                    return url
                response = await browser.get(url)
                continue
            assert response.status_code == 200, (response.status_code, response.text[:500])
            action = _FORM.search(response.text)
            assert action, response.text[:1000]
            prompt = "login" if 'name="login"' in response.text else "consent"
            form = {"prompt": prompt} | ({"login": login, "password": "any"} if prompt == "login" else {})
            url = urljoin(url, unescape(action.group(1)))
            response = await browser.post(url, data=form)
    raise AssertionError("the provider's sign-in did not end")
