"""The season allocation round with fakes: applications, the run, staff adjustments, and publishing
the proposal as approved weekly series (holidays and times taken meanwhile left out and reported)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time

import pytest

from booking.domain.people.model import Account, Association, AssociationCategory
from booking.domain.people.roles import Actor, Grant, Role
from booking.domain.premises import allocation_applications, allocation_publish, allocation_rounds, allocation_run
from booking.domain.premises.allocation import AgeBand, AllocationRound, RoundState
from booking.domain.premises.bookings import BookingStatus
from booking.domain.shared.errors import Conflict, Forbidden, NotFound, ValidationError
from tests.unit.premises_world import World, build_world, local

MONDAY = 0
SEASON = allocation_rounds.RoundFields("Vårsäsong 2027", date(2027, 3, 15), date(2027, 4, 11), date(2027, 3, 5),
                                       time(12))
AFTER_DEADLINE = datetime(2027, 3, 6, 9, 0, tzinfo=UTC)


@pytest.fixture
async def world() -> World:
    return await build_world()


@pytest.fixture
async def rivals(world: World) -> tuple[Association, Actor]:
    """An adult association of the same town with a representative."""
    association = Association(world.town.id, "Sundsvalls BK", "802000-0009", AssociationCategory.ADULT)
    association.verify(uuid.uuid4(), world.clock.now())
    world.uow.associations.add(association)
    account = Account(world.town.id, "ordf@sbk.se", "Ordförande")
    world.uow.accounts.add(account)
    await world.uow.commit()
    return association, Actor(account.id, world.town.id, frozenset({Grant(Role.ASSOCIATION_REP, association.id)}))


async def open_round(world: World) -> AllocationRound:
    round_ = await allocation_rounds.create_round(SEASON, world.uow, world.staff)
    return await allocation_rounds.open_round(round_.id, world.uow, world.staff, world.clock)


def wish(world: World, association: Association, *preferences: tuple[uuid.UUID, int, time], participants: int = 20,
         age_band: AgeBand = AgeBand.ADULTS, flex: int = 0) -> allocation_applications.ApplicationFields:
    return allocation_applications.ApplicationFields(association.id, f"Träning {association.name}", age_band,
                                                     participants, 90, preferences, flex_minutes=flex)


async def apply(world: World, round_: AllocationRound, fields: allocation_applications.ApplicationFields,
                actor: Actor | None = None) -> uuid.UUID:
    application = await allocation_applications.submit_application(round_.id, fields, world.uow, actor or world.rep,
                                                                   world.clock)
    return application.id


async def run(world: World, round_: AllocationRound) -> AllocationRound:
    world.clock.move_to(AFTER_DEADLINE)
    return await allocation_run.run_allocation(round_.id, world.uow, world.staff, world.clock)


def decision_of(round_: AllocationRound, application_id: uuid.UUID) -> dict[str, object]:
    assert round_.proposal is not None
    return next(d for d in round_.proposal if d["application_id"] == str(application_id))


async def test_a_new_round_is_a_draft_with_the_default_rules(world: World) -> None:
    round_ = await allocation_rounds.create_round(SEASON, world.uow, world.staff)
    assert round_.state is RoundState.DRAFT
    assert round_.deadline == local(date(2027, 3, 5), time(12))
    assert [r["key"] for r in round_.rules] == ["youth", "previous_holder", "local", "participants"]


async def test_only_premises_staff_create_rounds(world: World) -> None:
    with pytest.raises(Forbidden):
        await allocation_rounds.create_round(SEASON, world.uow, world.rep)


async def test_a_draft_round_does_not_exist_for_associations(world: World) -> None:
    round_ = await allocation_rounds.create_round(SEASON, world.uow, world.staff)
    with pytest.raises(NotFound):
        await allocation_rounds.get_round(round_.id, world.uow, world.rep)


async def test_an_application_for_a_closed_weekday_time_names_the_preference(world: World) -> None:
    round_ = await open_round(world)
    with pytest.raises(ValidationError) as caught:
        await apply(world, round_, wish(world, world.club, (world.gym.id, MONDAY, time(21))))
    assert caught.value.problems[0].field == "preferences[0].start"


async def test_an_application_for_a_too_small_space_is_refused(world: World) -> None:
    round_ = await open_round(world)
    with pytest.raises(ValidationError) as caught:
        await apply(world, round_, wish(world, world.club, (world.gym.id, MONDAY, time(18)), participants=60))
    assert caught.value.problems[0].code == "capacity"


async def test_applications_close_at_the_deadline(world: World) -> None:
    round_ = await open_round(world)
    world.clock.move_to(AFTER_DEADLINE)
    with pytest.raises(Conflict) as caught:
        await apply(world, round_, wish(world, world.club, (world.gym.id, MONDAY, time(18))))
    assert caught.value.conflicts[0]["field"] == "deadline"


async def test_the_run_waits_for_the_deadline(world: World) -> None:
    round_ = await open_round(world)
    with pytest.raises(Conflict):
        await allocation_run.run_allocation(round_.id, world.uow, world.staff, world.clock)


async def test_the_youth_association_wins_the_contested_slot(world: World,
                                                            rivals: tuple[Association, Actor]) -> None:
    round_ = await open_round(world)
    theirs = await apply(world, round_, wish(world, rivals[0], (world.gym.id, MONDAY, time(18))), rivals[1])
    ours = await apply(world, round_, wish(world, world.club, (world.gym.id, MONDAY, time(18)),
                                           age_band=AgeBand.TEENS))
    round_ = await run(world, round_)
    assert round_.state is RoundState.ALLOCATED
    assert decision_of(round_, ours)["outcome"] == "granted"
    assert decision_of(round_, theirs)["outcome"] == "denied"


async def test_the_loser_gets_its_second_wish(world: World, rivals: tuple[Association, Actor]) -> None:
    round_ = await open_round(world)
    theirs = await apply(world, round_, wish(world, rivals[0], (world.gym.id, MONDAY, time(18)),
                                             (world.hall.id, MONDAY, time(18))), rivals[1])
    await apply(world, round_, wish(world, world.club, (world.gym.id, MONDAY, time(18)), age_band=AgeBand.TEENS))
    round_ = await run(world, round_)
    decision = decision_of(round_, theirs)
    assert decision["outcome"] == "moved"
    assert decision["slot"]["space_id"] == str(world.hall.id)  # type: ignore[index]


async def test_withdrawn_applications_are_left_out_of_the_run(world: World) -> None:
    round_ = await open_round(world)
    ours = await apply(world, round_, wish(world, world.club, (world.gym.id, MONDAY, time(18))))
    await allocation_applications.withdraw_application(round_.id, ours, world.uow, world.rep, world.clock)
    round_ = await run(world, round_)
    assert round_.proposal == []


async def test_publishing_creates_an_approved_weekly_series_without_the_holiday(world: World) -> None:
    round_ = await open_round(world)
    ours = await apply(world, round_, wish(world, world.club, (world.gym.id, MONDAY, time(18))))
    round_ = await run(world, round_)
    world.uow.outbox.clear()
    round_ = await allocation_publish.publish(round_.id, world.uow, world.staff, world.clock)
    assert round_.state is RoundState.PUBLISHED
    [report] = round_.report or []
    assert (report["application_id"], report["booked"]) == (str(ours), 3)
    assert [s["date"] for s in report["skipped"]] == ["2027-03-29"]  # Annandag påsk
    created = await world.uow.bookings.of_series(uuid.UUID(report["series_id"]))
    assert [b.starts_at for b in created] == [local(date(2027, m, d), time(18)) for m, d in ((3, 15), (3, 22),
                                                                                               (4, 5))]
    assert all(b.status is BookingStatus.APPROVED and world.uow.bookings.held(b) for b in created)
    assert [m.kind for m in world.uow.outbox] == ["allocation.granted"]
    assert "2027-03-29" in world.uow.outbox[0].body


async def test_a_time_booked_after_the_run_is_left_out_and_reported(world: World) -> None:
    round_ = await open_round(world)
    await apply(world, round_, wish(world, world.club, (world.gym.id, MONDAY, time(18))))
    round_ = await run(world, round_)
    taken = await world.approved(world.gym, date(2027, 3, 22), time(19), time(20), association_id=None)
    round_ = await allocation_publish.publish(round_.id, world.uow, world.staff, world.clock)
    [report] = round_.report or []
    conflict = next(s for s in report["skipped"] if s["rule"] == "conflict")
    assert conflict["date"] == "2027-03-22"
    assert conflict["conflicts"][0]["booking_id"] == str(taken.id)
    assert taken.status is BookingStatus.APPROVED
    assert report["booked"] == 2


async def test_the_denied_association_is_told(world: World, rivals: tuple[Association, Actor]) -> None:
    round_ = await open_round(world)
    await apply(world, round_, wish(world, rivals[0], (world.gym.id, MONDAY, time(18))), rivals[1])
    await apply(world, round_, wish(world, world.club, (world.gym.id, MONDAY, time(18)), age_band=AgeBand.TEENS))
    round_ = await run(world, round_)
    world.uow.outbox.clear()
    await allocation_publish.publish(round_.id, world.uow, world.staff, world.clock)
    assert sorted((m.kind, m.recipient) for m in world.uow.outbox) == [
        ("allocation.denied", "ordf@sbk.se"), ("allocation.granted", world.rep_account.email)]


async def test_publishing_twice_changes_nothing(world: World) -> None:
    round_ = await open_round(world)
    await apply(world, round_, wish(world, world.club, (world.gym.id, MONDAY, time(18))))
    round_ = await run(world, round_)
    await allocation_publish.publish(round_.id, world.uow, world.staff, world.clock)
    stored = dict(world.uow.bookings.items)
    again = await allocation_publish.publish(round_.id, world.uow, world.staff, world.clock)
    assert again.state is RoundState.PUBLISHED
    assert world.uow.bookings.items == stored


async def test_publishing_before_the_run_is_a_conflict(world: World) -> None:
    round_ = await open_round(world)
    with pytest.raises(Conflict):
        await allocation_publish.publish(round_.id, world.uow, world.staff, world.clock)


async def test_staff_move_an_application_to_another_slot(world: World) -> None:
    round_ = await open_round(world)
    ours = await apply(world, round_, wish(world, world.club, (world.gym.id, MONDAY, time(18))))
    round_ = await run(world, round_)
    round_ = await allocation_run.adjust(round_.id, allocation_run.Adjustment(ours, space_id=world.hall.id, weekday=1,
                                                                       start=time(17)), world.uow, world.staff)
    decision = decision_of(round_, ours)
    assert decision["outcome"] == "moved"
    assert decision["slot"] == {"space_id": str(world.hall.id), "weekday": 1, "start": "17:00", "end": "18:30"}


async def test_staff_deny_an_application(world: World) -> None:
    round_ = await open_round(world)
    ours = await apply(world, round_, wish(world, world.club, (world.gym.id, MONDAY, time(18))))
    round_ = await run(world, round_)
    round_ = await allocation_run.adjust(round_.id, allocation_run.Adjustment(ours, deny=True), world.uow, world.staff)
    assert decision_of(round_, ours)["outcome"] == "denied"


async def test_an_adjustment_onto_a_granted_slot_names_the_application_in_the_way(
        world: World, rivals: tuple[Association, Actor]) -> None:
    round_ = await open_round(world)
    ours = await apply(world, round_, wish(world, world.club, (world.gym.id, MONDAY, time(18))))
    theirs = await apply(world, round_, wish(world, rivals[0], (world.gym.id, 1, time(18))), rivals[1])
    round_ = await run(world, round_)
    with pytest.raises(Conflict) as caught:
        await allocation_run.adjust(round_.id, allocation_run.Adjustment(ours, space_id=world.gym.id, weekday=1,
                                                                 start=time(18)), world.uow, world.staff)
    [clash] = caught.value.conflicts
    assert (clash["code"], clash["application_id"]) == ("taken_by_application", str(theirs))
