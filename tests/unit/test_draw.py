"""The holiday draw on hand-made cases: who gets a place and why, groups, the lottery, first come,
the figures and a hand-made grant's clashes (pure; docs/draw.md)."""

from __future__ import annotations

import random
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta

from booking.domain.activities.draw import (
    Clash,
    DrawChild,
    DrawInput,
    DrawResult,
    DrawSession,
    Reason,
    Weights,
    Wish,
    check_grant,
    explain,
    figures,
    first_come,
    run_draw,
)

DAY = datetime(2027, 7, 6, 9, tzinfo=UTC)  # a Tuesday in the summer holiday; the draw has no clock
NORTH, SOUTH = uuid.uuid4(), uuid.uuid4()


def session(places: int = 1, start: int = 0, hours: int = 2, place: str | None = None, ages: tuple[int, int] = (6, 12)
            ) -> DrawSession:
    starts = DAY + timedelta(hours=start)
    return DrawSession(uuid.uuid4(), places, starts, starts + timedelta(hours=hours), ages[0], ages[1], place)


def child(*sessions: DrawSession, age: int = 9, max_activities: int = 3, area: uuid.UUID | None = None,
          group: str | None = None, favourite: bool = False, first_time: bool = False) -> DrawChild:
    wishes = tuple(Wish(s.id, rank, favourite and rank == 1) for rank, s in enumerate(sessions, start=1))
    return DrawChild(uuid.uuid4(), age, wishes, max_activities, area, group, first_time=first_time)


def draw(children: list[DrawChild], sessions: list[DrawSession], seed: str = "seed", **kw: object) -> DrawResult:
    return run_draw(DrawInput(children, sessions, Weights(), seed, **kw))  # type: ignore[arg-type]


def outcome(result: DrawResult, c: DrawChild, s: DrawSession) -> tuple[Reason, uuid.UUID | None]:
    (o,) = [o for o in result.outcomes if o.child_id == c.id and o.session_id == s.id]
    return o.reason, o.blocking_session_id


def test_every_wish_is_answered_with_its_reason() -> None:
    football = session(places=1, start=0)
    swimming = session(places=5, start=1)  # clashes with football
    crafts = session(places=5, start=4)
    riding = session(places=5, start=6, ages=(10, 14))
    chess = session(places=5, start=8)
    cancelled = session(places=5, start=10)
    anna = child(football, swimming, crafts, riding, chess, cancelled, max_activities=2, favourite=True)
    bo = child(football, crafts)  # no favourite: lower score on football
    result = draw([anna, bo], [football, swimming, crafts, riding, chess])

    assert result.grants[anna.id] == (football.id, crafts.id)
    assert outcome(result, anna, football) == (Reason.GRANTED, None)
    assert outcome(result, anna, swimming) == (Reason.OVERLAP, football.id)
    assert outcome(result, anna, riding) == (Reason.AGE, None)
    assert outcome(result, anna, chess) == (Reason.MAX, None)
    assert outcome(result, anna, cancelled) == (Reason.GONE, None)
    assert outcome(result, bo, football) == (Reason.FULL, None)
    assert outcome(result, bo, crafts) == (Reason.GRANTED, None)
    assert [(o.session_id, o.rank) for o in result.outcomes if o.child_id == anna.id] == [
        (s.id, rank) for rank, s in enumerate([football, swimming, crafts, riding, chess, cancelled], start=1)]
    assert len(result.outcomes) == 8


def test_scores_decide_a_full_session_first_wish_first_then_priority_area() -> None:
    popular = session(places=2)
    first = child(popular)
    second = child(session(places=0), popular)  # popular is its second wish: rank/2
    priority = child(session(places=0), popular, area=NORTH)  # second wish, but from a priority area
    result = draw([second, first, priority], [popular], priority_areas=frozenset({NORTH}))
    holders = {c for c, got in result.grants.items() if popular.id in got}
    assert holders == {first.id, priority.id}
    score = {o.child_id: o.score for o in result.outcomes if o.session_id == popular.id}
    assert score[first.id] == 10.0 and score[second.id] == 5.0 and score[priority.id] == 13.0


