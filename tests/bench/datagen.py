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
import uuid
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from time import perf_counter
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection
from stdnum import luhn
from stdnum.se import orgnr

from booking.adapters.db import tables as t
from booking.adapters.holidays_se import swedish_closed_days
from booking.adapters.passwords import Argon2Hasher
from booking.api.controllers.feeds import FUTURE_DAYS as FEED_FUTURE_DAYS
from booking.api.controllers.feeds import PAST_DAYS as FEED_PAST_DAYS
from booking.domain.people.model import AssociationCategory
from booking.domain.people.roles import Role
from booking.domain.premises.bookings import BookingStatus
from booking.domain.premises.model import SpaceKind
from booking.domain.shared.localtime import local_instant
from tests.bench import datagen_activities, datagen_allocation, datagen_circulation, datagen_lending, datagen_profiles

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
    season_weeks: int  # weekly series over this many weeks
    occurrences: int  # at least this many bookings (occurrences) in all
    busy_site_events: int  # about this many events in one site's public feed (default window)

    @property
    def spaces(self) -> int:
        return self.sites * self.spaces_per_site


FULL = Size("full", areas=8, sites=50, spaces_per_site=4, borrowers=2_000, associations=300, season_weeks=40,
            occurrences=100_000, busy_site_events=2_000)
QUICK = Size("quick", areas=3, sites=5, spaces_per_site=4, borrowers=100, associations=20, season_weeks=12,
             occurrences=3_000, busy_site_events=300)


@dataclass(frozen=True)
class Slot:
    """A bookable time of one space, in local date and wall times (what POST /api/bookings takes)."""

    space_id: uuid.UUID
    day: date
    start: time
    end: time

    def request(self, title: str = "Benchbokning") -> dict[str, Any]:
        return {"space_id": str(self.space_id), "title": title, "date": self.day.isoformat(),
                "start": self.start.strftime("%H:%M"), "end": self.end.strftime("%H:%M")}


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
    verified_association_ids: list[uuid.UUID] = field(default_factory=list)
    representatives: dict[uuid.UUID, uuid.UUID] = field(default_factory=dict)  # association -> its rep's account
    buffers: dict[uuid.UUID, int] = field(default_factory=dict)  # space -> changeover buffer (minutes)
    # The season (see `season`): its first Monday and length, relative to the local date of the run.
    today: date | None = None
    season_start: date | None = None
    season_weeks: int = 0
    busy_site_id: uuid.UUID | None = None  # the site whose feed has ~Size.busy_site_events events
    busy_space_id: uuid.UUID | None = None  # its divisible hall (whole): booked a lot, occupies both parts
    busy_site_events: list[tuple[datetime, datetime]] = field(default_factory=list)  # its public feed's events
    free_slots: list[Slot] = field(default_factory=list)  # free, bookable (>= 2 days ahead), shuffled
    race_slot: Slot | None = None  # free, kept out of free_slots: for the double-booking race
    taken_slot: Slot | None = None  # an approved occurrence ahead: requesting it must answer 409
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
        started = shown = perf_counter()
        batch: list[dict[str, Any]] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= BATCH:
                count += await self.write(table, batch)
                batch = []
                if perf_counter() - shown >= 2.0:  # big tables: a line every two seconds
                    shown = perf_counter()
                    self.progress(f"    {label or table.name}: {count:,} rows ({shown - started:.1f} s)")
        if batch:
            count += await self.write(table, batch)
        return count

    async def write(self, table: sa.Table, batch: list[dict[str, Any]]) -> int:
        """One executemany of `batch` (all rows with the same keys), counted in `data.rows`."""
        if batch:
            await self.conn.execute(table.insert(), batch)
            self.data.rows[table.name] = self.data.rows.get(table.name, 0) + len(batch)
        return len(batch)


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
                      "buffer_minutes": BUFFER_MINUTES.get(SpaceKind.HALL, 0),
                      "accessible_toilet": True, "hearing_loop": False, "accessibility_notes": None,
                      "equipment": ["Basketkorgar", "Innebandysarg"], **g.created(200)}
            wholes.append({"id": hall_id, "parent_id": None, "name": "Idrottshallen", "capacity": capacity,
                           "description": "Fullstor hall som kan delas i två halvor.", **common})
            for part_id, half in ((a_id, "A"), (b_id, "B")):
                parts.append({"id": part_id, "parent_id": hall_id, "name": f"Idrottshallen {half}",
                              "capacity": capacity // 2, "description": None, **common})
            g.data.divisible_halls.append((hall_id, [a_id, b_id]))
            for sid in (hall_id, a_id, b_id):
                g.data.buffers[sid] = BUFFER_MINUTES.get(SpaceKind.HALL, 0)
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
                "equipment": g.rng.sample(EQUIPMENT, g.rng.randrange(0, 4)),
                "buffer_minutes": BUFFER_MINUTES.get(kind, 0), **g.created(200),
            })
            g.data.buffers[space_id] = BUFFER_MINUTES.get(kind, 0)
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
        g.data.representatives[association_id] = rep_id
        if verified:
            g.data.verified_association_ids.append(association_id)
        reps.append({"id": rep_id, "municipality_id": m, "email": f"forening{i:04d}@bench.example",
                     "display_name": _person(g), "password_hash": None, "locale": "sv", "is_active": True,
                     "last_login_at": None, **created})
        grants.append({"id": g.new_id(), "account_id": rep_id, "role": Role.ASSOCIATION_REP,
                       "scope_id": association_id, **created})
    await g.insert(t.associations, rows)
    await g.insert(t.association_contacts, contacts)
    await g.insert(t.accounts, reps, label="accounts (representatives)")
    await g.insert(t.role_grants, grants, label="role_grants (representatives)")


