"""The public directory of associations and an association's public page: published profiles only, and
no personal data (no contact persons, e-mail addresses, phone numbers or representatives)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, get
from litestar.params import Parameter

from booking.adapters.db.queries import Queries
from booking.adapters.db.queries_matching import MatchingQueries
from booking.api.access import PUBLIC, guarded
from booking.api.controllers.activities_views import municipality_of
from booking.api.controllers.matching_views import areas_of, interests_of, to_accessibility, to_regular, to_times
from booking.api.controllers.params import PRINTABLE, LimitQ, MunicipalityQ, OffsetQ, SearchQ
from booking.api.schemas import matching_profiles as s
from booking.domain.matching.directory import LANGUAGE_NAMES, DirectoryFilter
from booking.domain.people.roles import Actor
from booking.domain.shared.clock import Clock
from booking.domain.shared.errors import NotFound, ValidationError

LanguageQ = Annotated[str | None, Parameter(query="language", max_length=2, pattern=PRINTABLE,
                                            description="A language code the association speaks (sv, en, ar ...).")]


class DirectoryController(Controller):
    path = "/api/association-directory"
    tags = ["associations in the open"]

    @get("/", operation_id="searchAssociationDirectory", **guarded(PUBLIC))
    async def search(
        self, queries: Queries, matching_queries: MatchingQueries, clock: Clock, maybe_actor: Actor | None,
        municipality: MunicipalityQ = None,
        interest: Annotated[UUID | None, Parameter(query="interest", description="An interest category id.")] = None,
        age: Annotated[int | None, Parameter(query="age", ge=0, le=25)] = None,
        area: Annotated[UUID | None, Parameter(query="area", description="An area id.")] = None,
        weekday: Annotated[int | None, Parameter(query="weekday", ge=1, le=7, description="ISO: 1 = Monday")] = None,
        free_to_try: Annotated[bool, Parameter(query="free_to_try")] = False,
        language: LanguageQ = None,
        accessible: Annotated[bool, Parameter(query="accessible")] = False,
        q: SearchQ = None,
        limit: LimitQ = 20, offset: OffsetQ = 0,
    ) -> s.DirectoryPage:
        """Published association profiles matching every filter given, by name; `why` says why each matches."""
        municipality_id = await municipality_of(queries, municipality, maybe_actor)
        if language is not None and language not in LANGUAGE_NAMES:
            raise ValidationError("language", "A language code such as sv, en or ar.", "unknown")
        f = DirectoryFilter(interest, age, area, weekday, free_to_try, language, accessible, (q or "").strip() or None)
        page = await matching_queries.directory(municipality_id, f, clock.now(), limit, offset)
        names = page.names
        return s.DirectoryPage([s.DirectoryItem(
            association_id=i.row.association_id, name=i.row.name, interests=interests_of(i.published.interests, names),
            age_min=i.published.age_min, age_max=i.published.age_max, for_whom=list(i.published.for_whom),
            areas=areas_of(i.published.areas, names), free_to_try=i.published.free_to_try,
            membership_fee=i.published.membership_fee, languages=list(i.published.languages),
            accessibility=to_accessibility(i.published.accessibility),
            training_times=[to_regular(r) for r in i.times.regular[:3]],
            why=[s.WhyItem(w.code, w.text_sv, w.text_en) for w in i.why],
        ) for i in page.items], page.total, limit, offset)

    @get("/{association_id:uuid}", operation_id="getPublicAssociation", **guarded(PUBLIC))
    async def get_public(self, association_id: UUID, queries: Queries, matching_queries: MatchingQueries,
                         clock: Clock, maybe_actor: Actor | None,
                         municipality: MunicipalityQ = None) -> s.PublicAssociation:
        """The published profile with its training times and activities; whether it takes interest requests."""
        municipality_id = await municipality_of(queries, municipality, maybe_actor)
        p = await matching_queries.public_profile(municipality_id, association_id, clock.now())
        if p is None:
            raise NotFound("Association", association_id)
        f, names = p.published, p.names
        return s.PublicAssociation(
            association_id=p.association_id, name=p.name, interests=interests_of(f.interests, names),
            age_min=f.age_min, age_max=f.age_max, for_whom=list(f.for_whom), areas=areas_of(f.areas, names),
            languages=list(f.languages), membership_fee=f.membership_fee, free_to_try=f.free_to_try,
            try_out_text=f.try_out_text, accessibility=to_accessibility(f.accessibility),
            description=f.description, website=f.website, published_at=p.published_at,
            training_times=to_times(p.times),
            activities=[s.PublicActivity(a.id, a.title, a.title_en, a.next_start, a.try_out,
                                         f"/activity.html?id={a.id}") for a in p.activities],
            accepts_requests=p.accepts_requests, requests_paused=p.requests_paused)


HANDLERS = [DirectoryController]
