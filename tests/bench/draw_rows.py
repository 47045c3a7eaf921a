"""The holiday draw as a benchmark row, in process (pure CPU, no server); importing this module
registers it (rows.py). Also runnable alone: `python -m tests.bench.draw_rows`.

The data, from a fixed seed: 5,000 children with 3 ranked wishes each over 300 sessions of 15-30
places (10 days, 20 places 30 minutes apart), 8 home areas, half the children from the two priority
areas; popular sessions (a few activities everyone wants) are oversubscribed; a tenth of the
children go in groups of 2-3 wishing the same sessions. First come is simulated with an arrival
order that favours the other areas (as when families with more time and better connections sign
up first), and compared with the draw."""

from __future__ import annotations

import itertools
import random
import time
import tracemalloc
import uuid
from datetime import UTC, datetime, timedelta

from booking.domain.activities.draw import (
    DrawChild,
    DrawInput,
    DrawResult,
    DrawSession,
    Weights,
    Wish,
    first_come,
    run_draw,
)
from tests.bench.rows import LocalOutcome, Target, local_row

SEED = 20261207
CHILDREN, SESSIONS, WISHES, AREAS = 5_000, 300, 3, 8
DAY1 = datetime(2027, 6, 21, 7, tzinfo=UTC)  # summer holiday, 09:00 Swedish time


def data(seed: int = SEED) -> tuple[DrawInput, list[uuid.UUID]]:
    """The draw's input and first come's arrival order."""
    rng = random.Random(seed)

    def uid() -> uuid.UUID:
        return uuid.UUID(int=rng.getrandbits(128), version=4)

    areas = [uid() for _ in range(AREAS)]
    priority = areas[:2]
    sessions = []
    for _ in range(SESSIONS):
        start = DAY1 + timedelta(days=rng.randrange(10), hours=rng.choice([0, 2.5, 5]))
        age_min = rng.choice([6, 6, 8, 10])
        sessions.append(DrawSession(uid(), rng.randint(15, 30), start, start + timedelta(hours=2),
                                    age_min, min(17, age_min + rng.choice([4, 6, 9])), f"place {rng.randrange(20)}"))
    popularity = [1.0 / (k + 1) ** 0.8 for k in range(SESSIONS)]  # a few sessions everyone wants
    fitting: dict[int, tuple[list[DrawSession], list[float]]] = {}
    for age in range(6, 16):
        pairs = [(s, p) for s, p in zip(sessions, popularity, strict=True) if s.age_min <= age <= s.age_max]
        fitting[age] = [s for s, _ in pairs], list(itertools.accumulate(p for _, p in pairs))
    children: list[DrawChild] = []
    while len(children) < CHILDREN:
        size = rng.choice([2, 3]) if rng.random() < 0.05 else 1
        size = min(size, CHILDREN - len(children))
        area = rng.choice(priority) if rng.random() < 0.5 else rng.choice(areas[2:])
        age = rng.randint(6, 15)
        fits, cumulative = fitting[age]
        picked: list[DrawSession] = []
        while len(picked) < WISHES:
            s = rng.choices(fits, cum_weights=cumulative)[0]
            if s not in picked:
                picked.append(s)
        code = f"G{len(children):05d}" if size > 1 else None
        for _ in range(size):
            children.append(DrawChild(
                uid(), age, tuple(Wish(s.id, rank, rank == 1 and rng.random() < 0.3)
                                  for rank, s in enumerate(picked, start=1)),
                rng.choice([1, 2, 3]), area, code,
                nothing_last_time=rng.random() < 0.1, first_time=rng.random() < 0.2))
    head_start = {c.id: rng.random() + (0.0 if c.home_area_id in priority else -0.5) for c in children}
    order = sorted((c.id for c in children), key=head_start.__getitem__)
    return DrawInput(children, sessions, Weights(), "bench-draw", frozenset(priority), timedelta(minutes=30)), order


def shares(inp: DrawInput, result: DrawResult) -> tuple[float, float, float]:
    """Share with at least one place overall and in the priority areas; mean rank granted."""
    priority = [a for a in result.figures.per_area if a.area_id in inp.priority_areas]
    share_priority = sum(a.with_place for a in priority) / max(1, sum(a.children for a in priority))
    return result.figures.share_with_place, share_priority, result.figures.mean_rank_granted or 0.0


def measure(quick: bool = False) -> LocalOutcome:
    inp, order = data()
    before = time.perf_counter(), time.process_time()
    drawn = run_draw(inp)
    wall, cpu = time.perf_counter() - before[0], time.process_time() - before[1]
    tracemalloc.start()
    run_draw(inp)
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    served = first_come(inp, order)
    fc_all, fc_pri, fc_rank = shares(inp, served)
    d_all, d_pri, d_rank = shares(inp, drawn)
    places = sum(s.places for s in inp.sessions)
    granted = sum(len(g) for g in drawn.grants.values())
    figures = (f"{CHILDREN:,} children, {sum(len(c.wishes) for c in inp.children):,} wishes, {places:,} places; "
               f"draw {wall * 1000:,.0f} ms wall, {cpu * 1000:,.0f} ms CPU, peak {peak:.1f} MB traced, "
               f"{granted:,} places granted; with a place overall / priority areas: first come "
               f"{fc_all:.1%} / {fc_pri:.1%} (mean rank {fc_rank:.2f}), draw {d_all:.1%} / {d_pri:.1%} "
               f"(mean rank {d_rank:.2f}).")
    complaints = () if d_pri >= d_all else (f"the draw gave the priority areas {d_pri:.1%}, below the overall "
                                            f"{d_all:.1%}",)
    return LocalOutcome(wall * 1000, cpu * 1000, peak, figures, complaints)


MEASURES = ("run_draw in process (no server): 5,000 children x 3 wishes over 300 sessions of 15-30 places, half "
            "the children from the two priority areas, against first come with an arrival order favouring the "
            "other areas. requests = 1 run; p50/p95/p99 = its wall time; CPU ms = its CPU time; RSS max MB = "
            "tracemalloc's peak of a second run; % of ceiling means nothing here.")

if __name__ != "__main__":  # run alone, rows.py imports this module once more under its name
    local_row("holiday draw, 5,000 children", target=Target("priority areas' share >= overall share"),
              measures=MEASURES)(measure)


if __name__ == "__main__":
    out = measure()
    print(out.figures)
    print("PASS" if not out.complaints else "FAIL: " + "; ".join(out.complaints))
