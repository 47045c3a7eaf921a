"""Holiday periods and activities with fakes: who may create and edit, publishing and sending back,
cancelling an activity (its coming sessions and those signed up)."""

from __future__ import annotations

import uuid
from datetime import date, time

import pytest

from booking.domain.activities import services as act
from booking.domain.activities.lov import LovKind
from booking.domain.activities.model import ActivityStatus, Category, SessionStatus
from booking.domain.people.roles import Actor, Grant, Role
from booking.domain.shared.errors import Conflict, Forbidden, NotFound, ValidationError
from tests.unit.activities_world import DAY, LINKS, World, new_world


@pytest.fixture
async def w() -> World:
    return await new_world()


def draft(**overrides: object) -> act.ActivityDraft:
    values: dict[str, object] = {"title": "Pingis", "category": Category.SPORT, "organiser": "Fritid",
                                 "age_min": 6, "age_max": 12, **overrides}
    return act.ActivityDraft(**values)  # type: ignore[arg-type]


# --- holiday periods


async def test_generated_periods_fill_only_the_kinds_not_set(w: World) -> None:
    await act.set_period(LovKind.HOSTLOV, 2027, date(2027, 10, 25), date(2027, 10, 29), w.uow, w.staff)
    added = await act.generate_periods(2027, 9, w.uow, w.staff)
    assert sorted(p.kind for p in added) == sorted(k for k in LovKind if k is not LovKind.HOSTLOV)
    assert await act.generate_periods(2027, 9, w.uow, w.staff) == []
    kinds = {p.kind: p for p in await w.uow.activities.periods(w.town.id, 2027)}
    assert kinds[LovKind.HOSTLOV].first_day == date(2027, 10, 25)
    assert kinds[LovKind.SPORTLOV].first_day == date(2027, 3, 1)
    assert w.actions().count("lov.created") == 4


async def test_setting_a_period_again_moves_it(w: World) -> None:
    first = await act.set_period(LovKind.PASKLOV, 2027, date(2027, 3, 29), date(2027, 4, 4), w.uow, w.staff)
    again = await act.set_period(LovKind.PASKLOV, 2027, date(2027, 3, 30), date(2027, 4, 5), w.uow, w.staff)
    assert again.id == first.id and (again.first_day, again.last_day) == (date(2027, 3, 30), date(2027, 4, 5))
    assert len(await w.uow.activities.periods(w.town.id)) == 1


async def test_a_period_ending_before_it_starts_is_refused(w: World) -> None:
    with pytest.raises(ValidationError) as caught:
        await act.set_period(LovKind.PASKLOV, 2027, date(2027, 4, 4), date(2027, 3, 29), w.uow, w.staff)
    assert caught.value.problems[0].field == "last_day"
    assert await w.uow.activities.periods(w.town.id) == []


async def test_holidays_need_a_municipality_wide_grant(w: World) -> None:
    narrowed = Actor(uuid.uuid4(), w.town.id, frozenset({Grant(Role.ACTIVITIES_STAFF, uuid.uuid4())}))
    with pytest.raises(Forbidden):
        await act.generate_periods(2027, 8, w.uow, narrowed)


async def test_deleting_a_period_of_another_municipality_is_not_found(w: World) -> None:
    period = await act.set_period(LovKind.PASKLOV, 2027, date(2027, 3, 29), date(2027, 4, 4), w.uow, w.staff)
    stranger = Actor(uuid.uuid4(), uuid.uuid4(), frozenset({Grant(Role.ACTIVITIES_STAFF)}))
    with pytest.raises(NotFound):
        await act.delete_period(period.id, w.uow, stranger)
    await act.delete_period(period.id, w.uow, w.staff)
    assert await w.uow.activities.period(period.id) is None
    assert w.actions()[-1] == "lov.deleted"


# --- creating and editing


