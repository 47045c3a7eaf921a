"""Use cases of an association's public profile: its representatives write the draft, choose the public
training times and submit; staff verify (publish) or send back, and may unpublish."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from booking.domain.matching.ports import MatchingUnitOfWork
from booking.domain.matching.profile import AssociationProfile, ProfileFields, check_fields
from booking.domain.people.model import Association
from booking.domain.people.roles import Actor, Role
from booking.domain.shared.audit import AuditEntry
from booking.domain.shared.clock import Clock
from booking.domain.shared.errors import FieldProblem, Forbidden, NotFound, ValidationError
from booking.domain.shared.tenancy import of_municipality

STAFF = (Role.PREMISES_STAFF, Role.ACTIVITIES_STAFF)


@dataclass(frozen=True)
class ProfileState:
    association: Association
    profile: AssociationProfile | None


async def _visible(uow: MatchingUnitOfWork, association_id: UUID, actor: Actor) -> Association:
    association = await uow.associations.get(association_id)
    if association is None or not association.visible_to(actor):
        raise NotFound("Association", association_id)
    return association


async def _represented(uow: MatchingUnitOfWork, association_id: UUID, actor: Actor) -> Association:
    association = await _visible(uow, association_id, actor)
    if not (actor.represents(association_id) or actor.is_admin):
        raise Forbidden("Only the association's representatives (or the municipality's admin) do this.")
    return association


async def _staff_view(uow: MatchingUnitOfWork, association_id: UUID, actor: Actor) -> AssociationProfile:
    of_municipality(await uow.associations.get(association_id), actor.municipality_id, "association",
                    association_id)
    profile = await uow.matching.profile(association_id)
    if profile is None:
        raise NotFound("Profile of association", association_id)
    return profile


def _audit(actor: Actor, action: str, association_id: UUID, details: dict[str, Any] | None = None) -> AuditEntry:
    return AuditEntry(actor.municipality_id, actor.account_id, action, "association", association_id,
                      details or {})


async def get_profile(association_id: UUID, uow: MatchingUnitOfWork, actor: Actor) -> ProfileState:
    async with uow:
        association = await _visible(uow, association_id, actor)
        return ProfileState(association, await uow.matching.profile(association_id))


async def save_draft(association_id: UUID, fields: ProfileFields, contact_id: UUID | None,
                     uow: MatchingUnitOfWork, actor: Actor) -> ProfileState:
    """Its representatives (or staff) write the draft; a published version stays public meanwhile."""
    async with uow:
        association = await _visible(uow, association_id, actor)
        categories = {c.id for c in await uow.matching.categories(association.municipality_id)}
        areas = {a.id for a in await uow.areas.of_municipality(association.municipality_id)}
        problems: list[FieldProblem] = []
        try:
            fields = check_fields(fields, categories=categories, areas=areas)
        except ValidationError as exc:
            problems.extend(exc.problems)
        if contact_id is not None and contact_id not in await uow.matching.contact_ids(association_id):
            problems.append(FieldProblem("contact_id", "Not one of the association's contact persons.", "unknown"))
        if problems:
            raise ValidationError.many(problems)
        profile = await uow.matching.profile(association_id)
        if profile is None:
            profile = AssociationProfile(association.municipality_id, association_id, fields, contact_id=contact_id)
        else:
            profile.edit(fields, contact_id)
        await uow.matching.save_profile(profile)
        uow.audit(_audit(actor, "association.profile_saved", association_id))
        await uow.commit()
        return ProfileState(association, profile)


async def submit_profile(association_id: UUID, uow: MatchingUnitOfWork, actor: Actor) -> ProfileState:
    async with uow:
        association = await _represented(uow, association_id, actor)
        profile = await uow.matching.profile(association_id)
        if profile is None:
            raise ValidationError("profile", "Write the profile before submitting it.", "required")
        profile.submit()
        await uow.matching.save_profile(profile)
        uow.audit(_audit(actor, "association.profile_submitted", association_id))
        await uow.commit()
        return ProfileState(association, profile)


async def verify_profile(association_id: UUID, approve: bool, note: str | None, uow: MatchingUnitOfWork,
                         actor: Actor, clock: Clock) -> ProfileState:
    """Staff publish the submitted draft, or send it back with a note."""
    async with uow:
        profile = await _staff_view(uow, association_id, actor)
        association = await _visible(uow, association_id, actor)
        if approve:
            profile.verify(actor.account_id, clock.now(), association_verified=association.is_verified)
        else:
            profile.send_back(note or "")
        await uow.matching.save_profile(profile)
        uow.audit(_audit(actor, "association.profile_verified" if approve else "association.profile_sent_back",
                         association_id))
        await uow.commit()
        return ProfileState(association, profile)


async def unpublish_profile(association_id: UUID, uow: MatchingUnitOfWork, actor: Actor) -> ProfileState:
    async with uow:
        profile = await _staff_view(uow, association_id, actor)
        association = await _visible(uow, association_id, actor)
        profile.unpublish()
        await uow.matching.save_profile(profile)
        uow.audit(_audit(actor, "association.profile_unpublished", association_id))
        await uow.commit()
        return ProfileState(association, profile)


async def set_public_times(association_id: UUID, booking_ids: Sequence[UUID], series_ids: Sequence[UUID],
                           uow: MatchingUnitOfWork, actor: Actor, clock: Clock) -> None:
    """Exactly these of the association's approved bookings and series show on its profile; an id that is
    not one of them is refused (422 naming `booking_ids[i]` / `series_ids[i]`), nothing changed."""
    async with uow:
        await _represented(uow, association_id, actor)
        bookings, series = await uow.matching.own_approved(association_id, booking_ids, series_ids, clock.now())
        problems = [FieldProblem(f"booking_ids[{i}]", "Not an approved, upcoming booking of the association.",
                                 "unknown") for i, b in enumerate(booking_ids) if b not in bookings]
        problems += [FieldProblem(f"series_ids[{i}]", "Not an approved, upcoming series of the association.",
                                  "unknown") for i, s in enumerate(series_ids) if s not in series]
        if problems:
            raise ValidationError.many(problems)
        await uow.matching.set_public_times(association_id, sorted(set(booking_ids)), sorted(set(series_ids)))
        uow.audit(_audit(actor, "association.public_times_set", association_id,
                         {"bookings": len(set(booking_ids)), "series": len(set(series_ids))}))
        await uow.commit()
