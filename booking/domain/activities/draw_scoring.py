"""The draw's scores, lottery numbers and clash rule (pure; see docs/draw.md)."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Protocol
from uuid import UUID

# The shapes of draw.py's data classes this module reads (draw.py imports this module, not back).


class _Weights(Protocol):
    @property
    def rank(self) -> float: ...
    @property
    def favourite(self) -> float: ...
    @property
    def priority_area(self) -> float: ...
    @property
    def nothing_last_time(self) -> float: ...
    @property
    def first_time(self) -> float: ...
    @property
    def group(self) -> float: ...


class _Wish(Protocol):
    @property
    def session_id(self) -> UUID: ...
    @property
    def rank(self) -> int: ...
    @property
    def favourite(self) -> bool: ...


class _Child(Protocol):
    @property
    def id(self) -> UUID: ...
    @property
    def age(self) -> int: ...
    @property
    def wishes(self) -> Sequence[_Wish]: ...
    @property
    def home_area_id(self) -> UUID | None: ...
    @property
    def group(self) -> str | None: ...
    @property
    def nothing_last_time(self) -> bool: ...
    @property
    def first_time(self) -> bool: ...


class _Session(Protocol):
    @property
    def starts_at(self) -> datetime: ...
    @property
    def ends_at(self) -> datetime: ...
    @property
    def age_min(self) -> int: ...
    @property
    def age_max(self) -> int: ...
    @property
    def place(self) -> str | None: ...


def lottery(seed: str, child_id: UUID) -> int:
    """The child's lottery number: the first 8 bytes of sha256("<seed>:<child id>"), big-endian.
    It depends on nothing but the seed and the child, so the order of the input lists does not
    matter; a higher number wins a tie."""
    return int.from_bytes(hashlib.sha256(f"{seed}:{child_id}".encode()).digest()[:8], "big")


def wish_score(weights: _Weights, child: _Child, wish: _Wish, priority_areas: frozenset[UUID],
               group_wish: bool) -> float:
    """rank/n + favourite + priority area + nothing last time + first time (+ group)."""
    score = weights.rank / max(1, wish.rank)
    if wish.favourite:
        score += weights.favourite
    if child.home_area_id is not None and child.home_area_id in priority_areas:
        score += weights.priority_area
    if child.nothing_last_time:
        score += weights.nothing_last_time
    if child.first_time:
        score += weights.first_time
    if group_wish:
        score += weights.group
    return score


def group_wishes(children: Sequence[_Child]) -> set[tuple[UUID, UUID]]:
    """The (child, session) wishes shared by at least two children with the same group code."""
    wishers: dict[tuple[str, UUID], list[UUID]] = defaultdict(list)
    for child in children:
        if child.group:
            for session_id in {w.session_id for w in child.wishes}:
                wishers[(child.group, session_id)].append(child.id)
    return {(child_id, session_id) for (_, session_id), ids in wishers.items() if len(ids) >= 2
            for child_id in ids}


def overlaps(a: _Session, b: _Session, travel: timedelta = timedelta(0)) -> bool:
    """Two sessions clash when their times intersect, or, at two different known places, when
    they are closer than the travel time. Back to back at the same place is fine."""
    if a.place is not None and b.place is not None and a.place != b.place and travel > timedelta(0):
        return a.starts_at < b.ends_at + travel and b.starts_at < a.ends_at + travel
    return a.starts_at < b.ends_at and b.starts_at < a.ends_at


def eligible(child: _Child, session: _Session) -> bool:
    return session.age_min <= child.age <= session.age_max
