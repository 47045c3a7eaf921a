"""Statistics from loans, and the anonymisation of inactive borrowers that keeps them, on both engines.

Loans are written straight into circulation's `lending_loans` table (this part only reads it)."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from booking.adapters.db import tables as t
from booking.adapters.db.database import Database
from booking.adapters.db.uow import SqlUnitOfWork
from booking.adapters.jobs_lending_privacy import run as anonymise_job
from booking.domain.lending.borrowers import ANONYMISED_NAME, Borrower, Card, Gender
from booking.domain.lending.labels import new_card_number
from booking.domain.lending.model import Article, Category, Item
from booking.domain.shared.clock import FixedClock
from tests.conftest import World, build_world, make_app
from tests.conftest import test_settings as settings_for

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


@pytest.fixture
async def app(db: Database) -> Any:
    return make_app(db)


@pytest.fixture
async def world(db: Database, client: httpx.AsyncClient) -> World:
    return await build_world(db, client)


async def _scene(db: Database, world: World) -> dict[str, Any]:
    m, site, area = uuid.UUID(world.municipality_id), uuid.UUID(world.site_id), uuid.UUID(world.area_id)
    uow = SqlUnitOfWork(db)
    async with uow:
        winter = Category(m, "Vintersport")
        skates = Category(m, "Skridskor", winter.id)
        balls = Category(m, "Bollar")
        for c in (winter, skates, balls):
            uow.lending.add_category(c)
        skate = Article(m, skates.id, "Skridskor", variant="38")
        ball = Article(m, balls.id, "Fotboll")
        uow.lending.add_article(skate)
        uow.lending.add_article(ball)
        items = [Item(m, skate.id, site), Item(m, skate.id, site), Item(m, ball.id, site)]
        for i in items:
            uow.lending.add_item(i)
        old = NOW - timedelta(days=800)
        girl = Borrower(m, "Tova Tjej", "0701234567", 2014, gender=Gender.GIRL, area_id=area, last_active_at=old)
        boy = Borrower(m, "Olle Kille", "0701234568", 1990, gender=Gender.BOY, last_active_at=old)
        lending = Borrower(m, "Lånar Nu", "0701234569", 2000, last_active_at=old)
        recent = Borrower(m, "Ny Nyss", "0701234560", 2001, last_active_at=NOW - timedelta(days=40))
        for b in (girl, boy, lending, recent):
            uow.lending.add_borrower(b)
            uow.lending.add_card(Card(b.id, new_card_number(), m, issued_at=old))
        await uow.commit()
    loans = t.metadata.tables["lending_loans"]
    rows = [  # (item, article, borrower, lent_at, returned)
        (items[0], skate, girl, datetime(2024, 1, 10, 23, 30, tzinfo=UTC), True),  # 11 Jan in Stockholm
        (items[1], skate, boy, datetime(2024, 1, 31, 23, 30, tzinfo=UTC), True),  # 1 Feb in Stockholm
        (items[2], ball, girl, datetime(2024, 2, 5, 10, 0, tzinfo=UTC), True),
        (items[2], ball, lending, datetime(2024, 3, 5, 10, 0, tzinfo=UTC), False),  # never returned
    ]
    async with db.write_engine.begin() as conn:
        for item, article, borrower, lent_at, returned in rows:
            await conn.execute(loans.insert().values(
                id=uuid.uuid4(), municipality_id=m, item_id=item.id, article_id=article.id, borrower_id=borrower.id,
                site_id=site, lent_at=lent_at, due_on=(lent_at + timedelta(days=14)).date(),
                returned_at=lent_at + timedelta(days=10) if returned else None, created_at=lent_at, updated_at=lent_at))
    return {"girl": girl, "boy": boy, "lending": lending, "recent": recent}


async def _stats(client: httpx.AsyncClient, world: World) -> dict[str, Any]:
    response = await client.get("/api/lending/stats", headers=world["lending_staff"].headers,
                                params={"from": "2024-01-01", "to": "2024-12-31"})
    assert response.status_code == 200, response.text
    return dict(response.json())


async def test_statistics_count_loans_and_unique_borrowers_and_survive_anonymisation(
    db: Database, client: httpx.AsyncClient, world: World
) -> None:
    people = await _scene(db, world)
    stats = await _stats(client, world)
    assert stats["loans"] == 4 and stats["borrowers"] == 3
    by_month = {(m["month"], m["category"]): m["loans"] for m in stats["loans_by_month"]}
    assert by_month == {("2024-01", "Vintersport"): 1, ("2024-02", "Vintersport"): 1, ("2024-02", "Bollar"): 1,
                        ("2024-03", "Bollar"): 1}  # months in local time; a subcategory counts for its top
    assert {c["key"]: c["count"] for c in stats["loans_by_category"]} == {"Vintersport": 2, "Bollar": 2}
    assert stats["top_articles"] == [{"key": "Fotboll", "count": 2}, {"key": "Skridskor 38", "count": 2}]
    assert {c["key"]: c["count"] for c in stats["borrowers_by_age_band"]} == {"7-12": 1, "26-64": 1, "20-25": 1}
    assert {c["key"]: c["count"] for c in stats["borrowers_by_gender"]} == {"female": 1, "male": 1, "unknown": 1}
    assert {c["key"]: c["count"] for c in stats["borrowers_by_area"]} == {"Nacksta": 1, "unknown": 2}
    # reach by where the borrowers live: the girl (10 in 2024) is Nacksta's one child; without a population
    # no per-1,000 figure, with 2,000 children living there 0.5 per 1,000
    assert [(r["area"], r["children"], r["per_1000"]) for r in stats["reach_by_area"]] == [("Nacksta", 1, None)]
    patched = await client.patch(f"/api/areas/{world.area_id}", headers=world["admin"].headers,
                                 json={"population_0_17": 2000})
    assert patched.status_code == 200, patched.text
    stats = await _stats(client, world)
    assert [(r["area"], r["children"], r["per_1000"]) for r in stats["reach_by_area"]] == [("Nacksta", 1, 0.5)]
    csv_answer = await client.get("/api/lending/stats.csv", headers=world["lending_staff"].headers,
                                  params={"from": "2024-01-01", "to": "2024-12-31"})
    rows = list(csv.reader(io.StringIO(csv_answer.text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0] == ["measure", "month", "site", "category", "key", "value"]
    assert ["loans", "", "", "", "", "4"] in rows
    assert ["loans_by_month", "2024-02", "Testskolan", "Bollar", "", "1"] in rows
    assert ["children_per_1000", "", "", "", "Nacksta", "0.5"] in rows

    # 24 months without activity: the girl and the boy go; the one with an open loan and the recent one stay
    done = await anonymise_job(db, FixedClock(NOW), settings_for())
    assert done == {"lending_borrowers_anonymised": 2}
    uow = SqlUnitOfWork(db)
    async with uow:
        for key, gone in (("girl", True), ("boy", True), ("lending", False), ("recent", False)):
            borrower = await uow.lending.get_borrower(people[key].id)
            assert borrower is not None
            assert (borrower.name == ANONYMISED_NAME) is gone, key
            assert (borrower.mobile is None) is gone
            card = await uow.lending.active_card(borrower.id)
            assert (card is None) is gone
        loans = t.metadata.tables["lending_loans"]
        assert (await uow.session.scalar(sa.select(sa.func.count()).select_from(loans))) == 4
    assert await _stats(client, world) == stats  # the statistics are exactly what they were
    assert await anonymise_job(db, FixedClock(NOW), None) == {"lending_borrowers_anonymised": 0}  # idempotent
    later = await anonymise_job(db, FixedClock(NOW), settings_for(lending_anonymise_after_months=1))
    # "recent" was active 40 days ago; the open loan still protects "lending"
    assert later == {"lending_borrowers_anonymised": 1}


async def test_a_bad_period_names_the_field(client: httpx.AsyncClient, world: World) -> None:
    staff = world["lending_staff"].headers
    reversed_ = await client.get("/api/lending/stats", headers=staff, params={"from": "2024-05-01", "to": "2024-01-01"})
    assert reversed_.status_code == 422 and reversed_.json()["errors"][0]["field"] == "to"
    garbage = await client.get("/api/lending/stats", headers=staff, params={"from": "igår"})
    assert garbage.status_code in (400, 422) and garbage.json()["errors"][0]["field"] == "from"
