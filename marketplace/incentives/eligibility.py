"""Eligibility of (employer, employment, programme): every check with pass / fail / unknown and
a plain-language reason in the reader's language. The employer sees it before filing; staff see
it in review. `unknown` is honest: the data that would decide it is not recorded yet."""

import enum
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l

from marketplace.employers.models import VerificationStatus
from marketplace.hiring.models import Employment, EmploymentStatus
from marketplace.incentives.models import IncentiveProgramme
from marketplace.incentives.rules import Rules
from marketplace.incentives.services import rules_in_force


class Outcome(enum.StrEnum):
    PASS = "pass"  # noqa: S105 - an outcome, not a password
    FAIL = "fail"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Check:
    code: str
    outcome: Outcome
    reason: object  # a lazy translated string


def _check(code, ok: bool | None, passed, failed, unknown=None) -> Check:
    if ok is None:
        return Check(code, Outcome.UNKNOWN, unknown)
    return Check(code, Outcome.PASS if ok else Outcome.FAIL, passed if ok else failed)


def months_between(start: date, end: date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)


def registration_month(bin_: str) -> date | None:
    """A BIN starts with the year and month of registration (YYMM)."""
    try:
        year, month = int(bin_[:2]), int(bin_[2:4])
        return date(2000 + year if year < 50 else 1900 + year, month, 1)
    except (ValueError, TypeError):
        return None


def _programme_checks(programme, organisation, start) -> list[Check]:
    active = programme.active_from <= start and (programme.active_to is None
                                                 or start <= programme.active_to)
    in_scope = programme.region_id is None or programme.region_id == organisation.region_id
    return [
        _check("programme_active", active, _l("The programme was open on the start date."),
               _l("The programme was not open on the start date.")),
        _check("region", in_scope, _l("The programme covers the employer's region."),
               _l("The programme does not cover the employer's region.")),
    ]


def _employer_checks(rules: Rules, organisation, start, *, arrears_declared) -> list[Check]:
    checks = []
    if rules.employer_verified:
        checks.append(_check(
            "employer_verified", organisation.status is VerificationStatus.VERIFIED,
            _l("The job centre has verified the employer."),
            _l("The job centre has not verified the employer yet.")))
    if rules.min_operating_months:
        registered = registration_month(organisation.bin)
        months = months_between(registered, start) if registered else None
        checks.append(_check(
            "operating_months", None if months is None else months >= rules.min_operating_months,
            _l("The employer has operated for at least %(months)d months.",
               months=rules.min_operating_months),
            _l("The employer has operated for less than %(months)d months.",
               months=rules.min_operating_months),
            _l("The registration date cannot be read from the BIN.")))
    if rules.no_wage_arrears:
        checks.append(_check(
            "no_wage_arrears", arrears_declared, _l("The employer declared no wage arrears."),
            _l("The employer has wage arrears."),
            _l("The employer has not yet declared whether there are wage arrears.")))
    if rules.retention_duty:
        checks.append(_retention_check(organisation, start))
    return checks


def _retention_check(organisation, start) -> Check:
    """With ≥ 10 subsidised hires last year the employer must have kept ≥ 10 % (at least 1);
    proving that needs pension-contribution records we do not hold yet."""
    from marketplace.incentives.claims import subsidised_hires

    last_year = subsidised_hires(organisation, start.year - 1)
    if last_year < 10:
        return Check("retention_duty", Outcome.PASS,
                     _l("Fewer than 10 subsidised hires last year: no retention duty."))
    return Check("retention_duty", Outcome.UNKNOWN,
                 _l("%(count)d subsidised hires last year: staff must confirm that at least "
                    "10%% were kept on permanent staff.", count=last_year))


def _job_checks(rules: Rules, employment: Employment, vacancy, start, filing) -> list[Check]:
    checks = [_check(
        "employment_confirmed", employment.status in (EmploymentStatus.CONFIRMED,
                                                      EmploymentStatus.ENDED),
        _l("The employee confirmed the hire."), _l("The employee has not confirmed the hire."))]
    if rules.exclude_hazardous:
        checks.append(_check("not_hazardous", not vacancy.hazardous,
                             _l("The job is not heavy or hazardous work."),
                             _l("Heavy or hazardous work cannot be subsidised.")))
    if rules.exclude_existing_permanent_post:
        checks.append(_check("not_existing_post", not vacancy.existing_permanent_post,
                             _l("The job is not an existing permanent post."),
                             _l("An existing permanent post cannot be subsidised.")))
    if rules.min_hours_per_week:
        checks.append(_check(
            "min_hours", employment.hours_per_week >= rules.min_hours_per_week,
            _l("At least %(hours)d hours a week.", hours=rules.min_hours_per_week),
            _l("Fewer than %(hours)d hours a week.", hours=rules.min_hours_per_week)))
    if rules.filing_deadline_days is not None:
        deadline = start + timedelta(days=rules.filing_deadline_days)
        checks.append(_check(
            "filing_deadline", filing <= deadline,
            _l("Filed by the deadline (%(date)s).", date=deadline.isoformat()),
            _l("The filing deadline (%(date)s) has passed.", date=deadline.isoformat())))
    return checks


def _target_group_check(rules: Rules, employment: Employment, start) -> list[Check]:
    if rules.released_within_months is None:
        return []
    from marketplace.hiring.employments import release_date_of

    # The release record (date, institution, document) is entered by job-centre staff from
    # the document they saw; until it exists this check cannot be decided either way.
    released = release_date_of(employment.application.profile_id)
    months = rules.released_within_months
    recent = None if released is None else months_between(released, start) < months or (
        months_between(released, start) == months and released.day == start.day)
    return [_check(
        "released_recently", recent,
        _l("Released within %(months)d months before the start (job centre record).",
           months=months),
        _l("Released more than %(months)d months before the start.", months=months),
        _l("The job centre has not yet recorded the release date (must be within "
           "%(months)d months of the start).", months=months))]


def check_eligibility(employment: Employment, programme: IncentiveProgramme, *,
                      filing_date: date | None = None,
                      arrears_declared: bool | None = None) -> list[Check]:
    """Every check for this claim, judged by the rules in force on the start date."""
    start = employment.start_date
    vacancy = employment.application.vacancy
    organisation = vacancy.organisation
    checks = _programme_checks(programme, organisation, start)
    rules = rules_in_force(programme, start)
    if rules is None:
        return [*checks, Check("rules_in_force", Outcome.FAIL,
                               _l("No rules of this programme were in force on the start "
                                  "date."))]
    return [*checks, *_target_group_check(rules, employment, start),
            *_employer_checks(rules, organisation, start, arrears_declared=arrears_declared),
            *_job_checks(rules, employment, vacancy, start, filing_date or date.today())]


def verdict(checks: list[Check]) -> Outcome:
    """Fail if any check fails, unknown if any is undecided, pass otherwise."""
    outcomes = {c.outcome for c in checks}
    if Outcome.FAIL in outcomes:
        return Outcome.FAIL
    return Outcome.UNKNOWN if Outcome.UNKNOWN in outcomes else Outcome.PASS
