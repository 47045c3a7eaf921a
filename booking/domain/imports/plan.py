"""What an import would do: per row create, change or unchanged, every bad row with its line,
column and reason, and the writes that carry it out.

A kind of import (areas, sites with their spaces, associations, ...) is one module with one object
satisfying `Kind`: its columns, `plan` (read the rows against what is stored, validate each with the
aggregates' own rules, and queue the writes as steps) and `export` (the stored objects as rows in the
same columns). `kinds.py` lists them; nothing else changes to add one.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any, Protocol
from uuid import UUID

from booking.domain.imports.csv_text import FIELD, Column, Row
from booking.domain.imports.ports import ImportsUnitOfWork
from booking.domain.lending import scope
from booking.domain.people.roles import Actor, Role
from booking.domain.shared.audit import AuditEntry
from booking.domain.shared.errors import FieldProblem, Forbidden, ValidationError


class Action(StrEnum):
    CREATE = "create"
    CHANGE = "change"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class RowProblem:
    """A bad row: its line in the file, the column at fault (None: the row as a whole), and why."""

    line: int
    column: str | None
    message: str
    code: str = "invalid"


@dataclass(frozen=True)
class PlannedRow:
    line: int
    action: Action
    entity: str  # area, site, space, association
    name: str
    changes: tuple[str, ...] = ()  # the columns that change


Step = Callable[[], None]


@dataclass
class Plan:
    """Built inside the unit of work that will carry it out: the steps write into that transaction."""

    kind: str
    rows: list[PlannedRow] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    steps: list[tuple[int, Step]] = field(default_factory=list)  # each with the line of the file it carries out

    def count(self, action: Action) -> int:
        return sum(1 for r in self.rows if r.action is action)

    def create(self, line: int, entity: str, name: str, step: Step) -> None:
        self.rows.append(PlannedRow(line, Action.CREATE, entity, name))
        self.steps.append((line, step))

    def change(self, line: int, entity: str, name: str, columns: Sequence[str], step: Step | None) -> None:
        """A change when `columns` differ (the step carries it out), else unchanged."""
        if not columns or step is None:
            self.rows.append(PlannedRow(line, Action.UNCHANGED, entity, name))
            return
        self.rows.append(PlannedRow(line, Action.CHANGE, entity, name, tuple(columns)))
        self.steps.append((line, step))

    def reject(self, line: int, error: ValidationError, columns: Mapping[str, str]) -> None:
        """The row is bad: each problem of the error, its field named as the file's column."""
        for p in error.problems:
            self.problems.append(RowProblem(line, columns.get(p.field, p.field) or None, p.message, p.code))

    def refusal(self) -> ValidationError:
        """The bad rows as one error naming `csv`, each problem with its line and column."""
        return ValidationError.many([
            FieldProblem(FIELD, f"Line {p.line}" + (f", column {p.column}" if p.column else "") + f": {p.message}",
                         p.code, line=p.line, column=p.column)
            for p in self.problems
        ])


Progress = Callable[[str, int, int], Awaitable[None]]  # (stage "check" | "write", rows done, rows in all)
CHECK, WRITE = "check", "write"
EVERY = 50  # rows between two progress reports (and the first and the last row)


async def no_progress(stage: str, done: int, total: int) -> None:
    """Nobody is listening."""


@dataclass(frozen=True)
class Run:
    """One run of an import: when it happens (`at`, and `today` in the deployment's zone, as at the desk:
    birth years and a borrower's age count from it) and whom to tell how far it has come (`progress`)."""

    at: datetime | None = None
    today: date | None = None
    progress: Progress = no_progress

    def now(self) -> tuple[datetime, date]:
        if self.at is None or self.today is None:
            raise ValueError("This kind of import needs the time of the run")
        return self.at, self.today

    async def checking(self, rows: Sequence[Row]) -> AsyncIterator[Row]:
        """The rows one by one, reporting the check of each EVERY-th and of the last (stage "check")."""
        for done, row in enumerate(rows, 1):
            if done == len(rows) or done % EVERY == 0:
                await self.progress(CHECK, done, len(rows))
            yield row


def admins_only(actor: Actor) -> None:
    if not actor.is_admin:
        raise Forbidden("Only administrators import and export this.")


def lending_staff_everywhere(actor: Actor, what: str) -> None:
    """Lending staff of the whole municipality and administrators (403 for others)."""
    if not actor.has(Role.LENDING_STAFF):
        raise Forbidden("Only lending staff and administrators import and export this.")
    scope.require_everywhere(actor, what)


class Kind(Protocol):
    """One kind of import and export (see the module's docstring)."""

    @property
    def name(self) -> str: ...

    @property
    def columns(self) -> tuple[Column, ...]: ...

    def allow(self, actor: Actor) -> None:
        """Refuse (Forbidden) a caller who may not import or export this kind."""
        ...

    @property
    def export_audit(self) -> str | None:
        """The audit action an export of this kind leaves (personal data), or None."""
        ...

    async def plan(self, rows: Sequence[Row], uow: ImportsUnitOfWork, actor: Actor, run: Run) -> Plan: ...

    async def export(self, uow: ImportsUnitOfWork, actor: Actor) -> list[list[str]]: ...


def audit(uow: ImportsUnitOfWork, actor: Actor, action: str, entity: str, ident: UUID, kind: str,
          **details: Any) -> None:
    uow.audit(AuditEntry(actor.municipality_id, actor.account_id, action, entity, ident,
                         {"import": kind, **details}))


def check_no_extra(row: Row) -> None:
    if row.has(""):
        raise ValidationError("", f"A cell beyond the named columns holds {row.get('')!r}.", "extra-cell")


def parse_int(row: Row, column: str, required: bool = False) -> int | None:
    """A whole number in the cell (spaces as thousands separators allowed); None when empty."""
    text = row.get(column).replace(" ", "").replace("\u00a0", "")
    if not text:
        if required:
            raise ValidationError(column, "Must not be empty.", "required")
        return None
    if not text.isascii() or not text.lstrip("-").isdigit():
        raise ValidationError(column, f"{row.get(column)!r} is not a whole number.", "not-a-number")
    return int(text)


_YES = {"ja", "j", "yes", "y", "true", "1", "x"}
_NO = {"nej", "n", "no", "false", "0", ""}


def parse_bool(row: Row, column: str) -> bool:
    text = row.get(column).casefold()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise ValidationError(column, f"{row.get(column)!r}: write ja or nej.", "not-a-boolean")


def yes_no(value: bool) -> str:
    return "ja" if value else "nej"


def parse_choice(row: Row, column: str, choices: Mapping[str, str], default: str | None = None) -> str:
    """One of `choices` (accepted text, casefolded -> value); empty is `default` when there is one."""
    text = row.get(column).casefold()
    if not text:
        if default is None:
            raise ValidationError(column, "Must not be empty.", "required")
        return default
    if text in choices:
        return choices[text]
    values = ", ".join(sorted(set(choices.values())))
    raise ValidationError(column, f"{row.get(column)!r} is not one of {values}.", "unknown")


def by_name(items: Sequence[Any], what: str, column: str) -> Callable[..., Any | None]:
    """Find one of `items` by name (any case); two of the same name cannot be told apart (an error
    naming `column`, or the column the caller names)."""
    index: dict[str, list[Any]] = {}
    for item in items:
        index.setdefault(item.name.casefold(), []).append(item)

    def find(name: str, at: str = column) -> Any | None:
        found = index.get(name.casefold(), [])
        if len(found) > 1:
            raise ValidationError(at, f"{len(found)} {what} are named {name}; rename one first.", "ambiguous")
        return found[0] if found else None

    return find
