"""A year of demo history, so that every indicator on the dashboard has a real value.

Registrations spread over the last 14 months; release records for most candidates (entered by
the region's officer); per employer four older hires — one subsidised and retained for over a
year, one that ended after four months, one subsidised hire that ended early followed by a new
job elsewhere, one three months old — with their retention check-ins recorded; and a
recorded re-incarceration and a new conviction.
Deterministic (fixed seed) and idempotent (skipped once release records exist).
"""

import random
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import select

from marketplace.auth.models import Role, User
from marketplace.candidates.models import CandidateProfile
from marketplace.cases.checkins import check_ins_of, complete_check_in, schedule_check_ins
from marketplace.cases.models import CheckInOutcome, ReleaseRecord, Reoffence, ReoffenceKind
from marketplace.dates import add_months
from marketplace.demo import content
from marketplace.demo.claims import _pension_proof
from marketplace.employers.models import EmployerOrganisation, Vacancy
from marketplace.extensions import db
from marketplace.hiring.models import (
    Application,
    ApplicationStatus,
    ContractType,
    Employment,
    EmploymentStatus,
)
from marketplace.incentives import months, review
from marketplace.incentives.claims import programme_by_code
from marketplace.incentives.models import PaymentRun
from marketplace.incentives.payments import pay_claim_month

INSTITUTIONS = ("Учреждение ЕЦ-166/11", "Учреждение АК-159/21", "Учреждение ЛА-155/12")


def _at(day: date) -> datetime:
    return datetime.combine(day, time(10, 0), UTC)


def _month_start(months_ago: int, today: date) -> date:
    return add_months(today.replace(day=1), -months_ago)


def _officer(region_id: int) -> User:
    return db.session.scalar(select(User).where(User.role == Role.STAFF,
                                                User.region_id == region_id).order_by(User.id))


def _spread_registrations(rng, profiles, today) -> None:
    for profile in profiles:
        profile.created_at = _at(today - timedelta(days=rng.randint(20, 420)))


def _release_records(rng, profiles) -> None:
    for n, profile in enumerate(profiles):
        if n % 4 == 3:
            continue  # a quarter still wait for target-group verification
        registered = profile.created_at.date()
        db.session.add(ReleaseRecord(
            profile=profile, release_date=registered - timedelta(days=rng.randint(10, 240)),
            details={"institution": INSTITUTIONS[n % len(INSTITUTIONS)],
                     "document": f"Справка об освобождении № {1000 + n}"},
            verified_by_id=_officer(profile.region_id).id,
            verified_at=_at(registered + timedelta(days=3))))


def _hire(vacancy, profile, owner, start, *, end=None, reason=None) -> Employment:
    profile.created_at = min(profile.created_at, _at(start - timedelta(days=25)))
    application = Application(vacancy=vacancy, profile=profile, status=ApplicationStatus.HIRED,
                              created_at=_at(start - timedelta(days=20)))
    employment = Employment(
        application=application, start_date=start, hours_per_week=40,
        monthly_wage=vacancy.salary_min or Decimal("220000"),
        contract_type=ContractType.PERMANENT, recorded_by_id=owner.id,
        status=EmploymentStatus.ENDED if end else EmploymentStatus.CONFIRMED,
        confirmed_at=_at(start), end_date=end, end_reason=reason)
    db.session.add(employment)
    db.session.flush()
    schedule_check_ins(employment)
    return employment


def _record_check_ins(rng, employment, officer, today) -> None:
    """Check-ins due more than two weeks ago answered as the facts were (a low score raises a
    call-back task); the recent ones stay in the job centre's queue."""
    for check in sorted(check_ins_of(employment.id), key=lambda c: c.due_on):
        if check.due_on > today - timedelta(days=14):
            continue
        ended = employment.end_date is not None and employment.end_date <= check.due_on
        outcome = CheckInOutcome.LEFT if ended else CheckInOutcome.EMPLOYED
        complete_check_in(check, outcome=outcome,
                          left_reason=employment.end_reason if ended else "",
                          satisfaction=rng.choice((5, 7, 8, 9)) if not ended else None,
                          actor=officer)


