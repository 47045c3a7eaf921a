"""`booking serve | demo | db upgrade | admin create | seed-demo | maintenance | check`.

The database layer (SQLAlchemy, Alembic), the demo seeding (which builds on it) and uvicorn are
imported inside the commands that use them: at module level they make every `booking --help`
wait for them (measured: 0.15 s becomes 1-1.5 s).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Callable, Sequence

from booking.adapters.passwords import Argon2Hasher
from booking.config import Settings, base_url_for, get_settings
from booking.domain.municipalities.services import CreateMunicipality, create_municipality
from booking.domain.people.roles import Actor, Grant, Role
from booking.domain.people.services import CreateAccount, create_account
from booking.domain.shared.clock import SystemClock
from booking.logs import configure_logging


def _upgrade(settings: Settings) -> None:
    from booking.adapters.db.migrate import upgrade

    upgrade(settings.database_url)


def _served_at(settings: Settings, host: str, port: int) -> Settings:
    """Without BOOKING_BASE_URL the links point at the address served: `--port 8123` makes QR codes,
    cards, feeds and e-mails say :8123. Put in the environment so the workers' settings agree."""
    if os.environ.get("BOOKING_BASE_URL", "").strip():
        return settings
    os.environ["BOOKING_BASE_URL"] = base_url_for(host, port)
    get_settings.cache_clear()
    return get_settings()


def _serve(settings: Settings, host: str, port: int, workers: int, migrate: bool) -> None:
    settings = _served_at(settings, host, port)
    if migrate:
        _upgrade(settings)
    if workers > 1 and settings.database_url.startswith("sqlite"):
        print("Several workers need PostgreSQL (BOOKING_DATABASE_URL); starting one worker.", file=sys.stderr)
        workers = 1
    import uvicorn

    # Logging is booking.logs' (configured in main and again by each worker's app_from_env), and the
    # access line is booking.access's: uvicorn configures neither.
    uvicorn.run("booking.api.app:app_from_env", factory=True, host=host, port=port, workers=workers,
                log_level="info", log_config=None, access_log=False, proxy_headers=settings.trust_proxy_headers)


async def _seed(settings: Settings) -> bool:
    from booking.adapters.db.database import connect
    from booking.seed import seed_demo

    db = connect(settings.database_url)
    try:
        return await seed_demo(db, Argon2Hasher(), SystemClock())
    finally:
        await db.dispose()


def _print_demo(settings: Settings) -> None:
    from booking.seed import DEMO_ACCOUNTS, DEMO_PASSWORD

    print(f"\nDemo accounts (password for all: {DEMO_PASSWORD})")
    width = max(len(a.role) for a in DEMO_ACCOUNTS)
    for account in DEMO_ACCOUNTS:
        print(f"  {account.role.ljust(width)}  {account.email}")
    print(f"\nOpen {settings.base_url}/ - the API is described at {settings.base_url}/schema\n")


async def create_admin(settings: Settings, municipality: str, email: str, name: str, password: str) -> None:
    from booking.adapters.db.database import connect
    from booking.adapters.db.uow import SqlUnitOfWork

    db = connect(settings.database_url)
    try:
        uow = SqlUnitOfWork(db)
        async with uow:
            existing = await uow.municipalities.by_slug(municipality)
        if existing is None:
            existing = await create_municipality(
                CreateMunicipality(name=municipality.capitalize(), slug=municipality, timezone=settings.timezone),
                SqlUnitOfWork(db))
        bootstrap = Actor(account_id=existing.id, municipality_id=existing.id,
                          grants=frozenset({Grant(Role.ADMIN)}))
        await create_account(CreateAccount(email=email, display_name=name, password=password,
                                           grants=(Grant(Role.ADMIN),)), SqlUnitOfWork(db), Argon2Hasher(),
                             existing.id, bootstrap)
    finally:
        await db.dispose()


async def _maintenance(settings: Settings) -> dict[str, int]:
    from booking.adapters.db.database import connect
    from booking.adapters.db.maintenance import run_jobs

    db = connect(settings.database_url)
    try:  # the jobs of this hour that no web worker has run yet (each runs once per hour)
        return await run_jobs(db, SystemClock(), settings)
    finally:
        await db.dispose()


# --- the sub-commands: each takes the parsed arguments and the settings, returns the exit status ---


def _db_upgrade(args: argparse.Namespace, settings: Settings) -> int:
    _upgrade(settings)
    print(f"Database at {settings.database_url} is up to date.")
    return 0


def _seed_demo(args: argparse.Namespace, settings: Settings) -> int:
    _upgrade(settings)
    created = asyncio.run(_seed(settings))
    print("Demo data created." if created else "Demo data already present.")
    _print_demo(settings)
    return 0


def _demo(args: argparse.Namespace, settings: Settings) -> int:
    settings = _served_at(settings, args.host, args.port)
    print("Migrating the database ...", flush=True)
    _upgrade(settings)
    print("Seeding the demo municipality ...", flush=True)
    asyncio.run(_seed(settings))
    _print_demo(settings)
    _serve(settings, args.host, args.port, 1, migrate=False)
    return 0


def _run_maintenance(args: argparse.Namespace, settings: Settings) -> int:
    print(asyncio.run(_maintenance(settings)))
    return 0


def _check(args: argparse.Namespace, settings: Settings) -> int:
    from booking.adapters.db.invariants import check_command

    return check_command(settings.database_url)


def _run_serve(args: argparse.Namespace, settings: Settings) -> int:
    _serve(settings, args.host, args.port, args.workers, migrate=not args.no_migrate)
    return 0


def _admin_create(args: argparse.Namespace, settings: Settings) -> int:
    asyncio.run(create_admin(settings, args.municipality, args.email, args.name, args.password))
    print(f"Admin {args.email} created in {args.municipality}.")
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace, Settings], int]] = {
    "db": _db_upgrade,  # `db upgrade`, its only sub-command
    "seed-demo": _seed_demo,
    "demo": _demo,
    "maintenance": _run_maintenance,
    "check": _check,
    "serve": _run_serve,
    "admin": _admin_create,  # `admin create`, its only sub-command
}


def _add_server_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    serve = sub.add_parser("serve", help="run the web server (migrates first)")
    demo = sub.add_parser("demo", help="migrate, seed the demo municipality, print the accounts, serve")
    for p in (serve, demo):
        p.add_argument("--host", default="127.0.0.1")
        p.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.add_argument("--no-migrate", action="store_true")


def _add_admin_command(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    admin = sub.add_parser("admin", help="administration")
    admin_sub = admin.add_subparsers(dest="admin_command", required=True)
    create = admin_sub.add_parser("create", help="create a municipality admin (and the municipality)")
    create.add_argument("--municipality", required=True, help="slug, e.g. sundsvall")
    create.add_argument("--email", required=True)
    create.add_argument("--name", required=True)
    create.add_argument("--password", required=True)


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="booking", description="Municipal booking, activities and lending.")
    sub = root.add_subparsers(dest="command", required=True)
    _add_server_commands(sub)
    db = sub.add_parser("db", help="database commands")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    db_sub.add_parser("upgrade", help="apply all migrations (safe to run on every start)")
    sub.add_parser("seed-demo", help="create the demo municipality and accounts if missing")
    sub.add_parser("maintenance", help="prune old sign-in failures, sessions, keys and sent mail; run due jobs")
    sub.add_parser("check", help="count the violations of every invariant (read-only); exit 1 on any")
    _add_admin_command(sub)
    return root


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    settings = get_settings()
    configure_logging(settings)
    return COMMANDS[args.command](args, settings)


if __name__ == "__main__":
    raise SystemExit(main())
