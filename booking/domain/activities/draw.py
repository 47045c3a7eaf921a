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

from booking.domain.activities.draw_matching import Proposer, Slot, match
from booking.domain.activities.draw_scoring import eligible, group_wishes, lottery, overlaps, wish_score


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
    sessions = {s.id: s for s in inp.sessions}
    ordered = sorted(sessions.values(), key=lambda s: s.id)
    index = {s.id: k for k, s in enumerate(ordered)}
    slots = [Slot(max(0, s.places), s.starts_at.timestamp(), s.ends_at.timestamp(), s.place) for s in ordered]
    shared = group_wishes(inp.children)
    codes = {code: k for k, code in enumerate(sorted({c.group for c in inp.children if c.group}))}
    scores = _scores(inp, shared)
    proposers: list[Proposer] = []
    for child in inp.children:
        wishes: list[tuple[int, float, float]] = []
        for wish in _ranked(child) if child.max_activities > 0 else ():
            session = sessions.get(wish.session_id)
            if session is None or session.places <= 0 or not eligible(child, session):
                continue
            score = scores[(child.id, wish.session_id)]
            alone = (wish_score(inp.weights, child, wish, inp.priority_areas, False)
                     if (child.id, wish.session_id) in shared else score)  # not score - group: rounding
            wishes.append((index[session.id], score, alone))
        tie = (lottery(inp.seed, child.id) << 128) | child.id.int
        proposers.append(Proposer(tuple(wishes), child.max_activities, codes.get(child.group or "", -1), tie))
    order = sorted(range(len(proposers)), key=lambda i: proposers[i].tie, reverse=True)
    held, _ = match(slots, proposers, inp.travel.total_seconds(), order)
    grants = {child.id: tuple(ordered[s].id for s in held[i]) for i, child in enumerate(inp.children)}
    return _result(inp, grants, scores)


def first_come(inp: DrawInput, order: Sequence[UUID]) -> DrawResult:
    """What first come, first served would give if the children arrived in `order` (for comparison)."""
    sessions = {s.id: s for s in inp.sessions}
    left = {s.id: s.places for s in inp.sessions}
    by_id = {c.id: c for c in inp.children}
    arrivals = list(dict.fromkeys(i for i in order if i in by_id))
    came = set(arrivals)
    arrivals += sorted((c.id for c in inp.children if c.id not in came),
                       key=lambda i: lottery(inp.seed, i), reverse=True)  # not in `order`: last, by lottery
    grants: dict[UUID, tuple[UUID, ...]] = {}
    for child_id in arrivals:
        child = by_id[child_id]
        got: list[DrawSession] = []
        for wish in _ranked(child):
            if len(got) >= child.max_activities:
                break
            session = sessions.get(wish.session_id)
            if (session is None or not eligible(child, session) or left[session.id] <= 0
                    or any(overlaps(session, g, inp.travel) for g in got)):
                continue
            got.append(session)
            left[session.id] -= 1
        grants[child_id] = tuple(s.id for s in got)
    return _result(inp, grants, _scores(inp, group_wishes(inp.children)))


def figures(children: Sequence[DrawChild], grants: Mapping[UUID, Sequence[UUID]]) -> Figures:
    """The score of a set of grants (for a preview adjusted by hand as well as a draw)."""
    areas: dict[UUID | None, list[DrawChild]] = {}
    for child in children:
        areas.setdefault(child.home_area_id, []).append(child)
    keys = sorted((a for a in areas if a is not None), key=str)
    per_area = tuple(_area_figures(a, areas[a], grants) for a in [*keys, *([None] if None in areas else [])])
    whole = _area_figures(None, children, grants)
    return Figures(whole.children, whole.with_place, whole.mean_rank_granted, per_area)