async def test_staff_create_a_draft(w: World) -> None:
    activity = await act.create_activity(draft(place="  Sidsjön ", description="  "), w.uow, w.staff)
    assert activity.status is ActivityStatus.DRAFT and activity.place == "Sidsjön" and activity.description == ""
    assert activity.created_by == w.staff.account_id
    assert w.actions() == ["activity.created"]


async def test_a_representative_creates_for_their_association_only(w: World) -> None:
    association, rep = await w.association()
    with pytest.raises(ValidationError) as caught:
        await act.create_activity(draft(), w.uow, rep)
    assert caught.value.problems[0].field == "association_id"
    with pytest.raises(Forbidden):
        await act.create_activity(draft(association_id=uuid.uuid4()), w.uow, rep)
    activity = await act.create_activity(draft(association_id=association.id), w.uow, rep)
    assert activity.association_id == association.id


async def test_an_unknown_area_is_named(w: World) -> None:
    with pytest.raises(ValidationError) as caught:
        await act.create_activity(draft(area_id=uuid.uuid4()), w.uow, w.staff)
    assert (caught.value.problems[0].field, caught.value.problems[0].code) == ("area_id", "unknown")


@pytest.mark.parametrize(("articles", "code"), [(("x", "x"), "duplicate"), (("not-an-id",), "format")])
async def test_lending_articles_are_checked(w: World, articles: tuple[str, ...], code: str) -> None:
    with pytest.raises(ValidationError) as caught:
        await act.create_activity(draft(lending_articles=articles), w.uow, w.staff)
    assert caught.value.problems[0].code == code


async def test_an_edit_changes_only_what_differs_and_is_audited(w: World) -> None:
    activity = await w.activity(publish=False)
    edited = await act.update_activity(activity.id, {"title": "Pingis", "capacity": 9, "bring": " Skor "}, w.uow,
                                       w.staff, w.clock, LINKS)
    assert (edited.capacity, edited.bring) == (9, "Skor")
    assert w.uow.audit_log[-1].details == {"fields": ["bring", "capacity"]}


async def test_an_edit_that_breaks_a_rule_changes_nothing(w: World) -> None:
    activity = await w.activity(publish=False)
    with pytest.raises(ValidationError):
        await act.update_activity(activity.id, {"title": "Nytt", "age_min": 30}, w.uow, w.staff, w.clock, LINKS)
    stored = await w.uow.activities.get(activity.id)
    assert stored is not None and (stored.title, stored.age_min) == ("Pingis", 6)


async def test_read_only_fields_are_refused(w: World) -> None:
    activity = await w.activity(publish=False)
    with pytest.raises(ValidationError) as caught:
        await act.update_activity(activity.id, {"status": "published"}, w.uow, w.staff, w.clock, LINKS)
    assert caught.value.problems[0].code == "read-only"


async def test_a_new_place_of_a_published_activity_is_told_to_those_signed_up(w: World) -> None:
    session = await w.session()
    await w.sign_up(session, await w.guardian())
    await act.update_activity(session.activity_id, {"place": "Badplatsen"}, w.uow, w.staff, w.clock, LINKS)
    assert w.outbox_kinds()[-1] == "activity.place_changed"
    assert "Badplatsen" in w.uow.outbox[-1].body


async def test_a_representative_edits_only_until_publication(w: World) -> None:
    association, rep = await w.association()
    activity = await act.create_activity(draft(association_id=association.id), w.uow, rep)
    await act.update_activity(activity.id, {"capacity": 12}, w.uow, rep, w.clock, LINKS)
    await act.publish_activity(activity.id, w.uow, rep)  # submitted
    await act.publish_activity(activity.id, w.uow, w.staff)  # approved
    with pytest.raises(Conflict, match="published"):
        await act.update_activity(activity.id, {"capacity": 14}, w.uow, rep, w.clock, LINKS)


# --- publishing and sending back


