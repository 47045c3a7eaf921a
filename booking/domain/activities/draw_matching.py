"""Child-proposing deferred acceptance with many places per child, on plain indices (pure).

The draw (draw.py) turns children and sessions into numbers and calls `match`; the rules are in
docs/draw.md. In short: each child proposes to the greedy choice over its wishes not (yet)
rejected, in rank order, skipping clashes, up to its maximum; each session keeps the highest keys
up to its places and rejects the rest. A group's members who propose to the same session form a
block that a session takes whole or not at all; a block that does not fit is split for good at that
session, and its members compete alone (without the group weight). When a child withdraws from a
session it held (a better wish came free), the children that session rejected may propose again,
at most REOPENS times per child and session, which bounds the work."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

REOPENS = 3  # how often one rejection may be lifted because a place came free


@dataclass(frozen=True)
class Slot:
    """A session as the matching sees it."""
    places: int
    start: float  # POSIX seconds
    end: float
    place: str | None


@dataclass(frozen=True)
class Proposer:
    """A child as the matching sees it: its available wishes in rank order as (slot, score in a
    block, score alone), its maximum, its group (-1: none) and its tie key (lottery, then id)."""
    wishes: Sequence[tuple[int, float, float]]
    max_activities: int
    group: int
    tie: int


def clash(a: Slot, b: Slot, travel: float) -> bool:
    if travel > 0 and a.place is not None and b.place is not None and a.place != b.place:
        return a.start < b.end + travel and b.start < a.end + travel
    return a.start < b.end and b.start < a.end


class _Match:
    def __init__(self, slots: Sequence[Slot], children: Sequence[Proposer], travel: float) -> None:
        self.slots = slots
        self.children = children
        self.travel = travel
        self.scores = [{s: (both, alone) for s, both, alone in c.wishes} for c in children]
        self.held: list[list[int]] = [[] for _ in children]  # tentative sets, rank order
        self.rejected: list[set[int]] = [set() for _ in children]
        self.holders: list[set[int]] = [set() for _ in slots]
        self.rejected_at: list[set[int]] = [set() for _ in slots]
        self.split: list[set[int]] = [set() for _ in slots]  # groups split for good at a slot
        self.reopened: dict[tuple[int, int], int] = defaultdict(int)

    def greedy(self, i: int) -> list[int]:
        child = self.children[i]
        rejected, slots, travel = self.rejected[i], self.slots, self.travel
        chosen: list[int] = []
        for s, _, _ in child.wishes:
            if len(chosen) >= child.max_activities:
                break
            if s in rejected:
                continue
            slot = slots[s]
            if any(clash(slot, slots[t], travel) for t in chosen):
                continue
            chosen.append(s)
        return chosen

    def run(self, order: Sequence[int]) -> None:
        queue = list(order)
        position = {i: k for k, i in enumerate(order)}
        while queue:
            nxt: set[int] = set()
            pending: dict[int, list[int]] = defaultdict(list)
            for i in queue:
                chosen = self.greedy(i)
                old = self.held[i]
                if chosen == old:
                    continue
                keep, before = set(chosen), set(old)
                for s in old:
                    if s not in keep:
                        self.holders[s].discard(i)
                        self.reopen(s, nxt)
                for s in chosen:
                    if s not in before:
                        pending[s].append(i)
                self.held[i] = chosen
            for s in sorted(pending):
                self.resolve(s, pending[s], nxt)
            queue = sorted(nxt, key=position.__getitem__)

    def reopen(self, s: int, nxt: set[int]) -> None:
        for j in sorted(self.rejected_at[s]):
            if self.reopened[(j, s)] < REOPENS:
                self.reopened[(j, s)] += 1
                self.rejected[j].discard(s)
                self.rejected_at[s].discard(j)
                nxt.add(j)

    def resolve(self, s: int, new: list[int], nxt: set[int]) -> None:
        holders = self.holders[s]
        if len(holders) + len(new) <= self.slots[s].places:
            holders.update(new)
            return
        accepted, refused = self.select(s, [*holders, *new])
        self.holders[s] = set(accepted)
        for j in refused:
            self.held[j].remove(s)
            self.rejected[j].add(s)
            self.rejected_at[s].add(j)
            nxt.add(j)

    def select(self, s: int, candidates: list[int]) -> tuple[list[int], list[int]]:
        """The candidates a slot keeps: units (singles and whole blocks) by key, while they fit.
        Blocks that do not fit when their turn comes are split (all of one pass at once) and the
        slot chooses again with their members alone, until no block fails."""
        places, children, scores = self.slots[s].places, self.children, self.scores
        alone = {j: (scores[j][s][1], children[j].tie) for j in candidates}
        if all(children[j].group < 0 for j in candidates):
            candidates.sort(key=alone.__getitem__, reverse=True)
            return candidates[:places], candidates[places:]
        split = self.split[s]
        while True:
            blocks: dict[int, list[int]] = defaultdict(list)
            units: list[tuple[tuple[float, int], list[int]]] = []
            for j in candidates:
                g = children[j].group
                if g >= 0 and g not in split:
                    blocks[g].append(j)
                else:
                    units.append((alone[j], [j]))
            for members in blocks.values():
                if len(members) == 1:
                    units.append((alone[members[0]], members))
                else:
                    units.append((min((scores[m][s][0], children[m].tie) for m in members), members))
            units.sort(key=lambda u: u[0], reverse=True)
            accepted: list[int] = []
            refused: list[int] = []
            failed: list[int] = []
            room = places
            for _, members in units:
                if len(members) <= room:
                    accepted += members
                    room -= len(members)
                elif len(members) > 1:
                    failed.append(children[members[0]].group)
                else:
                    refused += members
            if not failed:
                return accepted, refused
            split.update(failed)


def match(slots: Sequence[Slot], children: Sequence[Proposer], travel: float,
          order: Sequence[int]) -> tuple[list[list[int]], list[set[int]]]:
    """Each child's granted slots (rank order) and the slots that refused it for lack of room."""
    m = _Match(slots, children, travel)
    m.run(order)
    return m.held, m.rejected
