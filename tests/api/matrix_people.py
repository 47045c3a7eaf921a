"""The authorization matrix's requests for the people's operations: invitations, password resets and
the audit log.

`REQUESTS` maps operationId -> a minimal valid request (see test_authorization_matrix); these
operations take no path parameters."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from tests.conftest import PASSWORD, World, random_ref

NO_BODY: Callable[[World], dict[str, Any]] = lambda w: {}  # noqa: E731


def _email() -> str:
    return f"{random_ref('inbjuden-')}@example.se"


REQUESTS: dict[str, Any] = {
    # Without roles, so every role the guard lets in may send it (roles are checked in the service).
    "inviteAccount": lambda w: {"json": {"email": _email(), "display_name": "Inbjuden Person"}},
    "requestPasswordReset": lambda w: {"json": {"email": _email()}},
    "setPassword": lambda w: {"json": {"token": "A" * 43, "password": PASSWORD}},
    "listAuditEntries": lambda w: {"params": {"entity": "account"}},
}


async def path_ids(client: httpx.AsyncClient, world: World, path: str, operation_id: str) -> dict[str, str]:
    return {}
