"""Creating a municipality (the installation operator's route)."""

from __future__ import annotations

from typing import Annotated

from msgspec import Meta, Struct

from booking.api.schemas.common import Email, Name
from booking.api.schemas.people import Account, Locale
from booking.api.schemas.places import Municipality

Slug = Annotated[str, Meta(min_length=1, max_length=64, examples=["sundsvall"],
                           description="Lower-case letters, digits and hyphens; the municipality's address.")]
TimeZone = Annotated[str, Meta(min_length=1, max_length=64, examples=["Europe/Stockholm"],
                               description="An IANA time zone.")]


class MunicipalityCreate(Struct, forbid_unknown_fields=True):
    """A municipality and its first administrator, who is invited by e-mail to choose a password."""

    name: Name
    slug: Slug
    admin_email: Email
    admin_display_name: Name
    timezone: TimeZone = "Europe/Stockholm"
    admin_locale: Locale = "sv"


class MunicipalityCreated(Struct):
    municipality: Municipality
    admin: Account
