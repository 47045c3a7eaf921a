"""The authorization matrix's requests for the set-up checklist and the settings pages' routes.

`REQUESTS` maps operationId -> a minimal valid request (see test_authorization_matrix);
`path_ids` supplies the ids of this part's path parameters (the municipality's is the world's own)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from tests.conftest import World

NO_BODY: Callable[[World], dict[str, Any]] = lambda w: {}  # noqa: E731

REQUESTS: dict[str, Any] = {
    "getSetupChecklist": NO_BODY,
}


async def path_ids(client: httpx.AsyncClient, world: World, path: str, operation_id: str) -> dict[str, str]:
    return {}