def test_a_session_without_places_is_full_and_one_cancelled_is_gone() -> None:
    none_left = session(places=0)
    kid = child(none_left, session())  # the second was never in the draw
    result = draw([kid], [none_left])
    assert [o.reason for o in result.outcomes] == [Reason.FULL, Reason.GONE]
    assert result.grants[kid.id] == ()


def test_travel_time_between_two_places_counts_but_not_at_the_same_place() -> None:
    morning = session(places=3, start=0, hours=2, place="Folkets hus")
    after_here = session(places=3, start=2, place="Folkets hus")
    after_there = session(places=3, start=2, place="Ishallen")
    kid = child(morning, after_here, after_there)
    plain = draw([kid], [morning, after_here, after_there])
    assert plain.grants[kid.id] == (morning.id, after_here.id)
    assert outcome(plain, kid, after_there) == (Reason.OVERLAP, after_here.id)
    travel = draw([kid], [morning, after_here, after_there], travel=timedelta(minutes=30))
    assert travel.grants[kid.id] == (morning.id, after_here.id)
    assert outcome(travel, kid, after_there) == (Reason.OVERLAP, morning.id)


def test_a_better_wish_that_comes_free_moves_the_child() -> None:
    """Bo loses football to Anna, takes swimming instead, and gives back crafts (which clashes)
    to Cecilia, whom crafts had turned away while Bo held it."""
    football = session(places=1, start=0)  # 9-11
    swimming = session(places=1, start=1)  # 10-12: clashes with football
    crafts = session(places=1, start=2)  # 11-13: clashes with swimming only
    anna = child(football, favourite=True, first_time=True)
    bo = child(football, swimming, crafts, max_activities=2)
    cecilia = DrawChild(uuid.uuid4(), 9, (Wish(crafts.id, 4),), 1)  # a fourth wish: below Bo's third
    result = draw([anna, bo, cecilia], [football, swimming, crafts])
    assert result.grants == {anna.id: (football.id,), bo.id: (swimming.id,), cecilia.id: (crafts.id,)}
    assert outcome(result, bo, crafts) == (Reason.OVERLAP, swimming.id)


def test_a_group_goes_together_when_there_is_room_for_all_of_it() -> None:
    camp = session(places=3)
    friends = [child(camp, group="ABCD2345") for _ in range(3)]
    others = [child(camp) for _ in range(4)]
    result = draw([*others, *friends], [camp])
    # The group weight lifts the three above the others, and the camp takes the group whole.
    assert all(result.grants[f.id] == (camp.id,) for f in friends)
    assert all(result.grants[o.id] == () for o in others)


def test_a_group_that_does_not_fit_competes_alone() -> None:
    camp = session(places=2)
    friends = [child(camp, group="ABCD2345") for _ in range(3)]
    result = draw(friends, [camp])
    assert sum(1 for f in friends if result.grants[f.id]) == 2  # split for good; the best two alone


def test_same_seed_same_result_whatever_the_order_and_seeds_differ() -> None:
    rng = random.Random(7)
    sessions = [session(places=rng.randint(1, 3), start=rng.randrange(0, 12, 2)) for _ in range(6)]
    kids = [child(*rng.sample(sessions, 3)) for _ in range(20)]
    first = draw(kids, sessions, seed="2027-sommar")
    shuffled = kids[:]
    rng.shuffle(shuffled)
    again = draw(shuffled, list(reversed(sessions)), seed="2027-sommar")
    assert dict(first.grants) == dict(again.grants)
    assert set(first.outcomes) == set(again.outcomes)
    differ = [draw(kids, sessions, seed=f"seed {n}").grants for n in range(10)]
    assert any(dict(g) != dict(first.grants) for g in differ)


def test_first_come_serves_in_arrival_order() -> None:
    football = session(places=1, start=0)
    crafts = session(places=1, start=1)  # clashes with football
    chess = session(places=1, start=5)
    anna = child(football, crafts, chess, max_activities=1)
    bo = child(football, crafts, chess, favourite=True)
    cecilia = child(chess, age=15)  # too old
    result = first_come(DrawInput([anna, bo, cecilia], [football, crafts, chess], Weights(), "s"),
                        [anna.id, cecilia.id, bo.id])
    assert result.grants == {anna.id: (football.id,), bo.id: (crafts.id, chess.id), cecilia.id: ()}
    assert outcome(result, anna, crafts) == (Reason.MAX, None)
    assert outcome(result, bo, football) == (Reason.FULL, None)
    assert outcome(result, cecilia, chess) == (Reason.AGE, None)


