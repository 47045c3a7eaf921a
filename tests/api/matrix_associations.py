"""The authorization matrix's requests for this part's routes: `createMunicipality`, the installation
operator's route (the association routes are in the matrix's own table).

The route's Access policy is public: no municipality's session or API token counts there, it takes the
operator key instead (`operator_key_guard`). The matrix's app has no BOOKING_OPERATOR_KEY, so every
caller gets 404 as if the route were absent; the key's 401s and the route's work are proven in
test_municipality_creation.py."""

from __future__ import annotations

from typing import Any

import httpx

from tests.conftest import World, random_ref

REQUESTS: dict[str, Any] = {
    "createMunicipality": lambda w: {"json": {
        "name": "Matriskommun", "slug": random_ref("mx-"), "admin_email": f"{random_ref('op-')}@example.se",
        "admin_display_name": "Första Admin"}},
}


async def path_ids(client: httpx.AsyncClient, world: World, path: str, operation_id: str) -> dict[str, str]:
    return {}
