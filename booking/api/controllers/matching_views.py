"""Mapping the föreningsmatchning read models and profiles to API schemas (shared by the profile,
directory and category controllers)."""

from __future__ import annotations

from uuid import UUID

from booking.adapters.db.queries_matching import MatchingQueries, TimeChoice
from booking.api.schemas import matching_profiles as s
from booking.domain.matching import training_times as tt
from booking.domain.matching.categories import InterestCategory
from booking.domain.matching.directory import Names
from booking.domain.matching.profile import Accessibility, ProfileFields
from booking.domain.matching.profile_services import ProfileState
from booking.domain.shared.clock import Clock


def hhmm(value: object) -> str:
    return value.strftime("%H:%M")  # type: ignore[attr-defined, no-any-return]


def to_category(c: InterestCategory) -> s.InterestCategory:
    return s.InterestCategory(c.id, c.name, c.name_en, c.position)


def to_accessibility(a: Accessibility) -> s.Accessibility:
    return s.Accessibility(a.step_free, a.accessible_toilet, a.hearing_loop, a.notes)


def to_fields(f: ProfileFields) -> s.ProfileFields:
    return s.ProfileFields(
        interests=list(f.interests), age_min=f.age_min, age_max=f.age_max, for_whom=list(f.for_whom),  # type: ignore[arg-type]
        description=f.description, areas=list(f.areas), languages=list(f.languages),
        membership_fee=f.membership_fee, free_to_try=f.free_to_try, try_out_text=f.try_out_text,
        accessibility=to_accessibility(f.accessibility), website=f.website)


def from_fields(data: s.ProfileFields) -> ProfileFields:
    a = data.accessibility
    return ProfileFields(
        interests=tuple(data.interests), age_min=data.age_min, age_max=data.age_max, for_whom=tuple(data.for_whom),
        description=data.description, areas=tuple(data.areas), languages=tuple(data.languages),
        membership_fee=data.membership_fee, free_to_try=data.free_to_try, try_out_text=data.try_out_text,
        accessibility=Accessibility(a.step_free, a.accessible_toilet, a.hearing_loop, a.notes), website=data.website)


def to_regular(r: tt.RegularTime) -> s.RegularTime:
    return s.RegularTime(r.weekday, hhmm(r.start), hhmm(r.end), r.site_name, r.space_name, r.dates, r.next_date)


def to_times(times: tt.TrainingTimes) -> s.TrainingTimes:
    return s.TrainingTimes([to_regular(r) for r in times.regular],
                           [s.SingleDate(d.day, hhmm(d.start), hhmm(d.end), d.site_name, d.space_name)
                            for d in times.single])


def to_choice(c: TimeChoice) -> s.TimeChoice:
    return s.TimeChoice(c.kind, c.id, c.day, hhmm(c.start), hhmm(c.end), c.site_name, c.space_name,  # type: ignore[arg-type]
                        c.dates, c.public)


def interests_of(ids: tuple[UUID, ...], names: Names) -> list[s.InterestRef]:
    return [s.InterestRef(i, *names.interests[i]) for i in ids if i in names.interests]


def areas_of(ids: tuple[UUID, ...], names: Names) -> list[s.NamedRef]:
    return [s.NamedRef(i, names.areas[i]) for i in ids if i in names.areas]


async def profile_out(state: ProfileState, mq: MatchingQueries, clock: Clock) -> s.AssociationProfile:
    a, p = state.association, state.profile
    now = clock.now()
    choices = await mq.time_choices(a.municipality_id, a.id, now)
    times = (await mq.training_times(a.municipality_id, [a.id], now)).get(a.id, tt.TrainingTimes())
    return s.AssociationProfile(
        association_id=a.id, association_name=a.name, association_verified=a.is_verified,
        status=p.status if p else None, draft=to_fields(p.draft) if p else None,
        published=to_fields(p.published) if p and p.published else None,
        published_at=p.published_at if p else None, review_note=p.review_note if p else None,
        contact_id=p.contact_id if p else None, requests_paused=p.requests_paused if p else False,
        contacts=[s.ContactChoice(i, n) for i, n in await mq.contacts(a.id)],
        time_choices=[to_choice(c) for c in choices], training_times=to_times(times))
