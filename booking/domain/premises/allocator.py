"""The allocator of a season round: a pure, deterministic function from applications, spaces,
priority rules and the times already taken to a proposal with reasons and a score.

Applications are taken in priority order (the weights of the municipality's rules that match,
ties by application time, then id), and each gets the first preference that is free (optionally
shifted within the application's flexibility), or is denied. Two weekly slots collide when they
fall on the same weekday, their spaces share a leaf unit and [start, end + changeover buffer)
overlap, the same rule the occupancy rows of approved bookings follow.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from uuid import UUID

from booking.domain.premises.allocation import (
    SHIFT_STEP,
    TOLERATED_TAKEN_DATES,
    WEEKDAYS_EN,
    Outcome,
    Preference,
    PriorityRule,
    RuleKey,
    wall,
)


@dataclass(frozen=True)
class SpaceFacts:
    """What the allocator needs of a space: its leaf units, rules and weekly opening windows."""

    id: UUID
    name: str
    units: frozenset[UUID]
    capacity: int
    buffer: int  # minutes of changeover after each booking
    min_duration: int
    max_duration: int
    windows: Mapping[int, Sequence[tuple[int, int]]]  # weekday -> [(opens, closes)] in local minutes


@dataclass(frozen=True)
class Taken:
    """Existing approved bookings on a weekday of the season: units, local minutes (buffer
    included) and on how many dates."""

    booking_id: UUID
    units: frozenset[UUID]
    weekday: int
    start: int
    end: int  # changeover buffer included
    dates: int = 1
    first_date: date | None = None


@dataclass(frozen=True)
class Holding:
    """A weekly time an association held last season."""

    association_id: UUID
    space_id: UUID
    weekday: int
    start: int
    end: int


@dataclass(frozen=True)
class Applicant:
    """An application with the facts the rules look at."""

    id: UUID
    association_id: UUID
    title: str
    youth: bool  # a youth association or a group under 20
    local: bool
    participants: int
    duration: int
    wishes: tuple[Preference, ...]
    submitted_at: datetime
    flex: int = 0


@dataclass(frozen=True)
class Slot:
    space_id: UUID
    weekday: int
    start: int
    end: int

    def as_json(self) -> dict[str, Any]:
        return {"space_id": str(self.space_id), "weekday": self.weekday, "start": wall(self.start),
                "end": wall(self.end)}

    @staticmethod
    def from_json(item: Mapping[str, Any]) -> Slot:
        def m(text: str) -> int:
            hh, mm = text.split(":")
            return int(hh) * 60 + int(mm)
        return Slot(UUID(str(item["space_id"])), int(item["weekday"]), m(item["start"]), m(item["end"]))


@dataclass
class Decision:
    application_id: UUID
    outcome: Outcome
    slot: Slot | None
    priority: float
    matched: list[str]
    preference: int | None = None  # the index of the preference granted
    shift: int = 0  # minutes the start moved from that preference
    reasons: list[dict[str, Any]] = field(default_factory=list)
    rank: int = 0

    def as_json(self) -> dict[str, Any]:
        return {"application_id": str(self.application_id), "outcome": str(self.outcome),
                "slot": self.slot.as_json() if self.slot else None, "priority": self.priority,
                "matched_rules": list(self.matched), "preference": self.preference, "shift_minutes": self.shift,
                "reasons": self.reasons, "rank": self.rank}

    def deny_by_staff(self) -> None:
        """Staff deny the application: no slot, and the reason says who decided."""
        self.outcome, self.slot, self.preference, self.shift = Outcome.DENIED, None, None, 0
        self.reasons = [r for r in self.reasons if r["code"] not in ("granted_wish", "moved", "adjusted")]
        self.reasons.append({"code": "denied_by_staff", "preference": None, "params": {}})

    def place_by_staff(self, slot: Slot, wishes: Sequence[Preference]) -> None:
        """Staff put the application on a slot: granted when it is the first wish, else moved."""
        placed = [i for i, w in enumerate(wishes) if (w.space_id, w.weekday, w.start) == (slot.space_id, slot.weekday,
                                                                                          slot.start)]
        self.outcome = Outcome.GRANTED if placed[:1] == [0] else Outcome.MOVED
        self.slot, self.shift, self.preference = slot, 0, placed[0] if placed else None
        self.reasons = [r for r in self.reasons
                        if r["code"] not in ("granted_wish", "moved", "denied", "denied_by_staff", "adjusted")]
        self.reasons.append({"code": "adjusted", "preference": self.preference, "params": {"slot": slot.as_json()}})


@dataclass(frozen=True)
class Proposal:
    decisions: list[Decision]
    score: float  # 0..1


# --- the rules -----------------------------------------------------------------------------------


def _overlaps_holding(app: Applicant, holdings: Sequence[Holding]) -> bool:
    for h in holdings:
        if h.association_id != app.association_id:
            continue
        for w in app.wishes:
            same_place = w.space_id == h.space_id and w.weekday == h.weekday
            if same_place and w.start < h.end and h.start < w.start + app.duration:
                return True
    return False


def priorities(apps: Sequence[Applicant], rules: Sequence[PriorityRule],
               holdings: Sequence[Holding]) -> dict[UUID, tuple[float, list[str]]]:
    """Each application's priority (the sum of the weights of the rules it matches; the
    participants rule gives its weight times the share of the round's largest group) and the
    rule keys that matched."""
    largest = max((a.participants for a in apps), default=1)
    out: dict[UUID, tuple[float, list[str]]] = {}
    for app in apps:
        total, matched = 0.0, []
        for rule in rules:
            if rule.weight == 0:
                continue
            if rule.key is RuleKey.PARTICIPANTS:
                total += rule.weight * app.participants / largest
                matched.append(str(rule.key))
                continue
            holds = {RuleKey.YOUTH: app.youth, RuleKey.LOCAL: app.local,
                     RuleKey.PREVIOUS_HOLDER: rule.key is RuleKey.PREVIOUS_HOLDER and _overlaps_holding(app, holdings)}
            if holds[rule.key]:
                total += rule.weight
                matched.append(str(rule.key))
        out[app.id] = (round(total, 3), matched)
    return out


def weight_of(priority: float) -> float:
    """The score's weight of an application: its priority plus one, so one that matches no rule still counts."""
    return priority + 1.0


