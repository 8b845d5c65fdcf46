"""Load at production settings: `python -m marketplace.demo.bench_load` (or `make bench-load`).

Serves the database in BENCH_DATABASE_URL with `gunicorn -c gunicorn.conf.py wsgi:app`
(APP_ENV=production, 2 workers × 4 threads unless WEB_CONCURRENCY / GUNICORN_THREADS say
otherwise) on a free loopback port, signs in as the demo users, and drives each page with wrk
(32 connections for BENCH_DURATION seconds) after a warm-up. A one-route hello-world app under
the same gunicorn settings, measured in the same run, gives the ceiling each page is compared
with. Prints a Markdown table and writes the figures to instance/bench-load.json.

The database is only read, apart from what the page visits themselves write (sign-in and
dashboard-list audit events); it needs the demo logins (`flask seed-demo` or `flask seed-scale`).

Settings (environment): BENCH_DURATION (s, 20), BENCH_WARMUP (parallel warm-up requests, 8),
BENCH_CONNECTIONS (32), BENCH_WRK_THREADS (2), BENCH_TIMEOUT (s a request may take before wrk
counts it as an error, 60), BENCH_REGION (region code of the search, KZ-AST), BENCH_PAGES
(comma-separated page keys to run a subset, e.g. `search,ranked`), BENCH_OUTPUT (the JSON file).
"""

import hashlib
import json
import os
import platform
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from marketplace.auth.models import User
from marketplace.candidates.models import CandidateProfile
from marketplace.demo.load_results import (
    cpu_model,
    format_table,
    mem_total_gib,
    parse_wrk_output,
    summarise,
)
from marketplace.demo.load_server import (
    ROOT,
    ServerError,
    SignInError,
    fetch,
    gunicorn,
    last_exception,
    sign_in,
    wait_idle,
)
from marketplace.demo.seed import DEMO_PASSWORD
from marketplace.employers.models import EmployerOrganisation, OrganisationMember, Vacancy
from marketplace.employers.vacancies import public_conditions
from marketplace.reference.models import Region

LUA_SCRIPT = Path(__file__).with_name("bench_load.lua")
HELLO_CONFIG = "marketplace/demo/hello_gunicorn.py"  # production's settings, without its hooks
ADMIN, STAFF = "admin@demo.kz", "staff.astana@demo.kz"
EMPLOYER, CANDIDATE = "employer1@demo.kz", "+77010000001"


@dataclass(frozen=True)
class Settings:
    duration: int
    warmup: int
    connections: int
    wrk_threads: int
    timeout: int
    region: str
    pages: tuple[str, ...]
    output: Path

    @classmethod
    def from_env(cls, env=os.environ) -> "Settings":
        pages = tuple(p.strip() for p in env.get("BENCH_PAGES", "").split(",") if p.strip())
        return cls(duration=int(env.get("BENCH_DURATION", "20")),
                   warmup=int(env.get("BENCH_WARMUP", "8")),
                   connections=int(env.get("BENCH_CONNECTIONS", "32")),
                   wrk_threads=int(env.get("BENCH_WRK_THREADS", "2")),
                   timeout=int(env.get("BENCH_TIMEOUT", "60")),
                   region=env.get("BENCH_REGION", "KZ-AST"),
                   pages=pages,
                   output=Path(env.get("BENCH_OUTPUT") or ROOT / "instance" / "bench-load.json"))


@dataclass(frozen=True)
class Page:
    key: str
    name: str
    path: str
    login: str | None = None


def pages(region_id: int, vacancy_id: int) -> list[Page]:
    """The pages of issue 10's table, under the names it uses."""
    search = urlencode({"q": "свар", "region": region_id})
    return [
        Page("home", "/", "/"),
        Page("search", "/jobs?q=свар&region=…", f"/jobs?{search}"),
        Page("vacancy", "vacancy page", f"/jobs/{vacancy_id}"),
        Page("ranked", "employer's ranked candidates",
             f"/employer/vacancies/{vacancy_id}/candidates", EMPLOYER),
        Page("recommendations", "candidate recommendations", "/candidate/recommendations",
             CANDIDATE),
        Page("staff-home", "staff home (work queues)", "/staff/", STAFF),
        Page("staff-dashboard", "staff dashboard, one region", "/staff/dashboard/", STAFF),
        Page("admin-dashboard", "admin dashboard", "/staff/dashboard/", ADMIN),
    ]


def _read_only_engine(url: str):
    if url.startswith("postgresql"):
        return create_engine(url, connect_args={"options": "-c default_transaction_read_only=on"})
    return create_engine(url)


