"""The pure half of `make bench-load`: read wrk's report, turn it into figures, print the table.

Nothing here starts a process or opens a socket, so tests can feed it recorded output.
"""

import json

RESULT_MARK = "BENCH_RESULT "  # the line bench_load.lua's done() writes after wrk's own report


class WrkOutputError(ValueError):
    """wrk ended without the result line (the script failed or wrk was killed)."""


def parse_wrk_output(stdout: str) -> dict:
    """The JSON that bench_load.lua printed: duration_us, requests, bytes, errors, latency_us."""
    for line in reversed(stdout.splitlines()):
        if line.startswith(RESULT_MARK):
            return json.loads(line[len(RESULT_MARK):])
    tail = "\n".join(stdout.strip().splitlines()[-5:])
    raise WrkOutputError(f"wrk printed no {RESULT_MARK.strip()} line; its output ended with:\n"
                         f"{tail or '(nothing)'}")


def _ms(microseconds: float) -> float:
    return round(microseconds / 1000, 1)


def summarise(name: str, path: str, raw: dict, *, hello_rps: float | None = None) -> dict:
    """One page's figures. Latencies are None when no request completed (wrk then says 0)."""
    requests = raw["requests"]
    seconds = raw["duration_us"] / 1_000_000
    rps = requests / seconds if seconds else 0.0
    latency = raw["latency_us"]
    errors = {kind: count for kind, count in raw["errors"].items() if count}
    return {
        "page": name,
        "path": path,
        "requests": requests,
        "seconds": round(seconds, 1),
        "rps": round(rps, 1),
        **{f"{p}_ms": _ms(latency[p]) if requests else None for p in ("p50", "p95", "p99")},
        "max_ms": _ms(latency["max"]) if requests else None,
        "errors": sum(errors.values()),
        "error_kinds": errors,
        "bytes_per_response": round(raw["bytes"] / requests) if requests else None,
        "ratio": round(rps / hello_rps, 3) if hello_rps else None,
    }


def _number(value, digits: int = 0) -> str:
    if value is None:
        return "—"
    return f"{value:,.{digits}f}"


def _latency(value) -> str:
    """Whole milliseconds from 100 ms up, one decimal below: the precision that matters."""
    if value is None:
        return "—"
    return _number(value, 0 if value >= 100 else 1)


def _errors(row: dict) -> str:
    if not row["errors"]:
        return "0"
    kinds = ", ".join(f"{kind} {count:,}" for kind, count in sorted(row["error_kinds"].items()))
    return f"{row['errors']:,} ({kinds})"


COLUMNS = ("page", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors", "bytes/response",
           "ratio to hello-world")


def table_row(row: dict) -> tuple[str, ...]:
    return (row["page"], _number(row["rps"], 1), _latency(row["p50_ms"]),
            _latency(row["p95_ms"]), _latency(row["p99_ms"]), _errors(row),
            _number(row["bytes_per_response"]), _number(row["ratio"], 3))


def format_table(rows: list[dict], notes: list[str] = ()) -> str:
    """A Markdown table (it reads in a terminal and pastes into docs/benchmarks.md)."""
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    lines += ["| " + " | ".join(table_row(row)) + " |" for row in rows]
    lines += [f"- {note}" for note in notes]
    return "\n".join(lines)


def cpu_model(cpuinfo: str) -> str | None:
    """The first `model name` of /proc/cpuinfo."""
    for line in cpuinfo.splitlines():
        key, _, value = line.partition(":")
        if key.strip() == "model name":
            return value.strip()
    return None


def mem_total_gib(meminfo: str) -> float | None:
    """MemTotal of /proc/meminfo (given in KiB there) in GiB."""
    for line in meminfo.splitlines():
        if line.startswith("MemTotal:"):
            return round(int(line.split()[1]) / 1024 ** 2, 1)
    return None
