"""Use cases of imports and exports: a dry run, the import itself (all rows or none), an export.

The file is read before the unit of work opens; the plan is made inside it, against what is stored,
reporting its progress row by row (stage "check"). A dry run leaves without committing; the import
carries out every step of a plan without a bad row, flushing them in batches as it reports its progress
(stage "write"), and commits once: a failure at any point keeps nothing."""

from __future__ import annotations

from dataclasses import dataclass

from booking.domain.imports.csv_text import Row, read_csv, write_csv
from booking.domain.imports.kinds import KINDS
from booking.domain.imports.plan import EVERY, WRITE, Kind, Plan, Run
from booking.domain.imports.ports import ImportsUnitOfWork
from booking.domain.people.roles import Actor
from booking.domain.shared.audit import AuditEntry
from booking.domain.shared.errors import NotFound


def kind_of(name: str, actor: Actor) -> Kind:
    """The kind, when the actor may import and export it (else Forbidden)."""
    kind = KINDS.get(name)
    if kind is None:
        raise NotFound("Import kind", name)
    kind.allow(actor)
    return kind


@dataclass(frozen=True)
class Prepared:
    """A file read and found fit to plan: its kind (the actor may import it) and its rows."""

    kind: Kind
    rows: list[Row]


def prepare(kind_name: str, text: str, actor: Actor) -> Prepared:
    """What needs no database: the kind, the caller's right to it, the file's encoding, header and size
    (errors naming `csv`). A client streaming the progress gets these as an ordinary 4xx answer."""
    kind = kind_of(kind_name, actor)
    return Prepared(kind, read_csv(text, kind.columns))


async def check(file: Prepared, uow: ImportsUnitOfWork, actor: Actor, run: Run | None = None) -> Plan:
    """What importing the file would do; nothing is written."""
    async with uow:
        return await file.kind.plan(file.rows, uow, actor, run or Run())


async def apply(file: Prepared, uow: ImportsUnitOfWork, actor: Actor, run: Run | None = None) -> Plan:
    """Import the file: planned again against what is stored now, then every row or, when any row is
    bad, none (a ValidationError naming `csv` with each bad row's line and column). The write stage
    counts the file's rows that change something (a row may create a site and its space)."""
    run = run or Run()
    async with uow:
        plan = await file.kind.plan(file.rows, uow, actor, run)
        if plan.problems:
            raise plan.refusal()
        total, written = len({line for line, _ in plan.steps}), set[int]()  # progress in rows of the file
        for index, (line, step) in enumerate(plan.steps, 1):
            step()
            fresh = line not in written
            written.add(line)
            if (fresh and len(written) % EVERY == 0) or index == len(plan.steps):
                await uow.lending.flush()  # the session's pending writes, of any kind
                await run.progress(WRITE, len(written), total)
        await uow.commit()
        return plan


async def dry_run(kind_name: str, text: str, uow: ImportsUnitOfWork, actor: Actor, run: Run | None = None) -> Plan:
    return await check(prepare(kind_name, text, actor), uow, actor, run)


async def run_import(kind_name: str, text: str, uow: ImportsUnitOfWork, actor: Actor,
                     run: Run | None = None) -> Plan:
    return await apply(prepare(kind_name, text, actor), uow, actor, run)


async def export(kind_name: str, uow: ImportsUnitOfWork, actor: Actor,
                 write_uow: ImportsUnitOfWork | None = None) -> str:
    """The municipality's objects of this kind as a CSV file in the import's format. A kind of personal
    data (its `export_audit`) leaves an entry in the audit log, written through `write_uow`."""
    kind = kind_of(kind_name, actor)
    async with uow:
        rows = await kind.export(uow, actor)
    action = kind.export_audit
    if action:
        if write_uow is None:
            raise ValueError(f"An export of {kind.name} is audited: pass a unit of work that writes")
        async with write_uow:
            write_uow.audit(AuditEntry(actor.municipality_id, actor.account_id, action, "municipality",
                                       actor.municipality_id, {"export": kind.name, "rows": len(rows)}))
            await write_uow.commit()
    return write_csv([c.key for c in kind.columns], rows)
