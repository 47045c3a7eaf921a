"""Domain objects of the wish phase and draw -> API schemas."""

from __future__ import annotations

from uuid import UUID

from booking.api.schemas import activities_draw as s
from booking.api.schemas.activities import ListedHolidayPeriod
from booking.domain.activities.draw import Reason
from booking.domain.activities.draw_model import HolidayDraw
from booking.domain.activities.lov import HolidayPeriod
from booking.domain.activities.services.draw_preview import Preview
from booking.domain.activities.services.draw_wishes import ChildView


def to_draw(d: HolidayDraw) -> s.Draw:
    return s.Draw(id=d.id, period_id=d.period_id, status=d.status, wishes_close_at=d.wishes_close_at,
                  max_per_child=d.max_per_child, travel_minutes=d.travel_minutes, weights=s.Weights(**d.weights),
                  priority_areas=[UUID(a) for a in d.priority_areas], seed=d.seed, run_at=d.run_at,
                  published_at=d.published_at)


def to_child(view: ChildView) -> s.DrawChild:
    c = view.child
    return s.DrawChild(
        child_id=c.id, first_name=c.first_name, birth_year=c.birth_year, gender=c.gender,
        home_area_id=c.home_area_id, max_activities=c.max_activities, group_code=c.group_code,
        withdrawn=c.withdrawn,
        wishes=[s.ChildWish(
            session_id=w.wish.session_id, activity_id=w.activity.id if w.activity else None,
            activity_title=w.activity.title if w.activity else "-",
            starts_at=w.session.starts_at if w.session else None, ends_at=w.session.ends_at if w.session else None,
            rank=w.wish.rank, favourite=w.wish.favourite,
            outcome=s.WishOutcome(w.outcome.granted, Reason(w.outcome.reason), w.outcome.registration_id)
            if w.outcome else None) for w in view.wishes])


def to_preview(p: Preview) -> s.Preview:
    f = p.figures
    return s.Preview(
        draw_id=p.draw.id, seed=p.draw.seed,
        figures=s.Figures(
            children=f.children, with_place=f.with_place, share_with_place=f.share_with_place,
            mean_rank_granted=f.mean_rank_granted,
            per_area=[s.AreaFigures(a.area_id, a.area_name, a.children, a.with_place, a.share_with_place,
                                    a.mean_rank_granted, a.per_1000_before, a.per_1000_after) for a in p.areas]),
        children=[s.PreviewChild(
            child_id=c.child.id, first_name=c.child.first_name, birth_year=c.child.birth_year,
            home_area_id=c.child.home_area_id, group_code=c.child.group_code, max_activities=c.max_activities,
            wishes=[s.PreviewWish(w.session_id, w.activity_title, w.starts_at, w.rank, w.favourite, w.granted,
                                  Reason(w.reason), w.score, w.blocking_session_id) for w in c.wishes])
            for c in p.children])


def to_listed_period(p: HolidayPeriod, draw: HolidayDraw | None) -> ListedHolidayPeriod:
    return ListedHolidayPeriod(id=p.id, kind=p.kind, year=p.year, first_day=p.first_day, last_day=p.last_day,
                               draw=to_draw(draw) if draw is not None else None)
