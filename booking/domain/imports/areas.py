"""Import and export of areas (områden) with their population aged 0-17, matched by name."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from booking.domain.imports.csv_text import Column, Row
from booking.domain.imports.plan import Plan, Run, admins_only, audit, by_name, check_no_extra, parse_int
from booking.domain.imports.ports import ImportsUnitOfWork
from booking.domain.municipalities.model import Area
from booking.domain.people.roles import Actor
from booking.domain.shared.errors import ValidationError
from booking.domain.shared.text import clean_name

NAME, POPULATION = "namn", "befolkning_0_17"
COLUMNS = (
    Column(NAME, ("name", "område", "omrade", "area")),
    Column(POPULATION, ("population_0_17", "befolkning", "population"), required=False),
)
FIELDS = {"name": NAME, "population_0_17": POPULATION}


def cells(area: Area) -> list[str]:
    return [area.name, "" if area.population_0_17 is None else str(area.population_0_17)]


class AreaImport:
    name = "areas"
    columns = COLUMNS
    allow = staticmethod(admins_only)
    export_audit = None

    async def export(self, uow: ImportsUnitOfWork, actor: Actor) -> list[list[str]]:
        return [cells(a) for a in await uow.areas.of_municipality(actor.municipality_id)]

    async def plan(self, rows: Sequence[Row], uow: ImportsUnitOfWork, actor: Actor, run: Run) -> Plan:
        plan = Plan(self.name)
        find = by_name(await uow.areas.of_municipality(actor.municipality_id), "areas", NAME)
        seen: dict[str, int] = {}
        async for row in run.checking(rows):
            try:
                self._row(row, plan, find, seen, uow, actor)
            except ValidationError as error:
                plan.reject(row.line, error, FIELDS)
        return plan

    def _row(self, row: Row, plan: Plan, find: Any, seen: dict[str, int], uow: ImportsUnitOfWork,
             actor: Actor) -> None:
        check_no_extra(row)
        key = clean_name(row.get(NAME)).casefold()
        if key in seen:
            raise ValidationError(NAME, f"Line {seen[key]} names this area too.", "repeated")
        seen[key] = row.line
        population = parse_int(row, POPULATION)
        candidate = Area(municipality_id=actor.municipality_id, name=row.get(NAME), population_0_17=population)
        area: Area | None = find(candidate.name)
        if area is None:
            def create() -> None:
                uow.areas.add(candidate)
                audit(uow, actor, "area.created", "area", candidate.id, self.name)
            plan.create(row.line, "area", candidate.name, create)
            return
        changes: dict[str, Any] = {}
        if area.name != candidate.name:
            changes["name"] = candidate.name
        if row.has(POPULATION) and area.population_0_17 != population:
            changes["population_0_17"] = population

        def change() -> None:
            area.change(**changes)
            audit(uow, actor, "area.updated", "area", area.id, self.name, fields=sorted(changes))
        plan.change(row.line, "area", candidate.name, [FIELDS[k] for k in changes], change)


AREAS = AreaImport()
