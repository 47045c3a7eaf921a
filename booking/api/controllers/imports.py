"""Imports and exports of CSV files (areas, sites with their spaces, associations): admins only.

The file travels as text inside JSON (the API takes JSON bodies only); the page decodes it."""

from __future__ import annotations

from litestar import Controller, Response, get, post
from litestar.status_codes import HTTP_200_OK

from booking.adapters.db.uow import SqlUnitOfWork
from booking.api.access import ADMIN_ONLY, guarded
from booking.api.schemas import imports as s
from booking.domain.imports import services as imports
from booking.domain.imports.plan import Action, Plan
from booking.domain.people.roles import Actor
from booking.domain.shared.errors import NotFound


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

    @post("/imports/{kind:str}", operation_id="importCsv", status_code=HTTP_200_OK,
          **guarded(ADMIN_ONLY, idempotent=True))
    async def import_csv(self, kind: str, data: s.ImportRequest, uow: SqlUnitOfWork, read_uow: SqlUnitOfWork,
                         actor: Actor) -> s.ImportPlan:
        """Import a CSV file of `kind` (areas, sites, associations; docs/imports.md has each format).
        With `dry_run` (the default) nothing is written: the answer says per row what would be created,
        changed or left unchanged, and every bad row with its line, column and reason. Without it every
        row is imported in one transaction, or, when any row is bad, none (422 naming `csv`, with each
        bad row's line and column)."""
        if data.dry_run:
            return to_plan(await imports.dry_run(kind, data.csv, read_uow, actor), applied=False)
        return to_plan(await imports.run_import(kind, data.csv, uow, actor), applied=True)

    @get("/exports/{kind:str}", operation_id="exportCsv", media_type="text/csv", **guarded(ADMIN_ONLY))
    async def export_csv(self, kind: str, read_uow: SqlUnitOfWork, actor: Actor) -> Response[bytes]:
        """The municipality's objects of a kind as the import reads them (`areas.csv`, `sites.csv`,
        `associations.csv`): UTF-8 with a byte-order mark, `;` between cells, formulas neutralised."""
        if not kind.endswith(".csv"):
            raise NotFound("Export", kind)
        text = await imports.export(kind.removesuffix(".csv"), read_uow, actor)
        return Response(text.encode(), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{kind}"'})


HANDLERS = [ImportController]
