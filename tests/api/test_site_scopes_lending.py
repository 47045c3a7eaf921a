"""Site scopes in lending: a lending staff grant narrowed to site A (`roles: [{"role": "lending_staff",
"scope_id": A}]`) works A's desk and A's things, and nothing of site B.

Before, such a member of staff lent and returned at B's desk, moved B's items, counted B's shelves, read
every borrower's mobile number and e-mail, and saw B's loans, holds and statistics. Each lending and
circulation staff route is walked here (the walk fails when a staff route is missing from it): B's
objects answer 403 problem+json and change nothing, lists leave B's things out, A's objects work. Both
engines: the scope is partly SQL (lists, and which borrowers are active at A)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from uuid import UUID

import httpx
import pytest
import sqlalchemy as sa
from litestar.routes import HTTPRoute

from booking.adapters.db import tables_circulation as tc
from booking.adapters.db import tables_lending as tl
from booking.adapters.db.auth_store import AuthStore
from booking.adapters.db.database import Database
from booking.adapters.db.uow import SqlUnitOfWork
from booking.api.app import create_app
from booking.domain.lending import circulation_services as svc
from booking.domain.lending import intake_services as intake
from booking.domain.lending import services as catalogue
from booking.domain.lending.labels import Label, new_label_code
from booking.domain.people.model import Account
from booking.domain.people.roles import Role
from booking.domain.shared.clock import FixedClock
from tests.conftest import FAST_HASHER, PASSWORD
from tests.conftest import test_settings as settings_for_tests
from tests.integration.circulation_bank import NOW, Bank, make_bank


@dataclass
class Scoped:
    bank: Bank
    client: httpx.AsyncClient
    clock: FixedClock
    app: Any
    a: str  # site ids
    b: str
    narrowed: dict[str, str]  # headers of lending staff narrowed to A
    wide: dict[str, str]  # headers of the bank's municipality-wide desk account
    ids: dict[str, str] = field(default_factory=dict)
    walked: set[str] = field(default_factory=set)  # operationIds exercised

    async def call(self, operation: str, method: str, path: str, *, json: Any = None,
                   params: dict[str, Any] | None = None) -> httpx.Response:
        self.walked.add(operation)
        return await self.client.request(method, path, headers=self.narrowed, json=json, params=params)

    async def refused(self, operation: str, method: str, path: str, *, json: Any = None,
                      params: dict[str, Any] | None = None) -> None:
        answer = await self.call(operation, method, path, json=json, params=params)
        assert answer.status_code == 403, (operation, answer.status_code, answer.text)
        assert answer.headers["content-type"].startswith("application/problem+json")

    async def works(self, operation: str, method: str, path: str, *, json: Any = None,
                    params: dict[str, Any] | None = None) -> httpx.Response:
        answer = await self.call(operation, method, path, json=json, params=params)
        assert answer.status_code < 300, (operation, answer.status_code, answer.text)
        return answer


async def _token(db: Database, account_id: UUID) -> dict[str, str]:
    token, _ = await AuthStore(db).create(account_id, "api", NOW, lifetime=timedelta(days=30), idle=None)
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
async def scoped(db: Database) -> AsyncIterator[Scoped]:
    """Site A (the bank's site) and B (its other site), each with items, a loan, a hold, a stock count and a
    donation, all made by municipality-wide staff; and lending staff narrowed to A, granted over the API."""
    bank = await make_bank(db, items_per_article=3, adults=3)
    a, b = bank.site.id, bank.other_site.id
    wide, clock = bank.staff, FixedClock(NOW)

    def uow() -> SqlUnitOfWork:
        return SqlUnitOfWork(db)

    at_b = await catalogue.create_items(bank.skates.id, b, 3, None, True, uow(), wide, NOW)
    bare = {s: (await catalogue.create_items(bank.skates.id, s, 1, None, False, uow(), wide, NOW))[0]
            for s in (a, b)}
    ids: dict[str, str] = {"bare_a": str(bare[a].id), "bare_b": str(bare[b].id),
                           "item_a": str(bank.items["skates"][2].id), "item_b": str(at_b[2].id),
                           "code_a": bank.items["skates"][2].label_code or "", "code_b": at_b[2].label_code or ""}
    loan_a = (await svc.lend(svc.Lend(bank.cards["adult0"], [bank.items["skates"][0].label_code or ""], a), uow(),
                             wide, clock)).loans[0][0]
    loan_b = (await svc.lend(svc.Lend(bank.cards["adult1"], [at_b[0].label_code or ""], b), uow(), wide,
                             clock)).loans[0][0]
    hold_a = await svc.place_hold(bank.cards["adult0"], bank.kayak.id, a, uow(), wide, clock)
    hold_b = await svc.place_hold(bank.cards["adult1"], bank.kayak.id, b, uow(), wide, clock)
    counts = {s: await intake.start_count(s, uow(), wide, NOW) for s in (a, b)}
    donations = {s: (await intake.receive_donation(s, "Gåva", [intake.DonationLine(bank.skates.id, 1)], uow(),
                                                   wide, NOW))[0] for s in (a, b)}
    free = uow()
    async with free:
        label = Label(bank.municipality_id, new_label_code())
        free.lending.add_label(label)
        admin = Account(bank.municipality_id, f"admin.{bank.municipality_id.hex[:8]}@example.se", "Admin")
        admin.grant(Role.ADMIN)
        free.accounts.add(admin)
        await free.commit()
    await catalogue.record_print("a4-3x8", [ids["code_a"], ids["code_b"]], uow(), wide, NOW)
    ids |= {"loan_a": str(loan_a.id), "loan_b": str(loan_b.id), "hold_a": str(hold_a.hold.id),
            "hold_b": str(hold_b.hold.id), "count_a": str(counts[a].id), "count_b": str(counts[b].id),
            "donation_a": str(donations[a].id), "donation_b": str(donations[b].id), "free_label": label.code,
            "borrower_a": str(bank.borrowers["adult0"].id), "borrower_b": str(bank.borrowers["adult1"].id),
            "borrower_none": str(bank.borrowers["adult2"].id), "category": str(bank.skates.category_id),
            "article": str(bank.skates.id)}
    app = create_app(settings_for_tests(), db=db, hasher=FAST_HASHER, clock=clock)
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        email = f"desk-a.{bank.municipality_id.hex[:8]}@example.se"
        made = await client.post("/api/accounts", headers=await _token(db, admin.id), json={
            "email": email, "display_name": "Desk A", "password": PASSWORD,
            "roles": [{"role": "lending_staff", "scope_id": str(a)}]})
        assert made.status_code == 201, made.text
        signed_in = await client.post("/api/auth/tokens", json={"email": email, "password": PASSWORD})
        assert signed_in.status_code == 201, signed_in.text
        yield Scoped(bank, client, clock, app, str(a), str(b),
                     {"Authorization": f"Bearer {signed_in.json()['token']}"},
                     await _token(db, UUID(str(wide.account_id))), ids)


DESK = {"lendItems", "returnItem", "renewLoan", "placeHold", "cancelHold", "setLendingOpeningDays", "listLoans",
        "listHolds", "lookUpCard"}
ITEMS = {"createLendingCategory", "renameLendingCategory", "deleteLendingCategory", "createLendingArticle",
         "updateLendingArticle", "listLendingArticles", "listLendingLabelTemplates", "listLendingItems",
         "getLendingItem", "updateLendingItem", "createLendingItems", "createLendingLabels", "linkLendingLabel",
         "printLendingLabelSheet", "listLendingLabels", "listLendingLabelPrints", "getLendingLabelSvg",
         "getLendingLabelPng", "createLendingArticleSizes", "deleteLendingArticle", "listLendingSites"}
BORROWERS = {"listBorrowers", "getBorrower", "updateBorrower", "blockBorrower", "unblockBorrower",
             "replaceBorrowerCard", "getBorrowerCardPdf", "giveBorrowerConsent", "withdrawBorrowerConsent",
             "registerBorrower", "lendItems"}
INTAKE = {"receiveDonation", "printDonationLabels", "startStockCount", "scanStockCount", "getStockCount",
          "finishStockCount", "getLendingStats", "getLendingStatsCsv", "listDonations"}


def _staff_operations(app: Any) -> set[str]:
    """Every operation the lending staff role opens (the lending and circulation staff routes)."""
    found = set()
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            access = handler.opt.get("access")
            if access is not None and Role.LENDING_STAFF in access.roles and handler.operation_id:
                found.add(str(handler.operation_id))
    return found


async def _rows(db: Database, query: Any) -> list[Any]:
    async with db.read_sessions() as session:
        return list((await session.execute(query)).all())


async def test_the_desk_of_another_site_is_refused_and_its_own_works(scoped: Scoped, db: Database) -> None:
    s, ids, bank = scoped, scoped.ids, scoped.bank
    cards = bank.cards
    open_before = await _rows(db, sa.select(tc.lending_loans.c.id).where(tc.lending_loans.c.returned_at.is_(None)))

    await s.refused("lendItems", "POST", "/api/lending/loans", json={
        "card_number": cards["adult2"], "site_id": s.b, "codes": [ids["code_a"]]})
    await s.refused("returnItem", "POST", "/api/lending/returns", json={"code": bank.items["skates"][0].label_code,
                                                                        "site_id": s.b})
    await s.refused("renewLoan", "POST", f"/api/lending/loans/{ids['loan_b']}/renewal")
    await s.refused("placeHold", "POST", "/api/lending/holds", json={
        "card_number": cards["adult2"], "article_id": ids["article"], "site_id": s.b})
    await s.refused("cancelHold", "DELETE", f"/api/lending/holds/{ids['hold_b']}")
    await s.refused("setLendingOpeningDays", "PUT", f"/api/lending/opening-days/{s.b}", json={"weekdays": [0, 1]})
    assert await _rows(db, sa.select(tc.lending_loans.c.id).where(tc.lending_loans.c.returned_at.is_(None))) == \
        open_before
    assert await _rows(db, sa.select(tc.lending_holds.c.status).where(tc.lending_holds.c.id == UUID(ids["hold_b"]))) \
        == [("waiting",)]
    assert (await s.client.get(f"/api/lending/opening-days/{s.b}")).json()["weekdays"] == list(range(7))

    # lists leave B's loans and holds out
    loans = (await s.works("listLoans", "GET", "/api/lending/loans")).json()
    assert [loan["id"] for loan in loans["items"]] == [ids["loan_a"]] and loans["total"] == 1
    assert (await s.works("listLoans", "GET", "/api/lending/loans", params={"site_id": s.b})).json()["items"] == []
    holds = (await s.works("listHolds", "GET", "/api/lending/holds")).json()
    assert [h["id"] for h in holds] == [ids["hold_a"]]
    holder = (await s.works("lookUpCard", "GET", f"/api/lending/desk/cards/{cards['adult1']}")).json()
    assert (holder["name"], holder["loans"], holder["holds"]) == ("Låntagare adult1", [], [])
    holder = (await s.works("lookUpCard", "GET", f"/api/lending/desk/cards/{cards['adult0']}")).json()
    assert [loan["id"] for loan in holder["loans"]] == [ids["loan_a"]]

    # A's desk works: any card, any item of the municipality taken back here
    lent = await s.works("lendItems", "POST", "/api/lending/loans", json={
        "card_number": cards["adult2"], "site_id": s.a, "codes": [ids["code_a"]]})
    assert lent.status_code == 201
    back = await s.works("returnItem", "POST", "/api/lending/returns", json={
        "code": bank.items["skates"][0].label_code, "site_id": s.a})
    assert back.json()["site_id"] == s.a
    lent_at_b = (await s.client.get("/api/lending/loans", headers=s.wide)).json()
    assert ids["loan_b"] in [loan["id"] for loan in lent_at_b["items"]]
    returned_from_b = await s.works("returnItem", "POST", "/api/lending/returns", json={
        "code": (await _code_of_loan(db, ids["loan_b"])), "site_id": s.a})
    assert returned_from_b.json()["loan"]["id"] == ids["loan_b"]
    s.clock.move_to(NOW + timedelta(days=12))
    renewed = await s.works("renewLoan", "POST", f"/api/lending/loans/{lent.json()['loans'][0]['id']}/renewal")
    assert renewed.json()["renewals"] == 1
    s.clock.move_to(NOW)
    placed = await s.works("placeHold", "POST", "/api/lending/holds", json={
        "card_number": cards["adult2"], "article_id": ids["article"], "site_id": s.a})
    await s.works("cancelHold", "DELETE", f"/api/lending/holds/{placed.json()['id']}")
    await s.works("cancelHold", "DELETE", f"/api/lending/holds/{ids['hold_a']}")
    days = await s.works("setLendingOpeningDays", "PUT", f"/api/lending/opening-days/{s.a}", json={"weekdays": [0]})
    assert days.json()["weekdays"] == [0]
    assert s.walked == DESK


async def _code_of_loan(db: Database, loan_id: str) -> str:
    l, i = tc.lending_loans, tl.lending_items  # noqa: E741
    rows = await _rows(db, sa.select(i.c.label_code).join(l, l.c.item_id == i.c.id).where(l.c.id == UUID(loan_id)))
    return str(rows[0][0])


async def test_items_labels_and_the_catalogue_of_another_site_are_out_of_reach(scoped: Scoped, db: Database) -> None:
    s, ids = scoped, scoped.ids
    # the catalogue belongs to the whole municipality: read, not changed
    await s.refused("createLendingCategory", "POST", "/api/lending/categories", json={"name": "Vattensport"})
    await s.refused("renameLendingCategory", "PATCH", f"/api/lending/categories/{ids['category']}",
                    json={"name": "Annat"})
    await s.refused("deleteLendingCategory", "DELETE", f"/api/lending/categories/{ids['category']}")
    await s.refused("createLendingArticle", "POST", "/api/lending/articles",
                    json={"category_id": ids["category"], "name": "Kanot"})
    await s.refused("updateLendingArticle", "PATCH", f"/api/lending/articles/{ids['article']}",
                    json={"loan_period_days": 3})
    await s.refused("createLendingArticleSizes", "POST", "/api/lending/article-sizes",
                    json={"category_id": ids["category"], "name": "Kanot", "variants": ["S", "M"]})
    await s.refused("deleteLendingArticle", "DELETE", f"/api/lending/articles/{ids['article']}")
    assert len((await s.works("listLendingArticles", "GET", "/api/lending/articles")).json()) == 2
    # the lending sites: A's only
    sites = (await s.works("listLendingSites", "GET", "/api/lending/sites")).json()
    assert [site["id"] for site in sites] == [s.a]
    await s.works("listLendingLabelTemplates", "GET", "/api/lending/label-templates")

    # items: B's are not listed, not shown, not changed, nothing made at B, nothing moved there
    listed = (await s.works("listLendingItems", "GET", "/api/lending/items", params={"limit": 200})).json()
    assert {i["site_id"] for i in listed["items"]} == {s.a} and listed["total"] == len(listed["items"])
    assert (await s.works("listLendingItems", "GET", "/api/lending/items",
                          params={"site_id": s.b})).json()["total"] == 0
    await s.refused("getLendingItem", "GET", f"/api/lending/items/{ids['item_b']}")
    await s.refused("updateLendingItem", "PATCH", f"/api/lending/items/{ids['item_b']}",
                    json={"condition_note": "Min nu"})
    await s.refused("updateLendingItem", "PATCH", f"/api/lending/items/{ids['item_a']}", json={"site_id": s.b})
    await s.refused("createLendingItems", "POST", "/api/lending/items",
                    json={"article_id": ids["article"], "site_id": s.b, "count": 1})
    await s.refused("createLendingLabels", "POST", "/api/lending/labels", json={"count": 2})
    await s.refused("linkLendingLabel", "POST", f"/api/lending/labels/{ids['free_label']}/link",
                    json={"item_id": ids["bare_b"]})
    await s.refused("printLendingLabelSheet", "POST", "/api/lending/label-sheets",
                    json={"template": "a4-3x8", "codes": [ids["code_a"], ids["code_b"]]})
    await s.refused("printLendingLabelSheet", "POST", "/api/lending/label-sheets",
                    json={"template": "a4-3x8", "codes": [ids["free_label"]]})
    items = dict(await _rows(db, sa.select(tl.lending_items.c.id, tl.lending_items.c.site_id)))
    assert items[UUID(ids["item_a"])] == UUID(s.a)
    assert (await _rows(db, sa.select(tl.lending_items.c.condition_note)
                        .where(tl.lending_items.c.id == UUID(ids["item_b"])))) == [(None,)]
    assert await _rows(db, sa.select(tl.lending_labels.c.item_id).where(
        tl.lending_labels.c.code == ids["free_label"])) == [(None,)]
    labels = (await s.works("listLendingLabels", "GET", "/api/lending/labels", params={"limit": 200})).json()
    assert ids["code_a"] in {x["code"] for x in labels["items"]}
    assert not {ids["code_b"], ids["free_label"]} & {x["code"] for x in labels["items"]}
    assert (await s.works("listLendingLabelPrints", "GET", "/api/lending/label-prints")).json()["total"] == 0
    # The QR image of a label holds only its public URL (/q/CODE, on the item itself): not a site's secret.
    for operation, suffix in (("getLendingLabelSvg", "qr.svg"), ("getLendingLabelPng", "qr.png")):
        await s.works(operation, "GET", f"/api/lending/labels/{ids['code_b']}/{suffix}")

    # A's items work
    assert (await s.works("getLendingItem", "GET", f"/api/lending/items/{ids['item_a']}")).json()["id"] == ids["item_a"]
    await s.works("updateLendingItem", "PATCH", f"/api/lending/items/{ids['item_a']}", json={"condition_note": "Ny"})
    made = await s.works("createLendingItems", "POST", "/api/lending/items",
                         json={"article_id": ids["article"], "site_id": s.a, "count": 1})
    assert made.json()["items"][0]["site_id"] == s.a
    await s.works("linkLendingLabel", "POST", f"/api/lending/labels/{ids['free_label']}/link",
                  json={"item_id": ids["bare_a"]})
    sheet = await s.works("printLendingLabelSheet", "POST", "/api/lending/label-sheets",
                          json={"template": "a4-3x8", "codes": [ids["code_a"], ids["free_label"]]})
    assert sheet.content.startswith(b"%PDF")
    prints = (await s.works("listLendingLabelPrints", "GET", "/api/lending/label-prints")).json()
    assert [p["codes"] for p in prints["items"]] == [[ids["code_a"], ids["free_label"]]]
    assert s.walked == ITEMS


async def test_borrowers_contact_details_only_of_those_active_at_the_site(scoped: Scoped, db: Database) -> None:
    """adult0 has a loan at A, adult1 a loan and a hold at B, adult2 nothing yet."""
    s, ids, bank = scoped, scoped.ids, scoped.bank
    listed = (await s.works("listBorrowers", "GET", "/api/lending/borrowers", params={"limit": 200})).json()
    contact = {r["id"]: (r["mobile"], r["email"]) for r in listed["items"]}
    assert contact[ids["borrower_a"]] == ("+46701234567", bank.borrowers["adult0"].email)
    assert contact[ids["borrower_b"]] == (None, None) and contact[ids["borrower_none"]] == (None, None)
    # a mobile number finds only the borrowers whose details the desk may see (no lookup by number)
    found = (await s.works("listBorrowers", "GET", "/api/lending/borrowers", params={"q": "0701234567"})).json()
    assert [r["id"] for r in found["items"]] == [ids["borrower_a"]]
    by_card = (await s.works("listBorrowers", "GET", "/api/lending/borrowers",
                             params={"q": bank.cards["adult1"]})).json()
    assert [(r["id"], r["mobile"]) for r in by_card["items"]] == [(ids["borrower_b"], None)]
    other = (await s.works("getBorrower", "GET", f"/api/lending/borrowers/{ids['borrower_b']}")).json()
    assert (other["name"], other["mobile"], other["email"], other["guardian_id"]) == ("Låntagare adult1", None,
                                                                                       None, None)
    own = (await s.works("getBorrower", "GET", f"/api/lending/borrowers/{ids['borrower_a']}")).json()
    assert own["mobile"] == "+46701234567"

    b = f"/api/lending/borrowers/{ids['borrower_b']}"
    await s.refused("updateBorrower", "PATCH", b, json={"email": "ny@example.se"})
    await s.refused("blockBorrower", "POST", f"{b}/block", json={"reason": "Fel"})
    await s.refused("unblockBorrower", "DELETE", f"{b}/block")
    await s.refused("replaceBorrowerCard", "POST", f"{b}/card")
    await s.refused("getBorrowerCardPdf", "GET", f"{b}/card.pdf")
    await s.refused("giveBorrowerConsent", "PUT", f"{b}/consents/{ids['category']}")
    await s.refused("withdrawBorrowerConsent", "DELETE", f"{b}/consents/{ids['category']}")
    await s.refused("updateBorrower", "PATCH", f"/api/lending/borrowers/{ids['borrower_none']}",
                    json={"mobile": "0709999999"})
    row = (await _rows(db, sa.select(tl.borrowers.c.email, tl.borrowers.c.blocked_reason).where(
        tl.borrowers.c.id == UUID(ids["borrower_b"]))))[0]
    assert tuple(row) == (bank.borrowers["adult1"].email, None)
    cards = await _rows(db, sa.select(tl.lending_cards.c.number).where(
        tl.lending_cards.c.borrower_id == UUID(ids["borrower_b"])))
    assert cards == [(bank.cards["adult1"],)]

    a = f"/api/lending/borrowers/{ids['borrower_a']}"
    assert (await s.works("updateBorrower", "PATCH", a, json={"email": "alva@example.se"})).json()["email"] == \
        "alva@example.se"
    assert (await s.works("blockBorrower", "POST", f"{a}/block", json={"reason": "Tält"})).json()["blocked_reason"]
    await s.works("unblockBorrower", "DELETE", f"{a}/block")
    await s.works("giveBorrowerConsent", "PUT", f"{a}/consents/{ids['category']}")
    await s.works("withdrawBorrowerConsent", "DELETE", f"{a}/consents/{ids['category']}")
    assert (await s.works("getBorrowerCardPdf", "GET", f"{a}/card.pdf")).content.startswith(b"%PDF")
    assert (await s.works("replaceBorrowerCard", "POST", f"{a}/card")).status_code == 201
    registered = await s.works("registerBorrower", "POST", "/api/lending/borrowers", json={
        "name": "Ny Låntagare", "mobile": "0705550000", "birth_year": 1995})
    assert registered.json()["mobile"] == "+46705550000"  # the answer shows what the desk just typed

    # once adult2 borrows at A, A's desk serves them
    await s.works("lendItems", "POST", "/api/lending/loans", json={
        "card_number": bank.cards["adult2"], "site_id": s.a, "codes": [ids["code_a"]]})
    assert (await s.works("getBorrower", "GET", f"/api/lending/borrowers/{ids['borrower_none']}")).json()[
        "mobile"] == "+46701234567"
    assert s.walked == BORROWERS


async def test_donations_stock_counts_and_statistics_of_another_site(scoped: Scoped, db: Database) -> None:
    s, ids = scoped, scoped.ids
    await s.refused("receiveDonation", "POST", "/api/lending/donations",
                    json={"site_id": s.b, "lines": [{"article_id": ids["article"], "count": 2}]})
    await s.refused("printDonationLabels", "GET", f"/api/lending/donations/{ids['donation_b']}/labels.pdf")
    await s.refused("startStockCount", "POST", "/api/lending/stock-counts", json={"site_id": s.b})
    await s.refused("scanStockCount", "POST", f"/api/lending/stock-counts/{ids['count_b']}/scans",
                    json={"code": ids["code_b"]})
    await s.refused("getStockCount", "GET", f"/api/lending/stock-counts/{ids['count_b']}")
    await s.refused("finishStockCount", "POST", f"/api/lending/stock-counts/{ids['count_b']}/finish")
    await s.refused("getLendingStats", "GET", "/api/lending/stats", params={"site_id": s.b})
    await s.refused("getLendingStatsCsv", "GET", "/api/lending/stats.csv", params={"site_id": s.b})
    assert await _rows(db, sa.select(tl.lending_stock_scans.c.id)) == []
    assert await _rows(db, sa.select(tl.lending_stock_counts.c.finished_at).where(
        tl.lending_stock_counts.c.id == UUID(ids["count_b"]))) == [(None,)]
    assert len(await _rows(db, sa.select(tl.lending_donations.c.id))) == 2

    donations = (await s.works("listDonations", "GET", "/api/lending/donations")).json()
    assert [d["id"] for d in donations["items"]] == [ids["donation_a"]]
    stats = (await s.works("getLendingStats", "GET", "/api/lending/stats",
                           params={"from": "2027-01-01", "to": "2027-12-31"})).json()
    assert stats["loans"] == 1 and [c["key"] for c in stats["loans_by_site"]] == ["Fritidsbanken Centrum"]
    assert {x["site_id"] for x in stats["items_by_status"]} == {s.a} and stats["donations"] == 1
    csv = (await s.works("getLendingStatsCsv", "GET", "/api/lending/stats.csv",
                         params={"from": "2027-01-01", "to": "2027-12-31"})).text
    assert "Lilla Fritidsbanken Nacksta" not in csv and s.b not in csv
    wide = (await s.client.get("/api/lending/stats", headers=s.wide,
                               params={"from": "2027-01-01", "to": "2027-12-31"})).json()
    assert wide["loans"] == 2 and wide["donations"] == 2  # the municipality-wide desk still sees both

    made = await s.works("receiveDonation", "POST", "/api/lending/donations",
                         json={"site_id": s.a, "lines": [{"article_id": ids["article"], "count": 1}]})
    assert made.status_code == 201
    assert (await s.works("printDonationLabels", "GET",
                          f"/api/lending/donations/{ids['donation_a']}/labels.pdf")).content.startswith(b"%PDF")
    started = await s.works("startStockCount", "POST", "/api/lending/stock-counts", json={"site_id": s.a})
    assert started.json()["site_id"] == s.a
    scanned = await s.works("scanStockCount", "POST", f"/api/lending/stock-counts/{ids['count_a']}/scans",
                            json={"code": ids["code_a"]})
    assert scanned.json()["known"] is True
    await s.works("getStockCount", "GET", f"/api/lending/stock-counts/{ids['count_a']}")
    assert (await s.works("finishStockCount", "POST",
                          f"/api/lending/stock-counts/{ids['count_a']}/finish")).json()["finished_at"]
    assert s.walked == INTAKE


PEOPLE = {"inviteAccount"}


async def test_a_narrowed_desk_invites_lending_staff_to_its_own_site_only(scoped: Scoped) -> None:
    s = scoped

    def invitation(name: str, *roles: dict[str, Any]) -> dict[str, Any]:
        return {"email": f"{name}.{s.a[-8:]}@example.se", "display_name": "Ny Desk", "roles": list(roles)}

    await s.refused("inviteAccount", "POST", "/api/accounts/invitations",
                    json=invitation("b", {"role": "lending_staff", "scope_id": s.b}))
    await s.refused("inviteAccount", "POST", "/api/accounts/invitations",
                    json=invitation("wide", {"role": "lending_staff"}))
    made = await s.works("inviteAccount", "POST", "/api/accounts/invitations",
                         json=invitation("a", {"role": "lending_staff", "scope_id": s.a}))
    assert made.json()["roles"] == [{"role": "lending_staff", "scope_id": s.a}]
    assert s.walked == PEOPLE


IMPORTS = {"importCsv", "exportCsv"}


async def test_a_narrowed_desk_neither_imports_nor_exports_the_municipalitys_articles_and_borrowers(
        scoped: Scoped) -> None:
    """Imports and exports of lending articles and borrowers span every site: the municipality-wide desk
    exports them, a desk narrowed to one site is refused both ways (its own file sent back included)."""
    s = scoped
    for kind in ("lending_articles", "borrowers"):
        exported = await s.client.get(f"/api/exports/{kind}.csv", headers=s.wide)
        assert exported.status_code == 200, exported.text
        text = exported.content.decode("utf-8-sig")
        assert len(text.strip().splitlines()) > 1  # a header and the bank's rows
        await s.refused("exportCsv", "GET", f"/api/exports/{kind}.csv")
        await s.refused("importCsv", "POST", f"/api/imports/{kind}", json={"csv": text, "dry_run": True})
        await s.refused("importCsv", "POST", f"/api/imports/{kind}", json={"csv": text, "dry_run": False})
    assert s.walked == IMPORTS


MATCHING = {"getMatchingFollowUp", "getMatchingFollowUpCsv", "listUnansweredInterestRequests"}


async def test_a_narrowed_desk_sees_neither_the_matching_follow_up_nor_the_unanswered_requests(
        scoped: Scoped) -> None:
    """Interest requests span the municipality (the desk's requests from every site, the public's too):
    the municipality-wide desk reads the follow-up and the unanswered list, a desk narrowed to one site
    is refused."""
    s = scoped
    for operation, path in (("getMatchingFollowUp", "/api/association-matching/follow-up"),
                            ("getMatchingFollowUpCsv", "/api/association-matching/follow-up.csv"),
                            ("listUnansweredInterestRequests", "/api/interest-requests/unanswered")):
        wide = await s.client.get(path, headers=s.wide)
        assert wide.status_code == 200, wide.text
        await s.refused(operation, "GET", path)
    assert s.walked == MATCHING


def test_the_walk_covers_every_lending_staff_route(app: Any) -> None:
    """Every operation the lending staff role opens is walked by one of the tests above (each checks it
    walked its own set); a new staff route must join the walk and decide what its site is."""
    assert _staff_operations(app) == DESK | ITEMS | BORROWERS | INTAKE | PEOPLE | IMPORTS | MATCHING
