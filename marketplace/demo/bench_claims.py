"""Claim timings: `python -m marketplace.demo.bench_claims` (or `make bench-claims`).

Builds N confirmed hires in a throw-away database (SQLite in a temporary folder, or the
database in BENCH_DATABASE_URL, whose public schema it drops first), then times through the real
services: filing, the two approvals of four eyes (each locks the budget row), confirming and
accepting a month, the payment run, and a second run that must find nothing left to pay.
"""

import io
import json
import os
import random
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import create_engine, func, select, text
from werkzeug.datastructures import FileStorage

from marketplace import create_app
from marketplace.auth.models import Role, User
from marketplace.candidates.models import CandidateProfile
from marketplace.dates import add_months
from marketplace.demo.claims import DEMO_PROOF
from marketplace.demo.seed import demo_bin, demo_iin
from marketplace.employers.models import (
    EmployerOrganisation,
    MemberRole,
    OrganisationMember,
    Vacancy,
    VacancyStatus,
    VerificationStatus,
)
from marketplace.extensions import db
from marketplace.hiring.models import (
    Application,
    ApplicationStatus,
    ContractType,
    Employment,
    EmploymentStatus,
)
from marketplace.incentives import budget, months, payments, review
from marketplace.incentives.claims import programme_by_code
from marketplace.incentives.models import Payment
from marketplace.incentives.services import seed_programmes
from marketplace.reference.models import Region
from marketplace.reference.services import load_reference_data

CLAIMS = int(os.environ.get("BENCH_CLAIMS", "300"))
NO_SIGN_IN = "!"  # noqa: S105 - not a hash: these throw-away accounts can never sign in


def _reset(url: str) -> None:
    if url.startswith("postgresql"):
        engine = create_engine(url)
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        engine.dispose()


def _hires(count: int, start: date):
    region = db.session.scalar(select(Region).where(Region.code == "KZ-KAR"))
    owner = User(role=Role.EMPLOYER, full_name="Bench Owner", email="owner@bench.kz",
                 password_hash=NO_SIGN_IN)
    staff = [User(role=Role.STAFF, full_name=f"Bench Staff {i}", email=f"s{i}@bench.kz",
                  password_hash=NO_SIGN_IN, region=region) for i in (1, 2)]
    organisation = EmployerOrganisation(bin=demo_bin(900), name="Bench LLP", region=region,
                                        status=VerificationStatus.VERIFIED)
    organisation.memberships.append(OrganisationMember(user=owner, role=MemberRole.OWNER))
    vacancy = Vacancy(organisation=organisation, title="Bench job", description="-",
                      region=region, status=VacancyStatus.OPEN, positions=count)
    db.session.add_all([owner, *staff, organisation, vacancy])
    db.session.flush()
    employments = []
    for n in range(count):
        user = User(role=Role.CANDIDATE, full_name=f"Bench {n}", phone=f"+7705{n:07d}",
                    password_hash=NO_SIGN_IN)
        profile = CandidateProfile(user=user, iin=demo_iin(random.Random(n), n),
                                   region=region)
        application = Application(vacancy=vacancy, profile=profile,
                                  status=ApplicationStatus.HIRED)
        employments.append(Employment(
            application=application, start_date=start, monthly_wage=Decimal("300000.00"),
            hours_per_week=40, contract_type=ContractType.PERMANENT,
            status=EmploymentStatus.CONFIRMED, recorded_by_id=owner.id))
    db.session.add_all(employments)
    db.session.commit()
    return owner, staff, employments


def _ms_each(seconds: float, count: int) -> float:
    return round(seconds * 1000 / count, 2)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{Path(folder) / 'b.db'}"
        _reset(url)
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench",
                          "MAIL_OUTBOX_DIR": folder, "UPLOAD_DIR": folder,
                          "PAYMENT_ORDER_DIR": folder})
        with app.app_context():
            upgrade()
            load_reference_data()
            seed_programmes()
            start = add_months(date.today().replace(day=1), -2)
            owner, (first, second), employments = _hires(CLAIMS, start)
            programme = programme_by_code("kz-social-workplace")
            budget.allocate(programme.id, first.region_id, Decimal("1020000.00") * CLAIMS,
                            actor=None)
            db.session.commit()
            figures = {"claims": CLAIMS, "database": url.split(":")[0]}

            began = time.perf_counter()
            claims = [review.file_claim(e, programme, actor=owner, no_wage_arrears=True)
                      for e in employments]
            db.session.commit()
            figures["file_ms_each"] = _ms_each(time.perf_counter() - began, CLAIMS)

            began = time.perf_counter()
            for claim in claims:
                review.start_review(claim, staff=first)
                review.approve(claim, staff=first, reason="ok")
                review.approve(claim, staff=second, reason="ok")
                db.session.commit()
            figures["review_and_two_approvals_ms_each"] = _ms_each(
                time.perf_counter() - began, CLAIMS)

            began = time.perf_counter()
            for claim in claims:
                proof = FileStorage(io.BytesIO(DEMO_PROOF), filename="p.pdf")
                entry = months.confirm_month(claim, start, hours_worked=168,
                                             wage_paid=Decimal("300000.00"),
                                             pension_proof=proof, actor=owner)
                months.accept_month(entry, staff=second)
            db.session.commit()
            figures["confirm_and_accept_month_ms_each"] = _ms_each(
                time.perf_counter() - began, CLAIMS)

            began = time.perf_counter()
            summary = payments.run_payments(start)
            figures["payment_run_s"] = round(time.perf_counter() - began, 2)
            figures["paid"] = len(summary.paid)
            began = time.perf_counter()
            rerun = payments.run_payments(start)
            figures["rerun_s"] = round(time.perf_counter() - began, 3)
            figures["rerun_paid"] = len(rerun.paid)
            assert db.session.scalar(select(func.count(Payment.id))) == CLAIMS
            assert budget.balance_for(programme.id, first.region_id).balanced
        json.dump(figures, sys.stdout, indent=2)
        sys.stdout.write("\n")


if __name__ == "__main__":
    main()
