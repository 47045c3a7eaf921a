"""The authorization matrix's requests for the postcode table: administrators and activities staff replace
and read it; anyone looks one postcode up (the answer is an area, not a person).

`REQUESTS` maps operationId -> a minimal valid request (see test_authorization_matrix); `path_ids`
supplies the `{postcode}` of the lookup (with a space, as people type it: it cannot be mistaken for a
piece of an id in the cross-municipality walk's leak check)."""

from __future__ import annotations

from typing import Any

import httpx

from tests.conftest import World

POSTCODE = "852 31"

REQUESTS: dict[str, Any] = {
    "setPostcodeAreas": lambda w: {"json": {"items": [{"postcode": "85231", "area_id": w.area_id}]}},
    "listPostcodeAreas": lambda w: {},
    "getPostcodeArea": lambda w: {"params": {"municipality": w.slug}},
}


async def path_ids(client: httpx.AsyncClient, world: World, path: str, operation_id: str) -> dict[str, str]:
    if "{postcode}" not in path and operation_id:  # "": the cross-municipality walk collects every id
        return {}
    return {"postcode": POSTCODE}
