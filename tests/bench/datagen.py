"""The benchmark's data set: deterministic (seeded), generated fast with bulk Core inserts.

One function per context (`municipality`, `premises`, `people`, `associations`), run
in order by `generate()`. Each step gets a `Gen` (the seeded random source, the
size, the ids made so far) and writes its tables with `Gen.insert`, which sends
executemany batches through SQLAlchemy Core; no ORM objects are built.

Same seed and size -> the same rows and the same ids, on both engines (ids are
UUIDv7 with a synthetic, increasing timestamp and random bits from the seed).

Later contexts (bookings, items, loans, activity sessions) add a step function
and append it to STEPS; the ids they need are on `BenchData`.
"""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection
from stdnum import luhn
from stdnum.se import orgnr

from booking.adapters.db import tables as t
from booking.adapters.passwords import Argon2Hasher
from booking.domain.people.model import AssociationCategory
from booking.domain.people.roles import Role
from booking.domain.premises.model import SpaceKind

ADMIN_EMAIL = "admin@bench.example"
ADMIN_PASSWORD = "bench-admin-lösenord-2026"
# Every other generated account (borrowers, staff, association representatives) shares this one.
USER_PASSWORD = "bench-user-lösenord-2026"
SLUG = "bench"

# The data set "was created" over the weeks before this instant (deterministic timestamps).
EPOCH = datetime(2026, 8, 1, 6, 0, tzinfo=UTC)
BATCH = 5_000


@dataclass(frozen=True)
class Size:
    """How much of everything. FULL is the data set of QUALITY.md (as far as tables exist)."""

    name: str
    areas: int
    sites: int
    spaces_per_site: int  # every fifth site has a divisible hall (whole + parts A and B) among them
    borrowers: int
    associations: int

    @property
    def spaces(self) -> int:
        return self.sites * self.spaces_per_site


FULL = Size("full", areas=8, sites=50, spaces_per_site=4, borrowers=2_000, associations=300)
QUICK = Size("quick", areas=3, sites=5, spaces_per_site=4, borrowers=100, associations=20)


@dataclass
class BenchData:
    """What later steps and the benchmark rows need to know about the generated data."""

    seed: int
    size: Size
    municipality_id: uuid.UUID | None = None
    area_ids: list[uuid.UUID] = field(default_factory=list)
    site_ids: list[uuid.UUID] = field(default_factory=list)
    space_ids: list[uuid.UUID] = field(default_factory=list)  # every space, wholes and parts
    spaces_by_site: dict[uuid.UUID, list[uuid.UUID]] = field(default_factory=dict)
    divisible_halls: list[tuple[uuid.UUID, list[uuid.UUID]]] = field(default_factory=list)  # (whole, parts)
    admin_id: uuid.UUID | None = None
    staff: dict[Role, tuple[uuid.UUID, str]] = field(default_factory=dict)  # role -> (account id, email)
    borrower_ids: list[uuid.UUID] = field(default_factory=list)
    association_ids: list[uuid.UUID] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)  # table -> rows written

    def summary(self) -> str:
        return ", ".join(f"{name} {n:,}" for name, n in self.rows.items())


class Gen:
    """The seeded random source, the ids, timestamps and the bulk writer shared by the steps."""

    def __init__(self, conn: AsyncConnection, data: BenchData, *, progress: Callable[[str], None]) -> None:
        self.conn = conn
        self.data = data
        self.size = data.size
        self.rng = random.Random(data.seed)
        self.progress = progress
        self._ids = 0
        self._epoch_ms = int(EPOCH.timestamp() * 1000) - 60 * 24 * 3600 * 1000

    def new_id(self) -> uuid.UUID:
        """A UUIDv7 like booking.domain.shared.ids.new_id, but from the seed: time-ordered, repeatable."""
        self._ids += 1
        ms = self._epoch_ms + self._ids
        rand = self.rng.getrandbits(74)
        value = (ms & 0xFFFF_FFFF_FFFF) << 80
        value |= 0x7 << 76
        value |= ((rand >> 62) & 0xFFF) << 64
        value |= 0b10 << 62
        value |= rand & 0x3FFF_FFFF_FFFF_FFFF
        return uuid.UUID(int=value)

    def created(self, days_back: float = 30) -> dict[str, datetime]:
        """Audit columns: some instant in the `days_back` days before EPOCH (aware UTC)."""
        at = EPOCH - timedelta(seconds=self.rng.randrange(int(days_back * 86400) + 1))
        return {"created_at": at, "updated_at": at}

    async def insert(self, table: sa.Table, rows: Iterable[dict[str, Any]], *, label: str | None = None) -> int:
        """Bulk insert in batches (executemany); prints progress for big tables."""
        count = 0
        started = shown = time.perf_counter()
        batch: list[dict[str, Any]] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= BATCH:
                await self.conn.execute(table.insert(), batch)
                count += len(batch)
                batch = []
                if time.perf_counter() - shown >= 2.0:  # big tables: a line every two seconds
                    shown = time.perf_counter()
                    self.progress(f"    {label or table.name}: {count:,} rows ({shown - started:.1f} s)")
        if batch:
            await self.conn.execute(table.insert(), batch)
            count += len(batch)
        self.data.rows[table.name] = self.data.rows.get(table.name, 0) + count
        return count


