"""The pure parts of association profiles: the fields are checked naming each field at fault, the
draft -> submitted -> published flow, training times grouped from bookings, and the directory's filters
with the reasons they give."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time
from uuid import UUID, uuid4

import pytest

from booking.domain.matching.directory import DirectoryFilter, Names, SearchRow, why
from booking.domain.matching.profile import Accessibility, AssociationProfile, ProfileFields, check_fields
from booking.domain.matching.states import ProfileStatus
from booking.domain.matching.training_times import Occurrence, group, season_window
from booking.domain.shared.errors import Conflict, ValidationError

FOTBOLL, SCHACK, NACKSTA = uuid4(), uuid4(), uuid4()
NAMES = Names({FOTBOLL: ("fotboll", "football"), SCHACK: ("schack", "chess")}, {NACKSTA: "Nacksta"})
NOW = datetime(2026, 12, 1, 9, tzinfo=UTC)


def _fields(**changes: object) -> ProfileFields:
    base = ProfileFields(interests=(FOTBOLL,), age_min=10, age_max=12, for_whom=("all",),
                         description="Fotboll för alla.", areas=(NACKSTA,), languages=("sv",))
    return replace(base, **changes)  # type: ignore[arg-type]


def _fields_at_fault(fields: ProfileFields) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        check_fields(fields, categories={FOTBOLL, SCHACK}, areas={NACKSTA})
    return sorted(p.field for p in caught.value.problems)


def test_every_field_at_fault_is_named() -> None:
    assert _fields_at_fault(_fields(interests=())) == ["interests"]
    assert _fields_at_fault(_fields(interests=(FOTBOLL, uuid4(), FOTBOLL))) == ["interests[1]", "interests[2]"]
    assert _fields_at_fault(_fields(age_min=13)) == ["age_max"]
    assert _fields_at_fault(_fields(age_max=26, for_whom=())) == ["age_max", "for_whom"]
    assert _fields_at_fault(_fields(for_whom=("all", "martians"), languages=("sv", "xx"))) == [
        "for_whom[1]", "languages[1]"]
    assert _fields_at_fault(_fields(membership_fee=-1, website="http://x.se", description="  ")) == [
        "description", "membership_fee", "website"]
    assert _fields_at_fault(_fields(accessibility=Accessibility(notes="a\u202eb"))) == ["accessibility.notes"]
    cleaned = check_fields(_fields(description="  Fotboll.  ", website=" https://ifk.example.se "),
                           categories={FOTBOLL}, areas={NACKSTA})
    assert (cleaned.description, cleaned.website) == ("Fotboll.", "https://ifk.example.se")


def test_the_published_version_stays_while_an_edit_awaits_verification() -> None:
    profile = AssociationProfile(uuid4(), uuid4(), _fields())
    with pytest.raises(ValidationError):
        profile.submit()  # no contact person yet
    profile.edit(_fields(), contact_id=uuid4())
    profile.submit()
    with pytest.raises(Conflict):
        profile.verify(uuid4(), NOW, association_verified=False)
    staff = uuid4()
    profile.verify(staff, NOW, association_verified=True)
    assert (profile.status, profile.published, profile.verified_by) == (ProfileStatus.PUBLISHED, _fields(), staff)
    assert profile.searchable.interests == (FOTBOLL,) and profile.searchable.age_max == 12

    profile.edit(_fields(age_max=15), profile.contact_id)
    assert profile.status is ProfileStatus.DRAFT and profile.published == _fields()
    profile.submit()
    profile.send_back("Skriv mer.")
    assert (profile.status, profile.review_note, profile.published) == (ProfileStatus.DRAFT, "Skriv mer.", _fields())
    profile.unpublish()
    assert profile.published is None and profile.searchable.interests == ()
    with pytest.raises(Conflict):
        profile.unpublish()


def test_training_times_group_weekly_times_and_list_the_rest_by_date() -> None:
    a = uuid4()
    tuesdays = [Occurrence(a, date(2027, 2, d), time(18), time(19, 30), "Nackstaskolan", "Hall A") for d in (2, 9, 16)]
    other_room = Occurrence(a, date(2027, 2, 23), time(18), time(19, 30), "Nackstaskolan", "Hall B")
    counted = Occurrence(a, date(2027, 3, 2), time(18), time(19, 30), "Nackstaskolan", "Hall A", count=4)
    times = group([*tuesdays, other_room, counted])
    assert [(r.weekday, r.start, r.space_name, r.dates, r.next_date) for r in times.regular] == [
        (2, time(18), "Hall A", 7, date(2027, 2, 2))]
    assert [(s.day, s.space_name) for s in times.single] == [(date(2027, 2, 23), "Hall B")]
    assert times.weekdays == {2}


def test_the_season_is_the_rounds_containing_today_else_120_days() -> None:
    today = date(2027, 2, 1)
    assert season_window(today, [(date(2027, 1, 11), date(2027, 6, 6)), (date(2027, 8, 1), date(2027, 12, 1))]) \
        == (today, date(2027, 6, 6))
    assert season_window(today, [(date(2027, 8, 1), date(2027, 12, 1))]) == (today, date(2027, 6, 1))


def _row(**changes: object) -> SearchRow:
    base = SearchRow(uuid4(), "Nacksta IBK", 10, 12, True, False, (FOTBOLL,), (NACKSTA,), ("sv", "ar"), ("all",))
    return replace(base, **changes)  # type: ignore[arg-type]


def test_the_directory_says_why_a_row_matches_in_the_filters_order() -> None:
    f = DirectoryFilter(interest=FOTBOLL, age=11, area=NACKSTA, weekday=2, free_to_try=True, language="ar")
    reasons = why(_row(), f, NAMES, frozenset({2}))
    assert reasons is not None
    assert [w.text_sv for w in reasons] == ["håller på med fotboll", "för 10-12 år", "i Nacksta", "tränar tisdagar",
                                            "prova gratis", "pratar arabiska"]
    assert [w.text_en for w in reasons][:2] == ["does football", "for ages 10-12"]
    assert why(_row(), f, NAMES, frozenset({3})) is None  # trains on Wednesdays only
    assert why(_row(age_min=12), f, NAMES, frozenset({2})) is None
    assert why(_row(free_to_try=False), DirectoryFilter(free_to_try=True), NAMES) is None
    assert why(_row(), DirectoryFilter(accessible=True), NAMES) is None
    assert why(_row(), DirectoryFilter(q="ibk"), NAMES) is not None
    assert why(_row(), DirectoryFilter(interest=SCHACK), NAMES) is None
    assert why(_row(), DirectoryFilter(), NAMES) == []


def test_uuid_fields_survive_the_json_round_trip() -> None:
    fields = _fields(membership_fee=250.0, website="https://a.example.se")
    assert ProfileFields.from_json(fields.to_json()) == fields
    assert isinstance(ProfileFields.from_json(fields.to_json()).interests[0], UUID)
