"""Import and export of associations (föreningar), matched by organisationsnummer.

An imported association is registered as staff register one: it waits in the verification queue,
and its contact people and representatives are added on its page. A change never touches the
organisationsnummer (it is what a row is matched by)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from booking.domain.imports.csv_text import Column, Row
from booking.domain.imports.plan import (
    Plan,
    Run,
    admins_only,
    audit,
    by_name,
    check_no_extra,
    parse_bool,
    parse_choice,
    yes_no,
)
from booking.domain.imports.ports import ImportsUnitOfWork
from booking.domain.people.model import Association, AssociationCategory
from booking.domain.people.orgnr import normalize_org_number
from booking.domain.people.roles import Actor
from booking.domain.shared.errors import ValidationError

NAME, ORG_NUMBER, CATEGORY, AREA = "namn", "organisationsnummer", "kategori", "område"
LOCAL, PUBLIC_NAME = "lokal_förening", "offentligt_namn"
COLUMNS = (
    Column(NAME, ("name", "förening", "forening")),
    Column(ORG_NUMBER, ("org_number", "orgnr", "organisationsnr")),
    Column(CATEGORY, ("category",), required=False),
    Column(AREA, ("area", "omrade"), required=False),
    Column(LOCAL, ("is_local", "lokal_forening", "lokal"), required=False),
    Column(PUBLIC_NAME, ("public_name",), required=False),
)
FIELDS = {"name": NAME, "org_number": ORG_NUMBER, "category": CATEGORY, "area_id": AREA, "is_local": LOCAL,
          "public_name": PUBLIC_NAME}
CATEGORIES = {c.value: c.value for c in AssociationCategory} | {
    "ungdom": "youth", "barn_och_ungdom": "youth", "barn- och ungdom": "youth", "ungdomsförening": "youth",
    "vuxen": "adult", "vuxna": "adult", "pensionärer": "pensioners", "pensionär": "pensioners",
    "funktionsnedsättning": "disability", "funktionshinder": "disability", "studieförbund": "study",
    "övrig": "other", "övriga": "other", "annan": "other",
}


class AssociationImport:
    name = "associations"
    columns = COLUMNS
    allow = staticmethod(admins_only)
    export_audit = None

    async def export(self, uow: ImportsUnitOfWork, actor: Actor) -> list[list[str]]:
        areas = {a.id: a.name for a in await uow.areas.of_municipality(actor.municipality_id)}
        return [[a.name, a.org_number, str(a.category), areas.get(a.area_id, "") if a.area_id else "",
                 yes_no(a.is_local), yes_no(a.public_name)]
                for a in sorted(await uow.associations.of_municipality(actor.municipality_id),
                                key=lambda a: (a.name, a.org_number))]

    async def plan(self, rows: Sequence[Row], uow: ImportsUnitOfWork, actor: Actor, run: Run) -> Plan:
        plan = Plan(self.name)
        stored = {a.org_number: a for a in await uow.associations.of_municipality(actor.municipality_id)}
        find_area = by_name(await uow.areas.of_municipality(actor.municipality_id), "areas", AREA)
        seen: dict[str, int] = {}
        async for row in run.checking(rows):
            try:
                check_no_extra(row)
                org_number = normalize_org_number(row.get(ORG_NUMBER), ORG_NUMBER)
                if org_number in seen:
                    raise ValidationError(ORG_NUMBER, f"Line {seen[org_number]} has this organisationsnummer too.",
                                          "repeated")
                seen[org_number] = row.line
                self._row(row, org_number, stored.get(org_number), find_area, plan, uow, actor)
            except ValidationError as error:
                plan.reject(row.line, error, FIELDS)
        return plan

    def _row(self, row: Row, org_number: str, association: Association | None, find_area: Any, plan: Plan,
             uow: ImportsUnitOfWork, actor: Actor) -> None:
        area_id: UUID | None = None
        if row.get(AREA):
            area = find_area(row.get(AREA))
            if area is None:
                raise ValidationError(AREA, f"No area is named {row.get(AREA)}; import the areas first.", "unknown")
            area_id = area.id
        old = association
        values: dict[str, Any] = {
            "name": row.get(NAME),
            "category": parse_choice(row, CATEGORY, CATEGORIES, str(old.category) if old else "other"),
            "area_id": area_id if row.has(AREA) or old is None else old.area_id,
            "is_local": parse_bool(row, LOCAL) if row.has(LOCAL) else (old.is_local if old else True),
            "public_name": parse_bool(row, PUBLIC_NAME) if row.has(PUBLIC_NAME) else bool(old and old.public_name),
        }
        given = Association(municipality_id=actor.municipality_id, org_number=org_number, **values)
        if association is None:
            def create() -> None:
                uow.associations.add(given)
                audit(uow, actor, "association.registered", "association", given.id, self.name,
                      org_number=given.org_number)
            plan.create(row.line, "association", given.name, create)
            return
        changes = {k: getattr(given, k) for k in values if getattr(association, k) != getattr(given, k)}

        def change() -> None:
            association.change(actor, **changes)
            audit(uow, actor, "association.updated", "association", association.id, self.name,
                  fields=sorted(changes))
        plan.change(row.line, "association", given.name, [FIELDS[k] for k in changes], change)


ASSOCIATIONS = AssociationImport()
