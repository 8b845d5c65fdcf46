"""The job centre's claim pages: the region's queue, one claim with everything needed to decide
it, decisions with four eyes, monthly confirmations and the region's budget."""

from datetime import date, timedelta

from flask import Blueprint, abort, current_app, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import joinedload, selectinload

from marketplace.actions import attempt
from marketplace.auth.models import Role
from marketplace.auth.permissions import role_required
from marketplace.extensions import db
from marketplace.hiring.blueprint import form_errors
from marketplace.incentives import budget, claims, labels, months, review
from marketplace.incentives.forms import DecisionForm
from marketplace.incentives.models import BudgetAccount, BudgetEntry, Claim, ClaimMonth
from marketplace.incentives.views import claim_page_context, filing_page
from marketplace.pagination import PAGE_SIZE, RowPage
from marketplace.urls import page_number

bp = Blueprint("incentives_staff", __name__, url_prefix="/staff")
bp.record_once(labels.register)


def _claim(claim_id):
    return review.claim_for_staff(current_user, claim_id) or abort(404)


def review_due(claim) -> date:
    """The date by which the job centre should decide (CLAIM_REVIEW_DAYS after filing)."""
    return review.filing_date(claim) + timedelta(days=current_app.config["CLAIM_REVIEW_DAYS"])


@bp.route("/claims")
@role_required(Role.STAFF)
def queue():
    region_id = current_user.region_id
    waiting = _page(review.staff_queue_query(region_id).options(
        joinedload(Claim.organisation), joinedload(Claim.programme),
        selectinload(Claim.approvals), selectinload(Claim.events)), "page")
    to_check = _page(months.months_to_check_query(region_id).options(
        joinedload(ClaimMonth.claim).joinedload(Claim.organisation)), "months_page")
    hires = _page(claims.employments_in_region_query(region_id), "hires_page")
    return render_template(
        "incentives/staff_queue.html", claims=waiting, today=date.today(),
        review_due=review_due, filed_on=review.filing_date, months_to_check=to_check,
        hires=hires, claims_of=claims.claims_by_employment(hires.items))


def _page(query, param: str):
    """One page of one of the page's lists, each with its own page number in the address."""
    if current_user.region_id is None:
        return RowPage([], 1, PAGE_SIZE, 0)  # staff without a region have nothing to do here
    return db.paginate(query, page=page_number(param), per_page=PAGE_SIZE, error_out=False)


@bp.route("/claims/<int:claim_id>")
@role_required(Role.STAFF)
def review_claim(claim_id):
    return _review_page(_claim(claim_id))


def _review_page(claim, form=None, status=200):
    return render_template(
        "incentives/staff_claim.html", form=form or DecisionForm(), today=date.today(),
        review_due=review_due(claim), budget=budget.balance_for(claim.programme_id,
                                                               claim.region_id),
        **claim_page_context(claim)), status


def _back(claim) -> str:
    return url_for("incentives_staff.review_claim", claim_id=claim.id)


@bp.route("/claims/<int:claim_id>/start", methods=["POST"])
@role_required(Role.STAFF)
def start(claim_id):
    claim = _claim(claim_id)
    return attempt(lambda: review.start_review(claim, staff=current_user),
                   success=_("Review started."), target=_back(claim))


def _decision(claim_id, decide, success):
    claim = _claim(claim_id)
    form = DecisionForm()
    if not form.validate_on_submit():
        return _review_page(claim, form, 422)
    return attempt(lambda: decide(claim, form.reason.data), success=success,
                   target=_back(claim))


@bp.route("/claims/<int:claim_id>/approve", methods=["POST"])
@role_required(Role.STAFF)
def approve(claim_id):
    return _decision(claim_id, lambda c, r: review.approve(c, staff=current_user, reason=r),
                     _("Your approval has been recorded."))


@bp.route("/claims/<int:claim_id>/return", methods=["POST"])
@role_required(Role.STAFF)
def return_claim(claim_id):
    return _decision(
        claim_id, lambda c, r: review.return_for_information(c, staff=current_user, reason=r),
        _("The claim has been returned to the employer."))


@bp.route("/claims/<int:claim_id>/reject", methods=["POST"])
@role_required(Role.STAFF)
def reject(claim_id):
    return _decision(claim_id, lambda c, r: review.reject(c, staff=current_user, reason=r),
                     _("The claim has been rejected."))


def _month(claim, month_id) -> ClaimMonth:
    entry = db.session.get(ClaimMonth, month_id)
    if entry is None or entry.claim_id != claim.id:
        abort(404)
    return entry


@bp.route("/claims/<int:claim_id>/months/<int:month_id>/accept", methods=["POST"])
@role_required(Role.STAFF)
def accept_month(claim_id, month_id):
    claim = _claim(claim_id)
    entry = _month(claim, month_id)
    return attempt(lambda: months.accept_month(entry, staff=current_user),
                   success=_("The month has been accepted for payment."), target=_back(claim))


@bp.route("/claims/<int:claim_id>/months/<int:month_id>/query", methods=["POST"])
@role_required(Role.STAFF)
def query_month(claim_id, month_id):
    claim = _claim(claim_id)
    entry = _month(claim, month_id)
    form = DecisionForm()
    if not form.validate_on_submit():
        form_errors(form)
        return _review_page(claim, status=422)
    return attempt(lambda: months.query_month(entry, staff=current_user, reason=form.reason.data),
                   success=_("Your question has been sent to the employer."),
                   target=_back(claim))


@bp.route("/hires/<int:employment_id>/claim", methods=["GET", "POST"])
@role_required(Role.STAFF)
def file_on_behalf(employment_id):
    """Filing for an employer who asked the job centre to do it; whoever files may not decide."""
    employment = (claims.employment_in_region(current_user.region_id or 0, employment_id)
                  or abort(404))
    return filing_page(employment, post_endpoint="incentives_staff.file_on_behalf",
                       claim_endpoint="incentives_staff.review_claim", on_behalf=True)


@bp.route("/budget")
@role_required(Role.STAFF)
def region_budget():
    region_id = current_user.region_id or 0
    accounts = list(db.session.scalars(db.select(BudgetAccount).where(
        BudgetAccount.region_id == region_id)))
    rows = [(a, budget.account_balance(a)) for a in accounts]
    entries = list(db.session.scalars(
        db.select(BudgetEntry).join(BudgetAccount).where(BudgetAccount.region_id == region_id)
        .order_by(BudgetEntry.id.desc()).limit(100)))
    return render_template("incentives/staff_budget.html", rows=rows, entries=entries)
