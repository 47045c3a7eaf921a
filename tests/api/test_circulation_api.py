"""Circulation over HTTP: the desk (lend, return elsewhere, renew, holds), due dates around Easter 2027,
and self-service on the phone with card number and PIN."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from booking.adapters.db.database import Database
from tests.api.circulation_support import PIN, Desk, open_desk


@pytest.fixture
async def desk(sqlite_db: Database) -> AsyncIterator[Desk]:
    made, client = await open_desk(sqlite_db)
    async with client:
        yield made


async def test_lent_on_12_march_2027_for_14_days_is_due_after_easter_at_a_weekday_site(desk: Desk) -> None:
    site = str(desk.bank.site.id)
    preview = await desk.client.get("/api/lending/due-date", params={"site_id": site, "lent_on": "2027-03-12"})
    assert preview.json()["nominal"] == "2027-03-26" and preview.json()["due_on"] == "2027-03-30"
    assert [d["reason"] for d in preview.json()["skipped"]] == ["Långfredagen", "Påskafton", "Påskdagen",
                                                                "Annandag påsk"]
    days = await desk.client.put(f"/api/lending/opening-days/{site}", headers=desk.staff,
                                 json={"weekdays": [0, 1, 2, 3, 4]})
    assert days.status_code == 200, days.text
    preview = await desk.client.get("/api/lending/due-date", params={"site_id": site, "lent_on": "2027-03-12"})
    assert preview.json()["due_on"] == "2027-03-30"
    assert [d["date"] for d in preview.json()["skipped"]] == ["2027-03-26", "2027-03-27", "2027-03-28",
                                                              "2027-03-29"]
    assert [d["reason"] for d in preview.json()["skipped"]] == ["Långfredagen", "Påskafton",
                                                                "Påskdagen", "Annandag påsk"]
    lent = await desk.client.post("/api/lending/loans", headers=desk.staff, json={
        "card_number": desk.bank.cards["adult0"], "site_id": site, "codes": [desk.code("skates")]})
    assert lent.status_code == 201, lent.text
    assert [loan["due_on"] for loan in lent.json()["loans"]] == ["2027-03-30"]


async def test_the_desk_lends_two_returns_one_elsewhere_and_renews_the_other(desk: Desk) -> None:
    card = desk.bank.cards["adult0"]
    site, other = str(desk.bank.site.id), str(desk.bank.other_site.id)
    looked = await desk.client.get(f"/api/lending/desk/cards/{card}", headers=desk.staff)
    assert looked.status_code == 200 and looked.json()["loans"] == []
    lent = await desk.client.post("/api/lending/loans", headers=desk.staff, json={
        "card_number": card, "site_id": site,
        "codes": [desk.code("skates", 0), f"http://testserver/q/{desk.code('skates', 1)}"]})
    assert lent.status_code == 201, lent.text
    assert sorted(loan["label_code"] for loan in lent.json()["loans"]) == sorted(
        [desk.code("skates", 0), desk.code("skates", 1)])
    again = await desk.client.post("/api/lending/loans", headers=desk.staff, json={
        "card_number": desk.bank.cards["teen"], "site_id": site, "codes": [desk.code("skates", 0)]})
    assert again.status_code == 409 and "already on loan" in again.json()["detail"]
    back = await desk.client.post("/api/lending/returns", headers=desk.staff, json={
        "code": desk.code("skates", 0), "site_id": other, "condition": "check", "note": "Slö skär"})
    assert back.status_code == 200, back.text
    assert back.json()["item_status"] == "being_checked" and back.json()["site_id"] == other
    looked = (await desk.client.get(f"/api/lending/desk/cards/{card}", headers=desk.staff)).json()
    assert [loan["label_code"] for loan in looked["loans"]] == [desk.code("skates", 1)]
    loan_id = looked["loans"][0]["id"]
    too_early = await desk.client.post(f"/api/lending/loans/{loan_id}/renewal", headers=desk.staff)
    assert too_early.status_code == 409
    desk.clock.move_to(desk.clock.now() + timedelta(days=12))
    renewed = await desk.client.post(f"/api/lending/loans/{loan_id}/renewal", headers=desk.staff)
    assert renewed.status_code == 200, renewed.text
    assert renewed.json()["renewals"] == 1 and renewed.json()["due_on"] > looked["loans"][0]["due_on"]


async def test_holds_at_the_desk_and_the_hold_shelf(desk: Desk) -> None:
    site = str(desk.bank.site.id)
    hold = await desk.client.post("/api/lending/holds", headers=desk.staff, json={
        "card_number": desk.bank.cards["adult0"], "article_id": str(desk.bank.kayak.id), "site_id": site})
    assert hold.status_code == 201, hold.text
    assert hold.json()["status"] == "ready" and hold.json()["label_code"] == desk.code("kayak")
    shelf = await desk.client.get("/api/lending/holds", headers=desk.staff, params={"status": "ready"})
    assert [h["id"] for h in shelf.json()] == [hold.json()["id"]]
    cancelled = await desk.client.delete(f"/api/lending/holds/{hold.json()['id']}", headers=desk.staff)
    assert cancelled.status_code == 204
    assert (await desk.client.get("/api/lending/holds", headers=desk.staff)).json() == []


async def _sign_in(desk: Desk, who: str = "adult0", pin: str = PIN) -> dict[str, str]:
    signed = await desk.client.post("/api/lending/self-service/sessions",
                                    json={"card_number": desk.bank.cards[who], "pin": pin})
    assert signed.status_code == 201, signed.text
    return {"X-Borrower-Token": signed.json()["token"]}


async def test_self_service_borrows_a_self_service_item_and_reports_its_return(desk: Desk) -> None:
    wrong = await desk.client.post("/api/lending/self-service/sessions",
                                   json={"card_number": desk.bank.cards["adult0"], "pin": "0000"})
    assert wrong.status_code == 401
    me = await _sign_in(desk)
    borrowed = await desk.client.post("/api/lending/self-service/loans", headers=me,
                                      json={"code": desk.code("skates")})
    assert borrowed.status_code == 201, borrowed.text
    assert borrowed.json()["self_service"] is True and borrowed.json()["borrower_name"] is None
    desk_only = await desk.client.post("/api/lending/self-service/loans", headers=me,
                                       json={"code": desk.code("kayak")})
    assert desk_only.status_code == 422
    assert [e["code"] for e in desk_only.json()["errors"]] == ["not-self-service"]
    mine = (await desk.client.get("/api/lending/self-service/me", headers=me)).json()
    assert [loan["label_code"] for loan in mine["loans"]] == [desk.code("skates")]
    reported = await desk.client.post(f"/api/lending/self-service/loans/{mine['loans'][0]['id']}/return",
                                      headers=me)
    assert reported.status_code == 200 and reported.json()["return_reported_at"]
    waiting = await desk.client.get("/api/lending/loans", headers=desk.staff, params={"reported": "true"})
    assert [loan["label_code"] for loan in waiting.json()["items"]] == [desk.code("skates")]
    confirmed = await desk.client.post("/api/lending/returns", headers=desk.staff, json={
        "code": desk.code("skates"), "site_id": str(desk.bank.site.id)})
    assert confirmed.status_code == 200
    assert (await desk.client.get("/api/lending/self-service/me", headers=me)).json()["loans"] == []


async def test_a_blocked_borrower_is_told_to_ask_at_the_desk_and_a_forged_token_is_refused(desk: Desk) -> None:
    blocked = await _sign_in(desk, "blocked")
    refused = await desk.client.post("/api/lending/self-service/loans", headers=blocked,
                                     json={"code": desk.code("skates")})
    assert refused.status_code == 422 and refused.json()["errors"][0]["code"] == "blocked"
    forged = blocked["X-Borrower-Token"][:-4] + "AAAA"
    answer = await desk.client.get("/api/lending/self-service/me", headers={"X-Borrower-Token": forged})
    assert answer.status_code == 422 and answer.json()["errors"][0]["field"] == "X-Borrower-Token"
    missing = await desk.client.get("/api/lending/self-service/me")
    assert missing.status_code == 422 and missing.json()["errors"][0]["code"] == "required"


async def test_wrong_pins_are_throttled_per_card(desk: Desk) -> None:
    card = desk.bank.cards["teen"]
    statuses = [(await desk.client.post("/api/lending/self-service/sessions",
                                        json={"card_number": card, "pin": f"{n:04d}"})).status_code
                for n in range(6)]
    assert statuses == [401] * 5 + [429]
    right = await desk.client.post("/api/lending/self-service/sessions", json={"card_number": card, "pin": PIN})
    assert right.status_code == 429  # even the right PIN waits out the window


async def test_the_phone_sees_the_item_and_whether_it_may_borrow_it(desk: Desk) -> None:
    anonymous = await desk.client.get(f"/api/lending/self-service/items/{desk.code('skates')}")
    assert anonymous.status_code == 200, anonymous.text
    seen = anonymous.json()
    assert (seen["article"], seen["variant"], seen["available"], seen["site_name"], seen["self_service"]) == (
        "Skridskor", "38", True, "Fritidsbanken Centrum", True)
    assert seen["may_borrow"] is None and "borrower" not in str(seen).lower()
    by_url = await desk.client.get("/api/lending/self-service/items/"
                                   f"{desk.code('kayak').lower()}")
    assert by_url.json()["self_service"] is False
    me = await _sign_in(desk, "teen")
    kayak = (await desk.client.get(f"/api/lending/self-service/items/{desk.code('kayak')}", headers=me)).json()
    assert kayak["may_borrow"] is False
    assert {r["code"] for r in kayak["reasons"]} == {"consent-needed", "not-self-service"}
    skates = (await desk.client.get(f"/api/lending/self-service/items/{desk.code('skates')}", headers=me)).json()
    assert skates["may_borrow"] is True and skates["reasons"] == []
    await desk.client.post("/api/lending/self-service/loans", headers=me, json={"code": desk.code("skates")})
    mine = (await desk.client.get(f"/api/lending/self-service/items/{desk.code('skates')}", headers=me)).json()
    assert mine["available"] is False and mine["my_loan_id"] and mine["may_borrow"] is False
    unknown = await desk.client.get("/api/lending/self-service/items/ZZZZZZZZZ")
    assert unknown.status_code == 404
