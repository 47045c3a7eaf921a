"""The authorization matrix's requests for imports and exports (admins and lending staff; the kind
decides further: areas, sites and associations are admins' only, a 403 of the service).

`REQUESTS` maps operationId -> a minimal valid request (see test_authorization_matrix);
`path_ids` supplies the `{kind}` of the path."""

from __future__ import annotations

from typing import Any

import httpx

from tests.conftest import World

REQUESTS: dict[str, Any] = {
    "importCsv": lambda w: {"json": {"csv": "namn;storlek;kategori\r\nMatrisskidor;150 cm;Matriskategori\r\n",
                                     "dry_run": True}},
    "exportCsv": lambda w: {},
}


async def path_ids(client: httpx.AsyncClient, world: World, path: str, operation_id: str) -> dict[str, str]:
    if "{kind}" not in path:
        return {}  # names no object: nothing for the cross-municipality walk to look for
    return {"kind": "lending_articles.csv" if operation_id == "exportCsv" else "lending_articles"}
