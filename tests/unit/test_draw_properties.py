"""The holiday draw's promises on small random cases (hypothesis): never overfilled, never two
clashing places for a child, never more than its maximum, stable, the same for the same seed
whatever the input order, first come never over the places either."""

from __future__ import annotations

import random
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from booking.domain.activities.draw import (
    DrawChild,
    DrawInput,
    DrawResult,
    DrawSession,
    Reason,
    Weights,
    Wish,
    first_come,
    run_draw,
)
from booking.domain.activities.draw_scoring import eligible, lottery, overlaps

DAY = datetime(2027, 7, 6, 8, tzinfo=UTC)
AREAS = [uuid.UUID(int=1), uuid.UUID(int=2), None]
PLACES = ["Skolan", "Ishallen", None]
EXAMPLES = settings(max_examples=100, deadline=None, derandomize=True)


@st.composite
def draws(draw: st.DrawFn, groups: bool = True) -> DrawInput:
    n_sessions = draw(st.integers(1, 6))
    sessions = []
    for k in range(n_sessions):
        start = DAY + timedelta(minutes=30 * draw(st.integers(0, 16)))
        age_min = draw(st.integers(5, 10))
        sessions.append(DrawSession(uuid.UUID(int=1000 + k), draw(st.integers(0, 3)), start,
                                    start + timedelta(minutes=30 * draw(st.integers(1, 6))), age_min,
                                    age_min + draw(st.integers(0, 5)), draw(st.sampled_from(PLACES))))
    children = []
    for k in range(draw(st.integers(1, 10))):
        wished = draw(st.permutations(sessions))[: draw(st.integers(0, n_sessions))]
        children.append(DrawChild(
            uuid.UUID(int=5000 + k), draw(st.integers(5, 12)),
            tuple(Wish(s.id, rank, draw(st.booleans())) for rank, s in enumerate(wished, start=1)),
            draw(st.integers(1, 3)), draw(st.sampled_from(AREAS)),
            draw(st.sampled_from(["A", "B", None])) if groups else None, draw(st.booleans()), draw(st.booleans())))
    weights = Weights(*(draw(st.integers(0, 10)) for _ in Weights.FIELDS))
    return DrawInput(children, sessions, weights, draw(st.text(max_size=8)),
                     frozenset(draw(st.sets(st.sampled_from(AREAS[:2])))),
                     timedelta(minutes=draw(st.sampled_from([0, 30, 90]))))


def assert_feasible(inp: DrawInput, result: DrawResult) -> None:
    sessions = {s.id: s for s in inp.sessions}
    taken = Counter(s for got in result.grants.values() for s in got)
    for session_id, n in taken.items():
        assert n <= sessions[session_id].places, "overfilled"
    for child in inp.children:
        got = [sessions[s] for s in result.grants[child.id]]
        assert len(got) <= child.max_activities
        assert all(eligible(child, s) for s in got)
        assert {s.id for s in got} <= {w.session_id for w in child.wishes}
        for i, a in enumerate(got):
            for b in got[i + 1:]:
                assert not overlaps(a, b, inp.travel), "two clashing places"
    granted = {(o.child_id, o.session_id) for o in result.outcomes if o.granted}
    assert granted == {(c, s) for c, got in result.grants.items() for s in got}
    assert len(result.outcomes) == sum(len(c.wishes) for c in inp.children)


def would_take(inp: DrawInput, child: DrawChild, got: set[uuid.UUID], wanted: uuid.UUID) -> bool:
    """Is `wanted` in the child's greedy choice over got + wanted (rank order, no clash, up to max)?"""
    sessions = {s.id: s for s in inp.sessions}
    chosen: list[DrawSession] = []
    for wish in sorted(child.wishes, key=lambda w: w.rank):
        if wish.session_id not in got | {wanted} or len(chosen) >= child.max_activities:
            continue
        session = sessions[wish.session_id]
        if any(overlaps(session, c, inp.travel) for c in chosen):
            continue
        if wish.session_id == wanted:
            return True
        chosen.append(session)
    return False


@given(draws())
@EXAMPLES
def test_never_overfilled_never_clashing_never_over_the_maximum(inp: DrawInput) -> None:
    assert_feasible(inp, run_draw(inp))


