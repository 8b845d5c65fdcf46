"""Job-centre pages: the organisation verification queue, hiding rule-breaking vacancies and
the reports users make about vacancies."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from marketplace.auth.models import Role
from marketplace.auth.permissions import role_required
from marketplace.cases.models import VacancyReport
from marketplace.employers import reports, vacancies, verification
from marketplace.employers.forms import ReasonForm, ResolveForm
from marketplace.employers.models import (
    EmployerOrganisation,
    Vacancy,
    VacancyStatus,
    VerificationStatus,
)
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.pagination import PAGE_SIZE
from marketplace.urls import page_number

bp = Blueprint("moderation", __name__, url_prefix="/staff")

STAFF = (Role.STAFF, Role.ADMIN)


def _reviewable(organisation_id: int) -> EmployerOrganisation:
    organisation = db.session.get(EmployerOrganisation, organisation_id)
    if organisation is None or not verification.can_review(current_user, organisation):
        abort(404)
    return organisation


def _moderated(vacancy_id: int) -> Vacancy:
    vacancy = db.session.get(Vacancy, vacancy_id)
    if vacancy is None or not vacancies.can_moderate(current_user, vacancy):
        abort(404)
    return vacancy


def _attempt(action, *, success: str) -> None:
    """Run one service call; commit and confirm, or roll back and say what was wrong."""
    try:
        action()
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
    else:
        db.session.commit()
        flash(success, "success")


@bp.route("/organisations")
@role_required(*STAFF)
def organisations():
    try:
        status = VerificationStatus(request.args.get("status", "pending"))
    except ValueError:
        status = VerificationStatus.PENDING
    page = db.paginate(verification.review_query(current_user, status).options(
        joinedload(EmployerOrganisation.region)), page=page_number(), per_page=PAGE_SIZE,
        error_out=False)
    return render_template("employers/staff_queue.html", status=status, statuses=list(
        VerificationStatus), page=page,
        rows=[(org, verification.waiting_days(org)) for org in page.items])


def _review_page(organisation, reject_form=None, status=200):
    listed = list(db.session.scalars(
        select(Vacancy).where(Vacancy.organisation_id == organisation.id,
                              Vacancy.status != VacancyStatus.DRAFT)
        .order_by(Vacancy.created_at.desc())))
    return render_template(
        "employers/staff_review.html", organisation=organisation, vacancies=listed,
        reject_form=reject_form or ReasonForm(),
        waiting=verification.waiting_days(organisation)), status


@bp.route("/organisations/<int:organisation_id>")
@role_required(*STAFF)
def organisation(organisation_id):
    return _review_page(_reviewable(organisation_id))


@bp.route("/organisations/<int:organisation_id>/verify", methods=["POST"])
@role_required(*STAFF)
def verify(organisation_id):
    organisation = _reviewable(organisation_id)
    _attempt(lambda: verification.verify_organisation(organisation, actor=current_user),
             success=_("%(name)s is verified. Its vacancies can now be published.",
                       name=organisation.name))
    return redirect(url_for("moderation.organisations"))


@bp.route("/organisations/<int:organisation_id>/reject", methods=["POST"])
@role_required(*STAFF)
def reject(organisation_id):
    organisation = _reviewable(organisation_id)
    form = ReasonForm()
    if not form.validate_on_submit():
        return _review_page(organisation, reject_form=form, status=422)
    _attempt(lambda: verification.reject_organisation(organisation, actor=current_user,
                                                      reason=form.reason.data),
             success=_("%(name)s has been rejected. The owner sees your reason.",
                       name=organisation.name))
    return redirect(url_for("moderation.organisations"))


def _vacancy_page(vacancy, form=None, status=200, resolve_form=None):
    return render_template("employers/staff_vacancy.html", vacancy=vacancy,
                           form=form or ReasonForm(), reports=reports.reports_of(vacancy),
                           resolve_form=resolve_form or ResolveForm()), status


@bp.route("/vacancies/<int:vacancy_id>")
@role_required(*STAFF)
def vacancy(vacancy_id):
    return _vacancy_page(_moderated(vacancy_id))


def _set_hidden(vacancy_id, service, success):
    vacancy = _moderated(vacancy_id)
    form = ReasonForm()
    if not form.validate_on_submit():
        return _vacancy_page(vacancy, form=form, status=422)
    _attempt(lambda: service(vacancy, actor=current_user, reason=form.reason.data),
             success=success)
    return redirect(url_for("moderation.vacancy", vacancy_id=vacancy.id))


@bp.route("/vacancies/<int:vacancy_id>/hide", methods=["POST"])
@role_required(*STAFF)
def hide(vacancy_id):
    return _set_hidden(vacancy_id, vacancies.hide_vacancy,
                       _("The vacancy is hidden from search and matching."))


@bp.route("/vacancies/<int:vacancy_id>/unhide", methods=["POST"])
@role_required(*STAFF)
def unhide(vacancy_id):
    return _set_hidden(vacancy_id, vacancies.unhide_vacancy, _("The vacancy is visible again."))


@bp.route("/vacancy-reports")
@role_required(*STAFF)
def vacancy_reports():
    region_id = None if current_user.role is Role.ADMIN else current_user.region_id or 0
    page = db.paginate(reports.open_reports_query(region_id).options(
        joinedload(VacancyReport.vacancy).joinedload(Vacancy.organisation)),
        page=page_number(), per_page=PAGE_SIZE, error_out=False)
    return render_template("employers/vacancy_reports.html", reports=page)


@bp.route("/vacancies/<int:vacancy_id>/reports/<int:report_id>/resolve", methods=["POST"])
@role_required(*STAFF)
def resolve_report(vacancy_id, report_id):
    vacancy = _moderated(vacancy_id)
    report = db.session.get(VacancyReport, report_id)
    if report is None or report.vacancy_id != vacancy.id:
        abort(404)
    form = ResolveForm()
    if not form.validate_on_submit():
        return _vacancy_page(vacancy, status=422, resolve_form=form)
    _attempt(lambda: reports.resolve_report(report, staff=current_user,
                                            resolution=form.resolution.data),
             success=_("The report is closed."))
    return redirect(url_for("moderation.vacancy", vacancy_id=vacancy.id))
