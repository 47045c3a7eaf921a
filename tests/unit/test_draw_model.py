"""The draw's settings and states (draw_model.py): wishing -> previewed -> published, what each state
allows, and the small values a guardian types (group codes, ranked wishes)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from booking.domain.activities.draw import Weights
from booking.domain.activities.draw_model import (
    GROUP_ALPHABET,
    DrawStatus,
    HolidayDraw,
    clean_group_code,
    new_group_code,
    ranked,
)
from booking.domain.shared.errors import Conflict, ValidationError

DEADLINE = datetime(2027, 1, 15, 11, 0, tzinfo=UTC)
BEFORE, AFTER = DEADLINE - timedelta(days=10), DEADLINE + timedelta(days=5)


def _draw() -> HolidayDraw:
    return HolidayDraw(uuid4(), uuid4(), DEADLINE)


def test_a_new_draw_wishes_with_the_default_weights() -> None:
    draw = _draw()
    assert draw.status is DrawStatus.WISHING and draw.max_per_child == 3 and draw.travel_minutes == 0
    assert draw.weights == {name: float(getattr(Weights(), name)) for name in Weights.FIELDS}
    assert draw.wishes_open(BEFORE) and not draw.wishes_open(DEADLINE)


@pytest.mark.parametrize(("changes", "field"), [
    ({"max_per_child": 0}, "max_per_child"), ({"max_per_child": 21}, "max_per_child"),
    ({"travel_minutes": -1}, "travel_minutes"), ({"travel_minutes": 241}, "travel_minutes"),
    ({"weights": {"rank": 101}}, "weights.rank"), ({"weights": {"luck": 1}}, "weights.luck"),
    ({"wishes_close_at": datetime(2027, 2, 1)}, "wishes_close_at"),  # noqa: DTZ001 naive on purpose
    ({"wishes_close_at": BEFORE - timedelta(days=1)}, "wishes_close_at"),
])
def test_settings_out_of_range_name_the_field(changes: dict[str, object], field: str) -> None:
    draw = _draw()
    settings = {"wishes_close_at": DEADLINE + timedelta(days=1), "max_per_child": 3, "travel_minutes": 0,
                "weights": {}, "priority_areas": [], **changes}
    with pytest.raises(ValidationError) as refused:
        draw.configure(now=BEFORE, **settings)  # type: ignore[arg-type]
    assert refused.value.problems[0].field == field


def test_a_run_only_after_the_deadline_and_new_settings_drop_its_result() -> None:
    draw = _draw()
    with pytest.raises(Conflict):
        draw.keep_result("seed", {"outcomes": []}, BEFORE)
    draw.keep_result("seed", {"outcomes": []}, AFTER)
    assert (draw.status, draw.seed, draw.run_at) == (DrawStatus.PREVIEWED, "seed", AFTER)
    # after the deadline, the same deadline: still run, but the preview is gone (run again)
    draw.configure(DEADLINE, 2, 0, {"rank": 50}, [], AFTER)
    assert draw.status is DrawStatus.PREVIEWED and draw.result is None
    with pytest.raises(Conflict):
        draw.require_preview()
    # a later deadline opens the wish phase again
    draw.keep_result("seed", {"outcomes": []}, AFTER)
    draw.configure(AFTER + timedelta(days=3), 2, 0, {}, [], AFTER)
    assert (draw.status, draw.result, draw.seed) == (DrawStatus.WISHING, None, None)


def test_once_published_nothing_changes() -> None:
    draw = _draw()
    with pytest.raises(Conflict):
        draw.publish({"outcomes": []}, AFTER)  # no preview yet
    draw.keep_result("s", {"outcomes": []}, AFTER)
    draw.publish({"outcomes": [{"granted": True}]}, AFTER)
    assert draw.published and draw.published_at == AFTER
    for change in (lambda: draw.configure(DEADLINE, 3, 0, {}, [], AFTER), lambda: draw.keep_result("t", {}, AFTER),
                   lambda: draw.publish({}, AFTER), lambda: draw.require_wishes_open(BEFORE)):
        with pytest.raises(Conflict):
            change()


def test_group_codes_are_typed_without_care_for_case_and_spaces() -> None:
    code = new_group_code()
    assert len(code) == 8 and set(code) <= set(GROUP_ALPHABET)
    assert clean_group_code(f" {code[:4].lower()} {code[4:]} ") == code
    assert clean_group_code("  ") is None
    for bad in ("O0I1O0I1", "ÅÄÖÅÄÖ", "AB"):
        with pytest.raises(ValidationError):
            clean_group_code(bad)


def test_wishes_are_ranked_in_list_order_each_session_once() -> None:
    a, b = uuid4(), uuid4()
    assert [(w.session_id, w.rank, w.favourite) for w in ranked([(a, False), (b, True)])] == [(a, 1, False),
                                                                                              (b, 2, True)]
    with pytest.raises(ValidationError) as twice:
        ranked([(a, False), (b, False), (a, True)])
    assert twice.value.problems[0].field == "wishes[2].session_id"
    with pytest.raises(ValidationError):
        ranked([])
    with pytest.raises(ValidationError):
        ranked([(uuid4(), False) for _ in range(31)])
