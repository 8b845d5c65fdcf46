"""The claim pages over HTTP: object-level access with real objects (another employer or another
region's staff gets 404), bad input explained and nothing written, the public document check."""

import io
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from marketplace.extensions import db
from marketplace.hiring.models import (
    Application,
    ApplicationStatus,
    ContractType,
    Employment,
    EmploymentStatus,
)
from marketplace.incentives import budget, review, services
from marketplace.incentives.claims import programme_by_code
from marketplace.incentives.models import BudgetEntry, Claim, ClaimMonth, ClaimStatus
from marketplace.incentives.months import add_months
from tests.factories import make_candidate, make_vacancy

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def setup(app, make_user, skill_codes):
    """A confirmed hire (started two months ago, 250 000 ₸, 40 h) at a verified employer in
    Astana, two Astana staff members and a budget for ten claims."""
    employer = make_user("employer")
    vacancy_id = make_vacancy(app, employer, skill_codes)
    _, profile_id = make_candidate(app, make_user, skill_codes)
    staff_a, staff_b = make_user("staff"), make_user("staff")
    with app.app_context():
        services.seed_programmes()
        start = add_months(date.today().replace(day=1), -2)
        application = Application(vacancy_id=vacancy_id, profile_id=profile_id,
                                  status=ApplicationStatus.HIRED)
        employment = Employment(application=application, start_date=start,
                                monthly_wage=Decimal("250000.00"), hours_per_week=40,
                                contract_type=ContractType.PERMANENT,
                                status=EmploymentStatus.CONFIRMED, recorded_by_id=employer.id)
        db.session.add(employment)
        db.session.flush()
        programme = programme_by_code("kz-social-workplace")
        region_id = employment.application.vacancy.organisation.region_id
        budget.allocate(programme.id, region_id, Decimal("10200000.00"), actor=None)
        db.session.commit()
        return {"employer": employer, "staff_a": staff_a, "staff_b": staff_b,
                "employment_id": employment.id, "month": start}


def _filed_claim(app, setup, *, approved=False) -> int:
    from marketplace.auth.models import User

    with app.app_context():
        employment = db.session.get(Employment, setup["employment_id"])
        owner = db.session.get(User, setup["employer"].id)
        claim = review.file_claim(employment, programme_by_code("kz-social-workplace"),
                                  actor=owner, no_wage_arrears=True)
        if approved:
            for key in ("staff_a", "staff_b"):
                staff = db.session.get(User, setup[key].id)
                if claim.status is ClaimStatus.SUBMITTED:
                    review.start_review(claim, staff=staff)
                review.approve(claim, staff=staff, reason="ok")
        db.session.commit()
        return claim.id


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_filing_without_the_arrears_declaration_is_refused_and_saves_nothing(
        app, client, login, setup):
    login(setup["employer"])
    url = f"/employer/hires/{setup['employment_id']}/claim?programme=kz-social-workplace"
    page = client.get(url)
    assert page.status_code == 200 and b"85,000" in page.data  # 35 % of 250 000, capped
    response = client.post(url, data={})
    assert response.status_code == 200
    assert b"The claim cannot be filed" in response.data
    assert b"The employer has wage arrears." in response.data
    assert _count(app, Claim) == 0


def test_filing_with_the_declaration_files_the_claim(app, client, login, setup):
    login(setup["employer"])
    url = f"/employer/hires/{setup['employment_id']}/claim?programme=kz-social-workplace"
    response = client.post(url, data={"no_wage_arrears": "y"})
    assert response.status_code == 302
    with app.app_context():
        claim = db.session.scalar(select(Claim))
        assert claim.status is ClaimStatus.SUBMITTED
        assert claim.total_amount == Decimal("1020000.00")
    assert response.headers["Location"].endswith(f"/employer/claims/{claim.id}")


def test_another_employer_cannot_reach_the_claim_or_its_documents(app, client, login,
                                                                  make_user, setup):
    claim_id = _filed_claim(app, setup, approved=True)
    login(make_user("employer"))
    for path in (f"/employer/claims/{claim_id}", f"/claims/{claim_id}/decision.pdf",
                 f"/employer/hires/{setup['employment_id']}/claim"):
        assert client.get(path).status_code == 404, path
    assert client.post(f"/employer/claims/{claim_id}/months").status_code == 404


def test_staff_of_another_region_cannot_reach_or_decide_the_claim(app, client, login,
                                                                   make_user, setup):
    claim_id = _filed_claim(app, setup)
    login(make_user("staff", region_code="KZ-KAR"))
    assert client.get(f"/staff/claims/{claim_id}").status_code == 404
    assert client.post(f"/staff/claims/{claim_id}/start").status_code == 404
    assert client.get("/staff/claims").data.count(b"/staff/claims/") == 0


def test_a_decision_without_a_reason_is_refused_and_changes_nothing(app, client, login, setup):
    claim_id = _filed_claim(app, setup)
    login(setup["staff_a"])
    assert client.post(f"/staff/claims/{claim_id}/start").status_code == 302
    response = client.post(f"/staff/claims/{claim_id}/approve", data={"reason": "  "})
    assert response.status_code == 422
    assert b"This field is required." in response.data
    with app.app_context():
        claim = db.session.get(Claim, claim_id)
        assert claim.status is ClaimStatus.IN_REVIEW and claim.approvals == []


def test_the_same_person_cannot_give_both_approvals(app, client, login, setup):
    claim_id = _filed_claim(app, setup)
    login(setup["staff_a"])
    client.post(f"/staff/claims/{claim_id}/start")
    client.post(f"/staff/claims/{claim_id}/approve", data={"reason": "checked"})
    response = client.post(f"/staff/claims/{claim_id}/approve", data={"reason": "again"},
                           follow_redirects=True)
    assert b"a second staff member must give the other approval" in response.data
    with app.app_context():
        claim = db.session.get(Claim, claim_id)
        assert claim.status is ClaimStatus.IN_REVIEW and len(claim.approvals) == 1


