"""Hires: the employment the employer records and the candidate confirms, some ended since, and
the retention check-ins at 1, 3, 6 and 12 months that staff recorded (a few overdue)."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from marketplace.cases.checkins import CALL_BACK_AT_OR_BELOW
from marketplace.cases.models import CHECK_IN_MONTHS
from marketplace.dates import add_months
from marketplace.demo import scale_content as words
from marketplace.demo.scale_reference import Weighted

# Each month a job ends with this chance: about 40% of people leave within six months.
MONTHLY_END_CHANCE = 0.07
SATISFACTION = Weighted((3, 4, 5, 6, 7, 8, 9, 10), (2, 3, 5, 8, 20, 30, 20, 12))


@dataclass(slots=True)
class Job:
    id: int
    hired: object
    start: date
    wage: Decimal
    hours: int
    status: str
    confirmed_at: datetime | None
    end_date: date | None
    end_recorded: datetime | None
    reason: str | None


def _terms(rng, opening) -> tuple[Decimal, int, str]:
    wage = opening.salary_min or Decimal(rng.randrange(150_000, 400_001, 10_000))
    roll = rng.random()
    if roll < 0.08:
        return (wage / 2).quantize(Decimal("0.01")), 20, "part_time"
    contract = "permanent" if roll < 0.75 else "fixed_term" if roll < 0.95 else "seasonal"
    return wage, 40 if rng.random() < 0.9 else 36, contract


def _ending(scale, rng, start: date, confirmed: datetime):
    """(end date, when it was recorded, reason) or Nones for a job that goes on."""
    months = 0
    while rng.random() > MONTHLY_END_CHANCE and months < 40:
        months += 1
    end = start + timedelta(days=months * 30 + rng.randint(0, 29))
    if end >= scale.clock.today - timedelta(days=1):
        return None, None, None
    # Most employers record the end within days; some only weeks later, after a month the
    # person no longer worked may already have been confirmed and paid.
    late = 60 if rng.random() < 0.2 else 10
    recorded = max(confirmed, scale.clock.soon(rng, scale.clock.at(end, rng), late))
    return end, recorded, rng.choice(words.LEFT_REASONS)


def write_employments(scale, pipeline) -> list[Job]:
    rng, clock, jobs, rows = scale.rng("employments"), scale.clock, [], []
    for hired in pipeline.hired:
        owner = hired.opening.organisation.owner_id
        start = min(hired.at.date() + timedelta(days=rng.randint(7, 30)),
                    clock.today + timedelta(days=60))
        wage, hours, contract = _terms(rng, hired.opening)
        confirmed = None
        if clock.end - hired.at > timedelta(days=3) or rng.random() < 0.4:
            confirmed = clock.soon(rng, hired.at, 3)
        end, end_recorded, reason = (_ending(scale, rng, start, confirmed) if confirmed
                                     and start < clock.today else (None, None, None))
        status = "ended" if end else "confirmed" if confirmed else "recorded"
        job = Job(scale.writer.next_id("employment"), hired, start, wage, hours, status,
                  confirmed, end, end_recorded, reason)
        jobs.append(job)
        rows.append((job.id, hired.application_id, start, wage, hours, contract, status, owner,
                     hired.at, confirmed, end, reason))
        _audit(scale, pipeline, job, owner)
    scale.writer.write("employment", (
        "id", "application_id", "start_date", "monthly_wage", "hours_per_week",
        "contract_type", "status", "recorded_by_id", "recorded_at", "confirmed_at", "end_date",
        "end_reason"), rows)
    return jobs


def _audit(scale, pipeline, job: Job, owner: int) -> None:
    hired, audit = job.hired, scale.audit
    audit.add("employment:record", "employment", job.id, owner, hired.at,
              application_id=hired.application_id, contract_file_id=None)
    if job.confirmed_at is not None:
        audit.add("employment:confirm", "employment", job.id, hired.candidate.user_id,
                  job.confirmed_at)
        organisation = hired.opening.organisation
        for user_id in (organisation.owner_id, *organisation.member_ids):
            pipeline.notify(user_id, "hire_confirmed", {"vacancy": hired.opening.title},
                            pipeline.links["employer"].format(hired.application_id),
                            job.confirmed_at)
    if job.end_date is not None:
        audit.add("employment:end", "employment", job.id, owner, job.end_recorded,
                  end_date=job.end_date.isoformat())


def write_check_ins(scale, jobs) -> dict[int, list]:
    """Check-ins of confirmed hires; returns the call-backs that low scores raised, by person."""
    rng, clock, rows, call_backs = scale.rng("check-ins"), scale.clock, [], {}
    for job in jobs:
        if job.confirmed_at is None:
            continue
        person = job.hired.candidate
        for months in CHECK_IN_MONTHS:
            due = add_months(job.start, months)
            outcome = satisfaction = recorded = officer = None
            reason = ""
            if due <= clock.today - timedelta(days=14) and rng.random() < 0.93:
                officer = rng.choice(scale.staff[person.region.id])
                recorded = max(job.confirmed_at, clock.soon(rng, clock.at(due, rng), 10))
                if job.end_date is not None and job.end_date <= due:
                    outcome, reason = "left", job.reason
                elif rng.random() < 0.92:
                    outcome, satisfaction = "employed", SATISFACTION.pick(rng)
                else:
                    outcome = "unknown"
            check_in_id = scale.writer.next_id("check_in")
            rows.append((check_in_id, job.id, months, due, outcome, reason, satisfaction,
                         officer, recorded))
            if outcome is None:
                continue
            scale.audit.add("check_in:complete", "check_in", check_in_id, officer, recorded,
                            employment_id=job.id, months_after=months, outcome=outcome,
                            satisfaction=satisfaction)
            if satisfaction is not None and satisfaction <= CALL_BACK_AT_OR_BELOW:
                call_backs.setdefault(person.id, []).append((recorded, officer))
    scale.writer.write("check_in", ("id", "employment_id", "months_after", "due_on", "outcome",
                                    "left_reason", "satisfaction", "recorded_by_id",
                                    "recorded_at"), rows)
    return call_backs
