"""The set-up checklist: what the municipality's admin has set up and what is missing."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, get

from booking.adapters.db.queries import Queries
from booking.adapters.db.queries_setup import SetupQueries
from booking.api.access import ADMIN_ONLY, guarded
from booking.api.schemas import setup as s
from booking.domain.municipalities.setup import checklist, complete
from booking.domain.people.model import Account
from booking.domain.people.roles import Actor
from booking.domain.shared.tenancy import of_municipality


async def landing_page(account: Account, setup_queries: SetupQueries) -> str:
    """Where a browser sign-in (password or identity provider) with no page to go back to lands: an
    administrator whose municipality is not set up yet on the set-up checklist, everyone else at home."""
    if account.actor().is_admin and not complete(checklist(await setup_queries.tallies(account.municipality_id))):
        return "/setup.html"
    return "/"


class SetupController(Controller):
    path = "/api/municipalities/{municipality_id:uuid}/setup"
    tags = ["municipalities"]

    @get("/", operation_id="getSetupChecklist", **guarded(ADMIN_ONLY))
    async def get_checklist(self, municipality_id: UUID, actor: Actor, queries: Queries,
                            setup_queries: SetupQueries) -> s.SetupChecklist:
        """Each set-up step (areas with their population 0-17, sites, spaces, opening hours, booking
        rules, prices, staff, lending sites' opening days, holiday periods): done or missing, how many
        there are and how many lack what the step asks, and the page that sets it. Own municipality only."""
        of_municipality(await queries.municipality(municipality_id), actor.municipality_id, "municipality",
                        municipality_id)
        items = checklist(await setup_queries.tallies(municipality_id))
        return s.SetupChecklist(municipality_id, complete(items),
                                [s.SetupItem(i.step, i.done, i.count, i.lacking, i.page) for i in items])


HANDLERS: list[Any] = [SetupController]
