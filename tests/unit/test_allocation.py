"""The season allocator with pure data: priority order, alternatives, shifting, no overlaps
(whole hall against its halves, changeover buffers, existing bookings), explanations, score, determinism."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from booking.domain.premises.allocation import DEFAULT_RULES, Outcome, Preference, PriorityRule, RuleKey
from booking.domain.premises.allocator import (
    Applicant,
    Holding,
    Slot,
    SpaceFacts,
    Taken,
    allocate,
    check_adjustment,
    collides,
    explain,
)

T0 = datetime(2027, 5, 1, 12, tzinfo=UTC)
EVENINGS = {d: [(17 * 60, 22 * 60)] for d in range(5)}


def _space(name: str, units: frozenset[uuid.UUID] | None = None, capacity: int = 40, buffer: int = 0,
           space_id: uuid.UUID | None = None) -> SpaceFacts:
    ident = space_id or uuid.uuid4()
    return SpaceFacts(ident, name, units or frozenset({ident}), capacity, buffer, 30, 240, EVENINGS)


def _hall() -> tuple[SpaceFacts, SpaceFacts, SpaceFacts]:
    """A divisible hall: the whole occupies both halves."""
    a_id, b_id, whole_id = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    a = _space("Hallen A", frozenset({a_id}), space_id=a_id)
    b = _space("Hallen B", frozenset({b_id}), space_id=b_id)
    whole = _space("Hallen", frozenset({a_id, b_id}), capacity=80, space_id=whole_id)
    return whole, a, b


def _app(title: str, wishes: list[tuple[SpaceFacts, int, str]], *, youth: bool = False, local: bool = False,
         participants: int = 20, duration: int = 90, minute: int = 0, flex: int = 0,
         association: uuid.UUID | None = None) -> Applicant:
    prefs = tuple(Preference(s.id, day, int(at[:2]) * 60 + int(at[3:])) for s, day, at in wishes)
    return Applicant(uuid.uuid4(), association or uuid.uuid4(), title, youth, local, participants, duration, prefs,
                     T0 + timedelta(minutes=minute), flex)


def _by_title(apps: list[Applicant], proposal: Any) -> dict[str, Any]:
    titles = {a.id: a.title for a in apps}
    return {titles[d.application_id]: d for d in proposal.decisions}


def test_higher_priority_gets_the_wish_and_the_other_is_moved_to_its_alternative_with_the_reason() -> None:
    gym, other = _space("Gympasalen"), _space("Aulan")
    adults = _app("Vuxengympa", [(gym, 1, "18:00"), (other, 1, "18:00")], minute=0)  # applied first
    youth = _app("Innebandy P12", [(gym, 1, "18:00")], youth=True, minute=5)
    apps = [adults, youth]
    proposal = allocate(apps, {gym.id: gym, other.id: other}, DEFAULT_RULES)
    by = _by_title(apps, proposal)
    assert by["Innebandy P12"].outcome is Outcome.GRANTED
    assert by["Innebandy P12"].rank == 1 and "youth" in by["Innebandy P12"].matched
    moved = by["Vuxengympa"]
    assert moved.outcome is Outcome.MOVED
    assert moved.slot == Slot(other.id, 1, 18 * 60, 19 * 60 + 30)
    assert moved.preference == 1
    unavailable = moved.reasons[0]
    assert unavailable["code"] == "preference_unavailable" and unavailable["preference"] == 0
    assert unavailable["causes"][0]["code"] == "taken_by_application"
    assert unavailable["causes"][0]["params"]["application_id"] == str(youth.id)
    assert "Innebandy P12" in explain(unavailable, {str(gym.id): gym.name})


def test_ties_go_to_the_earlier_application_and_the_later_is_denied_with_each_preference_explained() -> None:
    gym = _space("Gympasalen")
    first = _app("Först", [(gym, 2, "18:00")], minute=0)
    second = _app("Sen", [(gym, 2, "18:30"), (gym, 5, "18:00")], minute=1)  # Saturday: closed
    apps = [second, first]
    by = _by_title(apps, allocate(apps, {gym.id: gym}, DEFAULT_RULES))
    assert by["Först"].outcome is Outcome.GRANTED
    denied = by["Sen"]
    assert denied.outcome is Outcome.DENIED and denied.slot is None
    codes = [(r["code"], r["preference"]) for r in denied.reasons]
    assert codes == [("preference_unavailable", 0), ("preference_unavailable", 1), ("denied", None)]
    assert denied.reasons[1]["causes"][0]["code"] == "closed"
    assert "Saturday" in explain(denied.reasons[1], {})


def test_flexibility_shifts_the_start_and_says_so() -> None:
    gym = _space("Gympasalen", buffer=15)
    first = _app("Först", [(gym, 0, "18:00")], youth=True)
    flexible = _app("Flexibel", [(gym, 0, "19:00")], flex=60)
    apps = [first, flexible]
    by = _by_title(apps, allocate(apps, {gym.id: gym}, DEFAULT_RULES))
    # 18:00-19:30 plus 15 minutes of changeover: 19:45 is the first free start
    assert by["Flexibel"].outcome is Outcome.MOVED
    assert by["Flexibel"].slot == Slot(gym.id, 0, 19 * 60 + 45, 21 * 60 + 15)
    assert by["Flexibel"].shift == 45
    assert "45 minutes later" in explain(by["Flexibel"].reasons[-1], {})


def test_the_whole_hall_blocks_both_halves_but_the_halves_do_not_block_each_other() -> None:
    whole, a, b = _hall()
    spaces = {s.id: s for s in (whole, a, b)}
    half_a = _app("Halva A", [(a, 3, "18:00")], youth=True, minute=0)
    half_b = _app("Halva B", [(b, 3, "18:00")], youth=True, minute=1)
    all_of_it = _app("Hela", [(whole, 3, "18:30")], minute=2)
    apps = [all_of_it, half_b, half_a]
    by = _by_title(apps, allocate(apps, spaces, DEFAULT_RULES))
    assert by["Halva A"].outcome is Outcome.GRANTED and by["Halva B"].outcome is Outcome.GRANTED
    assert by["Hela"].outcome is Outcome.DENIED
    blockers = {c["params"]["application_id"] for c in by["Hela"].reasons[0]["causes"]}
    assert blockers == {str(half_a.id), str(half_b.id)}


def test_existing_bookings_hold_their_time_beyond_a_few_dates() -> None:
    gym = _space("Gympasalen")
    series = Taken(uuid.uuid4(), gym.units, 4, 18 * 60, 20 * 60, dates=30)
    one_off = Taken(uuid.uuid4(), gym.units, 1, 18 * 60, 20 * 60, dates=1)
    friday = _app("Fredag", [(gym, 4, "19:00")])
    tuesday = _app("Tisdag", [(gym, 1, "19:00")])
    apps = [friday, tuesday]
    by = _by_title(apps, allocate(apps, {gym.id: gym}, DEFAULT_RULES, taken=[series, one_off]))
    assert by["Fredag"].outcome is Outcome.DENIED
    cause = by["Fredag"].reasons[0]["causes"][0]
    assert cause == {"code": "taken_by_booking", "params": {"booking_id": str(series.booking_id), "dates": 30,
                                                            "first_date": None}}
    assert by["Tisdag"].outcome is Outcome.GRANTED  # one date taken: the series leaves it out at publish


def test_capacity_and_duration_rule_out_a_preference() -> None:
    small = _space("Lilla salen", capacity=10)
    apps = [_app("Stor grupp", [(small, 0, "18:00")], participants=25, duration=300)]
    decision = allocate(apps, {small.id: small}, DEFAULT_RULES).decisions[0]
    assert decision.outcome is Outcome.DENIED
    assert [c["code"] for c in decision.reasons[0]["causes"]] == ["capacity", "duration", "closed"]


def test_rules_matter_in_their_weights_and_the_previous_holder_keeps_its_time() -> None:
    gym = _space("Gympasalen")
    holder = uuid.uuid4()
    keeper = _app("Förra säsongen", [(gym, 0, "18:00")], association=holder, minute=10)
    youth = _app("Ungdom", [(gym, 0, "18:00")], youth=True, minute=0)
    holdings = [Holding(holder, gym.id, 0, 18 * 60, 19 * 60 + 30)]
    apps = [keeper, youth]
    rules = [PriorityRule(RuleKey.PREVIOUS_HOLDER, 50), PriorityRule(RuleKey.YOUTH, 40)]
    by = _by_title(apps, allocate(apps, {gym.id: gym}, rules, holdings=holdings))
    assert by["Förra säsongen"].outcome is Outcome.GRANTED and by["Förra säsongen"].matched == ["previous_holder"]
    swapped = [PriorityRule(RuleKey.PREVIOUS_HOLDER, 30), PriorityRule(RuleKey.YOUTH, 40)]
    by = _by_title(apps, allocate(apps, {gym.id: gym}, swapped, holdings=holdings))
    assert by["Ungdom"].outcome is Outcome.GRANTED and by["Förra säsongen"].outcome is Outcome.DENIED


def test_the_score_on_a_hand_checked_example() -> None:
    gym = _space("Gympasalen")
    rules = [PriorityRule(RuleKey.YOUTH, 40)]
    youth = _app("Ungdom", [(gym, 0, "18:00")], youth=True, duration=120)  # weight 41, 2 h
    adults = _app("Vuxna", [(gym, 0, "18:30")], duration=60)  # weight 1, 1 h, denied
    late = _app("Sent", [(gym, 0, "20:00")], duration=60, minute=3)  # weight 1, 1 h, granted
    proposal = allocate([youth, adults, late], {gym.id: gym}, rules)
    # (41*2 + 1*1) / (41*2 + 1*1 + 1*1) = 83/84
    assert proposal.score == round(83 / 84, 4)
    assert [d.outcome for d in proposal.decisions] == [Outcome.GRANTED, Outcome.DENIED, Outcome.GRANTED]


def test_adjusting_into_a_taken_slot_names_the_clashing_application() -> None:
    gym = _space("Gympasalen")
    one, two = _app("Ett", [(gym, 0, "18:00")], youth=True), _app("Två", [(gym, 0, "20:00")])
    proposal = allocate([one, two], {gym.id: gym}, DEFAULT_RULES)
    problems, clashes = check_adjustment(proposal.decisions, two.id, Slot(gym.id, 0, 18 * 60 + 30, 20 * 60), 20,
                                         {gym.id: gym}, [])
    assert problems == [] and [c["params"]["application_id"] for c in clashes] == [str(one.id)]
    problems, clashes = check_adjustment(proposal.decisions, two.id, Slot(gym.id, 0, 19 * 60 + 30, 21 * 60), 20,
                                         {gym.id: gym}, [])
    assert problems == [] and clashes == []
    problems, _ = check_adjustment(proposal.decisions, two.id, Slot(gym.id, 6, 18 * 60, 19 * 60), 20,
                                   {gym.id: gym}, [])
    assert [p["code"] for p in problems] == ["closed"]


# --- properties over random rounds ----------------------------------------------------------------

_WHOLE, _A, _B = _hall()
_GYM = _space("Gympasalen", buffer=15)
_ROOM = _space("Klassrummet", capacity=25, buffer=5)
SPACES = {s.id: s for s in (_WHOLE, _A, _B, _GYM, _ROOM)}
_space_st = st.sampled_from(list(SPACES.values()))
_wish_st = st.tuples(_space_st, st.integers(0, 6), st.integers(16 * 4, 22 * 4).map(lambda q: q * 15))
_app_st = st.builds(
    lambda wishes, youth, local, participants, duration, minute, flex: Applicant(
        uuid.uuid4(), uuid.uuid4(), "Grupp", youth, local, participants, duration,
        tuple(dict.fromkeys(Preference(s.id, d, m) for s, d, m in wishes)), T0 + timedelta(minutes=minute), flex),
    st.lists(_wish_st, min_size=1, max_size=4), st.booleans(), st.booleans(), st.integers(1, 60),
    st.sampled_from([45, 60, 90, 120]), st.integers(0, 20), st.sampled_from([0, 15, 30, 60]))


@settings(max_examples=150, deadline=None)
@given(st.lists(_app_st, min_size=1, max_size=25))
def test_no_two_granted_slots_ever_overlap_and_every_application_is_explained(apps: list[Applicant]) -> None:
    proposal = allocate(apps, SPACES, DEFAULT_RULES)
    assert {d.application_id for d in proposal.decisions} == {a.id for a in apps}
    granted = [d for d in proposal.decisions if d.outcome is not Outcome.DENIED]
    for i, x in enumerate(granted):
        assert x.slot is not None
        for y in granted[i + 1:]:
            assert y.slot is not None
            assert not collides(x.slot, SPACES[x.slot.space_id], y.slot, SPACES[y.slot.space_id]), (x, y)
            # the same check by hand on units and minutes, buffers included
            if x.slot.weekday == y.slot.weekday and SPACES[x.slot.space_id].units & SPACES[y.slot.space_id].units:
                x_end = x.slot.end + SPACES[x.slot.space_id].buffer
                y_end = y.slot.end + SPACES[y.slot.space_id].buffer
                assert x_end <= y.slot.start or y_end <= x.slot.start
    for d in proposal.decisions:
        assert d.reasons and d.reasons[-1]["code"] in ("granted_wish", "moved", "denied")
        app = next(a for a in apps if a.id == d.application_id)
        if d.outcome is Outcome.GRANTED:
            assert d.slot == Slot(app.wishes[0].space_id, app.wishes[0].weekday, app.wishes[0].start,
                                  app.wishes[0].start + app.duration)
        if d.outcome is not Outcome.DENIED:
            assert d.slot is not None and d.slot.end - d.slot.start == app.duration
            assert abs(d.shift) <= app.flex
        else:
            assert all(explain(r, {}) for r in d.reasons)
    assert 0.0 <= proposal.score <= 1.0
    # deterministic whatever order the applications come in
    again = allocate(list(reversed(apps)), SPACES, DEFAULT_RULES)
    assert [d.as_json() for d in again.decisions] == [d.as_json() for d in proposal.decisions]
