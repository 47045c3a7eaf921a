"""Domain errors. The API maps each kind to one HTTP status in one place."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypeVar


class DomainError(Exception):
    """Base of every error the domain raises on purpose."""

    code: str = "domain-error"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


@dataclass(frozen=True, slots=True)
class FieldProblem:
    field: str
    message: str
    code: str = "invalid"
    line: int | None = None  # a problem in a file (a CSV import): its line
    column: str | None = None  # ... and the column at fault there


class ValidationError(DomainError):
    """Input that breaks a rule; names the field(s) at fault."""

    code = "validation"

    def __init__(self, field: str, message: str, code: str = "invalid") -> None:
        super().__init__(message)
        self.problems: list[FieldProblem] = [FieldProblem(field, message, code)]

    @classmethod
    def many(cls, problems: list[FieldProblem]) -> ValidationError:
        first = problems[0]
        error = cls(first.field, first.message, first.code)
        error.problems = list(problems)
        error.detail = "; ".join(f"{p.field}: {p.message}" for p in problems)
        return error


class NotFound(DomainError):
    code = "not-found"

    def __init__(self, what: str, ident: object) -> None:
        super().__init__(f"{what} {ident} was not found.")
        self.what = what
        self.ident = ident


class Forbidden(DomainError):
    code = "forbidden"


class Unauthenticated(DomainError):
    code = "unauthenticated"


@dataclass
class ConflictDetail:
    """One conflicting thing, as much as the caller may see of it."""

    data: dict[str, Any] = field(default_factory=dict)


class Conflict(DomainError):
    """The request clashes with the current state (a booking, a loan, a name)."""

    code = "conflict"

    def __init__(self, detail: str, conflicts: list[dict[str, Any]] | None = None, retry_after: int | None = None):
        super().__init__(detail)
        self.conflicts = conflicts or []
        self.retry_after = retry_after


class RateLimited(DomainError):
    code = "rate-limited"

    def __init__(self, detail: str, retry_after: int) -> None:
        super().__init__(detail)
        self.retry_after = retry_after


T = TypeVar("T")


class BrokenInvariant(RuntimeError):
    """Stored data contradicts a rule the system keeps (a bug, never the caller's fault): a 500."""


def expect(value: T | None, what: str) -> T:
    """`value`, which the data's own rules say exists (a loan's item, a booking's municipality).

    Use instead of `assert`, which `python -O` removes: a broken invariant must stop the request."""
    if value is None:
        raise BrokenInvariant(f"{what} is missing")
    return value
