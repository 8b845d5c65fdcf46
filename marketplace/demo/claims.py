"""Demo hires, budgets and subsidy claims in every state a reviewer meets.

Per organisation, three confirmed hires that started on the first day of the month two months
ago (so one full month can be confirmed): the first has no claim (for the employer to file), the
second a claim waiting for the job centre, the third an approved claim whose first month is
paid. Everything goes through the real services, so the demo obeys the same rules as users.
"""

import io
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from marketplace.auth.models import Role, User
from marketplace.candidates.models import CandidateProfile
from marketplace.dates import add_months
from marketplace.demo import content
from marketplace.employers.models import EmployerOrganisation, Vacancy
from marketplace.extensions import db
from marketplace.hiring.models import (
    Application,
    ApplicationStatus,
    ContractType,
    Employment,
    EmploymentStatus,
)
from marketplace.incentives import budget, months, review
from marketplace.incentives.claims import programme_by_code
from marketplace.incentives.models import BudgetAccount, BudgetEntry, PaymentRun
from marketplace.incentives.payments import pay_claim_month
from marketplace.incentives.services import seed_programmes

HIRES_PER_ORGANISATION = 3
# The smallest well-formed PDF: stands in for a scanned pension-contribution statement.
DEMO_PROOF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages"
              b"/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def hire_start(today: date | None = None) -> date:
    today = today or date.today()
    return add_months(today.replace(day=1), -2)


def seed_budgets() -> None:
    for code, amount in content.DEMO_BUDGETS.items():
        programme = programme_by_code(code)
        for _, _, region_code in content.STAFF:
            region_id = _staff(region_code, 0).region_id
            allocated = db.session.scalar(
                select(BudgetEntry.id).join(BudgetAccount)
                .where(BudgetAccount.programme_id == programme.id,
                       BudgetAccount.region_id == region_id))
            if allocated is None:
                budget.allocate(programme.id, region_id, Decimal(amount), actor=None,
                                note="demo allocation")


def _staff(region_code: str, index: int) -> User:
    login = (content.STAFF, content.SECOND_STAFF)[index]
    email = next(e for _, e, code in login if code == region_code)
    return db.session.scalar(select(User).where(User.email == email))


def _hire(organisation, owner, profile, vacancy, start) -> Employment:
    application = Application(vacancy=vacancy, profile=profile, status=ApplicationStatus.HIRED)
    employment = Employment(application=application, start_date=start,
                            monthly_wage=vacancy.salary_min or Decimal("200000"),
                            hours_per_week=40, contract_type=ContractType.PERMANENT,
                            status=EmploymentStatus.CONFIRMED, recorded_by_id=owner.id)
    db.session.add(employment)
    db.session.flush()
    return employment


def _hires_for(organisation, owner) -> list[Employment]:
    vacancies = [v for v in db.session.scalars(select(Vacancy).where(
        Vacancy.organisation_id == organisation.id).order_by(Vacancy.id)) if v.subsidy_eligible]
    profiles = list(db.session.scalars(select(CandidateProfile).where(
        CandidateProfile.region_id == organisation.region_id).order_by(CandidateProfile.id)))
    start = hire_start()
    pairs = zip(profiles[-HIRES_PER_ORGANISATION:], vacancies, strict=False)
    return [_hire(organisation, owner, profile, vacancy, start) for profile, vacancy in pairs]


def _pension_proof() -> FileStorage:
    return FileStorage(stream=io.BytesIO(DEMO_PROOF), filename="pension-contributions.pdf",
                       content_type="application/pdf")


def _approved_and_paid(employment, owner, region_code) -> None:
    first, second = _staff(region_code, 0), _staff(region_code, 1)
    claim = review.file_claim(employment, programme_by_code("kz-social-workplace"),
                              actor=owner, no_wage_arrears=True)
    review.start_review(claim, staff=first)
    review.approve(claim, staff=first, reason="Документы в порядке.")
    if claim.status.value != "approved":
        review.approve(claim, staff=second, reason="Согласовано.")
    month = employment.start_date
    entry = months.confirm_month(claim, month, hours_worked=168,
                                 wage_paid=employment.monthly_wage,
                                 pension_proof=_pension_proof(), actor=owner)
    months.accept_month(entry, staff=second)
    run = PaymentRun(month=month)
    db.session.add(run)
    db.session.flush()
    pay_claim_month(claim.id, month, run)


def seed_claims() -> None:
    seed_programmes()
    seed_budgets()
    for spec in content.ORGANISATIONS:
        organisation = db.session.scalar(select(EmployerOrganisation).where(
            EmployerOrganisation.name == spec["name"]))
        owner = db.session.scalar(select(User).where(User.email == spec["owner"][1],
                                                     User.role == Role.EMPLOYER))
        already = db.session.scalar(
            select(Employment.id).join(Application).join(Vacancy)
            .where(Vacancy.organisation_id == organisation.id))
        if already is not None:
            continue
        hires = _hires_for(organisation, owner)
        if len(hires) > 1:
            review.file_claim(hires[1], programme_by_code("kz-social-workplace"), actor=owner,
                              no_wage_arrears=True)
        if len(hires) > 2:
            _approved_and_paid(hires[2], owner, spec["region"])
    db.session.flush()
