"""The set-up checklist's rule: a step is done when it has at least one thing and none lacks what it asks."""

from __future__ import annotations

from booking.domain.municipalities.setup import PAGES, Step, Tally, checklist, complete


def test_a_fresh_municipality_misses_every_step_in_order() -> None:
    items = checklist({})
    assert [i.step for i in items] == list(Step)
    assert not any(i.done for i in items)
    assert all(i.count == 0 and i.lacking == 0 for i in items)
    assert not complete(items)


def test_an_area_without_its_population_keeps_the_step_missing() -> None:
    [areas] = [i for i in checklist({Step.AREAS: Tally(3, 1)}) if i.step is Step.AREAS]
    assert (areas.done, areas.count, areas.lacking) == (False, 3, 1)
    [areas] = [i for i in checklist({Step.AREAS: Tally(3, 0)}) if i.step is Step.AREAS]
    assert areas.done


def test_a_space_without_opening_hours_keeps_the_hours_missing() -> None:
    by_step = {i.step: i for i in checklist({Step.SPACES: Tally(2), Step.OPENING_HOURS: Tally(1, 1)})}
    assert by_step[Step.SPACES].done
    assert not by_step[Step.OPENING_HOURS].done
    by_step = {i.step: i for i in checklist({Step.OPENING_HOURS: Tally(2, 0)})}
    assert by_step[Step.OPENING_HOURS].done


def test_every_step_done_is_complete_and_each_names_its_page() -> None:
    items = checklist({step: Tally(1) for step in Step})
    assert complete(items)
    assert {i.step: i.page for i in items} == PAGES
    assert PAGES[Step.AREAS] == "/areas.html" and PAGES[Step.OPENING_HOURS] == "/premises-admin.html"
    assert PAGES[Step.LENDING_HOURS] == "/lending-admin.html"
