"""Bad input gets a clear error and changes nothing, on SQLite and PostgreSQL.

Each case of the catalogue answers 4xx problem+json with type/title/status/detail
and `errors[].field` naming the offending field, and the row counts of every
table are the same afterwards. Unicode *letters* of any script are welcome in
names; controls, bidi overrides, zero-width characters, emoji and stacked
combining marks are not.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest
import time_machine

from booking.adapters.db.auth_store import AuthStore
from booking.adapters.db.database import Database
from booking.adapters.db.queries import Queries
from booking.adapters.db.uow import SqlUnitOfWork
from booking.domain.municipalities.model import Area
from booking.domain.municipalities.services import CreateMunicipality, create_municipality
from booking.domain.people.model import Account, Association
from booking.domain.people.roles import Role
from booking.domain.premises.model import Site, Space, SpaceKind
from tests.conftest import make_app, random_ref
from tests.quiet_days import stockholm_today

MB = 1024 * 1024
AUTH_TABLES = {"login_failures", "auth_sessions"}
# The clock of every case: the dates the catalogue counts from today are the same whenever it runs
# (a booking 30 days on is Wednesday 10 February 2027; the next DST gap is påskdagen, 28 March 2027).
PINNED = "2027-01-11T09:00:00+01:00"


@pytest.fixture(autouse=True)
def pinned_clock() -> Iterator[None]:
    with time_machine.travel(PINNED, tick=True):
        yield


@dataclass
class Seeded:
    """A municipality with an area, a site, a space, an association and an admin, seeded
    without HTTP (fast); plus a site of another municipality."""

    slug: str
    area_id: str
    site_id: str
    space_id: str
    association_id: str
    other_site_id: str
    admin_token: str
    expired_token: str


async def _seed(db: Database) -> Seeded:
    slug = random_ref("m-")
    municipality = await create_municipality(CreateMunicipality(name="Testkommun", slug=slug), SqlUnitOfWork(db))
    other = await create_municipality(CreateMunicipality(name="Grannkommun", slug=random_ref("m-")),
                                      SqlUnitOfWork(db))
    uow = SqlUnitOfWork(db)
    async with uow:
        m = municipality.id
        area = Area(m, "Nacksta")
        site = Site(m, "Testskolan", "Skolvägen 1", "85350", "Sundsvall", area.id)
        space = Space(m, site.id, "Gympasalen", SpaceKind.GYM, 30)
        association = Association(m, "Test IF", "802479-4565")
        other_site = Site(other.id, "Grannskolan", "Grannvägen 2", "85351", "Timrå")
        admin = Account(m, f"admin.{slug}@example.se", "Admin")
        admin.grant(Role.ADMIN)
        for row in (area, site, space, other_site):
            getattr(uow, {Area: "areas", Site: "sites", Space: "spaces"}[type(row)]).add(row)
        uow.associations.add(association)
        uow.accounts.add(admin)
        await uow.commit()
    now = datetime.now(UTC)
    store = AuthStore(db)
    token, _ = await store.create(admin.id, "api", now, lifetime=timedelta(days=1), idle=None)
    expired, _ = await store.create(admin.id, "api", now - timedelta(days=3), lifetime=timedelta(days=1), idle=None)
    return Seeded(slug, str(area.id), str(site.id), str(space.id), str(association.id), str(other_site.id),
                  token, expired)


@pytest.fixture
async def app(db: Database) -> Any:
    """The app on both engines (the conftest `client` picks this up)."""
    return make_app(db)


@pytest.fixture
async def seeded(db: Database) -> Seeded:
    return await _seed(db)


# --- the catalogue -------------------------------------------------------------------------------

Body = Callable[[Seeded], Any]


@dataclass(frozen=True)
class Case:
    id: str
    method: str
    path: str
    body: Body | None = None  # JSON, or bytes sent as they are
    field: str = ""  # the errors[].field expected (a regex when it starts with ^)
    status: int = 422
    auth: str = "admin"  # admin | expired | none
    params: dict[str, Any] | None = None
    known_bug: dict[str, str] = dataclass_field(default_factory=dict)  # engine -> reason (strict xfail)


def _space(**changes: Any) -> Body:
    def body(s: Seeded) -> dict[str, Any]:
        return {"site_id": s.site_id, "name": "Musiksal 2", "kind": "music_room", "capacity": 25, **changes}
    return body


def _without(base: Body, key: str) -> Body:
    return lambda s: {k: v for k, v in base(s).items() if k != key}


def _site(**changes: Any) -> Body:
    def body(s: Seeded) -> dict[str, Any]:
        address = {"street": "Skolgatan 2", "postal_code": "852 30", "city": "Sundsvall",
                   **changes.get("address", {})}
        return {"name": "Norra skolan", **changes, "address": address}
    return body


def _association(**changes: Any) -> Body:
    return lambda s: {"name": "Nacksta Schack", "org_number": "802012-3454", **changes}


RTL_OVERRIDE = "\u202e"
ZALGO = "Z\u0335\u0321\u0322\u0347a\u0338\u0326l\u0336\u032dg\u0337o"
SQL = "Robert'); DROP TABLE spaces;--"
HTML = "<script>alert(1)</script>"
def _booking(**changes: Any) -> Body:
    def body(s: Seeded) -> dict[str, Any]:
        day = stockholm_today() + timedelta(days=30)
        return {"space_id": s.space_id, "title": "Innebandy P12", "date": day.isoformat(), "start": "18:00",
                "end": "19:00", **changes}
    return body


EVENINGS = [{"weekday": 0, "opens": "17:00", "closes": "22:00"}]


def _summer(**changes: Any) -> dict[str, Any]:
    return {"name": "Sommar", "valid_from": "2027-06-15", "valid_to": "2027-08-15", "windows": EVENINGS, **changes}


def _next_dst_gap() -> date:
    """The next night Europe/Stockholm puts the clocks forward (last Sunday of March), 02:00-03:00."""
    today = stockholm_today()
    for year in (today.year, today.year + 1):
        last = date(year, 3, 31)
        sunday = last - timedelta(days=(last.weekday() + 1) % 7)
        if sunday > today:
            return sunday
    raise AssertionError("unreachable")


ENGINES = ("sqlite", "postgresql")
CATALOGUE: list[Case] = [
    # --- POST /api/spaces: the body as a whole
    Case("space-malformed-json", "POST", "/api/spaces", lambda s: b'{"site_id": "', "body", 400),
    Case("space-not-json", "POST", "/api/spaces", lambda s: b"name=Musiksal&capacity=3", "body", 400),
    Case("space-array", "POST", "/api/spaces", lambda s: [1, 2], "body"),
    Case("space-no-body", "POST", "/api/spaces", lambda s: b"", "body"),
    # wrong types
    Case("space-capacity-string", "POST", "/api/spaces", _space(capacity="trettio"), "capacity"),
    Case("space-capacity-float", "POST", "/api/spaces", _space(capacity=2.5), "capacity"),
    Case("space-capacity-bool", "POST", "/api/spaces", _space(capacity=True), "capacity"),
    Case("space-name-number", "POST", "/api/spaces", _space(name=42), "name"),
    Case("space-site-id-not-uuid", "POST", "/api/spaces", _space(site_id="skolan"), "site_id"),
    Case("space-equipment-not-list", "POST", "/api/spaces", _space(equipment="Piano"), "equipment"),
    # missing and unknown fields
    Case("space-missing-name", "POST", "/api/spaces", _without(_space(), "name"), "name"),
    Case("space-missing-capacity", "POST", "/api/spaces", _without(_space(), "capacity"), "capacity"),
    Case("space-unknown-field", "POST", "/api/spaces", _space(colour="blå"), "colour"),
    Case("space-unknown-nested-field", "POST", "/api/spaces", _space(accessibility={"ramp": True}),
         "accessibility.ramp"),
    # ranges
    Case("space-capacity-zero", "POST", "/api/spaces", _space(capacity=0), "capacity"),
    Case("space-capacity-negative", "POST", "/api/spaces", _space(capacity=-5), "capacity"),
    Case("space-capacity-billion", "POST", "/api/spaces", _space(capacity=10**9), "capacity"),
    Case("space-capacity-huge", "POST", "/api/spaces", _space(capacity=10**30), "capacity"),
    Case("space-too-much-equipment", "POST", "/api/spaces", _space(equipment=[f"Sak {i}" for i in range(51)]),
         "equipment"),
    # sizes
    Case("space-name-1mb", "POST", "/api/spaces", _space(name="a" * MB), "name"),
    Case("space-description-1mb", "POST", "/api/spaces", _space(description="b" * MB), "description"),
    Case("space-notes-too-long", "POST", "/api/spaces", _space(accessibility={"notes": "c" * 1001}),
         "accessibility.notes"),
    Case("space-name-empty", "POST", "/api/spaces", _space(name=""), "name"),
    Case("space-name-blank", "POST", "/api/spaces", _space(name="   "), "name"),
    # unicode that is not a letter
    Case("space-name-rtl-override", "POST", "/api/spaces", _space(name=f"Gym{RTL_OVERRIDE}nelasmyG"), "name"),
    Case("space-name-rtl-mark", "POST", "/api/spaces", _space(name="Gym\u200fsal"), "name"),
    Case("space-name-bidi-isolate", "POST", "/api/spaces", _space(name="\u2066Gymsal\u2069"), "name"),
    Case("space-name-zero-width-space", "POST", "/api/spaces", _space(name="Gym\u200bsal"), "name"),
    Case("space-name-zero-width-joiner", "POST", "/api/spaces", _space(name="Gym\u200dsal"), "name"),
    Case("space-name-bom", "POST", "/api/spaces", _space(name="\ufeffGymsal"), "name"),
    Case("space-name-emoji", "POST", "/api/spaces", _space(name="Gympasal 🏀"), "name"),
    Case("space-name-zalgo", "POST", "/api/spaces", _space(name=ZALGO), "name"),
    Case("space-name-lone-combining-mark", "POST", "/api/spaces", _space(name="\u0301Gymsal"), "name"),
    Case("space-name-sql", "POST", "/api/spaces", _space(name=SQL), "name"),
    Case("space-name-html", "POST", "/api/spaces", _space(name=HTML), "name"),
    Case("space-name-null-byte", "POST", "/api/spaces", _space(name="Gym\x00sal"), "name"),
    Case("space-name-bell", "POST", "/api/spaces", _space(name="Gym\x07sal"), "name"),
    Case("space-name-newline", "POST", "/api/spaces", _space(name="Gym\nsal"), "name"),
    Case("space-description-null-byte", "POST", "/api/spaces", _space(description="Fin\x00sal"), "description"),
    Case("space-description-rtl-override", "POST", "/api/spaces", _space(description=f"Fin {RTL_OVERRIDE}las"),
         "description"),
    Case("space-equipment-emoji", "POST", "/api/spaces", _space(equipment=["Piano", "🎹"]), "equipment[1]"),
    Case("space-notes-null-byte", "POST", "/api/spaces", _space(accessibility={"notes": "Ramp\x00"}),
         "accessibility.notes"),
    # references and enums
    Case("space-unknown-site", "POST", "/api/spaces", _space(site_id=str(uuid.uuid4())), "site_id"),
    Case("space-other-municipalitys-site", "POST", "/api/spaces", lambda s: _space(site_id=s.other_site_id)(s),
         "site_id"),
    Case("space-unknown-parent", "POST", "/api/spaces", _space(parent_id=str(uuid.uuid4())), "parent_id"),
    Case("space-unknown-kind", "POST", "/api/spaces", _space(kind="ballroom"), "kind"),
    Case("space-kind-wrong-case", "POST", "/api/spaces", _space(kind="GYM"), "kind"),
    # --- PATCH /api/spaces/{id}: refused changes leave the space as it was (checked below too)
    Case("space-patch-capacity-zero", "PATCH", "/api/spaces/{space_id}", lambda s: {"capacity": 0}, "capacity"),
    Case("space-patch-name-rtl", "PATCH", "/api/spaces/{space_id}", lambda s: {"name": f"x{RTL_OVERRIDE}y"},
         "name"),
    Case("space-patch-unknown-field", "PATCH", "/api/spaces/{space_id}", lambda s: {"floor": 2}, "floor"),
    Case("space-patch-own-parent", "PATCH", "/api/spaces/{space_id}", lambda s: {"parent_id": s.space_id},
         "parent_id"),
    # --- POST /api/sites
    Case("site-postcode-short", "POST", "/api/sites", _site(address={"postal_code": "8535"}),
         "address.postal_code"),
    Case("site-postcode-letters", "POST", "/api/sites", _site(address={"postal_code": "ABCDE"}),
         "address.postal_code"),
    Case("site-postcode-letter-o", "POST", "/api/sites", _site(address={"postal_code": "853 5O"}),
         "address.postal_code"),
    Case("site-postcode-long", "POST", "/api/sites", _site(address={"postal_code": "1234567"}),
         "address.postal_code"),
    Case("site-postcode-number", "POST", "/api/sites", _site(address={"postal_code": 85350}),
         "address.postal_code"),
    Case("site-missing-city", "POST", "/api/sites", lambda s: {"name": "Norra skolan", "address": {
        "street": "Skolgatan 2", "postal_code": "85230"}}, "address.city"),
    Case("site-address-not-object", "POST", "/api/sites",
         lambda s: {"name": "Norra skolan", "address": "Skolgatan 2, Sundsvall"}, "address"),
    Case("site-street-html", "POST", "/api/sites", _site(address={"street": HTML}), "address.street"),
    Case("site-name-rtl-override", "POST", "/api/sites", _site(name=f"Skola{RTL_OVERRIDE}"), "name"),
    Case("site-name-1mb", "POST", "/api/sites", _site(name="s" * MB), "name"),
    Case("site-unknown-area", "POST", "/api/sites", _site(area_id=str(uuid.uuid4())), "area_id"),
    Case("site-malformed-json", "POST", "/api/sites", lambda s: b'{"name": "Norra", "address": {', "body", 400),
    # --- POST /api/associations
    Case("assoc-orgnr-check-digit", "POST", "/api/associations", _association(org_number="802479-4566"),
         "org_number"),
    Case("assoc-orgnr-short", "POST", "/api/associations", _association(org_number="802479-456"), "org_number"),
    Case("assoc-orgnr-long", "POST", "/api/associations", _association(org_number="802479-45655"),
         "org_number"),
    Case("assoc-orgnr-letters", "POST", "/api/associations", _association(org_number="80247A-4565"),
         "org_number"),
    Case("assoc-orgnr-over-20", "POST", "/api/associations", _association(org_number="8" * 21), "org_number"),
    Case("assoc-orgnr-empty", "POST", "/api/associations", _association(org_number=""), "org_number"),
    Case("assoc-orgnr-number", "POST", "/api/associations", _association(org_number=8024794565), "org_number"),
    Case("assoc-orgnr-null-byte", "POST", "/api/associations", _association(org_number="802479-4565\x00"),
         "org_number"),
    Case("assoc-unknown-category", "POST", "/api/associations", _association(category="choir"), "category"),
    Case("assoc-unknown-area", "POST", "/api/associations", _association(area_id=str(uuid.uuid4())), "area_id"),
    Case("assoc-name-zalgo", "POST", "/api/associations", _association(name=ZALGO), "name"),
    Case("assoc-name-emoji", "POST", "/api/associations", _association(name="Schackklubben ♞"), "name"),
    Case("assoc-name-sql", "POST", "/api/associations", _association(name=SQL), "name"),
    Case("assoc-too-many-contacts", "POST", "/api/associations",
         _association(contacts=[{"name": f"Kontakt {i}"} for i in range(21)]), "contacts"),
    Case("assoc-contact-bad-email", "POST", "/api/associations",
         _association(contacts=[{"name": "Anna", "email": "anna.example.se"}]), r"^contacts(\[0\])?\.email$"),
    Case("assoc-contact-bad-phone", "POST", "/api/associations",
         _association(contacts=[{"name": "Anna", "phone": "ring mig"}]), r"^contacts(\[0\])?\.phone$"),
    Case("assoc-contact-missing-name", "POST", "/api/associations",
         _association(contacts=[{"email": "anna@example.se"}]), "contacts[0].name"),
    Case("assoc-contact-email-null-byte", "POST", "/api/associations",
         _association(contacts=[{"name": "Anna", "email": "an\x00na@example.se"}]), r"^contacts(\[0\])?\.email$"),
    # --- lists: limit, offset and filters out of range
    Case("list-limit-zero", "GET", "/api/spaces", params={"limit": 0}, field="limit"),
    Case("list-limit-over-200", "GET", "/api/spaces", params={"limit": 201}, field="limit"),
    Case("list-limit-negative", "GET", "/api/sites", params={"limit": -1}, field="limit"),
    Case("list-limit-text", "GET", "/api/sites", params={"limit": "alla"}, field="limit"),
    Case("list-offset-negative", "GET", "/api/spaces", params={"offset": -1}, field="offset"),
    Case("list-offset-huge", "GET", "/api/spaces", params={"offset": 10**12}, field="offset"),
    Case("list-unknown-kind", "GET", "/api/spaces", params={"kind": "ballroom"}, field="kind"),
    Case("list-site-id-not-uuid", "GET", "/api/spaces", params={"site_id": "skolan"}, field="site_id"),
    Case("list-min-capacity-zero", "GET", "/api/spaces", params={"min_capacity": 0}, field="min_capacity"),
    Case("list-unknown-municipality", "GET", "/api/sites", params={"municipality": "finns-inte"},
         field="municipality"),
    Case("list-q-too-long", "GET", "/api/sites", params={"q": "q" * 101}, field="q"),
    Case("list-q-null-byte", "GET", "/api/sites", params={"q": "sko\x00la"}, field="q"),
    Case("list-municipality-null-byte", "GET", "/api/spaces", params={"municipality": "m\x00"},
         field="municipality"),
    Case("accounts-q-null-byte", "GET", "/api/accounts", params={"q": "adm\x00in"}, field="q"),
    Case("bookings-to-not-a-time", "GET", "/api/bookings", params={"to": "igår"}, field="to"),
    Case("bookings-from-without-zone", "GET", "/api/bookings", params={"from": "2027-01-14T18:00:00"},
         field="from"),
    Case("bookings-unknown-status", "GET", "/api/bookings", params={"status": "maybe"}, field="status"),
    # --- dates and times of bookings and calendars
    Case("booking-end-before-start", "POST", "/api/bookings", _booking(start="19:00", end="18:00"), "end"),
    Case("booking-zero-length", "POST", "/api/bookings", _booking(start="18:00", end="18:00"), "end"),
    Case("booking-hour-25", "POST", "/api/bookings", _booking(start="25:00"), "start"),
    Case("booking-dst-gap", "POST", "/api/bookings", lambda s: _booking(
        date=_next_dst_gap().isoformat(), start="02:30", end="03:30")(s), "start"),
    Case("booking-ten-year-series", "POST", "/api/bookings", lambda s: _booking(recurrence={
        "weekdays": [0], "until": (stockholm_today() + timedelta(days=3650)).isoformat()})(s), "recurrence"),
    Case("booking-year-9999", "POST", "/api/bookings", _booking(date="9999-12-31"), "date"),
    Case("booking-invalid-date", "POST", "/api/bookings", _booking(date="2027-02-30"), "date"),
    Case("booking-unknown-space", "POST", "/api/bookings", _booking(space_id=str(uuid.uuid4())), "space_id"),
    Case("booking-series-at-year-9999", "POST", "/api/bookings",
         _booking(date="9999-12-31", recurrence={"weekdays": [4], "count": 3}), "date"),
    Case("availability-to-before-from", "GET", "/api/spaces/{space_id}/availability",
         params={"from": "2027-01-10", "to": "2027-01-01"}, field="to"),
    Case("availability-too-long", "GET", "/api/spaces/{space_id}/availability",
         params={"from": "2027-01-01", "to": "2027-12-31"}, field="to"),
    Case("availability-year-9999", "GET", "/api/spaces/{space_id}/availability",
         params={"from": "9999-12-30", "to": "9999-12-31"}, field="^(from|to)$"),
    Case("availability-year-1", "GET", "/api/spaces/{space_id}/availability",
         params={"from": "0001-01-01", "to": "0001-01-02"}, field="^(from|to)$"),
    Case("site-calendar-year-9999", "GET", "/api/sites/{site_id}/calendar",
         params={"from": "9999-12-01", "to": "9999-12-31"}, field="^(from|to)$"),
    Case("space-calendar-year-1", "GET", "/api/spaces/{space_id}/calendar",
         params={"from": "0001-01-01", "to": "0001-01-31"}, field="^(from|to)$"),
    # --- opening hours: each refusal names the place in the request that a form shows it at
    Case("hours-variation-ends-first", "PUT", "/api/spaces/{space_id}/opening-hours", lambda s: {
        "general": EVENINGS, "variations": [_summer(), _summer(valid_from="2027-08-15", valid_to="2027-06-15")]},
        "variations[1].valid_to"),
    Case("hours-general-closes-first", "PUT", "/api/spaces/{space_id}/opening-hours", lambda s: {
        "general": [*EVENINGS, {"weekday": 5, "opens": "22:00", "closes": "10:00"}]}, "general[1].closes"),
    Case("hours-variation-window-closes-first", "PUT", "/api/spaces/{space_id}/opening-hours", lambda s: {
        "general": EVENINGS, "variations": [_summer(windows=[{"weekday": 2, "opens": "12:00", "closes": "12:00"}])]},
        "variations[0].windows[0].closes"),
    Case("hours-variation-hour-25", "PUT", "/api/spaces/{space_id}/opening-hours", lambda s: {
        "general": EVENINGS, "variations": [_summer(windows=[{"weekday": 2, "opens": "25:00", "closes": "26:00"}])]},
        "variations[0].windows[0].opens"),
    Case("hours-variation-no-dates", "PUT", "/api/spaces/{space_id}/opening-hours", lambda s: {
        "general": EVENINGS, "variations": [{"name": "Sommar", "windows": EVENINGS}]}, r"^variations\[0\]\.valid_"),
    Case("hours-variation-no-windows", "PUT", "/api/spaces/{space_id}/opening-hours", lambda s: {
        "general": EVENINGS, "variations": [_summer(windows=[])]}, "variations[0].windows"),
    Case("access-unknown-mode", "PUT", "/api/spaces/{space_id}/access", lambda s: {"mode": "lapp"}, "mode"),
    Case("access-instructions-null-byte", "PUT", "/api/spaces/{space_id}/access", lambda s: {
        "mode": "key", "instructions": "Nyckeln i\x00receptionen"}, r"^(access\.)?instructions$"),
    # --- credentials
    Case("expired-token", "POST", "/api/spaces", _space(), "Authorization", 401, auth="expired"),
    Case("unknown-token", "POST", "/api/spaces", _space(), "Authorization", 401, auth="unknown"),
    Case("malformed-authorization", "POST", "/api/spaces", _space(), "Authorization", 401, auth="basic"),
    Case("expired-token-read", "GET", "/api/accounts", None, "Authorization", 401, auth="expired"),
    Case("token-name-null-byte", "POST", "/api/auth/tokens", lambda s: {
        "email": f"admin.{s.slug}@example.se", "password": "x" * 12, "name": "Skript\x00"}, "name", auth="none"),
    Case("register-slug-null-byte", "POST", "/api/auth/register", lambda s: {
        "municipality": s.slug + "\x00", "email": "ny@example.se", "display_name": "Ny", "password": "x" * 12},
        "municipality", auth="none"),
    Case("register-email-null-byte", "POST", "/api/auth/register", lambda s: {
        "municipality": s.slug, "email": "n\x00y@example.se", "display_name": "Ny", "password": "x" * 12},
        "email", auth="none"),
]


KNOWN_BUGS = [(case, engine) for case in CATALOGUE for engine in ("sqlite", "postgresql")
              if engine in case.known_bug]


def _headers(case: Case, seeded: Seeded) -> dict[str, str]:
    return {
        "admin": {"Authorization": f"Bearer {seeded.admin_token}"},
        "expired": {"Authorization": f"Bearer {seeded.expired_token}"},
        "unknown": {"Authorization": "Bearer " + "A" * 43},
        "basic": {"Authorization": "Basic YWRtaW46aHVudGVyMg=="},
        "none": {},
    }[case.auth]


async def _send(client: httpx.AsyncClient, case: Case, seeded: Seeded) -> httpx.Response:
    path = case.path.format(space_id=seeded.space_id, site_id=seeded.site_id)
    kwargs: dict[str, Any] = {"headers": _headers(case, seeded), "params": case.params}
    if case.body is not None:
        body = case.body(seeded)
        if isinstance(body, bytes):
            kwargs["content"] = body
            kwargs["headers"] = {**kwargs["headers"], "Content-Type": "application/json"}
        else:
            kwargs["json"] = body
    return await client.request(case.method, path, **kwargs)


async def _check(case: Case, db: Database, seeded: Seeded, client: httpx.AsyncClient) -> None:
    queries = Queries(db)
    before = await queries.table_counts()
    space_before = (await client.get(f"/api/spaces/{seeded.space_id}")).json()

    response = await _send(client, case, seeded)

    assert response.status_code == case.status, response.text[:500]
    assert response.headers["content-type"].startswith("application/problem+json"), response.headers
    problem = response.json()
    assert {"type", "title", "status", "detail"} <= set(problem), problem
    assert problem["status"] == case.status and problem["title"] and problem["detail"], problem
    assert problem["type"].startswith("urn:booking:problem:"), problem
    fields = [e["field"] for e in problem.get("errors", [])]
    if case.field.startswith("^"):
        assert any(re.match(case.field, f) for f in fields), f"errors name {fields}, not {case.field}"
    else:
        assert case.field in fields, f"errors name {fields}, not {case.field}: {problem['detail']}"
    assert len(response.content) < 10_000, "a large input is echoed back"

    after = await queries.table_counts()
    ignored = AUTH_TABLES if case.auth != "admin" or case.path.startswith("/api/auth") else set()
    changed = {k: (before[k], after[k]) for k in after if k not in ignored and before.get(k) != after[k]}
    assert not changed, f"rows changed: {changed}"
    assert (await client.get(f"/api/spaces/{seeded.space_id}")).json() == space_before, "the space changed"


async def test_bad_input_is_refused_naming_the_field_and_changes_nothing(
    db: Database, seeded: Seeded, client: httpx.AsyncClient
) -> None:
    """The whole catalogue against one seeded database per engine; every failing case is reported."""
    failures: list[str] = []
    cases = [case for case in CATALOGUE if db.dialect not in case.known_bug]
    for case in cases:
        try:
            await _check(case, db, seeded, client)
        except AssertionError as exc:
            failures.append(f"{case.id}: {str(exc).splitlines()[0][:300]}")
    assert not failures, f"{len(failures)} of {len(cases)} cases failed on {db.dialect}:\n" + "\n".join(failures)
    assert len(cases) >= 90  # the catalogue has not been emptied by accident


if KNOWN_BUGS:  # cases marked with `known_bug` (none at the moment) run here, per engine, as strict xfails
    # `engine_kind` is the conftest fixture that `db` depends on; parametrizing it directly marks a known
    # bug on the engine(s) it shows on. Strict: when the bug is fixed, the mark must go.
    @pytest.mark.parametrize(("case", "engine_kind"), [
        pytest.param(case, engine, id=f"{case.id}-{engine}",
                     marks=pytest.mark.xfail(strict=True, reason=case.known_bug[engine]))
        for case, engine in KNOWN_BUGS
    ])
    async def test_known_bad_input_bugs(case: Case, engine_kind: str, db: Database, seeded: Seeded,
                                        client: httpx.AsyncClient) -> None:
        await _check(case, db, seeded, client)


# --- what is welcome ------------------------------------------------------------------------------


WELCOME_NAMES = ["صالة الرياضة", "Idrottshallen Ájtte", "Aula (övre) – A/B", "体育馆 2", "Café e\u0301",
                 "Ŋuorra-stuvva", "Ørsta & Ålesund"]


async def test_names_in_any_script_are_accepted_and_stored_exactly(
    db: Database, seeded: Seeded, client: httpx.AsyncClient
) -> None:
    """RTL *letters* are fine (Arabic), RTL *override controls* are not (see the catalogue)."""
    import unicodedata

    headers = {"Authorization": f"Bearer {seeded.admin_token}"}
    for name in WELCOME_NAMES:
        created = await client.post("/api/spaces", headers=headers, json={
            "site_id": seeded.site_id, "name": name, "kind": "gym", "capacity": 40})
        assert created.status_code == 201, (name, created.text)
        stored = unicodedata.normalize("NFC", name)  # combining sequences are stored composed
        assert created.json()["name"] == stored
        assert (await client.get(created.headers["location"])).json()["name"] == stored
    async with db.read_sessions() as session:
        import sqlalchemy as sa

        from booking.adapters.db import tables as t

        names = set((await session.execute(sa.select(t.spaces.c.name))).scalars())
    assert {unicodedata.normalize("NFC", n) for n in WELCOME_NAMES} <= names
    assert "صالة الرياضة" in names  # byte for byte, in the database itself


async def test_sql_and_html_in_free_text_are_stored_verbatim_and_harmless(
    db: Database, seeded: Seeded, client: httpx.AsyncClient
) -> None:
    headers = {"Authorization": f"Bearer {seeded.admin_token}"}
    text = f"{SQL}\n{HTML} & \"citat\" 'enkla' \\ %_"
    created = await client.post("/api/spaces", headers=headers, json={
        "site_id": seeded.site_id, "name": "Musiksal 2", "kind": "music_room", "capacity": 25, "description": text})
    assert created.status_code == 201, created.text
    assert created.headers["content-type"].startswith("application/json")
    assert (await client.get(created.headers["location"])).json()["description"] == text
    counts = await Queries(db).table_counts()
    assert counts["spaces"] == 2
    # LIKE wildcards in a search are literal
    found = (await client.get("/api/sites", params={"q": "%"})).json()
    assert found["total"] == 0
