"""The authorization matrix's requests for OpenID Connect sign-in: the settings (admins of the
municipality; `{municipality_id}` is the world's own) and the public flow routes.

`REQUESTS` maps operationId -> a minimal valid request (see test_authorization_matrix); `path_ids`
supplies the `{municipality}` (a slug) of the start route."""

from __future__ import annotations

from typing import Any

import httpx

from tests.conftest import World

REQUESTS: dict[str, Any] = {
    "getSignInSettings": lambda w: {},
    "putSignInSettings": lambda w: {"json": {"issuer": "https://login.example.se/realms/kommun",
                                             "client_id": "booking"}},
    "listSignInProviders": lambda w: {"params": {"municipality": w.slug}},
    # Not enabled: 303 back to the login page; an unknown state: the same.
    "startOidcSignIn": lambda w: {},
    "oidcCallback": lambda w: {"params": {"state": "A" * 43, "code": "not-a-code"}},
}


async def path_ids(client: httpx.AsyncClient, world: World, path: str, operation_id: str) -> dict[str, str]:
    if "{municipality}" not in path and operation_id:  # "": the cross-municipality walk collects every id
        return {}
    return {"municipality": world.slug}
