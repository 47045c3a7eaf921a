"""The municipality's circulation rules: how many loans, renewals and holds, and when reminders go out."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Policy:
    """The municipality's circulation rules."""

    max_loans: int = 5
    max_renewals: int = 2
    max_holds: int = 5
    hold_shelf_days: int = 7
    due_soon_days: int = 2
    overdue_repeat_days: int = 7


DEFAULT_POLICY = Policy()
