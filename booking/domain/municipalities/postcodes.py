"""The municipality's postcode table: which area (område) each postcode lies in, so that a child's
home area can come from a postcode without anyone giving an address. Staff replace the whole table
(or import it as a CSV file); anyone may look one postcode up, which answers only the area."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from booking.domain.municipalities.home_area import clean_postcode
from booking.domain.municipalities.model import Area
from booking.domain.municipalities.ports import Acting, MunicipalitiesUnitOfWork
from booking.domain.shared.audit import AuditEntry
from booking.domain.shared.errors import FieldProblem, NotFound, ValidationError

MAX_POSTCODES = 5000  # Sweden has some 10,000 postcodes; one municipality has far fewer


@dataclass(frozen=True)
class PostcodeItem:
    """A line as the caller sends it: the postcode as typed ("852 31"), the area's id."""

    postcode: str
    area_id: UUID


@dataclass(frozen=True)
class PostcodeLine:
    postcode: str
    area_id: UUID
    area_name: str


def check_table(items: Sequence[PostcodeItem], areas: Sequence[Area]) -> list[tuple[str, UUID]]:
    """The table as stored: each postcode cleaned and once, each area one of the municipality's
    (`areas`). Every bad line is named (items[i].postcode, items[i].area_id) in one error."""
    known = {a.id for a in areas}
    problems: list[FieldProblem] = []
    seen: dict[str, int] = {}
    table: list[tuple[str, UUID]] = []
    if len(items) > MAX_POSTCODES:
        raise ValidationError("items", f"At most {MAX_POSTCODES} postcodes.", "too-many")
    for i, item in enumerate(items):
        try:
            code = clean_postcode(item.postcode, f"items[{i}].postcode")
        except ValidationError as error:
            problems.extend(error.problems)
            code = None
        if code is not None and code in seen:
            problems.append(FieldProblem(f"items[{i}].postcode", f"items[{seen[code]}] has this postcode too.",
                                         "duplicate"))
        elif code is not None:
            seen[code] = i
        if item.area_id not in known:
            problems.append(FieldProblem(f"items[{i}].area_id", "Not an area of this municipality.", "unknown"))
        if code is not None:
            table.append((code, item.area_id))
    if problems:
        raise ValidationError.many(problems)
    return sorted(table)


async def set_postcode_areas(items: Sequence[PostcodeItem], uow: MunicipalitiesUnitOfWork, actor: Acting) -> int:
    """Replace the municipality's whole table with `items`; answers how many postcodes it now holds.
    Who may do it (administrators, activities staff of the whole municipality) is the caller's check."""
    async with uow:
        table = check_table(items, await uow.areas.of_municipality(actor.municipality_id))
        count = await uow.areas.replace_postcodes(actor.municipality_id, table)
        uow.audit(AuditEntry(actor.municipality_id, actor.account_id, "postcode_areas.replaced", "municipality",
                             actor.municipality_id, {"postcodes": count}))
        await uow.commit()
        return count


async def postcode_table(uow: MunicipalitiesUnitOfWork, municipality_id: UUID) -> list[PostcodeLine]:
    """The whole table, by postcode, each line with its area's name."""
    async with uow:
        names = {a.id: a.name for a in await uow.areas.of_municipality(municipality_id)}
        lines = await uow.areas.postcodes(municipality_id)
        return [PostcodeLine(p.postcode, p.area_id, names.get(p.area_id, "")) for p in lines]


async def area_of_postcode(uow: MunicipalitiesUnitOfWork, municipality_id: UUID, postcode: str) -> PostcodeLine:
    """The area a postcode lies in, for anyone (an area is not personal data); 404 when the table
    does not know it, 422 naming `postcode` when it is not five digits."""
    code = clean_postcode(postcode)
    async with uow:
        area = await uow.areas.for_postcode(municipality_id, code)
    if area is None:
        raise NotFound("Postcode", code)
    return PostcodeLine(code, area.id, area.name)
