"""Sessions with fakes: adding them, capacity changes, cancelling and moving (guardians are told),
check-in and attendance, drop-in visitors, reminders, anonymisation."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta

import pytest

from booking.domain.activities import services as act
from booking.domain.activities.lov import LovKind
from booking.domain.activities.model import ANONYMOUS_NAME, RegistrationStatus, SessionStatus
from booking.domain.people.roles import Actor, Grant, Role
from booking.domain.premises.attendance import Gender
from booking.domain.shared.errors import Conflict, Forbidden, NotFound, ValidationError
from tests.unit.activities_world import DAY, LINKS, NOW, World, new_world

CONFIRMED, WAITING = RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING


@pytest.fixture
async def w() -> World:
    return await new_world()


# --- adding sessions


async def test_a_session_takes_the_local_time_and_the_activity_capacity(w: World) -> None:
    session = await w.session(capacity=7)
    assert (session.starts_at, session.ends_at) == (datetime(2027, 3, 10, 9, tzinfo=UTC),
                                                   datetime(2027, 3, 10, 11, tzinfo=UTC))
    assert session.capacity == 7 and session.booking_id is None
    assert w.actions()[-1] == "activity.sessions_added"


async def test_sessions_on_the_weekdays_of_a_holiday(w: World) -> None:
    period = await act.set_period(LovKind.PASKLOV, 2027, date(2027, 3, 29), date(2027, 4, 4), w.uow, w.staff)
    activity = await w.activity()
    outcome = await act.add_sessions(act.NewSessions(activity.id, time(10), time(12), period_id=period.id,
                                                     weekdays=(0, 2, 4), capacity=3), w.uow, w.staff, w.clock)
    assert [s.starts_at.date() for s in outcome.sessions] == [date(2027, 3, 29), date(2027, 3, 31), date(2027, 4, 2)]
    assert {s.capacity for s in outcome.sessions} == {3}
    # 10:00 local is 08:00 UTC after the change to summer time on 28 March
    assert outcome.sessions[0].starts_at.hour == 8 and outcome.skipped == []


async def test_a_holiday_repeat_skips_the_days_already_past(w: World) -> None:
    period = await act.set_period(LovKind.SPORTLOV, 2027, date(2027, 2, 27), date(2027, 3, 3), w.uow, w.staff)
    activity = await w.activity()
    outcome = await act.add_sessions(act.NewSessions(activity.id, time(9), time(11), period_id=period.id),
                                     w.uow, w.staff, w.clock)
    # now is 1 March 10:00 local: the 09:00 session of that day has begun
    assert [s.starts_at.date() for s in outcome.sessions] == [date(2027, 3, 2), date(2027, 3, 3)]


async def test_a_single_session_in_the_past_is_refused(w: World) -> None:
    activity = await w.activity()
    with pytest.raises(ValidationError) as caught:
        await act.add_sessions(act.NewSessions(activity.id, time(8), time(9), day=date(2027, 3, 1)), w.uow,
                               w.staff, w.clock)
    assert caught.value.problems[0].code == "past"


@pytest.mark.parametrize(("cmd", "field"), [
    ({"start": time(12), "end": time(10), "day": DAY}, "end"),
    ({"start": time(10), "end": time(12), "weekdays": (7,), "day": DAY}, "weekdays"),
    ({"start": time(10), "end": time(12)}, "date"),
])
async def test_session_input_is_checked(w: World, cmd: dict[str, object], field: str) -> None:
    activity = await w.activity()
    with pytest.raises(ValidationError) as caught:
        await act.add_sessions(act.NewSessions(activity.id, **cmd), w.uow, w.staff, w.clock)  # type: ignore[arg-type]
    assert caught.value.problems[0].field == field
    assert await w.uow.activities.sessions_of(activity.id) == []


async def test_a_date_outside_the_holiday_is_refused(w: World) -> None:
    period = await act.set_period(LovKind.PASKLOV, 2027, date(2027, 3, 29), date(2027, 4, 4), w.uow, w.staff)
    activity = await w.activity()
    with pytest.raises(ValidationError, match="not in the holiday"):
        await act.add_sessions(act.NewSessions(activity.id, time(10), time(12), day=DAY, period_id=period.id),
                               w.uow, w.staff, w.clock)


async def test_no_sessions_for_a_cancelled_activity(w: World) -> None:
    activity = await w.activity()
    await act.cancel_activity(activity.id, "Sjukdom", w.uow, w.staff, w.clock, LINKS)
    with pytest.raises(Conflict):
        await act.add_sessions(act.NewSessions(activity.id, time(10), time(12), day=DAY), w.uow, w.staff, w.clock)


# --- capacity


async def test_more_places_promote_the_waiting_list_in_order(w: World) -> None:
    session = await w.session(capacity=1)
    signed = [(await w.sign_up(session, await w.guardian()))[0].registration for _ in range(4)]
    changed, promoted = await act.change_capacity(session.id, 3, w.uow, w.staff, LINKS)
    assert [p.id for p in promoted] == [signed[1].id, signed[2].id]
    assert [r.status for r in signed] == [CONFIRMED, CONFIRMED, CONFIRMED, WAITING]
    assert (changed.capacity, changed.confirmed, changed.sequence) == (3, 3, 1)
    assert w.outbox_kinds()[-2:] == ["activity.promoted", "activity.promoted"]
    assert w.uow.audit_log[-1].details == {"capacity": 3, "promoted": 2}


async def test_fewer_places_than_confirmed_are_refused(w: World) -> None:
    session = await w.session(capacity=3)
    for _ in range(2):
        await w.sign_up(session, await w.guardian())
    with pytest.raises(ValidationError) as caught:
        await act.change_capacity(session.id, 1, w.uow, w.staff, LINKS)
    assert caught.value.problems[0].code == "below-confirmed"
    stored = await w.uow.activities.get_session(session.id)
    assert stored is not None and stored.capacity == 3
    assert (await act.change_capacity(session.id, 2, w.uow, w.staff, LINKS))[1] == []


async def test_a_guardian_cannot_change_the_capacity(w: World) -> None:
    session = await w.session()
    with pytest.raises(NotFound):
        await act.change_capacity(session.id, 5, w.uow, await w.guardian(), LINKS)


async def test_staff_narrowed_to_a_site_may_not_act_on_a_session_at_no_site(w: World) -> None:
    session = await w.session()
    narrowed = Actor(uuid.uuid4(), w.town.id, frozenset({Grant(Role.ACTIVITIES_STAFF, uuid.uuid4())}))
    with pytest.raises(Forbidden):
        await act.change_capacity(session.id, 5, w.uow, narrowed, LINKS)


# --- cancelling and moving a session


async def test_cancelling_a_session_tells_everyone_signed_up(w: World) -> None:
    session = await w.session(capacity=1)
    await w.sign_up(session, await w.guardian())
    await w.sign_up(session, await w.guardian())  # waiting: told too
    cancelled = await act.cancel_session(session.id, "  Sjuk ledare ", w.uow, w.staff, w.clock, LINKS)
    assert cancelled.status is SessionStatus.CANCELLED and cancelled.sequence == 1
    told = [m for m in w.uow.outbox if m.kind == "activity.cancelled"]
    assert [m.recipient for m in told] == ["vh1@example.se", "vh2@example.se"]
    assert "Sjuk ledare" in told[0].body
    assert w.uow.audit_log[-1].details == {"reason": "Sjuk ledare"}


async def test_a_cancelled_session_takes_no_sign_ups_and_cannot_be_cancelled_again(w: World) -> None:
    session = await w.session()
    await act.cancel_session(session.id, None, w.uow, w.staff, w.clock, LINKS)
    with pytest.raises(Conflict):
        await w.sign_up(session, await w.guardian())
    with pytest.raises(Conflict):
        await act.cancel_session(session.id, None, w.uow, w.staff, w.clock, LINKS)


async def test_moving_a_session_tells_those_signed_up(w: World) -> None:
    session = await w.session()
    await w.sign_up(session, await w.guardian())
    moved = await act.move_session(act.MoveSession(session.id, date(2027, 3, 11), time(13), time(15)), w.uow,
                                   w.staff, w.clock, LINKS)
    assert moved.starts_at == datetime(2027, 3, 11, 12, tzinfo=UTC) and moved.sequence == 1
    assert w.outbox_kinds()[-1] == "activity.changed"
    assert "2027-03-11 13:00-15:00" in w.uow.outbox[-1].body
    assert w.actions()[-1] == "session.moved"


async def test_a_move_may_not_give_a_child_two_sessions_at_once(w: World) -> None:
    here = await w.session()
    there = await w.session(day=date(2027, 3, 11))
    guardian = await w.guardian()
    signed = (await w.sign_up(here, guardian))[0]
    await w.sign_up(there, guardian)
    with pytest.raises(Conflict) as caught:
        await act.move_session(act.MoveSession(here.id, date(2027, 3, 11), time(11), time(13)), w.uow, w.staff,
                               w.clock, LINKS)
    assert caught.value.conflicts == [{"field": "date", "registration_id": str(signed.registration.id),
                                       "session_id": str(there.id)}]
    stored = await w.uow.activities.get_session(here.id)
    assert stored is not None and stored.starts_at.date() == DAY and stored.sequence == 0


async def test_a_session_cannot_move_into_the_past_or_once_begun(w: World) -> None:
    session = await w.session()
    with pytest.raises(ValidationError, match="already begun"):
        await act.move_session(act.MoveSession(session.id, date(2027, 2, 28), time(10), time(12)), w.uow, w.staff,
                               w.clock, LINKS)
    w.clock.move_to(session.starts_at)
    with pytest.raises(Conflict, match="already begun"):
        await act.move_session(act.MoveSession(session.id, date(2027, 3, 12), time(10), time(12)), w.uow, w.staff,
                               w.clock, LINKS)


async def test_a_cancelled_session_cannot_move(w: World) -> None:
    session = await w.session()
    await act.cancel_session(session.id, None, w.uow, w.staff, w.clock, LINKS)
    with pytest.raises(Conflict, match="cancelled"):
        await act.move_session(act.MoveSession(session.id, date(2027, 3, 12), time(10), time(12)), w.uow, w.staff,
                               w.clock, LINKS)


# --- attendance


async def test_check_in_by_the_scanned_ticket_url(w: World) -> None:
    session = await w.session()
    signed = (await w.sign_up(session, await w.guardian()))[0].registration
    w.clock.move_to(session.starts_at)
    checked = await act.check_in(session.id, f" {LINKS.ticket(signed.ticket_code)}&x=1 ", w.uow, w.staff, w.clock)
    assert checked.id == signed.id and checked.attended_at == session.starts_at
    w.clock.move_to(session.starts_at + timedelta(minutes=5))  # a second scan keeps the first time
    assert (await act.check_in(session.id, signed.ticket_code, w.uow, w.staff, w.clock)).attended_at == \
        session.starts_at


async def test_a_ticket_of_another_session_is_refused(w: World) -> None:
    one, other = await w.session(), await w.session(day=date(2027, 3, 11))
    signed = (await w.sign_up(one, await w.guardian()))[0].registration
    with pytest.raises(ValidationError) as caught:
        await act.check_in(other.id, signed.ticket_code, w.uow, w.staff, w.clock)
    assert caught.value.problems[0].code == "wrong-session"


@pytest.mark.parametrize("scanned", ["", "kort", "https://x/registrations.html?ticket=" + "!" * 20])
async def test_what_is_not_a_ticket_is_refused(scanned: str) -> None:
    with pytest.raises(ValidationError) as caught:
        act.ticket_code_of(scanned)
    assert caught.value.problems[0].code == "format"


async def test_a_waiting_child_cannot_be_checked_in(w: World) -> None:
    session = await w.session(capacity=1)
    await w.sign_up(session, await w.guardian())
    waiting = (await w.sign_up(session, await w.guardian()))[0].registration
    with pytest.raises(Conflict, match="waiting"):
        await act.check_in(session.id, waiting.ticket_code, w.uow, w.staff, w.clock)
    with pytest.raises(Conflict):
        await act.mark_attendance(session.id, waiting.id, True, w.uow, w.staff, w.clock)


async def test_attendance_by_list_sets_and_clears(w: World) -> None:
    session = await w.session()
    signed = (await w.sign_up(session, await w.guardian()))[0].registration
    assert (await act.mark_attendance(session.id, signed.id, True, w.uow, w.staff, w.clock)).attended_at == NOW
    assert (await act.mark_attendance(session.id, signed.id, False, w.uow, w.staff, w.clock)).attended_at is None
    with pytest.raises(NotFound):
        await act.mark_attendance(uuid.uuid4(), signed.id, True, w.uow, w.staff, w.clock)


async def test_drop_in_visitors_are_counted_without_names(w: World) -> None:
    session = await w.session(signup_required=False)
    counts = [{"gender": "female", "age_group": "10-12", "count": 4}, {"gender": "male", "age_group": "16+",
                                                                         "count": 0, "name": "x"}]
    recorded = await act.record_visitors(session.id, counts, w.uow, w.staff)
    assert recorded.visitors == [{"gender": "female", "age_group": "10-12", "count": 4},
                                 {"gender": "male", "age_group": "16+", "count": 0}]
    with pytest.raises(ValidationError) as caught:
        await act.record_visitors(session.id, [{"gender": "female", "age_group": "3-5", "count": 1}], w.uow, w.staff)
    assert caught.value.problems[0].field == "visitors[0].age_group"
    stored = await w.uow.activities.get_session(session.id)
    assert stored is not None and len(stored.visitors) == 2


# --- reminders, feed tokens, retention


async def test_reminders_go_out_once_the_day_before_from_eight(w: World) -> None:
    session = await w.session(capacity=1)
    await w.sign_up(session, await w.guardian())
    await w.sign_up(session, await w.guardian())  # waiting: not reminded
    w.clock.move_to(datetime(2027, 3, 9, 6, 30, tzinfo=UTC))  # 07:30 local the day before
    assert await act.send_reminders(w.town.id, w.uow, w.clock, LINKS) == 0
    w.clock.move_to(datetime(2027, 3, 9, 7, 0, tzinfo=UTC))  # 08:00 local
    assert await act.send_reminders(w.town.id, w.uow, w.clock, LINKS) == 1
    assert w.outbox_kinds()[-1] == "activity.reminder" and w.uow.outbox[-1].recipient == "vh1@example.se"
    assert await act.send_reminders(w.town.id, w.uow, w.clock, LINKS) == 0


async def test_no_reminders_for_an_unknown_municipality(w: World) -> None:
    assert await act.send_reminders(uuid.uuid4(), w.uow, w.clock, LINKS) == 0


async def test_rotating_the_feed_token_replaces_the_old_one(w: World) -> None:
    guardian = await w.guardian()
    first = await act.rotate_feed_token(w.uow, guardian)
    second = await act.rotate_feed_token(w.uow, guardian)
    assert first != second and len(second) >= 22
    assert w.uow.activities.account_of_feed_token(act.token_hash(second)) == guardian.account_id
    assert w.uow.activities.account_of_feed_token(act.token_hash(first)) is None


async def test_old_sign_ups_lose_the_name_and_needs_but_keep_the_statistics(w: World) -> None:
    session = await w.session(capacity=5)
    guardian = await w.guardian()
    signed = await act.sign_up(act.SignUp(session.id, (act.Child("Alva", 2017, Gender.FEMALE, "Nötallergi"),)), w.uow,
                               guardian, w.clock, LINKS)
    registration = signed[0].registration
    w.clock.move_to(session.ends_at + timedelta(days=30 * 12 - 1))
    assert await act.anonymise_old_registrations(12, w.uow, w.clock) == 0
    w.clock.move_to(session.ends_at + timedelta(days=30 * 12 + 1))
    assert await act.anonymise_old_registrations(12, w.uow, w.clock) == 1
    assert (registration.first_name, registration.needs) == (ANONYMOUS_NAME, None)
    assert (registration.birth_year, str(registration.gender)) == (2017, "female")
    assert await act.anonymise_old_registrations(12, w.uow, w.clock) == 0  # idempotent

