"""The use cases of the season allocation round, in one place. Each lives in a module of its own:

- allocation_rounds: default priority rules; create, change, open and read a round
- allocation_applications: submit, change, withdraw and list applications
- allocation_run: run the allocator (allocator.py) over the facts of allocation_facts; adjust its proposal
- allocation_publish: publish the proposal as approved weekly series

Publishing happens in one unit of work: either every series of the round is written (with the
occupancy of each occurrence that is still free) and the round is marked published, or nothing
is. A booking made after the allocation run is never double-booked: its dates are reported per
application instead. A published round answers its stored report again (idempotent).
"""

from __future__ import annotations

from booking.domain.premises.allocation_applications import (
    ApplicationFields,
    list_applications,
    submit_application,
    update_application,
    withdraw_application,
)
from booking.domain.premises.allocation_publish import publish
from booking.domain.premises.allocation_rounds import (
    RoundFields,
    create_round,
    default_rules,
    get_round,
    open_round,
    set_default_rules,
    update_round,
)
from booking.domain.premises.allocation_run import Adjustment, adjust, run_allocation

__all__ = [
    "Adjustment", "ApplicationFields", "RoundFields", "adjust", "create_round", "default_rules", "get_round",
    "list_applications", "open_round", "publish", "run_allocation", "set_default_rules", "submit_application",
    "update_application", "update_round", "withdraw_application",
]
