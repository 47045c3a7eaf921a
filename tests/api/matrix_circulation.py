"""The authorization matrix's requests for the operations of lending circulation (loans, returns, renewals, holds).

`REQUESTS` maps operationId -> a minimal valid request (see test_authorization_matrix);
`path_ids` supplies the ids of this part's path parameters."""

from __future__ import annotations

from typing import Any

import httpx

from tests.conftest import World

REQUESTS: dict[str, Any] = {}


async def path_ids(client: httpx.AsyncClient, world: World, path: str, operation_id: str) -> dict[str, str]:
    return {}
