"""Sign-ups with fakes: first come first served, the waiting list, age bands, one place per child,
and cancellation with promotion (in the account and by the e-mailed link)."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from booking.domain.activities import services as act
from booking.domain.activities.model import RegistrationStatus
from booking.domain.people.roles import Actor, Grant, Role
from booking.domain.shared.errors import Conflict, Forbidden, NotFound, ValidationError
from tests.unit.activities_world import LINKS, World, new_world

CONFIRMED, WAITING, CANCELLED = RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING, RegistrationStatus.CANCELLED


@pytest.fixture
async def w() -> World:
    return await new_world()


async def test_first_come_first_served_then_the_waiting_list(w: World) -> None:
    session = await w.session(capacity=2)
    guardians = [await w.guardian() for _ in range(4)]
    signed = [(await w.sign_up(session, g, "Alva"))[0].registration for g in guardians]
    assert [r.status for r in signed] == [CONFIRMED, CONFIRMED, WAITING, WAITING]
    assert [r.queue_no for r in signed] == [1, 2, 3, 4]
    stored = await w.uow.activities.get_session(session.id)
    assert stored is not None and (stored.confirmed, stored.next_queue_no, stored.free_places) == (2, 5, 0)


async def test_a_sign_up_locks_the_session_and_the_account(w: World) -> None:
    session = await w.session()
    guardian = await w.guardian()
    await w.sign_up(session, guardian)
    assert ("activity_session", session.id) in w.uow.locks
    assert ("account", guardian.account_id) in w.uow.locks


async def test_siblings_in_one_sign_up_share_the_last_place_in_order(w: World) -> None:
    session = await w.session(capacity=1)
    signed = await w.sign_up(session, await w.guardian(), "Alva", "Bo")
    assert [(s.registration.first_name, s.registration.status) for s in signed] == [("Alva", CONFIRMED),
                                                                                   ("Bo", WAITING)]


async def test_confirmation_and_waiting_messages_go_to_the_guardian(w: World) -> None:
    session = await w.session(capacity=1)
    await w.sign_up(session, await w.guardian(), "Alva")
    await w.sign_up(session, await w.guardian(locale="en"), "Bo")
    assert w.outbox_kinds() == ["activity.confirmed", "activity.waiting"]
    confirmed, waiting = w.uow.outbox
    assert confirmed.subject == "Anmälan bekräftad: Pingis"
    assert "Biljett: https://boka.example.se/registrations.html?ticket=" in confirmed.body
    assert waiting.subject == "Waiting list: Pingis"
    assert "2027-03-10 10:00-12:00" in waiting.body  # local time of the session


async def test_the_cancel_link_in_the_message_carries_the_token(w: World) -> None:
    session = await w.session()
    signed = (await w.sign_up(session, await w.guardian()))[0]
    assert LINKS.cancel(signed.cancel_token) in w.uow.outbox[0].body
    assert signed.registration.cancel_token_hash == act.token_hash(signed.cancel_token)
    assert signed.cancel_token not in signed.registration.cancel_token_hash


async def test_sign_up_is_audited(w: World) -> None:
    session = await w.session()
    await w.sign_up(session, await w.guardian(), "Alva", "Bo")
    entry = w.uow.audit_log[-1]
    assert (entry.action, entry.entity_id, entry.details) == ("activity.signed_up", session.id, {"registrations": 2})


async def test_a_child_cannot_be_signed_up_twice_for_a_session(w: World) -> None:
    session = await w.session(capacity=5)
    guardian = await w.guardian()
    await w.sign_up(session, guardian, "Alva")
    with pytest.raises(Conflict) as caught:
        await w.sign_up(session, guardian, " alva ")  # the same child: case and spaces do not matter
    assert caught.value.conflicts == [{"field": "children[0]"}]
    assert len(await w.uow.activities.registrations_of(session.id)) == 1


async def test_two_children_of_one_name_but_other_birth_years_are_two_children(w: World) -> None:
    session = await w.session(capacity=5)
    guardian = await w.guardian()
    await w.sign_up(session, guardian, "Alva", birth_year=2017)
    assert (await w.sign_up(session, guardian, "Alva", birth_year=2015))[0].registration.status is CONFIRMED


async def test_a_child_cannot_be_in_two_sessions_at_once(w: World) -> None:
    one = await w.session()
    other = await w.session()  # another activity at the same time
    guardian = await w.guardian()
    await w.sign_up(one, guardian, "Alva")
    with pytest.raises(Conflict) as caught:
        await w.sign_up(other, guardian, "Alva")
    assert caught.value.conflicts == [{"field": "children[0]", "session_id": str(one.id)}]


async def test_after_cancelling_the_child_may_sign_up_elsewhere_at_that_time(w: World) -> None:
    one, other = await w.session(), await w.session()
    guardian = await w.guardian()
    first = (await w.sign_up(one, guardian, "Alva"))[0]
    await act.cancel_registration(w.uow, w.clock, LINKS, token=first.cancel_token)
    assert (await w.sign_up(other, guardian, "Alva"))[0].registration.status is CONFIRMED


async def test_the_same_child_listed_twice_is_refused(w: World) -> None:
    session = await w.session()
    with pytest.raises(ValidationError) as caught:
        await w.sign_up(session, await w.guardian(), "Alva", "ALVA")
    assert caught.value.problems[0].code == "duplicate"


@pytest.mark.parametrize(("count", "code"), [(0, "required"), (9, "too-many")])
async def test_how_many_children_at_a_time(w: World, count: int, code: str) -> None:
    session = await w.session()
    children = tuple(act.Child(f"Barn{i}", 2017) for i in range(count))
    with pytest.raises(ValidationError) as caught:
        await act.sign_up(act.SignUp(session.id, children), w.uow, await w.guardian(), w.clock, LINKS)
    assert caught.value.problems[0].code == code


@pytest.mark.parametrize("birth_year", [2021, 2013])  # 6 and 14 in 2027: outside 7-12
async def test_the_age_band_counts_the_age_turned_in_the_session_year(w: World, birth_year: int) -> None:
    session = await w.session(age_min=7, age_max=12)
    with pytest.raises(ValidationError) as caught:
        await w.sign_up(session, await w.guardian(), "Alva", birth_year=birth_year)
    assert (caught.value.problems[0].field, caught.value.problems[0].code) == ("children[0].birth_year", "age")


async def test_the_edges_of_the_age_band_are_inside(w: World) -> None:
    session = await w.session(capacity=5, age_min=7, age_max=12)
    guardian = await w.guardian()
    assert (await w.sign_up(session, guardian, "Liten", birth_year=2020))[0].registration.status is CONFIRMED
    assert (await w.sign_up(session, guardian, "Stor", birth_year=2015))[0].registration.status is CONFIRMED


async def test_a_birth_year_out_of_range_is_refused_before_anything_is_read(w: World) -> None:
    session = await w.session()
    with pytest.raises(ValidationError) as caught:
        await w.sign_up(session, await w.guardian(), "Alva", birth_year=1990)
    assert caught.value.problems[0].field == "children[0].birth_year"


async def test_a_young_person_of_13_signs_up_themselves(w: World) -> None:
    session = await w.session(age_min=10, age_max=16)
    young = await w.young_person()
    signed = await act.sign_up(act.SignUp(session.id, (act.Child("Kim", 2014),), self_sign_up=True), w.uow, young,
                               w.clock, LINKS)
    assert signed[0].registration.self_registered and signed[0].registration.status is CONFIRMED


async def test_under_13_a_guardian_signs_up(w: World) -> None:
    session = await w.session(age_min=10, age_max=16)
    with pytest.raises(ValidationError) as caught:
        await act.sign_up(act.SignUp(session.id, (act.Child("Kim", 2015),), self_sign_up=True), w.uow,
                          await w.young_person(), w.clock, LINKS)
    assert caught.value.problems[0].code == "too-young"


async def test_signing_yourself_up_names_only_yourself(w: World) -> None:
    session = await w.session(age_min=10, age_max=16)
    children = (act.Child("Kim", 2014), act.Child("Lo", 2014))
    with pytest.raises(ValidationError):
        await act.sign_up(act.SignUp(session.id, children, self_sign_up=True), w.uow, await w.young_person(),
                          w.clock, LINKS)


async def test_without_the_guardian_role_children_cannot_be_signed_up(w: World) -> None:
    session = await w.session()
    with pytest.raises(Forbidden):
        await w.sign_up(session, await w.young_person(), "Alva")


async def test_a_draft_activity_has_no_sessions_to_sign_up_for(w: World) -> None:
    session = await w.session(publish=False)
    with pytest.raises(NotFound):
        await w.sign_up(session, await w.guardian())


async def test_another_municipality_does_not_see_the_session(w: World) -> None:
    session = await w.session()
    stranger = Actor(uuid.uuid4(), uuid.uuid4(), frozenset({Grant(Role.GUARDIAN)}))
    with pytest.raises(NotFound):
        await w.sign_up(session, stranger)


async def test_sign_up_closes_when_the_session_begins(w: World) -> None:
    session = await w.session()
    w.clock.move_to(session.starts_at)
    with pytest.raises(Conflict, match="already begun"):
        await w.sign_up(session, await w.guardian())


async def test_sign_up_only_in_its_window(w: World) -> None:
    opens = w.clock.now() + timedelta(days=2)
    session = await w.session(signup_opens_at=opens, signup_closes_at=opens + timedelta(days=1))
    guardian = await w.guardian()
    with pytest.raises(Conflict, match="not open"):
        await w.sign_up(session, guardian)
    w.clock.move_to(opens)
    assert (await w.sign_up(session, guardian))[0].registration.status is CONFIRMED
    w.clock.move_to(opens + timedelta(days=1))
    with pytest.raises(Conflict, match="not open"):
        await w.sign_up(session, guardian, "Bo")


async def test_drop_in_needs_no_sign_up(w: World) -> None:
    session = await w.session(signup_required=False)
    with pytest.raises(Conflict, match="Drop-in"):
        await w.sign_up(session, await w.guardian())


async def test_a_refused_sign_up_stores_and_sends_nothing(w: World) -> None:
    session = await w.session(capacity=5)
    guardian = await w.guardian()
    await w.sign_up(session, guardian, "Alva")
    sent = len(w.uow.outbox)
    with pytest.raises(Conflict):
        await w.sign_up(session, guardian, "Bo", "Alva")  # Bo would fit, Alva is already there
    assert [r.first_name for r in await w.uow.activities.registrations_of(session.id)] == ["Alva"]
    stored = await w.uow.activities.get_session(session.id)
    assert stored is not None and stored.confirmed == 1 and stored.next_queue_no == 2
    assert len(w.uow.outbox) == sent


# --- cancellation and promotion


async def test_cancelling_a_place_promotes_the_first_waiting(w: World) -> None:
    session = await w.session(capacity=1)
    guardians = [await w.guardian() for _ in range(3)]
    first, second, third = [(await w.sign_up(session, g, "Alva"))[0] for g in guardians]
    cancelled, promoted = await act.cancel_registration(w.uow, w.clock, LINKS, actor=guardians[0],
                                                        registration_id=first.registration.id)
    assert cancelled.status is CANCELLED and cancelled.cancelled_at == w.clock.now()
    assert [p.id for p in promoted] == [second.registration.id]
    assert second.registration.status is CONFIRMED and third.registration.status is WAITING
    assert w.outbox_kinds()[-2:] == ["activity.unregistered", "activity.promoted"]
    assert w.uow.outbox[-1].recipient == "vh2@example.se"


async def test_cancelling_a_waiting_place_promotes_nobody(w: World) -> None:
    session = await w.session(capacity=1)
    await w.sign_up(session, await w.guardian())
    waiting = (await w.sign_up(session, await w.guardian()))[0]
    _, promoted = await act.cancel_registration(w.uow, w.clock, LINKS, token=waiting.cancel_token)
    assert promoted == []
    stored = await w.uow.activities.get_session(session.id)
    assert stored is not None and stored.confirmed == 1


async def test_cancel_by_the_emailed_link(w: World) -> None:
    session = await w.session()
    signed = (await w.sign_up(session, await w.guardian()))[0]
    registration, _ = await act.cancel_registration(w.uow, w.clock, LINKS, token=signed.cancel_token)
    assert registration.id == signed.registration.id and registration.status is CANCELLED
    audit = w.uow.audit_log[-1]
    assert (audit.action, audit.actor_id) == ("activity.unregistered", None)


@pytest.mark.parametrize(("token", "error"), [("short", ValidationError), ("x" * 22, NotFound)])
async def test_a_wrong_link_cancels_nothing(w: World, token: str, error: type[Exception]) -> None:
    await w.session()
    with pytest.raises(error):
        await act.cancel_registration(w.uow, w.clock, LINKS, token=token)


async def test_cancelling_twice_is_a_conflict(w: World) -> None:
    session = await w.session()
    signed = (await w.sign_up(session, await w.guardian()))[0]
    await act.cancel_registration(w.uow, w.clock, LINKS, token=signed.cancel_token)
    with pytest.raises(Conflict, match="already cancelled"):
        await act.cancel_registration(w.uow, w.clock, LINKS, token=signed.cancel_token)


async def test_another_guardian_cannot_cancel(w: World) -> None:
    session = await w.session()
    signed = (await w.sign_up(session, await w.guardian()))[0]
    with pytest.raises(NotFound):
        await act.cancel_registration(w.uow, w.clock, LINKS, actor=await w.guardian(),
                                      registration_id=signed.registration.id)
    assert signed.registration.status is CONFIRMED


async def test_staff_cancel_for_a_guardian(w: World) -> None:
    session = await w.session()
    signed = (await w.sign_up(session, await w.guardian()))[0]
    registration, _ = await act.cancel_registration(w.uow, w.clock, LINKS, actor=w.staff,
                                                    registration_id=signed.registration.id)
    assert registration.status is CANCELLED
    assert w.uow.audit_log[-1].actor_id == w.staff.account_id


async def test_no_cancelling_once_the_session_has_begun(w: World) -> None:
    session = await w.session()
    signed = (await w.sign_up(session, await w.guardian()))[0]
    w.clock.move_to(session.starts_at + timedelta(minutes=1))
    with pytest.raises(Conflict, match="already begun"):
        await act.cancel_registration(w.uow, w.clock, LINKS, token=signed.cancel_token)
    assert signed.registration.status is CONFIRMED
