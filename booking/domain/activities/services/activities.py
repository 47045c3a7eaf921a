"""Activities: creating and editing them, publishing (or an association submitting), sending back,
and cancelling with their coming sessions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from booking.domain.activities import scope
from booking.domain.activities.model import (
    Activity,
    ActivityStatus,
    Category,
    SessionStatus,
    TargetGroup,
    optional_text,
)
from booking.domain.activities.ports import ActivitiesUnitOfWork
from booking.domain.activities.services.access import activity_to_edit
from booking.domain.activities.services.links import Links
from booking.domain.activities.services.notices import audit, tell_active, tell_author_sent_back
from booking.domain.activities.services.rooms import free_rooms
from booking.domain.people.roles import Actor
from booking.domain.premises.model import Space
from booking.domain.shared.clock import Clock
from booking.domain.shared.errors import Conflict, Forbidden, ValidationError, expect
from booking.domain.shared.tenancy import of_municipality
from booking.domain.shared.text import clean_text

# The fields an edit may change (the association, the space and the status have their own ways).
EDITABLE = frozenset({
    "title", "description", "translations", "category", "organiser", "age_min", "age_max", "target_group",
    "area_id", "place", "capacity", "signup_required", "signup_opens_at", "signup_closes_at", "cost", "languages",
    "adapted", "wheelchair_access", "bring", "lending_articles", "contact"})


@dataclass(frozen=True)
class ActivityDraft:
    title: str
    category: Category
    organiser: str
    age_min: int
    age_max: int
    description: str = ""
    translations: dict[str, dict[str, str]] = field(default_factory=dict)
    association_id: UUID | None = None
    target_group: TargetGroup = TargetGroup.ALL
    area_id: UUID | None = None
    space_id: UUID | None = None
    place: str | None = None
    capacity: int = 20
    signup_required: bool = True
    signup_opens_at: datetime | None = None
    signup_closes_at: datetime | None = None
    cost: Decimal = Decimal("0")
    languages: tuple[str, ...] = ("sv",)
    adapted: bool = False
    wheelchair_access: bool = False
    bring: str | None = None
    lending_articles: tuple[str, ...] = ()
    contact: str | None = None


def _description(value: str) -> str:
    return (clean_text(value, "description") or "") if value.strip() else ""


def _translations(value: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    return {k: {f: clean_text(v, f"translations.{k}.{f}") or "" for f, v in t.items()} for k, t in value.items()}


def _new_activity(draft: ActivityDraft, actor: Actor, area_id: UUID | None) -> Activity:
    return Activity(
        municipality_id=actor.municipality_id, title=draft.title, category=draft.category,
        organiser=draft.organiser, age_min=draft.age_min, age_max=draft.age_max, created_by=actor.account_id,
        description=_description(draft.description), translations=_translations(draft.translations),
        association_id=draft.association_id, target_group=draft.target_group, area_id=area_id,
        space_id=draft.space_id, place=optional_text(draft.place, "place"), capacity=draft.capacity,
        signup_required=draft.signup_required, signup_opens_at=draft.signup_opens_at,
        signup_closes_at=draft.signup_closes_at, cost=draft.cost, languages=list(draft.languages),
        adapted=draft.adapted, wheelchair_access=draft.wheelchair_access, bring=optional_text(draft.bring, "bring"),
        lending_articles=list(draft.lending_articles), contact=optional_text(draft.contact, "contact"))


async def create_activity(draft: ActivityDraft, uow: ActivitiesUnitOfWork, actor: Actor) -> Activity:
    """Leisure staff (at the site of the space, if one is given), or an association's representative
    for their (verified) association: a draft."""
    async with uow:
        staff_here = await _creates_as_staff(draft, uow, actor)
        await _check_references(draft, uow, actor)
        area_id = await _area_of(draft, staff_here, uow, actor)
        await _check_articles(draft.lending_articles, uow, actor)
        activity = _new_activity(draft, actor, area_id)
        uow.activities.add(activity)
        audit(uow, actor, "activity.created", "activity", activity.id, actor.municipality_id)
        await uow.commit()
        return activity


async def _space(space_id: UUID, uow: ActivitiesUnitOfWork, actor: Actor) -> Space:
    return of_municipality(await uow.spaces.get(space_id), actor.municipality_id, "space", space_id, "space_id")


async def _creates_as_staff(draft: ActivityDraft, uow: ActivitiesUnitOfWork, actor: Actor) -> bool:
    """True for staff at the space's site; False for a representative of the draft's association;
    otherwise refused."""
    staff = scope.is_staff(actor)
    site_id = (await _space(draft.space_id, uow, actor)).site_id if staff and draft.space_id is not None else None
    if staff and actor.acts_at(site_id, scope.STAFF):
        return True
    if staff and not (draft.association_id is not None and actor.represents(draft.association_id)):
        actor.require_site(site_id, scope.STAFF)
    if draft.association_id is None:
        raise ValidationError("association_id", "Say which association offers the activity.", "required")
    if not actor.represents(draft.association_id):
        raise Forbidden("You do not represent this association.")
    return False


async def _check_references(draft: ActivityDraft, uow: ActivitiesUnitOfWork, actor: Actor) -> None:
    if draft.association_id is not None:
        of_municipality(await uow.associations.get(draft.association_id),
                        actor.municipality_id, "association", draft.association_id, "association_id")
    if draft.area_id is not None:
        of_municipality(await uow.areas.get(draft.area_id), actor.municipality_id, "area", draft.area_id, "area_id")


async def _area_of(draft: ActivityDraft, staff_here: bool, uow: ActivitiesUnitOfWork, actor: Actor) -> UUID | None:
    """The area given, else the area of the space's site. Only staff give a space."""
    if draft.space_id is None:
        return draft.area_id
    if not staff_here:
        raise ValidationError("space_id", "Leisure staff reserve rooms for activities; leave it out.", "staff-only")
    space = await _space(draft.space_id, uow, actor)
    if draft.area_id is not None:
        return draft.area_id
    site = await uow.sites.get(space.site_id)
    return site.area_id if site else None


