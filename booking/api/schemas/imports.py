"""Imports and exports: a CSV file's text in, the plan (or what was done) out."""

from __future__ import annotations

from typing import Annotated, Literal

from msgspec import Meta, Struct

MAX_CSV = 2_000_000


class ImportRequest(Struct, forbid_unknown_fields=True):
    """The file's text, decoded from UTF-8 by the client (a byte-order mark may stay); `dry_run`
    (the default) answers what the import would do and writes nothing."""

    csv: Annotated[str, Meta(max_length=MAX_CSV, description="The CSV file's text: a header row naming the "
                                                                "columns, `;` or `,` between cells.")]
    dry_run: bool = True


class PlannedRow(Struct):
    line: int
    action: Literal["create", "change", "unchanged"]
    entity: str
    name: str
    changes: list[str]


class RowError(Struct):
    """A bad row: `line` in the file (the header is line 1), `column` at fault (null: the row)."""

    line: int
    column: str | None
    code: str
    message: str


class ImportPlan(Struct):
    """What the import does (`applied`: it was carried out) or would do (a dry run); `errors` lists
    every bad row (an import with any is refused: 422)."""

    kind: str
    applied: bool
    created: int
    changed: int
    unchanged: int
    rows: list[PlannedRow]
    errors: list[RowError]