# --- the season: opening hours, weekly series, their occurrences and occupancy ----------------------

ZONE = ZoneInfo("Europe/Stockholm")  # the municipality's zone (municipality step)
# Opening hours of every space, local wall times: weekday evenings, weekend days.
OPENING = {**{d: (time(16), time(22)) for d in range(5)}, 5: (time(8), time(22)), 6: (time(8), time(22))}
# Series lie on a grid of 90-minute cells per weekday (4 on weekday evenings, 9 on weekend days);
# a booking starts at its cell's start and, with the space's changeover buffer, ends within it.
CELL_MINUTES = 90
LENGTHS = (60, 75, 90)  # booking lengths (minutes) a series may have, if its buffer still fits the cell
BUFFER_MINUTES = {SpaceKind.HALL: 15, SpaceKind.GYM: 15, SpaceKind.KITCHEN: 30}
SEASON_WEEKS_BACK = 3  # the season began this many weeks before the current week
FREE_SLOT_MINUTES = 60
FREE_SLOTS = 50_000  # free slots kept for the write rows (each POST takes one)
TITLES = ["Träning", "Träning", "Träning", "Match", "Repetition", "Körövning", "Möte", "Kurs", "Övning",
          "Läxhjälp", "Dans", "Schack"]
STAFF_TITLES = ["Skolans verksamhet", "Fritidsgården", "Kommunens möte", "Kulturskolan"]
P_PENDING, P_REJECTED, P_CANCELLED = 0.05, 0.03, 0.03  # per series, per series, per approved occurrence


def _cells(weekday: int) -> list[time]:
    opens, closes = OPENING[weekday]
    out, at, end = [], datetime.combine(EPOCH.date(), opens), datetime.combine(EPOCH.date(), closes)
    while at + timedelta(minutes=CELL_MINUTES) <= end:
        out.append(at.time())
        at += timedelta(minutes=CELL_MINUTES)
    return out


def _plus(at: time, minutes: int) -> time:
    return (datetime.combine(EPOCH.date(), at) + timedelta(minutes=minutes)).time()


@dataclass
class _Group:
    """Spaces that share leaf units: one ordinary space, or a divisible hall with its two parts."""

    site_id: uuid.UUID
    whole: uuid.UUID
    parts: tuple[uuid.UUID, ...] = ()

    def units(self, space_id: uuid.UUID) -> tuple[uuid.UUID, ...]:
        return self.parts if space_id == self.whole and self.parts else (space_id,)

    def layouts(self) -> tuple[list[tuple[uuid.UUID, ...]], list[float]]:
        """What one cell's series book: the space; or the whole hall, both halves (two series), one half."""
        if not self.parts:
            return [(self.whole,)], [1.0]
        a, b = self.parts
        return [(self.whole,), (a, b), (a,), (b,)], [0.4, 0.4, 0.1, 0.1]