async def _check_articles(articles: Sequence[str], uow: ActivitiesUnitOfWork, actor: Actor) -> None:
    """Each id names an article of the municipality's lending catalogue (Fritidsbanken)."""
    if len(set(articles)) != len(articles):
        raise ValidationError("lending_articles", "An article is listed twice.", "duplicate")
    for i, article in enumerate(articles):
        try:
            ident = UUID(article)
        except (ValueError, TypeError):
            raise ValidationError(f"lending_articles[{i}]", "A lending article id.", "format") from None
        of_municipality(await uow.lending.get_article(ident), actor.municipality_id,
                        "article in the lending catalogue", ident, f"lending_articles[{i}]")


def clean_changes(changes: dict[str, Any]) -> dict[str, Any]:
    """An edit's fields, cleaned as on creation; a field that may not be changed here is refused."""
    unknown = set(changes) - EDITABLE
    if unknown:
        raise ValidationError(sorted(unknown)[0], "This field cannot be changed here.", "read-only")
    clean = dict(changes)
    for name in ("place", "bring", "contact"):
        if name in clean:
            clean[name] = optional_text(clean[name], name)
    if "description" in clean:
        clean["description"] = _description(clean["description"])
    if "translations" in clean:
        clean["translations"] = _translations(clean["translations"])
    for name in ("languages", "lending_articles"):
        if name in clean:
            clean[name] = list(clean[name])
    return clean


def apply_changes(activity: Activity, clean: dict[str, Any]) -> list[str]:
    """Validate the changes on a copy (the model's own checks), then apply; answers what changed."""
    candidate = replace(activity, **clean)
    changed = sorted(k for k in clean if getattr(candidate, k) != getattr(activity, k))
    for name in changed:
        setattr(activity, name, getattr(candidate, name))
    return changed