def find_targets(url: str, region_code: str) -> tuple[int, int, dict]:
    """(region id, employer1's first public vacancy, database facts), in a read-only session."""
    engine = _read_only_engine(url)
    try:
        with engine.connect() as connection:
            region_id = connection.scalar(select(Region.id).where(Region.code == region_code))
            vacancy_id = connection.scalar(
                select(Vacancy.id)
                .join(EmployerOrganisation, EmployerOrganisation.id == Vacancy.organisation_id)
                .join(OrganisationMember,
                      OrganisationMember.organisation_id == Vacancy.organisation_id)
                .join(User, User.id == OrganisationMember.user_id)
                .where(User.email == EMPLOYER, *public_conditions())
                .order_by(Vacancy.id).limit(1))
            facts = {"candidates": connection.scalar(select(func.count(CandidateProfile.id))),
                     "vacancies": connection.scalar(select(func.count(Vacancy.id)))}
            if engine.dialect.name == "postgresql":
                facts["postgresql"] = connection.scalar(text("SHOW server_version"))
    finally:
        engine.dispose()
    if region_id is None:
        raise SystemExit(f"No region {region_code!r} in the database: set BENCH_REGION to a "
                         "region code, or run `flask load-reference`.")
    if vacancy_id is None:
        raise SystemExit(f"{EMPLOYER} has no public vacancy in the database: run "
                         "`flask seed-demo` or `flask seed-scale` first.")
    return region_id, vacancy_id, facts


def data_keys() -> str:
    """The key the data was encrypted with: from the environment, else the development key
    file beside the database (marketplace/config.py keeps it there)."""
    keys = os.environ.get("DATA_ENCRYPTION_KEYS")
    key_file = ROOT / "instance" / "data_encryption_key"
    if not keys and key_file.exists():
        keys = key_file.read_text().strip()
    if not keys:
        raise SystemExit("Set DATA_ENCRYPTION_KEYS to the key the database's data was encrypted "
                         f"with ({key_file} does not exist).")
    return keys


def snapshot_dir(url: str) -> Path:
    """The bench's own matching snapshots, one folder per database: the host's folder
    (instance/matching) holds one snapshot at a time, and the bench must not replace the one
    a developer's server is using."""
    digest = hashlib.sha256(make_url(url).render_as_string(hide_password=True).encode())
    return ROOT / "instance" / "bench-load" / f"matching-{digest.hexdigest()[:16]}"


def server_env(url: str) -> dict:
    """Production settings; a throw-away SECRET_KEY (sessions need only live for the run)."""
    return {"MATCHING_SNAPSHOT_DIR": str(snapshot_dir(url)), **os.environ,
            "APP_ENV": "production", "DATABASE_URL": url,
            "SECRET_KEY": secrets.token_urlsafe(48), "DATA_ENCRYPTION_KEYS": data_keys()}


def run_wrk(url: str, settings: Settings, *, cookie: str = "", seconds: int) -> dict:
    command = ["wrk", "-t", str(settings.wrk_threads), "-c", str(settings.connections),
               "-d", f"{seconds}s", "--timeout", f"{settings.timeout}s",
               "-s", str(LUA_SCRIPT), url]
    # An argument list, no shell: the URL and settings cannot inject a command.
    done = subprocess.run(command, capture_output=True, text=True, check=False,  # noqa: S603
                          env={**os.environ, "BENCH_COOKIE": cookie},
                          timeout=seconds + settings.timeout + 30)
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr.strip()}")
    return parse_wrk_output(done.stdout)


def warm_up(base: str, page: Page, settings: Settings, cookie: str):
    """One request (timed: it may load the matching index), then BENCH_WARMUP at once, so
    that every worker and thread has served the page before wrk starts the clock."""
    first = fetch(base, page.path, cookie=cookie, timeout=settings.timeout * 5)
    with ThreadPoolExecutor(max(settings.warmup, 1)) as pool:
        list(pool.map(lambda _: fetch(base, page.path, cookie=cookie,
                                      timeout=settings.timeout * 5), range(settings.warmup)))
    return first


def measure(base: str, page: Page, settings: Settings, *, log: Path, cookie: str = "",
            hello_rps: float | None = None, health_path: str = "/healthz"
            ) -> tuple[dict, str | None]:
    """Warm up, measure with wrk, then wait for the server to work off wrk's last requests.
    Returns the figures and a note when the first response was slow or not a 200 (with the
    server's last exception for a 5xx)."""
    first = warm_up(base, page, settings, cookie)
    raw = run_wrk(base + page.path, settings, cookie=cookie, seconds=settings.duration)
    idle = wait_idle(base, health_path, within=settings.timeout * 4)
    row = summarise(page.name, page.path, raw, hello_rps=hello_rps)
    row.update(first_status=first.status, first_ms=round(first.seconds * 1000, 1),
               body_bytes=len(first.body))
    notes = []
    if first.status != 200 or first.seconds > 3:
        notes.append(f"the warm-up request answered HTTP {first.status} after "
                     f"{first.seconds:,.1f} s")
    if first.status >= 500:
        notes.append(f"the server logged {last_exception(log) or 'no exception'}")
    if not idle:
        notes.append("the server was still busy with its requests afterwards, which may slow "
                     "the next page")
    return row, f"{page.name}: {'; '.join(notes)}" if notes else None


