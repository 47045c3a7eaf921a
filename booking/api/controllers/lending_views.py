"""What the lending routes share: query parameters, partial updates, and the answers they build."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Annotated, Any
from uuid import UUID
from zoneinfo import ZoneInfo

import msgspec
from litestar import Response
from litestar.params import Parameter

from booking.adapters import pdf
from booking.adapters.db.queries_lending import LendingQueries
from booking.api.access import roles
from booking.api.schemas import lending as s
from booking.config import Settings
from booking.domain.lending import labels as lb
from booking.domain.lending.model import ItemStatus
from booking.domain.people.roles import Role
from booking.domain.shared.clock import Clock

STAFF = roles(Role.LENDING_STAFF)
LimitQ = Annotated[int, Parameter(query="limit", ge=1, le=200, description="Page size (1-200).")]
OffsetQ = Annotated[int, Parameter(query="offset", ge=0, le=10_000_000, description="Items to skip.")]
PRINTABLE = r"^[^\x00-\x1f\x7f]*$"
SearchQ = Annotated[str | None, Parameter(query="q", max_length=100, pattern=PRINTABLE, description="Search text.")]
MunicipalityQ = Annotated[str | None, Parameter(query="municipality", max_length=64, pattern=PRINTABLE,
                                                description="The municipality (its slug).")]
CodePath = Annotated[str, Parameter(max_length=40, description="A label code.")]


def desk_today(clock: Clock, settings: Settings) -> date:
    """Today in the zone of the deployment (what a registration checks birth years against)."""
    return clock.now().astimezone(ZoneInfo(settings.timezone)).date()


def given(value: Any) -> bool:
    return value is not msgspec.UNSET


def changes_of(data: msgspec.Struct) -> dict[str, Any]:
    return {f: getattr(data, f) for f in data.__struct_fields__ if given(getattr(data, f))}


def code_of(value: str, field: str = "code") -> str:
    return lb.normalize_code(value, field)


def to_article(a: Any) -> s.Article:
    return s.Article(a.id, a.category_id, a.name, a.description, a.variant, a.min_age, a.max_age,
                     a.loan_period_days, a.needs_guardian_consent, a.self_service, a.photo_url)


def to_item(row: dict[str, Any]) -> s.Item:
    history = [s.ItemEvent(**e) for e in row["history"]] if "history" in row else msgspec.UNSET
    return s.Item(row["id"], row["label_code"], ItemStatus(row["status"]), row["condition_note"], row["site_id"],
                  row["site_name"], row["article_id"], row["article_name"], row["variant"], row["created_at"],
                  row["updated_at"], row["last_counted_at"], history)


async def label_sheet(lending_queries: LendingQueries, municipality_id: UUID, settings: Settings, template: str,
                 codes: list[str]) -> bytes:
    contents = await lending_queries.label_contents(municipality_id, codes)
    labels = [pdf.LabelContent(c, lb.label_url(settings.base_url, c), *(contents.get(c) or (None, None)))
              for c in codes]
    # ~13 ms per QR code (mask selection): off the event loop
    return await asyncio.to_thread(pdf.label_sheet, pdf.TEMPLATES[template], labels)


def pdf_response(body: bytes, filename: str) -> Response[bytes]:
    return Response(body, media_type="application/pdf", headers={
        "Content-Disposition": f'inline; filename="{filename}"', "Cache-Control": "private, no-store"})