def test_an_approval_the_budget_cannot_cover_is_refused_with_the_amount_left(
        app, client, login, setup):
    claim_id = _filed_claim(app, setup)
    with app.app_context():
        claim = db.session.get(Claim, claim_id)
        budget.allocate(claim.programme_id, claim.region_id, Decimal("1.00"), actor=None)
        # Spend all but 1 000 ₸ of the region's budget on other claims' reserves.
        account = budget.locked_account(claim.programme_id, claim.region_id)
        db.session.add(BudgetEntry(account_id=account.id, kind=budget.K.RESERVE,
                                   amount=Decimal("10199001.00")))
        db.session.commit()
    login(setup["staff_a"])
    client.post(f"/staff/claims/{claim_id}/start")
    client.post(f"/staff/claims/{claim_id}/approve", data={"reason": "first"})
    client.post("/logout")
    login(setup["staff_b"])
    response = client.post(f"/staff/claims/{claim_id}/approve", data={"reason": "second"},
                           follow_redirects=True)
    assert b"The remaining budget (1 000.00" in response.data
    with app.app_context():
        claim = db.session.get(Claim, claim_id)
        assert claim.status is ClaimStatus.IN_REVIEW and len(claim.approvals) == 1
        assert budget.claim_balance(claim_id).reserved == 0


@pytest.mark.parametrize("fields, message", [
    ({"hours_worked": "0", "wage_paid": "250000"}, b"Number must be between 1 and 400."),
    ({"hours_worked": "abc", "wage_paid": "250000"}, b"Not a valid integer value."),
    ({"hours_worked": "160", "wage_paid": "-5"}, b"Enter an amount in tenge"),
    ({"hours_worked": "160", "wage_paid": "0"}, b"The wage paid must be more than zero."),
    ({"hours_worked": "160", "wage_paid": "250000", "file": None},
     b"Attach the proof of pension contributions."),
    ({"hours_worked": "160", "wage_paid": "250000", "file": b"MZ\x90\x00 not a pdf"},
     b"PDF"),
])
def test_bad_month_confirmations_are_explained_and_save_nothing(app, client, login, setup,
                                                               fields, message):
    claim_id = _filed_claim(app, setup, approved=True)
    login(setup["employer"])
    data = {"month": f"{setup['month']:%Y-%m}", "hours_worked": fields["hours_worked"],
            "wage_paid": fields["wage_paid"]}
    content = fields.get("file", PDF)
    if content is not None:
        data["pension_proof"] = (io.BytesIO(content), "proof.pdf")
    response = client.post(f"/employer/claims/{claim_id}/months", data=data,
                           content_type="multipart/form-data")
    assert response.status_code == 422
    assert message in response.data
    assert _count(app, ClaimMonth) == 0


def test_a_month_not_yet_ended_cannot_be_confirmed(app, client, login, setup):
    claim_id = _filed_claim(app, setup, approved=True)
    login(setup["employer"])
    response = client.post(f"/employer/claims/{claim_id}/months", data={
        "month": f"{date.today():%Y-%m}", "hours_worked": "160", "wage_paid": "250000",
        "pension_proof": (io.BytesIO(PDF), "proof.pdf")}, content_type="multipart/form-data")
    assert response.status_code == 422
    assert _count(app, ClaimMonth) == 0


def test_month_confirmed_accepted_and_proof_downloadable_by_both_sides(app, client, login,
                                                                        setup):
    claim_id = _filed_claim(app, setup, approved=True)
    login(setup["employer"])
    response = client.post(f"/employer/claims/{claim_id}/months", data={
        "month": f"{setup['month']:%Y-%m}", "hours_worked": "168", "wage_paid": "250 000",
        "pension_proof": (io.BytesIO(PDF), "proof.pdf")}, content_type="multipart/form-data")
    assert response.status_code == 302
    with app.app_context():
        month_id = db.session.scalar(select(ClaimMonth.id))
    proof = f"/claims/{claim_id}/months/{month_id}/proof"
    with client.get(proof) as download:
        assert download.data == PDF
    client.post("/logout")
    login(setup["staff_b"])
    with client.get(proof) as download:
        assert download.status_code == 200
    assert client.post(f"/staff/claims/{claim_id}/months/{month_id}/accept").status_code == 302
    with app.app_context():
        entry = db.session.get(ClaimMonth, month_id)
        assert entry.status.value == "accepted" and entry.amount == Decimal("85000.00")


def test_public_check_confirms_the_document_without_naming_the_employee(app, client, setup):
    claim_id = _filed_claim(app, setup, approved=True)
    with app.app_context():
        claim = db.session.get(Claim, claim_id)
        code = claim.document_code
        employee = claim.employment.application.profile.user.full_name
    page = client.get(f"/documents/verify/{code.lower()}")
    assert page.status_code == 200
    assert code.encode() in page.data and b"1,020,000" in page.data
    assert employee.encode() not in page.data
    assert client.get("/documents/verify/XXXX-XXXX-XXXX").status_code == 404
    assert client.get("/documents/verify?code=" + "Z" * 300,
                      follow_redirects=True).status_code == 404


def test_decision_letter_downloads_as_pdf_for_the_employer(app, client, login, setup):
    claim_id = _filed_claim(app, setup, approved=True)
    login(setup["employer"])
    response = client.get(f"/claims/{claim_id}/decision.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert response.headers["Content-Type"] == "application/pdf"
    assert client.get(f"/claims/{claim_id}/certificate.pdf").status_code == 404
