"""`flask seed-scale --candidates N --vacancies M [--seed S]`: a national-size database.

Run it after `flask db upgrade` and `flask load-reference`, on a database without bulk data.
It first runs `seed-demo` (so the demo logins work: same e-mails, phones and password), then
adds, in one transaction: job-centre staff for every region, N candidates (5–15 skills, some typed
with synonyms or typos, 90% discoverable, work history, languages, wanted occupations; 75% with
a release record, 28% with court bans or supervision conditions, both encrypted), M/8
organisations with owners and members, M vacancies (70% public), applications through every
stage, hires with check-ins, subsidy claims in every state with their months, payments and
budget ledger, casework, notifications and the audit trail, spread over 14 months. PostgreSQL
loads by COPY with its foreign keys validated once at the end, SQLite by batched inserts
(scale_writer.py); nothing should serve the database meanwhile. The same seed on the same day
writes the same rows (ciphertexts and password salts aside: those are random by design).

Why it refuses a second run instead of appending: the bulk rows' natural keys (phones, IINs,
BINs, e-mails) come from the seed, so a second load would collide with the first, and a
database that is "demo + one load" is the thing benchmarks can compare run to run. To load
again, start from an empty schema.
"""

import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from flask import current_app
from sqlalchemy import func, or_, select, text

from marketplace.auth.models import User
from marketplace.auth.passwords import hash_password
from marketplace.candidates.models import CandidateProfile
from marketplace.demo import (
    scale_cases,
    scale_claims,
    scale_employers,
    scale_hires,
    scale_hiring,
    scale_money,
    scale_people,
)
from marketplace.demo.claims import DEMO_PROOF
from marketplace.demo.scale_reference import (
    Audit,
    Clock,
    Notifications,
    Reference,
    load_reference,
    streams,
)
from marketplace.demo.scale_writer import BulkWriter
from marketplace.demo.seed import DEMO_PASSWORD, seed_demo
from marketplace.employers.models import EmployerOrganisation
from marketplace.extensions import db
from marketplace.incentives.models import BudgetAccount, Claim
from marketplace.reference.models import Region, Skill


class ScaleRefused(RuntimeError):
    """The database is not ready for a bulk load, or already holds one (an operator's message
    in English, like the other commands' errors)."""


@dataclass
class Scale:
    """What the stages share while one load runs."""

    session: object
    writer: BulkWriter
    ref: Reference
    clock: Clock
    rng: object
    password_hash: str
    audit: Audit
    notes: Notifications
    staff: dict = field(default_factory=dict)
    existing_iins: set = field(default_factory=set)
    existing_bins: set = field(default_factory=set)
    existing_codes: set = field(default_factory=set)
    existing_accounts: dict = field(default_factory=dict)
    files: list = field(default_factory=list)
    vacancy_ids: list = field(default_factory=list)


def check_ready(session) -> None:
    """Raises ScaleRefused unless reference data is loaded and no bulk load happened yet."""
    if not session.scalar(select(func.count(Region.id))) or not session.scalar(
            select(func.count(Skill.id))):
        raise ScaleRefused("No reference data: run `flask db upgrade` and `flask "
                           "load-reference` first.")
    bulk = session.scalar(select(User.id).where(or_(
        User.email.like(f"%@{scale_people.BULK_DOMAIN}"),
        User.phone.like(scale_people.CANDIDATE_PHONE[:5] + "%"))).limit(1))
    if bulk is not None:
        raise ScaleRefused("This database already holds a bulk load (accounts @"
                           f"{scale_people.BULK_DOMAIN}). seed-scale does not append: "
                           "start from an empty schema (drop it, `flask db upgrade`, "
                           "`flask load-reference`) and run it again.")


def prepare(session, writer, seed: int, today: date) -> Scale:
    """The shared state of one load: reference data, clock, random streams, existing keys."""
    clock = Clock(today)
    rng = streams(seed)
    # argon2id is slow on purpose (tens of milliseconds and 64 MiB a hash): hashing 100,000
    # passwords would take over an hour on two cores. So the one demo password is hashed once
    # and every bulk account stores that hash. A shared salt is acceptable only because these
    # accounts are synthetic; the benchmark signs any of them in with DEMO_PASSWORD.
    scale = Scale(session, writer, load_reference(), clock, rng, hash_password(DEMO_PASSWORD),
                  Audit(), Notifications(clock, rng("notifications")))
    scale.existing_iins = set(session.scalars(select(CandidateProfile.iin)
                                              .where(CandidateProfile.iin.is_not(None))))
    scale.existing_bins = set(session.scalars(select(EmployerOrganisation.bin)))
    scale.existing_codes = {c.replace("-", "") for c in session.scalars(
        select(Claim.document_code).where(Claim.document_code.is_not(None)))}
    scale.existing_accounts = {(a.programme_id, a.region_id): a.id
                               for a in session.scalars(select(BudgetAccount))}
    return scale


