"""What the routes share: the query parameters of lists (paging, a name search, a municipality by its
slug) and the fields a partial update (PATCH) sent."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

import msgspec
from litestar.params import Parameter

from booking.adapters.db.queries import Queries
from booking.domain.shared.errors import ValidationError

LimitQ = Annotated[int, Parameter(query="limit", ge=1, le=200, description="Page size (1-200).")]
OffsetQ = Annotated[int, Parameter(query="offset", ge=0, le=10_000_000, description="Items to skip.")]
# Text in query strings: printable only (a NUL or other control character is refused, naming the parameter).
PRINTABLE = r"^[^\x00-\x1f\x7f]*$"
MunicipalityQ = Annotated[str | None, Parameter(query="municipality", max_length=64, pattern=PRINTABLE,
                                                description="Only this municipality (its slug).")]
SearchQ = Annotated[str | None, Parameter(query="q", max_length=100, pattern=PRINTABLE,
                                          description="Part of the name.")]


async def municipality_filter(queries: Queries, slug: str | None) -> UUID | None:
    """The id of the municipality a list is narrowed to (None: every one); an unknown slug is a 422."""
    if slug is None:
        return None
    municipality_id = await queries.municipality_id_by_slug(slug)
    if municipality_id is None:
        raise ValidationError("municipality", f"No municipality with slug {slug!r}.", "unknown")
    return municipality_id


def given(data: msgspec.Struct, *names: str) -> dict[str, Any]:
    """The fields among `names` that a partial update sent (those left out are UNSET)."""
    return {k: getattr(data, k) for k in names if getattr(data, k) is not msgspec.UNSET}
