"""QUALITY.md's bad-input catalogue against holiday activities, sessions and sign-ups: each case
answers 4xx problem+json naming the field, and no table changes (both engines)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import date, time, timedelta
from typing import Any

import httpx
import pytest
import time_machine

from booking.adapters.db.database import Database
from booking.adapters.db.uow import SqlUnitOfWork
from booking.domain.activities import services as act
from booking.domain.activities.lov import LovKind
from booking.domain.activities.model import Category
from booking.domain.people.roles import Actor, Grant, Role
from booking.domain.shared.clock import SystemClock
from tests.api.test_bad_input import HTML, MB, PINNED, RTL_OVERRIDE, SQL, ZALGO, Case, Seeded, _check, _seed
from tests.conftest import make_app

SESSION_DAY = date(2027, 2, 10)  # a Wednesday a month after the pinned clock; no holiday that week
YEAR = SESSION_DAY.year


@pytest.fixture(autouse=True)
def pinned_clock() -> Iterator[None]:
    with time_machine.travel(PINNED, tick=True):
        yield


@dataclasses.dataclass
class Ids:
    seeded: Seeded
    activity_id: str
    session_id: str


@pytest.fixture
async def app(db: Database) -> Any:
    return make_app(db)


@pytest.fixture
async def ids(db: Database) -> Ids:
    seeded = await _seed(db)
    async with db.read_sessions() as session:
        import sqlalchemy as sa

        from booking.adapters.db import tables as t
        row = (await session.execute(sa.select(t.accounts.c.id, t.accounts.c.municipality_id).where(
            t.accounts.c.email.like("admin.%")))).first()
    assert row is not None
    admin = Actor(row.id, row.municipality_id, frozenset({Grant(Role.ADMIN)}))
    activity = await act.create_activity(act.ActivityDraft(
        title="Prova på", category=Category.SPORT, organiser="Fritid", age_min=6, age_max=15, place="Parken",
        capacity=10), SqlUnitOfWork(db), admin)
    added = await act.add_sessions(act.NewSessions(activity.id, time(10), time(12), day=SESSION_DAY),
                                   SqlUnitOfWork(db), admin, SystemClock())
    await act.publish_activity(activity.id, SqlUnitOfWork(db), admin)
    await act.set_period(LovKind.HOSTLOV, YEAR, date(YEAR, 10, 26), date(YEAR, 11, 1), SqlUnitOfWork(db), admin)
    return Ids(seeded, str(activity.id), str(added.sessions[0].id))


def _activity(**changes: Any) -> Any:
    return lambda s: {"title": "Prova på dans", "category": "kultur", "organiser": "Fritid", "age_min": 7,
                      "age_max": 12, "place": "Aulan", **changes}


def _sessions(**changes: Any) -> Any:
    return lambda s: {"date": (SESSION_DAY + timedelta(days=1)).isoformat(), "start": "10:00", "end": "12:00",
                      **changes}


def _child(**changes: Any) -> Any:
    return lambda s: {"children": [{"first_name": "Alva", "birth_year": YEAR - 9, **changes}]}


A = "/api/activities"
P = "/api/activities/{activity_id}"
S = "/api/activities/{activity_id}/sessions"
R = "/api/activity-sessions/{session_id}/registrations"

CATALOGUE: list[Case] = [
    Case("activity-malformed-json", "POST", A, lambda s: b'{"title": "', "body", 400),
    Case("activity-array", "POST", A, lambda s: [1, 2], "body"),
    Case("activity-title-empty", "POST", A, _activity(title=""), "title"),
    Case("activity-title-1mb", "POST", A, _activity(title="a" * MB), "title"),
    Case("activity-title-rtl-override", "POST", A, _activity(title=f"Dans{RTL_OVERRIDE}snaD"), "title"),
    Case("activity-title-zalgo", "POST", A, _activity(title=ZALGO), "title"),
    Case("activity-title-emoji", "POST", A, _activity(title="Dans 💃"), "title"),
    Case("activity-title-html", "POST", A, _activity(title=HTML), "title"),
    Case("activity-title-number", "POST", A, _activity(title=42), "title"),
    Case("activity-description-1mb", "POST", A, _activity(description="b" * MB), "description"),
    Case("activity-category-unknown", "POST", A, _activity(category="vinterbad"), "category"),
    Case("activity-age-negative", "POST", A, _activity(age_min=-1), "age_min"),
    Case("activity-age-99", "POST", A, _activity(age_max=99), "age_max"),
    Case("activity-ages-reversed", "POST", A, _activity(age_min=12, age_max=7), "age_max"),
    Case("activity-capacity-zero", "POST", A, _activity(capacity=0), "capacity"),
    Case("activity-capacity-huge", "POST", A, _activity(capacity=10**30), "capacity"),
    Case("activity-capacity-string", "POST", A, _activity(capacity="tio"), "capacity"),
    Case("activity-cost-negative", "POST", A, _activity(cost="-5"), "cost"),
    Case("activity-cost-fractions", "POST", A, _activity(cost="10.001"), "cost"),
    Case("activity-language-unknown", "POST", A, _activity(languages=["xx"]), "languages"),
    Case("activity-signup-naive", "POST", A, _activity(signup_opens_at="2027-03-01T08:00:00"), "signup_opens_at"),
    Case("activity-signup-reversed", "POST", A, _activity(signup_opens_at="2027-03-02T08:00:00Z",
                                                          signup_closes_at="2027-03-01T08:00:00Z"),
         "signup_closes_at"),
    Case("activity-space-unknown", "POST", A, _activity(space_id="00000000-0000-7000-8000-000000000000"),
         "space_id"),
    Case("activity-area-not-uuid", "POST", A, _activity(area_id="Nacksta"), "area_id"),
    Case("activity-unknown-field", "POST", A, _activity(colour="blå"), "colour"),
    Case("activity-missing-title", "POST", A, lambda s: {"category": "kultur", "organiser": "F", "age_min": 7,
                                                         "age_max": 9}, "title"),
    Case("activity-lending-unknown", "POST", A, _activity(lending_articles=["00000000-0000-7000-8000-000000000000"]),
         "lending_articles[0]"),
    Case("activity-lending-not-uuid", "POST", A, _activity(lending_articles=["klatterskor"]), "lending_articles[0]"),
    Case("update-title-empty", "PATCH", P, lambda s: {"title": ""}, "title"),
    Case("update-title-null", "PATCH", P, lambda s: {"title": None}, "title"),
    Case("update-title-html", "PATCH", P, lambda s: {"title": HTML}, "title"),
    Case("update-title-then-bad-age", "PATCH", P, lambda s: {"title": "Nytt namn", "age_max": 99}, "age_max"),
    Case("update-ages-reversed", "PATCH", P, lambda s: {"age_max": 3}, "age_max"),
    Case("update-description-1mb", "PATCH", P, lambda s: {"description": "b" * MB}, "description"),
    Case("update-category-unknown", "PATCH", P, lambda s: {"category": "vinterbad"}, "category"),
    Case("update-cost-negative", "PATCH", P, lambda s: {"cost": "-1"}, "cost"),
    Case("update-language-unknown", "PATCH", P, lambda s: {"languages": ["sv", "xx"]}, "languages"),
    Case("update-signup-naive", "PATCH", P, lambda s: {"signup_opens_at": "2027-03-01T08:00:00"}, "signup_opens_at"),
    Case("update-signup-reversed", "PATCH", P, lambda s: {"signup_opens_at": "2027-03-02T08:00:00Z",
                                                          "signup_closes_at": "2027-03-01T08:00:00Z"},
         "signup_closes_at"),
    Case("update-area-unknown", "PATCH", P, lambda s: {"area_id": "00000000-0000-7000-8000-000000000000"},
         "area_id"),
    Case("update-lending-unknown", "PATCH", P,
         lambda s: {"lending_articles": ["00000000-0000-7000-8000-000000000000"]}, "lending_articles[0]"),
    Case("update-lending-twice", "PATCH", P, lambda s: {"lending_articles": ["a", "a"]}, "lending_articles"),
    Case("update-status", "PATCH", P, lambda s: {"status": "published"}, "status"),
    Case("update-space", "PATCH", P, lambda s: {"space_id": "00000000-0000-7000-8000-000000000000"}, "space_id"),
    Case("update-array", "PATCH", P, lambda s: [1], "body"),
    Case("send-back-no-reason", "POST", P + "/return", lambda s: {}, "reason"),
    Case("send-back-blank-reason", "POST", P + "/return", lambda s: {"reason": "   "}, "reason"),
    Case("sessions-end-before-start", "POST", S, _sessions(start="12:00", end="10:00"), "end"),
    Case("sessions-dst-gap", "POST", S, _sessions(date="2027-03-28", start="02:30", end="03:30"), "start"),
    Case("sessions-year-9999", "POST", S, _sessions(date="9999-01-01"), "date"),
    Case("sessions-in-the-past", "POST", S, _sessions(date="2020-01-01"), "date"),
    Case("sessions-bad-time", "POST", S, _sessions(start="25:00"), "start"),
    Case("sessions-weekday-9", "POST", S, _sessions(weekdays=[9]), "^weekdays"),
    Case("sessions-capacity-zero", "POST", S, _sessions(capacity=0), "capacity"),
    Case("sessions-period-unknown", "POST", S, _sessions(date=None, period_id="00000000-0000-7000-8000-000000000000"),
         "period_id"),
    Case("sessions-no-date", "POST", S, _sessions(date=None), "date"),
    Case("signup-no-children", "POST", R, lambda s: {"children": []}, "children"),
    Case("signup-name-empty", "POST", R, _child(first_name=""), "children[0].first_name"),
    Case("signup-name-1mb", "POST", R, _child(first_name="a" * MB), "children[0].first_name"),
    Case("signup-name-rtl", "POST", R, _child(first_name=f"Al{RTL_OVERRIDE}va"), "children[0].first_name"),
    Case("signup-name-sql", "POST", R, _child(first_name=SQL), "children[0].first_name"),
    Case("signup-name-emoji", "POST", R, _child(first_name="Alva 🦄"), "children[0].first_name"),
    Case("signup-birth-year-1800", "POST", R, _child(birth_year=1800), "children[0].birth_year"),
    Case("signup-birth-year-9999", "POST", R, _child(birth_year=9999), "children[0].birth_year"),
    Case("signup-birth-year-word", "POST", R, _child(birth_year="tjugo"), "children[0].birth_year"),
    Case("signup-too-old", "POST", R, _child(birth_year=YEAR - 20), "children[0].birth_year"),
    Case("signup-gender-unknown", "POST", R, _child(gender="x"), "children[0].gender"),
    Case("signup-needs-1mb", "POST", R, _child(needs="n" * MB), "children[0].needs"),
    Case("signup-too-many", "POST", R, lambda s: {"children": [{"first_name": f"Barn{chr(65 + i)}",
                                                                "birth_year": YEAR - 9} for i in range(9)]},
         "children"),
    Case("signup-same-child-twice", "POST", R, lambda s: {"children": [{"first_name": "Alva", "birth_year": YEAR - 9},
                                                                       {"first_name": "alva",
                                                                        "birth_year": YEAR - 9}]}, "children"),
    Case("signup-unknown-field", "POST", R, _child(personnummer="20160101-1234"), "children[0].personnummer"),
    Case("cancel-link-short", "POST", "/api/registration-cancellations", lambda s: {"token": "abc"}, "token",
         auth="none"),
    Case("cancel-link-1mb", "POST", "/api/registration-cancellations", lambda s: {"token": "a" * MB}, "token",
         auth="none"),
    Case("checkin-sql", "POST", "/api/activity-sessions/{session_id}/check-ins", lambda s: {"ticket": SQL},
         "ticket"),
    Case("checkin-unknown-ticket", "POST", "/api/activity-sessions/{session_id}/check-ins",
         lambda s: {"ticket": "http://testserver/registrations.html?ticket=" + "Q" * 22}, "ticket"),
    Case("visitors-age-group", "PUT", "/api/activity-sessions/{session_id}/visitors",
         lambda s: {"visitors": [{"gender": "female", "age_group": "3-5", "count": 2}]}, "visitors[0].age_group"),
    Case("visitors-negative", "PUT", "/api/activity-sessions/{session_id}/visitors",
         lambda s: {"visitors": [{"gender": "female", "age_group": "6-9", "count": -1}]}, "visitors[0].count"),
    Case("move-dst-gap", "PUT", "/api/activity-sessions/{session_id}/time",
         lambda s: {"date": "2027-03-28", "start": "02:30", "end": "03:30"}, "start"),
    Case("move-end-before-start", "PUT", "/api/activity-sessions/{session_id}/time",
         lambda s: {"date": (SESSION_DAY + timedelta(days=2)).isoformat(), "start": "12:00", "end": "11:00"}, "end"),
    Case("move-year-9999", "PUT", "/api/activity-sessions/{session_id}/time",
         lambda s: {"date": "9999-12-31", "start": "10:00", "end": "11:00"}, "date"),
    Case("capacity-zero", "PUT", "/api/activity-sessions/{session_id}/capacity", lambda s: {"capacity": 0},
         "capacity"),
    Case("period-reversed", "PUT", f"/api/holiday-periods/{YEAR}/hostlov",
         lambda s: {"first_day": f"{YEAR}-11-06", "last_day": f"{YEAR}-10-31"}, "last_day"),
    Case("period-year-9999", "PUT", f"/api/holiday-periods/{YEAR}/hostlov",
         lambda s: {"first_day": "9999-10-31", "last_day": "9999-11-06"}, "first_day"),
    Case("period-kind-unknown", "PUT", f"/api/holiday-periods/{YEAR}/vinterlov",
         lambda s: {"first_day": f"{YEAR}-10-31", "last_day": f"{YEAR}-11-06"}, "kind"),
    Case("period-too-long", "PUT", f"/api/holiday-periods/{YEAR}/sommarlov",
         lambda s: {"first_day": f"{YEAR}-01-01", "last_day": f"{YEAR}-12-31"}, "last_day"),
    Case("periods-sportlov-week", "POST", "/api/holiday-periods/generated",
         lambda s: {"year": YEAR, "sportlov_week": 12}, "sportlov_week"),
    Case("periods-year-huge", "POST", "/api/holiday-periods/generated", lambda s: {"year": 99999}, "year"),
    Case("listing-age", "GET", "/api/activity-sessions", None, "age", params={"age": 99}),
    Case("listing-from", "GET", "/api/activity-sessions", None, "from", params={"from": "2027-13-01"}),
    Case("listing-reversed", "GET", "/api/activity-sessions", None, "to",
         params={"from": "2027-03-01", "to": "2027-02-01"}),
    Case("listing-category", "GET", "/api/activity-sessions", None, "category", params={"category": "vinterbad"}),
    Case("listing-municipality", "GET", "/api/activity-sessions", None, "municipality",
         params={"municipality": "finns-inte"}, auth="none"),
    Case("follow-up-reversed", "GET", "/api/activity-follow-up", None, "to",
         params={"from": "2027-03-01", "to": "2027-02-01"}),
    Case("feed-not-ics", "GET", "/feeds/activities/{slug}.txt", None, "feed", auth="none"),
]


async def test_bad_input_against_activities_is_refused_naming_the_field_and_changes_nothing(
        db: Database, ids: Ids, client: httpx.AsyncClient) -> None:
    failures: list[str] = []
    activity_before = (await client.get(f"/api/activities/{ids.activity_id}")).json()
    for case in CATALOGUE:
        path = case.path.format(activity_id=ids.activity_id, session_id=ids.session_id, slug=ids.seeded.slug)
        try:
            await _check(dataclasses.replace(case, path=path), db, ids.seeded, client)
        except AssertionError as exc:
            failures.append(f"{case.id}: {str(exc).splitlines()[0][:300]}")
    assert not failures, f"{len(failures)} of {len(CATALOGUE)} cases failed on {db.dialect}:\n" + "\n".join(failures)
    assert (await client.get(f"/api/activities/{ids.activity_id}")).json() == activity_before, "the activity changed"
    assert len(CATALOGUE) >= 60
