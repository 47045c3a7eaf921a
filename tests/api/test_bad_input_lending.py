"""Bad input against lending: the catalogue, labels, registration, donations and stock counts.

Each case answers 4xx problem+json naming the field, and no table's row count changes; on SQLite and
PostgreSQL. The catalogue (a category, an article, a labelled item, a borrower with a card) is seeded
without HTTP."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from booking.adapters.db.auth_store import AuthStore
from booking.adapters.db.database import Database
from booking.adapters.db.queries import Queries
from booking.adapters.db.uow import SqlUnitOfWork
from booking.domain.lending import intake_services
from booking.domain.lending.borrowers import Borrower, Card
from booking.domain.lending.labels import Label, new_card_number, new_label_code
from booking.domain.lending.model import Article, Category, Item
from booking.domain.municipalities.services import CreateMunicipality, create_municipality
from booking.domain.people.model import Account
from booking.domain.people.roles import Role
from booking.domain.premises.model import Site
from tests.conftest import make_app, random_ref
from tests.quiet_days import stockholm_today

MB = 1024 * 1024
RLO = "\u202e"
NO_ID = "00000000-0000-7000-8000-000000000000"


@dataclass
class Seeded:
    site_id: str
    other_site_id: str
    category_id: str
    article_id: str
    item_id: str
    code: str
    free_code: str
    borrower_id: str
    child_id: str
    count_id: str
    staff: str
    borrower_token: str


async def _seed(db: Database) -> Seeded:
    municipality = await create_municipality(CreateMunicipality("Testkommun", random_ref("m-")), SqlUnitOfWork(db))
    other = await create_municipality(CreateMunicipality("Grannkommun", random_ref("m-")), SqlUnitOfWork(db))
    m = municipality.id
    now = datetime.now(UTC)
    uow = SqlUnitOfWork(db)
    async with uow:
        site = Site(m, "Fritidsbanken", "Storgatan 1", "85230", "Sundsvall")
        other_site = Site(other.id, "Grannbanken", "Grannvägen 2", "86131", "Timrå")
        uow.sites.add(site)
        uow.sites.add(other_site)
        category = Category(m, "Vintersport")
        uow.lending.add_category(category)
        article = Article(m, category.id, "Skridskor", variant="38")
        uow.lending.add_article(article)
        code, free_code = new_label_code(), new_label_code()
        item = Item(m, article.id, site.id, label_code=code)
        uow.lending.add_item(item)
        label = Label(m, code)
        uow.lending.add_label(label)
        label.link(item.id, now)
        uow.lending.add_label(Label(m, free_code))
        adult = Borrower(m, "Anna Vuxen", "0701234567", 1980)
        uow.lending.add_borrower(adult)
        child = Borrower(m, "Bo Barn", None, now.year - 10, guardian_id=adult.id)
        uow.lending.add_borrower(child)
        uow.lending.add_card(Card(adult.id, new_card_number(), m, issued_at=now))
        staff = Account(m, f"staff.{random_ref()}@example.se", "Personal")
        staff.grant(Role.LENDING_STAFF)
        person = Account(m, f"borrower.{random_ref()}@example.se", "Låntagare")
        person.grant(Role.BORROWER)
        uow.accounts.add(staff)
        uow.accounts.add(person)
        await uow.commit()
    count = await intake_services.start_count(site.id, SqlUnitOfWork(db), staff.actor(), now)
    store = AuthStore(db)
    token, _ = await store.create(staff.id, "api", now, lifetime=timedelta(days=1), idle=None)
    borrower_token, _ = await store.create(person.id, "api", now, lifetime=timedelta(days=1), idle=None)
    return Seeded(str(site.id), str(other_site.id), str(category.id), str(article.id), str(item.id), code, free_code,
                  str(adult.id), str(child.id), str(count.id), token, borrower_token)


@pytest.fixture
async def app(db: Database) -> Any:
    return make_app(db)


@pytest.fixture
async def seeded(db: Database) -> Seeded:
    return await _seed(db)


Body = Callable[[Seeded], Any]


@dataclass(frozen=True)
class Case:
    id: str
    method: str
    path: str  # {placeholders} from Seeded
    body: Body | None = None
    field: str = ""
    status: int = 422
    auth: str = "staff"  # staff | borrower | none


def _article(**changes: Any) -> Body:
    return lambda s: {"category_id": s.category_id, "name": "Hjälm", **changes}


def _register(**changes: Any) -> Body:
    return lambda s: {"name": "Cecilia Ny", "mobile": "070-111 22 33", "birth_year": 1990, **changes}


def _self(**changes: Any) -> Body:
    return lambda s: {"name": "Själv Registrerad", "mobile": "0709998877", "birth_year": 2000, **changes}


def _items(**changes: Any) -> Body:
    return lambda s: {"article_id": s.article_id, "site_id": s.site_id, "count": 2, **changes}


def _donation(**changes: Any) -> Body:
    return lambda s: {"site_id": s.site_id, "lines": [{"article_id": s.article_id, "count": 2}], **changes}


CATALOGUE: list[Case] = [
    # the catalogue
    Case("category-empty-name", "POST", "/api/lending/categories", lambda s: {"name": "  "}, "name"),
    Case("category-rlo", "POST", "/api/lending/categories", lambda s: {"name": f"Vinter{RLO}sport"}, "name"),
    Case("category-emoji", "POST", "/api/lending/categories", lambda s: {"name": "Boll ⚽"}, "name"),
    Case("category-1mb", "POST", "/api/lending/categories", lambda s: {"name": "x" * MB}, "^(name|body)$", 422),
    Case("category-unknown-parent", "POST", "/api/lending/categories",
         lambda s: {"name": "Skor", "parent_id": s.item_id}, "parent_id"),
    Case("category-malformed-json", "POST", "/api/lending/categories", lambda s: b'{"name": "Skor"', "body", 400),
    Case("category-unknown-field", "POST", "/api/lending/categories",
         lambda s: {"name": "Skor", "colour": "red"}, "colour"),
    Case("category-in-use-delete", "DELETE", "/api/lending/categories/{category_id}", None, "category_id", 409),
    Case("article-no-category", "POST", "/api/lending/articles", lambda s: {"name": "Hjälm"}, "category_id"),
    Case("article-category-of-nothing", "POST", "/api/lending/articles", _article(category_id=None), "category_id"),
    Case("article-loan-0", "POST", "/api/lending/articles", _article(loan_period_days=0), "loan_period_days"),
    Case("article-loan-10-years", "POST", "/api/lending/articles", _article(loan_period_days=3650),
         "loan_period_days"),
    Case("article-ages-reversed", "POST", "/api/lending/articles", _article(min_age=12, max_age=6), "max_age"),
    Case("article-age-negative", "POST", "/api/lending/articles", _article(min_age=-1), "min_age"),
    Case("article-age-string", "POST", "/api/lending/articles", _article(min_age="tolv"), "min_age"),
    Case("article-photo-javascript", "POST", "/api/lending/articles", _article(photo_url="javascript:alert(1)"),
         "photo_url"),
    Case("article-variant-control", "POST", "/api/lending/articles", _article(variant="38\x00"), "variant"),
    Case("article-html-name", "POST", "/api/lending/articles", _article(name="<script>alert(1)</script>"), "name"),
    Case("article-update-loan", "PATCH", "/api/lending/articles/{article_id}", lambda s: {"loan_period_days": -3},
         "loan_period_days"),
    Case("sizes-none", "POST", "/api/lending/article-sizes", _article(variants=[]), "variants"),
    Case("sizes-twice", "POST", "/api/lending/article-sizes", _article(variants=["36", "38", "38"]), "variants[2]"),
    Case("sizes-twice-case", "POST", "/api/lending/article-sizes", _article(variants=["s", "S"]), "variants[1]"),
    Case("sizes-blank", "POST", "/api/lending/article-sizes", _article(variants=["36", "  "]), "variants[1]"),
    Case("sizes-control", "POST", "/api/lending/article-sizes", _article(variants=["36", "38\x00"]), "variants[1]"),
    Case("sizes-loan-0", "POST", "/api/lending/article-sizes", _article(variants=["36"], loan_period_days=0),
         "loan_period_days"),
    Case("sizes-category-of-nothing", "POST", "/api/lending/article-sizes",
         lambda s: _article(variants=["36"])(s) | {"category_id": s.item_id}, "category_id"),
    Case("sizes-one-variant-field", "POST", "/api/lending/article-sizes", _article(variants=["36"], variant="38"),
         "variant"),
    Case("article-delete-with-items", "DELETE", "/api/lending/articles/{article_id}", None, "article_id", 409),
    Case("article-delete-unknown", "DELETE", f"/api/lending/articles/{NO_ID}", None, "", 404),
    # items and labels
    Case("items-count-0", "POST", "/api/lending/items", _items(count=0), "count"),
    Case("items-count-huge", "POST", "/api/lending/items", _items(count=100_000), "count"),
    Case("items-other-site", "POST", "/api/lending/items", lambda s: _items()(s) | {"site_id": s.other_site_id},
         "site_id"),
    Case("items-not-a-uuid", "POST", "/api/lending/items", _items(article_id="12"), "article_id"),
    Case("item-bad-status", "PATCH", "/api/lending/items/{item_id}", lambda s: {"status": "stolen"}, "status"),
    Case("item-retired-to-loan", "PATCH", "/api/lending/items/{item_id}", lambda s: {"status": "on_hold_shelf",
                                                                                     "site_id": s.other_site_id},
         "site_id"),
    Case("labels-0", "POST", "/api/lending/labels", lambda s: {"count": 0}, "count"),
    Case("labels-many", "POST", "/api/lending/labels", lambda s: {"count": 10_000}, "count"),
    Case("link-malformed-code", "POST", "/api/lending/labels/0O1IL/link", lambda s: {"item_id": s.item_id}, "code"),
    Case("link-unknown-code", "POST", "/api/lending/labels/" + "2" * 9 + "/link", lambda s: {"item_id": s.item_id},
         "", 404),
    Case("link-already-linked", "POST", "/api/lending/labels/{code}/link", lambda s: {"item_id": s.item_id},
         "code", 409),
    Case("link-item-has-label", "POST", "/api/lending/labels/{free_code}/link", lambda s: {"item_id": s.item_id},
         "item_id", 409),
    Case("by-code-malformed", "GET", "/api/lending/items/by-code/%3Cscript%3E", None, "code", 422, "none"),
    Case("by-code-unknown", "GET", "/api/lending/items/by-code/" + "3" * 9, None, "", 404, "none"),
    Case("sheet-no-codes", "POST", "/api/lending/label-sheets", lambda s: {"codes": []}, "codes"),
    Case("sheet-bad-template", "POST", "/api/lending/label-sheets", lambda s: {"codes": [s.code], "template": "a3"},
         "template"),
    Case("sheet-unknown-code", "POST", "/api/lending/label-sheets",
         lambda s: {"codes": [s.code, "4" * 9]}, "codes[1]"),
    Case("sheet-malformed-code", "POST", "/api/lending/label-sheets", lambda s: {"codes": ["DROP TABLE"]},
         "codes[0]"),
    Case("catalogue-no-municipality", "GET", "/api/lending/catalogue", None, "municipality", 422, "none"),
    # registration at the desk
    Case("register-empty", "POST", "/api/lending/borrowers", lambda s: {}, "^(name|birth_year)$"),
    Case("register-no-mobile", "POST", "/api/lending/borrowers", lambda s: {"name": "Ny", "birth_year": 1990},
         "mobile"),
    Case("register-bad-mobile", "POST", "/api/lending/borrowers", _register(mobile="08-123 456"), "mobile"),
    Case("register-mobile-letters", "POST", "/api/lending/borrowers", _register(mobile="070-ABC DE FG"), "mobile"),
    Case("register-born-future", "POST", "/api/lending/borrowers", _register(birth_year=stockholm_today().year + 1),
         "birth_year"),
    Case("register-born-1800", "POST", "/api/lending/borrowers", _register(birth_year=1800), "birth_year"),
    Case("register-bad-email", "POST", "/api/lending/borrowers", _register(email="inte en adress"), "email"),
    Case("register-rlo-name", "POST", "/api/lending/borrowers", _register(name=f"Anna{RLO}nnA"), "name"),
    Case("register-guardian-unknown", "POST", "/api/lending/borrowers", _register(guardian_id=NO_ID), "guardian_id"),
    Case("register-guardian-minor", "POST", "/api/lending/borrowers",
         lambda s: _register(birth_year=2015)(s) | {"guardian_id": s.child_id}, "guardian_id"),
    Case("register-consent-unknown", "POST", "/api/lending/borrowers",
         lambda s: _register(mobile=None, birth_year=2015)(s) | {"guardian_id": s.borrower_id,
                                                                 "consent_category_ids": [s.item_id]},
         "consent_category_ids[0]"),
    Case("register-gender-bad", "POST", "/api/lending/borrowers", _register(gender="robot"), "gender"),
    Case("block-no-reason", "POST", "/api/lending/borrowers/{borrower_id}/block", lambda s: {"reason": ""},
         "reason"),
    Case("update-bad-mobile", "PATCH", "/api/lending/borrowers/{borrower_id}", lambda s: {"mobile": "123"},
         "mobile"),
    # self-registration
    Case("self-no-mobile", "POST", "/api/lending/me", lambda s: {"name": "Själv", "birth_year": 2000}, "mobile",
         auth="borrower"),
    Case("self-guardian-field", "POST", "/api/lending/me", _self(guardian_id=NO_ID), "guardian_id",
         auth="borrower"),
    Case("self-bad-year", "POST", "/api/lending/me", _self(birth_year=3000), "birth_year", auth="borrower"),
    Case("self-anonymous", "POST", "/api/lending/me", _self(), "", 401, "none"),
    # donations and stock counts
    Case("donation-no-lines", "POST", "/api/lending/donations", _donation(lines=[]), "lines"),
    Case("donation-count-0", "POST", "/api/lending/donations",
         lambda s: _donation()(s) | {"lines": [{"article_id": s.article_id, "count": 0}]}, "lines[0].count"),
    Case("donation-unknown-article", "POST", "/api/lending/donations",
         lambda s: _donation()(s) | {"lines": [{"article_id": s.item_id}]}, "lines[0].article_id"),
    Case("donation-too-many", "POST", "/api/lending/donations",
         lambda s: _donation()(s) | {"lines": [{"article_id": s.article_id, "count": 400}] * 2}, "lines"),
    Case("stock-scan-malformed", "POST", "/api/lending/stock-counts/{count_id}/scans",
         lambda s: {"code": "<img src=x>"}, "code"),
    Case("stock-other-site", "POST", "/api/lending/stock-counts", lambda s: {"site_id": s.other_site_id}, "site_id"),
]


async def _check(case: Case, db: Database, seeded: Seeded, client: httpx.AsyncClient) -> None:
    queries = Queries(db)
    before = await queries.table_counts()
    headers = {"staff": {"Authorization": f"Bearer {seeded.staff}"},
               "borrower": {"Authorization": f"Bearer {seeded.borrower_token}"}, "none": {}}[case.auth]
    kwargs: dict[str, Any] = {"headers": headers}
    if case.body is not None:
        body = case.body(seeded)
        if isinstance(body, bytes):
            kwargs["content"] = body
            kwargs["headers"] = {**headers, "Content-Type": "application/json"}
        else:
            kwargs["json"] = body
    response = await client.request(case.method, case.path.format(**vars(seeded)), **kwargs)
    assert response.status_code == case.status, response.text[:400]
    assert response.headers["content-type"].startswith("application/problem+json"), response.headers
    problem = response.json()
    assert problem["status"] == case.status and problem["title"] and problem["detail"], problem
    if case.field:
        fields = [e["field"] for e in problem.get("errors", [])] + [
            c.get("field") for c in problem.get("conflicts", []) if isinstance(c, dict)]
        pattern = case.field if case.field.startswith("^") else f"^{re.escape(case.field)}$"
        assert any(f and re.match(pattern, f) for f in fields), f"field {case.field!r} not in {fields}: {problem}"
    after = await queries.table_counts()
    changed = {k: (before[k], after[k]) for k in after if k != "auth_sessions" and before.get(k) != after[k]}
    assert not changed, f"rows changed: {changed}"


async def test_bad_lending_input_is_refused_naming_the_field_and_changes_nothing(
    db: Database, seeded: Seeded, client: httpx.AsyncClient
) -> None:
    failures: list[str] = []
    for case in CATALOGUE:
        try:
            await _check(case, db, seeded, client)
        except AssertionError as exc:
            failures.append(f"{case.id}: {str(exc).splitlines()[0][:300]}")
    assert not failures, f"{len(failures)} of {len(CATALOGUE)} cases failed on {db.dialect}:\n" + "\n".join(failures)
    assert len(CATALOGUE) >= 60
