"""QUALITY.md's bad-input catalogue against associations in the open (interest categories, an association's
profile and public training times, the public directory): each case answers 4xx problem+json naming the
field, and no table changes (both engines)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from typing import Any
from uuid import UUID

import httpx
import pytest
import time_machine

from booking.adapters.db.database import Database
from booking.adapters.db.queries import Queries
from booking.adapters.db.uow import SqlUnitOfWork
from booking.domain.matching.category_services import list_categories
from tests.api.bad_input_support import assert_rows_unchanged
from tests.api.test_bad_input import (
    HTML,
    MB,
    PINNED,
    RTL_OVERRIDE,
    SQL,
    ZALGO,
    Case,
    Seeded,
    _check,
    _seed,
    _send,
)
from tests.conftest import make_app

UNKNOWN = "00000000-0000-7000-8000-000000000000"


@pytest.fixture(autouse=True)
def pinned_clock() -> Iterator[None]:
    with time_machine.travel(PINNED, tick=True):
        yield


@pytest.fixture
async def app(db: Database) -> Any:
    return make_app(db)


@dataclasses.dataclass
class Ids:
    seeded: Seeded
    categories: list[str]


@pytest.fixture
async def ids(db: Database) -> Ids:
    seeded = await _seed(db)
    async with db.read_sessions() as session:
        import sqlalchemy as sa

        from booking.adapters.db import tables as t
        municipality_id = (await session.execute(sa.select(t.municipalities.c.id).where(
            t.municipalities.c.slug == seeded.slug))).scalar_one()
    found = await list_categories(UUID(str(municipality_id)), SqlUnitOfWork(db))  # the defaults, stored now
    return Ids(seeded, [str(c.id) for c in found])


def _catalogue(ids: Ids) -> list[Case]:
    cats = ids.categories

    def profile(**changes: Any) -> Callable[[Seeded], Any]:
        return lambda s: {"interests": [cats[0]], "age_min": 10, "age_max": 12, "for_whom": ["all"],
                          "description": "Vi spelar innebandy.", **changes}

    p = "/api/associations/{association_id}/profile"
    times = "/api/associations/{association_id}/public-times"
    c, d = "/api/interest-categories", "/api/association-directory"
    one = c + "/" + cats[0]
    return [
        Case("profile-malformed-json", "PUT", p, lambda s: b'{"interests": [', "body", 400),
        Case("profile-array", "PUT", p, lambda s: [1, 2], "body"),
        Case("profile-no-interests", "PUT", p, profile(interests=[]), "interests"),
        Case("profile-six-interests", "PUT", p, profile(interests=cats[:6]), "interests"),
        Case("profile-interest-unknown", "PUT", p, profile(interests=[UNKNOWN]), "interests[0]"),
        Case("profile-interest-not-uuid", "PUT", p, profile(interests=["innebandy"]), "^interests"),
        Case("profile-interest-twice", "PUT", p, profile(interests=[cats[0], cats[0]]), "interests[1]"),
        Case("profile-interest-area", "PUT", p, lambda s: profile(interests=[s.area_id])(s), "interests[0]"),
        Case("profile-age-negative", "PUT", p, profile(age_min=-1), "age_min"),
        Case("profile-age-99", "PUT", p, profile(age_max=99), "age_max"),
        Case("profile-age-huge", "PUT", p, profile(age_max=10**30), "age_max"),
        Case("profile-age-string", "PUT", p, profile(age_min="tio"), "age_min"),
        Case("profile-ages-reversed", "PUT", p, profile(age_min=12, age_max=10), "age_max"),
        Case("profile-for-whom-empty", "PUT", p, profile(for_whom=[]), "for_whom"),
        Case("profile-for-whom-unknown", "PUT", p, profile(for_whom=["martians"]), "^for_whom"),
        Case("profile-for-whom-twice", "PUT", p, profile(for_whom=["all", "all"]), "for_whom[1]"),
        Case("profile-area-unknown", "PUT", p, profile(areas=[UNKNOWN]), "areas[0]"),
        Case("profile-area-twice", "PUT", p, lambda s: profile(areas=[s.area_id, s.area_id])(s), "areas[1]"),
        Case("profile-language-unknown", "PUT", p, profile(languages=["xx"]), "languages[0]"),
        Case("profile-language-long", "PUT", p, profile(languages=["svenska"]), "^languages"),
        Case("profile-fee-negative", "PUT", p, profile(membership_fee=-1), "membership_fee"),
        Case("profile-fee-huge", "PUT", p, profile(membership_fee=10**9), "membership_fee"),
        Case("profile-fee-word", "PUT", p, profile(membership_fee="gratis"), "membership_fee"),
        Case("profile-description-empty", "PUT", p, profile(description=""), "description"),
        Case("profile-description-blank", "PUT", p, profile(description="   "), "description"),
        Case("profile-description-1001", "PUT", p, profile(description="a" * 1001), "description"),
        Case("profile-description-1mb", "PUT", p, profile(description="a" * MB), "description"),
        Case("profile-description-rtl", "PUT", p, profile(description=f"Vi{RTL_OVERRIDE}spelar"), "description"),
        Case("profile-description-zalgo", "PUT", p, profile(description=ZALGO), "description"),
        Case("profile-description-nul", "PUT", p, profile(description="Vi\x00spelar"), "description"),
        Case("profile-try-out-1mb", "PUT", p, profile(try_out_text="t" * MB), "try_out_text"),
        Case("profile-notes-1mb", "PUT", p, profile(accessibility={"notes": "n" * MB}), "^accessibility"),
        Case("profile-notes-rtl", "PUT", p, profile(accessibility={"notes": f"Ramp{RTL_OVERRIDE}"}),
             "accessibility.notes"),
        Case("profile-accessibility-word", "PUT", p, profile(accessibility={"step_free": "ja"}), "^accessibility"),
        Case("profile-website-http", "PUT", p, profile(website="http://klubben.example.se"), "website"),
        Case("profile-website-javascript", "PUT", p, profile(website="javascript:alert(1)"), "website"),
        Case("profile-website-no-host", "PUT", p, profile(website="https://"), "website"),
        Case("profile-website-html", "PUT", p, profile(website=HTML), "website"),
        Case("profile-website-1mb", "PUT", p, profile(website="https://" + "a" * MB), "website"),
        Case("profile-contact-unknown", "PUT", p, profile(contact_id=UNKNOWN), "contact_id"),
        Case("profile-unknown-field", "PUT", p, profile(email="ordforande@example.se"), "email"),
        Case("profile-missing-description", "PUT", p,
             lambda s: {"interests": [cats[0]], "age_min": 1, "age_max": 2, "for_whom": ["all"]}, "description"),
        Case("profile-status", "PUT", p, profile(status="published"), "status"),
        Case("submit-without-profile", "POST", p + "/submission", None, "profile"),
        Case("verify-no-approve", "POST", p + "/verification", lambda s: {}, "approve"),
        Case("verify-approve-word", "POST", p + "/verification", lambda s: {"approve": "ja"}, "approve"),
        Case("verify-note-1mb", "POST", p + "/verification", lambda s: {"approve": False, "note": "n" * MB}, "note"),
        Case("times-booking-unknown", "PUT", times, lambda s: {"booking_ids": [UNKNOWN]}, "booking_ids[0]"),
        Case("times-series-unknown", "PUT", times, lambda s: {"series_ids": [UNKNOWN, UNKNOWN]}, "series_ids[0]"),
        Case("times-booking-not-uuid", "PUT", times, lambda s: {"booking_ids": ["tisdag"]}, "^booking_ids"),
        Case("times-too-many", "PUT", times, lambda s: {"booking_ids": [UNKNOWN] * 501}, "booking_ids"),
        Case("times-unknown-field", "PUT", times, lambda s: {"weekdays": [1]}, "weekdays"),
        Case("category-name-empty", "POST", c, lambda s: {"name": ""}, "name"),
        Case("category-name-blank", "POST", c, lambda s: {"name": "   "}, "name"),
        Case("category-name-1mb", "POST", c, lambda s: {"name": "a" * MB}, "name"),
        Case("category-name-html", "POST", c, lambda s: {"name": HTML}, "name"),
        Case("category-name-sql", "POST", c, lambda s: {"name": SQL}, "name"),
        Case("category-name-emoji", "POST", c, lambda s: {"name": "Dans 💃"}, "name"),
        Case("category-name-rtl", "POST", c, lambda s: {"name": f"Dans{RTL_OVERRIDE}"}, "name"),
        Case("category-name-number", "POST", c, lambda s: {"name": 42}, "name"),
        Case("category-name-en-long", "POST", c, lambda s: {"name": "Parkour", "name_en": "p" * 61}, "name_en"),
        Case("category-position-negative", "POST", c, lambda s: {"name": "Parkour", "position": -1}, "position"),
        Case("category-unknown-field", "POST", c, lambda s: {"name": "Parkour", "colour": "blå"}, "colour"),
        Case("category-duplicate", "POST", c, lambda s: {"name": "FOTBOLL"}, "name", 409),
        Case("category-update-empty", "PATCH", one, lambda s: {"name": ""}, "name"),
        Case("category-update-null", "PATCH", one, lambda s: {"name": None}, "name"),
        Case("category-update-position", "PATCH", one, lambda s: {"position": 10**6}, "position"),
        Case("category-update-duplicate", "PATCH", one, lambda s: {"name": "innebandy"}, "name", 409),
        Case("category-list-municipality", "GET", c, None, "municipality", params={"municipality": "finns-inte"},
             auth="none"),
        Case("category-list-no-municipality", "GET", c, None, "municipality", auth="none"),
        Case("directory-age", "GET", d, None, "age", params={"municipality": ids.seeded.slug, "age": 99}),
        Case("directory-age-word", "GET", d, None, "age", params={"municipality": ids.seeded.slug, "age": "tio"}),
        Case("directory-weekday", "GET", d, None, "weekday", params={"municipality": ids.seeded.slug, "weekday": 8}),
        Case("directory-weekday-zero", "GET", d, None, "weekday",
             params={"municipality": ids.seeded.slug, "weekday": 0}),
        Case("directory-interest", "GET", d, None, "interest",
             params={"municipality": ids.seeded.slug, "interest": "fotboll"}),
        Case("directory-area", "GET", d, None, "area", params={"municipality": ids.seeded.slug, "area": SQL}),
        Case("directory-language", "GET", d, None, "language",
             params={"municipality": ids.seeded.slug, "language": "xx"}, auth="none"),
        Case("directory-language-long", "GET", d, None, "language",
             params={"municipality": ids.seeded.slug, "language": "svenska"}, auth="none"),
        Case("directory-free", "GET", d, None, "free_to_try",
             params={"municipality": ids.seeded.slug, "free_to_try": "kanske"}),
        Case("directory-q-nul", "GET", d, None, "q", params={"municipality": ids.seeded.slug, "q": "a\x00b"}),
        Case("directory-q-long", "GET", d, None, "q", params={"municipality": ids.seeded.slug, "q": "q" * 101}),
        Case("directory-limit", "GET", d, None, "limit", params={"municipality": ids.seeded.slug, "limit": 0}),
        Case("directory-municipality", "GET", d, None, "municipality", params={"municipality": "finns-inte"},
             auth="none"),
        Case("public-municipality", "GET", d + "/{association_id}", None, "municipality",
             params={"municipality": "finns-inte"}, auth="none"),
    ]


async def _check_conflict(case: Case, db: Database, seeded: Seeded, client: httpx.AsyncClient) -> None:
    """A clash with what is stored (a name taken): 409 problem+json whose `conflicts` name the field."""
    before = await Queries(db).table_counts()
    response = await _send(client, case, seeded)
    assert response.status_code == 409, response.text[:500]
    assert response.headers["content-type"].startswith("application/problem+json"), response.headers
    named = [c.get("field") for c in response.json().get("conflicts", [])]
    assert case.field in named, f"conflicts name {named}, not {case.field}"
    await assert_rows_unchanged(Queries(db), before)


async def test_bad_input_against_profiles_is_refused_naming_the_field_and_changes_nothing(
        db: Database, ids: Ids, client: httpx.AsyncClient) -> None:
    failures: list[str] = []
    catalogue = _catalogue(ids)
    path_ids = {"association_id": ids.seeded.association_id}
    profile_before = (await client.get(f"/api/associations/{ids.seeded.association_id}/profile",
                                       headers={"Authorization": f"Bearer {ids.seeded.admin_token}"})).json()
    for case in catalogue:
        try:
            case = dataclasses.replace(case, path=case.path.format(**path_ids))
            await (_check_conflict if case.status == 409 else _check)(case, db, ids.seeded, client)
        except AssertionError as exc:
            failures.append(f"{case.id}: {str(exc).splitlines()[0][:300]}")
    assert not failures, f"{len(failures)} of {len(catalogue)} cases failed on {db.dialect}:\n" + "\n".join(failures)
    after = (await client.get(f"/api/associations/{ids.seeded.association_id}/profile",
                              headers={"Authorization": f"Bearer {ids.seeded.admin_token}"})).json()
    assert after == profile_before, "the profile changed"
    assert len(catalogue) >= 80
