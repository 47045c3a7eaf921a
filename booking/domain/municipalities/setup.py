"""The set-up checklist: what a municipality sets up before its first booking, and when each step is done.

The read model counts (`Tally` per `Step`); the rule of what counts as done is here: a step is done when
there is at least one of its things and none of them lacks what the step asks (an area without its
population 0-17, a space without opening hours, a lending site with items but no opening days)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum


class Step(StrEnum):
    AREAS = "areas"  # områden, each with its population 0-17 (the follow-up's equity view needs it)
    SITES = "sites"
    SPACES = "spaces"
    OPENING_HOURS = "opening_hours"  # every space: without hours nothing can be booked
    BOOKING_RULES = "booking_rules"  # spaces whose rules were set (the defaults apply until then)
    PRICES = "prices"  # the price list
    STAFF = "staff"  # active accounts with a staff role
    LENDING_HOURS = "lending_hours"  # lending sites' opening days
    HOLIDAY_PERIODS = "holiday_periods"  # lov, for holiday activities


# The page that sets each step; None where no page does yet (the API does).
PAGES: dict[Step, str | None] = {
    Step.AREAS: "/areas.html",
    Step.SITES: "/premises-admin.html",
    Step.SPACES: "/premises-admin.html",
    Step.OPENING_HOURS: "/premises-admin.html",
    Step.BOOKING_RULES: "/premises-admin.html",
    Step.PRICES: "/fees.html",
    Step.STAFF: "/accounts.html",
    Step.LENDING_HOURS: "/lending-admin.html",
    Step.HOLIDAY_PERIODS: "/activity-admin.html",
}


@dataclass(frozen=True, slots=True)
class Tally:
    """How many things a step has (`count`), and how many things lack what it asks (`lacking`)."""

    count: int = 0
    lacking: int = 0


@dataclass(frozen=True, slots=True)
class SetupItem:
    step: Step
    done: bool
    count: int
    lacking: int
    page: str | None


def is_done(tally: Tally) -> bool:
    return tally.count > 0 and tally.lacking == 0


def checklist(tallies: Mapping[Step, Tally]) -> list[SetupItem]:
    """Every step in order, done or missing; a step the read model did not count is missing."""
    items = []
    for step in Step:
        tally = tallies.get(step, Tally())
        items.append(SetupItem(step, is_done(tally), tally.count, tally.lacking, PAGES[step]))
    return items


def complete(items: list[SetupItem]) -> bool:
    return all(item.done for item in items)
