"""Holiday periods and the capacity rules of sessions, without a database."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from booking.domain.activities import sign_up_rules as rules
from booking.domain.activities.lov import HolidayPeriod, LovKind, default_periods
from booking.domain.activities.model import (
    Activity,
    ActivitySession,
    ActivityStatus,
    Category,
    Registration,
    RegistrationStatus,
    age_group,
    check_birth_year,
)
from booking.domain.activities.sign_up_rules import Child
from booking.domain.people.roles import Actor, Grant, Role
from booking.domain.shared.errors import Conflict, Forbidden, ValidationError
from booking.domain.shared.localtime import local_instant

M = uuid.uuid4()
START = datetime(2027, 3, 25, 9, 0, tzinfo=UTC)


def session(capacity: int) -> ActivitySession:
    return ActivitySession(M, uuid.uuid4(), START, START + timedelta(hours=2), capacity)


def registration(s: ActivitySession, name: str = "Alva") -> Registration:
    return Registration(M, s.id, s.activity_id, uuid.uuid4(), name, 2016, "h" * 64, "t" * 22)


def test_default_periods_of_2027() -> None:
    periods = {p.kind: p for p in default_periods(M, 2027, sportlov_week=9)}
    assert (periods[LovKind.SPORTLOV].first_day, periods[LovKind.SPORTLOV].last_day) == (
        date(2027, 3, 1), date(2027, 3, 7))
    # Easter Sunday 2027 is 28 March: påsklov starts on Annandag påsk
    assert periods[LovKind.PASKLOV].first_day == date(2027, 3, 29)
    assert periods[LovKind.HOSTLOV].first_day == date(2027, 11, 1)
    assert periods[LovKind.HOSTLOV].first_day.isocalendar().week == 44
    assert periods[LovKind.JULLOV].last_day == date(2028, 1, 7)
    summer = periods[LovKind.SOMMARLOV]
    assert summer.first_day.month == 6 and summer.last_day.month == 8


def test_sportlov_week_depends_on_the_region_and_is_checked() -> None:
    weeks = {w: default_periods(M, 2028, w)[0].first_day.isocalendar().week for w in (7, 8, 9, 10)}
    assert weeks == {7: 7, 8: 8, 9: 9, 10: 10}
    with pytest.raises(ValidationError) as caught:
        default_periods(M, 2028, 12)
    assert caught.value.problems[0].field == "sportlov_week"


def test_a_period_is_edited_within_sense() -> None:
    period = HolidayPeriod(M, LovKind.PASKLOV, 2027, date(2027, 3, 29), date(2027, 4, 4))
    period.change(date(2027, 3, 25), date(2027, 4, 1))
    assert len(period.days()) == 8
    with pytest.raises(ValidationError):
        period.change(date(2027, 4, 2), date(2027, 4, 1))
    with pytest.raises(ValidationError):
        period.change(date(2027, 1, 1), date(2027, 12, 31))
    assert (period.first_day, period.last_day) == (date(2027, 3, 25), date(2027, 4, 1))


def test_places_then_waiting_list_in_order_and_promotion_first_come_first_served() -> None:
    s = session(2)
    regs = [registration(s, n) for n in ("Alva", "Bo", "Cleo", "Dan")]
    for r in regs:
        s.admit(r)
    assert [r.status for r in regs] == [RegistrationStatus.CONFIRMED] * 2 + [RegistrationStatus.WAITING] * 2
    assert [r.queue_no for r in regs] == [1, 2, 3, 4]
    assert s.confirmed == 2 and s.free_places == 0
    s.release(regs[0])
    promoted = s.promote(list(reversed(regs)))
    assert promoted == [regs[2]]  # Cleo signed up before Dan
    assert s.confirmed == 2
    s.release(regs[3])  # a waiting one leaves: no place frees
    assert s.promote(regs) == [] and s.confirmed == 2
    with pytest.raises(Conflict):
        s.release(regs[3])


def test_capacity_never_below_confirmed_and_raising_it_promotes() -> None:
    s = session(1)
    regs = [registration(s, n) for n in ("Alva", "Bo", "Cleo")]
    for r in regs:
        s.admit(r)
    with pytest.raises(ValidationError):
        s.change_capacity(0)
    s.change_capacity(2)
    assert s.promote(regs) == [regs[1]]
    assert s.confirmed == 2 and regs[2].status is RegistrationStatus.WAITING


def test_a_cancelled_session_admits_nobody_and_grows_its_sequence() -> None:
    s = session(5)
    s.cancel()
    assert s.sequence == 1 and s.free_places == 0
    with pytest.raises(Conflict):
        s.admit(registration(s))


def test_age_groups_of_the_follow_up() -> None:
    assert [age_group(a) for a in (5, 6, 9, 10, 12, 13, 15, 16, 19)] == [
        None, "6-9", "6-9", "10-12", "10-12", "13-15", "13-15", "16+", "16+"]
    with pytest.raises(ValidationError):
        check_birth_year(1990, date(2027, 1, 1))


def test_pasklov_2027_at_ten_local_time_across_the_change() -> None:
    zone = ZoneInfo("Europe/Stockholm")
    days = HolidayPeriod(M, LovKind.PASKLOV, 2027, date(2027, 3, 25), date(2027, 4, 1)).days()
    instants = [local_instant(d, time(10), zone) for d in days]
    assert all(i.astimezone(zone).hour == 10 for i in instants)
    assert [i.hour for i in instants] == [9, 9, 9, 8, 8, 8, 8, 8]  # UTC: CET before 28 March, CEST from it


def test_drop_in_counts_are_checked() -> None:
    s = session(10)
    s.record_visitors([{"gender": "female", "age_group": "10-12", "count": 4}])
    assert s.visitors[0]["count"] == 4
    with pytest.raises(ValidationError) as caught:
        s.record_visitors([{"gender": "female", "age_group": "3-5", "count": 1}])
    assert caught.value.problems[0].field == "visitors[0].age_group"


def test_a_submitted_activity_is_sent_back_as_a_draft_with_the_reason_and_a_new_submission_clears_it() -> None:
    activity = Activity(M, "Schack", Category.GAMES, "Schackklubben", 8, 14, uuid.uuid4(),
                        association_id=uuid.uuid4())
    with pytest.raises(Conflict):
        activity.send_back("För tidigt")  # a draft is not waiting for anyone
    assert activity.editable_by(by_staff=False)
    activity.publish(by_staff=False)
    assert activity.status is ActivityStatus.SUBMITTED and activity.editable_by(by_staff=False)
    activity.send_back("Skriv en kontakt.")
    assert (activity.status, activity.review_note) == (ActivityStatus.DRAFT, "Skriv en kontakt.")
    activity.publish(by_staff=False)
    assert (activity.status, activity.review_note) == (ActivityStatus.SUBMITTED, None)
    activity.publish(by_staff=True)
    assert not activity.editable_by(by_staff=False)  # published: the association asks the staff
    assert activity.editable_by(by_staff=True)
    activity.cancel(None)
    assert not activity.editable_by(by_staff=True)


# --- the session's places and the sign-up rules, as pure functions


def test_withdrawing_frees_the_place_for_the_first_waiting() -> None:
    s = session(1)
    first, second, third = (registration(s, n) for n in ("Alva", "Bo", "Cleo"))
    for r in (first, second, third):
        s.admit(r)
    promoted = s.withdraw(first, [first, third, second], START - timedelta(hours=1))
    assert promoted == [second] and first.status is RegistrationStatus.CANCELLED
    assert first.cancelled_at == START - timedelta(hours=1) and s.confirmed == 1


def test_withdrawing_once_begun_is_refused_and_changes_nothing() -> None:
    s = session(1)
    r = registration(s)
    s.admit(r)
    with pytest.raises(Conflict, match="already begun"):
        s.withdraw(r, [r], START)
    assert r.status is RegistrationStatus.CONFIRMED and s.confirmed == 1


def test_resizing_promotes_in_queue_order() -> None:
    s = session(1)
    regs = [registration(s, n) for n in ("Alva", "Bo", "Cleo")]
    for r in regs:
        s.admit(r)
    assert s.resize(3, list(reversed(regs))) == regs[1:]
    assert s.sequence == 1


def test_the_signer_rules() -> None:
    guardian = Actor(uuid.uuid4(), M, frozenset({Grant(Role.GUARDIAN)}))
    young = Actor(uuid.uuid4(), M, frozenset())
    kim = Child("Kim", 2013)
    rules.check_signer(guardian, [kim, Child("Lo", 2015)], self_sign_up=False)
    rules.check_signer(young, [kim], self_sign_up=True)
    with pytest.raises(Forbidden):
        rules.check_signer(young, [kim], self_sign_up=False)
    with pytest.raises(ValidationError):
        rules.check_signer(young, [kim, kim], self_sign_up=True)


def test_children_are_cleaned_and_each_listed_once() -> None:
    cleaned = rules.clean_children([Child("  Alva ", 2017, needs="  "), Child("Bo", 2017, needs=" Nötter ")],
                                   date(2027, 3, 1))
    assert [(c.first_name, c.needs) for c in cleaned] == [("Alva", None), ("Bo", "Nötter")]
    with pytest.raises(ValidationError, match="twice"):
        rules.clean_children([Child("Alva", 2017), Child("ALVA", 2017)], date(2027, 3, 1))


def test_a_child_already_in_the_session_or_elsewhere_at_that_time() -> None:
    s = session(5)
    here, elsewhere = registration(s), Registration(M, uuid.uuid4(), uuid.uuid4(), uuid.uuid4(), "Alva", 2016,
                                                    "i" * 64, "u" * 22)
    rules.check_free_time(0, Child("Alva", 2016), s.id, [])
    with pytest.raises(Conflict, match="already signed up for this session"):
        rules.check_free_time(0, Child("Alva", 2016), s.id, [here])
    with pytest.raises(Conflict) as caught:
        rules.check_free_time(1, Child("Alva", 2016), s.id, [elsewhere])
    assert caught.value.conflicts == [{"field": "children[1]", "session_id": str(elsewhere.session_id)}]


def test_a_move_clashes_only_with_other_sessions() -> None:
    s = session(5)
    r = registration(s)
    other = Registration(M, uuid.uuid4(), uuid.uuid4(), r.account_id, "Alva", 2016, "j" * 64, "v" * 22)
    rules.check_move(s.id, [(r, [r])])  # its own session overlaps itself: no clash
    with pytest.raises(Conflict) as caught:
        rules.check_move(s.id, [(r, [r, other])])
    assert caught.value.conflicts == [{"field": "date", "registration_id": str(r.id),
                                       "session_id": str(other.session_id)}]
