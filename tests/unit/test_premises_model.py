"""Sites, spaces and divisible halls as plain domain objects."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from booking.domain.premises.model import (
    Site,
    Space,
    SpaceKind,
    check_deletable,
    check_part_of,
    leaf_units,
)
from booking.domain.shared.errors import Conflict, ValidationError
from booking.domain.shared.timespan import TimeSpan

M = uuid.uuid4()


def space(name: str, site: uuid.UUID, parent: uuid.UUID | None = None) -> Space:
    return Space(M, site, name, SpaceKind.HALL, 60, parent_id=parent)


def test_whole_hall_occupies_both_halves_and_a_half_only_itself() -> None:
    site = uuid.uuid4()
    hall = space("Hallen", site)
    a = space("Hallen A", site, hall.id)
    b = space("Hallen B", site, hall.id)
    other = space("Aulan", site)
    everything = [hall, a, b, other]
    assert leaf_units(hall, everything) == {a.id, b.id}
    assert leaf_units(a, everything) == {a.id}
    assert leaf_units(other, everything) == {other.id}
    # the whole conflicts with each half, the halves not with each other
    assert leaf_units(hall, everything) & leaf_units(a, everything)
    assert leaf_units(hall, everything) & leaf_units(b, everything)
    assert not leaf_units(a, everything) & leaf_units(b, everything)


def test_parts_are_one_level_deep_and_in_the_same_site() -> None:
    site = uuid.uuid4()
    hall = space("Hallen", site)
    a = space("Hallen A", site, hall.id)
    check_part_of(a, hall, parent_has_parent=False)
    deeper = space("Hallen A1", site, a.id)
    with pytest.raises(ValidationError):
        check_part_of(deeper, a, parent_has_parent=True)
    elsewhere = space("Annan A", uuid.uuid4(), hall.id)
    with pytest.raises(ValidationError) as caught:
        check_part_of(elsewhere, hall, parent_has_parent=False)
    assert caught.value.problems[0].field == "parent_id"


def test_a_hall_with_parts_cannot_be_deleted() -> None:
    site = uuid.uuid4()
    hall = space("Hallen", site)
    parts = [space("Hallen A", site, hall.id), space("Hallen B", site, hall.id)]
    with pytest.raises(Conflict) as caught:
        check_deletable(hall, parts)
    assert len(caught.value.conflicts) == 2
    check_deletable(parts[0], [])


@pytest.mark.parametrize("capacity", [0, -1, 10_001])
def test_capacity_is_bounded(capacity: int) -> None:
    with pytest.raises(ValidationError) as caught:
        Space(M, uuid.uuid4(), "Sal", SpaceKind.GYM, capacity)
    assert caught.value.problems[0].field == "capacity"


def test_equipment_is_cleaned_and_deduplicated() -> None:
    s = Space(M, uuid.uuid4(), "Sal", SpaceKind.MUSIC_ROOM, 20, equipment=["Piano", " piano ", "Trumset"])
    assert s.equipment == ["Piano", "Trumset"]


def test_postcode_is_normalised_and_checked() -> None:
    site = Site(M, "Skolan", "Vägen 1", "85350", "Sundsvall")
    assert site.postal_code == "853 50"
    with pytest.raises(ValidationError) as caught:
        Site(M, "Skolan", "Vägen 1", "8535", "Sundsvall")
    assert caught.value.problems[0].field == "address.postal_code"


def test_timespan_is_half_open() -> None:
    t0 = datetime(2027, 1, 14, 17, 0, tzinfo=UTC)
    first = TimeSpan(t0, t0 + timedelta(hours=1))
    touching = TimeSpan(t0 + timedelta(hours=1), t0 + timedelta(hours=2))
    overlapping = TimeSpan(t0 + timedelta(minutes=59), t0 + timedelta(hours=2))
    assert not first.overlaps(touching)
    assert first.overlaps(overlapping)
    assert first.contains(t0) and not first.contains(t0 + timedelta(hours=1))
    with pytest.raises(ValidationError):
        TimeSpan(t0, t0)
    with pytest.raises(ValueError):
        TimeSpan(datetime(2027, 1, 1), datetime(2027, 1, 2))  # noqa: DTZ001 naive on purpose: it must be refused
