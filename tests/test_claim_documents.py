"""The decision letter and the tax-incentive certificate as PDFs: their text (read back with
pypdf) in every language, Kazakh letters included, byte-identical output, and refusals for
claims that have no such document."""

import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from marketplace.auth.models import User
from marketplace.extensions import db
from marketplace.hiring.models import (
    Application,
    ApplicationStatus,
    ContractType,
    Employment,
    EmploymentStatus,
)
from marketplace.incentives import claims, services
from marketplace.incentives.documents import (
    DocumentUnavailable,
    decision_letter_pdf,
    format_tenge,
    tax_certificate_pdf,
)
from marketplace.incentives.models import Claim, ClaimStatus, IncentiveProgramme
from tests.factories import make_candidate, make_vacancy

S = ClaimStatus
SUBSIDY, TAX = "kz-social-workplace", "tax-incentive-certificate"
CODE = "ABCD-EFGH-JK23"
URL = "https://jobs.example.kz/verify/ABCD-EFGH-JK23"
LANGUAGES = ("en", "ru", "kk")


@pytest.fixture
def hire(app, make_user, skill_codes):
    """A confirmed employment at a verified employer, starting 2 February 2026, 40 hours a
    week at 250 000 a month (as in test_claims, with a fixed start date)."""
    employer = make_user("employer")
    vacancy_id = make_vacancy(app, employer, skill_codes)
    _, profile_id = make_candidate(app, make_user, skill_codes)
    with app.app_context():
        services.seed_programmes()
        application = Application(vacancy_id=vacancy_id, profile_id=profile_id,
                                  status=ApplicationStatus.HIRED)
        employment = Employment(application=application, start_date=date(2026, 2, 2),
                                monthly_wage=Decimal("250000.00"), hours_per_week=40,
                                contract_type=ContractType.PERMANENT,
                                status=EmploymentStatus.CONFIRMED, recorded_by_id=employer.id)
        db.session.add(employment)
        db.session.commit()
        return {"employment_id": employment.id, "employer_id": employer.id}


@pytest.fixture
def make_claim(app, hire):
    """A claim under the programme `code`, set to `status` as if the job centre decided it."""
    def make(code=SUBSIDY, status=S.APPROVED, decided=True):
        with app.app_context():
            employment = db.session.get(Employment, hire["employment_id"])
            programme = db.session.scalar(select(IncentiveProgramme)
                                          .where(IncentiveProgramme.code == code))
            actor = db.session.get(User, hire["employer_id"])
            claim = claims.open_claim(employment, programme, actor=actor)
            claim.status = status
            if decided:
                claim.decided_at = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
                claim.document_code = CODE
                claim.decision_reason = "All conditions are met & checked."
            db.session.commit()
            return claim.id
    return make


def _pdf(app, claim_id, render, language):
    with app.app_context():
        return render(db.session.get(Claim, claim_id), language, verify_url=URL)


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _title(pdf: bytes) -> str:
    return PdfReader(io.BytesIO(pdf)).metadata.title


def test_tenge_amounts_group_thousands_with_spaces():
    assert format_tenge(Decimal("1020000")) == "1 020 000.00 ₸"
    assert format_tenge(Decimal("85000.5")) == "85 000.50 ₸"
    assert format_tenge(Decimal("0")) == "0.00 ₸"


@pytest.mark.parametrize("language", LANGUAGES)
def test_approval_letter(app, make_claim, language):
    pdf = _pdf(app, make_claim(), decision_letter_pdf, language)
    assert pdf.startswith(b"%PDF")
    text = _text(pdf)
    assert CODE in text
    assert "85 000.00 ₸" in text and "12" in text       # the monthly amount × months
    assert "1 020 000.00 ₸" in text                       # the total
    assert "Жасырын Есім" in text and "Сварщик" in text    # employee and job title
    assert "All conditions are met & checked." in text     # escaped, not read as markup
    assert URL in text
    assert _title(pdf)


def test_the_letter_is_in_the_language_asked_for(app, make_claim):
    claim_id = make_claim()
    kk = _text(_pdf(app, claim_id, decision_letter_pdf, "kk"))
    ru = _text(_pdf(app, claim_id, decision_letter_pdf, "ru"))
    en = _text(_pdf(app, claim_id, decision_letter_pdf, "en"))
    assert "Әлеуметтік жұмыс орны: жалақыға субсидия" in kk   # Kazakh letters extractable
    assert "Социальное рабочее место" in ru
    assert "Social workplace wage subsidy" in en
    assert "марта 2026" in ru and "March 2, 2026" in en      # decision date in the locale


def test_rejection_letter_has_the_reason_and_no_money(app, make_claim):
    text = _text(_pdf(app, make_claim(status=S.REJECTED), decision_letter_pdf, "en"))
    assert "Rejected" in text and "All conditions are met" in text
    assert "₸" not in text


@pytest.mark.parametrize("language", LANGUAGES)
def test_tax_certificate(app, make_claim, language):
    pdf = _pdf(app, make_claim(code=TAX), tax_certificate_pdf, language)
    assert pdf.startswith(b"%PDF")
    text = _text(pdf)
    # 40 h × 52 weeks reach the top tier: 40 % of the capped 3 000 000 first-year wages.
    assert CODE in text and "1 200 000.00 ₸" in text
    assert "Жасырын Есім" in text and URL in text
    if language == "en":
        assert "January 1, 2026" in text                   # the rule version's date


def test_same_input_gives_the_same_bytes(app, make_claim):
    claim_id = make_claim(code=TAX)
    first = _pdf(app, claim_id, tax_certificate_pdf, "kk")
    assert first == _pdf(app, claim_id, tax_certificate_pdf, "kk")


@pytest.mark.parametrize("code, status", [
    (SUBSIDY, S.APPROVED),       # not a tax-certificate programme
    (TAX, S.REJECTED),
    (TAX, S.IN_REVIEW),
    (TAX, S.TERMINATED),
])
def test_no_certificate_unless_an_approved_tax_claim(app, make_claim, code, status):
    claim_id = make_claim(code=code, status=status, decided=status is not S.IN_REVIEW)
    with pytest.raises(DocumentUnavailable):
        _pdf(app, claim_id, tax_certificate_pdf, "en")


@pytest.mark.parametrize("status", [S.DRAFT, S.SUBMITTED, S.IN_REVIEW, S.RETURNED])
def test_no_letter_for_an_undecided_claim(app, make_claim, status):
    claim_id = make_claim(status=status, decided=False)
    with pytest.raises(DocumentUnavailable):
        _pdf(app, claim_id, decision_letter_pdf, "en")
