"""Site scopes in lending: what a lending staff grant narrowed to sites may do.

One rule, on the actor (`Actor.sites_for / acts_at / require_site`, role `lending_staff`): a narrowed
grant acts at the sites it names; an admin or a grant without a site acts everywhere in the municipality.

- A site's things are the desk (lending and returning at it), its items and their moves, the labels on
  its items, its stock counts, donations and opening days, the loans lent there, the holds picked up there
  and its statistics. Writes elsewhere are refused (403); lists leave other sites' things out.
- Things at no site (categories, articles, unlinked labels) are the municipality's: a narrowed grant
  reads the catalogue but does not change it.
- Borrowers belong to the municipality: any desk serves any card. A narrowed staff member sees and
  changes a borrower's contact details (mobile, e-mail, guardian) and their card, block and consents only
  when the borrower is *active at one of its sites*: has a loan lent or returned there, or an open hold
  to be picked up there (`borrower_active_at`). A borrower without loans or holds is the municipality's
  until the first one.
"""

from __future__ import annotations

from uuid import UUID

from booking.domain.people.roles import Actor, Role
from booking.domain.shared.errors import Forbidden

LENDING = Role.LENDING_STAFF


def desk_sites(actor: Actor) -> frozenset[UUID] | None:
    """The sites the actor works in lending; None: every site of its municipality."""
    return actor.sites_for(LENDING)


def require_site(actor: Actor, site_id: UUID | None) -> None:
    actor.require_site(site_id, LENDING)


def require_everywhere(actor: Actor, what: str) -> None:
    """Things at no site (the catalogue, unlinked labels) need a grant for the whole municipality."""
    if desk_sites(actor) is not None:
        raise Forbidden(f"Your role is limited to a site; {what} belongs to the whole municipality.")


def listed_sites(actor: Actor, site_id: UUID | None = None) -> frozenset[UUID] | None:
    """The sites a list may show, with an optional `site_id` filter: None means all of the municipality;
    a filter outside the actor's sites leaves nothing."""
    sites = desk_sites(actor)
    if site_id is None:
        return sites
    return frozenset({site_id}) if sites is None or site_id in sites else frozenset()
