"""`flask seed-demo` builds the promised demo, is idempotent, and every demo login works."""

import pytest
from sqlalchemy import func, select

from marketplace.auth.models import Role, User
from marketplace.candidates.models import CandidateProfile
from marketplace.demo.seed import DEMO_PASSWORD
from marketplace.employers.models import EmployerOrganisation, Vacancy, VacancyStatus
from marketplace.extensions import db
from marketplace.identifiers import is_valid_bin, is_valid_iin

HOME = {"admin": "/admin/", "staff": "/staff/", "employer": "/employer/",
        "candidate": "/candidate/"}


@pytest.fixture
def seeded(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    return first.output


def _count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_seed_gives_every_region_hires_budgets_and_claims_in_several_states(app, seeded):
    from marketplace.hiring.models import Employment
    from marketplace.incentives.budget import balance_for
    from marketplace.incentives.models import BudgetAccount, Claim, ClaimStatus, Payment

    with app.app_context():
        assert _count(Employment) == 24, "3 recent + 5 older hires for each of 3 employers"
        statuses = dict(db.session.execute(
            select(Claim.status, func.count()).group_by(Claim.status)).all())
        assert statuses == {ClaimStatus.SUBMITTED: 3, ClaimStatus.ACTIVE: 6,
                            ClaimStatus.TERMINATED: 3}
        assert _count(Payment) == 3 + 3 * 8 + 3 * 3
        for account in db.session.scalars(select(BudgetAccount)):
            balance = balance_for(account.programme_id, account.region_id)
            assert balance.balanced and balance.allocated > 0


def test_the_demo_gives_every_dashboard_indicator_a_value(app, seeded):
    """Issue 6: every indicator on the dashboard has a non-trivial value on the demo data."""
    from datetime import date

    from marketplace.indicators.services import Scope, compute_dashboard, default_period

    with app.app_context():
        dashboard = compute_dashboard(Scope(None), default_period(date.today()), date.today())
        empty = [key for key, result in dashboard.results.items()
                 if result.total.value in (None, 0)]
    assert empty == []


def test_seed_creates_the_promised_people_and_vacancies(app, seeded):
    with app.app_context():
        roles = dict(db.session.execute(select(User.role, func.count()).group_by(User.role)).all())
        assert roles[Role.ADMIN] == 1 and roles[Role.STAFF] == 6
        assert roles[Role.EMPLOYER] == 3 and roles[Role.CANDIDATE] == 50
        assert _count(EmployerOrganisation) == 3
        assert db.session.scalar(select(func.count(Vacancy.id))
                                 .where(Vacancy.status == VacancyStatus.OPEN)) == 20
        staff_regions = {u.region.code for u in db.session.scalars(
            select(User).where(User.role == Role.STAFF))}
        assert len(staff_regions) == 3, "two officers in each of three regions (four eyes)"
        profiles = list(db.session.scalars(select(CandidateProfile)))
        assert all(is_valid_iin(p.iin) for p in profiles)
        assert all(len(p.skills) >= 1 for p in profiles)
        assert all(is_valid_bin(o.bin) for o in db.session.scalars(select(EmployerOrganisation)))
        vacancies = list(db.session.scalars(select(Vacancy)))
        assert all(v.required_skills for v in vacancies)


def test_seed_is_idempotent(app, seeded):
    with app.app_context():
        before = (_count(User), _count(Vacancy), _count(CandidateProfile))
    again = app.test_cli_runner().invoke(args=["seed-demo"])
    assert again.exit_code == 0
    with app.app_context():
        assert (_count(User), _count(Vacancy), _count(CandidateProfile)) == before


def test_seed_prints_a_login_for_every_role(seeded):
    for role in HOME:
        assert role in seeded
    assert DEMO_PASSWORD in seeded


@pytest.mark.parametrize("role, login", [
    ("admin", "admin@demo.kz"), ("staff", "staff.karaganda@demo.kz"),
    ("employer", "employer1@demo.kz"), ("candidate", "+77010000001"),
])
def test_each_demo_login_reaches_its_home_page(client, seeded, role, login):
    response = client.post("/login", data={"identifier": login, "password": DEMO_PASSWORD})
    assert response.headers["Location"].endswith(HOME[role])
    page = client.get(HOME[role])
    assert page.status_code == 200


def test_demo_certificates_are_verified_and_publicly_checkable(app, client, seeded):
    from marketplace.certificates.models import Certificate, CertificateStatus

    with app.app_context():
        certificates = list(db.session.scalars(select(Certificate)))
        assert len(certificates) >= 10
        assert all(c.status is CertificateStatus.VERIFIED and c.skills for c in certificates)
        title = db.session.scalar(select(Certificate.title).where(
            Certificate.verification_code == "DEMO-0001"))
    page = client.get("/verify/DEMO-0001").get_data(as_text=True)
    assert title in page
