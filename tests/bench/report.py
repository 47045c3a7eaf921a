"""The results table: printed, and saved as markdown and JSON."""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from tests.bench.cpu import CpuShares
from tests.bench.rows import Target

RSS_TARGET_MB = 200.0
NOISY_OTHER_PCT = 30.0  # other work on the machine above this share of a core makes a row unreliable


@dataclass
class RowResult:
    name: str
    measures: str
    concurrency: int
    requests: int
    elapsed_s: float
    throughput: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    errors: int
    statuses: dict[str, int]
    first_failures: list[str]
    rss_max_mb: float
    cpu: CpuShares  # percent of one core: server, database, load generator, everything else
    cpu_ms_per_request: float  # server + database CPU per request (warm-up included on both sides)
    target: Target | None = None
    ceiling: bool = False
    ratio_pct: float | None = None  # throughput / ceiling throughput
    cpu_ratio_pct: float | None = None  # ceiling's CPU per request / this row's: robust against noise
    verdict: str = ""  # "", "PASS", "FAIL ...", "ERRORS"
    complaints: list[str] = field(default_factory=list)  # from the row's after-check
    profile: list[str] = field(default_factory=list)  # --profile: where the server's time went
    profile_file: str = ""

    def judge(self, ceiling_throughput: float | None, ceiling_cpu_ms: float | None = None) -> None:
        if ceiling_throughput and not self.ceiling:
            self.ratio_pct = 100.0 * self.throughput / ceiling_throughput
        if ceiling_cpu_ms and self.cpu_ms_per_request > 0 and not self.ceiling:
            self.cpu_ratio_pct = 100.0 * ceiling_cpu_ms / self.cpu_ms_per_request
        failures = []
        if self.errors:
            failures.append(f"{self.errors} errors")
        failures += self.complaints
        t = self.target
        if t is not None:
            if t.min_ratio is not None and (self.ratio_pct is None or self.ratio_pct < 100 * t.min_ratio):
                failures.append(f"ratio < {100 * t.min_ratio:.0f} %")
            if t.max_p95_ms is not None and not self.p95_ms <= t.max_p95_ms:
                failures.append(f"p95 > {t.max_p95_ms:g} ms")
            self.verdict = "FAIL: " + ", ".join(failures) if failures else "PASS"
        else:
            self.verdict = "ERRORS: " + ", ".join(failures) if failures else ""