def measure_hello(settings: Settings, env: dict, log: Path) -> dict:
    with gunicorn("marketplace.demo.hello:app", env, log=log, config=HELLO_CONFIG,
                  health_path="/") as base:
        row, _ = measure(base, Page("hello", "hello-world (one route)", "/"), settings,
                         log=log, health_path="/")
    row["ratio"] = 1.0
    return row


def measure_pages(chosen: list[Page], settings: Settings, env: dict, log: Path,
                  hello_rps: float) -> tuple[list[dict], list[str], float]:
    """Each page in turn on one server; each demo user signs in once, on first need."""
    rows, notes, cookies = [], [], {}
    began = time.perf_counter()
    with gunicorn("wsgi:app", env, log=log) as base:
        start_s = round(time.perf_counter() - began, 1)
        notes.append(f"the marketplace answered its health check {start_s} s after gunicorn "
                     "started (the first start on a host builds its matching snapshot)")
        for page in chosen:
            try:
                if page.login and page.login not in cookies:
                    cookies[page.login] = sign_in(base, page.login, DEMO_PASSWORD,
                                                  timeout=settings.timeout)
            except SignInError as error:
                notes.append(f"{page.name}: not measured, {error}")
                continue
            print(f"… {page.name}", file=sys.stderr, flush=True)
            row, note = measure(base, page, settings, log=log,
                                cookie=cookies.get(page.login, ""), hello_rps=hello_rps)
            rows.append(row)
            notes += [note] if note else []
    return rows, notes, start_s


def machine(facts: dict) -> dict:
    def read(path):
        return Path(path).read_text() if Path(path).exists() else ""

    return {"nproc": os.cpu_count(), "cpu": cpu_model(read("/proc/cpuinfo")),
            "mem_total_gib": mem_total_gib(read("/proc/meminfo")),
            "python": platform.python_version(), **facts}


def _stop_on_sigterm() -> None:
    """`kill` of the bench runs the same clean-up as Ctrl+C: gunicorn is always stopped."""
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))


def chosen_pages(settings: Settings, region_id: int, vacancy_id: int) -> list[Page]:
    every = pages(region_id, vacancy_id)
    unknown = set(settings.pages) - {page.key for page in every}
    if unknown:
        raise SystemExit(f"Unknown BENCH_PAGES {', '.join(sorted(unknown))}; the pages are "
                         f"{', '.join(page.key for page in every)}.")
    return [page for page in every if not settings.pages or page.key in settings.pages]


def report(url: str, settings: Settings, env: dict, facts: dict, figures: dict) -> dict:
    """Everything docs need to quote a run: when, on what, with which settings, the figures."""
    return {
        **figures,
        "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "database": make_url(url).render_as_string(hide_password=True),
        "machine": machine(facts),
        "settings": {"duration_s": settings.duration, "warmup_requests": settings.warmup,
                     "connections": settings.connections, "wrk_threads": settings.wrk_threads,
                     "timeout_s": settings.timeout,
                     "gunicorn_workers": int(env.get("WEB_CONCURRENCY", "2")),
                     "gunicorn_threads": int(env.get("GUNICORN_THREADS", "4"))},
    }


def run(chosen: list[Page], settings: Settings, env: dict) -> dict:
    """The hello-world ceiling, then the pages; gunicorn's log is kept only while it runs."""
    started_at = datetime.now(UTC)
    with tempfile.TemporaryDirectory(prefix="bench-load-") as folder:
        log = Path(folder) / "gunicorn.log"
        print("… hello-world", file=sys.stderr, flush=True)
        try:
            hello = measure_hello(settings, env, log)
            rows, notes, start_s = measure_pages(chosen, settings, env, log, hello["rps"])
        except ServerError as error:
            raise SystemExit(str(error)) from error
    return {"started_at": started_at.isoformat(timespec="seconds"), "app_start_s": start_s,
            "hello": hello, "pages": rows, "notes": notes}


def main() -> None:
    url = os.environ.get("BENCH_DATABASE_URL")
    if not url:
        raise SystemExit("Set BENCH_DATABASE_URL to the database to measure, e.g. "
                         "BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1/scale "
                         "make bench-load (it is read, never reset).")
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install -y wrk")
    _stop_on_sigterm()
    settings = Settings.from_env()
    region_id, vacancy_id, facts = find_targets(url, settings.region)  # before any server
    chosen = chosen_pages(settings, region_id, vacancy_id)
    env = server_env(url)
    results = report(url, settings, env, facts, run(chosen, settings, env))
    settings.output.parent.mkdir(parents=True, exist_ok=True)
    settings.output.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n")
    print(format_table([results["hello"], *results["pages"]], results["notes"]))
    print(f"\nStarted {results['started_at']} (UTC); figures in {settings.output}")


if __name__ == "__main__":
    main()