def load(scale: Scale, candidates: int, vacancies: int, echo) -> None:
    """Every table, parents before children (SQLite checks each row's keys as it goes)."""
    echo("People:")
    scale.staff = scale_people.staff_users(scale, candidates)
    organisations = scale_employers.write_organisations(
        scale, max(1, vacancies // scale_employers.VACANCIES_PER_ORGANISATION))
    openings = scale_employers.write_vacancies(scale, organisations, vacancies)
    people = scale_people.plan_candidates(scale, candidates)
    scale_people.write_candidates(scale, people)
    echo("Job centre records:")
    scale_cases.write_releases_and_restrictions(scale, people)
    scale_cases.write_certificates(scale, people)
    scale_cases.write_reoffences(scale, people)
    scale.audit.write(scale.writer)
    echo("Hiring:")
    pipeline = scale_hiring.Pipeline(scale, openings)
    pipeline.walk(people)
    pipeline.write()
    scale_hiring.write_reports(scale, openings, people)
    jobs = scale_hires.write_employments(scale, pipeline)
    call_backs = scale_hires.write_check_ins(scale, jobs)
    scale_cases.write_casework(scale, people, call_backs)
    scale.audit.write(scale.writer)
    echo("Subsidies and money:")
    claims = scale_claims.Claims(scale)
    claims.walk(jobs)
    scale_money.write_claims(claims)
    echo("Notifications and audit trail:")
    scale.notes.write(scale.writer)
    scale.audit.write(scale.writer)
    scale.vacancy_ids = [o.id for o in openings]


def _reindex(scale: Scale, vacancy_ids: list[int], echo) -> None:
    """Search and matching learn of the new rows, which passed no ORM hook: the search index
    is rewritten for the new vacancies, and a `refresh` in the change log asks for a new
    matching build (as the daily `flask matching-refresh` does)."""
    from marketplace.jobs.index import reindex
    from marketplace.matches.changes import record_change

    began = time.perf_counter()
    count = reindex(scale.writer.connection, vacancy_ids)
    echo(f"  {'vacancy_search':<30} {count:>10,} rows {time.perf_counter() - began:8.1f} s")
    record_change("refresh", 0)


def seed_scale(*, candidates: int, vacancies: int, seed: int, echo=print,
               today: date | None = None) -> dict[str, int]:
    """Load the demo and the bulk data; returns rows written per table. Raises ScaleRefused."""
    session = db.session
    check_ready(session)
    began = time.perf_counter()
    echo("Demo accounts (seed-demo):")
    seed_demo()
    session.commit()
    echo(f"  done in {time.perf_counter() - began:.1f} s")
    writer = BulkWriter(session, echo)
    writer.suspend_foreign_keys()
    scale = prepare(session, writer, seed, today or date.today())
    load(scale, candidates, vacancies, echo)
    _reindex(scale, scale.vacancy_ids, echo)
    writer.finish()
    session.commit()
    _write_files(scale.files)
    _after_load(session, echo)
    _summary(writer, echo, time.perf_counter() - began)
    return dict(writer.rows)


def _write_files(keys: list[str]) -> None:
    """The pension proofs the claim months point at (one small PDF per organisation)."""
    folder = Path(current_app.config["UPLOAD_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    for key in keys:
        (folder / key).write_bytes(DEMO_PROOF)


def _after_load(session, echo) -> None:
    """PostgreSQL's planner learns the new sizes (without ANALYZE it plans for the nearly
    empty tables it saw last), then the dashboard's stored figures are counted again."""
    from marketplace.indicators.aggregates import refresh

    if session.get_bind().dialect.name == "postgresql":
        began = time.perf_counter()
        session.execute(text("ANALYZE"))
        session.commit()
        echo(f"ANALYZE in {time.perf_counter() - began:.1f} s")
    began = time.perf_counter()
    refresh()
    session.commit()
    echo(f"Indicator figures counted in {time.perf_counter() - began:.1f} s")


def _summary(writer: BulkWriter, echo, seconds: float) -> None:
    echo("Rows and seconds per table:")
    for table in sorted(writer.rows, key=lambda t: -writer.seconds[t]):
        echo(f"  {table:<30} {writer.rows[table]:>10,} {writer.seconds[table]:8.1f} s")
    echo(f"Total: {sum(writer.rows.values()):,} rows in {seconds:.1f} s. "
         f"Every account's password: {DEMO_PASSWORD}")
