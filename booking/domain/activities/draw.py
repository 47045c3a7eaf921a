"""The draw (lottning) of a holiday period: children matched to sessions from their ranked wishes.

Pure: no I/O, no clock. The services load the inputs, call `run_draw`, keep the result, and turn it
into registrations when staff publish it. See docs/draw.md for the rules and the scoring.

INTERFACE FIXED FOR THE HELPERS; the bodies are written by the draw-algo work."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from uuid import UUID


@dataclass(frozen=True)
class Weights:
    """How much each rule adds to a wish's score; staff set them per period (each 0-100)."""
    rank: float = 10.0  # wish 1 gets all of it, wish n rank/n
    favourite: float = 5.0
    priority_area: float = 8.0  # the child's home area is one of the period's priority areas
    nothing_last_time: float = 6.0  # the child wished in the previous draw and got nothing
    first_time: float = 3.0  # the child has never had a place on a holiday activity
    group: float = 2.0  # the wish is shared by a group (siblings, friends) who want to go together

    FIELDS = ("rank", "favourite", "priority_area", "nothing_last_time", "first_time", "group")


@dataclass(frozen=True)
class DrawSession:
    id: UUID
    places: int  # the places the draw may give (capacity less confirmed registrations)
    starts_at: datetime
    ends_at: datetime
    age_min: int
    age_max: int
    place: str | None = None  # where it is (a space id or the free-text place); travel time applies between places


@dataclass(frozen=True)
class Wish:
    session_id: UUID
    rank: int  # 1 is the first wish
    favourite: bool = False


@dataclass(frozen=True)
class DrawChild:
    id: UUID
    age: int  # the age the child turns in the period's year
    wishes: tuple[Wish, ...]
    max_activities: int
    home_area_id: UUID | None = None
    group: str | None = None  # children with the same code want to go together
    nothing_last_time: bool = False
    first_time: bool = False


@dataclass(frozen=True)
class DrawInput:
    children: Sequence[DrawChild]
    sessions: Sequence[DrawSession]
    weights: Weights
    seed: str
    priority_areas: frozenset[UUID] = frozenset()
    travel: timedelta = timedelta(0)


class Reason(StrEnum):
    GRANTED = "granted"  # granted as wish n
    FULL = "full"  # the session was full with children of a higher score
    AGE = "age"  # not eligible: outside the activity's ages
    OVERLAP = "overlap"  # a better-ranked granted wish is at the same time (or too close, with travel)
    MAX = "max"  # the child already got its maximum number of activities from better-ranked wishes
    GONE = "gone"  # the session is cancelled or no longer in the draw
    BY_STAFF = "by_staff"  # granted by hand by staff
    REMOVED_BY_STAFF = "removed_by_staff"  # taken away by hand by staff


@dataclass(frozen=True)
class WishOutcome:
    child_id: UUID
    session_id: UUID
    rank: int
    granted: bool
    reason: Reason
    score: float
    blocking_session_id: UUID | None = None  # OVERLAP: the granted session in the way


@dataclass(frozen=True)
class AreaFigures:
    area_id: UUID | None
    children: int
    with_place: int
    mean_rank_granted: float | None

    @property
    def share_with_place(self) -> float:
        return self.with_place / self.children if self.children else 0.0


@dataclass(frozen=True)
class Figures:
    """The score of a whole draw: how many children got at least one wish, the mean rank granted."""
    children: int
    with_place: int
    mean_rank_granted: float | None
    per_area: tuple[AreaFigures, ...]

    @property
    def share_with_place(self) -> float:
        return self.with_place / self.children if self.children else 0.0


@dataclass(frozen=True)
class DrawResult:
    seed: str
    outcomes: tuple[WishOutcome, ...]  # one per wish of every child, in child then rank order
    figures: Figures
    grants: Mapping[UUID, tuple[UUID, ...]] = field(default_factory=dict)  # child id -> granted session ids


class Clash(StrEnum):
    """Why a hand-made grant cannot be made (the API answers 409 naming it)."""
    FULL = "full"
    OVERLAP = "overlap"
    MAX = "max"
    AGE = "age"
    NOT_WISHED = "not_wished"


def run_draw(inp: DrawInput) -> DrawResult:
    """Deferred acceptance (children propose in wish order, sessions keep the highest scores), ties
    broken by a lottery seeded with `inp.seed`: the same input and seed give the same result."""
    raise NotImplementedError


def first_come(inp: DrawInput, order: Sequence[UUID]) -> DrawResult:
    """What first come, first served would give if the children arrived in `order` (for comparison)."""
    raise NotImplementedError


def figures(children: Sequence[DrawChild], grants: Mapping[UUID, Sequence[UUID]]) -> Figures:
    """The score of a set of grants (for a preview adjusted by hand as well as a draw)."""
    raise NotImplementedError


def check_grant(child: DrawChild, session: DrawSession, grants: Mapping[UUID, Sequence[UUID]],
                sessions: Mapping[UUID, DrawSession], travel: timedelta = timedelta(0)
                ) -> tuple[Clash, UUID | None] | None:
    """None when staff may grant `session` to `child` by hand on top of `grants`; else what is in the
    way (and the session in the way, for OVERLAP)."""
    raise NotImplementedError
