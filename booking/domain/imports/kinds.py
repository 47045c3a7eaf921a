"""The kinds of import and export, by the name the API uses. Adding one: a module with its `Kind`
(see plan.py), and its line here."""

from __future__ import annotations

from booking.domain.imports.areas import AREAS
from booking.domain.imports.associations import ASSOCIATIONS
from booking.domain.imports.borrowers import BORROWERS
from booking.domain.imports.lending_articles import LENDING_ARTICLES
from booking.domain.imports.plan import Kind
from booking.domain.imports.postcode_areas import POSTCODE_AREAS
from booking.domain.imports.sites import SITES

KINDS: dict[str, Kind] = {kind.name: kind for kind in (AREAS, SITES, ASSOCIATIONS, LENDING_ARTICLES, BORROWERS,
                                                           POSTCODE_AREAS)}
