"""Fees: a price list, the tariff of each association, and a fee basis whose figures add up."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import httpx
import time_machine

from tests.api.test_bookings_api import _open_and_verify
from tests.conftest import World


@time_machine.travel("2026-12-01T09:00:00+01:00", tick=True)
async def test_fee_basis_prices_bookings_by_tariff_and_keeps_late_cancellations(client: httpx.AsyncClient,
                                                                                world: World) -> None:
    await _open_and_verify(client, world)
    admin, staff = world["admin"].headers, world["premises_staff"].headers
    prices = await client.put("/api/tariffs", headers=admin, json={"items": [
        {"category": "standard", "space_kind": "gym", "hourly": "150.00"},
        {"category": "reduced", "space_kind": "gym", "hourly": "75.50"},
        {"category": "commercial", "space_kind": "gym", "hourly": "600"}]})
    assert prices.status_code == 200, prices.text
    bad = await client.put("/api/tariffs", headers=admin, json={"items": [
        {"category": "standard", "space_kind": "gym", "hourly": "12.345"}]})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "items[0].hourly"
    public = (await client.get("/api/tariffs", params={"municipality": world.slug})).json()
    assert {(p["category"], p["hourly"]) for p in public["items"]} == {
        ("commercial", "600.00"), ("reduced", "75.50"), ("standard", "150.00")}

    # the world's association is a youth association: free (nolltaxa) until staff set a tariff
    def book(date: str, start: str, end: str) -> dict:
        return {"space_id": world.space_id, "title": "Träning", "association_id": world.association_id,
                "date": date, "start": start, "end": end}

    one = (await client.post("/api/bookings", headers=staff, json=book("2027-02-01", "18:00", "19:30"))).json()
    basis = (await client.get("/api/fees", headers=staff, params={"from": "2027-02-01", "to": "2027-02-28"})).json()
    assert basis["associations"][0]["lines"][0]["tariff"] == "free"
    assert Decimal(basis["total"]) == 0

    reduced = await client.patch(f"/api/associations/{world.association_id}", headers=staff,
                                 json={"tariff_category": "reduced"})
    assert reduced.status_code == 200 and reduced.json()["tariff_category"] == "reduced"
    refused = await client.patch(f"/api/associations/{world.association_id}", headers=world["association_rep"].headers,
                                 json={"tariff_category": "free"})
    assert refused.status_code == 403

    two = (await client.post("/api/bookings", headers=staff, json=book("2027-02-02", "18:00", "18:45"))).json()
    late = (await client.post("/api/bookings", headers=staff, json=book("2027-02-03", "18:00", "20:00"))).json()
    early = (await client.post("/api/bookings", headers=staff, json=book("2027-02-04", "18:00", "20:00"))).json()
    rep = world["association_rep"].headers
    with time_machine.travel("2027-02-02T10:00:00+01:00", tick=True):  # 32 h before the 3rd, 56 h before the 4th
        late_cancel = await client.post(f"/api/bookings/{late['bookings'][0]['id']}/cancellation", headers=rep,
                                        json={})
        early_cancel = await client.post(f"/api/bookings/{early['bookings'][0]['id']}/cancellation", headers=rep,
                                         json={})
        assert late_cancel.status_code == early_cancel.status_code == 200

    basis = (await client.get("/api/fees", headers=staff, params={"from": "2027-02-01", "to": "2027-02-28"})).json()
    lines = {line["booking_id"]: line for line in basis["associations"][0]["lines"]}
    assert set(lines) == {one["bookings"][0]["id"], two["bookings"][0]["id"], late["bookings"][0]["id"]}
    # 1.5 h + 0.75 h + 2 h (cancelled late, fee kept) at 75.50 kr
    assert lines[one["bookings"][0]["id"]]["amount"] == "113.25"
    assert lines[two["bookings"][0]["id"]]["amount"] == "56.63"  # 56.625 rounded half up
    assert lines[late["bookings"][0]["id"]]["late_cancellation"] is True
    assert lines[late["bookings"][0]["id"]]["amount"] == "151.00"
    assert Decimal(basis["total"]) == Decimal("113.25") + Decimal("56.63") + Decimal("151.00")

    exported = await client.get("/api/fees.csv", headers=staff, params={"from": "2027-02-01", "to": "2027-02-28"})
    rows = list(csv.DictReader(io.StringIO(exported.text.lstrip("\ufeff")), delimiter=";"))
    assert sum(Decimal(r["belopp"].replace(",", ".")) for r in rows) == Decimal(basis["total"])
    assert {r["organisationsnummer"] for r in rows} == {"802479-4565"}
    assert (await client.get("/api/fees", headers=rep, params={"from": "2027-02-01",
                                                               "to": "2027-02-28"})).status_code == 403