def test_figures_on_a_hand_example() -> None:
    a, b, c = session(), session(start=3), session(start=6)
    north1 = child(a, b, area=NORTH)  # gets wishes 1 and 2
    north2 = child(a, c, area=NORTH)  # gets wish 2
    south = child(b, area=SOUTH)  # nothing
    nowhere = child(c)  # gets wish 1
    grants = {north1.id: [a.id, b.id], north2.id: [c.id], nowhere.id: [c.id]}
    result = figures([north1, north2, south, nowhere], grants)
    assert (result.children, result.with_place) == (4, 3)
    assert result.mean_rank_granted == (1 + 2 + 2 + 1) / 4
    assert result.share_with_place == 0.75
    per = {f.area_id: (f.children, f.with_place, f.mean_rank_granted) for f in result.per_area}
    assert per == {NORTH: (2, 2, 5 / 3), SOUTH: (1, 0, None), None: (1, 1, 1.0)}
    assert result.per_area[-1].area_id is None


def test_check_grant_names_what_is_in_the_way() -> None:
    morning = session(places=1, start=0, place="Skolan")
    noon = session(places=2, start=2, place="Ishallen")
    evening = session(places=2, start=8, ages=(13, 15))
    kid = child(morning, noon, evening, max_activities=1)
    other = child(morning)
    sessions = {s.id: s for s in (morning, noon, evening)}
    grants = {other.id: [morning.id], kid.id: [noon.id]}
    assert check_grant(kid, morning, grants, sessions) == (Clash.FULL, None)
    assert check_grant(kid, evening, grants, sessions) == (Clash.AGE, None)
    assert check_grant(other, noon, grants, sessions) == (Clash.NOT_WISHED, None)
    assert check_grant(kid, noon, grants, sessions) is None  # already granted
    free = {kid.id: [noon.id]}
    assert check_grant(kid, morning, free, sessions) == (Clash.MAX, None)
    assert check_grant(kid, morning, free, sessions, travel=timedelta(minutes=15)) == (Clash.OVERLAP, noon.id)
    roomy = child(morning, noon, max_activities=2)
    assert check_grant(roomy, morning, {roomy.id: [noon.id]}, sessions) is None


def test_explain_gives_the_reasons_of_grants_changed_by_hand() -> None:
    football = session(places=1, start=0)
    swimming = session(places=2, start=1)  # clashes with football
    anna = child(football, swimming)
    inp = DrawInput([anna], [football, swimming], Weights(), "s")
    assert run_draw(inp).grants[anna.id] == (football.id,)
    by_hand = explain(inp, {anna.id: [swimming.id]})  # staff moved Anna to swimming
    assert [(o.reason, o.blocking_session_id) for o in by_hand.outcomes] == [
        (Reason.FULL, None), (Reason.GRANTED, None)]
    assert by_hand.figures.mean_rank_granted == 2.0


def test_a_split_group_member_ties_with_a_single_by_lottery_alone() -> None:
    """Alone, a group member's third wish scores exactly what anyone's third wish scores (10/3, no
    rounding left over from the group weight), so the lottery decides, the same for every seed."""
    gone1, gone2 = session(places=0, start=4), session(places=0, start=6)
    camp = session(places=1)
    friends = [child(gone1, gone2, camp, group="GRP") for _ in range(2)]
    single = child(gone1, gone2, camp)
    wins: Counter[bool] = Counter()
    for n in range(60):
        result = draw([*friends, single], [gone1, gone2, camp], seed=f"seed {n}")
        (winner,) = [c for c, got in result.grants.items() if got]
        wins[winner == single.id] += 1
    assert wins[True] > 5 and wins[False] > 5


def test_first_come_puts_children_missing_from_the_order_last() -> None:
    camp = session(places=1)
    early, late = child(camp), child(camp, favourite=True)
    inp = DrawInput([late, early], [camp], Weights(), "s")
    assert first_come(inp, [early.id]).grants == {early.id: (camp.id,), late.id: ()}
    assert first_come(inp, [late.id, early.id]).grants == {late.id: (camp.id,), early.id: ()}
