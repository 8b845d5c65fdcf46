"""The employer's claim pages, the documents and their public verification."""

from datetime import date

from flask import (
    Blueprint,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.auth.models import Role
from marketplace.auth.permissions import role_required
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.forms import show_domain_error
from marketplace.incentives import budget, claims, documents, labels, months, review
from marketplace.incentives.eligibility import check_eligibility
from marketplace.incentives.forms import FileClaimForm, MonthForm
from marketplace.incentives.models import ClaimMonth, ClaimStatus
from marketplace.pagination import PAGE_SIZE
from marketplace.uploads.services import send_stored
from marketplace.urls import page_number

bp = Blueprint("incentives", __name__)
bp.record_once(labels.register)


def _member_claim(claim_id):
    return review.claim_for_member(current_user, claim_id) or abort(404)


@bp.route("/employer/claims")
@role_required(Role.EMPLOYER)
def claim_list():
    hires = db.paginate(claims.employments_of_member_query(current_user), page=page_number(),
                        per_page=PAGE_SIZE, error_out=False)
    return render_template("incentives/employer_claims.html", hires=hires,
                           claims_of=claims.claims_by_employment(hires.items))


def filing_page(employment, *, post_endpoint: str, claim_endpoint: str, on_behalf: bool):
    """The programme choice, the eligibility checklist and the amounts, then filing."""
    programmes = claims.programmes()
    code = request.values.get("programme") or (programmes[0].code if programmes else "")
    programme = claims.programme_by_code(code) or abort(404)
    form = FileClaimForm()
    if form.validate_on_submit():
        try:
            claim = review.file_claim(employment, programme, actor=current_user,
                                      no_wage_arrears=form.no_wage_arrears.data)
            db.session.commit()
        except DomainError as error:
            show_domain_error(form, error)
        else:
            flash(_("The claim has been filed. The job centre will review it."), "success")
            return redirect(url_for(claim_endpoint, claim_id=claim.id))
    existing = claims.claims_by_employment([employment])[employment.id]
    return render_template(
        "incentives/file_claim.html", employment=employment, programmes=programmes,
        programme=programme, form=form, preview=claims.preview_amounts(employment, programme),
        checks=check_eligibility(employment, programme, filing_date=date.today()),
        existing=next((c for c in existing if c.programme_id == programme.id), None),
        post_endpoint=post_endpoint, claim_endpoint=claim_endpoint, on_behalf=on_behalf)


@bp.route("/employer/hires/<int:employment_id>/claim", methods=["GET", "POST"])
@role_required(Role.EMPLOYER)
def file_claim(employment_id):
    employment = claims.employment_of_member(current_user, employment_id) or abort(404)
    return filing_page(employment, post_endpoint="incentives.file_claim",
                       claim_endpoint="incentives.claim", on_behalf=False)


def claim_page_context(claim) -> dict:
    """What both the employer's and the staff member's claim pages show."""
    return {"claim": claim, "checks": review.checks_for(claim),
            "claim_money": budget.claim_balance(claim.id),
            "paid_months": months.paid_months(claim),
            "claim_months": months.claim_months(claim),
            "approvals": review.current_approvals(claim),
            "approvals_needed": review.approvals_needed(claim)}


@bp.route("/employer/claims/<int:claim_id>")
@role_required(Role.EMPLOYER)
def claim(claim_id):
    claim = _member_claim(claim_id)
    return _employer_claim_page(claim, MonthForm(), FileClaimForm())


def _employer_claim_page(claim, month_form, resubmit_form, status=200):
    month_form.month.choices = _month_choices(claim)
    return render_template("incentives/employer_claim.html", month_form=month_form,
                           resubmit_form=resubmit_form, **claim_page_context(claim)), status


def _month_choices(claim) -> list[tuple[str, str]]:
    return [(f"{m:%Y-%m}", format_month(m)) for m in months.months_to_send(claim)]


def format_month(month: date) -> str:
    from flask_babel import format_date

    return format_date(month, "LLLL yyyy")


@bp.route("/employer/claims/<int:claim_id>/resubmit", methods=["POST"])
@role_required(Role.EMPLOYER)
def resubmit(claim_id):
    claim = _member_claim(claim_id)
    form = FileClaimForm()
    if form.validate_on_submit():
        try:
            review.submit_claim(claim, actor=current_user,
                                no_wage_arrears=form.no_wage_arrears.data)
            db.session.commit()
        except DomainError as error:
            show_domain_error(form, error)
        else:
            flash(_("The claim has been filed again."), "success")
            return redirect(url_for("incentives.claim", claim_id=claim.id))
    return _employer_claim_page(claim, MonthForm(), form, status=422)


def _chosen_month(form):
    """The month picked (a corrected month may be sent again after a query)."""
    try:
        year, number = (int(p) for p in (form.month.raw_data or [""])[0].split("-"))
        return date(year, number, 1)
    except ValueError:
        return None


@bp.route("/employer/claims/<int:claim_id>/months", methods=["POST"])
@role_required(Role.EMPLOYER)
def confirm_month(claim_id):
    claim = _member_claim(claim_id)
    form = MonthForm()
    month = _chosen_month(form)
    form.month.choices = _month_choices(claim)
    if form.validate_on_submit() and month is not None:
        try:
            months.confirm_month(claim, month, hours_worked=form.hours_worked.data,
                                 wage_paid=form.wage_paid.data,
                                 pension_proof=form.pension_proof.data, actor=current_user)
            db.session.commit()
        except DomainError as error:
            show_domain_error(form, error)
        else:
            flash(_("The month has been sent to the job centre."), "success")
            return redirect(url_for("incentives.claim", claim_id=claim.id))
    return _employer_claim_page(claim, form, FileClaimForm(), status=422)


def _visible_claim(claim_id):
    """Members of the employer and staff of the claim's region; anyone else gets 404."""
    if current_user.role is Role.STAFF:
        return review.claim_for_staff(current_user, claim_id) or abort(404)
    return _member_claim(claim_id)


@bp.route("/claims/<int:claim_id>/months/<int:month_id>/proof")
@role_required(Role.EMPLOYER, Role.STAFF)
def pension_proof(claim_id, month_id):
    claim = _visible_claim(claim_id)
    entry = db.session.get(ClaimMonth, month_id)
    if entry is None or entry.claim_id != claim.id:
        abort(404)
    return send_stored(entry.pension_file)


def _pdf(data: bytes, name: str):
    response = make_response(data)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _document_language() -> str:
    """The employer's language: the organisation user's own choice."""
    return current_user.locale or "ru"


@bp.route("/claims/<int:claim_id>/decision.pdf")
@role_required(Role.EMPLOYER, Role.STAFF)
def decision_letter(claim_id):
    claim = _visible_claim(claim_id)
    if claim.document_code is None:
        abort(404)
    data = documents.decision_letter_pdf(claim, _document_language(),
                                         verify_url=_verify_url(claim))
    return _pdf(data, f"decision-{claim.document_code}.pdf")


@bp.route("/claims/<int:claim_id>/certificate.pdf")
@role_required(Role.EMPLOYER, Role.STAFF)
def tax_certificate(claim_id):
    claim = _visible_claim(claim_id)
    if not review.has_tax_certificate(claim):
        abort(404)
    data = documents.tax_certificate_pdf(claim, _document_language(),
                                         verify_url=_verify_url(claim))
    return _pdf(data, f"certificate-{claim.document_code}.pdf")


def _verify_url(claim) -> str:
    return url_for("incentives.verify_document", code=claim.document_code, _external=True)


@bp.route("/documents/verify")
def verify_document_form():
    code = (request.args.get("code") or "").strip()
    if code:
        return redirect(url_for("incentives.verify_document", code=code))
    return render_template("incentives/verify_form.html")


@bp.route("/documents/verify/<code>")
def verify_document(code):
    """Confirms a letter or certificate: who, what and when, never the employee's identity."""
    claim = review.by_document_code(code)
    if claim is None:
        return render_template("incentives/verify_form.html", unknown=code), 404
    return render_template("incentives/verify.html", claim=claim,
                           approved=claim.status not in (ClaimStatus.REJECTED,),
                           has_certificate=review.has_tax_certificate(claim))