async def update_activity(activity_id: UUID, changes: dict[str, Any], uow: ActivitiesUnitOfWork, actor: Actor,
                          clock: Clock, links: Links) -> Activity:
    """Change an activity's descriptive fields. Validated as on creation; nothing changes on a refusal.
    Staff edit until it is cancelled; an association's representative only its draft or submitted one.
    When the place of a published activity changes, everyone signed up for a coming session is told
    (times are per session: moving a session tells them too)."""
    clean = clean_changes(changes)
    now = clock.now()
    async with uow:
        activity, staff = await activity_to_edit(uow, actor, activity_id)
        if not activity.editable_by(staff):
            raise Conflict("A cancelled activity cannot be changed." if activity.status is ActivityStatus.CANCELLED
                           else "The activity is published: ask the leisure staff to change it.")
        if clean.get("area_id") is not None:
            of_municipality(await uow.areas.get(clean["area_id"]),
                            actor.municipality_id, "area", clean["area_id"], "area_id")
        if "lending_articles" in clean:
            await _check_articles(clean["lending_articles"], uow, actor)
        changed = apply_changes(activity, clean)
        if "place" in changed and activity.status is ActivityStatus.PUBLISHED:
            await _tell_new_place(uow, activity, now, links)
        audit(uow, actor, "activity.updated", "activity", activity.id, actor.municipality_id, fields=changed)
        await uow.commit()
        return activity


async def _tell_new_place(uow: ActivitiesUnitOfWork, activity: Activity, now: datetime, links: Links) -> None:
    for session in await uow.activities.sessions_of(activity.id):
        if session.status is not SessionStatus.CANCELLED and session.starts_at > now:
            await tell_active(uow, "activity.place_changed", activity, session, links, reason=activity.place or "-")


async def send_back_activity(activity_id: UUID, reason: str, uow: ActivitiesUnitOfWork, actor: Actor) -> Activity:
    """Staff return an association's submitted activity as a draft with the reason (the representative
    sees it, may change the activity and submit it again)."""
    note = optional_text(reason, "reason")
    if note is None:
        raise ValidationError("reason", "Say what the association should change.", "required")
    async with uow:
        activity, _ = await activity_to_edit(uow, actor, activity_id, staff_only=True)
        activity.send_back(note)
        audit(uow, actor, "activity.sent_back", "activity", activity.id, actor.municipality_id, reason=note)
        await tell_author_sent_back(uow, activity, note)  # in the same transaction (the outbox)
        await uow.commit()
        return activity


async def publish_activity(activity_id: UUID, uow: ActivitiesUnitOfWork, actor: Actor) -> Activity:
    """Staff publish (or approve an association's submitted activity); a representative submits."""
    async with uow:
        activity, staff = await activity_to_edit(uow, actor, activity_id)
        activity.publish(by_staff=staff)
        audit(uow, actor, f"activity.{activity.status}", "activity", activity.id, actor.municipality_id)
        await uow.commit()
        return activity


async def cancel_activity(activity_id: UUID, reason: str | None, uow: ActivitiesUnitOfWork, actor: Actor,
                          clock: Clock, links: Links) -> Activity:
    """The activity and its coming sessions are cancelled; the record stays; those signed up are told;
    the rooms are freed."""
    now = clock.now()
    reason = optional_text(reason, "reason")
    async with uow:
        activity, _ = await activity_to_edit(uow, actor, activity_id)
        activity.cancel(reason)
        bookings: list[UUID] = []
        for session in await uow.activities.sessions_of(activity.id):
            if session.status is SessionStatus.CANCELLED or session.ends_at <= now:
                continue
            locked = expect(await uow.activities.get_session(session.id, lock=True), "activity's session")
            locked.cancel()
            if locked.booking_id:
                bookings.append(locked.booking_id)
            await tell_active(uow, "activity.cancelled", activity, locked, links, reason)
        audit(uow, actor, "activity.cancelled", "activity", activity.id, actor.municipality_id, reason=reason)
        await free_rooms(bookings, reason, uow, actor, clock)
        await uow.commit()
        return activity