@dataclass
class _Series:
    id: uuid.UUID
    group: _Group
    space_id: uuid.UUID
    weekday: int
    start: time
    end: time
    first_week: int
    last_week: int
    days: list[date]  # the occurrence dates (closed days left out, as request_booking does)
    exdates: list[date]
    status: BookingStatus
    association_id: uuid.UUID | None
    booked_by: uuid.UUID
    title: str
    created_at: datetime
    decided_at: datetime | None
    cancelled: frozenset[int] = frozenset()  # indexes into `days` of approved occurrences cancelled later


class _Season:
    """Plans the season cell by cell (never two series on one unit at one time), then writes it."""

    def __init__(self, g: Gen, today: date) -> None:
        self.g = g
        self.today = today
        self.start = today - timedelta(days=today.weekday()) - timedelta(weeks=SEASON_WEEKS_BACK)
        self.weeks = g.size.season_weeks
        years = range(self.start.year, (self.start + timedelta(weeks=self.weeks)).year + 1)
        self._instants: dict[tuple[date, time], datetime] = {}
        self.closed: set[date] = set()
        for year in years:
            self.closed.update(swedish_closed_days(year))
        # the public feeds' default window (booking.api.controllers.feeds.feed_window) on `today`
        self.window = (self.instant(today - timedelta(days=FEED_PAST_DAYS), time(0)),
                       self.instant(today + timedelta(days=FEED_FUTURE_DAYS + 1), time(0)))
        self.today_at = self.instant(today, time(0))
        self.season_at = self.instant(self.start, time(0))
        week_ahead = (today + timedelta(days=7) - self.start).days
        self.future_week = -(-week_ahead // 7)  # pending series begin at least a week ahead
        self.taken: dict[tuple[int, int, int], range] = {}  # (group, weekday, cell) -> the weeks booked
        self.series: list[_Series] = []
        staff = g.data.staff.get(Role.PREMISES_STAFF)
        assert staff is not None and g.data.verified_association_ids
        self.staff_id = staff[0]

    def instant(self, day: date, at: time) -> datetime:
        """UTC instant of a local wall time, converted per date (DST), as request_booking does."""
        found = self._instants.get((day, at))
        if found is None:
            found = self._instants[(day, at)] = local_instant(day, at, ZONE)
        return found

    def day(self, week: int, weekday: int) -> date:
        return self.start + timedelta(days=7 * week + weekday)

    def plan_cell(self, gi: int, group: _Group, weekday: int, ci: int, cell: time) -> list[_Series]:
        g, rng = self.g, self.g.rng
        layouts, weights = group.layouts()
        spaces = rng.choices(layouts, weights)[0]
        first = 0 if rng.random() < 0.7 else rng.randrange(1, max(2, self.weeks // 2))
        last = self.weeks - 1 if rng.random() < 0.8 else rng.randrange(min(first + 4, self.weeks - 1), self.weeks)
        made = []
        for space_id in spaces:
            buffer = g.data.buffers.get(space_id, 0)
            length = rng.choice([n for n in LENGTHS if n + buffer <= CELL_MINUTES])
            roll = rng.random()
            status = BookingStatus.APPROVED
            series_first = first
            if roll < P_PENDING and max(first, self.future_week) <= last:
                status, series_first = BookingStatus.PENDING, max(first, self.future_week)
            elif roll < P_PENDING + P_REJECTED:
                status = BookingStatus.REJECTED
            weeks = range(series_first, last + 1)
            days = [self.day(w, weekday) for w in weeks]
            exdates = [d for d in days if d in self.closed]
            days = [d for d in days if d not in self.closed]
            if not days:
                continue
            if rng.random() < 0.9:
                association_id = rng.choice(g.data.verified_association_ids)
                booked_by, title = g.data.representatives[association_id], rng.choice(TITLES)
            else:
                association_id, booked_by, title = None, self.staff_id, rng.choice(STAFF_TITLES)
            if status is BookingStatus.PENDING:
                created = self.today_at - timedelta(seconds=rng.randrange(3600, 20 * 86400))
                decided = None
            else:
                created = self.season_at - timedelta(seconds=rng.randrange(86400, 60 * 86400))
                decided = created + timedelta(seconds=rng.randrange(3600, 5 * 86400))
            cancelled = frozenset(i for i in range(len(days)) if rng.random() < P_CANCELLED) \
                if status is BookingStatus.APPROVED else frozenset()
            made.append(_Series(g.new_id(), group, space_id, weekday, cell, _plus(cell, length), series_first, last,
                                days, exdates, status, association_id, booked_by, title, created, decided,
                                cancelled))
        self.taken[(gi, weekday, ci)] = range(first, last + 1)
        self.series += made
        return made

    def feed_events(self, series: _Series) -> list[tuple[datetime, datetime]]:
        """The occurrences a public feed shows (approved, or cancelled after approval) in the window."""
        if series.status is not BookingStatus.APPROVED:
            return []
        out = []
        for day in series.days:
            span = (self.instant(day, series.start), self.instant(day, series.end))
            if span[1] > self.window[0] and span[0] < self.window[1]:
                out.append(span)
        return out

    def plan(self, groups: list[_Group], busy_site: uuid.UUID) -> list[tuple[datetime, datetime]]:
        rng, size = self.g.rng, self.g.size
        cells = [(gi, wd, ci, at) for gi, group in enumerate(groups) for wd in range(7)
                 for ci, at in enumerate(_cells(wd))]
        busy = [c for c in cells if groups[c[0]].site_id == busy_site]
        rest = [c for c in cells if groups[c[0]].site_id != busy_site]
        rng.shuffle(busy)
        rng.shuffle(rest)
        events: list[tuple[datetime, datetime]] = []
        for gi, wd, ci, at in busy:  # the busy site: cells until its feed is full enough
            if len(events) >= size.busy_site_events:
                break
            for series in self.plan_cell(gi, groups[gi], wd, ci, at):
                events += self.feed_events(series)
        total = sum(len(s.days) for s in self.series)
        for gi, wd, ci, at in rest:  # everyone else: cells until the season has its occurrences
            if total >= size.occurrences:
                break
            total += sum(len(s.days) for s in self.plan_cell(gi, groups[gi], wd, ci, at))
        if total < size.occurrences:
            raise RuntimeError(f"the calendar holds only {total:,} occurrences; {size.occurrences:,} wanted")
        return sorted(events)

    def free_slots(self, groups: list[_Group], busy_site: uuid.UUID) -> list[Slot]:
        """Cells nothing is booked in on a date (>= 2 days ahead, not a closed day), in the season,
        except at the busy site (its feed stays as generated whatever the write rows book)."""
        out = []
        soon = self.today + timedelta(days=2)
        for gi, group in enumerate(groups):
            if group.site_id == busy_site:
                continue
            for wd in range(7):
                for ci, at in enumerate(_cells(wd)):
                    busy = self.taken.get((gi, wd, ci), range(0))
                    for week in range(self.weeks):
                        day = self.day(week, wd)
                        if week not in busy and day >= soon and day not in self.closed:
                            out.append(Slot(group.whole, day, at, _plus(at, FREE_SLOT_MINUTES)))
        return out

    def rows(self) -> Iterable[tuple[dict[str, Any], list[dict[str, Any]]]]:
        """(booking row, its occupancy rows) for every occurrence of every series."""
        g, rng, m = self.g, self.g.rng, self.g.data.municipality_id
        for s in self.series:
            buffer = timedelta(minutes=g.data.buffers.get(s.space_id, 0))
            for i, day in enumerate(s.days):
                starts, ends = self.instant(day, s.start), self.instant(day, s.end)
                booking_id = g.new_id()
                status, sequence, reason = s.status, 0, None
                decided_by = None if s.decided_at is None else self.staff_id
                decided_at, updated = s.decided_at, s.decided_at or s.created_at
                if s.status is BookingStatus.APPROVED:
                    sequence = 1
                elif s.status is BookingStatus.REJECTED:
                    sequence, reason = 1, "Lokalen behövs för skolans verksamhet."
                occupancy: list[dict[str, Any]] = []
                if s.status is BookingStatus.APPROVED:
                    active = i not in s.cancelled
                    occupied_until = updated
                    if not active:  # cancelled after approval: the rows stay, inactive
                        assert s.decided_at is not None
                        latest = min(starts - timedelta(days=1), self.today_at) \
                            - timedelta(seconds=rng.randrange(0, 7 * 86400))
                        cancelled_at = max(s.decided_at + timedelta(hours=1), latest)
                        status, sequence, reason = BookingStatus.CANCELLED, 2, "Inställt."
                        decided_by, decided_at, updated = s.booked_by, cancelled_at, cancelled_at
                    for unit in s.group.units(s.space_id):
                        occupancy.append({"id": g.new_id(), "municipality_id": m, "booking_id": booking_id,
                                          "unit_id": unit, "starts_at": starts, "ends_at": ends + buffer,
                                          "active": active, "created_at": occupied_until, "updated_at": updated})
                yield ({"id": booking_id, "municipality_id": m, "space_id": s.space_id, "series_id": s.id,
                        "association_id": s.association_id, "booked_by": s.booked_by, "title": s.title,
                        "note": None, "starts_at": starts, "ends_at": ends, "status": status,
                        "decided_by": decided_by, "decided_at": decided_at, "decision_reason": reason,
                        "sequence": sequence, "was_approved": s.status is BookingStatus.APPROVED,
                        "created_at": s.created_at, "updated_at": updated}, occupancy)

    def series_row(self, s: _Series) -> dict[str, Any]:
        return {"id": s.id, "municipality_id": self.g.data.municipality_id, "space_id": s.space_id,
                "start_date": self.day(s.first_week, s.weekday), "weekdays": [s.weekday], "interval": 1,
                "until": self.day(s.last_week, s.weekday), "count": None,
                "exdates": [d.isoformat() for d in s.exdates], "local_start": s.start, "local_end": s.end,
                "created_at": s.created_at, "updated_at": s.decided_at or s.created_at}


def _groups(data: BenchData) -> list[_Group]:
    halls = dict(data.divisible_halls)
    parts = {p for ps in halls.values() for p in ps}
    return [_Group(site, space, tuple(halls.get(space, ()))) for site, spaces in data.spaces_by_site.items()
            for space in spaces if space not in parts]


async def opening_hours(g: Gen) -> None:
    """Every space open Mon-Fri 16-22 and Sat-Sun 08-22 (local time), the whole year."""
    m = g.data.municipality_id
    rows = [{"id": g.new_id(), "municipality_id": m, "space_id": space_id, "weekday": wd, "opens": opens,
             "closes": closes, "valid_from": None, "valid_to": None, "name": None, **g.created(200)}
            for space_id in g.data.space_ids for wd, (opens, closes) in OPENING.items()]
    await g.insert(t.opening_hours, rows)


async def season(g: Gen) -> None:
    """A season of weekly series around today (>= Size.occurrences occurrences), most of them
    approved with their occupancy; one site (the first, with a divisible hall) booked densely
    enough that its public feed has about Size.busy_site_events events. Local times are
    converted per occurrence (DST), closed days (Swedish holidays) are left out of every series
    as exception dates, and no unit is ever occupied twice at once (checked afterwards)."""
    data = g.data
    today = data.today or datetime.now(ZONE).date()
    plan = _Season(g, today)
    data.today, data.season_start, data.season_weeks = today, plan.start, plan.weeks
    groups = _groups(data)
    data.busy_site_id = data.site_ids[0]
    data.busy_space_id = next(hall for hall, _ in data.divisible_halls if hall in data.spaces_by_site[data.site_ids[0]])
    started = perf_counter()
    data.busy_site_events = plan.plan(groups, data.busy_site_id)
    free = plan.free_slots(groups, data.busy_site_id)
    g.rng.shuffle(free)
    data.race_slot, data.free_slots = free[0], free[1:FREE_SLOTS + 1]
    soon = today + timedelta(days=2)
    data.taken_slot = next(
        Slot(s.space_id, day, s.start, s.end) for s in plan.series
        if s.status is BookingStatus.APPROVED and s.group.whole == data.busy_space_id
        for i, day in enumerate(s.days) if day >= soon and i not in s.cancelled)
    g.progress(f"    planned {len(plan.series):,} series, {sum(len(s.days) for s in plan.series):,} occurrences, "
               f"{len(data.busy_site_events):,} feed events at the busy site, {len(free):,} free slots "
               f"({perf_counter() - started:.1f} s)")

    await g.insert(t.booking_series, (plan.series_row(s) for s in plan.series))
    # Bookings before their occupancy (foreign key): a batch of bookings, then the occupancy rows
    # of those bookings.
    bookings: list[dict[str, Any]] = []
    occupancy: list[dict[str, Any]] = []
    shown = perf_counter()
    for booking, occupied in plan.rows():
        bookings.append(booking)
        occupancy += occupied
        if len(bookings) >= BATCH:
            await g.write(t.bookings, bookings)
            await g.write(t.occupancy, occupancy)
            bookings, occupancy = [], []
            if perf_counter() - shown >= 2.0:
                shown = perf_counter()
                g.progress(f"    bookings: {data.rows['bookings']:,}, occupancy: {data.rows['occupancy']:,} "
                           f"({shown - started:.1f} s)")
    await g.write(t.bookings, bookings)
    await g.write(t.occupancy, occupancy)


async def overlapping_occupancy(conn: AsyncConnection) -> int:
    """Active occupancy rows that overlap an earlier one of their unit (ordered by start): a row
    overlaps an earlier one exactly when it starts before the latest end among those before it."""
    o = t.occupancy
    previous_end = sa.func.max(o.c.ends_at).over(partition_by=o.c.unit_id, order_by=(o.c.starts_at, o.c.ends_at),
                                                 rows=(None, -1))
    ordered = sa.select(o.c.starts_at, previous_end.label("previous_end")).where(o.c.active).subquery()
    query = sa.select(sa.func.count()).select_from(ordered).where(ordered.c.previous_end > ordered.c.starts_at)
    return int((await conn.execute(query)).scalar_one())


Step = Callable[[Gen], Awaitable[None]]
STEPS: Sequence[tuple[str, Step]] = [
    ("municipality", municipality),
    ("premises", premises),
    ("people", people),
    ("associations", associations),
    ("opening hours", opening_hours),
    ("season", season),
    *datagen_allocation.STEPS,
    *datagen_lending.STEPS,
    *datagen_circulation.STEPS,
    *datagen_activities.STEPS,
    *datagen_profiles.STEPS,
]


async def generate(conn: AsyncConnection, size: Size, *, seed: int = 20261122, today: date | None = None,
                   progress: Callable[[str], None] = print) -> BenchData:
    """Write the whole data set through `conn` (inside the caller's transaction).

    The season lies around `today` (default: the local date now), so that it is "now" for the
    server's clock: the feeds' window, the minimum notice and the horizon all see it. Same seed
    and same `today`, same rows."""
    data = BenchData(seed=seed, size=size, today=today)
    g = Gen(conn, data, progress=progress)
    if conn.dialect.name == "sqlite":  # one big transaction: keep its pages in memory, not spilled
        await conn.exec_driver_sql("PRAGMA cache_size=-262144")  # 256 MiB
        await conn.exec_driver_sql("PRAGMA temp_store=MEMORY")
    for name, step in STEPS:
        started = perf_counter()
        before = dict(data.rows)
        await step(g)
        written = {k: n - before.get(k, 0) for k, n in data.rows.items() if n != before.get(k, 0)}
        progress(f"  {name}: " + ", ".join(f"{n:,} {k}" for k, n in written.items())
                 + f" ({perf_counter() - started:.2f} s)")
    started = perf_counter()
    overlaps = await overlapping_occupancy(conn)
    if overlaps:
        raise RuntimeError(f"the generated occupancy overlaps itself in {overlaps} places")
    progress(f"  check: no two active occupancy rows of a unit overlap ({perf_counter() - started:.2f} s)")
    return data