def score(decisions: Sequence[Decision], durations: Mapping[UUID, int]) -> float:
    """Σ weight × granted hours / Σ weight × requested hours (1.0 when nothing was asked)."""
    asked = sum(weight_of(d.priority) * durations[d.application_id] for d in decisions)
    got = sum(weight_of(d.priority) * durations[d.application_id] for d in decisions
              if d.outcome is not Outcome.DENIED)
    return round(got / asked, 4) if asked else 1.0


# --- checking one slot ---------------------------------------------------------------------------


def collides(a: Slot, a_space: SpaceFacts, b: Slot, b_space: SpaceFacts) -> bool:
    """Same weekday, a shared leaf unit, and the times (each with its space's buffer) overlap."""
    if a.weekday != b.weekday or not a_space.units & b_space.units:
        return False
    return a.start < b.end + b_space.buffer and b.start < a.end + a_space.buffer


def slot_problems(slot: Slot, participants: int, space: SpaceFacts | None) -> list[dict[str, Any]]:
    """What makes a slot impossible whatever else is granted: unknown space, capacity, duration, hours."""
    if space is None:
        return [{"code": "unknown_space", "params": {"space_id": str(slot.space_id)}}]
    out: list[dict[str, Any]] = []
    if participants > space.capacity:
        out.append({"code": "capacity", "params": {"capacity": space.capacity, "participants": participants}})
    length = slot.end - slot.start
    if not space.min_duration <= length <= space.max_duration:
        out.append({"code": "duration", "params": {"min": space.min_duration, "max": space.max_duration}})
    windows = space.windows.get(slot.weekday, ())
    if not any(o <= slot.start and slot.end <= c for o, c in windows):
        out.append({"code": "closed", "params": {
            "weekday": slot.weekday, "windows": [f"{wall(o)}-{wall(c)}" for o, c in windows]}})
    return out