def check_grant(child: DrawChild, session: DrawSession, grants: Mapping[UUID, Sequence[UUID]],
                sessions: Mapping[UUID, DrawSession], travel: timedelta = timedelta(0)
                ) -> tuple[Clash, UUID | None] | None:
    """None when staff may grant `session` to `child` by hand on top of `grants`; else what is in the
    way (and the session in the way, for OVERLAP). Checked in this order: not wished, age, full
    (the session's places already granted), overlap (with a granted session of the child, travel
    included), max."""
    if all(w.session_id != session.id for w in child.wishes):
        return Clash.NOT_WISHED, None
    if not eligible(child, session):
        return Clash.AGE, None
    mine = tuple(grants.get(child.id, ()))
    if session.id in mine:
        return None
    if sum(1 for ids in grants.values() if session.id in ids) >= session.places:
        return Clash.FULL, None
    for other_id in mine:
        other = sessions.get(other_id)
        if other is not None and overlaps(session, other, travel):
            return Clash.OVERLAP, other_id
    if len(mine) >= child.max_activities:
        return Clash.MAX, None
    return None


def explain(inp: DrawInput, grants: Mapping[UUID, Sequence[UUID]]) -> DrawResult:
    """Every wish's outcome, reason and score, and the figures, for a given set of grants (a preview
    adjusted by hand): the reasons as `run_draw` gives them; marking hand-made changes BY_STAFF or
    REMOVED_BY_STAFF is the caller's (it knows which they are)."""
    normal = {child.id: tuple(grants.get(child.id, ())) for child in inp.children}
    return _result(inp, normal, _scores(inp, group_wishes(inp.children)))


def _ranked(child: DrawChild) -> list[Wish]:
    """The child's wishes by rank (a session wished twice counts once, at its best rank)."""
    seen: set[UUID] = set()
    ranked = []
    for wish in sorted(child.wishes, key=lambda w: (w.rank, w.session_id)):
        if wish.session_id not in seen:
            seen.add(wish.session_id)
            ranked.append(wish)
    return ranked


def _scores(inp: DrawInput, shared: set[tuple[UUID, UUID]]) -> dict[tuple[UUID, UUID], float]:
    return {(c.id, w.session_id): wish_score(inp.weights, c, w, inp.priority_areas, (c.id, w.session_id) in shared)
            for c in inp.children for w in c.wishes}


def _result(inp: DrawInput, grants: dict[UUID, tuple[UUID, ...]], scores: Mapping[tuple[UUID, UUID], float]
            ) -> DrawResult:
    """Every wish's outcome and why: a wish not granted is explained by the granted wishes ranked
    above it (max reached, or a clash) and else by the session being full."""
    sessions = {s.id: s for s in inp.sessions}
    outcomes: list[WishOutcome] = []
    for child in inp.children:
        granted = set(grants.get(child.id, ()))
        above: list[DrawSession] = []
        for wish in _ranked(child):
            session = sessions.get(wish.session_id)
            blocking: UUID | None = None
            if session is None:
                reason = Reason.GONE
            elif not eligible(child, session):
                reason = Reason.AGE
            elif session.id in granted:
                reason = Reason.GRANTED
                above.append(session)
            elif len(above) >= child.max_activities:
                reason = Reason.MAX
            elif (clash := next((a for a in above if overlaps(session, a, inp.travel)), None)) is not None:
                reason, blocking = Reason.OVERLAP, clash.id
            else:
                reason = Reason.FULL
            outcomes.append(WishOutcome(child.id, wish.session_id, wish.rank, reason is Reason.GRANTED, reason,
                                        scores[(child.id, wish.session_id)], blocking))
    return DrawResult(inp.seed, tuple(outcomes), figures(inp.children, grants), grants)


def _area_figures(area_id: UUID | None, children: Sequence[DrawChild], grants: Mapping[UUID, Sequence[UUID]]
                  ) -> AreaFigures:
    with_place = 0
    ranks: list[int] = []
    for child in children:
        got = set(grants.get(child.id, ()))
        if got:
            with_place += 1
            ranks += [w.rank for w in _ranked(child) if w.session_id in got]
    return AreaFigures(area_id, len(children), with_place, sum(ranks) / len(ranks) if ranks else None)
