"""The authorization matrix's requests for the operations of equipment lending (Fritidsbanken), catalogue side.

`REQUESTS` maps operationId -> a minimal valid request (see test_authorization_matrix);
`path_ids` supplies the ids of this part's path parameters. The first call for a world makes a small
catalogue through the API (as lending staff) that the requests refer to."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from tests.api.lending_helpers import borrower, catalogue
from tests.conftest import World

_CTX: dict[str, dict[str, Any]] = {}


def _ctx(world: World) -> dict[str, Any]:
    return _CTX[world.municipality_id]


NO_BODY: Callable[[World], dict[str, Any]] = lambda w: {}  # noqa: E731


def _public(w: World) -> dict[str, Any]:
    return {"params": {"municipality": w.slug}}


REQUESTS: dict[str, Callable[[World], dict[str, Any]]] = {
    "listLendingCategories": _public,
    "createLendingCategory": lambda w: {"json": {"name": "Matrisidrott"}},
    "renameLendingCategory": lambda w: {"json": {"name": "Vinteridrott"}},
    "deleteLendingCategory": NO_BODY,
    "listLendingCatalogue": _public,
    "listLendingVariants": _public,
    "getLendingArticle": NO_BODY,
    "listLendingArticles": NO_BODY,
    "createLendingArticle": lambda w: {"json": {"category_id": _ctx(w)["category_id"], "name": "Innebandyklubba"}},
    "updateLendingArticle": lambda w: {"json": {"loan_period_days": 21}},
    "getLendingItemByCode": NO_BODY,
    "listLendingItems": NO_BODY,
    "createLendingItems": lambda w: {"json": {"article_id": _ctx(w)["article_id"], "site_id": w.site_id}},
    "getLendingItem": NO_BODY,
    "updateLendingItem": lambda w: {"json": {"condition_note": "Som ny"}},
    "listLendingLabels": NO_BODY,
    "createLendingLabels": lambda w: {"json": {"count": 1}},
    "linkLendingLabel": lambda w: {"json": {"item_id": _ctx(w)["bare_item_id"]}},
    "getLendingLabelSvg": NO_BODY,
    "getLendingLabelPng": NO_BODY,
    "listLendingLabelTemplates": NO_BODY,
    "printLendingLabelSheet": lambda w: {"json": {"codes": [_ctx(w)["code"]]}},
    "listLendingLabelPrints": NO_BODY,
    "registerBorrower": lambda w: {"json": {"name": "Matris Person", "mobile": "0701112233", "birth_year": 1980}},
    "listBorrowers": NO_BODY,
    "getBorrower": NO_BODY,
    "updateBorrower": lambda w: {"json": {"email": "matris@example.se"}},
    "blockBorrower": lambda w: {"json": {"reason": "Borttappad utrustning"}},
    "unblockBorrower": NO_BODY,
    "replaceBorrowerCard": NO_BODY,
    "getBorrowerCardPdf": NO_BODY,
    "giveBorrowerConsent": NO_BODY,
    "withdrawBorrowerConsent": NO_BODY,
    "registerAsBorrower": lambda w: {"json": {"name": "Själv Registrerad", "mobile": "0709998877",
                                              "birth_year": 1995}},
    "getMyBorrower": NO_BODY,
    "getMyCardQr": NO_BODY,
    "getMyCardPdf": NO_BODY,
    "exportMyLendingData": NO_BODY,
    "receiveDonation": lambda w: {"json": {"site_id": w.site_id, "lines": [
        {"article_id": _ctx(w)["article_id"], "count": 1}]}},
    "listDonations": NO_BODY,
    "printDonationLabels": NO_BODY,
    "startStockCount": lambda w: {"json": {"site_id": w.site_id}},
    "scanStockCount": lambda w: {"json": {"code": _ctx(w)["code"]}},
    "getStockCount": NO_BODY,
    "finishStockCount": NO_BODY,
    "getLendingStats": NO_BODY,
    "getLendingStatsCsv": lambda w: {"params": {"from": "2026-01-01", "to": "2026-12-31"}},
    "createLendingArticleSizes": lambda w: {"json": {"category_id": _ctx(w)["category_id"], "name": "Innebandyskor",
                                                     "variants": ["36", "38"]}},
    "deleteLendingArticle": NO_BODY,
    "listLendingSites": NO_BODY,
}


async def _prepare(client: httpx.AsyncClient, world: World) -> dict[str, Any]:
    if world.municipality_id in _CTX:
        return _CTX[world.municipality_id]
    staff = world["lending_staff"].headers
    made = await catalogue(client, world, items=1)
    bare = await client.post("/api/lending/items", headers=staff, json={
        "article_id": made["article_id"], "site_id": world.site_id, "with_labels": False})
    assert bare.status_code == 201, bare.text
    person = await borrower(client, world)
    donation = await client.post("/api/lending/donations", headers=staff, json={
        "site_id": world.site_id, "lines": [{"article_id": made["article_id"]}]})
    assert donation.status_code == 201, donation.text
    counting = await client.post("/api/lending/stock-counts", headers=staff, json={"site_id": world.site_id})
    assert counting.status_code == 201, counting.text
    _CTX[world.municipality_id] = {
        "category_id": made["subcategory_id"], "article_id": made["article_id"], "item_id": made["items"][0]["id"],
        "code": made["codes"][0], "bare_item_id": bare.json()["items"][0]["id"], "borrower_id": person["id"],
        "donation_id": donation.json()["id"], "count_id": counting.json()["id"]}
    return _CTX[world.municipality_id]


async def path_ids(client: httpx.AsyncClient, world: World, path: str, operation_id: str) -> dict[str, str]:
    ctx = await _prepare(client, world)
    ids = {k: str(v) for k, v in ctx.items()}
    staff = world["lending_staff"].headers
    if operation_id == "deleteLendingCategory":
        empty = await client.post("/api/lending/categories", headers=staff, json={"name": "Tom kategori"})
        ids["category_id"] = empty.json()["id"]
    if operation_id == "deleteLendingArticle":
        unused = await client.post("/api/lending/articles", headers=staff, json={
            "category_id": ctx["category_id"], "name": "Oanvänd artikel"})
        ids["article_id"] = unused.json()["id"]
    if operation_id == "linkLendingLabel":
        made = await client.post("/api/lending/labels", headers=staff, json={"count": 1})
        ids["code"] = made.json()["codes"][0]
    return ids
