"""`make bench`: generate a data set, start the real server, drive each row, print the table.

    python -m tests.bench.run --db sqlite|postgresql [--quick] [--duration S] [--out FILE]

See tests/bench/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import math
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Coroutine
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import httpx
import sqlalchemy as sa

from booking.adapters.db.database import connect
from booking.adapters.db.migrate import upgrade
from booking.adapters.db.schema import metadata
from tests.bench import databases, datagen
from tests.bench.cpu import CpuMeter, CpuShares, load_average
from tests.bench.insight import Profiler, count_sql, py_spy, summarize
from tests.bench.loadgen import CLIENTS, run_load
from tests.bench.report import Report, RowResult
from tests.bench.rows import ROWS, BenchContext, Row, cycle
from tests.bench.server import RssSampler, Server

ROOT = Path(__file__).resolve().parents[2]
T = TypeVar("T")


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def arun(coro: Coroutine[Any, Any, T]) -> T:
    """asyncio.run on uvloop when it is there (the load generator needs a cheap loop)."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(coro)
    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        return runner.run(coro)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m tests.bench.run", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    p.add_argument("--quick", action="store_true", help="small data set, 2 s per row: a smoke check")
    p.add_argument("--duration", type=float, help="seconds measured per row (default 10, quick 2)")
    p.add_argument("--warmup", type=float, help="unrecorded seconds before each row (default 1, quick 0.3)")
    p.add_argument("--max-requests", type=int, default=200_000, help="requests per row at most (default 200000)")
    p.add_argument("--client", choices=sorted(CLIENTS), default="raw",
                   help="load generator's HTTP client (default raw asyncio streams)")
    p.add_argument("--only", help="comma-separated row names (the ceiling always runs)")
    p.add_argument("-c", "--concurrency", action="append", default=[], metavar="[ROW=]N",
                   help="concurrency for all rows (N) or one row (ROW=N); repeatable")
    p.add_argument("--seed", type=int, default=20261122)
    p.add_argument("--out", help="base path of the .md/.json results (default var/bench/bench-<db>-<timestamp>)")
    p.add_argument("--keep", action="store_true", help="keep the temp dir (server log, SQLite file) and the "
                   "PostgreSQL database for inspection")
    p.add_argument("--strict", action="store_true", help="exit 1 when a target fails or a row has errors")
    p.add_argument("--list", action="store_true", help="list the rows and exit")
    p.add_argument("--profile", action="store_true",
                   help="sample the server with py-spy during each row (raw stacks and a summary beside --out)")
    p.add_argument("--queries", action="store_true",
                   help="no timing: count the SQL statements of a few requests per row (server with "
                        "BOOKING_LOG_SQL=true)")
    args = p.parse_args(argv)
    args.duration = args.duration if args.duration is not None else (2.0 if args.quick else 10.0)
    args.warmup = args.warmup if args.warmup is not None else (0.3 if args.quick else 1.0)
    return args


def split_names(text: str) -> set[str]:
    """Comma-separated row names; a name may itself contain commas ("site feed, 304"): pieces
    are joined until they make a known name."""
    known = {r.name.lower() for r in ROWS}
    names, pending = set(), ""
    for piece in text.split(","):
        pending = f"{pending},{piece}" if pending else piece
        if pending.strip().lower() in known:
            names.add(pending.strip().lower())
            pending = ""
    if pending.strip():
        names.add(pending.strip().lower())  # unknown: reported by the caller
    return names


def select_rows(args: argparse.Namespace) -> list[tuple[Row, int]]:
    wanted = split_names(args.only) if args.only else None
    overall: int | None = None
    per_row: dict[str, int] = {}
    for item in args.concurrency:
        name, sep, n = item.rpartition("=")
        if sep:
            per_row[name.strip().lower()] = int(n)
        else:
            overall = int(n)
    unknown = (set(per_row) | (wanted or set())) - {r.name.lower() for r in ROWS}
    if unknown:
        raise SystemExit(f"unknown rows: {', '.join(sorted(unknown))}; see --list")
    chosen = [r for r in ROWS if r.ceiling or wanted is None or r.name.lower() in wanted]
    chosen.sort(key=lambda r: not r.ceiling)
    return [(r, per_row.get(r.name.lower(), overall or r.concurrency)) for r in chosen]


