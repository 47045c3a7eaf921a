"""Schema fuzzing: schemathesis generates requests from the OpenAPI document and checks every
answer: never a 5xx, a documented status code, a documented content type, and a body (and
headers) matching the documented schema. Once anonymously, once with the admin's token;
bounded in examples per operation and in total time.

schemathesis drives the app in-process on an event loop of its own (a thread), so the app
under fuzz gets its own connections to the test's SQLite file instead of the fixtures' ones.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from booking.adapters.db.database import Database, connect
from tests.conftest import World, make_app

EXAMPLES_PER_OPERATION = 25
TIME_BUDGET_SECONDS = 45  # both runs together, shared evenly between the operations
# Invalid (negative) data is generated too, for 5xx and conformance; `negative_data_rejection` is not
# asked for: Litestar reads the last of repeated scalar query parameters and coerces numbers to
# timestamps, which that check counts as accepting invalid data.
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          response_headers_conformance]
# Operations left out of the signed-in run: signing out would revoke the token the run uses.
SIGNED_IN_SKIP = {"logout"}

pytestmark = pytest.mark.slow


def _real_ids(world: World) -> dict[str, str]:
    return {
        "municipality_id": world.municipality_id, "area_id": world.area_id, "site_id": world.site_id,
        "space_id": world.space_id, "association_id": world.association_id,
        "account_id": world["no_role"].account_id, **DRAW_IDS,
    }


DRAW_IDS: dict[str, str] = {}  # a holiday period with a draw in its wish phase (set by the test)


async def _draw(url: str, world: World) -> dict[str, str]:
    """A holiday period a month on whose places a draw gives, so the draw's routes run past their 404
    (made on connections of its own: the fuzz runs on another event loop)."""
    from datetime import UTC, datetime, timedelta
    from uuid import UUID

    from booking.adapters.db.uow import SqlUnitOfWork
    from booking.domain.activities import services as act
    from booking.domain.activities.lov import LovKind
    from booking.domain.people.roles import Actor, Grant, Role
    from booking.domain.shared.clock import SystemClock

    admin = Actor(UUID(world["admin"].account_id), UUID(world.municipality_id), frozenset({Grant(Role.ADMIN)}))
    first = datetime.now(UTC).date() + timedelta(days=40)
    db = connect(url, pool_size=1)
    try:
        period = await act.set_period(LovKind.HOSTLOV, first.year, first, first + timedelta(days=6),
                                      SqlUnitOfWork(db), admin)
        draw = await act.draw_settings.set_draw(period.id, act.draw_settings.DrawSettings(
            datetime.now(UTC) + timedelta(days=20)), SqlUnitOfWork(db), admin, SystemClock())
    finally:
        await db.dispose()
    return {"period_id": str(period.id), "draw_id": str(draw.id)}


def _checker(strategies: list[Any], headers: dict[str, str], deadline: float) -> Any:
    """A Hypothesis test: every generated case is sent and its answer checked (until the deadline)."""

    @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate, Phase.shrink])
    @given(case=st.one_of(strategies))
    def check(case: schemathesis.Case) -> None:
        if time.monotonic() > deadline:
            return
        response = case.call(headers=headers)
        case.validate_response(response, checks=CHECKS, headers=headers)

    return check


def _fuzz(app: Any, world: World, headers: dict[str, str], skip: set[str], budget: float,
          modes: tuple[GenerationMode, ...]) -> tuple[list[str], int]:
    schema = schemathesis.openapi.from_asgi("/schema/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    operations = [op for op in operations if op.definition.raw.get("operationId") not in skip]
    failures: list[str] = []
    ids = _real_ids(world)
    end = time.monotonic() + budget
    for index, operation in enumerate(operations):
        # each operation gets an equal share of what is left, so a slow machine thins out
        # the examples everywhere instead of skipping the last operations
        deadline = time.monotonic() + (end - time.monotonic()) / (len(operations) - index)
        known = {p.name: ids[p.name] for p in operation.path_parameters if p.name in ids}
        strategies = [operation.as_strategy(generation_mode=mode) for mode in modes]
        if known:  # also aim at objects that exist, so that handlers run past their 404
            strategies += [operation.as_strategy(generation_mode=mode, path_parameters=known) for mode in modes]

        try:
            _checker(strategies, headers, deadline)()
        except (Exception, BaseExceptionGroup) as exc:  # one report for every failing operation
            failures.append(f"{operation.label}: {exc}")
    return failures, len(operations)


@pytest.fixture
def fuzz_db(sqlite_db: Database) -> Any:
    """Fresh engines on the same (migrated, seeded) SQLite file, for schemathesis's event loop."""
    database = connect(sqlite_db.url, pool_size=2)
    yield database
    asyncio.run(database.dispose())


def test_the_api_answers_within_its_schema(fuzz_db: Database, world: World) -> None:
    DRAW_IDS.update(asyncio.run(_draw(fuzz_db.url, world)))
    app = make_app(fuzz_db)
    started = time.monotonic()
    anonymous, count = _fuzz(app, world, {}, set(), TIME_BUDGET_SECONDS * 0.4, (GenerationMode.POSITIVE,))
    signed_in, signed_count = _fuzz(app, world, world["admin"].headers, SIGNED_IN_SKIP,
                                    TIME_BUDGET_SECONDS - (time.monotonic() - started),
                                    (GenerationMode.POSITIVE, GenerationMode.NEGATIVE))
    assert count > 30 and signed_count == count - len(SIGNED_IN_SKIP)
    failures = [f"anonymous {f}" for f in anonymous] + [f"admin {f}" for f in signed_in]
    assert not failures, "\n\n".join(failures)