@dataclass
class Report:
    started_at: str
    db: str
    db_url: str
    commit: str
    machine: dict[str, Any]
    settings: dict[str, Any]
    data_set: dict[str, int]
    data_seconds: float
    rows: list[RowResult] = field(default_factory=list)
    server: dict[str, Any] = field(default_factory=dict)
    queries: list[dict[str, Any]] = field(default_factory=list)  # --queries: SQL statements per request

    @property
    def rss_verdict(self) -> str:
        peak = float(self.server.get("rss_peak_mb", math.nan))
        return "PASS" if peak <= RSS_TARGET_MB else "FAIL"

    def table(self) -> str:
        header = ["operation", "requests", "conc", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors",
                  "% of ceiling", "CPU ms/req", "RSS max MB", "CPU % srv/db/gen/other", "target", "result"]
        lines = [header]
        for r in self.rows:
            lines.append([
                r.name, f"{r.requests:,}", str(r.concurrency), f"{r.throughput:,.0f}" if r.throughput >= 100
                else f"{r.throughput:,.1f}", _ms(r.p50_ms), _ms(r.p95_ms), _ms(r.p99_ms),
                f"{r.errors:,}" if not r.errors else f"**{r.errors:,}**",
                "(ceiling)" if r.ceiling else (f"{r.ratio_pct:.1f}" if r.ratio_pct is not None else "-"),
                _ms(r.cpu_ms_per_request), f"{r.rss_max_mb:.0f}", r.cpu.cell(),
                r.target.text if r.target else ("measured, for the ratio" if r.ceiling else "-"),
                r.verdict or "-",
            ])
        widths = [max(len(row[i]) for row in lines) for i in range(len(header))]
        right = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}

        def fmt(row: list[str]) -> str:
            cells = [c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True))]
            return "| " + " | ".join(cells) + " |"

        rule = "|" + "|".join(("-" * (w + 1) + ":") if i in right else "-" * (w + 2)
                              for i, w in enumerate(widths)) + "|"
        return "\n".join([fmt(lines[0]), rule, *(fmt(row) for row in lines[1:])])

    def preamble(self) -> list[str]:
        m, s = self.machine, self.settings
        srv = self.server
        return [
            f"booking benchmark, {self.started_at}, commit {self.commit}",
            f"database: {self.db} ({self.db_url})",
            f"machine: {m['cores']} cores ({m['cpu']}), {m['memory_gb']:.0f} GB, Python {m['python']}",
            f"server: uvicorn {srv.get('uvicorn', '?')}, 1 worker, loopback; load generator: {s['client']} client, "
            f"separate process; {s['duration']:g} s per row after {s['warmup']:g} s warm-up, "
            f"at most {s['max_requests']:,} requests per row",
            f"data set ({s['size']}, seed {s['seed']}, generated in {self.data_seconds:.1f} s): "
            + ", ".join(f"{k} {v:,}" for k, v in self.data_set.items()),
        ]

    def footer(self) -> list[str]:
        srv = self.server
        peak_row = max(self.rows, key=lambda r: r.rss_max_mb, default=None)
        lines = [
            f"server RSS: peak {srv.get('rss_peak_mb', math.nan):.0f} MB (VmHWM over the whole run; target "
            f"<= {RSS_TARGET_MB:.0f} MB: {self.rss_verdict})"
            + (f", highest during '{peak_row.name}'" if peak_row else "")
            + f"; after start {srv.get('rss_start_mb', math.nan):.0f} MB, at the end "
            f"{srv.get('rss_end_mb', math.nan):.0f} MB",
            f"ratio = throughput / ceiling throughput ({srv.get('ceiling_rps') or 0:,.0f} req/s, the higher of the "
            "two ceiling rows of this run). "
            "CPU % = share of one core over the row: server process (all threads) / database server "
            "(local PostgreSQL backends; SQLite runs inside the server) / load generator / everything "
            "else on the machine. A side near 100 % was the limit. CPU ms/req = server + database CPU time "
            "per request: it moves much less than throughput when other work shares the machine, so on a "
            "busy machine ceiling ms/req / row ms/req is the better ratio (`cpu_ratio_pct` in the JSON).",
            f"machine load average before {srv.get('load_before', '?')}, after {srv.get('load_after', '?')}",
        ]
        noisy = [r.name for r in self.rows if r.cpu.other + r.cpu.steal > NOISY_OTHER_PCT]
        if noisy:
            lines.append("DISTURBED: other work on the machine (or CPU steal) took more than "
                         f"{NOISY_OTHER_PCT:.0f} % of a core during: {', '.join(noisy)}. Repeat on a quiet machine "
                         "before trusting those rows.")
        return lines

    def queries_table(self) -> str:
        header = ["operation", "statuses", "statements per request", "transactions", "the last request's statements"]
        lines = [header] + [[q["row"], " ".join(q["statuses"]), " / ".join(map(str, q["statements"])),
                             " / ".join(map(str, q["transactions"])), q["last"]] for q in self.queries]
        widths = [max(len(row[i]) for row in lines) for i in range(len(header))]

        def fmt(row: list[str]) -> str:
            return "| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |"

        return "\n".join([fmt(lines[0]), "|" + "|".join("-" * (w + 2) for w in widths) + "|",
                          *(fmt(row) for row in lines[1:])])

    def text(self) -> str:
        if self.queries:
            return "\n".join([*self.preamble()[:2], *self.preamble()[4:], "", self.queries_table(), "",
                              "statements = SELECT/INSERT/UPDATE/DELETE the server logged (BOOKING_LOG_SQL) "
                              "for each of a row's first three requests, sent one at a time; transactions = "
                              "BEGINs. The outbox worker was off."])
        lines = [*self.preamble(), "", self.table(), "", *self.footer()]
        for r in self.rows:
            if r.profile:
                lines += ["", f"profile of '{r.name}' ({r.profile_file or 'none'}):", *(f"  {p}" for p in r.profile)]
        return "\n".join(lines)

    def markdown(self) -> str:
        if self.queries:
            lines = ["# booking: SQL statements per request", "", self.text(), "", "## The statements", ""]
            for q in self.queries:
                lines += [f"### {q['row']}", "", "```sql", *q["texts"], "```", ""]
            return "\n".join(lines) + "\n"
        lines = ["# booking benchmark", "", *(f"- {line}" for line in self.preamble()), "", self.table(), "",
                 *(f"- {line}" for line in self.footer()), "", "## What the rows measure", ""]
        lines += [f"- **{r.name}**: {r.measures}" for r in self.rows]
        failures = [(r.name, f) for r in self.rows for f in [*r.complaints, *r.first_failures]]
        if failures:
            lines += ["", "## First failures", ""] + [f"- {name}: `{f}`" for name, f in failures]
        profiled = [r for r in self.rows if r.profile]
        if profiled:
            lines += ["", "## Profiles (py-spy, busy samples of the server)", ""]
            for r in profiled:
                lines += [f"### {r.name}", "", f"raw stacks: `{r.profile_file}`", "", "```", *r.profile, "```", ""]
        return "\n".join(lines) + "\n"

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        for r in out["rows"]:
            r["latencies_note"] = "milliseconds; nearest-rank percentiles"
        out["rss_target_mb"] = RSS_TARGET_MB
        out["rss_verdict"] = self.rss_verdict
        return out

    def save(self, base: Path) -> tuple[Path, Path]:
        base.parent.mkdir(parents=True, exist_ok=True)
        md, js = base.with_suffix(".md"), base.with_suffix(".json")
        md.write_text(self.markdown())
        js.write_text(json.dumps(_finite(self.to_json()), indent=2, default=str, allow_nan=False) + "\n")
        return md, js


def _ms(value: float) -> str:
    if math.isnan(value):
        return "-"
    if value < 1:
        return f"{value:.2f}"
    return f"{value:.1f}" if value < 100 else f"{value:.0f}"


def _finite(value: Any) -> Any:
    """NaN (no answers at all) becomes null: JSON has no NaN."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value