def _subsidised(employment, owner, region_id, paid_months: int) -> None:
    """A wage-subsidy claim, approved with four eyes, paid for its first months."""
    staff = list(db.session.scalars(select(User).where(
        User.role == Role.STAFF, User.region_id == region_id).order_by(User.id)))
    claim = review.file_claim(employment, programme_by_code("kz-social-workplace"),
                              actor=owner, no_wage_arrears=True)
    review.start_review(claim, staff=staff[0])
    review.approve(claim, staff=staff[0], reason="Условия выполнены.")
    if claim.status.value != "approved":
        review.approve(claim, staff=staff[1], reason="Согласовано.")
    for month in months.claim_months(claim)[:paid_months]:
        entry = months.confirm_month(claim, month, hours_worked=168,
                                     wage_paid=employment.monthly_wage,
                                     pension_proof=_pension_proof(), actor=owner,
                                     today=add_months(month, 1))
        months.accept_month(entry, staff=staff[1])
        run = PaymentRun(month=month)
        db.session.add(run)
        db.session.flush()
        pay_claim_month(claim.id, month, run)


def _employer_history(rng, organisation, owner, profiles, other_vacancy, today) -> None:
    vacancies = [v for v in db.session.scalars(select(Vacancy).where(
        Vacancy.organisation_id == organisation.id).order_by(Vacancy.id)) if v.subsidy_eligible]
    officer = _officer(organisation.region_id)
    retained = _hire(vacancies[0], profiles[0], owner, _month_start(14, today))
    _subsidised(retained, owner, organisation.region_id, paid_months=8)
    short = _hire(vacancies[1 % len(vacancies)], profiles[1], owner, _month_start(9, today),
                  end=_month_start(5, today) + timedelta(days=9), reason="Переехал в другой город")
    subsidised = _hire(vacancies[2 % len(vacancies)], profiles[2], owner,
                       _month_start(16, today))
    # Three months ago to the day: its 3-month check-in is due now.
    recent = _hire(vacancies[3 % len(vacancies)], profiles[3], owner, add_months(today, -3))
    _subsidised(subsidised, owner, organisation.region_id, paid_months=3)
    from marketplace.hiring.employments import end_employment

    # The job ended early, in its fourth month (the claim is terminated) ...
    end_employment(subsidised, end_date=_month_start(13, today) + timedelta(days=20),
                   reason="Сокращение объёма работ", actor=owner)
    # ... and two months later the same person found a job elsewhere, unsubsidised.
    again = _hire(other_vacancy, profiles[2], owner, _month_start(11, today))
    for employment in (retained, short, subsidised, recent, again):
        _record_check_ins(rng, employment, officer, today)


def _check_ins_for_earlier_hires(rng, today) -> None:
    """The hires made by seed_claims were written directly, not confirmed through the service,
    so their check-ins are scheduled here."""
    from marketplace.cases.models import CheckIn

    for employment in db.session.scalars(select(Employment).where(
            Employment.status == EmploymentStatus.CONFIRMED,
            Employment.id.not_in(select(CheckIn.employment_id)))):
        schedule_check_ins(employment)
        officer = _officer(employment.application.profile.region_id)
        _record_check_ins(rng, employment, officer, today)


def seed_history(today: date | None = None) -> None:
    today = today or date.today()
    if db.session.scalar(select(ReleaseRecord.id).limit(1)) is not None:
        return
    rng = random.Random(1202)
    profiles = list(db.session.scalars(select(CandidateProfile).order_by(CandidateProfile.id)))
    hired = set(db.session.scalars(select(Application.profile_id)))
    _spread_registrations(rng, [p for p in profiles if p.id not in hired], today)
    organisations = [db.session.scalar(select(EmployerOrganisation).where(
        EmployerOrganisation.name == spec["name"])) for spec in content.ORGANISATIONS]
    for n, organisation in enumerate(organisations):
        owner = db.session.scalar(select(User).where(
            User.email == content.ORGANISATIONS[n]["owner"][1]))
        free = [p for p in profiles if p.region_id == organisation.region_id
                and p.id not in hired][:4]
        other = organisations[(n + 1) % len(organisations)]
        other_vacancy = db.session.scalar(select(Vacancy).where(
            Vacancy.organisation_id == other.id).order_by(Vacancy.id.desc()))
        if len(free) == 4:
            _employer_history(rng, organisation, owner, free, other_vacancy, today)
            hired |= {p.id for p in free}
    db.session.flush()
    _release_records(rng, profiles)
    _check_ins_for_earlier_hires(rng, today)
    for n, profile in enumerate([p for p in profiles if p.id not in hired][:2]):
        kind = (ReoffenceKind.REINCARCERATION, ReoffenceKind.NEW_CONVICTION)[n]
        db.session.add(Reoffence(profile_id=profile.id, kind=kind,
                                 occurred_on=_month_start(3 + n * 4, today),
                                 details={"note": "Сообщил инспектор пробации."},
                                 recorded_by_id=_officer(profile.region_id).id))
    db.session.flush()