@given(draws(groups=False))
@EXAMPLES
def test_stable_no_child_and_session_would_both_rather_have_each_other(inp: DrawInput) -> None:
    result = run_draw(inp)
    sessions = {s.id: s for s in inp.sessions}
    score = {(o.child_id, o.session_id): o.score for o in result.outcomes}
    holders: dict[uuid.UUID, list[uuid.UUID]] = {s.id: [] for s in inp.sessions}
    for child_id, granted in result.grants.items():
        for s in granted:
            holders[s].append(child_id)

    def key(child_id: uuid.UUID, session_id: uuid.UUID) -> tuple[float, int, int]:
        return score[(child_id, session_id)], lottery(inp.seed, child_id), child_id.int

    for child in inp.children:
        got = set(result.grants[child.id])
        for wish in child.wishes:
            session = sessions.get(wish.session_id)
            if session is None or wish.session_id in got or not eligible(child, session):
                continue
            if not would_take(inp, child, got, session.id):
                continue
            assert len(holders[session.id]) >= session.places, "a wanted session kept a place free"
            assert all(key(h, session.id) > key(child.id, session.id) for h in holders[session.id]), \
                "a wanted session granted a lower score"


@given(draws(), st.randoms(use_true_random=False))
@EXAMPLES
def test_same_seed_same_result_whatever_the_input_order(inp: DrawInput, rng: random.Random) -> None:
    children, sessions = list(inp.children), list(inp.sessions)
    rng.shuffle(children)
    rng.shuffle(sessions)
    children = [DrawChild(c.id, c.age, tuple(rng.sample(c.wishes, len(c.wishes))), c.max_activities, c.home_area_id,
                          c.group, c.nothing_last_time, c.first_time) for c in children]
    again = DrawInput(children, sessions, inp.weights, inp.seed, inp.priority_areas, inp.travel)
    first, second = run_draw(inp), run_draw(again)
    assert dict(first.grants) == dict(second.grants)
    assert set(first.outcomes) == set(second.outcomes)


@given(draws())
@EXAMPLES
def test_reasons_match_the_grants(inp: DrawInput) -> None:
    result = run_draw(inp)
    sessions = {s.id: s for s in inp.sessions}
    children = {c.id: c for c in inp.children}
    for o in result.outcomes:
        child, session = children[o.child_id], sessions.get(o.session_id)
        got = [sessions[s] for s in result.grants[o.child_id]]
        above = [sessions[w.session_id] for w in child.wishes if w.rank < o.rank and w.session_id in
                 result.grants[o.child_id]]
        if o.reason is Reason.GONE:
            assert session is None
        elif o.reason is Reason.AGE:
            assert session is not None and not eligible(child, session)
        elif o.reason is Reason.GRANTED:
            assert session in got
        elif o.reason is Reason.MAX:
            assert len(above) >= child.max_activities
        elif o.reason is Reason.OVERLAP:
            blocking = sessions[o.blocking_session_id] if o.blocking_session_id else None
            assert session is not None and blocking in above and overlaps(session, blocking, inp.travel)
        else:
            assert o.reason is Reason.FULL and session is not None and eligible(child, session)
            assert sum(1 for g in result.grants.values() if session.id in g) >= session.places
            assert would_take(inp, child, {s.id for s in got}, session.id)


@given(draws(), st.randoms(use_true_random=False))
@EXAMPLES
def test_first_come_is_feasible_and_serves_the_first_arrival_its_greedy_choice(inp: DrawInput,
                                                                              rng: random.Random) -> None:
    order = [c.id for c in inp.children]
    rng.shuffle(order)
    result = first_come(inp, order)
    assert_feasible(inp, result)
    first = next(c for c in inp.children if c.id == order[0])
    sessions = {s.id: s for s in inp.sessions}
    expected: list[uuid.UUID] = []
    for wish in sorted(first.wishes, key=lambda w: w.rank):
        s = sessions.get(wish.session_id)
        if (s is None or not eligible(first, s) or s.places <= 0 or len(expected) >= first.max_activities
                or any(overlaps(s, sessions[e], inp.travel) for e in expected)):
            continue
        expected.append(s.id)
    assert list(result.grants[first.id]) == expected


@given(st.integers(2, 4), st.integers(0, 4), st.text(max_size=6))
@EXAMPLES
def test_a_group_with_room_gets_the_session_together(size: int, others: int, seed: str) -> None:
    """The group outscores the rest (the group weight) and the session has room for all of it."""
    camp = DrawSession(uuid.UUID(int=1), size, DAY, DAY + timedelta(hours=3), 6, 12)
    friends = [DrawChild(uuid.UUID(int=100 + k), 9, (Wish(camp.id, 1),), 1, group="GRP") for k in range(size)]
    rest = [DrawChild(uuid.UUID(int=200 + k), 9, (Wish(camp.id, 1),), 1) for k in range(others)]
    result = run_draw(DrawInput([*rest, *friends], [camp], Weights(), seed))
    assert all(result.grants[f.id] == (camp.id,) for f in friends)
    assert all(result.grants[r.id] == () for r in rest)
