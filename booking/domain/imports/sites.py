"""Import and export of sites (anläggningar) with their spaces (lokaler): one row per space, the
site's columns repeated on each; a row without a space names the site alone. Sites are matched by
name, spaces by site and name; a part of a divisible hall names its whole hall in `del_av`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from booking.domain.imports.csv_text import Column, Row
from booking.domain.imports.plan import Plan, Run, admins_only, audit, by_name, check_no_extra, parse_choice, parse_int
from booking.domain.imports.ports import ImportsUnitOfWork
from booking.domain.people.roles import Actor
from booking.domain.premises.model import Site, Space, SpaceKind
from booking.domain.shared.errors import ValidationError

SITE, STREET, POSTAL, CITY, AREA = "anläggning", "gatuadress", "postnummer", "ort", "område"
SPACE, KIND, CAPACITY, PART_OF = "lokal", "typ", "kapacitet", "del_av"
COLUMNS = (
    Column(SITE, ("site", "anlaggning")),
    Column(STREET, ("street", "adress", "address")),
    Column(POSTAL, ("postal_code", "postnr")),
    Column(CITY, ("city", "postort")),
    Column(AREA, ("area", "omrade"), required=False),
    Column(SPACE, ("space",), required=False),
    Column(KIND, ("kind",), required=False),
    Column(CAPACITY, ("capacity",), required=False),
    Column(PART_OF, ("part_of",), required=False),
)
SITE_FIELDS = {"name": SITE, "address.street": STREET, "address.postal_code": POSTAL, "address.city": CITY}
SPACE_FIELDS = {"name": SPACE, "kind": KIND, "capacity": CAPACITY, "parent_id": PART_OF}
KINDS = {k.value: k.value for k in SpaceKind} | {
    "gymnastiksal": "gym", "gympasal": "gym", "klassrum": "classroom", "lektionssal": "classroom",
    "musiksal": "music_room", "kök": "kitchen", "hemkunskapssal": "kitchen", "hemkunskap": "kitchen",
    "idrottshall": "hall", "sporthall": "hall", "aula": "hall", "utomhus": "outdoor", "skolgård": "outdoor",
}


@dataclass
class SiteEntry:
    """A site as the file names it: the line that first does, the site (stored or new) and the values
    every other row of the site must repeat; `site` None when that line was refused."""

    line: int
    site: Site | None
    values: dict[str, Any] = field(default_factory=dict)
    find_space: Callable[..., Space | None] = field(default=lambda name, at=SPACE: None)  # its stored spaces
    wholes: frozenset[UUID] = frozenset()  # those of them that have parts


@dataclass
class SpaceRow:
    row: Row
    entry: SiteEntry
    parent: str  # the whole hall's name, '' for none


def site_cells(site: Site, area: str) -> list[str]:
    return [site.name, site.street, site.postal_code, site.city, area]


class SiteImport:
    name = "sites"
    columns = COLUMNS
    allow = staticmethod(admins_only)
    export_audit = None

    async def export(self, uow: ImportsUnitOfWork, actor: Actor) -> list[list[str]]:
        areas = {a.id: a.name for a in await uow.areas.of_municipality(actor.municipality_id)}
        spaces = await uow.spaces.of_municipality(actor.municipality_id)
        names = {s.id: s.name for s in spaces}
        by_site: dict[UUID, list[Space]] = {}
        parts: dict[UUID, list[Space]] = {}
        for space in sorted(spaces, key=lambda s: s.name):
            by_site.setdefault(space.site_id, []).append(space)
            if space.parent_id is not None:
                parts.setdefault(space.parent_id, []).append(space)
        rows: list[list[str]] = []
        for site in sorted(await uow.sites.of_municipality(actor.municipality_id), key=lambda s: s.name):
            head = site_cells(site, areas.get(site.area_id, "") if site.area_id else "")
            ordered = [p for whole in by_site.get(site.id, []) if whole.parent_id is None
                       for p in (whole, *parts.get(whole.id, []))]
            rows.extend([*head, s.name, str(s.kind), str(s.capacity), names.get(s.parent_id, "") if s.parent_id
                         else ""] for s in ordered)
            if not ordered:
                rows.append([*head, "", "", "", ""])
        return rows

    async def plan(self, rows: Sequence[Row], uow: ImportsUnitOfWork, actor: Actor, run: Run) -> Plan:
        plan = Plan(self.name)
        planner = _Planner(plan, uow, actor)
        await planner.load()
        space_rows: list[SpaceRow] = []
        async for row in run.checking(rows):
            try:
                entry = planner.site_row(row)
                if row.get(SPACE):
                    space_rows.append(SpaceRow(row, entry, row.get(PART_OF)))
            except ValidationError as error:
                plan.reject(row.line, error, SITE_FIELDS)
        for parts in (False, True):  # whole halls (and undivided spaces) before the parts that name them
            for item in space_rows:
                if bool(item.parent) is parts:
                    try:
                        planner.space_row(item)
                    except ValidationError as error:
                        plan.reject(item.row.line, error, SPACE_FIELDS)
        plan.rows.sort(key=lambda r: r.line)
        plan.problems.sort(key=lambda p: p.line)
        return plan


class _Planner:
    def __init__(self, plan: Plan, uow: ImportsUnitOfWork, actor: Actor) -> None:
        self.plan, self.uow, self.actor = plan, uow, actor
        self.sites: dict[str, SiteEntry] = {}
        self.spaces: dict[tuple[str, str], tuple[int, Space | None]] = {}  # (site, space) -> line, space

    async def load(self) -> None:
        municipality = self.actor.municipality_id
        self.find_area = by_name(await self.uow.areas.of_municipality(municipality), "areas", AREA)
        self.find_site = by_name(await self.uow.sites.of_municipality(municipality), "sites", SITE)
        self.stored: dict[UUID, list[Space]] = {}
        for space in await self.uow.spaces.of_municipality(municipality):
            self.stored.setdefault(space.site_id, []).append(space)

    def _area_id(self, row: Row) -> UUID | None:
        if not row.get(AREA):
            return None
        area = self.find_area(row.get(AREA))
        if area is None:
            raise ValidationError(AREA, f"No area is named {row.get(AREA)}; import the areas first.", "unknown")
        return area.id  # type: ignore[no-any-return]

    def site_row(self, row: Row) -> SiteEntry:
        """The row's site: planned on the first row naming it, checked against that on the others."""
        check_no_extra(row)
        given = Site(municipality_id=self.actor.municipality_id, name=row.get(SITE), street=row.get(STREET),
                     postal_code=row.get(POSTAL), city=row.get(CITY), area_id=self._area_id(row))
        values = {STREET: given.street, POSTAL: given.postal_code, CITY: given.city, AREA: given.area_id}
        key = given.name.casefold()
        entry = self.sites.get(key)
        if entry is not None:
            if entry.site is None:
                raise ValidationError(SITE, f"The site on line {entry.line} is refused; fix that line.", "refused")
            for column, value in values.items():
                if value != entry.values[column]:
                    raise ValidationError(column, f"Line {entry.line} gives this site another {column}.",
                                          "inconsistent")
            return entry
        self.sites[key] = entry = SiteEntry(row.line, None, values)
        stored: Site | None = self.find_site(given.name)
        if stored is None:
            self.plan.create(row.line, "site", given.name, self._create_site(given))
            entry.site = given
            return entry
        changes: dict[str, Any] = {k: v for k, v in (("name", given.name), ("street", given.street),
                                     ("postal_code", given.postal_code), ("city", given.city))
                   if getattr(stored, k) != v}
        if row.has(AREA) and stored.area_id != given.area_id:
            changes["area_id"] = given.area_id
        columns = {"name": SITE, "street": STREET, "postal_code": POSTAL, "city": CITY, "area_id": AREA}
        self.plan.change(row.line, "site", given.name, [columns[k] for k in changes],
                         self._change("site", stored, changes))
        spaces = self.stored.get(stored.id, [])
        entry.site, entry.find_space = stored, by_name(spaces, "spaces", SPACE)
        entry.wholes = frozenset(s.parent_id for s in spaces if s.parent_id is not None)
        return entry

    def _create_site(self, site: Site) -> Callable[[], None]:
        def step() -> None:
            self.uow.sites.add(site)
            audit(self.uow, self.actor, "site.created", "site", site.id, self.plan.kind, name=site.name)
        return step

    def _change(self, entity: str, target: Site | Space, changes: dict[str, Any]) -> Callable[[], None]:
        def step() -> None:
            for key, value in changes.items():
                setattr(target, key, value)
            target.validate()
            audit(self.uow, self.actor, f"{entity}.updated", entity, target.id, self.plan.kind,
                  fields=sorted(changes))
        return step

    def _parent(self, item: SpaceRow, site: Site) -> UUID | None:
        if not item.parent:
            return None
        key = (site.name.casefold(), item.parent.casefold())
        if key in self.spaces:
            line, whole = self.spaces[key]
            if whole is None:
                raise ValidationError(PART_OF, f"The whole hall on line {line} is refused; fix that line.", "refused")
            return whole.id
        whole = item.entry.find_space(item.parent, PART_OF)
        if whole is None:
            raise ValidationError(PART_OF, f"{site.name} has no space named {item.parent}.", "unknown")
        if whole.parent_id is not None:
            raise ValidationError(PART_OF, f"{whole.name} is itself a part; parts are one level deep.", "nested")
        return whole.id  # type: ignore[no-any-return]

    def space_row(self, item: SpaceRow) -> None:
        row, site = item.row, item.entry.site
        if site is None:  # the site's own line was refused
            return
        key = (site.name.casefold(), row.get(SPACE).casefold())
        if key in self.spaces:
            raise ValidationError(SPACE, f"Line {self.spaces[key][0]} names this space too.", "repeated")
        self.spaces[key] = (row.line, None)
        stored = item.entry.find_space(row.get(SPACE))
        kind = parse_choice(row, KIND, KINDS, str(stored.kind) if stored else None)
        capacity = parse_int(row, CAPACITY, required=stored is None)
        if capacity is None and stored is not None:
            capacity = stored.capacity
        given = Space(municipality_id=self.actor.municipality_id, site_id=site.id, name=row.get(SPACE),
                      kind=SpaceKind(kind), capacity=capacity or 0, parent_id=self._parent(item, site))
        if stored is None:
            self.spaces[key] = (row.line, given)
            self.plan.create(row.line, "space", given.name, self._create_space(given))
            return
        if given.parent_id is not None and stored.id in item.entry.wholes:
            raise ValidationError(PART_OF, f"{stored.name} has parts of its own; parts are one level deep.", "nested")
        self.spaces[key] = (row.line, stored)
        changes = {k: getattr(given, k) for k in ("name", "kind", "capacity", "parent_id")
                   if getattr(stored, k) != getattr(given, k)}
        self.plan.change(row.line, "space", given.name, [SPACE_FIELDS[k] for k in changes],
                         self._change("space", stored, changes))

    def _create_space(self, space: Space) -> Callable[[], None]:
        def step() -> None:
            self.uow.spaces.add(space)
            audit(self.uow, self.actor, "space.created", "space", space.id, self.plan.kind, name=space.name)
        return step


SITES = SiteImport()