def machine() -> dict[str, Any]:
    cpu = platform.processor() or "?"
    with contextlib.suppress(OSError), open("/proc/cpuinfo") as handle:
        for line in handle:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {"cores": os.cpu_count(), "cpu": cpu, "memory_gb": memory, "python": platform.python_version(),
            "platform": platform.platform()}


def git_commit() -> str:
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                             check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "booking"], cwd=ROOT, capture_output=True,
                               text=True).stdout.strip()
        return out + ("+dirty" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "?"


async def generate(url: str, size: datagen.Size, seed: int) -> tuple[datagen.BenchData, dict[str, int]]:
    db = connect(url)
    try:
        async with db.write_engine.begin() as conn:
            data = await datagen.generate(conn, size, seed=seed, progress=log)
        async with db.read_engine.connect() as conn:
            counts = {}
            existing = set(await conn.run_sync(lambda c: sa.inspect(c).get_table_names()))
            for name, table in metadata.tables.items():
                if name not in existing:  # a table of a migration still being written elsewhere
                    continue
                n = int((await conn.execute(sa.select(sa.func.count()).select_from(table))).scalar_one())
                if n:
                    counts[name] = n
        return data, counts
    finally:
        await db.dispose()


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


async def measure(args: argparse.Namespace, ctx: BenchContext, server: Server, row: Row, concurrency: int, *,
                  postgres: str | None, label: str | None = None) -> RowResult:
    if row.local is not None:
        return measure_local(row, args.quick)
    workload = await row.prepare(ctx)
    name = label or workload.label or row.name
    log(f"  {name}: concurrency {concurrency}, {args.duration:g} s ...")
    profile = Path(f"{args.base}-profiles") / f"{slug(name)}.txt"
    profiler = Profiler(server.pid, profile) if args.profile else contextlib.nullcontext()
    with CpuMeter(server.pid, postgres_database=postgres) as cpu, RssSampler(server) as rss, profiler:
        result = await run_load(
            workload.make, host=ctx.host, port=ctx.port, concurrency=concurrency, duration=args.duration,
            max_requests=row.max_requests or args.max_requests, warmup=args.warmup if workload.warmup else 0.0,
            client=args.client,
            ok=workload.ok, check=workload.check)
    rr = RowResult(
        name=name, measures=row.measures, concurrency=concurrency, requests=result.requests,
        elapsed_s=result.elapsed, throughput=result.throughput, p50_ms=result.percentile_ms(50),
        p95_ms=result.percentile_ms(95), p99_ms=result.percentile_ms(99), errors=result.errors,
        statuses=result.statuses, first_failures=result.first_failures, rss_max_mb=rss.max_mb,
        cpu=cpu.shares(), target=row.target, ceiling=row.ceiling and label is None,
        cpu_ms_per_request=1000 * cpu.shares().server_seconds / max(1, result.requests + result.warmup_requests),
    )
    if workload.after is not None:
        complaint = await workload.after(ctx, result)
        if complaint:
            rr.complaints.append(complaint)
    if isinstance(profiler, Profiler):
        rr.profile = summarize(profile) or [f"no profile: {profiler.error}"]
        rr.profile_file = str(profile) if profile.exists() else ""
    log(f"    {rr.requests:,} requests, {rr.throughput:,.1f} req/s, p95 {rr.p95_ms:.1f} ms, {rr.errors} errors"
        + (f" {rr.first_failures[:1]}" if rr.errors else ""))
    return rr


def measure_local(row: Row, quick: bool) -> RowResult:
    """An in-process row, run once: requests 1, the latencies its wall time, CPU ms its CPU time, the
    RSS column its peak traced memory (tracemalloc); its figures go into the row's description."""
    log(f"  {row.name}: in process ...")
    assert row.local is not None
    out = row.local(quick)
    log(f"    {out.wall_ms:,.0f} ms, {out.cpu_ms:,.0f} ms CPU, {out.peak_mb:.1f} MB; {out.figures}")
    return RowResult(
        name=row.name, measures=f"{row.measures} Measured: {out.figures}", concurrency=1, requests=1,
        elapsed_s=out.wall_ms / 1000, throughput=1000 / max(out.wall_ms, 1e-3), p50_ms=out.wall_ms,
        p95_ms=out.wall_ms, p99_ms=out.wall_ms, errors=0, statuses={}, first_failures=[], rss_max_mb=out.peak_mb,
        cpu=CpuShares(0.0, 0.0, 100 * out.cpu_ms / max(out.wall_ms, 1e-3), 0.0, 0.0), target=row.target,
        cpu_ms_per_request=out.cpu_ms, complaints=list(out.complaints))


async def census(args: argparse.Namespace, bdb: databases.BenchDatabase, data: datagen.BenchData,
                 workdir: Path, report: Report) -> None:
    """--queries: each row's first requests one at a time, and the SQL statements each one sent."""
    server = Server(bdb.url, workdir, extra_env={"BOOKING_LOG_SQL": "true", "BOOKING_OUTBOX_WORKER": "false"})
    log(f"starting the server with BOOKING_LOG_SQL=true on {bdb.kind} ...")
    server.launch()
    await server.wait_ready()
    assert server.log_path is not None
    try:
        async with httpx.AsyncClient(base_url=server.base_url, timeout=30) as http:
            ctx = BenchContext(host="127.0.0.1", port=server.port, data=data, http=http, quick=args.quick,
                               db_url=bdb.url)
            for row, _ in select_rows(args):
                if row.local is not None:  # no requests, no SQL
                    continue
                workload = await row.prepare(ctx)
                counts, statuses = [], []
                for k in range(3):
                    await asyncio.sleep(0.2)  # let earlier log lines land
                    offset = server.log_path.stat().st_size
                    result = await run_load(cycle([workload.make(k)]), host=ctx.host, port=ctx.port,
                                            concurrency=1, duration=30, max_requests=1, client=args.client)
                    await asyncio.sleep(0.2)
                    counts.append(count_sql(server.log_path.read_bytes()[offset:].decode(errors="replace")))
                    statuses += list(result.statuses)
                report.queries.append({
                    "row": row.name, "statuses": statuses,
                    "statements": [c.statements for c in counts], "transactions": [c.transactions for c in counts],
                    "last": counts[-1].cell(), "texts": counts[-1].texts})
                log(f"  {row.name}: {', '.join(statuses)}; statements {[c.statements for c in counts]}, "
                    f"transactions {[c.transactions for c in counts]}")
    finally:
        server.stop()


async def bench(args: argparse.Namespace, bdb: databases.BenchDatabase, data: datagen.BenchData,
                workdir: Path, report: Report) -> None:
    if args.queries:
        return await census(args, bdb, data, workdir, report)
    server = Server(bdb.url, workdir)
    log(f"starting the server (uvicorn, one worker) on {bdb.kind} ...")
    server.launch()
    await server.wait_ready()
    postgres = databases.PG_DATABASE if bdb.kind == "postgresql" else None
    try:
        report.server["rss_start_mb"] = server.rss_mb()
        report.server["load_before"] = load_average()
        async with httpx.AsyncClient(base_url=server.base_url, timeout=30) as http:
            ctx = BenchContext(host="127.0.0.1", port=server.port, data=data, http=http, quick=args.quick,
                               db_url=bdb.url)
            rows = select_rows(args)
            for row, concurrency in rows:
                report.rows.append(await measure(args, ctx, server, row, concurrency, postgres=postgres))
            if len(rows) > 1:  # the ceiling once more: how far the machine drifted during the run
                row, concurrency = rows[0]
                rr = await measure(args, ctx, server, row, concurrency, postgres=postgres,
                                   label="ceiling, again at the end")
                rr.ceiling = True
                rr.measures = "The ceiling measured again after all rows: the two show the drift during the run."
                report.rows.append(rr)
        # Noise on a shared machine only ever lowers throughput: the better ceiling is the server's.
        ceiling = max((r.throughput for r in report.rows if r.ceiling), default=None)
        ceiling_cpu = min((r.cpu_ms_per_request for r in report.rows if r.ceiling), default=None)
        report.server["ceiling_rps"] = ceiling
        report.server["ceiling_cpu_ms"] = ceiling_cpu
        for rr in report.rows:
            rr.judge(ceiling, ceiling_cpu)
        report.server["rss_end_mb"] = server.rss_mb()
        report.server["rss_peak_mb"] = server.peak_rss_mb()
        report.server["load_after"] = load_average()
    finally:
        server.stop()
        if server.process is not None and server.process.returncode not in (0, -15, None):
            log(f"server log:\n{server.log_tail()}")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.list:
        for r in ROWS:
            print(f"{r.name:34} c={r.concurrency:<3} {r.measures}")
        return 0
    select_rows(args)  # fail on a bad --only / --concurrency before any work
    started = time.perf_counter()
    size = datagen.QUICK if args.quick else datagen.FULL
    workdir = Path(tempfile.mkdtemp(prefix=f"booking-bench-{args.db}-"))
    stamp = datetime.now(UTC)
    kind = "queries" if args.queries else "bench"
    base = Path(args.out) if args.out else ROOT / "var" / "bench" / f"{kind}-{args.db}-{stamp:%Y%m%d-%H%M%S}"
    if base.suffix in (".md", ".json"):
        base = base.with_suffix("")
    args.base = base
    if args.profile and py_spy() is None:
        log("--profile: py-spy is not installed (pip install py-spy into the venv); profiling skipped")
        args.profile = False
    bdb: databases.BenchDatabase | None = None
    try:
        try:
            bdb = arun(databases.create(args.db, workdir))
        except OSError as exc:
            log(f"PostgreSQL is not reachable at {databases.pg_admin_url()} ({exc}); "
                "set BOOKING_BENCH_POSTGRES_URL to an admin URL that may create databases")
            return 2
        log(f"database: {bdb.describe()}; migrating ...")
        upgrade(bdb.url)
        log(f"generating the data set ({size.name}, seed {args.seed}) ...")
        t0 = time.perf_counter()
        data, counts = arun(generate(bdb.url, size, args.seed))
        arun(databases.analyze(bdb))
        data_seconds = time.perf_counter() - t0
        import uvicorn

        report = Report(
            started_at=stamp.isoformat(timespec="seconds"), db=args.db, db_url=bdb.describe(),
            commit=git_commit(), machine=machine(),
            settings={"size": size.name, "seed": args.seed, "duration": args.duration, "warmup": args.warmup,
                      "max_requests": args.max_requests, "client": args.client, "quick": args.quick},
            data_set=counts, data_seconds=data_seconds, server={"uvicorn": uvicorn.__version__},
        )
        try:
            arun(bench(args, bdb, data, workdir, report))
        except AssertionError as exc:  # a row's check: it would have measured the wrong thing
            log(f"aborted: {exc}")
            return 1
    finally:
        if bdb is not None and not args.keep:
            with contextlib.suppress(Exception):
                arun(databases.drop(bdb))
        if args.keep:
            log(f"kept: {workdir}" + (f" and database {databases.PG_DATABASE}" if args.db == "postgresql" else ""))
        else:
            shutil.rmtree(workdir, ignore_errors=True)

    print()
    print(report.text())
    md, js = report.save(base)
    total = time.perf_counter() - started
    print(f"\nsaved {md} and {js} ({total:.0f} s in all)")
    if args.quick and total > 90:
        print(f"warning: --quick took {total:.0f} s; it is meant to finish within 90 s")
    failed = [r for r in report.rows if r.verdict.startswith(("FAIL", "ERRORS"))]
    bad_rss = not math.isnan(report.server.get("rss_peak_mb", math.nan)) and report.rss_verdict == "FAIL"
    return 1 if args.strict and (failed or bad_rss) else 0


if __name__ == "__main__":
    sys.exit(main())
