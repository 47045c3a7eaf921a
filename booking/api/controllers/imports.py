"""Imports and exports of CSV files. Areas, sites with their spaces and associations: administrators;
lending articles and borrowers: lending staff of the whole municipality too (the kind decides, 403).

The file travels as text inside JSON (the API takes JSON bodies only); the page decodes it. With
`Accept: application/x-ndjson` the import streams its progress (import_progress.py)."""

from __future__ import annotations

from typing import Any, cast

from litestar import Controller, Request, Response, get, post
from litestar.status_codes import HTTP_200_OK

from booking.adapters.db.uow import SqlUnitOfWork
from booking.api.access import guarded, roles
from booking.api.controllers.import_progress import ImportOperation, NdjsonStream, ProgressStream, wants_progress
from booking.api.controllers.lending_views import desk_today
from booking.api.schemas import imports as s
from booking.config import Settings
from booking.domain.imports import services as imports
from booking.domain.imports.plan import Action, Plan, Progress, Run, no_progress
from booking.domain.people.roles import Actor, Role
from booking.domain.shared.clock import Clock
from booking.domain.shared.errors import NotFound

IMPORTERS = roles(Role.LENDING_STAFF, Role.ACTIVITIES_STAFF)  # and administrators; each kind says whom it allows


def to_plan(plan: Plan, applied: bool) -> s.ImportPlan:
    return s.ImportPlan(
        kind=plan.kind, applied=applied, created=plan.count(Action.CREATE), changed=plan.count(Action.CHANGE),
        unchanged=plan.count(Action.UNCHANGED),
        rows=[s.PlannedRow(r.line, r.action.value, r.entity, r.name, list(r.changes))  # type: ignore[arg-type]
              for r in plan.rows],
        errors=[s.RowError(p.line, p.column, p.code, p.message) for p in plan.problems],
    )


class ImportController(Controller):
    path = "/api"
    tags = ["imports"]

    @post("/imports/{kind:str}", operation_id="importCsv", status_code=HTTP_200_OK, operation_class=ImportOperation,
          **guarded(IMPORTERS, idempotent=True))
    async def import_csv(self, kind: str, data: s.ImportRequest, request: Request[Any, Any, Any], uow: SqlUnitOfWork,
                         read_uow: SqlUnitOfWork, actor: Actor, clock: Clock, settings: Settings) -> s.ImportPlan:
        """Import a CSV file of `kind` (areas, sites, associations: administrators; lending_articles,
        borrowers: lending staff of the whole municipality and administrators; postcode_areas: activities
        staff of the whole municipality and administrators; 403 for others; docs/imports.md has each
        format). With `dry_run` (the default) nothing is written: the answer says per row what would be
        created, changed or left unchanged, and every bad row with its line, column and reason. Without it
        every row is imported in one transaction, or, when any row is bad, none (422 naming `csv`, with each
        bad row's line and column).

        With `Accept: application/x-ndjson` the answer is streamed: a line `{"stage", "done", "total"}` as
        the rows are checked ("check") and written ("write"), then the answer's body as its last line
        (the plan, or the problem object). What needs no row work (the kind, the caller's right, the
        file's size, encoding and header) is answered as an ordinary 4xx before any line."""
        file = imports.prepare(kind, data.csv, actor)

        async def work(progress: Progress) -> Plan:
            run = Run(clock.now(), desk_today(clock, settings), progress)
            if data.dry_run:
                return await imports.check(file, read_uow, actor, run)
            return await imports.apply(file, uow, actor, run)

        if wants_progress(request):
            stream = ProgressStream(request, work, lambda plan: to_plan(plan, applied=not data.dry_run))
            # Litestar sends a Response as it is, whatever the annotation (which documents the JSON answer).
            return cast(s.ImportPlan, NdjsonStream(stream.lines(), headers={"Cache-Control": "no-store",
                                                                            "X-Accel-Buffering": "no"}))
        return to_plan(await work(no_progress), applied=not data.dry_run)

    @get("/exports/{kind:str}", operation_id="exportCsv", media_type="text/csv", **guarded(IMPORTERS))
    async def export_csv(self, kind: str, read_uow: SqlUnitOfWork, uow: SqlUnitOfWork,
                         actor: Actor) -> Response[bytes]:
        """The municipality's objects of a kind as the import reads them (`areas.csv`, `sites.csv`,
        `associations.csv`, `lending_articles.csv`, `borrowers.csv`, `postcode_areas.csv`; who may: as for
        the import): UTF-8
        with a byte-order mark, `;` between cells, formulas neutralised. An export of borrowers is
        written in the audit log."""
        if not kind.endswith(".csv"):
            raise NotFound("Export", kind)
        text = await imports.export(kind.removesuffix(".csv"), read_uow, actor, uow)
        return Response(text.encode(), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{kind}"', "Cache-Control": "no-store"})


HANDLERS = [ImportController]