# --- names ---------------------------------------------------------------------------------------

AREAS = ["Centrum", "Norrmalm", "Södermalm", "Östermark", "Västerby", "Hamnen", "Skogsbacken", "Dalen",
         "Ängsby", "Sjöstaden", "Bergsåker", "Lillön"]
SCHOOL_PREFIXES = ["Björk", "Ek", "Lind", "Tall", "Gran", "Rönn", "Asp", "Al", "Sälg", "Hassel", "Lönn", "Ask",
                   "Berg", "Sjö", "Ängs", "Dal", "Hag", "Back", "Strand", "Skogs"]
SCHOOL_SUFFIXES = ["skolan", "dalsskolan", "backaskolan", "hagaskolan", "vallsskolan"]
STREETS = ["Skolvägen", "Storgatan", "Kyrkogatan", "Parkvägen", "Idrottsvägen", "Lärarvägen", "Bygatan",
           "Trädgårdsgatan"]
FIRST = ["Anna", "Erik", "Maja", "Lars", "Fatima", "Ali", "Sara", "Johan", "Elsa", "Omar", "Karin", "Nils",
         "Wilma", "Hugo", "Alva", "Liam", "Ebba", "Noah", "Saga", "Leo", "Ines", "Amir", "Tove", "Oskar"]
LAST = ["Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson",
        "Svensson", "Gustafsson", "Hussein", "Mohammed", "Lindberg", "Lundqvist", "Berg", "Öberg"]
CLUB_PLACES = ["Nacksta", "Bredsand", "Skönsberg", "Haga", "Sidsjö", "Granlo", "Kvissleby", "Matfors",
               "Stöde", "Liden", "Indal", "Timrå", "Alnö", "Njurunda", "Selånger", "Birsta"]
CLUB_KINDS = [("IF", AssociationCategory.YOUTH), ("BK", AssociationCategory.YOUTH),
              ("Innebandyklubb", AssociationCategory.YOUTH), ("Schackklubb", AssociationCategory.OTHER),
              ("Kör", AssociationCategory.ADULT), ("PRO", AssociationCategory.PENSIONERS),
              ("SPF", AssociationCategory.PENSIONERS), ("FUB", AssociationCategory.DISABILITY),
              ("Studiecirkel", AssociationCategory.STUDY), ("Dansförening", AssociationCategory.YOUTH),
              ("Scoutkår", AssociationCategory.YOUTH), ("Kulturförening", AssociationCategory.ADULT)]
EQUIPMENT = ["Projektor", "Whiteboard", "Piano", "Ljudanläggning", "Basketkorgar", "Mattor", "Ribbstolar",
             "Spis", "Diskmaskin", "Innebandysarg", "Scen", "Högtalare"]
OTHER_KINDS = [SpaceKind.CLASSROOM, SpaceKind.CLASSROOM, SpaceKind.GYM, SpaceKind.MUSIC_ROOM, SpaceKind.KITCHEN,
               SpaceKind.OUTDOOR]
KIND_NAMES = {SpaceKind.CLASSROOM: "Klassrum", SpaceKind.GYM: "Gymnastiksal", SpaceKind.MUSIC_ROOM: "Musiksal",
              SpaceKind.KITCHEN: "Hemkunskapssal", SpaceKind.OUTDOOR: "Skolgård", SpaceKind.HALL: "Aula"}
KIND_CAPACITY = {SpaceKind.CLASSROOM: (20, 32), SpaceKind.GYM: (25, 60), SpaceKind.MUSIC_ROOM: (15, 30),
                 SpaceKind.KITCHEN: (12, 24), SpaceKind.OUTDOOR: (50, 300), SpaceKind.HALL: (80, 250)}


# --- the steps, one per context ---------------------------------------------------------------------


