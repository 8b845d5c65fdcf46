"""Issue 5's journey in a real browser on the demo data: the employer files a claim for a
confirmed hire, staff member A approves, staff member B gives the second approval, the employer
confirms a month, staff accept it, the payment run pays it and the decision letter downloads as
a PDF — with axe-core clean on every page visited."""

from pathlib import Path

import pytest
from sqlalchemy import select

from marketplace.demo.claims import DEMO_PROOF
from marketplace.employers.models import EmployerOrganisation, Vacancy
from marketplace.extensions import db
from marketplace.hiring.models import Application, Employment
from marketplace.incentives.models import Claim, ClaimStatus, MonthStatus, Payment
from tests.browser.test_hiring_journey import sign_in, sign_out

pytestmark = pytest.mark.browser


@pytest.fixture
def unclaimed_hire(app):
    """employer1's demo hire that has no claim yet."""
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        organisation_id = db.session.scalar(select(EmployerOrganisation.id).where(
            EmployerOrganisation.contact_email == "employer1@demo.kz"))
        hires = db.session.scalars(
            select(Employment).join(Application).join(Vacancy)
            .where(Vacancy.organisation_id == organisation_id).order_by(Employment.id))
        claimed = set(db.session.scalars(select(Claim.employment_id)))
        hire = next(h for h in hires if h.id not in claimed)
        return {"id": hire.id, "month": hire.start_date}


def _claim(app, employment_id) -> Claim:
    with app.app_context():
        claim = db.session.scalar(select(Claim).where(Claim.employment_id == employment_id))
        db.session.expunge_all()
        return claim


def _approve_as(page, base, login, claim_id, audit):
    sign_in(page, base, login)
    page.wait_for_url("**/staff/")
    page.click("nav a[href='/staff/claims']")
    audit(page)
    page.click(f"main a[href='/staff/claims/{claim_id}']")
    audit(page)
    start = page.locator(f"form[action='/staff/claims/{claim_id}/start'] button")
    if start.count():
        start.click()
        page.wait_for_load_state()
    page.fill("textarea[name=reason]", "Документы проверены, условия выполнены.")
    page.click(f"form[action='/staff/claims/{claim_id}/approve'] button[type=submit] >> nth=0")
    page.wait_for_load_state()
    audit(page)
    sign_out(page)


def test_file_approve_twice_confirm_pay_download(app, live_server, page, audit, unclaimed_hire,
                                                 tmp_path):
    hire_id = unclaimed_hire["id"]
    # The employer files the claim after reading the checklist.
    sign_in(page, live_server, "employer1@demo.kz")
    page.wait_for_url("**/employer/")
    page.click("nav a[href='/employer/claims']")
    audit(page)
    page.click(f"main a[href='/employer/hires/{hire_id}/claim']")
    audit(page)
    assert page.locator("main table tbody tr").count() >= 5, "the eligibility checklist"
    page.check("input[name=no_wage_arrears]")
    page.click("main form[method=post] button[type=submit]")
    page.wait_for_url("**/employer/claims/*")
    audit(page)
    claim = _claim(app, hire_id)
    assert claim.status is ClaimStatus.SUBMITTED
    assert claim.total_amount > 500_000, "above the threshold: two approvals are needed"
    sign_out(page)

    # Staff member A approves first; the claim waits for a second pair of eyes.
    _approve_as(page, live_server, "staff.karaganda@demo.kz", claim.id, audit)
    assert _claim(app, hire_id).status is ClaimStatus.IN_REVIEW
    # Staff member B gives the second approval: approved, money reserved.
    _approve_as(page, live_server, "staff2.karaganda@demo.kz", claim.id, audit)
    claim = _claim(app, hire_id)
    assert claim.status is ClaimStatus.APPROVED and claim.document_code

    # The employer confirms the first month with the pension-contribution proof.
    proof = tmp_path / "pension.pdf"
    proof.write_bytes(DEMO_PROOF)
    sign_in(page, live_server, "employer1@demo.kz")
    page.wait_for_url("**/employer/")
    page.goto(f"{live_server}/employer/claims/{claim.id}")
    audit(page)
    page.select_option("select[name=month]", f"{unclaimed_hire['month']:%Y-%m}")
    page.fill("input[name=hours_worked]", "168")
    page.fill("input[name=wage_paid]", "340 000")
    page.set_input_files("input[name=pension_proof]", str(proof))
    page.click(f"form[action='/employer/claims/{claim.id}/months'] button[type=submit]")
    page.wait_for_load_state()
    audit(page)
    claim = _claim(app, hire_id)
    with app.app_context():
        month = db.session.get(Claim, claim.id).months_confirmed[0]
        assert month.status is MonthStatus.SUBMITTED and month.hours_worked == 168
    sign_out(page)

    # Staff accept the month.
    sign_in(page, live_server, "staff.karaganda@demo.kz")
    page.wait_for_url("**/staff/")
    page.goto(f"{live_server}/staff/claims/{claim.id}")
    page.click("main form[action$='/accept'] button")
    page.wait_for_load_state()
    audit(page)
    sign_out(page)

    # The monthly payment run pays it once.
    run = app.test_cli_runner().invoke(
        args=["payments", "run", "--month", f"{unclaimed_hire['month']:%Y-%m}"])
    assert run.exit_code == 0, run.output
    assert "1 paid" in run.output
    with app.app_context():
        assert db.session.scalar(select(Payment.amount).where(Payment.claim_id == claim.id))
    assert _claim(app, hire_id).status is ClaimStatus.ACTIVE

    # The employer sees the payment and downloads the decision letter.
    sign_in(page, live_server, "employer1@demo.kz")
    page.wait_for_url("**/employer/")
    page.goto(f"{live_server}/employer/claims/{claim.id}")
    audit(page)
    with page.expect_download() as download:
        page.click("main a[href$='/decision.pdf']")
    letter = Path(download.value.path()).read_bytes()
    assert letter.startswith(b"%PDF")

    # Anyone holding the letter can check its code on the public page.
    page.goto(f"{live_server}/documents/verify?code={claim.document_code}")
    assert claim.document_code in page.inner_text("h1")
    audit(page)
    assert len(audit.audited) >= 12
