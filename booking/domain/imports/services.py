"""Use cases of imports and exports: a dry run, the import itself (all rows or none), an export.

The file is read and every row checked before the unit of work opens; the plan is made inside it,
against what is stored. A dry run leaves without committing; the import carries out every step of
a plan without a bad row and commits once."""

from __future__ import annotations

from booking.domain.imports.csv_text import read_csv, write_csv
from booking.domain.imports.kinds import KINDS
from booking.domain.imports.plan import Kind, Plan
from booking.domain.imports.ports import ImportsUnitOfWork
from booking.domain.people.roles import Actor
from booking.domain.shared.errors import NotFound


def kind_of(name: str) -> Kind:
    kind = KINDS.get(name)
    if kind is None:
        raise NotFound("Import kind", name)
    return kind


async def dry_run(kind_name: str, text: str, uow: ImportsUnitOfWork, actor: Actor) -> Plan:
    """What importing the file would do; nothing is written."""
    kind = kind_of(kind_name)
    rows = read_csv(text, kind.columns)
    async with uow:
        return await kind.plan(rows, uow, actor)


async def run_import(kind_name: str, text: str, uow: ImportsUnitOfWork, actor: Actor) -> Plan:
    """Import the file: planned again against what is stored now, then every row or, when any row is
    bad, none (a ValidationError naming `csv` with each bad row's line and column)."""
    kind = kind_of(kind_name)
    rows = read_csv(text, kind.columns)
    async with uow:
        plan = await kind.plan(rows, uow, actor)
        if plan.problems:
            raise plan.refusal()
        for step in plan.steps:
            step()
        await uow.commit()
        return plan


async def export(kind_name: str, uow: ImportsUnitOfWork, actor: Actor) -> str:
    """The municipality's objects of this kind as a CSV file in the import's format."""
    kind = kind_of(kind_name)
    async with uow:
        rows = await kind.export(uow, actor)
    return write_csv([c.key for c in kind.columns], rows)
