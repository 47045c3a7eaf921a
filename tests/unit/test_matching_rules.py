"""The pure rules of föreningsmatchning: consent, rate limits, distances and their words, ranking."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from booking.domain.matching.match import Candidate, TrainingTime, Wish, distance_text, haversine_m, rank
from booking.domain.matching.requests import Contact, RateLimits, check_contact, rate_limit_wait, sender_hash
from booking.domain.shared.errors import ValidationError

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def test_without_consent_contact_details_are_dropped() -> None:
    assert check_contact(Contact("Nora", "nora@hem.example"), 12, consent=False, guardian_consent=False) is None


def test_under_13_the_guardian_must_consent() -> None:
    with pytest.raises(ValidationError) as caught:
        check_contact(Contact("Nora", "nora@hem.example"), 12, consent=True, guardian_consent=False)
    assert [p.field for p in caught.value.problems] == ["guardian_consent"]
    assert check_contact(Contact("Nora", "nora@hem.example"), 13, consent=True, guardian_consent=False) is not None


def test_the_sender_limit_frees_a_place_when_the_oldest_leaves_the_hour() -> None:
    times = [NOW - timedelta(minutes=m) for m in (50, 40, 30, 20, 10)]
    assert rate_limit_wait(times, [], NOW) == 10 * 60 + 1
    assert rate_limit_wait(times[1:], [], NOW) is None


def test_the_association_limit_counts_every_sender() -> None:
    limits = RateLimits(per_association_day=3)
    theirs = [NOW - timedelta(hours=h) for h in (20, 5, 1)]
    assert rate_limit_wait([], theirs, NOW, limits) == 4 * 3600 + 1
    assert rate_limit_wait([], theirs[1:], NOW, limits) is None


def test_a_sender_is_a_keyed_hash_and_the_address_changes_with_the_day() -> None:
    one = sender_hash("s", None, "10.0.0.1", "2026-12-01")
    assert one != sender_hash("s", None, "10.0.0.1", "2026-12-02") and "10.0.0.1" not in one
    account = uuid.uuid4()
    assert sender_hash("s", account, "a", "2026-12-01") == sender_hash("s", account, "b", "2026-12-02")


def test_distances_in_words() -> None:
    assert distance_text(haversine_m(62.4069, 17.2650, 62.4105, 17.2650)) == ("400 m", "400 m")
    assert distance_text(2_345) == ("2,3 km", "2.3 km")
    assert distance_text(20) == ("100 m", "100 m")


def test_ranking_prefers_the_wished_day_and_keeps_out_what_does_not_fit() -> None:
    floorball, chess = uuid.uuid4(), uuid.uuid4()
    tuesday = TrainingTime(2, "18:00", "19:30", "Nacksta idrottshall", "Hall A", 10)
    clubs = [Candidate(uuid.uuid4(), "B-klubben", (floorball,), 10, 12, (), False, True),
             Candidate(uuid.uuid4(), "A-klubben", (floorball,), 10, 12, (), False, True, (tuesday,)),
             Candidate(uuid.uuid4(), "Schack", (chess,), 8, 18, (), True, True),
             Candidate(uuid.uuid4(), "Äldre", (floorball,), 15, 19, (), True, True)]
    wish = Wish((floorball,), 11, days=(2,), interest_names={floorball: ("innebandy", "floorball")})
    ranked = rank(clubs, wish)
    assert [m.candidate.name for m in ranked] == ["A-klubben", "B-klubben"]
    assert [r.text_sv for r in ranked[0].reasons] == ["innebandy", "10-12 år", "tränar tisdagar i Nacksta idrottshall"]
