"""Import and export of the postcode table (postnummer;område): each postcode with the name of the
area it lies in. A row adds its postcode or moves it to another area; postcodes the file does not name
stay as they are (PUT /api/postcode-areas replaces the whole table). Administrators and activities
staff of the whole municipality import it: the table gives children their home area in the follow-up."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from booking.domain.activities import scope
from booking.domain.imports.csv_text import Column, Row
from booking.domain.imports.plan import Plan, Run, audit, by_name, check_no_extra
from booking.domain.imports.ports import ImportsUnitOfWork
from booking.domain.municipalities.home_area import clean_postcode
from booking.domain.municipalities.model import Area, PostcodeArea
from booking.domain.people.roles import Actor
from booking.domain.shared.errors import Forbidden, ValidationError

POSTCODE, AREA = "postnummer", "område"
COLUMNS = (
    Column(POSTCODE, ("postcode", "postnr")),
    Column(AREA, ("area", "omrade", "område_namn", "namn")),
)
FIELDS = {"postcode": POSTCODE, "area": AREA}


def require_keeper(actor: Actor) -> None:
    """Administrators and activities staff of the whole municipality keep the postcode table (403 for
    others, a grant narrowed to sites included: the table is the whole municipality's)."""
    if not scope.is_staff(actor):
        raise Forbidden("Only activities staff and administrators keep the postcode table.")
    if scope.staff_sites(actor) is not None:
        raise Forbidden("Your role is limited to sites; the postcode table belongs to the whole municipality.")


class PostcodeAreaImport:
    name = "postcode_areas"
    columns = COLUMNS
    allow = staticmethod(require_keeper)
    export_audit = None

    async def export(self, uow: ImportsUnitOfWork, actor: Actor) -> list[list[str]]:
        names = {a.id: a.name for a in await uow.areas.of_municipality(actor.municipality_id)}
        return [[p.postcode, names.get(p.area_id, "")] for p in await uow.areas.postcodes(actor.municipality_id)]

    async def plan(self, rows: Sequence[Row], uow: ImportsUnitOfWork, actor: Actor, run: Run) -> Plan:
        plan = Plan(self.name)
        areas = await uow.areas.of_municipality(actor.municipality_id)
        find = by_name(areas, "areas", AREA)
        stored = {p.postcode: p for p in await uow.areas.postcodes(actor.municipality_id)}
        seen: dict[str, int] = {}
        async for row in run.checking(rows):
            try:
                self._row(row, plan, find, stored, seen, uow, actor)
            except ValidationError as error:
                plan.reject(row.line, error, FIELDS)
        return plan

    def _row(self, row: Row, plan: Plan, find: Callable[..., Area | None], stored: dict[str, PostcodeArea],
             seen: dict[str, int], uow: ImportsUnitOfWork, actor: Actor) -> None:
        check_no_extra(row)
        code = clean_postcode(row.get(POSTCODE), "postcode")
        if code in seen:
            raise ValidationError("postcode", f"Line {seen[code]} names this postcode too.", "repeated")
        seen[code] = row.line
        if not row.get(AREA):
            raise ValidationError("area", "Must not be empty.", "required")
        area = find(row.get(AREA))
        if area is None:
            raise ValidationError("area", f"No area is named {row.get(AREA)!r}; add it first (import areas).",
                                  "unknown")
        line = stored.get(code)
        if line is None:
            new = PostcodeArea(municipality_id=actor.municipality_id, postcode=code, area_id=area.id)

            def create() -> None:
                uow.areas.add_postcode(new)
                audit(uow, actor, "postcode_area.created", "area", area.id, self.name, postcode=code)
            plan.create(row.line, "postcode", code, create)
            return
        if line.area_id == area.id:
            plan.change(row.line, "postcode", code, [], None)
            return
        before = line.area_id

        def change() -> None:
            line.area_id = area.id
            audit(uow, actor, "postcode_area.changed", "area", area.id, self.name, postcode=code,
                  from_area_id=str(before))
        plan.change(row.line, "postcode", code, [AREA], change)


POSTCODE_AREAS = PostcodeAreaImport()