async def test_staff_publish_at_once(w: World) -> None:
    activity = await w.activity(publish=False)
    published = await act.publish_activity(activity.id, w.uow, w.staff)
    assert published.status is ActivityStatus.PUBLISHED and w.actions()[-1] == "activity.published"
    with pytest.raises(Conflict, match="already published"):
        await act.publish_activity(activity.id, w.uow, w.staff)


async def test_a_representative_submits_and_waits_for_approval(w: World) -> None:
    association, rep = await w.association()
    activity = await act.create_activity(draft(association_id=association.id), w.uow, rep)
    assert (await act.publish_activity(activity.id, w.uow, rep)).status is ActivityStatus.SUBMITTED
    with pytest.raises(Conflict, match="approval"):
        await act.publish_activity(activity.id, w.uow, rep)
    assert w.actions()[-1] == "activity.submitted"


async def test_sending_back_tells_the_author_why(w: World) -> None:
    association, rep = await w.association()
    activity = await act.create_activity(draft(association_id=association.id), w.uow, rep)
    await act.publish_activity(activity.id, w.uow, rep)
    back = await act.send_back_activity(activity.id, " Ange en plats. ", w.uow, w.staff)
    assert (back.status, back.review_note) == (ActivityStatus.DRAFT, "Ange en plats.")
    message = w.uow.outbox[-1]
    assert (message.kind, message.recipient) == ("activity.sent_back", "ordf@nacksta.se")
    assert "Ange en plats." in message.body


async def test_sending_back_needs_a_reason_staff_and_a_submitted_activity(w: World) -> None:
    association, rep = await w.association()
    activity = await act.create_activity(draft(association_id=association.id), w.uow, rep)
    with pytest.raises(ValidationError):
        await act.send_back_activity(activity.id, "  ", w.uow, w.staff)
    with pytest.raises(Conflict, match="submitted"):
        await act.send_back_activity(activity.id, "Ändra", w.uow, w.staff)
    await act.publish_activity(activity.id, w.uow, rep)
    with pytest.raises(Forbidden):  # sending back is for the staff, not the author
        await act.send_back_activity(activity.id, "Ändra", w.uow, rep)


async def test_another_association_does_not_see_the_activity(w: World) -> None:
    association, rep = await w.association()
    activity = await act.create_activity(draft(association_id=association.id), w.uow, rep)
    other = Actor(uuid.uuid4(), w.town.id, frozenset({Grant(Role.ASSOCIATION_REP, uuid.uuid4())}))
    with pytest.raises(NotFound):
        await act.publish_activity(activity.id, w.uow, other)


# --- cancelling an activity


async def test_cancelling_an_activity_cancels_its_coming_sessions_and_tells_guardians(w: World) -> None:
    session = await w.session()
    later = await act.add_sessions(act.NewSessions(session.activity_id, time(10), time(12), day=date(2027, 3, 17)),
                                   w.uow, w.staff, w.clock)
    await w.sign_up(session, await w.guardian())
    cancelled = await act.cancel_activity(session.activity_id, "Regn", w.uow, w.staff, w.clock, LINKS)
    assert (cancelled.status, cancelled.cancel_reason) == (ActivityStatus.CANCELLED, "Regn")
    sessions = await w.uow.activities.sessions_of(session.activity_id)
    assert [s.status for s in sessions] == [SessionStatus.CANCELLED, SessionStatus.CANCELLED]
    assert sessions[1].id == later.sessions[0].id
    assert w.outbox_kinds()[-1] == "activity.cancelled"
    with pytest.raises(Conflict):
        await act.cancel_activity(session.activity_id, None, w.uow, w.staff, w.clock, LINKS)


async def test_a_session_already_over_stays_as_it_was(w: World) -> None:
    session = await w.session(day=DAY)
    w.clock.move_to(session.ends_at)
    await act.cancel_activity(session.activity_id, None, w.uow, w.staff, w.clock, LINKS)
    stored = await w.uow.activities.get_session(session.id)
    assert stored is not None and stored.status is SessionStatus.SCHEDULED
