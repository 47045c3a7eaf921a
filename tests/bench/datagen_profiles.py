"""Benchmark data of associations in the open: a step appended to datagen.STEPS.

The municipality's 20 default interest categories, and 2,000 associations with a published profile (200
in the quick set): the data set's own associations (whose weekly series in the season become their public
training times) and as many more as it takes, each with a contact person. Each profile has 1-3 interests,
an age span, 1-2 areas and 1-2 languages; about 40 % are free to try and 30 % accessible."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from stdnum import luhn
from stdnum.se import orgnr

from booking.adapters.db import tables as t
from booking.adapters.db import tables_matching as tm
from booking.domain.matching.categories import DEFAULTS
from booking.domain.people.model import AssociationCategory

PROFILES = {"full": 2_000, "quick": 200}
PLACES = ["Nacksta", "Bredsand", "Skönsberg", "Haga", "Sidsjö", "Granlo", "Kvissleby", "Matfors"]


def _org_number(g: Any, taken: set[str]) -> str:
    """A valid organisationsnummer of an ideell förening no association of the data set has."""
    while True:
        body = "8" + "".join(str(g.rng.randrange(10)) for _ in range(8))
        number = body + luhn.calc_check_digit(body)
        if number not in taken:
            taken.add(number)
            return str(orgnr.format(orgnr.validate(number)))
LANGS = ["en", "ar", "so", "fa", "ti", "uk", "fi", "es", "de", "pl"]


async def profiles(g: Any) -> None:
    data = g.data
    m = data.municipality_id
    categories = [{"id": g.new_id(), "municipality_id": m, "name": sv, "name_en": en, "position": (i + 1) * 10,
                   **g.created(100)} for i, (sv, en) in enumerate(DEFAULTS)]
    await g.insert(tm.interest_categories, categories)
    category_ids = [c["id"] for c in categories]
    taken = {n.replace("-", "") for n in (await g.conn.execute(sa.select(t.associations.c.org_number))).scalars()}
    wanted = PROFILES[g.size.name]
    existing = list(data.association_ids)[:wanted]
    new_rows, contacts = [], []
    for i in range(wanted - len(existing)):
        association_id = g.new_id()
        created = g.created(365)
        new_rows.append({"id": association_id, "municipality_id": m, "org_number": _org_number(g, taken),
                         "name": f"{g.rng.choice(PLACES)} Profilförening {i + 1}",
                         "category": AssociationCategory.YOUTH, "area_id": g.rng.choice(data.area_ids),
                         "is_local": True, "public_name": True,
                         "verified_at": created["created_at"] + timedelta(days=1), "verified_by": data.admin_id,
                         **created})
        existing.append(association_id)
    await g.insert(t.associations, new_rows)
    contact_of: dict[Any, Any] = {}
    for a in existing:
        contact_id = g.new_id()
        contact_of[a] = contact_id
        contacts.append({"id": contact_id, "association_id": a, "name": "Kontakt Benchsson",
                         "email": f"profil-{len(contacts)}@bench.example", "phone": None, "role": "Kontakt",
                         **g.created(200)})
    await g.insert(t.association_contacts, contacts, label="association_contacts (profiles)")
    rows = []
    for a in existing:
        interests = [str(c) for c in g.rng.sample(category_ids, g.rng.randrange(1, 4))]
        low = g.rng.randrange(5, 15)
        high = min(25, low + g.rng.randrange(2, 10))
        areas = [str(x) for x in g.rng.sample(data.area_ids, min(len(data.area_ids), g.rng.randrange(1, 3)))]
        languages = ["sv", *g.rng.sample(LANGS, g.rng.randrange(0, 2))]
        free, accessible = g.rng.random() < 0.4, g.rng.random() < 0.3
        fields = {"interests": interests, "age_min": low, "age_max": high, "for_whom": ["all"], "areas": areas,
                  "languages": languages, "membership_fee": float(g.rng.randrange(0, 1000, 50)),
                  "free_to_try": free, "try_out_text": "Kom och prova!" if free else None,
                  "accessibility": {"step_free": accessible, "accessible_toilet": accessible, "hearing_loop": False,
                                    "notes": None},
                  "description": "En förening i benchkommunen som tränar varje vecka och välkomnar nya medlemmar.",
                  "website": None}
        created = g.created(100)
        rows.append({"id": g.new_id(), "municipality_id": m, "association_id": a, "draft": fields,
                     "status": "published", "published": fields, "published_at": created["created_at"],
                     "verified_by": data.admin_id, "review_note": None, "age_min": low, "age_max": high,
                     "free_to_try": free, "accessible": accessible, "interests": interests, "areas": areas,
                     "languages": languages, "for_whom": ["all"], "requests_paused": False,
                     "contact_id": contact_of[a], **created})
    await g.insert(tm.association_profiles, rows)
    # every weekly series of the season is public on its association's profile
    await g.conn.execute(sa.update(t.booking_series).values(public_on_profile=True))


STEPS: Sequence[tuple[str, Any]] = [("association profiles", profiles)]
