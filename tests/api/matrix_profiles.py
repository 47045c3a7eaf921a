"""The authorization matrix's requests for associations in the open: interest categories, an
association's profile and public training times (its representatives and staff), and the public
directory and association page (public: they carry no personal data).

`REQUESTS` maps operationId -> a minimal valid request (see test_authorization_matrix);
`path_ids` supplies `{category_id}` (a fresh category of the world) and readies the world's association
for its profile routes (contact persons, a saved draft naming one of them)."""

from __future__ import annotations

from typing import Any

import httpx

from tests.conftest import World, random_ref

_INTEREST: dict[str, str] = {}  # world slug -> one of its interest categories (filled by path_ids)


def _profile(w: World) -> dict[str, Any]:
    return {"json": {"interests": [_INTEREST[w.slug]] if w.slug in _INTEREST else [], "age_min": 8, "age_max": 14,
                     "for_whom": ["all"], "description": "Matrisföreningen tränar varje vecka."}}


REQUESTS: dict[str, Any] = {
    "listInterestCategories": lambda w: {"params": {"municipality": w.slug}},
    "createInterestCategory": lambda w: {"json": {"name": random_ref("kategori-"), "name_en": "category"}},
    "updateInterestCategory": lambda w: {"json": {"position": 5}},
    "deleteInterestCategory": lambda w: {},
    "getAssociationProfile": lambda w: {},
    "putAssociationProfile": _profile,
    "submitAssociationProfile": lambda w: {},
    "verifyAssociationProfile": lambda w: {"json": {"approve": False, "note": "Beskriv åldrarna."}},
    "unpublishAssociationProfile": lambda w: {},
    "setAssociationPublicTimes": lambda w: {"json": {"booking_ids": [], "series_ids": []}},
    "listAssociationProfiles": lambda w: {"params": {"status": "submitted"}},
    "searchAssociationDirectory": lambda w: {"params": {"municipality": w.slug, "age": 10}},
    "getPublicAssociation": lambda w: {"params": {"municipality": w.slug}},
}


async def path_ids(client: httpx.AsyncClient, world: World, path: str, operation_id: str) -> dict[str, str]:
    listed = await client.get("/api/interest-categories", params={"municipality": world.slug})
    assert listed.status_code == 200, listed.text
    _INTEREST[world.slug] = listed.json()["items"][0]["id"]
    staff = world["activities_staff"].headers
    made = await client.post("/api/interest-categories", headers=staff, json={"name": random_ref("oanvänd-")})
    assert made.status_code == 201, made.text
    if "{association_id}" in path or operation_id == "":
        contacts = await client.patch(f"/api/associations/{world.association_id}", headers=staff,
                                      json={"contacts": [{"name": "Matris Kontakt", "email": "matris@example.se"}]})
        assert contacts.status_code == 200, contacts.text
        view = await client.get(f"/api/associations/{world.association_id}/profile", headers=staff)
        body = _profile(world)["json"] | {"contact_id": view.json()["contacts"][0]["id"]}
        saved = await client.put(f"/api/associations/{world.association_id}/profile",
                                 headers=world["association_rep"].headers, json=body)
        assert saved.status_code == 200, saved.text
    return {"category_id": made.json()["id"]}