async def municipality(g: Gen) -> None:
    g.data.municipality_id = g.new_id()
    await g.insert(t.municipalities, [{"id": g.data.municipality_id, "name": "Benchkommun", "slug": SLUG,
                                       "timezone": "Europe/Stockholm", **g.created(400)}])
    rows = []
    for i in range(g.size.areas):
        area_id = g.new_id()
        g.data.area_ids.append(area_id)
        rows.append({"id": area_id, "municipality_id": g.data.municipality_id, "name": AREAS[i % len(AREAS)]
                     + ("" if i < len(AREAS) else f" {i // len(AREAS) + 1}"),
                     "population_0_17": g.rng.randrange(400, 3000), **g.created(300)})
    await g.insert(t.areas, rows)


async def premises(g: Gen) -> None:
    """Sites (schools) and their spaces; every fifth site has a divisible hall with parts A and B."""
    m = g.data.municipality_id
    sites, wholes, parts = [], [], []
    names: set[str] = set()
    for i in range(g.size.sites):
        site_id = g.new_id()
        name = f"{g.rng.choice(SCHOOL_PREFIXES)}{g.rng.choice(SCHOOL_SUFFIXES)}"
        while name in names:
            name = f"{g.rng.choice(SCHOOL_PREFIXES)}{g.rng.choice(SCHOOL_SUFFIXES)}"
        names.add(name)
        g.data.site_ids.append(site_id)
        sites.append({"id": site_id, "municipality_id": m, "area_id": g.data.area_ids[i % len(g.data.area_ids)],
                      "name": name.capitalize(), "street": f"{g.rng.choice(STREETS)} {g.rng.randrange(1, 80)}",
                      "postal_code": f"85{g.rng.randrange(1, 10)} {g.rng.randrange(10, 99)}", "city": "Benchstad",
                      "description": "F-9-skola." if i % 3 else None, **g.created(200)})
        site_spaces: list[uuid.UUID] = []
        kinds: list[SpaceKind] = []
        if i % 5 == 0 and g.size.spaces_per_site >= 3:
            hall_id, a_id, b_id = g.new_id(), g.new_id(), g.new_id()
            capacity = g.rng.randrange(100, 200)
            common = {"municipality_id": m, "site_id": site_id, "kind": SpaceKind.HALL, "step_free": True,
                      "accessible_toilet": True, "hearing_loop": False, "accessibility_notes": None,
                      "equipment": ["Basketkorgar", "Innebandysarg"], **g.created(200)}
            wholes.append({"id": hall_id, "parent_id": None, "name": "Idrottshallen", "capacity": capacity,
                           "description": "Fullstor hall som kan delas i två halvor.", **common})
            for part_id, half in ((a_id, "A"), (b_id, "B")):
                parts.append({"id": part_id, "parent_id": hall_id, "name": f"Idrottshallen {half}",
                              "capacity": capacity // 2, "description": None, **common})
            g.data.divisible_halls.append((hall_id, [a_id, b_id]))
            site_spaces += [hall_id, a_id, b_id]
        while len(site_spaces) < g.size.spaces_per_site:
            kind = g.rng.choice(OTHER_KINDS)
            kinds.append(kind)
            space_id = g.new_id()
            low, high = KIND_CAPACITY[kind]
            wholes.append({
                "id": space_id, "municipality_id": m, "site_id": site_id, "parent_id": None,
                "name": f"{KIND_NAMES[kind]} {kinds.count(kind)}", "kind": kind,
                "capacity": g.rng.randrange(low, high + 1), "description": None,
                "step_free": g.rng.random() < 0.8, "accessible_toilet": g.rng.random() < 0.5,
                "hearing_loop": g.rng.random() < 0.2,
                "accessibility_notes": None if g.rng.random() < 0.8 else "Andra våningen, hiss finns.",
                "equipment": g.rng.sample(EQUIPMENT, g.rng.randrange(0, 4)), **g.created(200),
            })
            site_spaces.append(space_id)
        g.data.spaces_by_site[site_id] = site_spaces
        g.data.space_ids += site_spaces
    await g.insert(t.sites, sites)
    await g.insert(t.spaces, wholes)  # wholes before their parts: SQLite checks the FK per row
    await g.insert(t.spaces, parts)


def _person(g: Gen) -> str:
    return f"{g.rng.choice(FIRST)} {g.rng.choice(LAST)}"


async def people(g: Gen) -> None:
    """The admin (known password), one staff account per staff role, and the borrowers."""
    hasher = Argon2Hasher()
    admin_hash = await hasher.hash(ADMIN_PASSWORD)
    user_hash = await hasher.hash(USER_PASSWORD)  # argon2 costs ~50 ms: hash once, share it
    m = g.data.municipality_id
    accounts, grants = [], []

    def account(email: str, name: str, password_hash: str, role: Role, scope: uuid.UUID | None = None) -> uuid.UUID:
        account_id = g.new_id()
        created = g.created(365)
        accounts.append({"id": account_id, "municipality_id": m, "email": email, "display_name": name,
                         "password_hash": password_hash, "locale": "sv" if g.rng.random() < 0.9 else "en",
                         "is_active": True, "last_login_at": None, **created})
        grants.append({"id": g.new_id(), "account_id": account_id, "role": role, "scope_id": scope, **created})
        return account_id

    g.data.admin_id = account(ADMIN_EMAIL, "Bench Admin", admin_hash, Role.ADMIN)
    for role in (Role.PREMISES_STAFF, Role.ACTIVITIES_STAFF, Role.LENDING_STAFF):
        email = f"{role.value.replace('_', '-')}@bench.example"
        g.data.staff[role] = (account(email, _person(g), user_hash, role), email)
    for i in range(g.size.borrowers):
        g.data.borrower_ids.append(account(f"borrower{i:05d}@bench.example", _person(g), user_hash, Role.BORROWER))
    await g.insert(t.accounts, accounts)
    await g.insert(t.role_grants, grants)


def org_number(g: Gen, taken: set[str]) -> str:
    """A valid organisationsnummer of an ideell förening (starts with 8, Luhn check digit)."""
    while True:
        body = "8" + "".join(str(g.rng.randrange(10)) for _ in range(8))
        number = body + luhn.calc_check_digit(body)
        if number not in taken:
            taken.add(number)
            return orgnr.format(orgnr.validate(number))


async def associations(g: Gen) -> None:
    """Associations (föreningar) with contacts; most verified; each has one representative account."""
    m = g.data.municipality_id
    taken: set[str] = set()
    rows, contacts, reps, grants = [], [], [], []
    names: set[str] = set()
    for i in range(g.size.associations):
        association_id = g.new_id()
        g.data.association_ids.append(association_id)
        kind, category = g.rng.choice(CLUB_KINDS)
        name = f"{g.rng.choice(CLUB_PLACES)} {kind}"
        if name in names:
            name = f"{name} {i}"
        names.add(name)
        created = g.created(365)
        verified = g.rng.random() < 0.85
        rows.append({"id": association_id, "municipality_id": m, "name": name, "org_number": org_number(g, taken),
                     "category": category, "area_id": g.rng.choice(g.data.area_ids),
                     "is_local": g.rng.random() < 0.9, "public_name": g.rng.random() < 0.8,
                     "verified_at": created["created_at"] + timedelta(days=2) if verified else None,
                     "verified_by": g.data.admin_id if verified else None, **created})
        for c in range(g.rng.randrange(1, 3)):
            person = _person(g)
            contacts.append({"id": g.new_id(), "association_id": association_id, "name": person,
                             "email": f"kontakt{i:04d}-{c}@bench.example",
                             "phone": f"070{g.rng.randrange(1_000_000, 9_999_999)}",
                             "role": "Ordförande" if c == 0 else "Kassör", **created})
        rep_id = g.new_id()
        reps.append({"id": rep_id, "municipality_id": m, "email": f"forening{i:04d}@bench.example",
                     "display_name": _person(g), "password_hash": None, "locale": "sv", "is_active": True,
                     "last_login_at": None, **created})
        grants.append({"id": g.new_id(), "account_id": rep_id, "role": Role.ASSOCIATION_REP,
                       "scope_id": association_id, **created})
    await g.insert(t.associations, rows)
    await g.insert(t.association_contacts, contacts)
    await g.insert(t.accounts, reps, label="accounts (representatives)")
    await g.insert(t.role_grants, grants, label="role_grants (representatives)")


Step = Callable[[Gen], Awaitable[None]]
STEPS: Sequence[tuple[str, Step]] = [
    ("municipality", municipality),
    ("premises", premises),
    ("people", people),
    ("associations", associations),
]


async def generate(conn: AsyncConnection, size: Size, *, seed: int = 20261122,
                   progress: Callable[[str], None] = print) -> BenchData:
    """Write the whole data set through `conn` (inside the caller's transaction)."""
    data = BenchData(seed=seed, size=size)
    g = Gen(conn, data, progress=progress)
    for name, step in STEPS:
        started = time.perf_counter()
        before = dict(data.rows)
        await step(g)
        written = {k: n - before.get(k, 0) for k, n in data.rows.items() if n != before.get(k, 0)}
        progress(f"  {name}: " + ", ".join(f"{n:,} {k}" for k, n in written.items())
                 + f" ({time.perf_counter() - started:.2f} s)")
    return data