@dataclass
class _Board:
    """The granted slots so far, per weekday, with who holds them."""

    spaces: Mapping[UUID, SpaceFacts]
    taken: Sequence[Taken]
    granted: dict[int, list[tuple[Slot, UUID, str]]] = field(default_factory=dict)
    _taken_at: dict[tuple[int, UUID], list[Taken]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for t in self.taken:  # indexed by weekday and unit: a round meets thousands of weekly bookings
            for unit in t.units:
                self._taken_at.setdefault((t.weekday, unit), []).append(t)

    def blockers(self, slot: Slot, exclude: UUID | None = None) -> list[dict[str, Any]]:
        space = self.spaces[slot.space_id]
        out: list[dict[str, Any]] = []
        for other, app_id, title in self.granted.get(slot.weekday, ()):
            if app_id != exclude and collides(slot, space, other, self.spaces[other.space_id]):
                out.append({"code": "taken_by_application", "params": {
                    "application_id": str(app_id), "title": title, "slot": other.as_json()}})
        seen: dict[int, Taken] = {}
        for unit in space.units:
            for t in self._taken_at.get((slot.weekday, unit), ()):
                if slot.start < t.end and t.start < slot.end + space.buffer:
                    seen[id(t)] = t
        hits = list(seen.values())
        if sum(t.dates for t in hits) > TOLERATED_TAKEN_DATES:
            first = min(hits, key=lambda t: (t.first_date or date.max, str(t.booking_id)))
            out.append({"code": "taken_by_booking", "params": {
                "booking_id": str(first.booking_id), "dates": sum(t.dates for t in hits),
                "first_date": first.first_date.isoformat() if first.first_date else None}})
        return out

    def grant(self, slot: Slot, app_id: UUID, title: str) -> None:
        self.granted.setdefault(slot.weekday, []).append((slot, app_id, title))


def _shifts(flex: int) -> list[int]:
    out = [0]
    for step in range(SHIFT_STEP, flex + 1, SHIFT_STEP):
        out += [-step, step]
    return out


def allocate(apps: Sequence[Applicant], spaces: Mapping[UUID, SpaceFacts], rules: Sequence[PriorityRule],
             taken: Sequence[Taken] = (), holdings: Sequence[Holding] = ()) -> Proposal:
    """The greedy allocator: deterministic, never two granted slots on a shared unit at once,
    an explanation for every application."""
    prio = priorities(apps, rules, holdings)
    order = sorted(apps, key=lambda a: (-prio[a.id][0], a.submitted_at, str(a.id)))
    board = _Board(spaces, taken)
    decisions: list[Decision] = []
    for rank, app in enumerate(order, start=1):
        priority, matched = prio[app.id]
        decision = Decision(app.id, Outcome.DENIED, None, priority, matched, rank=rank)
        for index, wish in enumerate(app.wishes):
            wished = Slot(wish.space_id, wish.weekday, wish.start, wish.start + app.duration)
            problems = slot_problems(wished, app.participants, spaces.get(wish.space_id))
            if problems and any(p["code"] in ("unknown_space", "capacity", "duration") for p in problems):
                decision.reasons.append({"code": "preference_impossible", "preference": index, "params": {},
                                         "causes": problems})
                continue
            blockers = [] if problems else board.blockers(wished)
            if not problems and not blockers:
                _take(decision, board, app, wished, index, 0)
                break
            shifted = None
            for shift in _shifts(app.flex)[1:]:
                if wished.start + shift < 0 or wished.end + shift > 24 * 60:
                    continue
                candidate = Slot(wished.space_id, wished.weekday, wished.start + shift, wished.end + shift)
                if not slot_problems(candidate, app.participants, spaces[wish.space_id]) \
                        and not board.blockers(candidate):
                    shifted = (candidate, shift)
                    break
            decision.reasons.append({"code": "preference_unavailable", "preference": index, "params": {},
                                     "causes": problems + blockers})
            if shifted is not None:
                _take(decision, board, app, shifted[0], index, shifted[1])
                break
        if decision.outcome is Outcome.DENIED:
            decision.reasons.append({"code": "denied", "preference": None, "params": {"tried": len(app.wishes)}})
        decisions.append(decision)
    return Proposal(decisions, score(decisions, {a.id: a.duration for a in apps}))


def _take(decision: Decision, board: _Board, app: Applicant, slot: Slot, index: int, shift: int) -> None:
    board.grant(slot, app.id, app.title)
    decision.slot, decision.preference, decision.shift = slot, index, shift
    if index == 0 and shift == 0:
        decision.outcome = Outcome.GRANTED
        decision.reasons.append({"code": "granted_wish", "preference": 0, "params": {}})
    else:
        decision.outcome = Outcome.MOVED
        decision.reasons.append({"code": "moved", "preference": index, "params": {"shift_minutes": shift}})


def check_adjustment(decisions: Sequence[Decision], app_id: UUID, slot: Slot, participants: int,
                     spaces: Mapping[UUID, SpaceFacts], taken: Sequence[Taken]) -> tuple[list[dict[str, Any]],
                                                                                        list[dict[str, Any]]]:
    """Staff put an application on `slot`: (what the slot breaks, what it collides with) against
    the rest of the proposal and existing bookings."""
    problems = slot_problems(slot, participants, spaces.get(slot.space_id))
    if problems:
        return problems, []
    board = _Board(spaces, taken)
    for d in decisions:
        if d.slot is not None and d.application_id != app_id and d.outcome is not Outcome.DENIED:
            board.grant(d.slot, d.application_id, "")
    return [], board.blockers(slot, exclude=app_id)


def decision_from_json(item: Mapping[str, Any]) -> Decision:
    return Decision(UUID(item["application_id"]), Outcome(item["outcome"]),
                    Slot.from_json(item["slot"]) if item.get("slot") else None, float(item["priority"]),
                    list(item.get("matched_rules", [])), item.get("preference"), int(item.get("shift_minutes", 0)),
                    list(item.get("reasons", [])), int(item.get("rank", 0)))


# --- explanations in English (the frontend renders the codes itself, in Swedish or English) ------


def explain(reason: Mapping[str, Any], space_names: Mapping[str, str]) -> str:
    code, params = reason["code"], reason.get("params", {})
    pref = reason.get("preference")
    label = "the wish" if pref == 0 else f"alternative {pref}" if pref is not None else ""
    if code == "granted_wish":
        return "Granted as wished."
    if code == "moved":
        shift = params.get("shift_minutes", 0)
        moved = f" shifted {abs(shift)} minutes {'later' if shift > 0 else 'earlier'}" if shift else ""
        return f"Granted {label}{moved}." if pref else f"Granted the wish{moved}."
    if code == "denied":
        return f"Denied: none of the {params.get('tried', 0)} preferences could be granted."
    if code == "adjusted":
        return "Set by staff."
    if code == "denied_by_staff":
        return "Denied by staff."
    causes = "; ".join(_cause(c, space_names) for c in reason.get("causes", []))
    return f"{label[:1].upper()}{label[1:]} was not possible: {causes}."


def _cause(cause: Mapping[str, Any], space_names: Mapping[str, str]) -> str:
    code, p = cause["code"], cause.get("params", {})
    if code == "unknown_space":
        return "the space is not bookable in this municipality"
    if code == "capacity":
        return f"the space takes {p['capacity']} people, the group is {p['participants']}"
    if code == "duration":
        return f"the space is booked for {p['min']} to {p['max']} minutes at a time"
    if code == "closed":
        shown = ", ".join(p.get("windows", [])) or "closed all day"
        return f"outside the opening hours on {WEEKDAYS_EN[p['weekday']]} ({shown})"
    if code == "taken_by_application":
        s = p["slot"]
        return (f"granted to \"{p['title']}\" ({space_names.get(s['space_id'], 'space')} "
                f"{WEEKDAYS_EN[s['weekday']]} {s['start']}-{s['end']}), which has higher priority")
    if code == "taken_by_booking":
        return f"already booked on {p['dates']} dates of the season (from {p.get('first_date')})"
    return code
